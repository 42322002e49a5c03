//! Where things are in a project, and loading every schema.
//!
//! The project root is found when the command runs, never when it was built: `STRATA_ROOT` if
//! set; else the nearest folder at or above the working directory with a `strata.toml`; else,
//! under `cargo run` (a team's `cargo xtask`), the parent of the running crate's folder
//! (`CARGO_MANIFEST_DIR` of the process); else the working directory.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use strata::Schema;
use strata::pipeline;
use strata::project::Project;

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

/// Loads every database of the project; on any error prints all of them and returns `None`.
pub fn load_all(root: &Path) -> anyhow::Result<Option<Vec<Schema>>> {
    schemas(root, &project(root)?)
}

/// [`load_all`] with the project already read.
pub fn schemas(root: &Path, project: &Project) -> anyhow::Result<Option<Vec<Schema>>> {
    match pipeline::load_all(root, project) {
        Ok(schemas) => Ok(Some(schemas)),
        Err(pipeline::Error::Schemas(failed)) => {
            failed.iter().for_each(print_diagnostics);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// The database a command is about: `--schema <name>`, or the only one under `schemas/`.
pub fn pick_schema(
    root: &Path,
    name: Option<&str>,
) -> anyhow::Result<strata::load::SchemaLocation> {
    Ok(pipeline::pick(root, &project(root)?, name)?)
}
