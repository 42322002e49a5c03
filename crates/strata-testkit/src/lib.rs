//! Strata's PostgreSQL test harness (`strata-testkit`): a fresh database per test on a real server, like
//! `#[sqlx::test]` for sqlx users.
//!
//! ```no_run
//! #[tokio::test]
//! async fn counts_rows() {
//!     let db = strata_testkit::TestDb::with_sql("create table t(x int); insert into t values (1), (2);").await;
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
//! (re-exported as [`tokio_postgres`]) without TLS, opened with [`strata_pg::connect`], whose
//! connection tasks run on the test's tokio runtime.
//!
//! # Migrated databases
//!
//! [`TestDb::migrated`] gives a fresh database with a set of refinery migrations applied (by
//! [`strata_pg::migrate()`], default options), the way `#[sqlx::test(migrations = "…")]` does.
//! The migrations are read once, from a directory ([`Migrations::from_dir`]) or from texts the
//! crate embeds ([`Migrations::from_embedded`]), so the test binary does not depend on the
//! working directory:
//!
//! ```no_run
//! use std::sync::LazyLock;
//! use strata_testkit::{Migrations, TestDb};
//!
//! // In a real crate: ("V1__initial.sql", include_str!("../migrations/V1__initial.sql")), …
//! static MIGRATIONS: LazyLock<Migrations> = LazyLock::new(|| {
//!     Migrations::from_embedded(&[
//!         ("V1__initial.sql", "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);\n"),
//!         ("V2__add_email.sql", "ALTER TABLE users ADD COLUMN email text;\n"),
//!     ])
//!     .expect("valid migrations")
//! });
//!
//! #[tokio::test]
//! async fn stores_users() {
//!     let db = TestDb::migrated(&MIGRATIONS).await;
//!     db.client
//!         .execute("INSERT INTO users (id, name, email) VALUES (1, 'ann', 'ann@example.com')", &[])
//!         .await
//!         .unwrap();
//! }
//! ```
//!
//! # Errors
//!
//! The harness's panics include the server's SQLSTATE, message, detail and hint
//! ([`db_error_message`]).
//!
//! This crate is for tests only (`publish = false`, a dev-dependency): the runtime an
//! application links is `strata-pg`.

mod binaries;
mod cluster;
mod run_as;
mod server;
mod testdb;
mod watchdog;

pub use server::server_url;
pub use strata_pg::{Migrations, connect, db_error_message, error_chain_message, tokio_postgres};
pub use testdb::TestDb;
