//! Strata's DDL on a real PostgreSQL (a throwaway cluster started by strata-pg; never
//! skipped: without PostgreSQL these tests fail and say what to install).

mod behaviour;
mod hostile;
mod quoting;
mod seeds;

use strata_pg::db_error_message;
use strata_pg::tokio_postgres::error::SqlState;
use strata_pg::tokio_postgres::{Client, Row};
use strata_testkit::TestDb;

/// A fresh database holding `schema`'s DDL as rendered now.
async fn database_for(schema: &strata::Schema) -> TestDb {
    TestDb::with_sql(&strata::render::sql::schema_sql(schema)).await
}

/// Runs one statement that must succeed.
async fn exec(client: &Client, sql: &str) -> u64 {
    client
        .execute(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}\nfailed: {}", db_error_message(&e)))
}

/// Runs one query that must return exactly one row.
async fn one(client: &Client, sql: &str) -> Row {
    client
        .query_one(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}\nfailed: {}", db_error_message(&e)))
}

/// Runs one statement that must fail with `state`; returns the server's message.
async fn refused(client: &Client, sql: &str, state: &SqlState) -> String {
    match client.execute(sql, &[]).await {
        Ok(n) => panic!(
            "{sql}\nsucceeded ({n} rows) but should fail with SQLSTATE {}",
            state.code()
        ),
        Err(e) => {
            assert_eq!(
                e.code(),
                Some(state),
                "{sql}\nfailed differently: {}",
                db_error_message(&e)
            );
            db_error_message(&e)
        }
    }
}
