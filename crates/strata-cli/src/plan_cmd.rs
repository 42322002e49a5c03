//! `cargo xtask plan --from OLD.yaml --to NEW.yaml`: print the SQL that turns one schema into
//! the other, with every step's hazards, touching no file. Every step is shown, destructive
//! ones included, each with the consent it still needs: review comes before consent, which is
//! only needed to write the migration (`codegen`).

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
    /// `review` (SQL with hazards and consent per step), `markdown` (a summary table for a pull
    /// request comment) or `sql` (a script a plain `psql -f` applies: transactional groups in
    /// BEGIN/COMMIT, concurrent statements between them).
    #[arg(long, value_enum, default_value_t = Format::Review)]
    pub format: Format,
    #[command(flatten)]
    pub consent: codegen::Args,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Review,
    Markdown,
    Sql,
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
    // Plan with consent to everything, so every step can be read; mark what still needs it.
    let review_options = request
        .options
        .clone()
        .consent(strata::plan::Consent::all());
    let plan = match strata::plan::plan(&from, &to, &review_options) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let given = &request.options.consent;
    match args.format {
        Format::Review => {
            print!("{}", plan.review());
            let needing: Vec<&str> = plan
                .steps
                .iter()
                .filter_map(|s| strata::render::plan::missing_consent(s, given, &to))
                .collect();
            if !needing.is_empty() {
                eprintln!(
                    "{} step(s) need consent before `codegen` writes this migration: add to the schema's `allow:` list, or pass {}",
                    needing.len(),
                    needing
                        .iter()
                        .map(|k| format!("--allow {k}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
            }
        }
        Format::Markdown => print!("{}", strata::render::plan::markdown(&plan, given, &to)),
        Format::Sql => print!(
            "{}",
            strata::render::plan::psql_script(&plan, &request.options.lock_timeout)
        ),
    }
    Ok(ExitCode::SUCCESS)
}
