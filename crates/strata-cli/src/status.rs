//! `status` (applied, pending, edited and missing migrations of a live database, with
//! checksums) and `baseline` (record V1 as applied on an existing database whose catalog already
//! equals it, without running it).

use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use strata_pg::MigrationState;

const STATUS_EXAMPLES: &str = "\
Examples:
  strata status --database-url postgresql://app@db/shop --schema shop

Exit status: 0 when every migration is applied as written, 1 when one is pending, edited or
missing (for CI: `strata status … || echo 'migrations pending'`), 2 when it could not be checked.";

/// Show which migrations a database has applied, which are pending, edited or missing.
#[derive(clap::Args, Debug)]
#[command(after_long_help = STATUS_EXAMPLES)]
pub struct StatusArgs {
    /// The database: `postgresql://user:password@host:port/dbname` or `key=value` form.
    #[arg(long, value_name = "URL")]
    pub database_url: String,
    /// Whose migrations: the database's name under the output folder (required when several).
    #[arg(long, value_name = "DB")]
    pub schema: Option<String>,
}

const BASELINE_EXAMPLES: &str = "\
Examples:
  strata import --database-url postgresql://app@prod/shop --out schemas/shop.yaml
  strata codegen
  strata baseline --database-url postgresql://app@prod/shop --schema shop

The live catalog is compared with the schema of V1 (`generated/<db>/snapshots/V1.json`), as
`drift` compares; only when they are equal is V1 recorded as applied. Later migrations then
apply with `migrate` as usual.";

/// Record the first migration as applied on a database that already holds it (adoption).
#[derive(clap::Args, Debug)]
#[command(after_long_help = BASELINE_EXAMPLES)]
pub struct BaselineArgs {
    #[arg(long, value_name = "URL")]
    pub database_url: String,
    #[arg(long, value_name = "DB")]
    pub schema: Option<String>,
    /// The PostgreSQL schema (namespace) to compare.
    #[arg(long, value_name = "NAME", default_value = "public")]
    pub pg_schema: String,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the tokio runtime")
}

pub fn status(args: &StatusArgs) -> anyhow::Result<ExitCode> {
    let root = crate::workspace::root();
    let target = crate::migrate::target(
        &root,
        &crate::migrate::Args::new(args.database_url.clone(), args.schema.clone()),
    )?;
    runtime()?.block_on(async {
        let client = crate::database::connect(&args.database_url, "strata status").await?;
        let st = strata_pg::status(&client, &target.migrations)
            .await
            .map_err(|e| anyhow!("{}: {e}", target.label))?;
        print!("{}", render_status(&target.label, &st));
        Ok(if st.needs_attention() {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        })
    })
}

pub fn render_status(label: &str, st: &strata_pg::Status) -> String {
    let mut out = format!("{label}:\n");
    if !st.has_history {
        out.push_str("  no history table: nothing applied yet (or not migrated by Strata)\n");
    }
    let mut pending = 0;
    for (_, file, sum, state) in &st.files {
        let line = match state {
            MigrationState::Applied { applied_on } => {
                format!("  applied  {file}  checksum {sum}  on {applied_on}")
            }
            MigrationState::Pending => {
                pending += 1;
                format!("  pending  {file}  checksum {sum}")
            }
            MigrationState::Edited {
                recorded,
                file: now,
            } => format!(
                "  EDITED   {file}  recorded checksum {recorded}, the file's is {now}: an applied migration was changed"
            ),
        };
        out.push_str(&line);
        out.push('\n');
    }
    for (v, name) in &st.missing {
        out.push_str(&format!(
            "  MISSING  V{v}__{name}: recorded as applied, no such file\n"
        ));
    }
    out.push_str(&format!(
        "{} applied, {pending} pending, {} edited, {} missing\n",
        st.files
            .iter()
            .filter(|f| matches!(f.3, MigrationState::Applied { .. }))
            .count(),
        st.files
            .iter()
            .filter(|f| matches!(f.3, MigrationState::Edited { .. }))
            .count(),
        st.missing.len()
    ));
    out
}

pub fn baseline(args: &BaselineArgs) -> anyhow::Result<ExitCode> {
    let root = crate::workspace::root();
    let target = crate::migrate::target(
        &root,
        &crate::migrate::Args::new(args.database_url.clone(), args.schema.clone()),
    )?;
    let first = target
        .migrations
        .iter()
        .next()
        .ok_or_else(|| anyhow!("{}: no migrations", target.label))?;
    let version = first.version;
    let snapshot_path = root
        .join(crate::workspace::output_rel(&root))
        .join(&target.label)
        .join("snapshots")
        .join(format!("V{version}.json"));
    let text = std::fs::read_to_string(&snapshot_path)
        .with_context(|| format!("cannot read {}", snapshot_path.display()))?;
    let declared = strata::history::parse_snapshot(&text).map_err(|e| anyhow!("{e}"))?;
    runtime()?.block_on(async {
        let mut client = crate::database::connect(&args.database_url, "strata baseline").await?;
        let mut live = strata_pg::introspect::introspect(
            &client,
            &strata_pg::introspect::Options::new()
                .schema(&args.pg_schema)
                .name(declared.name.clone()),
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
        live.expected_roles(&declared);
        let differences = strata::compare::compare(&declared, &live.schema);
        if !differences.is_empty() {
            let mut msg = format!(
                "the database does not hold V{version} of {} exactly; nothing was recorded. The differences:\n",
                target.label
            );
            for d in &differences {
                msg.push_str(&format!("  {d}\n"));
            }
            msg.push_str("Fix them (or re-import and codegen), then run baseline again.");
            bail!(msg);
        }
        strata_pg::baseline(
            &mut client,
            &target.migrations,
            version,
            &strata_pg::MigrateOptions::default(),
        )
        .await
        .map_err(|e| anyhow!("{}: {e}", target.label))?;
        println!(
            "{}: V{version} ({}) recorded as applied without running it; `migrate` applies the rest",
            target.label,
            first.file_name()
        );
        Ok(ExitCode::SUCCESS)
    })
}
