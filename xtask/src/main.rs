//! `cargo xtask`: Strata's command line for this repository.
//!
//! Each subcommand lives in its own module and only translates flags into calls of the core
//! library (`strata`) and its results into files and messages.

mod check;
mod codegen;
mod migration_cmd;
mod migrations;
mod output;
mod plan_cmd;
mod workspace;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Strata: PostgreSQL schemas in YAML → Rust models, DDL and migrations")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load and validate every schema under `schemas/` and write everything generated from them.
    ///
    /// Example: `cargo xtask codegen`
    Codegen(codegen::Args),
    /// Fail (writing nothing) when anything generated from `schemas/` is out of date: Rust, SQL,
    /// a missing migration, or an edited, missing, reordered or duplicated migration.
    ///
    /// Example: `cargo xtask check`
    Check(check::Args),
    /// Print the SQL that turns one schema into another, with each step's hazards; writes nothing.
    ///
    /// Example: `cargo xtask plan --from old/freddy.yaml --to schemas/freddy.yaml`
    Plan(plan_cmd::Args),
    /// Hand-written migrations, sealing them, and reverting to an earlier version.
    #[command(subcommand)]
    Migration(migration_cmd::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Plan(args) => plan_cmd::run(&args),
        Command::Migration(cmd) => migration_cmd::run(&cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
