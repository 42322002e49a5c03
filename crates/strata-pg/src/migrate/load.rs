//! Reading migrations: from a directory (`V<n>__<name>.sql` files) or from texts a crate embeds
//! with `include_str!`, with the checks refinery does not make (file names it would skip,
//! duplicate versions) and the split of non-transactional migrations into statements.

use std::fmt;
use std::path::{Path, PathBuf};

use strata::history::{NON_TRANSACTIONAL_MARKER, STATEMENT_MARKER, parse_file_name};

/// One migration: a refinery `V<version>__<name>.sql` file.
///
/// Built only by [`Migrations::from_dir`] and [`Migrations::from_embedded`], which check it.
#[derive(Debug, Clone)]
pub struct Migration {
    pub version: u32,
    pub name: String,
    /// The file's text, unchanged: refinery's checksum covers it byte for byte.
    pub sql: String,
    /// `false` when the file carries `-- strata:non-transactional` in its leading comments: Strata
    /// runs its statements one by one outside a transaction.
    pub transactional: bool,
    /// The file name as given (`V006__x.sql` stays so; [`Migration::id`] is `V6__x`).
    file_name: String,
    /// For a non-transactional migration, its statements in order.
    pub(crate) statements: Vec<Statement>,
    /// The same migration as refinery sees it (its checksum is computed here, once).
    pub(crate) refinery: refinery::Migration,
}

/// One statement of a non-transactional migration: the text from the line after a
/// `-- strata:statement` marker up to the next marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    /// The 1-based line of the file where the statement's SQL starts.
    pub line: usize,
    pub sql: String,
}

impl Migration {
    /// The file name, as read or embedded.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// `V<version>__<name>`, as refinery names it.
    pub fn id(&self) -> String {
        format!("V{}__{}", self.version, self.name)
    }

    /// Refinery's checksum of the migration (over its name, version and SQL), as its history
    /// table records it for an applied one.
    pub fn checksum(&self) -> u64 {
        self.refinery.checksum()
    }
}

impl Statement {
    /// The first line of SQL, shortened, for messages.
    pub(crate) fn headline(&self) -> String {
        let first = self
            .sql
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("--"))
            .unwrap_or("");
        shorten(first, 120)
    }
}

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// A checked, ordered set of migrations.
#[derive(Debug, Clone, Default)]
pub struct Migrations {
    list: Vec<Migration>,
}

impl Migrations {
    /// Reads every `*.sql` file directly in `dir` (not in subdirectories; other files are
    /// ignored).
    ///
    /// Unlike refinery, which skips a badly named file with only a log warning and may silently
    /// never apply one of two files with the same version, this refuses both, reporting every
    /// problem at once.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Migrations, LoadError> {
        let dir = dir.as_ref();
        let io = |path: &Path, source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
            let path = entry.map_err(|e| io(dir, e))?.path();
            if !path.is_file() || path.extension().is_none_or(|x| x != "sql") {
                continue;
            }
            let file_name = path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            files.push((file_name, text));
        }
        files.sort();
        Migrations::from_texts(dir.display().to_string(), files)
    }

    /// Builds the set from `(file name, text)` pairs, e.g. embedded with `include_str!`:
    ///
    /// ```
    /// let migrations = strata_pg::Migrations::from_embedded(&[
    ///     ("V1__initial.sql", "CREATE TABLE t (x int);\n"),
    ///     ("V2__add_y.sql", "ALTER TABLE t ADD COLUMN y int;\n"),
    /// ])
    /// .unwrap();
    /// assert_eq!(migrations.len(), 2);
    /// ```
    pub fn from_embedded(files: &[(&'static str, &'static str)]) -> Result<Migrations, LoadError> {
        let files = files
            .iter()
            .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
            .collect();
        Migrations::from_texts("embedded migrations".into(), files)
    }

    fn from_texts(location: String, files: Vec<(String, String)>) -> Result<Migrations, LoadError> {
        let mut problems = Vec::new();
        let mut list: Vec<Migration> = Vec::new();
        for (file_name, sql) in files {
            match migration(&file_name, sql) {
                Ok(m) => list.push(m),
                Err(p) => problems.push(p),
            }
        }
        list.sort_by(|a, b| a.version.cmp(&b.version).then_with(|| a.name.cmp(&b.name)));
        for pair in list.windows(2) {
            if pair[0].version == pair[1].version {
                problems.push(LoadProblem::DuplicateVersion {
                    version: pair[0].version,
                    files: [pair[0].file_name.clone(), pair[1].file_name.clone()],
                });
            }
        }
        if problems.is_empty() {
            Ok(Migrations { list })
        } else {
            Err(LoadError::Invalid { location, problems })
        }
    }

    /// The migrations up to and including `version`: applying them brings a database to that
    /// version (later runs with the whole set apply the rest).
    pub fn up_to(&self, version: u32) -> Migrations {
        Migrations {
            list: self
                .list
                .iter()
                .filter(|m| m.version <= version)
                .cloned()
                .collect(),
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Migration> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The migration with this version.
    pub fn get(&self, version: u32) -> Option<&Migration> {
        self.list.iter().find(|m| m.version == version)
    }

    /// The migrations as refinery values, for refinery's runner.
    pub(crate) fn refinery(&self) -> Vec<refinery::Migration> {
        self.list.iter().map(|m| m.refinery.clone()).collect()
    }
}

impl<'a> IntoIterator for &'a Migrations {
    type Item = &'a Migration;
    type IntoIter = std::slice::Iter<'a, Migration>;

    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

fn migration(file_name: &str, sql: String) -> Result<Migration, LoadProblem> {
    let malformed = |why: String| LoadProblem::Malformed {
        file: file_name.to_string(),
        why,
    };
    let (version, name) = parse_file_name(file_name).map_err(|why| LoadProblem::FileName {
        file: file_name.to_string(),
        why: why.to_string(),
    })?;
    let transactional = !leading_comments(&sql).any(|l| l.trim() == NON_TRANSACTIONAL_MARKER);
    let statements = if transactional {
        if let Some((n, _)) = numbered_lines(&sql).find(|(_, l)| l.trim() == STATEMENT_MARKER) {
            return Err(malformed(format!(
                "line {n} is `{STATEMENT_MARKER}`, but the file's leading comments lack \
                 `{NON_TRANSACTIONAL_MARKER}`, so refinery would run it as one transaction; add that \
                 marker line at the top (or remove the statement markers)"
            )));
        }
        Vec::new()
    } else {
        split_statements(&sql).map_err(malformed)?
    };
    // Refinery names a migration by the file's stem; the same stem and text give the checksum
    // that `embed_migrations!` and refinery's file loader would compute.
    let stem = file_name.trim_end_matches(".sql");
    let refinery =
        refinery::Migration::unapplied(stem, &sql).map_err(|e| LoadProblem::FileName {
            file: file_name.to_string(),
            why: e.to_string(),
        })?;
    Ok(Migration {
        version,
        name,
        sql,
        transactional,
        file_name: file_name.to_string(),
        statements,
        refinery,
    })
}

fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l))
}

fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with("--")
}

/// The comment and blank lines at the top of a file.
fn leading_comments(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive('\n')
        .take_while(|l| is_comment_or_blank(l))
}

/// Splits a non-transactional migration at its `-- strata:statement` lines, and only there.
fn split_statements(text: &str) -> Result<Vec<Statement>, String> {
    let mut statements: Vec<Statement> = Vec::new();
    // The statement being collected: the marker's line and its text so far.
    let mut current: Option<(usize, String)> = None;
    let finish =
        |marker_line: usize, sql: String, out: &mut Vec<Statement>| -> Result<(), String> {
            let first = numbered_lines(&sql)
                .find(|(_, l)| !is_comment_or_blank(l))
                .map(|(n, _)| n);
            match first {
                Some(n) => {
                    out.push(Statement {
                        line: marker_line + n,
                        sql,
                    });
                    Ok(())
                }
                None => Err(format!(
                    "the `{STATEMENT_MARKER}` on line {marker_line} is followed by no statement"
                )),
            }
        };
    for (n, line) in numbered_lines(text) {
        if line.trim() == STATEMENT_MARKER {
            if let Some((marker_line, sql)) = current.take() {
                finish(marker_line, sql, &mut statements)?;
            }
            current = Some((n, String::new()));
        } else if let Some((_, sql)) = current.as_mut() {
            sql.push_str(line);
        } else if !is_comment_or_blank(line) {
            return Err(format!(
                "line {n} has SQL before the first `{STATEMENT_MARKER}` line, which would never run; \
                 put a `{STATEMENT_MARKER}` line before it"
            ));
        }
    }
    match current {
        Some((marker_line, sql)) => finish(marker_line, sql, &mut statements)?,
        None => {
            return Err(format!(
                "it is marked `{NON_TRANSACTIONAL_MARKER}` but has no `{STATEMENT_MARKER}` line; put one \
                 before each statement (Strata runs them one by one, outside a transaction)"
            ));
        }
    }
    Ok(statements)
}

/// Why a set of migrations could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{location}: {}", list(problems))]
    Invalid {
        location: String,
        problems: Vec<LoadProblem>,
    },
}

fn list(problems: &[LoadProblem]) -> String {
    match problems {
        [one] => one.to_string(),
        many => many.iter().map(|p| format!("\n  - {p}")).collect(),
    }
}

/// One thing wrong with a migration file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadProblem {
    /// A name refinery would skip or misread.
    FileName { file: String, why: String },
    /// Two files with one version: refinery may silently never apply one of them.
    DuplicateVersion { version: u32, files: [String; 2] },
    /// A non-transactional migration that cannot be split into statements, or statement markers
    /// without the non-transactional marker.
    Malformed { file: String, why: String },
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadProblem::FileName { file, why } => {
                write!(
                    f,
                    "{file}: not a valid migration file name: {why} (refinery would skip it without an error)"
                )
            }
            LoadProblem::DuplicateVersion {
                version,
                files: [a, b],
            } => write!(
                f,
                "{a} and {b} both have version {version} (refinery would apply only one of them); keep the one \
                 already applied anywhere and give the other the next free version"
            ),
            LoadProblem::Malformed { file, why } => write!(f, "{file}: {why}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NON_TX: &str = "-- header\n-- strata:non-transactional\n-- Strata's runner executes each statement on its own.\n\n\
        -- strata:statement\nSET lock_timeout = '5s';\n\n-- create index\n-- hazards: builds an index\n\
        -- strata:statement\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);\n";

    #[test]
    fn splits_only_at_markers() {
        let m = migration("V2__idx.sql", NON_TX.into()).unwrap();
        assert!(!m.transactional);
        assert_eq!(
            m.statements,
            vec![
                Statement {
                    line: 6,
                    sql:
                        "SET lock_timeout = '5s';\n\n-- create index\n-- hazards: builds an index\n"
                            .into()
                },
                Statement {
                    line: 11,
                    sql: "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);\n".into()
                },
            ]
        );
        assert_eq!(
            m.statements[1].headline(),
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);"
        );
        assert_eq!(
            m.refinery.checksum(),
            refinery::Migration::unapplied("V2__idx", NON_TX)
                .unwrap()
                .checksum()
        );
    }

    #[test]
    fn transactional_by_default() {
        let m = migration("V1__init.sql", "-- hi\nCREATE TABLE t (x int);\n".into()).unwrap();
        assert!(m.transactional);
        assert!(m.statements.is_empty());
    }

    #[test]
    fn refuses_what_would_be_lost() {
        let sql_first = "-- strata:non-transactional\nSELECT 1;\n-- strata:statement\nSELECT 2;\n";
        let err = migration("V1__a.sql", sql_first.into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2 has SQL before the first"), "{err}");
        let empty = "-- strata:non-transactional\n-- strata:statement\n-- nothing\n-- strata:statement\nSELECT 2;\n";
        let err = migration("V1__a.sql", empty.into())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("on line 2 is followed by no statement"),
            "{err}"
        );
        let none = "-- strata:non-transactional\n";
        assert!(migration("V1__a.sql", none.into()).is_err());
        let unmarked = "SELECT 1;\n-- strata:statement\nSELECT 2;\n";
        let err = migration("V1__a.sql", unmarked.into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2 is `-- strata:statement`"), "{err}");
    }

    #[test]
    fn refuses_bad_names_and_duplicate_versions_all_at_once() {
        let err = Migrations::from_embedded(&[
            ("V1__init.sql", "SELECT 1;"),
            ("V2__a.sql", "SELECT 2;"),
            ("V2__b.sql", "SELECT 3;"),
            ("V3__add-x.sql", "SELECT 4;"),
        ])
        .unwrap_err();
        let LoadError::Invalid { problems, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(problems.len(), 2, "{err}");
        assert!(problems.contains(&LoadProblem::DuplicateVersion {
            version: 2,
            files: ["V2__a.sql".into(), "V2__b.sql".into()]
        }));
        assert!(
            err.to_string()
                .contains("V3__add-x.sql: not a valid migration file name"),
            "{err}"
        );
    }

    #[test]
    fn orders_by_version() {
        let m = Migrations::from_embedded(&[
            ("V10__c.sql", "SELECT 1;"),
            ("V9__b.sql", "SELECT 1;"),
            ("V002__a.sql", "SELECT 1;"),
        ])
        .unwrap();
        let versions: Vec<u32> = m.iter().map(|m| m.version).collect();
        assert_eq!(versions, [2, 9, 10]);
        assert_eq!(m.get(2).map(Migration::id).as_deref(), Some("V2__a"));
    }
}
