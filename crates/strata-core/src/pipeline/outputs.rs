//! What codegen generates from a project's schemas, rendered in memory: per database its
//! `schema.sql`, Rust module, README and next migrations; then the crate's `lib.rs` and
//! `migrations.rs`, the JSON Schemas for editors, and the manifest of all of it.

use super::history_files::{self, Request};
use super::{Error, manifest};
use crate::model::Schema;
use crate::project::Project;
use crate::render::rust;
use std::path::{Path, PathBuf};

/// A file to write: its path relative to the project root, and its full content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub content: String,
}

impl Output {
    /// Whether this is a migration file (`…/migrations/V<n>__<name>.sql`).
    pub fn is_migration(&self) -> bool {
        self.path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|d| d == "migrations")
    }
}

/// Everything generated from `schemas`, the manifest last; `Err` lists every problem (history
/// problems, refused plans, names Rust cannot use) and nothing should be written.
pub fn outputs(
    root: &Path,
    project: &Project,
    schemas: &[Schema],
    request: &Request,
) -> Result<Vec<Output>, Vec<Error>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut embedded = Vec::new();
    // Files of the histories on disk: generated before, still part of the output.
    let mut kept = Vec::new();
    let generated = &project.output;
    // Paths the core names inside `generated/` move with the project's output folder.
    let inside = |p: &str| generated.join(p.strip_prefix("generated/").unwrap_or(p));
    for s in schemas {
        out.push(Output {
            path: generated.join(&s.name).join("schema.sql"),
            content: crate::render::sql::schema_sql(s),
        });
        match rust::try_render_module(s, &rust::Settings::default()) {
            Ok(content) => out.push(Output {
                path: generated.join("src").join(format!("{}.rs", s.name)),
                content,
            }),
            Err(source) => problems.push(Error::Rust {
                database: s.name.clone(),
                source,
            }),
        }
        out.push(Output {
            path: inside(&crate::render::docs::readme_path(s)),
            content: crate::render::docs::readme(s),
        });
        match migration_outputs(root, project, s, request) {
            Ok(m) => {
                out.extend(m.outputs);
                kept.extend(m.on_disk);
                embedded.push(rust::EmbeddedMigrations {
                    database: s.name.clone(),
                    files: m.files,
                });
            }
            Err(e) => problems.push(e),
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
        path: inside(crate::schema_language::PATH),
        content: crate::schema_language::json_schema(),
    });
    out.push(Output {
        path: inside(crate::project::JSON_SCHEMA_PATH),
        content: crate::project::json_schema(),
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    let listed: Vec<PathBuf> = out.iter().map(|o| o.path.clone()).chain(kept).collect();
    // With the hashes of what this run produces, `check` can tell later that nothing changed.
    let kept = &listed[out.len()..];
    let m = match super::fingerprint::of_run(root, project, &out, kept) {
        Some(fp) => manifest::fingerprinted(project, listed.iter().cloned(), &fp),
        None => manifest::output(project, listed.iter().cloned()),
    };
    out.push(m);
    Ok(out)
}

/// One database's part of the migrations.
struct Migrations {
    /// New migration files, their snapshot and history.yaml.
    outputs: Vec<Output>,
    /// The file names of the whole history after them (for the embedded migrations module).
    files: Vec<String>,
    /// The history's files already on disk.
    on_disk: Vec<PathBuf>,
}

fn migration_outputs(
    root: &Path,
    project: &Project,
    s: &Schema,
    request: &Request,
) -> Result<Migrations, Error> {
    let disk = history_files::read(root, project, &s.name)?;
    disk.verify()?;
    let from = disk.schema_at(root, &s.name, disk.last_version())?;
    let outputs = disk.next_outputs(&from, s, request)?;
    let mut files: Vec<(u32, String)> = disk
        .history
        .migrations
        .iter()
        .map(|e| (e.version, e.file_name()))
        .collect();
    for o in &outputs {
        if o.is_migration()
            && let Some(name) = o.path.file_name().and_then(|n| n.to_str())
            && let Ok((version, _)) = crate::history::parse_file_name(name)
        {
            files.push((version, name.to_string()));
        }
    }
    files.sort();
    Ok(Migrations {
        outputs,
        files: files.into_iter().map(|(_, f)| f).collect(),
        on_disk: disk.files_on_disk(root),
    })
}
