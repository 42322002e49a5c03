//! `cargo xtask migrate`: apply a database's migrations (`generated/<db>/migrations`) to a
//! PostgreSQL database with `strata_pg::migrate`, one runner at a time.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use strata::history::{self, MigrationFile};

use strata_pg::{MigrateOptions, Migrations};

const EXAMPLES: &str = "\
Examples:
  cargo xtask migrate --database-url postgresql://app:secret@localhost:5432/freddy --schema freddy
  cargo xtask migrate --database-url 'host=/var/run/postgresql dbname=hexabot' --schema hexabot
  cargo xtask migrate --database-url postgresql://app@localhost/test --migrations-dir tests/migrations

Runs under a PostgreSQL advisory lock, so several instances can start at once (e.g. one per
deployed replica): one applies the pending migrations, the others wait and find nothing to do.
Exits non-zero with the server's full error (SQLSTATE, message, detail) if a migration fails.";

/// Apply the pending migrations of one database to a running PostgreSQL.
#[derive(clap::Args, Debug)]
#[command(after_long_help = EXAMPLES)]
pub struct Args {
    /// The database to migrate: `postgresql://user:password@host:port/dbname` or `key=value`
    /// form (no TLS).
    #[arg(long, value_name = "URL")]
    database_url: String,
    /// Whose migrations to apply: `generated/<DB>/migrations`. Required when `generated/` holds
    /// several databases, since the URL names one.
    #[arg(long, value_name = "DB")]
    schema: Option<String>,
    /// Apply the migrations in this directory instead of `generated/<DB>/migrations`.
    #[arg(long, value_name = "DIR", conflicts_with = "schema")]
    migrations_dir: Option<PathBuf>,
    /// How long to wait for another run holding the migration lock, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    lock_wait: u64,
    /// Print the migrations that would run, with their statements, and change nothing.
    #[arg(long)]
    dry_run: bool,
}

impl Args {
    /// The arguments that pick the database and its migrations (for `status` and `baseline`).
    pub fn new(database_url: String, schema: Option<String>) -> Args {
        Args {
            database_url,
            schema,
            migrations_dir: None,
            lock_wait: 60,
            dry_run: false,
        }
    }
}

/// One set of migrations to apply, with a label for messages.
pub struct Target {
    pub label: String,
    pub migrations: Migrations,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let target = target(&crate::workspace::root(), args)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")?;
    let options = MigrateOptions::default().lock_wait(Duration::from_secs(args.lock_wait));
    runtime.block_on(async {
        let mut client =
            crate::database::connect(&args.database_url, "cargo xtask migrate").await?;
        if args.dry_run {
            let status = strata_pg::status(&client, &target.migrations)
                .await
                .map_err(|e| anyhow!("{}: {e}", target.label))?;
            print!("{}", dry_run(&target, &status));
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "{}: {} migration(s) known; taking the migration lock and applying what is pending…",
            target.label,
            target.migrations.iter().count()
        );
        let report = strata_pg::migrate(&mut client, &target.migrations, &options)
            .await
            .map_err(|e| anyhow!("{}: {e}", target.label))?;
        println!("{}: {report}", target.label);
        Ok(ExitCode::SUCCESS)
    })
}

/// What `--dry-run` prints: each pending migration, how it runs, and its statements.
fn dry_run(target: &Target, status: &strata_pg::Status) -> String {
    let mut out = String::new();
    let pending: Vec<&strata_pg::Migration> = target
        .migrations
        .iter()
        .filter(|m| {
            status
                .files
                .iter()
                .any(|(v, .., s)| *v == m.version && *s == strata_pg::MigrationState::Pending)
        })
        .collect();
    if pending.is_empty() {
        out.push_str(&format!("{}: nothing to apply\n", target.label));
        return out;
    }
    out.push_str(&format!(
        "{}: would apply {} migration(s) (dry run, nothing changed):\n",
        target.label,
        pending.len()
    ));
    for m in pending {
        out.push_str(&format!(
            "\n== {} ({})\n",
            m.file_name(),
            if m.transactional {
                "one transaction"
            } else {
                "statement by statement, outside a transaction"
            }
        ));
        for (_, sql) in strata::fragment::split_script(&m.sql) {
            let first = sql
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("--"))
                .unwrap_or("");
            out.push_str(&format!("  {first}\n"));
        }
    }
    out
}

/// The migrations to apply: `--migrations-dir`, `--schema`, or the only database there is.
pub fn target(root: &Path, args: &Args) -> anyhow::Result<Target> {
    if let Some(dir) = &args.migrations_dir {
        return load(dir, &dir.display().to_string());
    }
    let generated = root.join(crate::workspace::output_rel(root));
    let databases = databases(&generated)?;
    let name = match (&args.schema, databases.as_slice()) {
        (Some(name), _) if databases.contains(name) => name.clone(),
        (Some(name), _) => bail!(
            "there are no migrations for `{name}` (no {}); the databases with migrations are: {}. \
             `cargo xtask codegen` writes them",
            generated.join(name).join("migrations").display(),
            list(&databases)
        ),
        (None, [only]) => only.clone(),
        (None, []) => bail!(
            "there are no migrations under {}: run `cargo xtask codegen` first",
            generated.display()
        ),
        (None, many) => bail!(
            "{} holds migrations for {} databases ({}) and --database-url names one database: say which \
             one with --schema <DB>, e.g. `cargo xtask migrate --database-url <URL> --schema {}`",
            generated.display(),
            many.len(),
            list(many),
            many[0]
        ),
    };
    let db_dir = generated.join(&name);
    let target = load(&db_dir.join("migrations"), &name)?;
    check_history(&db_dir, &target.migrations)?;
    Ok(target)
}

/// The databases under `generated/` that have a `migrations` folder, sorted.
fn databases(generated: &Path) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    let entries = std::fs::read_dir(generated)
        .with_context(|| format!("cannot read {}", generated.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read {}", generated.display()))?
            .path();
        if path.join("migrations").is_dir()
            && let Some(name) = path.file_name()
        {
            names.push(name.to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

fn load(dir: &Path, label: &str) -> anyhow::Result<Target> {
    let migrations = Migrations::from_dir(dir).map_err(|e| anyhow!("{e}"))?;
    if migrations.is_empty() {
        bail!(
            "{} holds no migrations (`V<n>__<name>.sql` files)",
            dir.display()
        );
    }
    Ok(Target {
        label: label.to_string(),
        migrations,
    })
}

/// Refuses files that disagree with `history.yaml` (edited after sealing, missing, unrecorded),
/// before any database sees them.
fn check_history(db_dir: &Path, migrations: &Migrations) -> anyhow::Result<()> {
    let path = db_dir.join("history.yaml");
    let recorded = crate::migrations::read_history(&path)?;
    if recorded.migrations.is_empty() {
        return Ok(());
    }
    let files: Vec<MigrationFile> = migrations
        .iter()
        .map(|m| MigrationFile {
            file_name: m.file_name().to_string(),
            text: m.sql.clone(),
        })
        .collect();
    let problems = history::verify(&recorded, &files);
    if problems.is_empty() {
        return Ok(());
    }
    let lines: String = problems.iter().map(|p| format!("\n  - {p}")).collect();
    bail!(
        "{} and its migrations disagree; nothing was applied:{lines}",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata::history::{Entry, History, MigrationKind};

    #[test]
    fn files_that_disagree_with_history_yaml_are_refused() {
        let db_dir =
            std::env::temp_dir().join(format!("strata-xtask-migrate-{}", std::process::id()));
        let migrations_dir = db_dir.join("migrations");
        std::fs::create_dir_all(&migrations_dir).unwrap();
        let sql = "CREATE TABLE t (x int);\n";
        let history = History {
            migrations: vec![Entry {
                version: 1,
                name: "initial".into(),
                kind: MigrationKind::Generated,
                transactional: true,
                checksum: Some(history::checksum(sql)),
            }],
        };
        std::fs::write(
            db_dir.join("history.yaml"),
            history::history_text(&history).unwrap(),
        )
        .unwrap();

        std::fs::write(migrations_dir.join("V1__initial.sql"), sql).unwrap();
        let agreeing = load(&migrations_dir, "t").unwrap();
        let ok = check_history(&db_dir, &agreeing.migrations);

        std::fs::write(
            migrations_dir.join("V1__initial.sql"),
            "CREATE TABLE t (x bigint);\n",
        )
        .unwrap();
        let edited = load(&migrations_dir, "t").unwrap();
        let refused = check_history(&db_dir, &edited.migrations);
        let _ = std::fs::remove_dir_all(&db_dir);

        assert!(ok.is_ok(), "{ok:?}");
        let message = refused.expect_err("an edited sealed migration").to_string();
        assert!(
            message.contains("V1__initial.sql was edited after it was recorded"),
            "{message}"
        );
        assert!(message.contains("nothing was applied"), "{message}");
    }
}
