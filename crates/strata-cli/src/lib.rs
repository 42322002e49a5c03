//! `strata`: Strata's command line — the installable `strata` binary and, through
//! [`run_from_args`], a team's own `cargo xtask`.
//!
//! Each subcommand lives in its own module and only translates flags into calls of the core
//! library (`strata`) and its results into files and messages. The project is found at run
//! time: the nearest `strata.toml` above the working directory (see [`workspace::root`]).
//!
//! A team's `xtask/src/main.rs` is one call:
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     strata_cli::run_from_args()
//! }
//! ```

mod bench;
mod check;
mod codegen;
mod database;
pub mod docs;
mod drift;
mod fuzz;
mod import;
mod init;
mod migrate;
mod migration_cmd;
mod migrations;
mod output;
mod plan_cmd;
mod status;
pub mod workspace;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "strata",
    version,
    about = "Strata: PostgreSQL schemas in YAML → Rust models, DDL and migrations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make this Cargo workspace (or an empty folder) a Strata project: strata.toml, an example
    /// schema, the generated crate, a thin xtask and a CI workflow; keeps every existing file.
    ///
    /// Example: `strata init`
    Init(init::Args),
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
    /// Fuzz the loader, SQL fragment parser, planner and renderers for a while (release build);
    /// inputs that reach new outcomes are kept in `tests/fixtures/fuzz/`.
    ///
    /// Example: `cargo xtask fuzz --minutes 30`
    Fuzz(fuzz::Args),
    /// Show which migrations a live database has applied, and which are pending, edited or
    /// missing, with checksums; exit 1 when anything is pending.
    ///
    /// Example: `strata status --database-url postgresql://app@db/shop --schema shop`
    Status(status::StatusArgs),
    /// Record V1 as applied on an existing database whose catalog already equals it (adopting a
    /// production database after `import` and `codegen`); refused with the differences if not.
    ///
    /// Example: `strata baseline --database-url postgresql://app@prod/shop --schema shop`
    Baseline(status::BaselineArgs),
    /// Write a schema file from an existing database (refuses to overwrite without --force).
    ///
    /// Example: `cargo xtask import --database-url postgresql://app@localhost/shop --out schemas/shop.yaml`
    Import(import::Args),
}

/// Runs the command line on the process's arguments and returns its exit status: the whole of
/// a `main` for the `strata` binary or a team's `cargo xtask`.
pub fn run_from_args() -> ExitCode {
    run(std::env::args_os())
}

/// Runs the command line on `args` (the first is the program's name).
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Init(args) => init::run(&args),
        Command::Codegen(args) => codegen::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Plan(args) => plan_cmd::run(&args),
        Command::Docs(args) => docs::run(&args),
        Command::Migration(cmd) => migration_cmd::run(&cmd),
        Command::Migrate(args) => migrate::run(&args),
        Command::Drift(args) => drift::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Fuzz(args) => fuzz::run(&args),
        Command::Status(args) => status::status(&args),
        Command::Baseline(args) => status::baseline(&args),
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
