//! `STRATA_TEST_DATABASE_URL` / `DATABASE_URL` point the harness at an existing server.
//!
//! This binary starts the harness's server, then re-runs itself as child processes whose
//! environment names that server: each child must create its databases there and start no
//! cluster of its own. (`harness = false`: the variables are read once per process, and
//! setting them in-process would need `unsafe`.)

use std::io::Read;
use std::process::{Command, Stdio};

use strata_testkit::{TestDb, connect, db_error_message, server_url};
use tokio_postgres::config::Host;

const CHILD_ENV: &str = "STRATA_PG_EXTERNAL_CHILD";
const TEST_NAME: &str = "test_databases_go_to_the_server_in_the_environment";
/// Nothing listens on port 1: a child that used this URL would fail.
const WRONG_URL: &str = "postgresql://nobody@127.0.0.1:1/nowhere";

fn main() {
    if let Ok(expected_url) = std::env::var(CHILD_ENV) {
        child(&expected_url);
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        if !args.iter().any(|a| a == "--ignored") {
            println!("{TEST_NAME}: test");
        }
        return;
    }
    let runtime = runtime();
    let url = server_url();
    let mut cases = vec![
        (
            "STRATA_TEST_DATABASE_URL wins",
            url.clone(),
            Some(url.clone()),
            Some(WRONG_URL.to_owned()),
        ),
        ("DATABASE_URL alone", url.clone(), None, Some(url.clone())),
    ];
    if let Some(key_value) = key_value_form(&url) {
        cases.push((
            "DATABASE_URL as key=value",
            key_value.clone(),
            None,
            Some(key_value),
        ));
    }
    for (case, expected, strata_url, database_url) in cases {
        let mut cmd = Command::new(std::env::current_exe().expect("current_exe"));
        cmd.env(CHILD_ENV, &expected)
            .env_remove("STRATA_TEST_DATABASE_URL")
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(v) = strata_url {
            cmd.env("STRATA_TEST_DATABASE_URL", v);
        }
        if let Some(v) = database_url {
            cmd.env("DATABASE_URL", v);
        }
        let mut child = cmd.spawn().expect("spawn child");
        let mut stdout = String::new();
        let mut stderr = String::new();
        child
            .stdout
            .take()
            .expect("stdout")
            .read_to_string(&mut stdout)
            .expect("read stdout");
        child
            .stderr
            .take()
            .expect("stderr")
            .read_to_string(&mut stderr)
            .expect("read stderr");
        let status = child.wait().expect("wait for child");
        assert!(
            status.success(),
            "{case}: child failed ({status}):\n{stdout}\n{stderr}"
        );
        let (kept, dropped) = stdout
            .trim()
            .strip_prefix("kept=")
            .and_then(|rest| rest.split_once(" dropped="))
            .unwrap_or_else(|| panic!("{case}: child reported {stdout:?}"));
        runtime.block_on(async {
            let admin = connect(&url).await.expect("connect to the server");
            let exists = |name: String| {
                let admin = &admin;
                async move {
                    admin
                        .query_one(
                            "select count(*) from pg_database where datname = $1",
                            &[&name],
                        )
                        .await
                        .unwrap_or_else(|e| panic!("{}", db_error_message(&e)))
                        .get::<_, i64>(0)
                        == 1
                }
            };
            assert!(
                exists(kept.to_owned()).await,
                "{case}: {kept} is not on the server"
            );
            assert!(
                !exists(dropped.to_owned()).await,
                "{case}: {dropped} was not dropped"
            );
            admin
                .batch_execute(&format!("drop database {kept}"))
                .await
                .unwrap_or_else(|e| panic!("{}", db_error_message(&e)));
        });
        println!("{case}: ok (child used the server, started no cluster)");
    }
    println!("test {TEST_NAME} ... ok");
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// `host=… port=… user=… dbname=…` for a URL with one TCP host.
fn key_value_form(url: &str) -> Option<String> {
    let config: tokio_postgres::Config = url.parse().ok()?;
    let host = match config.get_hosts() {
        [Host::Tcp(host)] => host.clone(),
        _ => return None,
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user()?;
    let dbname = config.get_dbname().unwrap_or("postgres");
    Some(format!(
        "host={host} port={port} user={user} dbname={dbname}"
    ))
}

fn child(expected_url: &str) {
    assert_eq!(
        server_url(),
        expected_url,
        "server_url() is not the URL from the environment"
    );
    let (kept, dropped) = runtime().block_on(async {
        let kept = TestDb::with_sql("create table t(x int)").await;
        let row = kept
            .client
            .query_one("select current_database()", &[])
            .await
            .expect("current_database()");
        assert_eq!(row.get::<_, String>(0), kept.name);
        let second = kept.connect_again().await;
        second
            .execute("insert into t values (1)", &[])
            .await
            .expect("insert");
        let dropped = TestDb::new().await;
        let dropped_name = dropped.name.clone();
        dropped.drop_database().await;
        (kept.name, dropped_name)
    });
    let own_clusters: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .expect("read temp dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(&format!("strata-pg-{}-", std::process::id())))
        .collect();
    assert!(
        own_clusters.is_empty(),
        "the child started a cluster: {own_clusters:?}"
    );
    println!("kept={kept} dropped={dropped}");
}
