//! `cargo xtask bench`: every benchmark of the repository (criterion, through `cargo bench`),
//! then the time of a whole `cargo xtask check` process on the seeds (it renders everything
//! `codegen` writes, without writing).

use crate::workspace;
use std::process::{Command, ExitCode};
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Criterion's quick mode: fewer samples, for a first look.
    #[arg(long)]
    pub quick: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for (package, what) in [
        (
            "strata-core",
            "loading, Rust and SQL rendering, planning: synthetic 1,000-table schemas",
        ),
        (
            "strata-pg",
            "introspecting a 1,000-table database (builds it first)",
        ),
    ] {
        eprintln!("bench: {package}: {what}");
        let mut cmd = Command::new(&cargo);
        cmd.current_dir(&root).args(["bench", "--package", package]);
        if args.quick {
            cmd.args(["--", "--quick"]);
        }
        let status = cmd.status()?;
        if !status.success() {
            eprintln!("error: `cargo bench -p {package}` failed ({status})");
            return Ok(ExitCode::FAILURE);
        }
    }
    let exe = std::env::current_exe()?;
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let out = Command::new(&exe)
            .arg("check")
            .current_dir(&root)
            .output()?;
        times.push(start.elapsed().as_secs_f64() * 1e3);
        if !out.status.success() {
            eprintln!(
                "error: `cargo xtask check` failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "cargo xtask check (renders everything codegen writes, 5 seeds), whole process: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        times[2], times[0], times[4]
    );
    Ok(ExitCode::SUCCESS)
}
