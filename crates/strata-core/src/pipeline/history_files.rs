//! One database's migration history on disk (`<output>/<db>/history.yaml`, `migrations/*.sql`,
//! `snapshots/V<n>.json`): reading it, the schema at a version, numbering and writing the next
//! migrations, hand-written migrations, sealing them, and reverting.

use super::{Error, Output};
use crate::history::{self, Entry, History, MigrationFile, MigrationKind};
use crate::model::Schema;
use crate::plan::{self, PlanOptions};
use crate::project::Project;
use std::path::{Path, PathBuf};

/// A database's history as it is on disk.
#[derive(Debug, Clone)]
pub struct OnDisk {
    /// The database's folder, relative to the root (`generated/<db>`).
    pub dir: PathBuf,
    pub history: History,
    /// The `migrations/*.sql` files, sorted by name.
    pub files: Vec<MigrationFile>,
}

/// What to name and allow when planning.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The name of the new migration (default: derived from the change).
    pub name: Option<String>,
    pub options: PlanOptions,
}

/// The folder of database `name`, relative to the root.
pub fn db_dir(project: &Project, name: &str) -> PathBuf {
    project.output.join(name)
}

/// Reads a `history.yaml`; a missing file is an empty history (nothing generated yet).
pub fn read_history(path: &Path) -> Result<History, Error> {
    match std::fs::read_to_string(path) {
        Ok(t) => history::parse_history(&t).map_err(|source| Error::History {
            path: path.to_path_buf(),
            source,
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(History::default()),
        Err(source) => Err(Error::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Reads `<output>/<db>/history.yaml` and `<output>/<db>/migrations/*.sql`.
pub fn read(root: &Path, project: &Project, name: &str) -> Result<OnDisk, Error> {
    let dir = db_dir(project, name);
    let history = read_history(&root.join(&dir).join("history.yaml"))?;
    let mut files = Vec::new();
    let mig_dir = root.join(&dir).join("migrations");
    let read_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Read { path, source }
    };
    if mig_dir.is_dir() {
        for entry in std::fs::read_dir(&mig_dir).map_err(read_err(&mig_dir))? {
            let path = entry.map_err(read_err(&mig_dir))?.path();
            if path.extension().is_some_and(|x| x == "sql") {
                let file_name = path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let text = std::fs::read_to_string(&path).map_err(read_err(&path))?;
                files.push(MigrationFile { file_name, text });
            }
        }
    }
    files.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    Ok(OnDisk {
        dir,
        history,
        files,
    })
}

impl OnDisk {
    /// Problems with the history, as messages naming the file and what to do.
    pub fn problems(&self) -> Vec<String> {
        let dir = self.dir.join("migrations");
        history::verify(&self.history, &self.files)
            .into_iter()
            .map(|p| format!("{}: {p}", dir.display()))
            .collect()
    }

    /// `Ok` when the files agree with `history.yaml`, else [`Error::Inconsistent`].
    pub fn verify(&self) -> Result<(), Error> {
        let problems = history::verify(&self.history, &self.files);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Inconsistent {
                dir: self.dir.clone(),
                problems,
            })
        }
    }

    /// The last recorded version (0 for an empty history).
    pub fn last_version(&self) -> u32 {
        self.history.migrations.last().map_or(0, |e| e.version)
    }

    /// The schema model after version `version`: the latest snapshot at or before it (a
    /// hand-written migration leaves the model as it was).
    pub fn schema_at(&self, root: &Path, name: &str, version: u32) -> Result<Schema, Error> {
        let snap_dir = root.join(&self.dir).join("snapshots");
        let best = self
            .history
            .migrations
            .iter()
            .filter(|e| {
                e.version <= version && snap_dir.join(format!("V{}.json", e.version)).is_file()
            })
            .map(|e| e.version)
            .max();
        let Some(v) = best else {
            return Ok(history::empty_schema(name));
        };
        let path = snap_dir.join(format!("V{v}.json"));
        let text = std::fs::read_to_string(&path).map_err(|source| Error::SnapshotMissing {
            path: path.clone(),
            source,
        })?;
        history::parse_snapshot(&text).map_err(|source| Error::Snapshot { path, source })
    }

    /// The files of this history on disk (migrations, snapshots, `history.yaml`), relative to
    /// the root: what codegen owns for a database it still produces.
    pub fn files_on_disk(&self, root: &Path) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = self
            .files
            .iter()
            .map(|f| self.dir.join("migrations").join(&f.file_name))
            .collect();
        let snapshots = self.dir.join("snapshots");
        if let Ok(entries) = std::fs::read_dir(root.join(&snapshots)) {
            for e in entries.flatten() {
                let name = e.file_name();
                if name.to_string_lossy().ends_with(".json") && e.path().is_file() {
                    out.push(snapshots.join(name));
                }
            }
        }
        let history = self.dir.join("history.yaml");
        if root.join(&history).is_file() {
            out.push(history);
        }
        out.sort();
        out
    }

    /// `history.yaml` for `history`.
    fn history_output(&self, history: &History) -> Result<Output, Error> {
        let path = self.dir.join("history.yaml");
        let content = history::history_text(history).map_err(|source| Error::Serialize {
            path: path.clone(),
            source,
        })?;
        Ok(Output { path, content })
    }

    /// The history with every open hand-written migration sealed (its checksum recorded), and
    /// how many were sealed.
    fn sealed(&self) -> (History, usize) {
        let mut history = self.history.clone();
        let mut sealed = 0;
        for e in &mut history.migrations {
            if e.checksum.is_none()
                && let Some(f) = self.files.iter().find(|f| f.file_name == e.file_name())
            {
                e.checksum = Some(history::checksum(&f.text));
                sealed += 1;
            }
        }
        (history, sealed)
    }

    /// The outputs that bring the history up to `target`: new migration files, the snapshot
    /// after them, and history.yaml (open hand-written migrations are sealed). Empty when up to
    /// date.
    pub fn next_outputs(
        &self,
        from: &Schema,
        target: &Schema,
        request: &Request,
    ) -> Result<Vec<Output>, Error> {
        let source = format!("schemas/{}", target.name);
        let header = crate::render::header("--", &source);
        let mut texts: Vec<(bool, String, String)> = Vec::new();
        if self.history.migrations.is_empty() {
            texts.push((
                true,
                crate::render::sql::initial_migration(target),
                "initial".into(),
            ));
        } else {
            let plan =
                plan::plan(from, target, &request.options).map_err(|source| Error::Plan {
                    database: target.name.clone(),
                    source: Box::new(source),
                })?;
            if plan.is_empty() {
                return Ok(Vec::new());
            }
            for m in plan.migrations(&header, &request.options.lock_timeout) {
                texts.push((m.transactional, m.sql, m.suggested_name));
            }
        }
        let (mut history, _) = self.sealed();
        let mut outputs = Vec::new();
        let mut version = self.last_version();
        let many = texts.len() > 1;
        for (i, (transactional, sql, suggested)) in texts.into_iter().enumerate() {
            version += 1;
            let base = request
                .name
                .clone()
                .map_or(suggested, |n| history::sanitize_name(&n));
            let name = if many && !transactional {
                format!("{base}_{}", if i == 0 { "before" } else { "after" })
            } else {
                base
            };
            let file = history::file_name(version, &name);
            history.migrations.push(Entry {
                version,
                name,
                kind: MigrationKind::Generated,
                transactional,
                checksum: Some(history::checksum(&sql)),
            });
            outputs.push(Output {
                path: self.dir.join("migrations").join(file),
                content: sql,
            });
        }
        let snapshot_path = self.dir.join("snapshots").join(format!("V{version}.json"));
        let snapshot = history::snapshot_text(target).map_err(|source| Error::Serialize {
            path: snapshot_path.clone(),
            source,
        })?;
        outputs.push(Output {
            path: snapshot_path,
            content: snapshot,
        });
        outputs.push(self.history_output(&history)?);
        Ok(outputs)
    }

    /// A new, empty hand-written migration `name` of database `db` as the next version (the
    /// file and history.yaml); refused when the history is inconsistent.
    pub fn hand_written(&self, db: &str, name: &str) -> Result<Vec<Output>, Error> {
        self.verify()?;
        let clean = history::sanitize_name(name);
        let version = self.last_version() + 1;
        let file = history::file_name(version, &clean);
        let text = format!(
            "-- Hand-written migration {version} of `{db}`. Strata never rewrites it.\n\
             -- Write the SQL below; it runs in one transaction through refinery.\n\
             -- Its checksum is recorded by the next `cargo xtask codegen` that adds a migration,\n\
             -- or by `cargo xtask migration seal`; after that, edits are refused.\n"
        );
        let mut history = self.history.clone();
        history.migrations.push(Entry {
            version,
            name: clean,
            kind: MigrationKind::HandWritten,
            transactional: true,
            checksum: None,
        });
        Ok(vec![
            Output {
                path: self.dir.join("migrations").join(file),
                content: text,
            },
            self.history_output(&history)?,
        ])
    }

    /// history.yaml with the checksum of every open hand-written migration recorded, and how
    /// many were sealed.
    pub fn seal(&self) -> Result<(Output, usize), Error> {
        let (history, sealed) = self.sealed();
        Ok((self.history_output(&history)?, sealed))
    }

    /// A new forward migration of database `db` back to the schema of version `to` (empty when
    /// that is the current schema). The name defaults to `revert_to_v<to>`.
    pub fn revert(
        &self,
        root: &Path,
        db: &str,
        to: u32,
        request: &Request,
    ) -> Result<Vec<Output>, Error> {
        self.verify()?;
        let last = self.last_version();
        if to == 0 || to >= last {
            return Err(Error::RevertTarget { to, last });
        }
        let current = self.schema_at(root, db, last)?;
        let target = self.schema_at(root, db, to)?;
        let mut request = request.clone();
        if request.name.is_none() {
            request.name = Some(format!("revert_to_v{to}"));
        }
        self.next_outputs(&current, &target, &request)
    }
}

/// `<output>/src/migrations.rs` as the histories on disk describe it (after a command that
/// added a migration file outside codegen).
pub fn embedded_output(root: &Path, project: &Project) -> Result<Output, Error> {
    let mut dbs = Vec::new();
    for loc in super::locations(root, project)? {
        let disk = read(root, project, &loc.name)?;
        dbs.push(crate::render::rust::EmbeddedMigrations {
            database: loc.name.clone(),
            files: disk
                .history
                .migrations
                .iter()
                .map(Entry::file_name)
                .collect(),
        });
    }
    Ok(Output {
        path: project.output.join("src/migrations.rs"),
        content: crate::render::rust::migrations_module(&dbs),
    })
}
