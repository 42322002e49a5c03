//! Where things are in a project, and loading every schema.
//!
//! The project root is found when the command runs, never when it was built: `STRATA_ROOT` if
//! set; else the nearest folder at or above the working directory with a `strata.toml`; else,
//! under `cargo run` (a team's `cargo xtask`), the parent of the running crate's folder
//! (`CARGO_MANIFEST_DIR` of the process); else the working directory.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether errors are printed as GitHub Actions annotations (`check --format github`).
static GITHUB: AtomicBool = AtomicBool::new(false);

/// Print errors as GitHub Actions annotations from now on.
pub fn annotate_for_github() {
    GITHUB.store(true, Ordering::Relaxed);
}

/// Prints a schema's errors: rendered with source lines, or as annotations.
pub fn print_diagnostics(d: &strata::Diagnostics) {
    if GITHUB.load(Ordering::Relaxed) {
        print!("{}", d.to_github_annotations());
    } else {
        eprint!("{}", d.render(std::io::stderr().is_terminal()));
    }
}
use std::path::{Path, PathBuf};
use strata::Schema;
use strata::load::{discover, load_location};
use strata::project::Project;

/// The project root (see the module's documentation).
pub fn root() -> PathBuf {
    if let Some(r) = std::env::var_os("STRATA_ROOT") {
        return PathBuf::from(r);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if let Some(r) = strata::project::find_root(&cwd) {
        return r;
    }
    if let Some(manifest) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from)
        && let Some(parent) = manifest.parent()
    {
        return parent.to_path_buf();
    }
    cwd
}

/// The project's settings (`strata.toml`, or the defaults); errors are printed with their
/// location.
pub fn project(root: &Path) -> anyhow::Result<Project> {
    Project::load(root).map_err(|d| {
        print_diagnostics(&d);
        anyhow::anyhow!("{} is not valid", strata::project::FILE_NAME)
    })
}

/// The folder of schema files, relative to the root.
pub fn schemas_rel(root: &Path) -> PathBuf {
    project(root)
        .map(|p| p.schemas)
        .unwrap_or_else(|_| PathBuf::from("schemas"))
}

/// The folder codegen writes, relative to the root.
pub fn output_rel(root: &Path) -> PathBuf {
    project(root)
        .map(|p| p.output)
        .unwrap_or_else(|_| PathBuf::from("generated"))
}

/// The databases of the project: those under the schema folder that `strata.toml` includes.
fn locations(root: &Path) -> anyhow::Result<Vec<strata::load::SchemaLocation>> {
    let project = project(root)?;
    let dir = root.join(&project.schemas);
    let mut found =
        discover(&dir).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
    found.retain(|l| project.includes(&l.name));
    Ok(found)
}

/// Loads one database and adds the project's derives.
pub fn load(
    loc: &strata::load::SchemaLocation,
    root: &Path,
) -> Result<Schema, strata::Diagnostics> {
    let mut schema = load_location(loc, root)?;
    if let Ok(p) = project(root) {
        for d in p.derives {
            if !schema.derives.contains(&d) {
                schema.derives.push(d);
            }
        }
    }
    Ok(schema)
}

/// Loads every database of the project; on any error prints all of them and returns `None`.
pub fn load_all(root: &Path) -> anyhow::Result<Option<Vec<Schema>>> {
    let locations = locations(root)?;
    let mut schemas = Vec::new();
    let mut failed = false;
    for loc in &locations {
        match load(loc, root) {
            Ok(s) => schemas.push(s),
            Err(d) => {
                failed = true;
                print_diagnostics(&d);
            }
        }
    }
    Ok((!failed).then_some(schemas))
}

/// The database a command is about: `--schema <name>`, or the only one under `schemas/`.
pub fn pick_schema(
    root: &Path,
    name: Option<&str>,
) -> anyhow::Result<strata::load::SchemaLocation> {
    let dir = root.join(schemas_rel(root));
    let mut locations = locations(root)?;
    let names = || {
        locations
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(n) => match locations.iter().position(|l| l.name == n) {
            Some(i) => Ok(locations.swap_remove(i)),
            None => anyhow::bail!(
                "there is no schema `{n}` under {}; the schemas are: {}",
                dir.display(),
                names()
            ),
        },
        None if locations.len() == 1 => Ok(locations.remove(0)),
        None => anyhow::bail!(
            "{} holds {} schemas ({}): say which one with --schema <DB>",
            dir.display(),
            locations.len(),
            names()
        ),
    }
}
