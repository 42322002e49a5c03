//! Only regular files of at most 16 MiB are read as schemas: a link to a device, a FIFO or a
//! file that is too large is refused at once with a located error, never read without end or
//! waited on.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;
use strata::load::{MAX_SCHEMA_FILE_BYTES, SchemaLocation, load_location};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("strata-load-files-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Loads `path` on another thread and fails the test if that takes more than 20 s.
fn load_error(path: &Path) -> String {
    let (tx, rx) = mpsc::channel();
    let p = path.to_path_buf();
    std::thread::spawn(move || {
        let loc = SchemaLocation {
            name: "db".into(),
            path: p.clone(),
        };
        let base = p.parent().expect("parent").to_path_buf();
        let _ = tx.send(load_location(&loc, &base).map(|_| ()));
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(Err(d)) => {
            assert!(d.items.iter().all(|i| i.loc.line == 1 && i.loc.col == 1));
            d.render(false)
        }
        Ok(Ok(())) => panic!("{} loaded", path.display()),
        Err(_) => panic!("loading {} did not finish in 20 s", path.display()),
    }
}

#[test]
fn a_link_to_a_device_is_refused() {
    let dir = scratch("zero");
    let link = dir.join("db.yaml");
    std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
    let e = load_error(&link);
    assert!(
        e.contains("E0001") && e.contains("not a regular file"),
        "{e}"
    );
    assert!(e.contains("db.yaml:1:1"), "{e}");
}

#[test]
fn a_fifo_is_refused_without_waiting() {
    let dir = scratch("fifo");
    let fifo = dir.join("db.yaml");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(ok.success());
    let e = load_error(&fifo);
    assert!(e.contains("not a regular file"), "{e}");
}

#[test]
fn a_fifo_inside_a_schema_folder_is_refused() {
    let dir = scratch("folder");
    let db = dir.join("db");
    std::fs::create_dir_all(&db).expect("folder");
    std::fs::write(db.join("a.yaml"), "tables: {}\n").expect("write");
    let ok = std::process::Command::new("mkfifo")
        .arg(db.join("b.yaml"))
        .status()
        .expect("mkfifo runs");
    assert!(ok.success());
    let e = load_error(&db);
    assert!(
        e.contains("b.yaml") && e.contains("not a regular file"),
        "{e}"
    );
}

#[test]
fn a_file_over_the_limit_is_refused() {
    let dir = scratch("big");
    let big = dir.join("db.yaml");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(MAX_SCHEMA_FILE_BYTES + 1).expect("sparse file");
    let e = load_error(&big);
    assert!(e.contains("larger than 16 MiB"), "{e}");
}

#[test]
fn a_file_at_the_limit_is_read() {
    let dir = scratch("limit");
    let path = dir.join("db.yaml");
    let mut text = String::from(
        "tables:\n  t:\n    columns:\n      id: { type: bigint, primary_key: true }\n",
    );
    // A YAML comment pads the file to exactly the limit.
    let pad = MAX_SCHEMA_FILE_BYTES as usize - text.len() - 2;
    text.push('#');
    text.push_str(&" ".repeat(pad));
    text.push('\n');
    assert_eq!(text.len() as u64, MAX_SCHEMA_FILE_BYTES);
    std::fs::write(&path, text).expect("write");
    let loc = SchemaLocation {
        name: "db".into(),
        path: path.clone(),
    };
    let schema = load_location(&loc, &dir).expect("a file of exactly 16 MiB loads");
    assert_eq!(schema.tables.len(), 1);
}
