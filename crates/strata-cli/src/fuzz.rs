//! `cargo xtask fuzz --minutes N`: the long fuzz loop of the loader, fragment parser, planner and
//! renderers (`crates/strata-core/tests/fuzz.rs`, ignored in `cargo test`), in release mode.
//! Inputs that reach new outcomes are kept in `tests/fixtures/fuzz/`; a panic stops the run and
//! leaves its input there as `panic-*.yaml`.

use std::process::{Command, ExitCode};

#[derive(clap::Args)]
pub struct Args {
    /// How long to run.
    #[arg(long, default_value_t = 10)]
    pub minutes: u64,
    /// The random seed (the current time when not given); the run prints it.
    #[arg(long)]
    pub seed: Option<u64>,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(crate::workspace::root())
        .args([
            "test",
            "--release",
            "-p",
            "strata-core",
            "--test",
            "fuzz",
            "--",
            "--ignored",
            "--nocapture",
            "fuzz_for_a_while",
        ])
        .env("STRATA_FUZZ_MINUTES", args.minutes.to_string());
    if let Some(seed) = args.seed {
        cmd.env("STRATA_FUZZ_SEED", seed.to_string());
    }
    let status = cmd.status()?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
