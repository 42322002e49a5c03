//! docs/getting-started.md, followed literally: every `sh` block is run line by line (in a
//! temporary folder, against a real PostgreSQL database), every block whose first line is
//! `# file: …` / `// file: …` is written to that file. A line whose comment says `fails` must
//! fail; every other command must succeed. The application the page builds runs against the
//! server through the generated models.

use std::path::{Path, PathBuf};
use std::process::Command;
use strata_testkit::TestDb;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("repo root")
        .to_path_buf()
}

/// The fenced blocks of a Markdown page: (language, text).
fn blocks(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in page.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(lang)) => current = Some((lang.trim().to_string(), String::new())),
            (Some(_), Some("")) => out.extend(current.take()),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_getting_started_guide_works_as_written() {
    let page = std::fs::read_to_string(repo().join("docs/getting-started.md")).expect("the guide");
    let db = TestDb::new().await;
    let base = std::env::temp_dir().join(format!("strata-getting-started-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("mkdir");
    // The application's dependencies build once per machine, in the repository's target folder.
    let target = repo().join("target/getting-started");
    let strata_path = repo().display().to_string();
    let mut cwd = base.clone();
    let mut ran = Vec::new();
    let mut app_output = String::new();
    for (lang, text) in blocks(&page) {
        let first = text.lines().next().unwrap_or("");
        if let Some(file) = first
            .strip_prefix("# file: ")
            .or_else(|| first.strip_prefix("// file: "))
        {
            let path = cwd.join(file.trim());
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            let body: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
            std::fs::write(&path, body).expect("write");
            continue;
        }
        if lang != "sh" {
            continue;
        }
        for line in text.lines() {
            let (command, comment) = match line.split_once(" #") {
                Some((c, rest)) => (c.trim(), rest.trim()),
                None => (line.trim(), ""),
            };
            if command.is_empty() {
                continue;
            }
            let words: Vec<String> = command
                .split_whitespace()
                .map(|w| {
                    w.replace("$STRATA", &strata_path)
                        .replace("$DATABASE_URL", &db.url)
                })
                .collect();
            let run = match words[0].as_str() {
                "mkdir" => {
                    std::fs::create_dir_all(cwd.join(&words[1])).expect("mkdir");
                    continue;
                }
                "cd" => {
                    cwd = cwd.join(&words[1]);
                    continue;
                }
                "strata" => {
                    let out = Command::new(env!("CARGO_BIN_EXE_strata"))
                        .args(&words[1..])
                        .current_dir(&cwd)
                        .env_remove("STRATA_ROOT")
                        .env_remove("CARGO_MANIFEST_DIR")
                        .output()
                        .expect("run strata");
                    Run {
                        code: out.status.code().unwrap_or(-1),
                        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                    }
                }
                "cargo" => {
                    // The versions this repository is tested with, resolved from the local cache.
                    if !cwd.join("Cargo.lock").exists() && cwd.join("Cargo.toml").exists() {
                        std::fs::copy(repo().join("Cargo.lock"), cwd.join("Cargo.lock"))
                            .expect("Cargo.lock");
                    }
                    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
                    let out = Command::new(cargo)
                        .args(&words[1..])
                        .current_dir(&cwd)
                        .env("CARGO_TARGET_DIR", &target)
                        .env("CARGO_NET_OFFLINE", "true")
                        .env("DATABASE_URL", &db.url)
                        .env_remove("CARGO_MANIFEST_DIR")
                        .env_remove("RUSTFLAGS")
                        .output()
                        .expect("run cargo");
                    Run {
                        code: out.status.code().unwrap_or(-1),
                        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
                    }
                }
                other => panic!("the guide runs `{other}`, which this test does not know"),
            };
            let should_fail = comment.starts_with("fails");
            assert_eq!(
                run.code != 0,
                should_fail,
                "`{command}` {}\nstdout:\n{}\nstderr:\n{}",
                if should_fail { "should fail" } else { "failed" },
                run.stdout,
                run.stderr
            );
            if command.starts_with("cargo run") {
                app_output = run.stdout.clone();
            }
            if command.starts_with("strata status") {
                assert!(
                    run.stdout
                        .contains("2 applied, 0 pending, 0 edited, 0 missing"),
                    "{}",
                    run.stdout
                );
            }
            ran.push(command.to_string());
        }
    }
    assert!(
        app_output.contains("1 account(s), 1 order(s); total 0.00"),
        "the application's output: {app_output}"
    );
    for expected in [
        "strata init",
        "strata codegen",
        "cargo run -p app",
        "strata check",
        "strata drift",
    ] {
        assert!(
            ran.iter().any(|c| c.starts_with(expected)),
            "the guide no longer runs {expected}: {ran:?}"
        );
    }
    // Running init again changes nothing.
    let again = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["init", "--strata-path", &strata_path])
        .current_dir(&cwd)
        .env_remove("STRATA_ROOT")
        .output()
        .expect("init again");
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(text.contains("nothing to do"), "{text}");
    // The phone column reached the database through the planned migration.
    let n: i64 = db
        .client
        .query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'phone'",
            &[],
        )
        .await
        .expect("query")
        .get(0);
    assert_eq!(n, 1);
}
