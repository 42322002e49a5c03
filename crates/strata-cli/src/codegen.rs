//! `cargo xtask codegen`: validate every schema and write what is generated from it: the Rust
//! models, `schema.sql`, and the next migration when a schema changed.

use crate::migrations::{self, Request};
use crate::output::{self, Output, Status};
use crate::workspace;
use std::path::Path;
use std::process::ExitCode;
use strata::Schema;
use strata::plan::{Consent, PlanOptions};

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

/// Everything generated from the schemas, rendered in memory; `Err` lists every problem (history
/// problems, refused plans) and nothing is written.
pub fn outputs(
    root: &Path,
    schemas: &[Schema],
    request: &Request,
) -> Result<Vec<Output>, Vec<String>> {
    use strata::render::rust;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut embedded = Vec::new();
    let generated = crate::workspace::output_rel(root);
    // Paths the core names inside `generated/` move with the project's output folder.
    let inside = |p: &str| generated.join(p.strip_prefix("generated/").unwrap_or(p));
    for s in schemas {
        out.push(Output {
            path: generated.join(&s.name).join("schema.sql"),
            content: strata::render::sql::schema_sql(s),
        });
        match rust::try_render_module(s, &rust::Settings::default()) {
            Ok(content) => out.push(Output {
                path: generated.join("src").join(format!("{}.rs", s.name)),
                content,
            }),
            Err(e) => problems.push(format!("{}: cannot generate Rust: {e}", s.name)),
        }
        out.push(Output {
            path: inside(&strata::render::docs::readme_path(s)),
            content: strata::render::docs::readme(s),
        });
        match migration_outputs(root, s, request) {
            Ok((o, files)) => {
                out.extend(o);
                embedded.push(rust::EmbeddedMigrations {
                    database: s.name.clone(),
                    files,
                });
            }
            Err(e) => problems.push(format!("{e:#}")),
        }
    }
    out.push(Output {
        path: generated.join("src/migrations.rs"),
        content: rust::migrations_module(&embedded),
    });
    out.push(Output {
        path: generated.join("src/lib.rs"),
        content: rust::render_lib(schemas),
    });
    out.push(Output {
        path: inside(strata::schema_language::PATH),
        content: strata::schema_language::json_schema(),
    });
    out.push(Output {
        path: inside(strata::project::JSON_SCHEMA_PATH),
        content: strata::project::json_schema(),
    });
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// `codegen --dry-run`: what would be written, with the full text of each new migration, and the
/// consent still needed; writes nothing.
fn dry_run(root: &Path, schemas: &[Schema], args: &Args) -> anyhow::Result<ExitCode> {
    // Consent is not needed to read a plan, only to write it.
    let mut request = args.request();
    let refused = match outputs(root, schemas, &request) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    };
    request.options = request.options.consent(Consent::all());
    let all = match outputs(root, schemas, &request) {
        Ok(o) => o,
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let stale = output::stale(root, &all);
    if stale.is_empty() {
        println!("dry run: nothing would change");
    }
    for (o, old) in &stale {
        let verb = if old.is_some() { "update" } else { "create" };
        println!("would {verb} {}", o.path.display());
        let is_migration = o
            .path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|d| d == "migrations");
        if is_migration && old.is_none() {
            for line in o.content.lines() {
                println!("    {line}");
            }
        }
    }
    for p in &refused {
        eprintln!("needs consent before codegen writes it: {p}");
    }
    println!("dry run: nothing was written");
    Ok(ExitCode::SUCCESS)
}

/// The new migration outputs of one database, and the file names of its whole history after
/// them (for the embedded migrations module).
fn migration_outputs(
    root: &Path,
    s: &Schema,
    request: &Request,
) -> anyhow::Result<(Vec<Output>, Vec<String>)> {
    let disk = migrations::read(root, &s.name)?;
    let problems = disk.problems();
    if !problems.is_empty() {
        anyhow::bail!("{}", problems.join("\n"));
    }
    let from = disk.schema_at(root, &s.name, disk.last_version())?;
    let outputs = migrations::next_outputs(root, &disk, &from, s, request)?;
    let mut files: Vec<(u32, String)> = disk
        .history
        .migrations
        .iter()
        .map(|e| (e.version, e.file_name()))
        .collect();
    for o in &outputs {
        if o.path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|d| d == "migrations")
            && let Some(name) = o.path.file_name().and_then(|n| n.to_str())
            && let Ok((version, _)) = strata::history::parse_file_name(name)
        {
            files.push((version, name.to_string()));
        }
    }
    files.sort();
    Ok((outputs, files.into_iter().map(|(_, f)| f).collect()))
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root();
    let Some(schemas) = workspace::load_all(&root)? else {
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
        return dry_run(&root, &schemas, args);
    }
    let outputs = match outputs(&root, &schemas, &args.request()) {
        Ok(o) => o,
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            eprintln!("nothing was written");
            return Ok(ExitCode::FAILURE);
        }
    };
    let report = output::write_all(&root, &outputs)?;
    let written: Vec<_> = report
        .iter()
        .filter(|(_, s)| *s == Status::Written)
        .collect();
    for (p, _) in &written {
        println!("wrote {}", p.display());
    }
    println!(
        "{} files written, {} unchanged",
        written.len(),
        report.len() - written.len()
    );
    Ok(ExitCode::SUCCESS)
}
