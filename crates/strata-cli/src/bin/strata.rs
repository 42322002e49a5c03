//! The `strata` command (`cargo install --path crates/strata-cli`).

fn main() -> std::process::ExitCode {
    strata_cli::run_from_args()
}
