//! The migration history of one database: its refinery files, the record of them kept beside
//! them (`history.yaml`), and the checks that catch edited, missing, unrecorded, reordered and
//! conflicting migrations before a database ever sees them.
//!
//! Layout under `generated/<db>/`:
//! - `migrations/V<n>__<name>.sql`: refinery migrations (LF line endings; refinery's checksum
//!   covers the raw text);
//! - `history.yaml`: one entry per migration, in order, with its kind and a SHA-256 of its file;
//! - `snapshots/V<n>.json`: the normalized schema model after each generated migration, so the
//!   planner knows the schema at the end of the history without a database.

use serde::{Deserialize, Serialize};
#[cfg(feature = "pipeline")]
use sha2::{Digest, Sha256};
use std::fmt;

/// The marker a non-transactional migration carries on its second line.
pub const NON_TRANSACTIONAL_MARKER: &str = "-- strata:non-transactional";
/// The line that precedes every statement of a non-transactional migration, so the runner can
/// execute them one by one without parsing SQL.
pub const STATEMENT_MARKER: &str = "-- strata:statement";

/// What `history.yaml` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub migrations: Vec<Entry>,
}

/// One recorded migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub version: u32,
    pub name: String,
    pub kind: MigrationKind,
    /// `false` for migrations that Strata's runner executes statement by statement outside a
    /// transaction (concurrent index builds, enum values that later steps use).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub transactional: bool,
    /// SHA-256 of the file. `None` for a hand-written migration that is still open for editing;
    /// it is sealed by the next `cargo xtask codegen` that adds a migration after it, or by
    /// `cargo xtask migration seal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationKind {
    /// Planned by Strata from a schema change.
    Generated,
    /// Written by a person (`cargo xtask migration new --empty`); never rewritten by Strata.
    HandWritten,
}

impl Entry {
    pub fn file_name(&self) -> String {
        file_name(self.version, &self.name)
    }
}

/// Why a snapshot or `history.yaml` could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("cannot serialize the schema snapshot: {0}")]
    SerializeSnapshot(#[source] serde_json::Error),
    #[error("the schema snapshot cannot be read: {0}")]
    ReadSnapshot(#[source] serde_json::Error),
    /// A fragment of an old snapshot that does not parse any more.
    #[error("the schema snapshot holds {what} `{text}`, which {reason}")]
    SnapshotFragment {
        what: String,
        text: String,
        reason: String,
    },
    #[error("history.yaml cannot be read: {0}")]
    ReadHistory(#[source] serde_yaml::Error),
    #[error("cannot serialize history.yaml: {0}")]
    SerializeHistory(#[source] serde_yaml::Error),
}

/// Why refinery would skip or misread a migration file name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileNameError {
    #[error("a migration file ends in `.sql`")]
    NotSql,
    #[error("a migration file name starts with `V<number>__`")]
    NoVersion,
    #[error("a migration file name is `V<number>__<name>.sql` (two underscores)")]
    NoSeparator,
    /// Not a number from 1 to `i32::MAX` (refinery's versions are `i32`).
    #[error("`{0}` is not a version number from 1 to {max}", max = i32::MAX)]
    Version(String),
    /// A name refinery's pattern (`\w+`) would not match.
    #[error("`{0}` would make refinery skip the file: use only letters, digits and `_`")]
    Name(String),
}

/// The normalized model as stored in `snapshots/V<n>.json` (pretty JSON, LF, final newline).
pub fn snapshot_text(schema: &crate::model::Schema) -> Result<String, Error> {
    serde_json::to_string_pretty(schema)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(Error::SerializeSnapshot)
}

/// Reads a stored snapshot back into a model.
pub fn parse_snapshot(text: &str) -> Result<crate::model::Schema, Error> {
    let mut schema: crate::model::Schema =
        serde_json::from_str(text).map_err(Error::ReadSnapshot)?;
    // Snapshots written before fragments were printed from their parse tree hold them as the
    // user wrote them; printing them the same way keeps the planner from seeing a change.
    match crate::fragment::reprint_schema(&mut schema).first() {
        None => Ok(schema),
        Some((site, e)) => Err(Error::SnapshotFragment {
            what: site.what.to_string(),
            text: site.text.clone(),
            reason: e.to_string(),
        }),
    }
}

/// Reads `history.yaml`.
pub fn parse_history(text: &str) -> Result<History, Error> {
    serde_yaml::from_str(text).map_err(Error::ReadHistory)
}

/// Writes `history.yaml`, with a header saying what it is.
pub fn history_text(history: &History) -> Result<String, Error> {
    let body = serde_yaml::to_string(history).map_err(Error::SerializeHistory)?;
    Ok(format!(
        "# Strata's record of this database's migrations: every file with its SHA-256, in order.\n\
         # Written by `cargo xtask codegen` and `cargo xtask migration …`; do not edit by hand.\n{body}"
    ))
}

/// An empty schema: the state before the first migration.
pub fn empty_schema(name: &str) -> crate::model::Schema {
    crate::model::Schema {
        functions: Vec::new(),
        triggers: Vec::new(),
        roles: Vec::new(),
        grants: Vec::new(),
        sequences: Vec::new(),
        domains: Vec::new(),
        name: name.to_string(),
        description: None,
        extensions: Vec::new(),
        derives: Vec::new(),
        allow: Vec::new(),
        pg_schemas: Vec::new(),
        groups: Vec::new(),
        enums: Vec::new(),
        json_types: Vec::new(),
        tables: Vec::new(),
        views: Vec::new(),
    }
}

/// `V<version>__<name>.sql`.
pub fn file_name(version: u32, name: &str) -> String {
    format!("V{version}__{name}.sql")
}

/// A migration name that refinery will not skip: ASCII letters, digits and single underscores
/// (refinery silently ignores files whose name does not match `^[UV]\d+(\.\d+)?__\w+\.sql$`).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with('_')
}

/// Turns free text into a valid migration name (`Add bot description!` → `add_bot_description`).
pub fn sanitize_name(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let mut out = out.trim_end_matches('_').to_string();
    out.truncate(60);
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "migration".into()
    } else {
        out
    }
}

/// Parses a migration file name; `Err` says why refinery would skip or misread it.
pub fn parse_file_name(file: &str) -> Result<(u32, String), FileNameError> {
    let Some(stem) = file.strip_suffix(".sql") else {
        return Err(FileNameError::NotSql);
    };
    let Some(rest) = stem.strip_prefix('V') else {
        return Err(FileNameError::NoVersion);
    };
    let Some((num, name)) = rest.split_once("__") else {
        return Err(FileNameError::NoSeparator);
    };
    let version: u32 = num
        .parse()
        .ok()
        .filter(|v| *v >= 1 && *v <= i32::MAX as u32)
        .ok_or_else(|| FileNameError::Version(num.to_string()))?;
    if !valid_name(name) {
        return Err(FileNameError::Name(name.to_string()));
    }
    Ok((version, name.to_string()))
}

/// SHA-256 of a file's bytes, in hex (feature `pipeline`).
#[cfg(feature = "pipeline")]
pub fn checksum(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A migration file found on disk.
#[derive(Debug, Clone)]
pub struct MigrationFile {
    pub file_name: String,
    pub text: String,
}

/// Something wrong with the history, with the file it is about and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    BadFileName { file: String, why: FileNameError },
    DuplicateVersion { version: u32, files: Vec<String> },
    Edited { file: String },
    Missing { file: String },
    Unrecorded { file: String },
    Reordered { file: String, expected: String },
    CrLf { file: String },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::BadFileName { file, why } => write!(
                f,
                "{file}: not a valid migration file name: {why}; rename it (refinery would skip it silently)"
            ),
            Problem::DuplicateVersion { version, files } => write!(
                f,
                "two migrations have version {version}: {} (two branches each added one); keep the one already \
                 applied anywhere, delete the other file and its entry in history.yaml, then run `cargo xtask codegen` \
                 to plan it again as the next version",
                files.join(" and ")
            ),
            Problem::Edited { file } => write!(
                f,
                "{file} was edited after it was recorded (its checksum changed); databases that applied it will \
                 refuse to migrate. Restore it with `git checkout -- <file>` and put the change in a new migration \
                 (`cargo xtask migration new --empty <name>`)"
            ),
            Problem::Missing { file } => write!(
                f,
                "{file} is recorded in history.yaml but the file is missing; restore it from version control \
                 (`git checkout -- <file>`)"
            ),
            Problem::Unrecorded { file } => write!(
                f,
                "{file} is not recorded in history.yaml; add migrations with `cargo xtask codegen` or \
                 `cargo xtask migration new --empty <name>`, or delete the stray file"
            ),
            Problem::Reordered { file, expected } => write!(
                f,
                "history.yaml lists {expected} where the files have {file}; migrations must keep their order. \
                 Restore history.yaml from version control"
            ),
            Problem::CrLf { file } => write!(
                f,
                "{file} has CRLF line endings; refinery's checksum covers the raw text. Convert it to LF \
                 (the repository's .gitattributes keeps migrations LF)"
            ),
        }
    }
}

/// Checks the files on disk against the history. An empty result means they agree (feature
/// `pipeline`: it compares checksums).
#[cfg(feature = "pipeline")]
pub fn verify(history: &History, files: &[MigrationFile]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut parsed: Vec<(u32, String, &MigrationFile)> = Vec::new();
    for f in files {
        match parse_file_name(&f.file_name) {
            Ok((v, n)) => parsed.push((v, n, f)),
            Err(why) => problems.push(Problem::BadFileName {
                file: f.file_name.clone(),
                why,
            }),
        }
        if f.text.contains("\r\n") {
            problems.push(Problem::CrLf {
                file: f.file_name.clone(),
            });
        }
    }
    parsed.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    for w in parsed.windows(2) {
        if w[0].0 == w[1].0 {
            problems.push(Problem::DuplicateVersion {
                version: w[0].0,
                files: vec![w[0].2.file_name.clone(), w[1].2.file_name.clone()],
            });
        }
    }
    for (i, e) in history.migrations.iter().enumerate() {
        if i > 0 && history.migrations[i - 1].version >= e.version {
            problems.push(Problem::Reordered {
                file: e.file_name(),
                expected: history.migrations[i - 1].file_name(),
            });
        }
        let name = e.file_name();
        match parsed
            .iter()
            .find(|(v, n, _)| *v == e.version && *n == e.name)
        {
            None => {
                if let Some((_, _, other)) = parsed.iter().find(|(v, _, _)| *v == e.version) {
                    problems.push(Problem::Reordered {
                        file: other.file_name.clone(),
                        expected: name,
                    });
                } else {
                    problems.push(Problem::Missing { file: name });
                }
            }
            Some((_, _, f)) => {
                if let Some(sum) = &e.checksum
                    && *sum != checksum(&f.text)
                {
                    problems.push(Problem::Edited { file: name });
                }
            }
        }
    }
    for (v, n, f) in &parsed {
        let recorded = history
            .migrations
            .iter()
            .any(|e| e.version == *v && e.name == *n);
        let version_taken = history.migrations.iter().any(|e| e.version == *v);
        if !recorded && !version_taken {
            problems.push(Problem::Unrecorded {
                file: f.file_name.clone(),
            });
        }
    }
    problems.sort_by_key(|p| p.to_string());
    problems.dedup();
    problems
}

#[cfg(all(test, feature = "pipeline"))]
mod tests {
    use super::*;

    fn entry(v: u32, name: &str, text: &str) -> Entry {
        Entry {
            version: v,
            name: name.into(),
            kind: MigrationKind::Generated,
            transactional: true,
            checksum: Some(checksum(text)),
        }
    }

    fn file(v: u32, name: &str, text: &str) -> MigrationFile {
        MigrationFile {
            file_name: file_name(v, name),
            text: text.into(),
        }
    }

    #[test]
    fn names() {
        assert_eq!(parse_file_name("V006__add_x.sql"), Ok((6, "add_x".into())));
        assert!(parse_file_name("V1_add.sql").is_err());
        assert!(parse_file_name("V1__add-x.sql").is_err());
        assert!(parse_file_name("V0__x.sql").is_err());
        assert_eq!(sanitize_name("Add bot description!"), "add_bot_description");
        assert_eq!(sanitize_name("!!"), "migration");
    }

    #[test]
    fn every_problem_is_caught() {
        let h = History {
            migrations: vec![entry(1, "initial", "a"), entry(2, "more", "b")],
        };
        assert!(verify(&h, &[file(1, "initial", "a"), file(2, "more", "b")]).is_empty());
        assert_eq!(
            verify(&h, &[file(1, "initial", "a"), file(2, "more", "B")]),
            vec![Problem::Edited {
                file: "V2__more.sql".into()
            }]
        );
        assert_eq!(
            verify(&h, &[file(1, "initial", "a")]),
            vec![Problem::Missing {
                file: "V2__more.sql".into()
            }]
        );
        assert_eq!(
            verify(
                &h,
                &[
                    file(1, "initial", "a"),
                    file(2, "more", "b"),
                    file(3, "x", "c")
                ]
            ),
            vec![Problem::Unrecorded {
                file: "V3__x.sql".into()
            }]
        );
        let dup = verify(
            &h,
            &[
                file(1, "initial", "a"),
                file(2, "more", "b"),
                file(2, "other", "c"),
            ],
        );
        assert!(
            dup.iter()
                .any(|p| matches!(p, Problem::DuplicateVersion { version: 2, .. })),
            "{dup:?}"
        );
        let swapped = History {
            migrations: vec![entry(2, "more", "b"), entry(1, "initial", "a")],
        };
        assert!(
            verify(&swapped, &[file(1, "initial", "a"), file(2, "more", "b")])
                .iter()
                .any(|p| matches!(p, Problem::Reordered { .. }))
        );
        assert!(
            verify(&h, &[file(1, "initial", "a\r\n"), file(2, "more", "b")]).contains(
                &Problem::CrLf {
                    file: "V1__initial.sql".into()
                }
            )
        );
    }
}
