//! What can go wrong while applying migrations, with the server's full error.
//!
//! Refinery's `Display` shows a server error as ``error applying migration V3__x`, `db error``;
//! the SQLSTATE, message and detail are only in its `source()` chain. [`MigrateError`] puts them
//! in its own message instead, and so has no `source()` of its own: printers that walk the chain
//! (`anyhow`'s `{:#}`) would otherwise repeat them.

use std::error::Error;
use std::fmt;
use std::time::Duration;

use tokio_postgres::error::DbError;

use crate::error::{db_error_message, error_chain_message, script_error_message};

/// A server (or connection) error, rendered in full.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerError {
    /// The SQLSTATE (`23505`), when the server sent an error.
    pub sqlstate: Option<String>,
    /// `ERROR 23505: message`, then the `DETAIL`, `HINT`, `POSITION` and `WHERE` lines; for an
    /// error that did not come from the server (closed connection, …), its message.
    pub message: String,
}

impl ServerError {
    pub(crate) fn from_pg(e: &tokio_postgres::Error) -> ServerError {
        ServerError {
            sqlstate: sqlstate(e),
            message: db_error_message(e),
        }
    }

    /// Like [`ServerError::from_pg`], plus the line of `sql` the error position points at.
    pub(crate) fn from_pg_in(e: &tokio_postgres::Error, sql: &str) -> ServerError {
        ServerError {
            sqlstate: sqlstate(e),
            message: script_error_message(e, sql),
        }
    }

    /// Finds the tokio-postgres error in `e`'s `source()` chain (refinery wraps it).
    pub(crate) fn from_chain(e: &(dyn Error + 'static), sql: Option<&str>) -> ServerError {
        let mut current = Some(e);
        while let Some(err) = current {
            if let Some(pg) = err.downcast_ref::<tokio_postgres::Error>() {
                return match sql {
                    Some(sql) => ServerError::from_pg_in(pg, sql),
                    None => ServerError::from_pg(pg),
                };
            }
            current = err.source();
        }
        ServerError {
            sqlstate: None,
            message: error_chain_message(e),
        }
    }
}

fn sqlstate(e: &tokio_postgres::Error) -> Option<String> {
    e.as_db_error()
        .map(DbError::code)
        .map(|c| c.code().to_string())
}

impl fmt::Display for ServerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl FailedStatement {
    pub(crate) fn new(index: usize, count: usize, line: usize, headline: String) -> Self {
        FailedStatement {
            index,
            count,
            line,
            headline,
        }
    }
}

/// The statement of a migration that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailedStatement {
    /// 1-based.
    pub index: usize,
    pub count: usize,
    /// The 1-based line of the file where it starts.
    pub line: usize,
    /// Its first line of SQL.
    pub headline: String,
}

/// Why [`migrate`](crate::migrate::migrate) stopped. Its message is complete: it includes the
/// server's SQLSTATE, message and detail, the migration and the statement.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// Another runner held the migration lock for longer than the wait allowed.
    #[error(
        "gave up after {} waiting for the migration lock (PostgreSQL advisory lock {key} in database \
         `{database}`): {}. Wait for that run to finish and try again; if it is stuck, end its session \
         with `SELECT pg_terminate_backend(<pid>)`; or allow a longer wait (`MigrateOptions::lock_wait`, \
         `cargo xtask migrate --lock-wait <seconds>`)",
        seconds(*waited),
        holder.as_deref().unwrap_or("another session holds it (it was released just as we gave up, try again)")
    )]
    LockTimeout {
        key: i64,
        database: String,
        waited: Duration,
        holder: Option<String>,
    },

    /// Taking or releasing the advisory lock failed (usually a broken connection).
    #[error("cannot {action} the migration lock (PostgreSQL advisory lock {key}): {server}")]
    Lock {
        action: &'static str,
        key: i64,
        server: ServerError,
    },

    /// An applied migration's file was edited or renamed since (refinery's checksum differs).
    #[error(
        "migration {file} differs from the migration {applied} this database applied (refinery's checksum \
         covers the name and the exact text): an applied migration must never change. Restore the file as \
         it was applied (`git log -p -- <file>`) and put the change in a new migration (or, if this \
         database is not the one these migrations are for, point at the right one)"
    )]
    Divergent {
        version: u32,
        applied: String,
        file: String,
    },

    /// The database applied a migration that is not in the set (deleted or renamed file, or a
    /// database ahead of this code).
    #[error(
        "this database applied migration {applied}, which is not among the migrations given: it was deleted \
         or renamed, or the database was migrated by newer code. Restore the file from version control, or \
         run the code that matches this database"
    )]
    Missing { version: u32, applied: String },

    /// A migration older than the newest applied one was never applied (added out of order).
    #[error(
        "{file} was never applied to this database, but a later migration was: it was added out of order \
         (e.g. on a branch merged after a later migration was applied), and refinery will not apply it. Give \
         it a version after the newest applied migration"
    )]
    OutOfOrder { version: u32, file: String },

    /// Creating or reading refinery's history table failed.
    #[error(
        "cannot create or read the history table refinery_schema_history (refinery: {context}): {server}"
    )]
    History {
        context: String,
        server: ServerError,
    },

    /// A migration failed.
    #[error("{}", failed_message(file, *transactional, statement.as_ref(), server, applied_before))]
    Failed {
        version: u32,
        file: String,
        transactional: bool,
        /// The statement that failed, where it could be found.
        statement: Option<FailedStatement>,
        server: ServerError,
        /// What this run applied before it (and kept).
        applied_before: Vec<String>,
    },

    /// A non-transactional migration's statements ran, but recording it in the history failed.
    #[error(
        "the statements of {file} ran, but recording it in refinery_schema_history failed: {server}. Run \
         migrate again: it runs the migration's idempotent statements again and records it"
    )]
    Record {
        version: u32,
        file: String,
        server: ServerError,
    },

    /// Something applied a migration while this run held the lock.
    #[error(
        "{file} was applied by someone else while this run held the migration lock: something migrates this \
         database without Strata's lock (refinery's own runner?). Migrate only with Strata's runner"
    )]
    Concurrent { version: u32, file: String },

    /// Any other refinery error.
    #[error("refinery: {0}")]
    Refinery(String),

    /// The migrations themselves could not be read (a bad file name, a duplicate version).
    #[error("the migrations could not be read: {0}")]
    Load(super::LoadError),
}

impl MigrateError {
    /// The SQLSTATE of the server error behind this one, if any.
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            MigrateError::Lock { server, .. }
            | MigrateError::History { server, .. }
            | MigrateError::Failed { server, .. }
            | MigrateError::Record { server, .. } => server.sqlstate.as_deref(),
            _ => None,
        }
    }
}

impl From<super::LoadError> for MigrateError {
    fn from(e: super::LoadError) -> Self {
        MigrateError::Load(e)
    }
}

fn seconds(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

pub(crate) fn elapsed(d: Duration) -> String {
    seconds(d)
}

fn failed_message(
    file: &str,
    transactional: bool,
    statement: Option<&FailedStatement>,
    server: &ServerError,
    applied_before: &[String],
) -> String {
    let at = statement.map_or(String::new(), |s| {
        format!(
            " at statement {} of {} (line {}): {}",
            s.index, s.count, s.line, s.headline
        )
    });
    let mut out = if transactional {
        format!(
            "migration {file} failed{at} and was rolled back (nothing of it was kept):\n{server}"
        )
    } else {
        format!(
            "non-transactional migration {file} failed{at}\n{server}\nIts statements before this one stay \
             applied and the migration is not recorded: fix the cause and run migrate again, which runs it \
             again from its first statement (its statements are idempotent; an INVALID index left by a failed \
             concurrent build is dropped and built again)"
        )
    };
    match applied_before {
        [] => {}
        [one] => out.push_str(&format!(
            "\n(this run applied {one} before it, which stays applied)"
        )),
        many => out.push_str(&format!(
            "\n(this run applied {} before it, which stay applied)",
            many.join(", ")
        )),
    }
    out
}
