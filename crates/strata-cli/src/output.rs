//! Writing generated files: everything is rendered in memory first, then only files whose bytes
//! changed are replaced, each through a temporary file and a rename, so a run never half-writes.

use std::path::{Path, PathBuf};

/// A file to write: its path relative to the repository root, and its full content.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    pub content: String,
}

/// What happened to one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Unchanged,
    Written,
}

/// Writes every output whose content differs from the file on disk.
pub fn write_all(root: &Path, outputs: &[Output]) -> anyhow::Result<Vec<(PathBuf, Status)>> {
    let mut report = Vec::with_capacity(outputs.len());
    for o in outputs {
        let full = root.join(&o.path);
        if std::fs::read(&full).is_ok_and(|old| old == o.content.as_bytes()) {
            report.push((o.path.clone(), Status::Unchanged));
            continue;
        }
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = full.with_extension("strata-tmp");
        std::fs::write(&tmp, o.content.as_bytes())?;
        std::fs::rename(&tmp, &full)?;
        report.push((o.path.clone(), Status::Written));
    }
    Ok(report)
}

/// The outputs whose file on disk is missing or different (for `check`).
pub fn stale<'a>(root: &Path, outputs: &'a [Output]) -> Vec<(&'a Output, Option<String>)> {
    outputs
        .iter()
        .filter_map(|o| match std::fs::read_to_string(root.join(&o.path)) {
            Ok(old) if old == o.content => None,
            Ok(old) => Some((o, Some(old))),
            Err(_) => Some((o, None)),
        })
        .collect()
}
