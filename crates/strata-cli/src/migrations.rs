//! Reading a database's migration history from disk and rendering its next migrations.

use crate::output::Output;
use std::path::{Path, PathBuf};
use strata::Schema;
use strata::history::{self, Entry, History, MigrationFile, MigrationKind};
use strata::plan::{self, PlanOptions};

/// A database's history as it is on disk.
pub struct OnDisk {
    pub dir: PathBuf,
    pub history: History,
    pub files: Vec<MigrationFile>,
}

pub fn db_dir(root: &Path, name: &str) -> PathBuf {
    crate::workspace::output_rel(root).join(name)
}

/// Reads a `history.yaml`; a missing file is an empty history (nothing generated yet).
pub fn read_history(path: &Path) -> anyhow::Result<History> {
    match std::fs::read_to_string(path) {
        Ok(t) => history::parse_history(&t).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(History::default()),
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}

/// Reads `generated/<db>/history.yaml` and `generated/<db>/migrations/*.sql`.
pub fn read(root: &Path, name: &str) -> anyhow::Result<OnDisk> {
    let dir = db_dir(root, name);
    let history = read_history(&root.join(&dir).join("history.yaml"))?;
    let mut files = Vec::new();
    let mig_dir = root.join(&dir).join("migrations");
    if mig_dir.is_dir() {
        for entry in std::fs::read_dir(&mig_dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|x| x == "sql") {
                let file_name = path
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default();
                files.push(MigrationFile {
                    file_name,
                    text: std::fs::read_to_string(&path)?,
                });
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
        history::verify(&self.history, &self.files)
            .into_iter()
            .map(|p| format!("{}: {p}", self.dir.join("migrations").display()))
            .collect()
    }

    pub fn last_version(&self) -> u32 {
        self.history.migrations.last().map_or(0, |e| e.version)
    }

    /// The schema model after version `version`: the latest snapshot at or before it (a
    /// hand-written migration leaves the model as it was).
    pub fn schema_at(&self, root: &Path, name: &str, version: u32) -> anyhow::Result<Schema> {
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
        let text = std::fs::read_to_string(&path).map_err(|e| {
            anyhow::anyhow!(
                "cannot read the schema snapshot {}: {e}; restore it from version control",
                path.display()
            )
        })?;
        history::parse_snapshot(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }
}

/// What to name and allow when planning.
#[derive(Clone, Default)]
pub struct Request {
    pub name: Option<String>,
    pub options: PlanOptions,
}

/// The outputs that bring the history up to `target`: new migration files, the snapshot after
/// them, and history.yaml (open hand-written migrations are sealed). Empty when up to date.
pub fn next_outputs(
    root: &Path,
    disk: &OnDisk,
    from: &Schema,
    target: &Schema,
    request: &Request,
) -> anyhow::Result<Vec<Output>> {
    let source = format!("schemas/{}", target.name);
    let header = strata::render::header("--", &source);
    let mut texts: Vec<(bool, String, String)> = Vec::new();
    if disk.history.migrations.is_empty() {
        texts.push((
            true,
            strata::render::sql::schema_sql(target),
            "initial".into(),
        ));
    } else {
        let plan = plan::plan(from, target, &request.options)
            .map_err(|e| anyhow::anyhow!("schemas/{}: {e}", target.name))?;
        if plan.is_empty() {
            return Ok(Vec::new());
        }
        for m in plan.migrations(&header, &request.options.lock_timeout) {
            texts.push((m.transactional, m.sql, m.suggested_name));
        }
    }
    let mut history = disk.history.clone();
    for e in &mut history.migrations {
        if e.checksum.is_none()
            && let Some(f) = disk.files.iter().find(|f| f.file_name == e.file_name())
        {
            e.checksum = Some(history::checksum(&f.text));
        }
    }
    let mut outputs = Vec::new();
    let mut version = disk.last_version();
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
            path: disk.dir.join("migrations").join(file),
            content: sql,
        });
    }
    let snapshot = history::snapshot_text(target).map_err(|e| anyhow::anyhow!(e))?;
    outputs.push(Output {
        path: disk.dir.join("snapshots").join(format!("V{version}.json")),
        content: snapshot,
    });
    outputs.push(Output {
        path: disk.dir.join("history.yaml"),
        content: history::history_text(&history).map_err(|e| anyhow::anyhow!(e))?,
    });
    let _ = root;
    Ok(outputs)
}

/// `generated/src/migrations.rs` as the histories on disk describe it (after a command that
/// added a migration file outside `codegen`).
pub fn embedded_output(root: &Path) -> anyhow::Result<Output> {
    let mut dbs = Vec::new();
    for loc in strata::load::discover(&root.join(crate::workspace::schemas_rel(root)))? {
        let disk = read(root, &loc.name)?;
        dbs.push(strata::render::rust::EmbeddedMigrations {
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
        path: crate::workspace::output_rel(root).join("src/migrations.rs"),
        content: strata::render::rust::migrations_module(&dbs),
    })
}
