//! `cargo xtask migration …`: hand-written migrations, sealing them, and reverting to an
//! earlier version with a new forward migration ([`strata::pipeline::OnDisk`] does the work).

use crate::{codegen, output, workspace};
use std::process::ExitCode;
use strata::pipeline::{self, OnDisk, history_files, write};

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

pub fn run(cmd: &Command) -> anyhow::Result<ExitCode> {
    let root = workspace::root();
    let project = workspace::project(&root)?;
    // The database named by `--schema` (or the only one) and its history on disk.
    let open = |schema: &Option<String>| -> anyhow::Result<(String, OnDisk)> {
        let db = pipeline::pick(&root, &project, schema.as_deref())?.name;
        let disk = history_files::read(&root, &project, &db)?;
        Ok((db, disk))
    };
    // After a new migration file, the embedded migrations module lists it too.
    let embed = || -> anyhow::Result<()> {
        let embedded = history_files::embedded_output(&root, &project)?;
        write::write_recorded(&root, &project, &[embedded])?;
        Ok(())
    };
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
            let (db, disk) = open(schema)?;
            let outputs = disk.hand_written(&db, name)?;
            write::write_recorded(&root, &project, &outputs)?;
            embed()?;
            println!("wrote {}", outputs[0].path.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Seal { schema } => {
            let (db, disk) = open(schema)?;
            let (history, sealed) = disk.seal()?;
            write::write_all(&root, &[history])?;
            println!("sealed {sealed} migration(s) of {db}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Revert {
            to,
            schema,
            consent,
        } => {
            let (db, disk) = open(schema)?;
            let outputs = disk.revert(&root, &db, *to, &consent.request())?;
            if outputs.is_empty() {
                println!("the schema of version {to} is the current one: nothing to revert");
                return Ok(ExitCode::SUCCESS);
            }
            output::print_written(&write::write_recorded(&root, &project, &outputs)?);
            embed()?;
            println!(
                "note: schemas/{db} still describes the newer schema; revert it too (e.g. with git), or the next \
                 `cargo xtask codegen` plans the change again"
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
