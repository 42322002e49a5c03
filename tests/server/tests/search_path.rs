//! Generated SQL means the same whatever `search_path` applies it: in a database whose
//! `search_path` is `decoy`, a schema that already holds a `users` table and a `mood` enum of
//! its own, `schema.sql` through `psql -f`, a history of migrations through Strata's runner,
//! and `plan --format sql` through `psql -f` each build exactly what a fresh apply builds in
//! `public`, and leave `decoy` as it was. Without the `SET search_path = public` they begin
//! with, the first `CREATE TABLE users` lands in `decoy` (or fails there: it exists).

use strata::plan::{Consent, PlanOptions, plan};
use strata_pg::{MigrateOptions, Migrations, migrate};
use strata_server_tests::catalog::{self, comparable};
use strata_testkit::TestDb;

const OLD: &str = "
enums:
  mood: { values: [ok, great] }
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, check: length(email) > 0 }
      feeling: { type: mood, default: ok }
      updated_at: { type: timestamptz, default_sql: now(), auto_update: true }
views:
  happy_users:
    query: SELECT id, email FROM users WHERE feeling = 'great'
";

const NEW: &str = "
enums:
  mood: { values: [ok, great] }
tables:
  users:
    columns:
      id: { type: integer, primary_key: true }
      email: { type: text, check: length(email) > 0 }
      feeling: { type: mood, default: ok }
      nick: { type: text, nullable: true }
      updated_at: { type: timestamptz, default_sql: now(), auto_update: true }
    indexes:
      - { columns: [email] }
  posts:
    columns:
      id: { type: integer, primary_key: true }
      user_id: { type: integer, references: users }
views:
  happy_users:
    query: SELECT id, email FROM users WHERE feeling = 'great'
";

/// A database whose default `search_path` is `decoy`, where names the generated SQL writes
/// unqualified already exist.
async fn decoyed() -> TestDb {
    let db = TestDb::new().await;
    db.client
        .batch_execute(&format!(
            "CREATE SCHEMA decoy;
             CREATE TABLE decoy.users (x integer);
             CREATE TYPE decoy.mood AS ENUM ('decoy');
             ALTER DATABASE \"{}\" SET search_path = decoy;",
            db.name
        ))
        .await
        .expect("the decoy schema");
    db
}

/// `decoy` after the test is as `decoyed` made it, with `more` besides.
async fn decoy_untouched(db: &TestDb, more: &[&str]) {
    let c = db.connect_again().await;
    let objects: Vec<String> = c
        .query(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'decoy'
             UNION ALL
             SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE n.nspname = 'decoy' AND t.typtype = 'e'
             ORDER BY 1",
            &[],
        )
        .await
        .expect("decoy's objects")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut want = vec!["type mood", "users"];
    want.extend_from_slice(more);
    want.sort_unstable();
    assert_eq!(objects, want, "decoy was written to");
    let columns: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'decoy.users'::regclass AND attnum > 0",
            &[],
        )
        .await
        .expect("decoy.users")
        .get(0);
    assert_eq!(columns, 1);
}

/// The new connection sees the database's `search_path`, as any tool applying SQL would.
async fn search_path(db: &TestDb) -> String {
    db.connect_again()
        .await
        .query_one("SHOW search_path", &[])
        .await
        .expect("search_path")
        .get(0)
}

fn psql(db: &TestDb, script: &str, tag: &str) {
    let path = std::env::temp_dir().join(format!(
        "strata-search-path-{tag}-{}.sql",
        std::process::id()
    ));
    std::fs::write(&path, script).expect("write");
    let out = std::process::Command::new("psql")
        .args(["--no-psqlrc", "-q", "-d", &db.url, "-f"])
        .arg(&path)
        .output()
        .expect("psql runs (postgresql-client)");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "psql -f failed or warned:\n{}\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The catalog of `public`, read with the default path (the reader's `regclass` and
/// `format_type` texts depend on it).
async fn public_catalog(db: &TestDb) -> catalog::Catalog {
    let c = db.connect_again().await;
    c.batch_execute("SET search_path = \"$user\", public")
        .await
        .expect("the reader's path");
    comparable(catalog::read(&c, "public").await.expect("catalog"))
}

/// What a plain apply of `text`'s schema.sql builds, in a database with the default path.
async fn fresh(text: &str) -> catalog::Catalog {
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&load(text))).await;
    public_catalog(&db).await
}

fn load(text: &str) -> strata::Schema {
    strata_server_tests::load_text(text)
}

fn the_plan() -> strata::plan::Plan {
    plan(
        &load(OLD),
        &load(NEW),
        &PlanOptions::default().consent(Consent::all()),
    )
    .expect("plan")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schema_sql_and_plan_scripts_ignore_the_search_path() {
    let db = decoyed().await;
    assert_eq!(search_path(&db).await, "decoy");
    psql(&db, &strata::render::sql::schema_sql(&load(OLD)), "schema");
    assert!(
        public_catalog(&db).await == fresh(OLD).await,
        "schema.sql under search_path = decoy differs from a fresh apply"
    );
    decoy_untouched(&db, &[]).await;

    let script = strata::render::plan::psql_script(&the_plan(), "5s");
    assert!(script.contains("CONCURRENTLY"), "{script}");
    psql(&db, &script, "plan");
    assert!(
        public_catalog(&db).await == fresh(NEW).await,
        "the plan's psql script under search_path = decoy differs from a fresh apply\n{script}"
    );
    decoy_untouched(&db, &[]).await;

    // The view reads public.users, and auto_update still works through the trigger.
    let c = db.connect_again().await;
    c.batch_execute(
        "INSERT INTO public.users (id, email, feeling, updated_at) VALUES (1, 'a@x', 'great', '2000-01-01');
         UPDATE public.users SET nick = 'a' WHERE id = 1;",
    )
    .await
    .expect("rows under search_path = decoy");
    let row = c
        .query_one(
            "SELECT (SELECT count(*) FROM public.happy_users),
                    (SELECT updated_at > '2001-01-01'::timestamptz FROM public.users)",
            &[],
        )
        .await
        .expect("view and trigger");
    assert_eq!(row.get::<_, i64>(0), 1);
    assert!(row.get::<_, bool>(1), "auto_update set updated_at");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_ignore_the_search_path_and_leave_it_as_it_was() {
    let header = strata::render::header("--", "schemas/app.yaml");
    let mut files: Vec<(&'static str, &'static str)> = vec![(
        "V1__initial.sql",
        Box::leak(strata::render::sql::initial_migration(&load(OLD)).into_boxed_str()),
    )];
    let texts = the_plan().migrations(&header, "5s");
    assert!(
        texts.iter().any(|m| !m.transactional),
        "the index build runs outside a transaction"
    );
    for (i, m) in texts.into_iter().enumerate() {
        let name = format!("V{}__{}.sql", i + 2, m.suggested_name);
        files.push((
            Box::leak(name.into_boxed_str()),
            Box::leak(m.sql.into_boxed_str()),
        ));
    }
    let migrations = Migrations::from_embedded(&files).unwrap_or_else(|e| panic!("{e}"));

    let db = decoyed().await;
    let mut client = db.connect_again().await;
    migrate(&mut client, &migrations, &MigrateOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        public_catalog(&db).await == fresh(NEW).await,
        "migrations under search_path = decoy differ from a fresh apply"
    );
    // Refinery's history stays where the session's path puts it, as it always has (the runner
    // names it `decoy.refinery_schema_history`, so the migrations' own path cannot move it),
    // and records every migration.
    decoy_untouched(
        &db,
        &["refinery_schema_history", "refinery_schema_history_pkey"],
    )
    .await;
    let versions: Vec<i32> = client
        .query(
            "SELECT version FROM decoy.refinery_schema_history ORDER BY 1",
            &[],
        )
        .await
        .expect("the history")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, (1..=files.len() as i32).collect::<Vec<_>>());
    // The runner's session keeps the path it had: SET LOCAL in transactional migrations, a
    // RESET after a non-transactional one.
    let path: String = client
        .query_one("SHOW search_path", &[])
        .await
        .expect("search_path")
        .get(0);
    assert_eq!(path, "decoy");
}
