//! The pipeline every front runs (the `strata` command, a team's `cargo xtask`): which schemas a
//! project has, what is generated from them and where, the migration history on disk (numbering
//! the next migration, sealing hand-written ones, snapshots), writing only changed files, and the
//! manifest of generated files that lets codegen delete what no schema produces any more.
//!
//! Everything works on a project root plus its [`Project`] settings (`strata.toml`); nothing
//! here prints or exits. Paths in results are relative to the root.
//!
//! - [`outputs`]: every generated file rendered in memory ([`outputs::outputs`]);
//! - [`history_files`]: `history.yaml`, `migrations/` and `snapshots/` of one database;
//! - [`write`]: writing changed files through a temporary file and a rename, deleting old ones;
//! - [`manifest`]: `<output>/.strata-manifest`, the files codegen generated;
//! - [`fingerprint`]: the hashes in the manifest that let `check` skip rendering when nothing
//!   changed;
//! - [`check`]: what is out of date, as findings a front prints.

pub mod check;
pub mod fingerprint;
pub mod history_files;
pub mod manifest;
pub mod outputs;
pub mod write;

pub use check::{Finding, findings};
pub use history_files::{OnDisk, Request};
pub use outputs::{Output, outputs};
pub use write::{Report, Status};

use crate::diag::Diagnostics;
use crate::load::{SchemaLocation, discover, load_location};
use crate::model::Schema;
use crate::project::Project;
use std::path::{Path, PathBuf};

/// Why a pipeline step failed; each variant names the file or database it is about.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file or folder could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file that is no longer generated could not be deleted.
    #[error("cannot delete {}: {source}", path.display())]
    Delete {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `history.yaml` is not a history.
    #[error("{}: {source}", path.display())]
    History {
        path: PathBuf,
        #[source]
        source: crate::history::Error,
    },
    /// A snapshot the history needs is missing.
    #[error(
        "cannot read the schema snapshot {}: {source}; restore it from version control",
        path.display()
    )]
    SnapshotMissing {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A snapshot is not a schema model.
    #[error("{}: {source}", path.display())]
    Snapshot {
        path: PathBuf,
        #[source]
        source: crate::history::Error,
    },
    /// A history or snapshot could not be serialized.
    #[error("{}: {source}", path.display())]
    Serialize {
        path: PathBuf,
        #[source]
        source: crate::history::Error,
    },
    /// The migration files disagree with `history.yaml` (one line per problem).
    #[error("{}", inconsistent(dir, problems))]
    Inconsistent {
        /// The database's folder (`generated/<db>`).
        dir: PathBuf,
        problems: Vec<crate::history::Problem>,
    },
    /// The planner refused or failed (e.g. a destructive step without consent).
    #[error("schemas/{database}: {source}")]
    Plan {
        database: String,
        #[source]
        source: Box<crate::plan::PlanError>,
    },
    /// The Rust models could not be rendered.
    #[error("{database}: cannot generate Rust: {source}")]
    Rust {
        database: String,
        #[source]
        source: crate::render::rust::RenderError,
    },
    /// Schemas that do not load (each with its located errors).
    #[error("{} schema(s) have errors", .0.len())]
    Schemas(Vec<Diagnostics>),
    /// `--schema` names no database of the project.
    #[error(
        "there is no schema `{name}` under {}; the schemas are: {}",
        dir.display(),
        names.join(", ")
    )]
    NoSuchSchema {
        name: String,
        dir: PathBuf,
        names: Vec<String>,
    },
    /// The project has several databases and the command needs one.
    #[error(
        "{} holds {} schemas ({}): say which one with --schema <DB>",
        dir.display(),
        names.len(),
        names.join(", ")
    )]
    WhichSchema { dir: PathBuf, names: Vec<String> },
    /// A revert to a version the history does not allow.
    #[error(
        "`--to {to}`: choose a version from 1 to {} (the last is {last})",
        last.saturating_sub(1)
    )]
    RevertTarget { to: u32, last: u32 },
}

fn inconsistent(dir: &Path, problems: &[crate::history::Problem]) -> String {
    let dir = dir.join("migrations");
    problems
        .iter()
        .map(|p| format!("{}: {p}", dir.display()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The databases of the project: those under its schema folder that `strata.toml` includes.
pub fn locations(root: &Path, project: &Project) -> Result<Vec<SchemaLocation>, Error> {
    let dir = root.join(&project.schemas);
    let mut found = discover(&dir).map_err(|source| Error::Read { path: dir, source })?;
    found.retain(|l| project.includes(&l.name));
    Ok(found)
}

/// Loads one database and adds the project's derives.
pub fn load(
    root: &Path,
    project: &Project,
    location: &SchemaLocation,
) -> Result<Schema, Diagnostics> {
    let mut schema = load_location(location, root)?;
    for d in &project.derives {
        if !schema.derives.contains(d) {
            schema.derives.push(d.clone());
        }
    }
    Ok(schema)
}

/// Loads every database of the project; [`Error::Schemas`] holds the errors of all that fail.
pub fn load_all(root: &Path, project: &Project) -> Result<Vec<Schema>, Error> {
    let mut schemas = Vec::new();
    let mut failed = Vec::new();
    for loc in &locations(root, project)? {
        match load(root, project, loc) {
            Ok(s) => schemas.push(s),
            Err(d) => failed.push(d),
        }
    }
    if failed.is_empty() {
        Ok(schemas)
    } else {
        Err(Error::Schemas(failed))
    }
}

/// The database a command is about: the one named, or the only one of the project.
pub fn pick(root: &Path, project: &Project, name: Option<&str>) -> Result<SchemaLocation, Error> {
    let dir = root.join(&project.schemas);
    let mut locations = locations(root, project)?;
    let names = || locations.iter().map(|l| l.name.clone()).collect::<Vec<_>>();
    match name {
        Some(n) => match locations.iter().position(|l| l.name == n) {
            Some(i) => Ok(locations.swap_remove(i)),
            None => Err(Error::NoSuchSchema {
                name: n.to_string(),
                dir,
                names: names(),
            }),
        },
        None if locations.len() == 1 => Ok(locations.remove(0)),
        None => Err(Error::WhichSchema {
            dir,
            names: names(),
        }),
    }
}
