//! Writing generated files: everything is rendered in memory first, then only files whose bytes
//! changed are replaced, each through a temporary file and a rename, so a run never half-writes
//! a file. Files codegen generated before and nothing generates now are deleted, and the
//! manifest is written last (a failed run leaves the old one, so the next run retries).

use super::{Error, Output, manifest};
use crate::project::Project;
use std::path::{Path, PathBuf};

/// What happened to one output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Unchanged,
    Written,
}

/// What a codegen run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Every output with what happened to it, in order (the manifest last).
    pub files: Vec<(PathBuf, Status)>,
    /// Files generated before that nothing generates now, deleted.
    pub deleted: Vec<PathBuf>,
    /// The migration history (migrations, snapshots, history.yaml) of databases no longer
    /// generated, kept because deleting it was not consented to.
    pub kept_history: Vec<PathBuf>,
}

impl Report {
    /// The outputs that were written.
    pub fn written(&self) -> impl Iterator<Item = &Path> {
        self.files
            .iter()
            .filter(|(_, s)| *s == Status::Written)
            .map(|(p, _)| p.as_path())
    }
}

/// Writes every output whose content differs from the file on disk.
pub fn write_all(root: &Path, outputs: &[Output]) -> Result<Vec<(PathBuf, Status)>, Error> {
    let mut report = Vec::with_capacity(outputs.len());
    for o in outputs {
        let full = root.join(&o.path);
        if std::fs::read(&full).is_ok_and(|old| old == o.content.as_bytes()) {
            report.push((o.path.clone(), Status::Unchanged));
            continue;
        }
        let write_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Write { path, source }
        };
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).map_err(write_err(dir))?;
        }
        let tmp = full.with_extension("strata-tmp");
        std::fs::write(&tmp, o.content.as_bytes()).map_err(write_err(&tmp))?;
        std::fs::rename(&tmp, &full).map_err(write_err(&full))?;
        report.push((o.path.clone(), Status::Written));
    }
    Ok(report)
}

/// The outputs whose file on disk is missing or different, with the text on disk if any.
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

/// Deletes `paths` (relative to the root) and then every folder they leave empty, up to (not
/// including) the output folder.
pub fn delete(root: &Path, project: &Project, paths: &[PathBuf]) -> Result<(), Error> {
    for p in paths {
        let full = root.join(p);
        match std::fs::remove_file(&full) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(Error::Delete { path: full, source }),
        }
        let mut dir = p.parent();
        while let Some(d) = dir {
            if d == project.output || !d.starts_with(&project.output) {
                break;
            }
            // Only an empty folder is removed; anything else stops the walk.
            if std::fs::remove_dir(root.join(d)).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}

/// Whether `path` (relative to the root) is part of a database's migration history: its
/// migrations, snapshots or `history.yaml` — the record of what was applied to databases, which
/// nothing can regenerate.
pub fn is_history(project: &Project, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(&project.output) else {
        return false;
    };
    let parts: Vec<&std::ffi::OsStr> = rel.iter().collect();
    match parts.as_slice() {
        [_, f] => *f == "history.yaml",
        [_, dir, ..] => *dir == "migrations" || *dir == "snapshots",
        _ => false,
    }
}

/// codegen's write: every changed output, then the deletion of files generated before that
/// `outputs` no longer include, then the manifest. The migration history of a database that is
/// no longer generated is deleted only with `delete_history` (consent); otherwise it is kept,
/// stays in the manifest, and `check` keeps reporting it.
pub fn apply(
    root: &Path,
    project: &Project,
    outputs: &[Output],
    delete_history: bool,
) -> Result<Report, Error> {
    let own = manifest::path(project);
    let obsolete = manifest::obsolete(root, project, outputs)?;
    let (kept_history, deleted): (Vec<PathBuf>, Vec<PathBuf>) = obsolete
        .into_iter()
        .partition(|p| !delete_history && is_history(project, p));
    let (mut last, first): (Vec<Output>, Vec<Output>) =
        outputs.iter().cloned().partition(|o| o.path == own);
    if !kept_history.is_empty() {
        for m in &mut last {
            let mut paths = manifest::parse(project, &m.content);
            paths.extend(kept_history.iter().cloned());
            *m = manifest::output(project, paths);
        }
    }
    let mut files = write_all(root, &first)?;
    delete(root, project, &deleted)?;
    files.extend(write_all(root, &last)?);
    Ok(Report {
        files,
        deleted,
        kept_history,
    })
}

/// Writes the outputs of a command other than codegen (a hand-written migration, a revert) and
/// lists them in the manifest.
pub fn write_recorded(
    root: &Path,
    project: &Project,
    outputs: &[Output],
) -> Result<Vec<(PathBuf, Status)>, Error> {
    let report = write_all(root, outputs)?;
    let paths: Vec<PathBuf> = outputs.iter().map(|o| o.path.clone()).collect();
    write_all(root, &[manifest::record(root, project, &paths)?])?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("strata-write-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    }

    fn out(path: &str, content: &str) -> Output {
        Output {
            path: path.into(),
            content: content.into(),
        }
    }

    #[test]
    fn apply_deletes_only_what_the_old_manifest_lists_and_nothing_generates_now() {
        let root = temp("apply");
        let p = Project::default();
        let first = [
            out("generated/a/schema.sql", "a\n"),
            out("generated/b/schema.sql", "b\n"),
            out("generated/b/migrations/V1__initial.sql", "b1\n"),
        ];
        let mut outputs = first.to_vec();
        outputs.push(manifest::output(&p, first.iter().map(|o| o.path.clone())));
        let report = apply(&root, &p, &outputs, false).expect("apply");
        assert_eq!(report.written().count(), 4);
        assert!(report.deleted.is_empty());
        std::fs::write(root.join("generated/b/mine.txt"), "kept\n").expect("write");
        // `b` is gone.
        let second = [out("generated/a/schema.sql", "a2\n")];
        let mut outputs = second.to_vec();
        outputs.push(manifest::output(&p, second.iter().map(|o| o.path.clone())));
        // Without consent, `b`'s migration history is kept (and stays in the manifest).
        let report = apply(&root, &p, &outputs, false).expect("apply");
        assert_eq!(report.deleted, [PathBuf::from("generated/b/schema.sql")]);
        assert_eq!(
            report.kept_history,
            [PathBuf::from("generated/b/migrations/V1__initial.sql")]
        );
        assert!(
            root.join("generated/b/migrations/V1__initial.sql")
                .is_file()
        );
        // With consent it goes too.
        let report = apply(&root, &p, &outputs, true).expect("apply");
        assert_eq!(
            report.deleted,
            [PathBuf::from("generated/b/migrations/V1__initial.sql")]
        );
        assert!(
            !root.join("generated/b/migrations").exists(),
            "emptied folder"
        );
        assert!(root.join("generated/b/mine.txt").is_file(), "not codegen's");
        assert_eq!(
            std::fs::read_to_string(root.join("generated/a/schema.sql")).expect("read"),
            "a2\n"
        );
        assert_eq!(
            manifest::read(&root, &p).expect("manifest"),
            [PathBuf::from("generated/a/schema.sql")]
        );
        // A second run changes nothing.
        let report = apply(&root, &p, &outputs, false).expect("apply");
        assert_eq!(report.written().count(), 0);
        assert!(report.deleted.is_empty());
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn write_recorded_adds_to_the_manifest() {
        let root = temp("recorded");
        let p = Project::default();
        let outputs = [out("generated/a/migrations/V2__fix.sql", "-- fix\n")];
        write_recorded(&root, &p, &outputs).expect("write");
        assert_eq!(
            manifest::read(&root, &p).expect("manifest"),
            [PathBuf::from("generated/a/migrations/V2__fix.sql")]
        );
        let _ = std::fs::remove_dir_all(&root);
    }
}
