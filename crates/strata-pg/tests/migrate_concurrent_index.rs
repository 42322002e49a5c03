//! A non-transactional migration builds an index on a 1,000,000-row table while another session
//! keeps writing to it: no write waits for a second, and the index ends valid. This is what the
//! non-transactional path is for: inside refinery's transaction the build could not be
//! concurrent, and a plain `CREATE INDEX` would block every write for the whole build.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use strata_pg::{MigrateOptions, Migrations, db_error_message, migrate};
use strata_testkit::TestDb;

const CREATE: (&str, &str) = (
    "V1__create_events.sql",
    "SET LOCAL lock_timeout = '5s';\n\
     CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account int NOT NULL, payload text NOT NULL);\n\
     INSERT INTO events (account, payload) SELECT g % 1000, md5(g::text) FROM generate_series(1, 1000000) g;\n",
);

const INDEX: (&str, &str) = (
    "V2__index_events_payload.sql",
    "-- strata:non-transactional\n\
     -- Strata's runner executes each statement on its own, outside a transaction.\n\n\
     -- strata:statement\nSET lock_timeout = '5s';\n\n\
     -- create index events_account_payload_idx on events\n\
     -- hazards: builds an index, scans the table\n\
     -- strata:statement\n\
     CREATE INDEX CONCURRENTLY IF NOT EXISTS events_account_payload_idx ON events USING btree (account, payload);\n",
);

/// What the writer saw.
#[derive(Debug, Default)]
struct Writes {
    count: usize,
    during_build: usize,
    max_latency: Duration,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrent_index_build_does_not_block_writes() {
    let mut db = TestDb::new().await;
    let fill = Instant::now();
    let create = Migrations::from_embedded(&[CREATE]).unwrap_or_else(|e| panic!("{e}"));
    migrate(&mut db.client, &create, &MigrateOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let fill = fill.elapsed();

    let writer_client = db.connect_again().await;
    let building = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (building, stop) = (building.clone(), stop.clone());
        tokio::spawn(async move {
            let mut writes = Writes::default();
            // Bounded: it stops by itself after two minutes even if nobody tells it to.
            let deadline = Instant::now() + Duration::from_secs(120);
            let mut i: i32 = 0;
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                i += 1;
                let sql = if i % 2 == 0 {
                    "INSERT INTO events (account, payload) VALUES ($1::int4 % 1000, md5($1::int4::text))"
                } else {
                    "UPDATE events SET payload = md5(($1::int4 + 7)::text) WHERE id = $1::int4"
                };
                let start = Instant::now();
                let during = building.load(Ordering::Relaxed);
                writer_client
                    .execute(sql, &[&i])
                    .await
                    .unwrap_or_else(|e| panic!("write {i}: {}", db_error_message(&e)));
                writes.max_latency = writes.max_latency.max(start.elapsed());
                writes.count += 1;
                if during && building.load(Ordering::Relaxed) {
                    writes.during_build += 1;
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            writes
        })
    };
    // Let the writer get going before the build starts.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let both = Migrations::from_embedded(&[CREATE, INDEX]).unwrap_or_else(|e| panic!("{e}"));
    building.store(true, Ordering::Relaxed);
    let build = Instant::now();
    let report = migrate(&mut db.client, &both, &MigrateOptions::default()).await;
    let build = build.elapsed();
    building.store(false, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::Relaxed);
    let writes = writer.await.expect("the writer task");
    let report = report.unwrap_or_else(|e| panic!("{e}"));

    eprintln!(
        "fill 1,000,000 rows: {fill:?}; concurrent build: {build:?}; writes: {} ({} during the build); \
         max write latency: {:?}",
        writes.count, writes.during_build, writes.max_latency
    );
    assert_eq!(report.applied_versions(), [2]);
    assert!(
        writes.during_build >= 20,
        "too few writes overlapped the build to show anything: {writes:?}"
    );
    assert!(
        writes.max_latency < Duration::from_secs(1),
        "a write waited {:?} during the concurrent build",
        writes.max_latency
    );
    let valid: bool = db
        .client
        .query_one(
            "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = 'events_account_payload_idx'::regclass",
            &[],
        )
        .await
        .unwrap_or_else(|e| panic!("{}", db_error_message(&e)))
        .get(0);
    assert!(valid, "the index must be valid");
    // The index covers the rows written during the build.
    let rows: i64 = db
        .client
        .query_one("SELECT count(*) FROM events WHERE account >= 0", &[])
        .await
        .unwrap_or_else(|e| panic!("{}", db_error_message(&e)))
        .get(0);
    assert_eq!(rows, 1_000_000 + (writes.count as i64) / 2);
}
