//! `cargo xtask migration …`: hand-written migrations, sealing them, and reverting to an
//! earlier version with a new forward migration.

use crate::codegen;
use crate::migrations::{self, Request};
use crate::output::{self, Output};
use crate::workspace;
use std::path::Path;
use std::process::ExitCode;
use strata::history::{self, Entry, MigrationKind};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Add a hand-written migration (a data backfill, any SQL) as the next version.
    ///
    /// Example: `cargo xtask migration new --empty backfill_task_ids --schema hexabot`
    New {
        /// Create an empty file to write the SQL into (the only kind for now).
        #[arg(long)]
        empty: bool,
        /// The migration's name (letters, digits, `_`).
        name: String,
        /// The database, when there is more than one.
        #[arg(long)]
        schema: Option<String>,
    },
    /// Record the checksum of hand-written migrations that are still open for editing.
    ///
    /// Example: `cargo xtask migration seal --schema hexabot`
    Seal {
        #[arg(long)]
        schema: Option<String>,
    },
    /// Write a new forward migration that returns the database to the schema of version N.
    ///
    /// Example: `cargo xtask migration revert --to 1 --schema freddy --allow-destructive`
    Revert {
        /// The version whose schema to return to.
        #[arg(long)]
        to: u32,
        #[arg(long)]
        schema: Option<String>,
        #[command(flatten)]
        consent: codegen::Args,
    },
}

fn pick(root: &Path, schema: Option<&str>) -> anyhow::Result<String> {
    workspace::pick_schema(root, schema).map(|l| l.name)
}

pub fn run(cmd: &Command) -> anyhow::Result<ExitCode> {
    let root = workspace::root();
    match cmd {
        Command::New {
            empty,
            name,
            schema,
        } => {
            if !empty {
                anyhow::bail!(
                    "say `--empty`: Strata creates an empty file for you to write the SQL into"
                );
            }
            let db = pick(&root, schema.as_deref())?;
            let disk = migrations::read(&root, &db)?;
            let problems = disk.problems();
            if !problems.is_empty() {
                anyhow::bail!("{}", problems.join("\n"));
            }
            let clean = history::sanitize_name(name);
            let version = disk.last_version() + 1;
            let file = history::file_name(version, &clean);
            let text = format!(
                "-- Hand-written migration {version} of `{db}`. Strata never rewrites it.\n\
                 -- Write the SQL below; it runs in one transaction through refinery.\n\
                 -- Its checksum is recorded by the next `cargo xtask codegen` that adds a migration,\n\
                 -- or by `cargo xtask migration seal`; after that, edits are refused.\n"
            );
            let mut hist = disk.history.clone();
            hist.migrations.push(Entry {
                version,
                name: clean,
                kind: MigrationKind::HandWritten,
                transactional: true,
                checksum: None,
            });
            let outputs = vec![
                Output {
                    path: disk.dir.join("migrations").join(&file),
                    content: text,
                },
                Output {
                    path: disk.dir.join("history.yaml"),
                    content: history::history_text(&hist).map_err(|e| anyhow::anyhow!(e))?,
                },
            ];
            output::write_all(&root, &outputs)?;
            output::write_all(&root, &[migrations::embedded_output(&root)?])?;
            println!("wrote {}", disk.dir.join("migrations").join(file).display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Seal { schema } => {
            let db = pick(&root, schema.as_deref())?;
            let disk = migrations::read(&root, &db)?;
            let mut hist = disk.history.clone();
            let mut sealed = 0;
            for e in &mut hist.migrations {
                if e.checksum.is_none()
                    && let Some(f) = disk.files.iter().find(|f| f.file_name == e.file_name())
                {
                    e.checksum = Some(history::checksum(&f.text));
                    sealed += 1;
                }
            }
            output::write_all(
                &root,
                &[Output {
                    path: disk.dir.join("history.yaml"),
                    content: history::history_text(&hist).map_err(|e| anyhow::anyhow!(e))?,
                }],
            )?;
            println!("sealed {sealed} migration(s) of {db}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Revert {
            to,
            schema,
            consent,
        } => {
            let db = pick(&root, schema.as_deref())?;
            let disk = migrations::read(&root, &db)?;
            let problems = disk.problems();
            if !problems.is_empty() {
                anyhow::bail!("{}", problems.join("\n"));
            }
            if *to == 0 || *to >= disk.last_version() {
                anyhow::bail!(
                    "`--to {to}`: choose a version from 1 to {} (the last is {})",
                    disk.last_version().saturating_sub(1),
                    disk.last_version()
                );
            }
            let current = disk.schema_at(&root, &db, disk.last_version())?;
            let target = disk.schema_at(&root, &db, *to)?;
            let mut request: Request = consent.request();
            if request.name.is_none() {
                request.name = Some(format!("revert_to_v{to}"));
            }
            let outputs = migrations::next_outputs(&root, &disk, &current, &target, &request)?;
            if outputs.is_empty() {
                println!("the schema of version {to} is the current one: nothing to revert");
                return Ok(ExitCode::SUCCESS);
            }
            for (p, _) in output::write_all(&root, &outputs)? {
                println!("wrote {}", p.display());
            }
            output::write_all(&root, &[migrations::embedded_output(&root)?])?;
            println!(
                "note: schemas/{db} still describes the newer schema; revert it too (e.g. with git), or the next \
                 `cargo xtask codegen` plans the change again"
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
