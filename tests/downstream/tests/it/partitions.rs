//! Rows written through a partitioned table's generated model land in the partition their key
//! falls in (`tableoid`), and read back, update and delete through the parent.

use strata_downstream_tests::partitions::{Event, NewEvent, NewSale};
use strata_runtime::chrono::NaiveDate;
use strata_runtime::pg;
use strata_testkit::TestDb;

fn ok<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// The partition each row of `table` is stored in, by the row's `key` column as text.
async fn placement(db: &TestDb, table: &str, key: &str) -> Vec<(String, String)> {
    let sql = format!("SELECT {key}::text, tableoid::regclass::text FROM {table} ORDER BY 1");
    ok("placement", db.client.query(&sql, &[]).await)
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test]
async fn rows_go_through_the_parent_into_their_partition() {
    let model =
        strata_downstream_tests::load("partitions", "tests/downstream/schemas/partitions.yaml");
    assert!(
        model.table("events_2026").is_none(),
        "a partition is not a table of the model"
    );
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&model)).await;

    for (id, at) in [
        (1, day(2025, 12, 31)),
        (2, day(2026, 6, 1)),
        (3, day(2031, 1, 1)),
    ] {
        let row = ok(
            "insert event",
            pg::insert(
                &db.client,
                &NewEvent {
                    id,
                    at,
                    kind: "click".into(),
                },
            )
            .await,
        );
        assert_eq!((row.id, row.at), (id, at));
    }
    assert_eq!(
        placement(&db, "events", "id").await,
        [
            ("1".to_string(), "events_old".to_string()),
            ("2".into(), "events_2026".into()),
            ("3".into(), "events_later".into()),
        ]
    );

    let (id, at) = (2_i64, day(2026, 6, 1));
    let mut found: Event = ok(
        "select by key",
        pg::select_by_pk::<Event>(&db.client, &[&id, &at]).await,
    )
    .expect("event 2 is found through the parent");
    found.kind = "view".into();
    let updated = ok("update", pg::update(&db.client, &found).await).expect("updated");
    assert_eq!(updated.kind, "view");
    assert_eq!(ok("delete", pg::delete(&db.client, &updated).await), 1);
    assert_eq!(
        ok("all", pg::select_all::<Event>(&db.client).await).len(),
        2
    );

    for region in ["de", "fr", "jp"] {
        ok(
            "insert sale",
            pg::insert(
                &db.client,
                &NewSale {
                    region: region.into(),
                    amount: "9.99".parse().expect("a decimal"),
                },
            )
            .await,
        );
    }
    assert_eq!(
        placement(&db, "sales", "region").await,
        [
            ("de".to_string(), "sales_eu".to_string()),
            ("fr".into(), "sales_eu".into()),
            ("jp".into(), "sales_other".into()),
        ]
    );
}
