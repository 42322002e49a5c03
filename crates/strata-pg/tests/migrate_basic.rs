//! `strata_pg::migrate` on the real server: applies once, refuses edited and deleted applied
//! migrations, rolls back a failed transactional migration, runs non-transactional ones outside
//! a transaction and records them, rebuilds an INVALID index, and times out on a held lock.
//! Never skipped: without PostgreSQL these fail, naming what to install.

use std::path::PathBuf;
use std::time::Duration;

use strata_pg::migrate::DEFAULT_LOCK_KEY;
use strata_pg::{MigrateError, MigrateOptions, Migrations, db_error_message, migrate};
use strata_testkit::TestDb;
use tokio_postgres::Client;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrate_basic")
}

fn embedded(files: &[(&'static str, &'static str)]) -> Migrations {
    Migrations::from_embedded(files).unwrap_or_else(|e| panic!("{e}"))
}

async fn run(
    client: &mut Client,
    migrations: &Migrations,
) -> Result<strata_pg::Report, MigrateError> {
    migrate(client, migrations, &MigrateOptions::default()).await
}

async fn scalar<T: for<'a> tokio_postgres::types::FromSql<'a>>(client: &Client, sql: &str) -> T {
    client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {}", db_error_message(&e)))
        .get(0)
}

/// `(version, name, checksum)` rows of refinery's history table.
async fn history(client: &Client) -> Vec<(i32, String, String)> {
    client
        .query(
            "SELECT version, name, checksum FROM refinery_schema_history ORDER BY version",
            &[],
        )
        .await
        .unwrap_or_else(|e| panic!("{}", db_error_message(&e)))
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

async fn versions(client: &Client) -> Vec<i32> {
    history(client)
        .await
        .into_iter()
        .map(|(v, _, _)| v)
        .collect()
}

/// `Some(indisvalid)` of index `name`, `None` if there is none.
async fn index_valid(client: &Client, name: &str) -> Option<bool> {
    client
        .query_opt(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1",
            &[&name],
        )
        .await
        .unwrap_or_else(|e| panic!("{}", db_error_message(&e)))
        .map(|r| r.get(0))
}

#[tokio::test]
async fn applies_once_and_a_second_run_applies_nothing() {
    let migrations = Migrations::from_dir(fixtures()).unwrap_or_else(|e| panic!("{e}"));
    let flags: Vec<(u32, bool)> = migrations
        .iter()
        .map(|m| (m.version, m.transactional))
        .collect();
    assert_eq!(flags, [(1, true), (2, true), (3, false), (4, true)]);
    let mut db = TestDb::new().await;

    let first = run(&mut db.client, &migrations)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first.applied_versions(), [1, 2, 3, 4]);
    assert!(first.already_applied.is_empty());
    assert!(
        first
            .to_string()
            .starts_with("applied V1__create_accounts ("),
        "{first}"
    );
    assert!(
        first
            .to_string()
            .contains("V3__index_email_and_add_status (non-transactional, "),
        "{first}"
    );

    // Refinery recorded each migration with the checksum of its text, the non-transactional one
    // (recorded with `Target::FakeVersion`) included.
    let expected: Vec<(i32, String, String)> = migrations
        .iter()
        .map(|m| {
            let stem = m.file_name().trim_end_matches(".sql");
            let checksum = refinery::Migration::unapplied(stem, &m.sql)
                .unwrap()
                .checksum();
            (m.version as i32, m.name.clone(), checksum.to_string())
        })
        .collect();
    assert_eq!(history(&db.client).await, expected);

    // The objects, the enum value added outside a transaction and used by V4, the index.
    assert_eq!(
        scalar::<i64>(&db.client, "SELECT count(*) FROM accounts").await,
        100
    );
    assert_eq!(
        scalar::<String>(&db.client, "SELECT status::text FROM accounts WHERE id = 1").await,
        "suspended"
    );
    assert_eq!(
        scalar::<String>(
            &db.client,
            "SELECT string_agg(e, ',') FROM unnest(enum_range(NULL::account_status)::text[]) e"
        )
        .await,
        "active,suspended,closed"
    );
    assert_eq!(
        index_valid(&db.client, "accounts_email_idx").await,
        Some(true)
    );
    // The session's lock_timeout, set by V3, is reset; the advisory lock is released.
    assert_eq!(scalar::<String>(&db.client, "SHOW lock_timeout").await, "0");
    assert_eq!(
        scalar::<i64>(
            &db.client,
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
             WHERE l.locktype = 'advisory' AND d.datname = current_database()"
        )
        .await,
        0
    );

    let second = run(&mut db.client, &migrations)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(second.applied.is_empty(), "{second}");
    assert_eq!(second.already_applied, [1, 2, 3, 4]);
    assert_eq!(second.to_string(), "up to date (4 already applied)");
    assert_eq!(
        scalar::<i64>(&db.client, "SELECT count(*) FROM accounts").await,
        100
    );

    // A new migration later applies alone.
    let mut more: Vec<(String, String)> = migrations
        .iter()
        .map(|m| (m.file_name().to_string(), m.sql.clone()))
        .collect();
    more.push((
        "V5__add_note.sql".into(),
        "ALTER TABLE accounts ADD COLUMN note text;\n".into(),
    ));
    let more: Vec<(&'static str, &'static str)> = more
        .into_iter()
        .map(|(f, s)| (&*f.leak(), &*s.leak()))
        .collect();
    let third = run(&mut db.client, &embedded(&more))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(third.applied_versions(), [5]);
    assert_eq!(third.already_applied, [1, 2, 3, 4]);
}

#[tokio::test]
async fn the_harness_gives_a_migrated_database() {
    let migrations = Migrations::from_dir(fixtures()).unwrap_or_else(|e| panic!("{e}"));
    let db = TestDb::migrated(&migrations).await;
    assert_eq!(versions(&db.client).await, [1, 2, 3, 4]);
    assert_eq!(
        scalar::<i64>(&db.client, "SELECT count(*) FROM accounts").await,
        100
    );
}

const V1: (&str, &str) = ("V1__create_t.sql", "CREATE TABLE t (x int);\n");
const V2: (&str, &str) = ("V2__add_y.sql", "ALTER TABLE t ADD COLUMN y int;\n");
const V3: (&str, &str) = ("V3__add_z.sql", "ALTER TABLE t ADD COLUMN z int;\n");

#[tokio::test]
async fn an_edited_applied_migration_is_refused() {
    let mut db = TestDb::new().await;
    run(&mut db.client, &embedded(&[V1, V2]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let edited = embedded(&[
        V1,
        ("V2__add_y.sql", "ALTER TABLE t ADD COLUMN y bigint;\n"),
        V3,
    ]);
    let err = run(&mut db.client, &edited)
        .await
        .expect_err("an edited migration must be refused");
    assert!(
        matches!(err, MigrateError::Divergent { version: 2, .. }),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("V2__add_y.sql") && message.contains("must never change"),
        "{message}"
    );
    // Refused before anything ran: V3 is not applied.
    assert_eq!(versions(&db.client).await, [1, 2]);

    let renamed = embedded(&[V1, ("V2__add_the_y.sql", V2.1), V3]);
    let err = run(&mut db.client, &renamed)
        .await
        .expect_err("a renamed migration must be refused");
    assert!(
        matches!(err, MigrateError::Divergent { version: 2, .. }),
        "{err:?}"
    );
    assert_eq!(versions(&db.client).await, [1, 2]);
}

#[tokio::test]
async fn a_deleted_applied_migration_is_refused() {
    let mut db = TestDb::new().await;
    run(&mut db.client, &embedded(&[V1, V2]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let err = run(&mut db.client, &embedded(&[V1, V3]))
        .await
        .expect_err("a deleted migration must be refused");
    assert!(
        matches!(err, MigrateError::Missing { version: 2, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("applied migration V2__add_y, which is not among"),
        "{err}"
    );
    assert_eq!(versions(&db.client).await, [1, 2]);

    // And a migration older than the newest applied one that was never applied.
    let mut db = TestDb::new().await;
    run(&mut db.client, &embedded(&[V1, V3]))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let err = run(&mut db.client, &embedded(&[V1, V2, V3]))
        .await
        .expect_err("out of order");
    assert!(
        matches!(err, MigrateError::OutOfOrder { version: 2, .. }),
        "{err:?}"
    );
    assert_eq!(versions(&db.client).await, [1, 3]);
}

/// A constraint failure has no error position: the runner names the statement by number, line
/// and first line all the same.
#[tokio::test]
async fn a_failed_transactional_statement_is_named() {
    let mut db = TestDb::new().await;
    let failing = embedded(&[
        V1,
        (
            "V2__dup.sql",
            "-- header\nCREATE TABLE u (x int UNIQUE);\n\nINSERT INTO u VALUES (1);\n-- the second row\nINSERT INTO u\n  VALUES (1);\nSELECT 1;\n",
        ),
    ]);
    let err = run(&mut db.client, &failing)
        .await
        .expect_err("duplicate key");
    assert_eq!(err.sqlstate(), Some("23505"));
    let message = err.to_string();
    assert!(
        message.contains("failed at statement 3 of 4 (line 6): INSERT INTO u"),
        "{message}"
    );
    // Locating it ran nothing that stayed.
    assert_eq!(versions(&db.client).await, [1]);
    assert_eq!(
        scalar::<i64>(
            &db.client,
            "SELECT count(*) FROM pg_class WHERE relname = 'u'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn a_failed_migration_leaves_the_database_unchanged() {
    let mut db = TestDb::new().await;
    let failing = embedded(&[
        V1,
        (
            "V2__half_done.sql",
            "CREATE TABLE partial (x int);\nINSERT INTO t VALUES (1);\nSELECT 1 / 0;\n",
        ),
        V3,
    ]);
    let err = run(&mut db.client, &failing)
        .await
        .expect_err("V2 divides by zero");
    assert!(
        matches!(&err, MigrateError::Failed { version: 2, transactional: true, applied_before, .. } if applied_before == &["V1__create_t"]),
        "{err:?}"
    );
    assert_eq!(err.sqlstate(), Some("22012"));
    let message = err.to_string();
    for expected in [
        "migration V2__half_done.sql failed at statement 3 of 3 (line 3): SELECT 1 / 0; and was rolled back",
        "ERROR 22012: division by zero",
        "V1__create_t",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
    // V2 left nothing: no table, no row, no history entry; V1 stays; V3 was not attempted.
    assert_eq!(versions(&db.client).await, [1]);
    assert_eq!(
        scalar::<i64>(
            &db.client,
            "SELECT count(*) FROM pg_class WHERE relname = 'partial'"
        )
        .await,
        0
    );
    assert_eq!(scalar::<i64>(&db.client, "SELECT count(*) FROM t").await, 0);
    // The lock was released on the error.
    let other = db.connect_again().await;
    assert!(
        scalar::<bool>(
            &other,
            &format!("SELECT pg_try_advisory_lock({DEFAULT_LOCK_KEY})")
        )
        .await
    );
    drop(other);

    // A syntax error shows the line of the migration it is on.
    let mut db = TestDb::new().await;
    let typo = embedded(&[
        V1,
        (
            "V2__typo.sql",
            "ALTER TABLE t ADD COLUMN y int;\nALTER TABEL t ADD COLUMN z int;\n",
        ),
    ]);
    let err = run(&mut db.client, &typo).await.expect_err("syntax error");
    let message = err.to_string();
    for expected in [
        "V2__typo.sql",
        "ERROR 42601",
        "at line 2, column 7:",
        "2 | ALTER TABEL t ADD COLUMN z int;",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
}

const NON_TX_INDEX: &str = "-- strata:non-transactional\n\
    -- strata:statement\nSET lock_timeout = '5s';\n\n\
    -- create index t_x_key on t\n\
    -- strata:statement\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_x_key ON t USING btree (x);\n";

#[tokio::test]
async fn an_invalid_index_from_a_failed_build_is_dropped_and_built_again() {
    let mut db = TestDb::new().await;
    let migrations = embedded(&[
        (
            "V1__t_with_duplicates.sql",
            "CREATE TABLE t (x int);\nINSERT INTO t VALUES (1), (1), (2);\n",
        ),
        ("V2__unique_x.sql", NON_TX_INDEX),
    ]);

    let err = run(&mut db.client, &migrations)
        .await
        .expect_err("duplicates make the unique build fail");
    assert!(
        matches!(&err, MigrateError::Failed { version: 2, transactional: false, statement: Some(s), .. } if s.index == 2 && s.line == 7),
        "{err:?}"
    );
    assert_eq!(err.sqlstate(), Some("23505"));
    let message = err.to_string();
    for expected in [
        "non-transactional migration V2__unique_x.sql failed at statement 2 of 2 (line 7): CREATE UNIQUE INDEX CONCURRENTLY",
        "ERROR 23505: could not create unique index \"t_x_key\"",
        "DETAIL: Key (x)=(1) is duplicated.",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
    // The failed concurrent build left an INVALID index; V2 is not recorded.
    assert_eq!(index_valid(&db.client, "t_x_key").await, Some(false));
    assert_eq!(versions(&db.client).await, [1]);
    assert_eq!(scalar::<String>(&db.client, "SHOW lock_timeout").await, "0");

    db.client
        .batch_execute("DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t WHERE x = 1)")
        .await
        .unwrap();
    let report = run(&mut db.client, &migrations)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.applied_versions(), [2]);
    assert_eq!(index_valid(&db.client, "t_x_key").await, Some(true));
    assert_eq!(versions(&db.client).await, [1, 2]);
    let duplicate = db
        .client
        .batch_execute("INSERT INTO t VALUES (2)")
        .await
        .expect_err("the index is unique");
    assert_eq!(duplicate.code().map(|c| c.code()), Some("23505"));
}

#[tokio::test]
async fn a_non_transactional_migration_runs_outside_a_transaction() {
    // Refinery alone would fail here with 25001 (rust-db/refinery#277).
    let db = TestDb::with_sql("CREATE TABLE t (x int); CREATE TYPE mood AS ENUM ('ok');").await;
    let mut client = db.connect_again().await;
    let migrations = embedded(&[(
        "V1__index_and_value.sql",
        "-- header\n-- strata:non-transactional\n\n\
         -- strata:statement\nALTER TYPE mood ADD VALUE IF NOT EXISTS 'great';\n\
         -- strata:statement\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_x_idx ON t (x);\n",
    )]);
    let report = run(&mut client, &migrations)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.applied_versions(), [1]);
    assert_eq!(index_valid(&client, "t_x_idx").await, Some(true));
    assert_eq!(
        scalar::<String>(&client, "SELECT 'great'::mood::text").await,
        "great"
    );
    assert_eq!(versions(&client).await, [1]);
    // Recorded with the checksum of its text: the next run finds nothing divergent.
    assert!(
        run(&mut client, &migrations)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .applied
            .is_empty()
    );
}

#[tokio::test]
async fn a_held_lock_times_out_naming_its_holder() {
    let mut db = TestDb::new().await;
    let holder = db.connect_again().await;
    holder
        .batch_execute("SET application_name = 'someone else'")
        .await
        .unwrap();
    let pid: i32 = scalar(&holder, "SELECT pg_backend_pid()").await;
    holder
        .batch_execute(&format!("SELECT pg_advisory_lock({DEFAULT_LOCK_KEY})"))
        .await
        .unwrap();

    let options = MigrateOptions::default().lock_wait(Duration::from_millis(300));
    let err = migrate(&mut db.client, &embedded(&[V1]), &options)
        .await
        .expect_err("the lock is held");
    assert!(
        matches!(
            err,
            MigrateError::LockTimeout {
                key: DEFAULT_LOCK_KEY,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    for expected in [
        format!(
            "waiting for the migration lock (PostgreSQL advisory lock {DEFAULT_LOCK_KEY} in database `{}`)",
            db.name
        ),
        format!("session pid {pid} holds it (application `someone else`"),
        "pg_terminate_backend".to_string(),
    ] {
        assert!(
            message.contains(&expected),
            "{expected:?} not in:\n{message}"
        );
    }
    assert_eq!(versions_or_none(&db.client).await, None, "nothing ran");

    holder
        .batch_execute(&format!("SELECT pg_advisory_unlock({DEFAULT_LOCK_KEY})"))
        .await
        .unwrap();
    let report = migrate(&mut db.client, &embedded(&[V1]), &options)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.applied_versions(), [1]);
}

async fn versions_or_none(client: &Client) -> Option<Vec<i32>> {
    let exists: bool = scalar(
        client,
        "SELECT to_regclass('refinery_schema_history') IS NOT NULL",
    )
    .await;
    if exists {
        Some(versions(client).await)
    } else {
        None
    }
}

#[test]
fn a_directory_with_bad_names_or_duplicate_versions_is_refused() {
    let dir = std::env::temp_dir().join(format!("strata-migrate-basic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in [
        ("V1__a.sql", "SELECT 1;"),
        ("V1__b.sql", "SELECT 2;"),
        ("V2-c.sql", "SELECT 3;"),
        ("README.md", "x"),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let err = Migrations::from_dir(&dir)
        .expect_err("bad directory")
        .to_string();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        err.contains("V1__a.sql and V1__b.sql both have version 1"),
        "{err}"
    );
    assert!(
        err.contains("V2-c.sql: not a valid migration file name"),
        "{err}"
    );
}
