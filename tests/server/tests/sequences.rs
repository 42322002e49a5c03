//! Sequences on the server: `serial` columns and declared sequences apply from empty, and
//! planned changes (a new sequence used by a new default, changed options, a dropped one) apply
//! on a database with rows, giving the catalog of a fresh apply; a re-plan is then empty.

use strata::plan::{Consent, PlanOptions, plan};
use strata_server_tests::catalog::{self, comparable};
use strata_testkit::TestDb;

fn load(text: &str) -> strata::Schema {
    strata_server_tests::load_text(text)
}

const V1: &str = "
sequences:
  legacy_numbers: { type: integer, start: 100, increment: 5 }
tables:
  tickets:
    columns:
      id: { type: serial, primary_key: true }
      title: text
";

const V2: &str = "
sequences:
  invoice_numbers: { start: 1000, min: 1000, cache: 10 }
tables:
  tickets:
    columns:
      id: { type: serial, primary_key: true }
      title: text
      number: { type: bigint, default_sql: \"nextval('invoice_numbers')\" }
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serial_columns_and_sequences_apply_and_plan() {
    let (v1, v2) = (load(V1), load(V2));
    let sql = strata::render::sql::schema_sql(&v1);
    assert!(
        sql.contains("CREATE SEQUENCE tickets_id_seq AS integer;"),
        "{sql}"
    );
    assert!(
        sql.contains("ALTER SEQUENCE tickets_id_seq OWNED BY tickets.id;"),
        "{sql}"
    );
    assert!(
        sql.contains("DEFAULT nextval('tickets_id_seq'::regclass)"),
        "{sql}"
    );
    let db = TestDb::with_sql(&sql).await;
    db.client
        .batch_execute("INSERT INTO tickets (title) VALUES ('a'), ('b')")
        .await
        .expect("rows take ids from the serial sequence");
    let ids: Vec<i32> = db
        .client
        .query("SELECT id FROM tickets ORDER BY id", &[])
        .await
        .expect("ids")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids, [1, 2]);
    let next: i64 = db
        .client
        .query_one("SELECT nextval('legacy_numbers')", &[])
        .await
        .expect("declared sequence")
        .get(0);
    assert_eq!(next, 100);

    let p = plan(&v1, &v2, &PlanOptions::default().consent(Consent::all())).expect("plan");
    for m in p.migrations("-- case\n", "5s") {
        assert!(m.transactional);
        db.client
            .batch_execute(&format!("BEGIN; {} COMMIT;", m.sql))
            .await
            .unwrap_or_else(|e| panic!("{}\n{}", strata_pg::db_error_message(&e), m.sql));
    }
    let fresh = TestDb::with_sql(&strata::render::sql::schema_sql(&v2)).await;
    let got = comparable(catalog::read(&db.client, "public").await.expect("catalog"));
    let want = comparable(
        catalog::read(&fresh.client, "public")
            .await
            .expect("catalog"),
    );
    assert!(got == want, "{}", p.review());
    let numbers: Vec<i64> = db
        .client
        .query("SELECT number FROM tickets ORDER BY id", &[])
        .await
        .expect("numbers")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        numbers,
        [1000, 1001],
        "existing rows got numbers from the new sequence"
    );
    // Introspecting the result gives back V2's sequences: drift is empty.
    let live = strata_pg::introspect::introspect(
        &db.client,
        &strata_pg::introspect::Options::new().name("shop"),
    )
    .await
    .expect("introspect");
    let differences = strata::compare::compare(&v2, &live.schema);
    assert!(differences.is_empty(), "{differences:?}");
    assert!(
        plan(&v2, &v2, &PlanOptions::default())
            .expect("plan")
            .is_empty()
    );
}
