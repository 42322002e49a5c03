//! The session-level advisory lock that serialises concurrent runners on one database.
//!
//! Advisory locks belong to a database, so one key serves every database of a server. A
//! session-level lock outlives the transactions refinery opens and closes on the same
//! connection, and the server drops it if the connection dies.

use std::time::{Duration, Instant};

use tokio_postgres::Client;

use super::error::{MigrateError, ServerError};

/// Polls `pg_try_advisory_lock(key)` until it succeeds or `wait` has passed; returns how long
/// it waited (zero when the lock was free).
pub(crate) async fn acquire(
    client: &Client,
    key: i64,
    wait: Duration,
) -> Result<Duration, MigrateError> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(10);
    let mut first = true;
    loop {
        let row = client
            .query_one("SELECT pg_catalog.pg_try_advisory_lock($1)", &[&key])
            .await
            .map_err(|e| lock_error("take", key, &e))?;
        if row.get::<_, bool>(0) {
            return Ok(if first {
                Duration::ZERO
            } else {
                start.elapsed()
            });
        }
        first = false;
        let waited = start.elapsed();
        if waited >= wait {
            return Err(MigrateError::LockTimeout {
                key,
                database: current_database(client).await,
                waited,
                holder: holder(client, key).await,
            });
        }
        tokio::time::sleep(pause.min(wait - waited)).await;
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

pub(crate) async fn release(client: &Client, key: i64) -> Result<(), MigrateError> {
    client
        .query_one("SELECT pg_catalog.pg_advisory_unlock($1)", &[&key])
        .await
        .map(drop)
        .map_err(|e| lock_error("release", key, &e))
}

fn lock_error(action: &'static str, key: i64, e: &tokio_postgres::Error) -> MigrateError {
    MigrateError::Lock {
        action,
        key,
        server: ServerError::from_pg(e),
    }
}

async fn current_database(client: &Client) -> String {
    match client
        .query_one("SELECT pg_catalog.current_database()::text", &[])
        .await
    {
        Ok(row) => row.get(0),
        Err(_) => "?".into(),
    }
}

/// Who holds the lock, for the timeout message. In `pg_locks`, a lock on a bigint key shows its
/// high half as `classid`, its low half as `objid`, and `objsubid = 1`.
async fn holder(client: &Client, key: i64) -> Option<String> {
    let bits = key as u64;
    let (high, low) = ((bits >> 32) as i64, (bits & 0xffff_ffff) as i64);
    let row = client
        .query_opt(
            "SELECT a.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'a local socket'), \
                    date_trunc('second', now() - a.backend_start)::text, coalesce(a.state, '?'), \
                    coalesce(left(a.query, 200), '') \
             FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
               AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) \
               AND l.classid::int8 = $1 AND l.objid::int8 = $2 \
             LIMIT 1",
            &[&high, &low],
        )
        .await
        .ok()??;
    let (pid, app, from, age, state, query): (i32, String, String, String, String, String) = (
        row.get(0),
        row.get(1),
        row.get(2),
        row.get(3),
        row.get(4),
        row.get(5),
    );
    let app = if app.is_empty() {
        String::new()
    } else {
        format!("application `{app}`, ")
    };
    Some(format!(
        "session pid {pid} holds it ({app}from {from}, connected for {age}, state `{state}`, last query `{query}`)"
    ))
}
