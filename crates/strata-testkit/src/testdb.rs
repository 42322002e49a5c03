//! A fresh database per test, and connecting to it.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use strata_pg::{connect, db_error_message, script_error_message};
use tokio_postgres::Client;
use tokio_postgres::error::SqlState;

use crate::server::{Server, server_async};

/// Numbers the databases of this process; the pid in the name separates processes.
static NEXT_DATABASE: AtomicU64 = AtomicU64::new(1);

/// A fresh, empty database on the test server, and a client connected to it.
///
/// Databases are not dropped one by one: on the throwaway cluster they go away with it when
/// the test process ends. On an external server (`STRATA_TEST_DATABASE_URL` /
/// `DATABASE_URL`) they are kept, so a failed test's data can be inspected; call
/// [`TestDb::drop_database`] at the end of a test to remove one, or drop the
/// `strata_test_*` databases with the server.
#[non_exhaustive]
pub struct TestDb {
    /// The database's name, `strata_test_<n>_<pid>`.
    pub name: String,
    /// A connection URL for the database (see [`crate::server_url`] for its form).
    pub url: String,
    /// A client connected to the database; its connection task runs on the test's runtime.
    pub client: Client,
}

impl fmt::Debug for TestDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestDb")
            .field("name", &self.name)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl TestDb {
    /// Creates a uniquely named database (`CREATE DATABASE strata_test_<n>_<pid> TEMPLATE
    /// template0`) and connects to it. Starts the cluster first if this is the process's
    /// first test database.
    ///
    /// # Panics
    ///
    /// With the cause, if there is no server (for instance, no PostgreSQL binaries installed)
    /// or the database cannot be created or connected to. Call it inside a tokio runtime.
    pub async fn new() -> TestDb {
        let server = server_async().await;
        let name = create_database(server).await;
        let url = server.database_url(&name);
        let client = connect(&url).await.unwrap_or_else(|e| {
            panic!(
                "strata-pg: could not connect to test database {name} at {url}: {}",
                db_error_message(&e)
            )
        });
        TestDb { name, url, client }
    }

    /// [`TestDb::new`], then runs `sql` (any number of statements) in one transaction.
    ///
    /// Statements that cannot run in a transaction block (`CREATE INDEX CONCURRENTLY`,
    /// `VACUUM`, …) fail with SQLSTATE 25001; run those on `client` yourself.
    ///
    /// # Panics
    ///
    /// If the script fails, with the server's SQLSTATE, message, detail, hint and the line the
    /// error position points at; nothing of the script is kept.
    pub async fn with_sql(sql: &str) -> TestDb {
        let mut db = TestDb::new().await;
        if let Err(e) = run_in_transaction(&mut db.client, sql).await {
            panic!(
                "strata-pg: TestDb::with_sql: the SQL script failed in database {}:\n{}",
                db.name,
                script_error_message(&e, sql)
            );
        }
        db
    }

    /// [`TestDb::new`], then applies `migrations` with [`strata_pg::migrate()`] (default options):
    /// a fresh database at the end of the migration history, as `#[sqlx::test(migrations =
    /// …)]` gives.
    ///
    /// ```no_run
    /// # async fn f() {
    /// let migrations = strata_pg::Migrations::from_dir("generated/freddy/migrations").unwrap();
    /// let db = strata_testkit::TestDb::migrated(&migrations).await;
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// If a migration fails, with the migration, the statement and the server's SQLSTATE,
    /// message and detail.
    pub async fn migrated(migrations: &strata_pg::Migrations) -> TestDb {
        let mut db = TestDb::new().await;
        let options = strata_pg::MigrateOptions::default();
        if let Err(e) = strata_pg::migrate(&mut db.client, migrations, &options).await {
            panic!(
                "strata-pg: TestDb::migrated: migrating database {} failed:\n{e}",
                db.name
            );
        }
        db
    }

    /// Opens another client to the same database (to test what other sessions see).
    ///
    /// # Panics
    ///
    /// If the connection fails, with the server's message.
    pub async fn connect_again(&self) -> Client {
        connect(&self.url).await.unwrap_or_else(|e| {
            panic!(
                "strata-pg: could not open a second connection to {}: {}",
                self.url,
                db_error_message(&e)
            )
        })
    }

    /// Drops the database (`DROP DATABASE … WITH (FORCE)`, PostgreSQL 13 or later),
    /// closing the clients still connected to it. Only worth it on an external server; the
    /// cluster's databases go away with the cluster.
    ///
    /// # Panics
    ///
    /// If the database cannot be dropped, with the server's message.
    pub async fn drop_database(self) {
        let TestDb { name, client, .. } = self;
        drop(client);
        let server = server_async().await;
        let admin = admin_client(server).await;
        if let Err(e) = admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
        {
            panic!(
                "strata-pg: could not drop test database {name}: {}",
                db_error_message(&e)
            );
        }
    }
}

async fn run_in_transaction(client: &mut Client, sql: &str) -> Result<(), tokio_postgres::Error> {
    let transaction = client.transaction().await?;
    transaction.batch_execute(sql).await?;
    transaction.commit().await
}

async fn admin_client(server: &Server) -> Client {
    let url = server.admin_url();
    connect(&url).await.unwrap_or_else(|e| {
        panic!(
            "strata-pg: could not connect to the test server at {url}: {}",
            db_error_message(&e)
        )
    })
}

/// Creates the next `strata_test_<n>_<pid>` database; skips names left over on an
/// external server by an earlier process with the same pid.
async fn create_database(server: &Server) -> String {
    let admin = admin_client(server).await;
    let pid = std::process::id();
    loop {
        let n = NEXT_DATABASE.fetch_add(1, Ordering::Relaxed);
        let name = format!("strata_test_{n}_{pid}");
        match admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0"))
            .await
        {
            Ok(()) => return name,
            Err(e) if e.code() == Some(&SqlState::DUPLICATE_DATABASE) => continue,
            Err(e) => panic!(
                "strata-pg: could not create test database {name}: {}",
                db_error_message(&e)
            ),
        }
    }
}
