//! `cargo xtask`: Strata's command line for this repository.
//!
//! Each subcommand lives in its own module and only translates flags into calls of the core
//! library (`strata`) and its results into files and messages.

mod codegen;
mod migrations;
mod output;
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen(args) => codegen::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
