//! `cargo xtask drift`: does a live database hold what its schema declares?
//!
//! Loads `schemas/<db>`, introspects the database (`strata_pg::introspect`), and prints every
//! difference in schema terms (`strata::compare`), the migrations applied and pending according
//! to refinery's history table against `generated/<db>/history.yaml` and its migrations, and
//! the database objects the schema language cannot express. Exits 0 only when the database
//! matches: no difference, no pending or unknown migration. For CI against a staging database,
//! or a quick look at production.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use strata::Schema;
use strata::compare::{Difference, compare};
use strata::history;
use strata_pg::introspect::{IgnoredObject, Options, introspect};
use strata_pg::tokio_postgres::{self, Client};

const EXAMPLES: &str = "\
Examples:
  cargo xtask drift --database-url postgresql://app@staging-db/freddy --schema freddy
  cargo xtask drift --database-url 'host=/var/run/postgresql dbname=hexabot' --schema hexabot

Exit status: 0 when the database matches the schema and has no pending migration, 1 when it
differs, 2 when it could not be checked (no connection, a schema that does not load).";

/// Compare a live database with its schema: differences, migrations, unsupported objects.
#[derive(clap::Args, Debug)]
#[command(after_long_help = EXAMPLES)]
pub struct Args {
    /// The database to check: `postgresql://user:password@host:port/dbname` or `key=value`
    /// form (no TLS).
    #[arg(long, value_name = "URL")]
    database_url: String,
    /// The schema it should hold: `schemas/<DB>.yaml` or `schemas/<DB>/`. Required when there
    /// are several.
    #[arg(long, value_name = "DB")]
    schema: Option<String>,
    /// The PostgreSQL schema (namespace) to read.
    #[arg(long, value_name = "NAME", default_value = "public")]
    pg_schema: String,
}

use strata_pg::migrate::HISTORY_TABLE;

/// What `drift` found.
pub struct Report {
    pub differences: Vec<Difference>,
    pub migrations: MigrationStatus,
    pub ignored: Vec<IgnoredObject>,
}

impl Report {
    /// Whether the database holds exactly the declared schema at the newest migration.
    pub fn matches(&self) -> bool {
        self.differences.is_empty() && self.migrations.is_current()
    }
}

/// The migrations of the database according to refinery, next to the ones on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationStatus {
    /// No `refinery_schema_history` table: the database was not built by migrations.
    NoHistoryTable,
    Table {
        /// On disk and recorded as applied (file name, applied on).
        applied: Vec<(String, String)>,
        /// On disk, not applied.
        pending: Vec<String>,
        /// Recorded as applied, unknown on disk (version and name as recorded).
        unknown: Vec<String>,
        /// Same version, another name on disk (recorded, on disk).
        renamed: Vec<(String, String)>,
    },
}

impl MigrationStatus {
    fn is_current(&self) -> bool {
        match self {
            MigrationStatus::NoHistoryTable => true,
            MigrationStatus::Table {
                pending,
                unknown,
                renamed,
                ..
            } => pending.is_empty() && unknown.is_empty() && renamed.is_empty(),
        }
    }
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = crate::workspace::root();
    let declared = load_declared(&root, args.schema.as_deref())?;
    let disk = migrations_on_disk(&root, &declared.name)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    let report = runtime.block_on(async {
        let client = crate::database::connect(&args.database_url, "cargo xtask drift").await?;
        eprintln!(
            "reading the catalog and comparing it with schemas/{}…",
            declared.name
        );
        check(&client, &declared, &disk, &args.pg_schema).await
    });
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    print!(
        "{}",
        render(
            &report,
            &declared.name,
            &display_url(&args.database_url),
            &args.pg_schema
        )
    );
    Ok(if report.matches() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Introspects the database `client` is connected to and compares it with `declared` and its
/// migrations on disk (`(version, file name)`, sorted).
pub async fn check(
    client: &Client,
    declared: &Schema,
    disk: &[(u32, String)],
    pg_schema: &str,
) -> anyhow::Result<Report> {
    // One snapshot for the catalog and the history table.
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?;
    let result = async {
        let live = introspect(
            client,
            &Options::new().schema(pg_schema).name(declared.name.clone()),
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
        let recorded = history_rows(client).await?;
        Ok::<_, anyhow::Error>((live, recorded))
    }
    .await;
    client.batch_execute("ROLLBACK").await?;
    let (mut live, recorded) = result?;
    // The cluster's roles the schema declares, so drift reports only missing or different ones.
    live.expected_roles(declared);
    Ok(Report {
        differences: compare(declared, &live.schema),
        migrations: migration_status(disk, recorded),
        ignored: live.ignored,
    })
}

/// The rows of refinery's history table (version, name, applied_on), or `None` without one.
async fn history_rows(client: &Client) -> anyhow::Result<Option<Vec<(i32, String, String)>>> {
    let exists: bool = client
        .query_one("SELECT to_regclass($1) IS NOT NULL", &[&HISTORY_TABLE])
        .await
        .map_err(|e| anyhow!("{}", strata_pg::db_error_message(&e)))?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let rows = client
        .query(
            &format!("SELECT version, name, coalesce(applied_on, '') FROM {HISTORY_TABLE} ORDER BY version"),
            &[],
        )
        .await
        .map_err(|e| anyhow!("reading {HISTORY_TABLE}: {}", strata_pg::db_error_message(&e)))?;
    Ok(Some(
        rows.iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect(),
    ))
}

/// Pairs the migrations on disk with the history table's rows by version.
pub fn migration_status(
    disk: &[(u32, String)],
    recorded: Option<Vec<(i32, String, String)>>,
) -> MigrationStatus {
    let Some(recorded) = recorded else {
        return MigrationStatus::NoHistoryTable;
    };
    let mut applied = Vec::new();
    let mut pending = Vec::new();
    let mut renamed = Vec::new();
    for (version, file) in disk {
        match recorded
            .iter()
            .find(|(v, _, _)| i64::from(*v) == i64::from(*version))
        {
            Some((_, name, on)) if history::file_name(*version, name) == *file => {
                applied.push((file.clone(), on.clone()))
            }
            Some((_, name, _)) => renamed.push((history::file_name(*version, name), file.clone())),
            None => pending.push(file.clone()),
        }
    }
    let unknown = recorded
        .iter()
        .filter(|(v, _, _)| !disk.iter().any(|(d, _)| i64::from(*d) == i64::from(*v)))
        .map(|(v, name, _)| format!("V{v}__{name}"))
        .collect();
    MigrationStatus::Table {
        applied,
        pending,
        unknown,
        renamed,
    }
}

/// The report as printed.
pub fn render(report: &Report, name: &str, url: &str, pg_schema: &str) -> String {
    let mut out = format!("drift: schemas/{name} against {url} (schema {pg_schema})\n\n");
    if report.differences.is_empty() {
        out.push_str("Schema: no differences.\n");
    } else {
        out.push_str(&format!(
            "Schema: {} difference(s):\n",
            report.differences.len()
        ));
        for d in &report.differences {
            out.push_str(&format!("  {d}\n"));
        }
    }
    out.push('\n');
    match &report.migrations {
        MigrationStatus::NoHistoryTable => {
            out.push_str(&format!(
                "Migrations: no history table ({HISTORY_TABLE} does not exist).\n"
            ));
        }
        MigrationStatus::Table {
            applied,
            pending,
            unknown,
            renamed,
        } => {
            out.push_str(&format!(
                "Migrations ({HISTORY_TABLE}): {} applied, {} pending.\n",
                applied.len(),
                pending.len()
            ));
            for (file, on) in applied {
                out.push_str(&format!(
                    "  applied  {file}{}\n",
                    if on.is_empty() {
                        String::new()
                    } else {
                        format!(" ({on})")
                    }
                ));
            }
            for file in pending {
                out.push_str(&format!("  pending  {file}\n"));
            }
            for (recorded, file) in renamed {
                out.push_str(&format!(
                    "  renamed  {recorded} is recorded as applied, but the file is {file}\n"
                ));
            }
            for m in unknown {
                out.push_str(&format!(
                    "  unknown  {m} is recorded as applied, but no such file exists\n"
                ));
            }
        }
    }
    if !report.ignored.is_empty() {
        out.push_str(&format!(
            "\nNot in the schema language, so not compared ({}):\n",
            report.ignored.len()
        ));
        for i in &report.ignored {
            out.push_str(&format!("  {i}\n"));
        }
    }
    out.push('\n');
    if report.matches() {
        out.push_str("The database matches the schema.\n");
    } else {
        out.push_str("The database does not match the schema.\n");
    }
    out
}

/// The declared schema: `--schema`, or the only one under `schemas/`.
fn load_declared(root: &Path, name: Option<&str>) -> anyhow::Result<Schema> {
    let location = crate::workspace::pick_schema(root, name)?;
    strata::load::load_location(&location, root).map_err(|d| {
        anyhow!(
            "schemas/{} does not load:\n{}",
            location.name,
            d.render(false)
        )
    })
}

/// `generated/<db>/migrations/*.sql` as (version, file name), sorted by version; checked
/// against `history.yaml` when there is one.
fn migrations_on_disk(root: &Path, name: &str) -> anyhow::Result<Vec<(u32, String)>> {
    let disk = crate::migrations::read(root, name)?;
    let problems = disk.problems();
    if !problems.is_empty() {
        bail!(
            "the migration history of {name} is inconsistent:\n  {}",
            problems.join("\n  ")
        );
    }
    let mut out: Vec<(u32, String)> = Vec::new();
    for f in &disk.files {
        let (version, _) =
            history::parse_file_name(&f.file_name).map_err(|e| anyhow!("{}: {e}", f.file_name))?;
        out.push((version, f.file_name.clone()));
    }
    out.sort();
    Ok(out)
}

/// The URL without its password, for messages.
pub fn display_url(url: &str) -> String {
    let Ok(config) = url.parse::<tokio_postgres::Config>() else {
        return "the database".into();
    };
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(h) => h.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config
        .get_ports()
        .first()
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let db = config.get_dbname().unwrap_or("");
    format!("postgresql://{user}{host}{port}/{db}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk(files: &[&str]) -> Vec<(u32, String)> {
        files
            .iter()
            .map(|f| (history::parse_file_name(f).expect("valid").0, f.to_string()))
            .collect()
    }

    #[test]
    fn migrations_pair_by_version() {
        assert_eq!(
            migration_status(&disk(&["V1__initial.sql"]), None),
            MigrationStatus::NoHistoryTable
        );
        let status = migration_status(
            &disk(&["V1__initial.sql", "V2__add_bio.sql", "V3__index.sql"]),
            Some(vec![
                (1, "initial".into(), "2026-01-01".into()),
                (2, "add_biography".into(), String::new()),
                (4, "hotfix".into(), String::new()),
            ]),
        );
        assert_eq!(
            status,
            MigrationStatus::Table {
                applied: vec![("V1__initial.sql".into(), "2026-01-01".into())],
                pending: vec!["V3__index.sql".into()],
                unknown: vec!["V4__hotfix".into()],
                renamed: vec![("V2__add_biography.sql".into(), "V2__add_bio.sql".into())],
            }
        );
        assert!(!status.is_current());
    }

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            display_url("postgresql://app:secret@db.internal:5433/freddy"),
            "postgresql://app@db.internal:5433/freddy"
        );
    }

    /// The whole command's core against a database built from a seed's DDL, then changed.
    #[tokio::test]
    async fn a_seed_database_matches_until_changed() {
        let root = crate::workspace::root();
        let declared = load_declared(&root, Some("freddy")).expect("freddy loads");
        let ddl =
            std::fs::read_to_string(root.join("generated/freddy/schema.sql")).expect("schema.sql");
        let db = strata_testkit::TestDb::with_sql(&ddl).await;
        let disk = migrations_on_disk(&root, "freddy").expect("migrations");

        let report = check(&db.client, &declared, &disk, "public")
            .await
            .expect("check");
        assert!(
            report.matches(),
            "{}",
            render(&report, "freddy", "db", "public")
        );
        assert_eq!(report.migrations, MigrationStatus::NoHistoryTable);

        db.client
            .batch_execute(
                "ALTER TABLE assistants ALTER COLUMN name TYPE varchar(100);
                 CREATE TABLE refinery_schema_history (version int4 PRIMARY KEY, name varchar(255), applied_on varchar(255), checksum varchar(255));",
            )
            .await
            .expect("alter");
        let report = check(&db.client, &declared, &disk, "public")
            .await
            .expect("check");
        let text = render(&report, "freddy", "db", "public");
        assert!(!report.matches());
        assert!(
            text.contains(
                "column assistants.name: database has varchar(100), schema says varchar(255)"
            ),
            "{text}"
        );
        assert!(text.contains("pending  V1__initial.sql"), "{text}");
    }

    /// A database that Strata's own runner migrated matches its schema: the history table is
    /// the runner's bookkeeping, reported under migrations, never as a table the schema lacks.
    #[tokio::test]
    async fn a_database_migrated_by_strata_matches() {
        let root = crate::workspace::root();
        for db_name in ["freddy", "hexabot"] {
            let declared = load_declared(&root, Some(db_name)).expect("loads");
            let migrations = strata_pg::Migrations::from_dir(
                root.join(format!("generated/{db_name}/migrations")),
            )
            .expect("migrations");
            let db = strata_testkit::TestDb::migrated(&migrations).await;
            let disk = migrations_on_disk(&root, db_name).expect("migrations");
            let report = check(&db.client, &declared, &disk, "public")
                .await
                .expect("check");
            let text = render(&report, db_name, "db", "public");
            assert!(report.matches(), "{text}");
            assert!(
                matches!(&report.migrations, MigrationStatus::Table { applied, .. } if applied.len() == migrations.len()),
                "{text}"
            );
        }
    }
}
