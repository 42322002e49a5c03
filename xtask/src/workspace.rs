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
