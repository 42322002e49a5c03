//! Eight `cargo xtask migrate` processes start at once on one fresh database, five rounds: every
//! run succeeds and every migration is applied exactly once. Without Strata's advisory lock,
//! refinery's runners race (all but one fail with `relation already exists` or a duplicate key).
//! Runs on the real server (strata-pg's throwaway cluster); never skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use strata_pg::db_error_message;
use strata_testkit::TestDb;

const PROCESSES: usize = 8;
const ROUNDS: usize = 5;

/// Each migration logs its version in `migration_log`, so one applied twice would show twice.
/// (The log insert in V3 is the only statement here that is not idempotent: a test marker.)
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "V1__create_items.sql",
        "SET LOCAL lock_timeout = '5s';\n\
         CREATE TABLE migration_log (version int NOT NULL, pid int NOT NULL DEFAULT pg_backend_pid());\n\
         INSERT INTO migration_log (version) VALUES (1);\n\
         CREATE TYPE item_kind AS ENUM ('a', 'b');\n\
         CREATE TABLE items (id int PRIMARY KEY, kind item_kind NOT NULL);\n",
    ),
    (
        "V2__seed_items.sql",
        "SET LOCAL lock_timeout = '5s';\n\
         INSERT INTO migration_log (version) VALUES (2);\n\
         INSERT INTO items SELECT g, 'a' FROM generate_series(1, 20000) g;\n",
    ),
    (
        "V3__index_items_and_add_kind.sql",
        "-- strata:non-transactional\n\
         -- Strata's runner executes each statement on its own, outside a transaction.\n\n\
         -- strata:statement\nSET lock_timeout = '5s';\n\n\
         -- strata:statement\nALTER TYPE item_kind ADD VALUE IF NOT EXISTS 'c';\n\n\
         -- strata:statement\nCREATE INDEX CONCURRENTLY IF NOT EXISTS items_kind_idx ON items USING btree (kind);\n\n\
         -- strata:statement\nINSERT INTO migration_log (version) VALUES (3);\n",
    ),
    (
        "V4__use_kind_c.sql",
        "SET LOCAL lock_timeout = '5s';\n\
         INSERT INTO migration_log (version) VALUES (4);\n\
         UPDATE items SET kind = 'c' WHERE id <= 10;\n",
    ),
];

fn write_migrations() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("strata-migrate-concurrency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the migrations directory");
    for (name, sql) in MIGRATIONS {
        std::fs::write(dir.join(name), sql).expect("write a migration");
    }
    dir
}

struct Run {
    success: bool,
    stdout: String,
    stderr: String,
}

/// Starts `PROCESSES` migrate processes together and waits for all of them.
fn run_together(url: &str, dir: &Path) -> Vec<Run> {
    let children: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_strata"))
                .args(["migrate", "--database-url", url, "--migrations-dir"])
                .arg(dir)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start cargo xtask migrate")
        })
        .collect();
    children
        .into_iter()
        .map(|child| {
            let out = child
                .wait_with_output()
                .expect("wait for cargo xtask migrate");
            Run {
                success: out.status.success(),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }
        })
        .collect()
}

async fn rows(db: &TestDb, sql: &str) -> Vec<(i32, i64)> {
    db.client
        .query(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {}", db_error_message(&e)))
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test]
async fn eight_concurrent_runs_apply_each_migration_exactly_once() {
    let dir = write_migrations();
    let mut runs_that_waited = 0;
    for round in 1..=ROUNDS {
        let db = TestDb::new().await;
        let start = Instant::now();
        let url = db.url.clone();
        let dir_for_runs = dir.clone();
        let runs = tokio::task::spawn_blocking(move || run_together(&url, &dir_for_runs))
            .await
            .expect("the runs");
        let elapsed = start.elapsed();

        for (i, run) in runs.iter().enumerate() {
            assert!(
                run.success,
                "round {round}, run {i} failed:\nstdout: {}\nstderr: {}",
                run.stdout, run.stderr
            );
        }
        // Across the eight outputs, each migration is reported applied exactly once.
        let stdout: String = runs.iter().map(|r| r.stdout.as_str()).collect();
        for (name, _) in MIGRATIONS {
            let id = name.trim_end_matches(".sql");
            assert_eq!(
                stdout.matches(&format!("{id} (")).count(),
                1,
                "round {round}: {id} in:\n{stdout}"
            );
        }
        runs_that_waited += runs
            .iter()
            .filter(|r| r.stdout.contains("after waiting"))
            .count();

        // And in the database: one history row and one log row per migration, objects in place.
        assert_eq!(
            rows(&db, "SELECT version, count(*) FROM refinery_schema_history GROUP BY version ORDER BY version").await,
            [(1, 1), (2, 1), (3, 1), (4, 1)],
            "round {round}"
        );
        assert_eq!(
            rows(
                &db,
                "SELECT version, count(*) FROM migration_log GROUP BY version ORDER BY version"
            )
            .await,
            [(1, 1), (2, 1), (3, 1), (4, 1)],
            "round {round}"
        );
        assert_eq!(
            rows(
                &db,
                "SELECT i.indisvalid::int, count(*) FROM pg_index i \
                 WHERE i.indexrelid = 'items_kind_idx'::regclass GROUP BY 1"
            )
            .await,
            [(1, 1)],
            "round {round}: items_kind_idx is valid"
        );
        assert_eq!(
            rows(&db, "SELECT 0, count(*) FROM items WHERE kind = 'c'").await,
            [(0, 10)],
            "round {round}"
        );
        eprintln!("round {round}: {PROCESSES} runs in {elapsed:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "runs that waited for another's lock: {runs_that_waited} of {}",
        PROCESSES * ROUNDS
    );
    assert!(
        runs_that_waited > 0,
        "no run ever waited for the lock: the runs did not overlap, so this test proved nothing"
    );
}
