//! The migration history on disk for the commands that talk to a database (`drift`, `migrate`):
//! the pipeline's reader ([`strata::pipeline::history_files`]) with the project found at run
//! time.

use std::path::Path;
use strata::history::History;
use strata::pipeline::{OnDisk, history_files};

/// Reads `generated/<db>/history.yaml` and `generated/<db>/migrations/*.sql`.
pub fn read(root: &Path, name: &str) -> anyhow::Result<OnDisk> {
    let project = crate::workspace::project(root)?;
    Ok(history_files::read(root, &project, name)?)
}

/// Reads a `history.yaml`; a missing file is an empty history.
pub fn read_history(path: &Path) -> anyhow::Result<History> {
    Ok(history_files::read_history(path)?)
}
