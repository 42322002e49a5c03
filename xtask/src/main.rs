//! `cargo xtask`: Strata's command line for this repository.
//!
//! Each subcommand lives in its own module and only translates flags into calls of the core
//! library (`strata`) and its results into files and messages.

mod bench;
mod check;
mod codegen;
mod database;
mod docs;
mod drift;
mod import;
mod migrate;
mod migration_cmd;
mod migrations;
mod output;
mod plan_cmd;
mod workspace;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Strata: PostgreSQL schemas in YAML → Rust models, DDL and migrations"
)]
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
    /// Run every benchmark (criterion) and time a whole `cargo xtask check` process.
    ///
    /// Example: `cargo xtask bench --quick`
    Bench(bench::Args),
    /// Print the SQL that turns one schema into another, with each step's hazards; writes nothing.
    ///
    /// Example: `cargo xtask plan --from old/freddy.yaml --to schemas/freddy.yaml`
    Plan(plan_cmd::PlanArgs),
    /// Render the database docs as a static HTML site under `target/strata-docs/` (Mermaid
    /// diagrams drawn in the browser, no network needed to view).
    ///
    /// Example: `cargo xtask docs`
    Docs(docs::Args),
    /// Hand-written migrations, sealing them, and reverting to an earlier version.
    #[command(subcommand)]
    Migration(migration_cmd::Command),
    /// Apply a database's pending migrations (`generated/<DB>/migrations`) to a running
    /// PostgreSQL, under an advisory lock so concurrent runs are safe.
    ///
    /// Example: `cargo xtask migrate --database-url postgresql://app@localhost/freddy --schema freddy`
    Migrate(migrate::Args),
    /// Compare a live database with its schema: every difference, the applied and pending
    /// migrations, and what the schema language cannot express; exit 0 only when they match.
    ///
    /// Example: `cargo xtask drift --database-url postgresql://app@staging/freddy --schema freddy`
    Drift(drift::Args),
    /// Write a schema file from an existing database (refuses to overwrite without --force).
    ///
    /// Example: `cargo xtask import --database-url postgresql://app@localhost/shop --out schemas/shop.yaml`
    Import(import::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Plan(args) => plan_cmd::run(&args),
        Command::Docs(args) => docs::run(&args),
        Command::Migration(cmd) => migration_cmd::run(&cmd),
        Command::Migrate(args) => migrate::run(&args),
        Command::Drift(args) => drift::run(&args),
        Command::Import(args) => import::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// clap's own consistency checks over every subcommand (they would otherwise panic at run
    /// time, when a subcommand is first used).
    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
