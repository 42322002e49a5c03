//! Loading: schema files → validated [`Schema`].
//!
//! A database is `schemas/<db>.yaml` or a folder `schemas/<db>/` of `*.yaml` files merged in
//! file-name order. Loading never panics and never half-succeeds: it returns the model, or every
//! error it found with its file, line and column.

mod decode;
mod lower;
pub(crate) mod raw;
pub(crate) mod raw_routines;
pub mod tree;

use crate::diag::{Code, Diagnostic, Diagnostics, Loc, Sources};
use crate::model::Schema;
use std::path::{Path, PathBuf};

pub use lower::type_ident;
pub use raw::FILE_KEYS;

/// One schema source: a display path and its text.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: String,
    pub text: String,
}

/// Where a database's schema lives on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaLocation {
    /// The database name (file stem or folder name).
    pub name: String,
    /// The YAML file, or the folder of YAML files.
    pub path: PathBuf,
}

impl SchemaLocation {
    /// The YAML files of this database, in the order they are merged.
    pub fn files(&self) -> std::io::Result<Vec<PathBuf>> {
        if self.path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&self.path)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            files.sort();
            Ok(files)
        } else {
            Ok(vec![self.path.clone()])
        }
    }
}

/// Every database under `dir` (a `schemas/` folder), sorted by name.
pub fn discover(dir: &Path) -> std::io::Result<Vec<SchemaLocation>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.is_dir() || path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            found.push(SchemaLocation {
                name: stem.to_string(),
                path: path.clone(),
            });
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// Loads the database at `location`. Paths in diagnostics are shown relative to `base` when
/// the file lies below it.
pub fn load_location(location: &SchemaLocation, base: &Path) -> Result<Schema, Diagnostics> {
    let files = match location.files() {
        Ok(f) => f,
        Err(e) => return Err(io_error(&location.path, base, &e)),
    };
    let mut sources = Vec::with_capacity(files.len());
    for f in &files {
        match read_schema_file(f) {
            Ok(text) => sources.push(SourceText {
                path: display_path(f, base),
                text,
            }),
            Err(e) => return Err(io_error(f, base, &e)),
        }
    }
    load_sources(&location.name, location.path.is_dir(), sources)
}

/// The largest schema file Strata reads, in bytes (16 MiB; a 10,000-table schema is about 10 MB).
pub const MAX_SCHEMA_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads one schema file: only a regular file (a symbolic link is followed to one) of at most
/// [`MAX_SCHEMA_FILE_BYTES`]. A device (`/dev/zero`), a FIFO or a socket is refused before it is
/// opened, so reading can neither block nor grow without end; the size is checked again while
/// reading, in case the file grows after the check.
pub fn read_schema_file(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "not a regular file (a device, FIFO, socket or folder); schemas are read only from regular files",
        ));
    }
    let too_big = || {
        Error::new(
            ErrorKind::InvalidData,
            format!(
                "larger than {} MiB, the most a schema file may be",
                MAX_SCHEMA_FILE_BYTES >> 20
            ),
        )
    };
    if meta.len() > MAX_SCHEMA_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)?
        .take(MAX_SCHEMA_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_SCHEMA_FILE_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|_| Error::new(ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Loads one database from texts already in memory. `folder` says whether the files are the
/// groups of a schema folder (each file's stem becomes its tables' group).
pub fn load_sources(
    name: &str,
    folder: bool,
    files: Vec<SourceText>,
) -> Result<Schema, Diagnostics> {
    let mut sources = Sources::default();
    let ids: Vec<u32> = files
        .into_iter()
        .map(|f| sources.add(f.path, f.text))
        .collect();
    let mut diags = Vec::new();
    let schema = lower::lower(name, folder, &sources, &ids, &mut diags);
    if diags.is_empty() {
        if let Some(schema) = schema {
            return Ok(schema);
        }
        diags.push(Diagnostic::new(
            Code::Database,
            Loc::default(),
            "the schema could not be loaded",
        ));
    }
    diags.sort_by_key(|d| d.loc);
    diags.dedup();
    Err(Diagnostics {
        sources,
        items: diags,
    })
}

fn display_path(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn io_error(path: &Path, base: &Path, e: &std::io::Error) -> Diagnostics {
    let mut sources = Sources::default();
    let file = sources.add(display_path(path, base), String::new());
    Diagnostics {
        sources,
        items: vec![
            Diagnostic::new(
                Code::Io,
                Loc {
                    file,
                    line: 1,
                    col: 1,
                    offset: 0,
                },
                format!("cannot read schema: {e}"),
            )
            .help("check that the path is a readable regular file of at most 16 MiB of UTF-8 YAML"),
        ],
    }
}
