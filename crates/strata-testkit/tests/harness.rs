//! The harness against the real throwaway cluster (or the server in `DATABASE_URL`).
//! None of these is ever skipped: without PostgreSQL they fail, naming what to install.

use std::collections::BTreeSet;

use strata_testkit::{TestDb, connect, db_error_message, error_chain_message, server_url};

async fn count(client: &tokio_postgres::Client, sql: &str) -> i64 {
    client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {}", db_error_message(&e)))
        .get(0)
}

/// Runs `future` on its own task and returns its panic message.
async fn panic_message<F>(future: F) -> String
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let err = match tokio::spawn(future).await {
        Ok(_) => panic!("expected a panic"),
        Err(err) => err,
    };
    let payload = err.into_panic();
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .unwrap_or_default(),
    }
}

#[tokio::test]
async fn two_test_dbs_are_distinct_databases() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    assert_ne!(a.name, b.name);
    assert!(
        a.name.starts_with("strata_test_") && a.name.ends_with(&format!("_{}", std::process::id())),
        "{}",
        a.name
    );
    for db in [&a, &b] {
        let row = db
            .client
            .query_one("select current_database()", &[])
            .await
            .expect("current_database()");
        assert_eq!(row.get::<_, String>(0), db.name);
    }
    a.client
        .batch_execute("create table only_in_a(x int)")
        .await
        .expect("create table in a");
    assert_eq!(
        count(
            &b.client,
            "select count(*) from pg_class where relname = 'only_in_a'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn with_sql_applies_the_script() {
    let db = TestDb::with_sql(
        "create table t(x int primary key);
         insert into t values (1), (2);
         create view v as select x * 10 as y from t;",
    )
    .await;
    assert_eq!(count(&db.client, "select count(*) from t").await, 2);
    assert_eq!(count(&db.client, "select sum(y) from v").await, 30);
}

#[tokio::test]
#[should_panic(expected = "42601")]
async fn a_bad_script_panics_with_its_sqlstate() {
    TestDb::with_sql("create tabel t(x int)").await;
}

#[tokio::test]
async fn a_bad_script_panic_shows_message_and_line() {
    let message = panic_message(TestDb::with_sql(
        "create table t(x int);\ncreate tabel u(y int);",
    ))
    .await;
    for expected in [
        "ERROR 42601: syntax error at or near \"tabel\"",
        "at line 2, column 8:",
        "2 | create tabel u(y int);",
        "  |        ^",
    ] {
        assert!(
            message.contains(expected),
            "{expected:?} not in:\n{message}"
        );
    }
}

#[tokio::test]
async fn a_failed_script_leaves_nothing_behind() {
    let message = panic_message(TestDb::with_sql(
        "create table t(x int); insert into t values (1); select 1/0;",
    ))
    .await;
    assert!(message.contains("22012"), "{message}");
    // The database survives the panic; the script's table does not.
    let name = message
        .split_whitespace()
        .find_map(|word| {
            word.strip_suffix(':')
                .filter(|w| w.starts_with("strata_test_"))
        })
        .unwrap_or_else(|| panic!("no database name in: {message}"));
    let mut config: tokio_postgres::Config = server_url().parse().expect("parse server_url()");
    let (client, connection) = config
        .dbname(name)
        .connect(tokio_postgres::NoTls)
        .await
        .expect("connect to the failed script's database");
    tokio::spawn(connection);
    assert_eq!(
        count(&client, "select count(*) from pg_class where relname = 't'").await,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_test_dbs_created_concurrently() {
    let tasks: Vec<_> = (0..8_i32)
        .map(|i| {
            tokio::spawn(async move {
                let db = TestDb::with_sql(&format!(
                    "create table t(x int); insert into t values ({i});"
                ))
                .await;
                let x: i32 = db
                    .client
                    .query_one("select x from t", &[])
                    .await
                    .expect("select x")
                    .get(0);
                assert_eq!(x, i);
                db.name
            })
        })
        .collect();
    let mut names = BTreeSet::new();
    for task in tasks {
        names.insert(task.await.expect("task"));
    }
    assert_eq!(names.len(), 8, "{names:?}");
}

#[tokio::test]
async fn a_second_connection_sees_committed_data_only() {
    let mut db = TestDb::with_sql("create table t(x int)").await;
    let other = db.connect_again().await;
    let in_progress = db.client.transaction().await.expect("begin");
    in_progress
        .execute("insert into t values (1)", &[])
        .await
        .expect("insert");
    assert_eq!(count(&other, "select count(*) from t").await, 0);
    in_progress.commit().await.expect("commit");
    assert_eq!(count(&other, "select count(*) from t").await, 1);
    assert_ne!(
        count(&db.client, "select pg_backend_pid()::bigint").await,
        count(&other, "select pg_backend_pid()::bigint").await
    );
}

#[tokio::test]
async fn db_error_message_shows_sqlstate_detail_and_hint() {
    let db = TestDb::with_sql("create table t(x int primary key); insert into t values (1);").await;
    let e = db
        .client
        .batch_execute("insert into t values (1)")
        .await
        .expect_err("duplicate key");
    let message = db_error_message(&e);
    assert!(
        message.starts_with("ERROR 23505: duplicate key value"),
        "{message}"
    );
    assert!(
        message.contains("\nDETAIL: Key (x)=(1) already exists."),
        "{message}"
    );

    let e = db
        .client
        .batch_execute("select no_such_function(1)")
        .await
        .expect_err("unknown function");
    let message = db_error_message(&e);
    assert!(message.starts_with("ERROR 42883:"), "{message}");
    assert!(message.contains("\nHINT: No function matches"), "{message}");
    assert!(message.contains("\nPOSITION: character 8"), "{message}");
}

#[derive(Debug)]
struct Wrapper(tokio_postgres::Error);

impl std::fmt::Display for Wrapper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("migration V1__init failed")
    }
}

impl std::error::Error for Wrapper {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[tokio::test]
async fn error_chain_message_finds_the_server_error() {
    let db = TestDb::new().await;
    let e = db
        .client
        .batch_execute("select * from missing")
        .await
        .expect_err("missing table");
    let message = error_chain_message(&Wrapper(e));
    assert!(
        message.starts_with(
            "migration V1__init failed: ERROR 42P01: relation \"missing\" does not exist"
        ),
        "{message}"
    );
}

#[tokio::test]
async fn connection_errors_are_results_with_their_cause() {
    // Port 1 on 127.0.0.1: nothing listens there.
    let e = connect("postgresql://strata@127.0.0.1:1/postgres")
        .await
        .expect_err("nothing listens on port 1");
    let message = db_error_message(&e);
    assert!(message.contains("error connecting to server"), "{message}");
    assert!(message.contains("refused"), "{message}");
}

#[tokio::test]
async fn server_url_accepts_connections() {
    let client = connect(&server_url())
        .await
        .expect("connect to server_url()");
    assert_eq!(count(&client, "select 1::bigint").await, 1);
}

#[tokio::test]
async fn drop_database_removes_it_even_with_open_connections() {
    let db = TestDb::new().await;
    let name = db.name.clone();
    let _still_open = db.connect_again().await;
    db.drop_database().await;
    let admin = connect(&server_url())
        .await
        .expect("connect to server_url()");
    let left = admin
        .query_one(
            "select count(*) from pg_database where datname = $1",
            &[&name],
        )
        .await
        .expect("query pg_database")
        .get::<_, i64>(0);
    assert_eq!(left, 0);
}
