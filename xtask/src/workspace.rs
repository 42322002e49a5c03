//! Where things are in the repository, and loading every schema.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use strata::Schema;
use strata::load::{discover, load_location};

/// The repository root: `STRATA_ROOT` if set (tests run the commands on a copy), else the
/// parent of this crate's folder.
pub fn root() -> PathBuf {
    if let Some(r) = std::env::var_os("STRATA_ROOT") {
        return PathBuf::from(r);
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or(manifest.clone(), Path::to_path_buf)
}

/// Loads every database under `schemas/`; on any error prints all of them and returns `None`.
pub fn load_all(root: &Path) -> anyhow::Result<Option<Vec<Schema>>> {
    let dir = root.join("schemas");
    let locations =
        discover(&dir).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
    let mut schemas = Vec::new();
    let mut failed = false;
    let color = std::io::stderr().is_terminal();
    for loc in &locations {
        match load_location(loc, root) {
            Ok(s) => schemas.push(s),
            Err(d) => {
                failed = true;
                eprint!("{}", d.render(color));
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
    let dir = root.join("schemas");
    let mut locations =
        discover(&dir).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
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
