//! Writing the docs site to a folder, with Mermaid's browser bundle beside the pages. The core
//! renders the site in memory (`strata::render::docs::site`); bringing Mermaid (a child process,
//! the npm registry) is this front's job, so the core never runs `npm`.
//!
//! Mermaid comes from the npm registry at the version pinned in `npm/package.json` and
//! `npm/package-lock.json` (next to this module; the lock pins every dependency with its
//! integrity hash): the first build copies both files into an npm folder and runs `npm ci`
//! there; later builds reuse the install while the lock is unchanged.

use std::path::{Path, PathBuf};
use std::process::Command;
use strata::Schema;
use strata::render::docs::site::{MERMAID_JS, files};

/// The Mermaid version the site uses (pinned by `npm/package.json` and its lock).
pub const MERMAID_VERSION: &str = "11.17.2";

const PACKAGE_JSON: &str = include_str!("npm/package.json");
const PACKAGE_LOCK: &str = include_str!("npm/package-lock.json");
/// Written into the npm folder after a successful install: the lock it installed.
const STAMP: &str = "strata-installed.lock.json";

/// Why the site could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    #[error(
        "`npm` was not found; install Node.js and npm (Debian: `apt-get install -y npm`) to fetch Mermaid for the docs site"
    )]
    NpmMissing,
    #[error("`npm ci` in {dir} failed ({status}); its output:\n{output}")]
    NpmFailed {
        dir: PathBuf,
        status: String,
        output: String,
    },
    #[error("npm installed Mermaid but {0} is missing")]
    BundleMissing(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct Built {
    /// Every file of the site, pages first.
    pub files: Vec<PathBuf>,
    /// The pages (`index.html` and one per database).
    pub pages: Vec<PathBuf>,
    /// Total size in bytes.
    pub bytes: u64,
}

/// Writes the site for `schemas` into `out` (created if missing), with Mermaid installed in
/// `npm_dir` (see [`mermaid_installed`]). `progress` is told each step that can take a while.
pub fn build(
    schemas: &[Schema],
    out: &Path,
    npm_dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Built, BuildError> {
    let bundle = mermaid_installed(npm_dir, progress)?;
    let site = files(schemas);
    create_dir(out)?;
    let mut built = Built {
        files: Vec::new(),
        pages: Vec::new(),
        bytes: 0,
    };
    for f in &site {
        let path = out.join(&f.path);
        write_if_changed(&path, f.content.as_bytes())?;
        built.bytes += f.content.len() as u64;
        if f.path.ends_with(".html") {
            built.pages.push(path.clone());
        }
        built.files.push(path);
    }
    let js = std::fs::read(&bundle).map_err(|source| BuildError::Io {
        path: bundle.clone(),
        source,
    })?;
    let target = out.join(MERMAID_JS);
    write_if_changed(&target, &js)?;
    built.bytes += js.len() as u64;
    built.files.push(target);
    progress(&format!(
        "wrote {} pages ({} files, {} KiB) to {}",
        built.pages.len(),
        built.files.len(),
        built.bytes / 1024,
        out.display()
    ));
    Ok(built)
}

/// Mermaid's browser bundle, installed with `npm ci` into `npm_dir` unless the install there
/// is already of the pinned lock. Returns the bundle's path.
pub fn mermaid_installed(
    npm_dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<PathBuf, BuildError> {
    let bundle = npm_dir.join("node_modules/mermaid/dist").join(MERMAID_JS);
    let stamp = npm_dir.join(STAMP);
    if bundle.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == PACKAGE_LOCK) {
        return Ok(bundle);
    }
    create_dir(npm_dir)?;
    write_if_changed(&npm_dir.join("package.json"), PACKAGE_JSON.as_bytes())?;
    write_if_changed(&npm_dir.join("package-lock.json"), PACKAGE_LOCK.as_bytes())?;
    progress(&format!(
        "installing mermaid@{MERMAID_VERSION} from the npm registry into {} (npm ci; only when the pin changes)…",
        npm_dir.display()
    ));
    let output = Command::new("npm")
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--loglevel=error",
        ])
        .current_dir(npm_dir)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => BuildError::NpmMissing,
            _ => BuildError::Io {
                path: npm_dir.to_path_buf(),
                source: e,
            },
        })?;
    if !output.status.success() {
        return Err(BuildError::NpmFailed {
            dir: npm_dir.to_path_buf(),
            status: output.status.to_string(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        });
    }
    if !bundle.is_file() {
        return Err(BuildError::BundleMissing(bundle));
    }
    write_if_changed(&stamp, PACKAGE_LOCK.as_bytes())?;
    progress(&format!("installed mermaid@{MERMAID_VERSION}"));
    Ok(bundle)
}

fn create_dir(dir: &Path) -> Result<(), BuildError> {
    std::fs::create_dir_all(dir).map_err(|source| BuildError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes `bytes` unless the file already holds them, through a temporary file and a rename.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let io = |source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("strata-tmp");
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pin_is_the_same_everywhere() {
        assert!(
            PACKAGE_JSON.contains(&format!("\"mermaid\": \"{MERMAID_VERSION}\"")),
            "npm/package.json pins another version"
        );
        let lock: serde_json::Value = serde_json::from_str(PACKAGE_LOCK).expect("the lock is JSON");
        assert_eq!(
            lock["packages"]["node_modules/mermaid"]["version"],
            MERMAID_VERSION
        );
        assert_eq!(
            lock["packages"][""]["dependencies"]["mermaid"],
            MERMAID_VERSION
        );
        assert!(
            lock["packages"]["node_modules/mermaid"]["integrity"]
                .as_str()
                .is_some_and(|i| i.starts_with("sha512-"))
        );
    }
}
