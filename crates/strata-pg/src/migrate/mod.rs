//! Applying refinery migrations safely: one runner at a time, and migrations that cannot run in
//! a transaction.
//!
//! ```no_run
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! use strata_pg::{MigrateOptions, Migrations, migrate};
//!
//! let migrations = Migrations::from_dir("generated/freddy/migrations")?;
//! let mut client = strata_pg::connect("postgresql://app@localhost/freddy").await?;
//! let report = migrate(&mut client, &migrations, &MigrateOptions::default()).await?;
//! println!("{report}"); // applied V3__add_bots (41 ms); 2 already applied
//! # Ok(()) }
//! ```
//!
//! Migrations are refinery's `V<n>__<name>.sql` files, as `cargo xtask codegen` writes them to
//! `generated/<db>/migrations/`; [`Migrations::from_embedded`] takes them from `include_str!`.
//! The history is refinery's own table, `refinery_schema_history`, with refinery's checksums, so
//! a database migrated here and one migrated by refinery's `embed_migrations!` agree.
//!
//! # The lock
//!
//! Refinery takes no lock: two runners starting together on an empty database both see no
//! history, both apply the first migration, and all but one fail half-way (`relation already
//! exists`). [`migrate`] first takes a session-level PostgreSQL advisory lock
//! ([`DEFAULT_LOCK_KEY`]) on the client's connection, polling `pg_try_advisory_lock` for at most
//! [`MigrateOptions::lock_wait`] (60 s by default; the timeout error names the session holding
//! the lock), then reads the history while holding it, applies what is pending and releases the
//! lock, on error too. Every runner that starts while another holds the lock waits for it, then
//! finds the migrations applied and applies nothing. If the future is dropped half-way, the lock
//! stays with the session until the connection closes.
//!
//! # Non-transactional migrations
//!
//! Refinery runs every migration inside a transaction, where `CREATE INDEX CONCURRENTLY` fails
//! (SQLSTATE 25001; rust-db/refinery#277, open), and where a value added by `ALTER TYPE … ADD
//! VALUE` cannot be used before the commit. Strata's planner puts such steps in migrations of
//! their own that carry `-- strata:non-transactional` in their leading comments and
//! `-- strata:statement` before each statement (see `strata::history`). For those, [`migrate`]:
//!
//! 1. runs each statement on its own (one `batch_execute` each: a multi-statement simple query
//!    would be an implicit transaction), outside any transaction, splitting the text only at
//!    the `-- strata:statement` lines — it never parses SQL to find statement ends;
//! 2. before a `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS <name>`, drops an index of that
//!    name that `pg_index.indisvalid` shows INVALID (left by a failed concurrent build, which
//!    `IF NOT EXISTS` would otherwise take as done), with `DROP INDEX CONCURRENTLY IF EXISTS`;
//! 3. runs `RESET lock_timeout` afterwards and puts back the session's `search_path` (the
//!    migration sets both for the session), on failure too;
//! 4. records the migration in refinery's history with `Target::FakeVersion(v)`, which writes
//!    refinery's checksum of the file's text without running it, so later runs see it as
//!    applied and unchanged.
//!
//! A failure part-way leaves the earlier statements applied and the migration unrecorded; the
//! next run executes it again from the start, which is why its statements must be idempotent.
//! Transactional migrations go through refinery's runner unchanged (`Target::Version(v)`, one
//! migration per transaction), with its checks for edited ("divergent") and deleted ("missing")
//! applied migrations on, made once under the lock before anything runs.
//!
//! This relies on refinery-core's behaviour in exactly 0.10.1 (the version is pinned), and the
//! tests in `tests/migrate_basic.rs` pin what it relies on.

mod error;
mod load;
mod lock;
mod non_transactional;

use std::collections::BTreeSet;
use std::fmt;
use std::time::{Duration, Instant};

use refinery::error::Kind;
use refinery::{Runner, Target};
use tokio_postgres::Client;

pub use error::{FailedStatement, MigrateError, ServerError};
pub use load::{LoadError, LoadProblem, Migration, Migrations};

/// The advisory lock key [`migrate`] takes unless told otherwise: the bytes `STRATAMG`.
/// Refinery's migration history table, which [`migrate`] keeps. Introspection leaves it out of
/// the model: it is the runner's bookkeeping, not part of any schema.
pub const HISTORY_TABLE: &str = "refinery_schema_history";

pub const DEFAULT_LOCK_KEY: i64 = i64::from_be_bytes(*b"STRATAMG");

/// Settings of [`migrate`], as a builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateOptions {
    lock_wait: Duration,
    lock_key: i64,
}

impl Default for MigrateOptions {
    fn default() -> Self {
        MigrateOptions {
            lock_wait: Duration::from_secs(60),
            lock_key: DEFAULT_LOCK_KEY,
        }
    }
}

impl MigrateOptions {
    /// How long to wait for another runner's lock before giving up (default 60 s).
    pub fn lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    /// The advisory lock key (default [`DEFAULT_LOCK_KEY`]). Every runner of one database must
    /// use the same key.
    pub fn lock_key(mut self, key: i64) -> Self {
        self.lock_key = key;
        self
    }
}

/// What a [`migrate`] run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// The migrations this run applied, in order.
    pub applied: Vec<Applied>,
    /// The versions the database had already applied.
    pub already_applied: Vec<u32>,
    /// How long this run waited for another runner's lock (zero if the lock was free).
    pub lock_wait: Duration,
}

/// One migration a run applied.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Applied {
    pub version: u32,
    pub name: String,
    pub transactional: bool,
    pub elapsed: Duration,
}

impl Report {
    /// The versions this run applied.
    pub fn applied_versions(&self) -> Vec<u32> {
        self.applied.iter().map(|a| a.version).collect()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let already = match self.already_applied.len() {
            0 => String::new(),
            1 => "1 already applied".into(),
            n => format!("{n} already applied"),
        };
        let waited = if self.lock_wait.is_zero() {
            String::new()
        } else {
            format!(
                ", after waiting {} for another run's migration lock",
                error::elapsed(self.lock_wait)
            )
        };
        if self.applied.is_empty() {
            return if already.is_empty() {
                write!(f, "no migrations{waited}")
            } else {
                write!(f, "up to date ({already}{waited})")
            };
        }
        let applied: Vec<String> = self
            .applied
            .iter()
            .map(|a| {
                let how = if a.transactional {
                    ""
                } else {
                    "non-transactional, "
                };
                format!(
                    "V{}__{} ({how}{})",
                    a.version,
                    a.name,
                    error::elapsed(a.elapsed)
                )
            })
            .collect();
        write!(f, "applied {}", applied.join(", "))?;
        if !already.is_empty() {
            write!(f, "; {already}")?;
        }
        f.write_str(&waited)
    }
}

/// Applies the pending `migrations` to the database of `client`, one runner at a time (see the
/// [module documentation](self)).
///
/// # Errors
///
/// [`MigrateError`], whose message includes the server's SQLSTATE, message and detail, and
/// names the migration and, for a non-transactional one, the statement that failed.
pub async fn migrate(
    client: &mut Client,
    migrations: &Migrations,
    options: &MigrateOptions,
) -> Result<Report, MigrateError> {
    let waited = lock::acquire(client, options.lock_key, options.lock_wait).await?;
    let result = apply(client, migrations).await;
    let released = lock::release(client, options.lock_key).await;
    let mut report = result?;
    released?;
    report.lock_wait = waited;
    Ok(report)
}

/// Where one migration stands in a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationState {
    /// Applied, with the same checksum as the file.
    Applied { applied_on: String },
    /// Not applied yet.
    Pending,
    /// Applied, but the file changed since (its checksum differs from the recorded one).
    Edited { recorded: String, file: String },
}

/// The migrations of a database next to a set of files: see [`status`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// Each file's version, file name, checksum and state, in version order.
    pub files: Vec<(u32, String, u64, MigrationState)>,
    /// Recorded as applied, with no file (version and name as recorded).
    pub missing: Vec<(u32, String)>,
    /// Whether the history table exists at all.
    pub has_history: bool,
}

impl Status {
    /// Whether anything is pending, edited or missing.
    pub fn needs_attention(&self) -> bool {
        !self.missing.is_empty()
            || self
                .files
                .iter()
                .any(|(.., s)| !matches!(s, MigrationState::Applied { .. }))
    }
}

/// Reads the history table (without taking the lock or changing anything) and pairs it with
/// `migrations`: applied, pending, edited and missing migrations, with refinery's checksums.
pub async fn status(client: &Client, migrations: &Migrations) -> Result<Status, MigrateError> {
    let history_err = |e: tokio_postgres::Error| MigrateError::History {
        context: "reading the history".into(),
        server: ServerError::from_pg(&e),
    };
    let exists: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&HISTORY_TABLE])
        .await
        .map_err(history_err)?
        .get(0);
    let mut recorded: Vec<(i32, String, String, String)> = Vec::new();
    if exists {
        recorded = client
            .query(
                "SELECT version, name, coalesce(applied_on, ''), coalesce(checksum, '') FROM refinery_schema_history ORDER BY version",
                &[],
            )
            .await
            .map_err(history_err)?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
    }
    let mut out = Status {
        has_history: exists,
        ..Status::default()
    };
    for m in migrations {
        let state = match recorded
            .iter()
            .find(|r| i64::from(r.0) == i64::from(m.version))
        {
            None => MigrationState::Pending,
            Some((_, _, on, sum)) if *sum == m.checksum().to_string() => MigrationState::Applied {
                applied_on: on.clone(),
            },
            Some((_, _, _, sum)) => MigrationState::Edited {
                recorded: sum.clone(),
                file: m.checksum().to_string(),
            },
        };
        out.files
            .push((m.version, m.file_name().to_string(), m.checksum(), state));
    }
    for (v, name, ..) in &recorded {
        let v = u32::try_from(*v).unwrap_or(0);
        if migrations.get(v).is_none() {
            out.missing.push((v, name.clone()));
        }
    }
    Ok(out)
}

/// Records `migrations` up to and including `version` as applied without running them, for a
/// database that already holds their result (an existing production database adopted with
/// `strata import`). Refused when the database has applied migrations already. The caller
/// checks first that the catalog equals the schema at `version` (`strata baseline` does).
pub async fn baseline(
    client: &mut Client,
    migrations: &Migrations,
    version: u32,
    options: &MigrateOptions,
) -> Result<(), MigrateError> {
    lock::acquire(client, options.lock_key, options.lock_wait).await?;
    let result = async {
        let current = status(client, migrations).await?;
        if current.files.iter().any(|(.., s)| !matches!(s, MigrationState::Pending)) || !current.missing.is_empty() {
            return Err(MigrateError::Refinery(format!(
                "{HISTORY_TABLE} already records applied migrations; a baseline is only for a database that has none"
            )));
        }
        let all = migrations.up_to(version).refinery();
        let table = history_table(client).await?;
        named(Runner::new(&all), &table)
            .set_target(Target::FakeVersion(refinery_version(version)))
            .run_async(client)
            .await
            .map_err(|e| from_refinery(&e, migrations, During::Check))?;
        Ok(())
    }
    .await;
    let released = lock::release(client, options.lock_key).await;
    result?;
    released
}

/// The history table's name, schema-qualified (`public.refinery_schema_history`): the table
/// of that name the session's `search_path` reaches, or, before it exists, the same name in the
/// schema where refinery's `CREATE TABLE` would put it (the path's first schema). Refinery is
/// given this name, so that a migration's own `SET LOCAL search_path = public` cannot send
/// refinery's `INSERT` of that migration to another table.
async fn history_table(client: &Client) -> Result<String, MigrateError> {
    let row = client
        .query_one(
            "SELECT coalesce(
                 (SELECT pg_catalog.format('%I.%I', n.nspname, c.relname)
                    FROM pg_catalog.pg_class c
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.oid = pg_catalog.to_regclass($1)),
                 pg_catalog.format('%I.%I', coalesce(pg_catalog.current_schema(), 'public'), $1))",
            &[&HISTORY_TABLE],
        )
        .await
        .map_err(|e| MigrateError::History {
            context: "finding the history table under the session's search_path".into(),
            server: ServerError::from_pg(&e),
        })?;
    Ok(row.get(0))
}

/// `runner` with the history table named by [`history_table`].
fn named(mut runner: Runner, table: &str) -> Runner {
    runner.set_migration_table_name(table);
    runner
}

/// Applies the pending migrations; the caller holds the lock.
async fn apply(client: &mut Client, migrations: &Migrations) -> Result<Report, MigrateError> {
    let all = migrations.refinery();
    let table = history_table(client).await?;
    // Version 0 applies nothing (versions start at 1) but makes refinery create its table, read
    // the history and run its divergent and missing checks, before anything runs.
    named(Runner::new(&all), &table)
        .set_abort_divergent(true)
        .set_abort_missing(true)
        .set_target(Target::Version(0))
        .run_async(client)
        .await
        .map_err(|e| from_refinery(&e, migrations, During::Check))?;
    let applied: BTreeSet<i64> = named(Runner::new(&all), &table)
        .get_applied_migrations_async(client)
        .await
        .map_err(|e| from_refinery(&e, migrations, During::Check))?
        .iter()
        .map(|m| i64::from(m.version()))
        .collect();

    let mut report = Report::default();
    for migration in migrations {
        if applied.contains(&i64::from(migration.version)) {
            report.already_applied.push(migration.version);
            continue;
        }
        let start = Instant::now();
        let version = refinery_version(migration.version);
        let before: Vec<String> = report
            .applied
            .iter()
            .map(|a| format!("V{}__{}", a.version, a.name))
            .collect();
        if migration.transactional {
            let done = match named(Runner::new(&all), &table)
                .set_target(Target::Version(version))
                .run_async(client)
                .await
            {
                Ok(done) => done,
                Err(e) => {
                    let mut err = from_refinery(&e, migrations, During::Apply(migration, &before));
                    if let MigrateError::Failed { statement, .. } = &mut err {
                        *statement = locate_failure(client, migration).await;
                    }
                    return Err(err);
                }
            };
            if !done
                .applied_migrations()
                .iter()
                .any(|m| m.version() == version)
            {
                return Err(MigrateError::Concurrent {
                    version: migration.version,
                    file: migration.file_name().to_string(),
                });
            }
        } else {
            non_transactional::run(client, migration, &before).await?;
            named(Runner::new(&all), &table)
                .set_target(Target::FakeVersion(version))
                .run_async(client)
                .await
                .map_err(|e| from_refinery(&e, migrations, During::Record(migration)))?;
        }
        report.applied.push(Applied {
            version: migration.version,
            name: migration.name.clone(),
            transactional: migration.transactional,
            elapsed: start.elapsed(),
        });
    }
    Ok(report)
}

/// Finds the statement of a failed transactional migration: refinery runs the file as one
/// script, and an error without a position (a constraint, a guard) does not say which statement
/// raised it. The statements are run again one by one inside a transaction that is always rolled
/// back, until one fails.
async fn locate_failure(client: &Client, migration: &Migration) -> Option<FailedStatement> {
    let parts = strata::fragment::split_script(&migration.sql);
    if parts.is_empty() || client.batch_execute("BEGIN").await.is_err() {
        return None;
    }
    let mut found = None;
    for (i, (offset, sql)) in parts.iter().enumerate() {
        if client.batch_execute(sql).await.is_err() {
            let (line, headline) = first_line(&migration.sql, *offset);
            found = Some(FailedStatement::new(i + 1, parts.len(), line, headline));
            break;
        }
    }
    let _ = client.batch_execute("ROLLBACK").await;
    found
}

/// The 1-based line and the text of the first line of SQL at or after `offset`.
fn first_line(sql: &str, offset: usize) -> (usize, String) {
    let mut line = sql[..offset].matches('\n').count() + 1;
    for l in sql[offset..].lines() {
        let t = l.trim();
        if !t.is_empty() && !t.starts_with("--") {
            let short: String = t.chars().take(120).collect();
            return (
                line,
                if short.len() < t.len() {
                    format!("{short}…")
                } else {
                    short
                },
            );
        }
        line += 1;
    }
    (line, String::new())
}

/// Versions are checked to fit refinery's `i32` when loaded.
fn refinery_version(version: u32) -> refinery::SchemaVersion {
    refinery::SchemaVersion::try_from(version).unwrap_or(refinery::SchemaVersion::MAX)
}

fn version_of(m: &refinery::Migration) -> u32 {
    u32::try_from(m.version()).unwrap_or(0)
}

/// What a refinery call was doing, to say what failed.
enum During<'a> {
    Check,
    Apply(&'a Migration, &'a [String]),
    Record(&'a Migration),
}

fn from_refinery(e: &refinery::Error, migrations: &Migrations, during: During<'_>) -> MigrateError {
    match e.kind() {
        Kind::DivergentVersion(applied, _) => {
            let version = version_of(applied);
            MigrateError::Divergent {
                version,
                applied: applied.to_string(),
                file: migrations
                    .get(version)
                    .map_or_else(|| applied.to_string(), |m| m.file_name().to_string()),
            }
        }
        Kind::MissingVersion(m) => {
            let version = version_of(m);
            // Refinery says "missing" both for an applied migration that is not in the set and
            // for one in the set that is older than the newest applied one but not applied.
            match migrations.get(version) {
                Some(ours) => MigrateError::OutOfOrder {
                    version,
                    file: ours.file_name().to_string(),
                },
                None => MigrateError::Missing {
                    version,
                    applied: m.to_string(),
                },
            }
        }
        Kind::Connection(context, _) => match during {
            // Refinery's message for a failure in the migration's own transaction.
            During::Apply(migration, before) if context.starts_with("error applying migration") => {
                MigrateError::Failed {
                    version: migration.version,
                    file: migration.file_name().to_string(),
                    transactional: true,
                    statement: None,
                    server: ServerError::from_chain(e, Some(&migration.sql)),
                    applied_before: before.to_vec(),
                }
            }
            During::Record(migration) => MigrateError::Record {
                version: migration.version,
                file: migration.file_name().to_string(),
                server: ServerError::from_chain(e, None),
            },
            _ => MigrateError::History {
                context: context.clone(),
                server: ServerError::from_chain(e, None),
            },
        },
        _ => MigrateError::Refinery(e.to_string()),
    }
}
