//! The generated `call_<fn>` wrappers of `schemas/routines.yaml` against the server: scalar,
//! overloaded, set-returning, table-returning, OUT-argument, enum, void functions and a
//! procedure, with the declared `last_updated` trigger running underneath.

use strata_downstream_tests::routines as r;
use strata_testkit::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrappers_call_the_functions() {
    let schema =
        strata_downstream_tests::load("routines", "tests/downstream/schemas/routines.yaml");
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&schema)).await;
    let c = &db.client;
    c.batch_execute(
        "INSERT INTO film (film_id, title, length) VALUES (1, 'Alien', 117), (2, 'Brazil', 132), (3, 'Cube', 90)",
    )
    .await
    .expect("rows");

    assert_eq!(r::call_add(c, &2, &3).await.expect("add"), Some(5));
    assert_eq!(r::call_area(c, &2.0).await.expect("area"), Some(12.0));
    assert_eq!(
        r::call_area_rect(c, &2.0, &4.0).await.expect("area"),
        Some(8.0)
    );
    assert_eq!(
        r::call_title_of(c, &2).await.expect("title"),
        Some("Brazil".to_string())
    );
    assert_eq!(r::call_title_of(c, &9).await.expect("title"), None);

    let long = r::call_long_films(c, &100).await.expect("long films");
    let ids: Vec<i32> = long.iter().map(|f| f.film_id).collect();
    assert_eq!(ids, [1, 2]);
    // The trigger filled last_update on insert.
    assert!(long.iter().all(|f| f.last_update.is_some()));

    assert_eq!(r::call_film_ids(c).await.expect("ids"), [1, 2, 3]);
    let titles = r::call_titles(c).await.expect("titles");
    assert_eq!(
        titles[0],
        r::TitlesRow {
            id: Some(1),
            title: Some("Alien".into())
        }
    );
    let name = r::call_split_name(c, "Ada Lovelace").await.expect("split");
    assert_eq!(name.first.as_deref(), Some("Ada"));
    assert_eq!(name.last.as_deref(), Some("Lovelace"));
    assert_eq!(
        r::call_flip(c, &r::Mood::Happy).await.expect("flip"),
        Some(r::Mood::Sad)
    );

    r::call_rename_film(c, &3, "Cube Zero")
        .await
        .expect("procedure");
    assert_eq!(
        r::call_title_of(c, &3).await.expect("title"),
        Some("Cube Zero".to_string())
    );
    r::call_forget(c, &3).await.expect("void");
    assert_eq!(r::call_film_ids(c).await.expect("ids"), [1, 2]);
}
