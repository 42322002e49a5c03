//! `cargo xtask plan --from OLD.yaml --to NEW.yaml`: print the SQL that turns one schema into
//! the other, with every step's hazards, touching no file.

use crate::codegen;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use strata::load::{SchemaLocation, load_location};

#[derive(clap::Args)]
pub struct PlanArgs {
    /// The schema as it is (a YAML file or a schema folder).
    #[arg(long)]
    pub from: PathBuf,
    /// The schema as it should be.
    #[arg(long)]
    pub to: PathBuf,
    #[command(flatten)]
    pub consent: codegen::Args,
}

pub fn load(path: &Path) -> anyhow::Result<Option<strata::Schema>> {
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| anyhow::anyhow!("{} has no file name", path.display()))?
        .to_string();
    let cwd = std::env::current_dir()?;
    match load_location(
        &SchemaLocation {
            name,
            path: path.to_path_buf(),
        },
        &cwd,
    ) {
        Ok(s) => Ok(Some(s)),
        Err(d) => {
            eprint!(
                "{}",
                d.render(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            );
            Ok(None)
        }
    }
}

pub fn run(args: &PlanArgs) -> anyhow::Result<ExitCode> {
    let (Some(from), Some(to)) = (load(&args.from)?, load(&args.to)?) else {
        return Ok(ExitCode::FAILURE);
    };
    let request = args.consent.request();
    match strata::plan::plan(&from, &to, &request.options) {
        Ok(plan) => {
            print!("{}", plan.review());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}
