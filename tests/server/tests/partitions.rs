//! Partition steps on a database holding rows: a bound that would leave a row outside is
//! refused by PostgreSQL and rolls the migration back with every row kept; a dropped partition
//! takes only its own rows; a new partition and a changed bound apply, and the database read
//! back then needs no further step.

use strata::plan::{Consent, PlanOptions, plan};
use strata_pg::introspect::{Options, introspect};
use strata_testkit::TestDb;

const V1: &str = r#"
tables:
  events:
    columns:
      id: bigint
      at: date
    primary_key: [id, at]
    partition_by: { range: [at] }
    partitions:
      events_old: { from: [MINVALUE], to: ["2026-01-01"] }
      events_2026: { from: ["2026-01-01"], to: ["2027-01-01"] }
"#;

async fn apply(db: &TestDb, from: &strata::Schema, to: &strata::Schema) -> Result<(), String> {
    let p = plan(from, to, &PlanOptions::default().consent(Consent::all()))
        .map_err(|e| e.to_string())?;
    for m in p.migrations("-- partitions\n", "5s") {
        assert!(m.transactional, "{}", m.sql);
        if let Err(e) = db
            .client
            .batch_execute(&format!("BEGIN; {} COMMIT;", m.sql))
            .await
        {
            // The failed statement left the session in the aborted transaction.
            db.client.batch_execute("ROLLBACK").await.expect("rollback");
            return Err(format!(
                "{}\n{}",
                strata_pg::db_error_message(&e),
                p.review()
            ));
        }
    }
    Ok(())
}

async fn placement(db: &TestDb) -> Vec<(i64, String)> {
    db.client
        .query(
            "SELECT id, tableoid::regclass::text FROM events ORDER BY id",
            &[],
        )
        .await
        .expect("rows")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partition_steps_keep_or_move_only_what_they_say() {
    let v1 = strata_server_tests::load_text(V1);
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&v1)).await;
    db.client
        .batch_execute(
            "INSERT INTO events VALUES (1, '2025-06-01'), (2, '2026-03-01'), (3, '2026-11-30')",
        )
        .await
        .expect("rows");

    // events_2026 narrowed to the first half of the year: row 3 would fit no partition.
    let narrow =
        strata_server_tests::load_text(&V1.replace("to: [\"2027-01-01\"]", "to: [\"2026-07-01\"]"));
    let refused = apply(&db, &v1, &narrow)
        .await
        .expect_err("a row does not fit");
    assert!(refused.starts_with("ERROR 23514"), "{refused}");
    let keep = placement(&db).await;
    assert_eq!(
        keep,
        [
            (1, "events_old".to_string()),
            (2, "events_2026".into()),
            (3, "events_2026".into()),
        ]
    );

    // events_old dropped (its row with it), events_2026 widened, a default partition added.
    let v2 = strata_server_tests::load_text(
        &V1.replace(
            "      events_old: { from: [MINVALUE], to: [\"2026-01-01\"] }\n",
            "      events_rest: { default: true }\n",
        )
        .replace("to: [\"2027-01-01\"]", "to: [\"2028-01-01\"]"),
    );
    apply(&db, &v1, &v2).await.expect("applies");
    assert_eq!(
        placement(&db).await,
        [(2, "events_2026".to_string()), (3, "events_2026".into())]
    );
    db.client
        .batch_execute("INSERT INTO events VALUES (4, '2027-05-01'), (5, '2030-01-01')")
        .await
        .expect("rows after");
    assert_eq!(
        placement(&db).await[2..],
        [(4, "events_2026".to_string()), (5, "events_rest".into())]
    );

    let live = introspect(&db.client, &Options::new().name("t"))
        .await
        .expect("introspect");
    assert!(live.ignored.is_empty(), "{:?}", live.ignored);
    let again = plan(&live.schema, &v2, &PlanOptions::default()).expect("plan");
    assert!(again.is_empty(), "{}", again.review());
    db.drop_database().await;
}
