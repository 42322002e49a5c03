//! Exclusion constraints on the server: a plan that adds one (with the `btree_gist` extension
//! it needs for an integer element) applies on a table with rows, and afterwards the database
//! refuses an overlapping row with SQLSTATE 23P01 naming the constraint, while rows the
//! constraint allows (another room, a cancelled booking outside its `where`) go in.

use strata::plan::{Consent, PlanOptions, plan};
use strata_testkit::TestDb;
use tokio_postgres::error::SqlState;

fn load(text: &str) -> strata::Schema {
    strata_server_tests::load_text(text)
}

const V1: &str = r#"
tables:
  booking:
    columns:
      id: { type: integer, primary_key: true }
      room: integer
      during: tstzrange
      cancelled: { type: boolean, default: false }
"#;

const V2: &str = r#"
extensions: [btree_gist]
tables:
  booking:
    columns:
      id: { type: integer, primary_key: true }
      room: integer
      during: tstzrange
      cancelled: { type: boolean, default: false }
    exclude:
      - using: gist
        elements: [{ column: room, operator: "=" }, { column: during, operator: "&&" }]
        where: "NOT cancelled"
        description: A room is booked once at a time.
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overlapping_row_is_refused_after_the_plan_adds_the_constraint() {
    let (v1, v2) = (load(V1), load(V2));
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&v1)).await;
    db.client
        .batch_execute(
            "INSERT INTO booking (id, room, during) VALUES
               (1, 1, '[2026-01-01 10:00, 2026-01-01 11:00)'),
               (2, 1, '[2026-01-01 11:00, 2026-01-01 12:00)'),
               (3, 2, '[2026-01-01 10:00, 2026-01-01 11:00)')",
        )
        .await
        .expect("rows");

    let p = plan(&v1, &v2, &PlanOptions::default().consent(Consent::all())).expect("plan");
    let review = p.review();
    assert!(
        review.contains("CREATE EXTENSION IF NOT EXISTS btree_gist"),
        "{review}"
    );
    for m in p.migrations("-- case\n", "5s") {
        db.client
            .batch_execute(&format!("BEGIN; {} COMMIT;", m.sql))
            .await
            .unwrap_or_else(|e| panic!("{}\n{}", strata_pg::db_error_message(&e), m.sql));
    }

    let overlap = db
        .client
        .batch_execute(
            "INSERT INTO booking (id, room, during) VALUES (4, 1, '[2026-01-01 10:30, 2026-01-01 10:45)')",
        )
        .await
        .expect_err("an overlapping booking of room 1 is refused");
    let e = overlap.as_db_error().expect("a database error");
    assert_eq!(e.code(), &SqlState::EXCLUSION_VIOLATION, "{e}");
    assert_eq!(e.code().code(), "23P01");
    assert_eq!(e.constraint(), Some("booking_room_during_excl"));
    assert_eq!(e.table(), Some("booking"));

    // Allowed: the same time in another room, and a cancelled booking (outside `where`).
    db.client
        .batch_execute(
            "INSERT INTO booking (id, room, during) VALUES (5, 3, '[2026-01-01 10:30, 2026-01-01 10:45)');
             INSERT INTO booking (id, room, during, cancelled) VALUES (6, 1, '[2026-01-01 10:30, 2026-01-01 10:45)', true)",
        )
        .await
        .unwrap_or_else(|e| panic!("{}", strata_pg::db_error_message(&e)));
    // Un-cancelling the overlapping booking brings it under the constraint: refused too.
    let uncancel = db
        .client
        .batch_execute("UPDATE booking SET cancelled = false WHERE id = 6")
        .await
        .expect_err("un-cancelling an overlapping booking is refused");
    assert_eq!(
        uncancel.as_db_error().map(|e| e.code().clone()),
        Some(SqlState::EXCLUSION_VIOLATION)
    );

    // The database now holds what the schema says: the catalog has exactly the model's
    // constraints, no drift, and nothing left to plan.
    let differences = strata_server_tests::model_check::differences(&db.client, &v2)
        .await
        .expect("the catalog can be read");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    let live = strata_pg::introspect::introspect(
        &db.client,
        &strata_pg::introspect::Options::new().name("t"),
    )
    .await
    .expect("introspect");
    assert!(live.ignored.is_empty(), "{:?}", live.ignored);
    let d = strata::compare::compare(&v2, &live.schema);
    assert!(d.is_empty(), "{d:?}");
    let again = plan(&live.schema, &v2, &PlanOptions::default()).expect("plan");
    assert!(again.is_empty(), "{}", again.review());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_a_constraint_that_rows_violate_fails_and_keeps_the_rows() {
    let (v1, v2) = (load(V1), load(V2));
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&v1)).await;
    db.client
        .batch_execute(
            "INSERT INTO booking (id, room, during) VALUES
               (1, 1, '[2026-01-01 10:00, 2026-01-01 11:00)'),
               (2, 1, '[2026-01-01 10:30, 2026-01-01 12:00)')",
        )
        .await
        .expect("rows");
    // Without consent the plan is refused: the constraint can fail on existing rows.
    assert!(plan(&v1, &v2, &PlanOptions::default()).is_err());
    let p = plan(&v1, &v2, &PlanOptions::default().consent(Consent::all())).expect("plan");
    let mut failed = None;
    for m in p.migrations("-- case\n", "5s") {
        if let Err(e) = db
            .client
            .batch_execute(&format!("BEGIN; {} COMMIT;", m.sql))
            .await
        {
            failed = Some(e);
            db.client.batch_execute("ROLLBACK").await.expect("rollback");
            break;
        }
    }
    let e = failed.expect("the overlapping rows make the migration fail");
    assert_eq!(
        e.as_db_error().map(|d| d.code().clone()),
        Some(SqlState::EXCLUSION_VIOLATION),
        "{e}"
    );
    let n: i64 = db
        .client
        .query_one("SELECT count(*) FROM booking", &[])
        .await
        .expect("count")
        .get(0);
    assert_eq!(n, 2, "the rows are kept");
}
