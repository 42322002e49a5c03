//! `cargo xtask`: this repository is a Strata project like any team's, and its xtask is the
//! one-call front every Strata project can use (see docs/getting-started.md).

fn main() -> std::process::ExitCode {
    strata_cli::run_from_args()
}
