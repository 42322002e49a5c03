//! An application's one call: the generated crate embeds each database's migrations and
//! applies them with Strata's runner (advisory lock, non-transactional steps); the harness's
//! one-line `TestDb::migrated` gives a test a fresh database with them applied.

use strata_runtime::pg;
use strata_testkit::TestDb;

#[tokio::test]
async fn the_generated_crate_migrates_in_one_call() {
    let mut db = TestDb::new().await;
    let report = strata_models::migrations::freddy::migrate(&mut db.client)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        report.applied.len(),
        strata_models::migrations::freddy::FILES.len()
    );
    let again = strata_models::migrations::freddy::migrate(&mut db.client)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(again.applied.is_empty(), "a second run applies nothing");

    // The migrated database serves the generated models, including V2's additions.
    use strata_models::freddy::*;
    let c = &db.client;
    let org: Organization = pg::insert(c, &NewOrganization { id: "org_m".into() })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<Assistant> = pg::select_all(c).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(rows.is_empty());
    assert_eq!(org.id, "org_m");
}

#[tokio::test]
async fn a_test_asks_for_a_migrated_database_in_one_line() {
    let db = TestDb::migrated(
        &strata_models::migrations::hexabot::migrations().expect("embedded migrations"),
    )
    .await;
    let applied: i64 = db
        .client
        .query_one("SELECT count(*) FROM refinery_schema_history", &[])
        .await
        .expect("history")
        .get(0);
    assert_eq!(
        applied as usize,
        strata_models::migrations::hexabot::FILES.len(),
        "V1 and the two hand-written backfills"
    );
}
