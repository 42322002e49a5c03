//! Locating the PostgreSQL server binaries (`initdb`, `pg_ctl`).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// The message for a machine without PostgreSQL server binaries: it names what to install.
pub(crate) const NOT_FOUND: &str = "PostgreSQL server binaries (initdb, pg_ctl) not found; \
     install them with `apt-get install postgresql` or set STRATA_PG_BIN";

/// Where Debian and Ubuntu install one directory per major version (`15/bin`, `16/bin`).
const VERSIONED_ROOT: &str = "/usr/lib/postgresql";

/// The server programs the harness runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Binaries {
    pub(crate) initdb: PathBuf,
    pub(crate) pg_ctl: PathBuf,
}

impl Binaries {
    /// Both programs from `dir`, if it holds both.
    fn in_dir(dir: &Path) -> Option<Self> {
        let initdb = dir.join("initdb");
        let pg_ctl = dir.join("pg_ctl");
        (is_executable(&initdb) && is_executable(&pg_ctl)).then_some(Binaries { initdb, pg_ctl })
    }
}

/// Finds the binaries: the `STRATA_PG_BIN` directory if set, else `initdb` on `PATH`, else the
/// highest version under `/usr/lib/postgresql/*/bin`.
pub(crate) fn locate() -> Result<Binaries, String> {
    if let Some(dir) = std::env::var_os("STRATA_PG_BIN").filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        return Binaries::in_dir(&dir).ok_or_else(|| {
            format!(
                "STRATA_PG_BIN={} does not contain executable initdb and pg_ctl; {NOT_FOUND}",
                dir.display()
            )
        });
    }
    on_path()
        .or_else(|| highest_version(Path::new(VERSIONED_ROOT)))
        .ok_or_else(|| NOT_FOUND.to_owned())
}

/// `initdb` on `PATH`, with `pg_ctl` next to it or next to the file a symlink points to.
fn on_path() -> Option<Binaries> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        let initdb = dir.join("initdb");
        if !is_executable(&initdb) {
            continue;
        }
        if let Some(found) = Binaries::in_dir(&dir) {
            return Some(found);
        }
        if let Ok(real) = std::fs::canonicalize(&initdb)
            && let Some(real_dir) = real.parent()
            && let Some(found) = Binaries::in_dir(real_dir)
        {
            return Some(found);
        }
    }
    None
}

/// The binaries of the highest version directory under `root` (`root/<version>/bin`).
fn highest_version(root: &Path) -> Option<Binaries> {
    let mut candidates: Vec<(Vec<u64>, Binaries)> = std::fs::read_dir(root)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let key = version_key(entry.file_name().to_str()?)?;
            Some((key, Binaries::in_dir(&entry.path().join("bin"))?))
        })
        .collect();
    candidates.sort_by(|a, b| a.0.cmp(&b.0));
    candidates.pop().map(|(_, found)| found)
}

/// `"9.6"` → `[9, 6]`, `"15"` → `[15]`; `None` for names that are not versions.
fn version_key(name: &str) -> Option<Vec<u64>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_bin(dir: &Path, programs: &[&str]) {
        std::fs::create_dir_all(dir).expect("create fake bin dir");
        for program in programs {
            let path = dir.join(program);
            std::fs::write(&path, "#!/bin/sh\n").expect("write fake program");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .expect("chmod fake program");
        }
    }

    #[test]
    fn highest_complete_version_wins() {
        let root = std::env::temp_dir().join(format!("strata-pg-bins-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        fake_bin(&root.join("9.6/bin"), &["initdb", "pg_ctl"]);
        fake_bin(&root.join("10/bin"), &["initdb", "pg_ctl"]);
        fake_bin(&root.join("15/bin"), &["initdb", "pg_ctl"]);
        fake_bin(&root.join("16/bin"), &["initdb"]); // incomplete: no pg_ctl
        fake_bin(&root.join("latest/bin"), &["initdb", "pg_ctl"]); // not a version
        let found = highest_version(&root);
        std::fs::remove_dir_all(&root).expect("remove fake root");
        assert_eq!(
            found.map(|b| b.pg_ctl),
            Some(root.join("15/bin/pg_ctl")),
            "expected the highest version that has both programs"
        );
    }

    #[test]
    fn version_keys_compare_numerically() {
        assert!(version_key("9.6") < version_key("10"));
        assert!(version_key("15") < version_key("16"));
        assert_eq!(version_key("main"), None);
    }

    #[test]
    fn not_found_message_names_what_to_install() {
        assert!(NOT_FOUND.contains("apt-get install postgresql"));
        assert!(NOT_FOUND.contains("STRATA_PG_BIN"));
    }
}
