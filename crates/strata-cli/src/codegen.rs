//! `cargo xtask codegen`: validate every schema and write what is generated from it: the Rust
//! models, `schema.sql`, and the next migration when a schema changed; files generated for a
//! removed schema are deleted. The work is [`strata::pipeline`]'s; this parses flags and prints.

use crate::{output, workspace};
use std::path::Path;
use std::process::ExitCode;
use strata::Schema;
use strata::pipeline::{self, Request, manifest, write};
use strata::plan::{Consent, PlanOptions};
use strata::project::Project;

#[derive(clap::Args, Clone)]
pub struct Args {
    /// Name of the migration written for a schema change (default: derived from the change).
    #[arg(long)]
    pub name: Option<String>,
    /// Consent to one destructive step, e.g. `drop_column:users.legacy` (repeatable).
    #[arg(long = "allow", value_name = "KEY")]
    pub allow: Vec<String>,
    /// Consent to every destructive step of the planned migrations.
    #[arg(long)]
    pub allow_destructive: bool,
    /// `lock_timeout` set at the top of every new migration.
    #[arg(long, default_value = "5s")]
    pub lock_timeout: String,
    /// Show the files that would change and every statement of a new migration (destructive
    /// ones included, with their hazards), and write nothing; needs no consent.
    #[arg(long)]
    pub dry_run: bool,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            name: None,
            allow: Vec::new(),
            allow_destructive: false,
            lock_timeout: "5s".into(),
            dry_run: false,
        }
    }
}

impl Args {
    pub fn request(&self) -> Request {
        let consent = self.allow.iter().fold(
            if self.allow_destructive {
                Consent::all()
            } else {
                Consent::default()
            },
            |c, k| c.allow(k.clone()),
        );
        Request {
            name: self.name.clone(),
            options: PlanOptions::default()
                .consent(consent)
                .lock_timeout(self.lock_timeout.clone()),
        }
    }
}

/// `codegen --dry-run`: what would be written or deleted, with the full text of each new
/// migration, and the consent still needed; writes nothing.
fn dry_run(
    root: &Path,
    project: &Project,
    schemas: &[Schema],
    args: &Args,
) -> anyhow::Result<ExitCode> {
    // Consent is not needed to read a plan, only to write it.
    let mut request = args.request();
    let refused = pipeline::outputs(root, project, schemas, &request)
        .err()
        .unwrap_or_default();
    request.options = request.options.consent(Consent::all());
    let all = match pipeline::outputs(root, project, schemas, &request) {
        Ok(o) => o,
        Err(problems) => {
            output::print_problems(&problems);
            return Ok(ExitCode::FAILURE);
        }
    };
    let stale = write::stale(root, &all);
    let obsolete = manifest::obsolete(root, project, &all)?;
    if stale.is_empty() && obsolete.is_empty() {
        println!("dry run: nothing would change");
    }
    for (o, old) in &stale {
        let verb = if old.is_some() { "update" } else { "create" };
        println!("would {verb} {}", o.path.display());
        if o.is_migration() && old.is_none() {
            for line in o.content.lines() {
                println!("    {line}");
            }
        }
    }
    for p in &obsolete {
        println!("would delete {}", p.display());
    }
    for p in &refused {
        eprintln!("needs consent before codegen writes it: {p}");
    }
    println!("dry run: nothing was written");
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root();
    let project = workspace::project(&root)?;
    let Some(schemas) = workspace::schemas(&root, &project)? else {
        return Ok(ExitCode::FAILURE);
    };
    for s in &schemas {
        let columns: usize = s.tables.iter().map(|t| t.columns.len()).sum();
        let indexes: usize = s.tables.iter().map(|t| t.indexes.len()).sum();
        let fks: usize = s.tables.iter().map(|t| t.foreign_keys.len()).sum();
        println!(
            "{}: {} tables, {} columns, {} foreign keys, {} indexes, {} enums, {} JSON types",
            s.name,
            s.tables.len(),
            columns,
            fks,
            indexes,
            s.enums.len(),
            s.json_types.len()
        );
    }
    if args.dry_run {
        return dry_run(&root, &project, &schemas, args);
    }
    let outputs = match pipeline::outputs(&root, &project, &schemas, &args.request()) {
        Ok(o) => o,
        Err(problems) => {
            output::print_problems(&problems);
            eprintln!("nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    output::print_report(&write::apply(
        &root,
        &project,
        &outputs,
        args.allow_destructive,
    )?);
    Ok(ExitCode::SUCCESS)
}
