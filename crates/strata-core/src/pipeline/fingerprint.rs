//! What lets `check` skip rendering when nothing changed: codegen records in the manifest a
//! SHA-256 of its inputs (Strata's version, `strata.toml`, every schema file of every database
//! it produced) and of each file it generated; when the inputs and every listed file on disk
//! still hash as recorded, the last codegen's outputs are the outputs, so there is nothing to
//! do ([`unchanged`]). Anything else — a changed schema, a hand-edited or missing output, a
//! manifest without fingerprint, a stray file — sends `check` through the full comparison,
//! which says what differs.
//!
//! The version stands for the generator: a Strata built from changed sources under the same
//! version can render differently from what the fingerprint recorded, which is why
//! `check --full` exists (Strata's own tests compare the seeds' outputs in full).

use super::{Output, locations, manifest};
use crate::project::Project;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fingerprint a manifest records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The hash of the inputs ([`inputs`]).
    pub inputs: String,
    /// Each listed file's hash, by path relative to the root.
    pub files: BTreeMap<PathBuf, String>,
}

/// SHA-256 of `bytes`, in hex.
pub fn hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// SHA-256 of a file's bytes, in hex, read in pieces (a generated module can be 150 MB).
fn hash_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The hash of everything codegen reads besides the history on disk (whose files the
/// fingerprint holds as outputs): Strata's version, `strata.toml`, and the name of each
/// database the project includes with the path, length and bytes of each of its schema files.
/// `None` when one of them cannot be read (check then compares in full, and reports it).
pub fn inputs(root: &Path, project: &Project) -> Option<String> {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(concat!("strata ", env!("CARGO_PKG_VERSION")).as_bytes());
    match std::fs::read(root.join(crate::project::FILE_NAME)) {
        Ok(bytes) => field(&bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => field(b"no strata.toml"),
        Err(_) => return None,
    }
    for location in locations(root, project).ok()? {
        field(location.name.as_bytes());
        for file in location.files().ok()? {
            let rel = file.strip_prefix(root).unwrap_or(&file);
            field(rel.to_string_lossy().as_bytes());
            field(&std::fs::read(&file).ok()?);
        }
    }
    Some(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The fingerprint of a codegen run: `outputs` hashed as rendered, and the files of `on_disk`
/// (the histories, relative to the root) that are not outputs hashed as they are on disk.
/// `None` when an input or a history file cannot be read.
pub fn of_run(
    root: &Path,
    project: &Project,
    outputs: &[Output],
    on_disk: &[PathBuf],
) -> Option<Fingerprint> {
    let mut files: BTreeMap<PathBuf, String> = outputs
        .iter()
        .map(|o| (o.path.clone(), hash(o.content.as_bytes())))
        .collect();
    for p in on_disk {
        if !files.contains_key(p) {
            files.insert(p.clone(), hash(&std::fs::read(root.join(p)).ok()?));
        }
    }
    Some(Fingerprint {
        inputs: inputs(root, project)?,
        files,
    })
}

/// Whether nothing can differ from what the last codegen wrote: the manifest on disk has a
/// fingerprint, it covers exactly the files the manifest lists, the inputs hash as recorded,
/// every listed file is on disk with its recorded hash, and no generated-looking file lies
/// outside the manifest. Renders nothing; reads the schema files and the listed files once.
pub fn unchanged(root: &Path, project: &Project) -> bool {
    let Ok(text) = std::fs::read_to_string(root.join(manifest::path(project))) else {
        return false;
    };
    let Some(recorded) = manifest::fingerprint(project, &text) else {
        return false;
    };
    let listed = manifest::parse(project, &text);
    if listed.len() != recorded.files.len()
        || listed.iter().any(|p| !recorded.files.contains_key(p))
    {
        return false;
    }
    if inputs(root, project).as_deref() != Some(recorded.inputs.as_str()) {
        return false;
    }
    let same = |(path, expected): (&PathBuf, &String)| {
        hash_file(&root.join(path)).is_ok_and(|h| h == *expected)
    };
    if !recorded.files.iter().all(same) {
        return false;
    }
    let known = |p: &Path| recorded.files.contains_key(p);
    super::check::stray_files(root, project, known).is_empty()
        && !unlisted_history_file(root, project, &recorded.files)
}

/// Whether a folder of a migration history (`migrations/`, `snapshots/`) holds a file the
/// fingerprint does not list: a migration added by hand or from another branch, which the full
/// check verifies against `history.yaml`.
fn unlisted_history_file(
    root: &Path,
    project: &Project,
    files: &BTreeMap<PathBuf, String>,
) -> bool {
    let dirs: std::collections::BTreeSet<&Path> = files
        .keys()
        .filter(|p| super::write::is_history(project, p))
        .filter_map(|p| p.parent())
        .filter(|d| {
            d.file_name()
                .is_some_and(|n| n == "migrations" || n == "snapshots")
        })
        .collect();
    dirs.into_iter()
        .any(|d| match std::fs::read_dir(root.join(d)) {
            Ok(entries) => entries
                .flatten()
                .any(|e| !files.contains_key(&d.join(e.file_name()))),
            Err(_) => true,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("strata-fp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("schemas")).expect("mkdir");
        dir
    }

    /// A project with one schema and one generated file, fingerprinted as codegen would.
    fn project(root: &Path) -> Project {
        let p = Project::default();
        std::fs::write(root.join("schemas/a.yaml"), "tables: {}\n").expect("write");
        let out = Output {
            path: p.output.join("a/schema.sql"),
            content: "-- a\n".into(),
        };
        std::fs::create_dir_all(root.join("generated/a")).expect("mkdir");
        std::fs::write(root.join(&out.path), &out.content).expect("write");
        let fp = of_run(root, &p, std::slice::from_ref(&out), &[]).expect("fingerprint");
        let m = manifest::fingerprinted(&p, [out.path.clone()], &fp);
        std::fs::write(root.join(&m.path), &m.content).expect("write");
        p
    }

    #[test]
    fn unchanged_until_an_input_or_an_output_changes() {
        let root = temp("unchanged");
        let p = project(&root);
        assert_eq!(
            hash_file(&root.join("schemas/a.yaml")).expect("hash"),
            hash(b"tables: {}\n")
        );
        assert!(unchanged(&root, &p));
        // A hand-edited output.
        std::fs::write(root.join("generated/a/schema.sql"), "-- edited\n").expect("write");
        assert!(!unchanged(&root, &p));
        std::fs::write(root.join("generated/a/schema.sql"), "-- a\n").expect("write");
        assert!(unchanged(&root, &p));
        // A changed input: the schema, strata.toml, a new database.
        std::fs::write(root.join("schemas/a.yaml"), "tables: {}\n# more\n").expect("write");
        assert!(!unchanged(&root, &p));
        std::fs::write(root.join("schemas/a.yaml"), "tables: {}\n").expect("write");
        std::fs::write(root.join("strata.toml"), "\n").expect("write");
        assert!(!unchanged(&root, &p));
        std::fs::remove_file(root.join("strata.toml")).expect("rm");
        assert!(unchanged(&root, &p));
        std::fs::write(root.join("schemas/b.yaml"), "tables: {}\n").expect("write");
        assert!(!unchanged(&root, &p));
        std::fs::remove_file(root.join("schemas/b.yaml")).expect("rm");
        // A file added to a history's folder (a migration from another branch).
        let history = p.output.join("a/migrations/V1__initial.sql");
        std::fs::create_dir_all(root.join("generated/a/migrations")).expect("mkdir");
        std::fs::write(root.join(&history), "SELECT 1;\n").expect("write");
        let out = Output {
            path: p.output.join("a/schema.sql"),
            content: "-- a\n".into(),
        };
        let fp = of_run(
            &root,
            &p,
            std::slice::from_ref(&out),
            std::slice::from_ref(&history),
        )
        .expect("fingerprint");
        let m = manifest::fingerprinted(&p, [out.path.clone(), history.clone()], &fp);
        std::fs::write(root.join(&m.path), &m.content).expect("write");
        assert!(unchanged(&root, &p));
        std::fs::write(
            root.join("generated/a/migrations/V1__other.sql"),
            "SELECT 2;\n",
        )
        .expect("write");
        assert!(!unchanged(&root, &p));
        std::fs::remove_file(root.join("generated/a/migrations/V1__other.sql")).expect("rm");
        assert!(unchanged(&root, &p));
        // A missing output, a stray one, a manifest without fingerprint.
        std::fs::remove_file(root.join("generated/a/schema.sql")).expect("rm");
        assert!(!unchanged(&root, &p));
        std::fs::write(root.join("generated/a/schema.sql"), "-- a\n").expect("write");
        std::fs::create_dir_all(root.join("generated/b")).expect("mkdir");
        std::fs::write(root.join("generated/b/schema.sql"), "-- b\n").expect("write");
        assert!(!unchanged(&root, &p));
        std::fs::remove_dir_all(root.join("generated/b")).expect("rm");
        assert!(unchanged(&root, &p));
        let plain = manifest::output(&p, [p.output.join("a/schema.sql")]);
        std::fs::write(root.join(&plain.path), &plain.content).expect("write");
        assert!(!unchanged(&root, &p));
        let _ = std::fs::remove_dir_all(&root);
    }
}
