//! The generated read-only models of views: every row, find by the declared key, pages on the
//! key, and a materialized view's `refresh` (concurrently, since a unique index allows it).

use strata_downstream_tests::edge::{HeavyTagsRow, TagWeightsRow};
use strata_testkit::TestDb;

#[tokio::test]
async fn view_structs_read_rows() {
    let schema = strata_downstream_tests::load("edge", "tests/downstream/schemas/edge.yaml");
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&schema)).await;
    let c = &db.client;
    c.batch_execute(
        "INSERT INTO tags VALUES ('a'), ('b'), ('c');
         INSERT INTO pairs VALUES (1, 'a', 0.5), (2, 'a', 1.0), (3, 'b', 0.25), (4, 'c', 2.0);",
    )
    .await
    .expect("rows");

    let mut all = TagWeightsRow::select_all(c).await.expect("select_all");
    all.sort_by(|x, y| x.tag.cmp(&y.tag));
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].tag.as_deref(), Some("a"));
    assert_eq!(all[0].total, Some(1.5));
    assert_eq!(all[0].pairs, Some(2));

    let b = TagWeightsRow::find(c, &"b".to_string())
        .await
        .expect("find");
    assert_eq!(b.and_then(|r| r.total), Some(0.25));
    assert!(
        TagWeightsRow::find(c, &"z".to_string())
            .await
            .expect("find")
            .is_none()
    );

    let first = TagWeightsRow::page(c, None, 2).await.expect("page");
    assert_eq!(
        first
            .iter()
            .map(|r| r.tag.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    let next = TagWeightsRow::page(c, first.last(), 2)
        .await
        .expect("next page");
    assert_eq!(
        next.iter()
            .map(|r| r.tag.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["c"]
    );

    // The materialized view holds the rows of its creation until it is refreshed.
    let heavy = HeavyTagsRow::select_all(c).await.expect("heavy");
    assert!(heavy.is_empty(), "{heavy:?}");
    HeavyTagsRow::refresh(c).await.expect("refresh");
    let mut heavy = HeavyTagsRow::select_all(c).await.expect("heavy");
    heavy.sort_by(|x, y| x.tag.cmp(&y.tag));
    assert_eq!(
        heavy
            .iter()
            .map(|r| r.tag.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["a", "c"]
    );
    assert_eq!(
        HeavyTagsRow::REFRESH_CONCURRENTLY,
        "REFRESH MATERIALIZED VIEW CONCURRENTLY heavy_tags"
    );
    db.drop_database().await;
}
