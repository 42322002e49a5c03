//! What `check` finds: every generated file that is missing or differs, migrations a schema
//! change still needs, and files generated for schemas that are gone. Writes nothing.

use super::{Error, Request, manifest, outputs, write};
use crate::model::Schema;
use crate::project::Project;
use std::path::{Path, PathBuf};

/// One thing out of date, with the file it is about (relative to the root).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// A migration a schema change needs is not written yet.
    MissingMigration { path: PathBuf },
    /// A generated file is missing.
    Missing { path: PathBuf },
    /// A generated file differs from what the schemas generate.
    Differs {
        path: PathBuf,
        on_disk: String,
        generated: String,
    },
    /// A file codegen generated (it is in the manifest) that nothing generates now; the next
    /// codegen deletes it.
    Obsolete { path: PathBuf },
    /// A Rust module or DDL script no schema produces and the manifest does not list (written
    /// before there was a manifest, or by hand).
    Stray { path: PathBuf },
}

impl Finding {
    /// The file the finding is about.
    pub fn path(&self) -> &Path {
        match self {
            Finding::MissingMigration { path }
            | Finding::Missing { path }
            | Finding::Differs { path, .. }
            | Finding::Obsolete { path }
            | Finding::Stray { path } => path,
        }
    }
}

/// Everything out of date in the project (empty when all is current); `Err` holds the problems
/// that stop codegen itself (an inconsistent history, a refused plan).
pub fn findings(
    root: &Path,
    project: &Project,
    schemas: &[Schema],
    request: &Request,
) -> Result<Vec<Finding>, Vec<Error>> {
    let outputs = outputs(root, project, schemas, request)?;
    let own = manifest::path(project);
    let mut found = Vec::new();
    let mut manifest_finding = None;
    for (o, old) in write::stale(root, &outputs) {
        // The manifest's fingerprint only lets a later check skip work: one that differs (a
        // schema's comment edited, line endings changed by a checkout) is no finding.
        if o.path == own
            && old.as_deref().is_some_and(|old| {
                manifest::without_fingerprint(old) == manifest::without_fingerprint(&o.content)
            })
        {
            continue;
        }
        let path = o.path.clone();
        let is_migration = o.path.components().any(|c| c.as_os_str() == "migrations");
        let f = match (old, is_migration) {
            (None, true) => Finding::MissingMigration { path },
            (None, false) => Finding::Missing { path },
            (Some(on_disk), _) => Finding::Differs {
                path,
                on_disk,
                generated: o.content.clone(),
            },
        };
        if o.path == own {
            manifest_finding = Some(f);
        } else {
            found.push(f);
        }
    }
    let obsolete = manifest::obsolete(root, project, &outputs).map_err(|e| vec![e])?;
    for path in stray_files(root, project, |p| outputs.iter().any(|o| o.path == p)) {
        if !obsolete.contains(&path) {
            found.push(Finding::Stray { path });
        }
    }
    found.extend(obsolete.into_iter().map(|path| Finding::Obsolete { path }));
    // The manifest follows from the rest: it is worth a finding only when nothing else is.
    if found.is_empty()
        && let Some(f) = manifest_finding
    {
        found.push(f);
    }
    Ok(found)
}

/// Generated Rust files and DDL scripts on disk that are not `known` outputs.
pub(super) fn stray_files(
    root: &Path,
    project: &Project,
    known: impl Fn(&Path) -> bool,
) -> Vec<PathBuf> {
    let mut stray = Vec::new();
    let generated = &project.output;
    if let Ok(entries) = std::fs::read_dir(root.join(generated).join("src")) {
        for e in entries.flatten() {
            let rel = generated.join("src").join(e.file_name());
            if rel.extension().is_some_and(|x| x == "rs")
                && rel.file_name().is_some_and(|f| f != "lib.rs")
                && !known(&rel)
            {
                stray.push(rel);
            }
        }
    }
    if let Ok(entries) = std::fs::read_dir(root.join(generated)) {
        for e in entries.flatten() {
            let rel = generated.join(e.file_name()).join("schema.sql");
            if root.join(&rel).is_file() && !known(&rel) {
                stray.push(rel);
            }
        }
    }
    stray.sort();
    stray
}
