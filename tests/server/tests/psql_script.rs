//! `plan --format sql` is a script that a plain `psql -f` applies: transactional steps between
//! BEGIN and COMMIT, concurrent index builds outside them; the result equals a fresh apply of
//! the new schema.

use strata::plan::{Consent, PlanOptions, plan};
use strata_server_tests::catalog::{self, comparable};
use strata_testkit::TestDb;

fn load(text: &str) -> strata::Schema {
    strata_server_tests::load_text(text)
}

const OLD: &str = "enums:\n  mood:\n    values: [ok]\ntables:\n  users:\n    columns:\n      id: { type: integer, primary_key: true }\n      email: text\n";
const NEW: &str = "enums:\n  mood:\n    values: [ok, great]\ntables:\n  users:\n    columns:\n      id: { type: integer, primary_key: true }\n      email: text\n      m: { type: mood, nullable: true }\n    indexes:\n      - { columns: [email] }\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_planned_script_applies_with_psql() {
    let (old, new) = (load(OLD), load(NEW));
    let p = plan(&old, &new, &PlanOptions::default().consent(Consent::all())).expect("plan");
    let script = strata::render::plan::psql_script(&p, "5s");
    assert!(
        script.contains("BEGIN;") && script.contains("COMMIT;"),
        "{script}"
    );
    assert!(script.contains("CREATE INDEX CONCURRENTLY"), "{script}");
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&old)).await;
    db.client
        .batch_execute("INSERT INTO users VALUES (1, 'a@example.com')")
        .await
        .expect("row");
    let path = std::env::temp_dir().join(format!("strata-psql-{}.sql", std::process::id()));
    std::fs::write(&path, &script).expect("write");
    let out = std::process::Command::new("psql")
        .args(["--no-psqlrc", "-q", "-d", &db.url, "-f"])
        .arg(&path)
        .output()
        .expect("psql runs (postgresql-client)");
    assert!(
        out.status.success(),
        "psql -f failed:\n{}\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh = TestDb::with_sql(&strata::render::sql::schema_sql(&new)).await;
    let got = comparable(catalog::read(&db.client, "public").await.expect("catalog"));
    let want = comparable(
        catalog::read(&fresh.client, "public")
            .await
            .expect("catalog"),
    );
    assert!(
        got == want,
        "the catalog after psql -f differs from a fresh apply\n{script}"
    );
}
