//! Strata's PostgreSQL test harness: a fresh database per test on a real server, like
//! `#[sqlx::test]` for sqlx users.
//!
//! ```no_run
//! #[tokio::test]
//! async fn counts_rows() {
//!     let db = strata_pg::TestDb::with_sql("create table t(x int); insert into t values (1), (2);").await;
//!     let row = db.client.query_one("select count(*) from t", &[]).await.unwrap();
//!     assert_eq!(row.get::<_, i64>(0), 2);
//!
//!     // A second session sees only committed data.
//!     let other = db.connect_again().await;
//!     db.client.execute("insert into t values (3)", &[]).await.unwrap();
//!     let row = other.query_one("select count(*) from t", &[]).await.unwrap();
//!     assert_eq!(row.get::<_, i64>(0), 3);
//! }
//! ```
//!
//! # The server
//!
//! On the first [`TestDb`] (or [`server_url`]) of a test process, the harness starts a
//! throwaway cluster, which takes about a second:
//!
//! - It finds `initdb` and `pg_ctl` in the directory `STRATA_PG_BIN`, else on `PATH`, else in
//!   the highest `/usr/lib/postgresql/<version>/bin`. Without them every test fails with a
//!   message naming what to install (`apt-get install postgresql`): the harness never skips.
//! - Its data lives in a new directory `strata-pg-<pid>-<time>` under the temporary
//!   directory. It runs with `fsync` off, as superuser `strata` with `trust` authentication,
//!   listening on 127.0.0.1 on a free port. When the tests run as root, the server runs as
//!   the OS user `postgres` (or `STRATA_PG_USER`) via `runuser` (or `su`).
//! - A watchdog process stops the server and deletes the directory a fraction of a second
//!   after the test process ends, however it ends (success, failed tests, `abort`, `SIGKILL`).
//! - `STRATA_PG_VERBOSE=1` prints where the cluster is and how long it took to start.
//!
//! With `STRATA_TEST_DATABASE_URL` or else `DATABASE_URL` set, no cluster is started: test
//! databases are created on that server (the URL's user needs `CREATEDB`) and kept; see
//! [`TestDb`].
//!
//! Each [`TestDb`] is a new database `strata_test_<n>_<pid>` created from `template0`, so
//! tests running in parallel do not see each other. Clients are tokio-postgres 0.7 clients
//! (re-exported as [`tokio_postgres`]) without TLS, whose connection tasks run on the test's
//! tokio runtime.
//!
//! # Errors
//!
//! tokio-postgres shows a server error as `db error`; [`db_error_message`] and
//! [`error_chain_message`] render the SQLSTATE, message, detail and hint. The harness's own
//! panics include them.

mod binaries;
mod cluster;
mod error;
mod run_as;
mod server;
mod testdb;
mod watchdog;

pub use error::{db_error_message, error_chain_message};
pub use server::server_url;
pub use testdb::{TestDb, connect};
pub use tokio_postgres;
