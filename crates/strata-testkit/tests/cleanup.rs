//! The cluster goes away with the test process, however the process ends.
//!
//! This binary re-runs itself as child processes that each start a cluster and then exit
//! normally, panic, abort, or are killed with SIGKILL; it then checks that the server is
//! stopped and its directory removed within a few seconds. (`harness = false`: it needs
//! `main` to tell the parent from its children.)

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_ENV: &str = "STRATA_PG_CLEANUP_CHILD";
const TEST_NAME: &str = "cluster_is_removed_after_the_process_ends";
const MODES: [&str; 4] = ["exit", "panic", "abort", "sigkill"];
const CLEANUP_DEADLINE: Duration = Duration::from_secs(10);

fn main() {
    if let Ok(mode) = std::env::var(CHILD_ENV) {
        child(&mode);
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list") {
        // Enough of libtest's listing for test runners that ask.
        if !args.iter().any(|a| a == "--ignored") {
            println!("{TEST_NAME}: test");
        }
        return;
    }
    let ran = parent();
    println!("test {TEST_NAME} ... ok ({} modes)", ran);
}

/// Starts a cluster, reports its directory and postmaster pid on stdout, then ends as `mode` says.
fn child(mode: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (dir, pid) = runtime.block_on(async {
        let db = strata_testkit::TestDb::new().await;
        let dir: String = db
            .client
            .query_one("show data_directory", &[])
            .await
            .expect("show data_directory")
            .get(0);
        let pid_file = std::fs::read_to_string(Path::new(&dir).join("postmaster.pid"))
            .expect("read postmaster.pid");
        let pid = pid_file
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        (dir, pid)
    });
    println!("dir={dir} pid={pid}");
    // Wait until the parent has seen the cluster running (it closes our stdin), so the check
    // "running while the child lives" does not race the child's own end.
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let _ = std::io::stdin().read_line(&mut String::new());
    match mode {
        "exit" => {}
        "panic" => panic!("a test panicked (on purpose)"),
        "abort" => std::process::abort(),
        "sigkill" => std::thread::sleep(Duration::from_secs(120)),
        other => panic!("unknown mode {other}"),
    }
}

struct Watched {
    mode: &'static str,
    child: Child,
    dir: PathBuf,
    postmaster: u32,
}

fn parent() -> usize {
    let exe = std::env::current_exe().expect("current_exe");
    // All children start their clusters at once; then each reports.
    let children: Vec<(&str, Child)> = MODES
        .iter()
        .map(|&mode| {
            let child = Command::new(&exe)
                .env(CHILD_ENV, mode)
                // Without these the child must start a cluster of its own.
                .env_remove("STRATA_TEST_DATABASE_URL")
                .env_remove("DATABASE_URL")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn child test process");
            (mode, child)
        })
        .collect();
    let mut watched: Vec<Watched> = children
        .into_iter()
        .map(|(mode, mut child)| {
            let mut line = String::new();
            let stdout = child.stdout.take().expect("child stdout");
            BufReader::new(stdout)
                .read_line(&mut line)
                .expect("read child report");
            let Some((dir, pid)) = parse_report(&line) else {
                let mut stderr = String::new();
                if let Some(mut err) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut err, &mut stderr);
                }
                panic!("mode {mode}: child reported {line:?}; its stderr:\n{stderr}");
            };
            assert!(
                dir.is_dir(),
                "mode {mode}: {} missing while running",
                dir.display()
            );
            assert!(
                process_alive(pid),
                "mode {mode}: postmaster {pid} not running"
            );
            Watched {
                mode,
                child,
                dir,
                postmaster: pid,
            }
        })
        .collect();

    // Every child has been seen running: let them end (closing stdin releases them).
    for w in &mut watched {
        drop(w.child.stdin.take());
    }
    for w in &mut watched {
        if w.mode == "sigkill" {
            w.child.kill().expect("SIGKILL the child");
        }
        let status = w.child.wait().expect("wait for child");
        assert_eq!(
            status.success(),
            w.mode == "exit",
            "mode {}: unexpected exit status {status}",
            w.mode
        );
    }
    let exited = Instant::now();
    for w in &watched {
        loop {
            // The watchdog itself mentions the directory too, so this also checks that it ended.
            let gone = !w.dir.exists()
                && !process_alive(w.postmaster)
                && processes_mentioning(&w.dir).is_empty();
            if gone {
                println!(
                    "mode {}: server stopped and {} removed within {:.1?} of the exit",
                    w.mode,
                    w.dir.display(),
                    exited.elapsed()
                );
                break;
            }
            assert!(
                exited.elapsed() < CLEANUP_DEADLINE,
                "mode {}: after {CLEANUP_DEADLINE:?}, dir exists: {}, postmaster {} alive: {}, \
                 processes mentioning the dir: {:?}",
                w.mode,
                w.dir.exists(),
                w.postmaster,
                process_alive(w.postmaster),
                processes_mentioning(&w.dir)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    watched.len()
}

fn parse_report(line: &str) -> Option<(PathBuf, u32)> {
    let rest = line.trim().strip_prefix("dir=")?;
    let (dir, pid) = rest.rsplit_once(" pid=")?;
    Some((PathBuf::from(dir), pid.parse().ok()?))
}

/// Alive and not a zombie, according to /proc.
fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z')),
        Err(_) => false,
    }
}

/// Pids of live processes whose command line mentions `dir`.
fn processes_mentioning(dir: &Path) -> Vec<u32> {
    let needle = dir.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != std::process::id())
        .filter(|&pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmd| String::from_utf8_lossy(&cmd).contains(&needle))
        })
        .filter(|&pid| process_alive(pid))
        .collect()
}
