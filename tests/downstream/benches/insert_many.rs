//! `insert_many` (binary `COPY`) of 100,000 rows against rows inserted one by one with
//! `insert_one` (each statement prepared once, through the statement cache; the first 10,000
//! of the same rows, since a run of 100,000 takes most of a minute), on the local test
//! cluster, into creator_site's `subscribers`; the table is emptied outside the timing before
//! each run. Both report rows per second (criterion's throughput); their ratio goes into
//! docs/performance.md.
//!
//! `cargo bench -p strata-downstream-tests --bench insert_many`.

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::time::{Duration, Instant};
use strata_models::creator_site::{NewSubscriber, Subscriber};
use strata_runtime::pg::Cached;
use strata_testkit::TestDb;

const ROWS: usize = 100_000;
/// The rows of a run of row-by-row inserts.
const ONE_BY_ONE: usize = 10_000;

fn rows() -> Vec<NewSubscriber> {
    (0..ROWS)
        .map(|i| NewSubscriber {
            id: None,
            created_at: None,
            updated_at: None,
            email: format!("s{i}@example.com"),
            name: Some(format!("subscriber {i}")),
            subscribed_at: None,
            is_active: None,
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let ddl = strata_downstream_tests::seed_ddl("creator_site");
    let db = runtime.block_on(TestDb::with_sql(&ddl));
    let client = runtime.block_on(db.connect_again());
    let cached = Cached::new(client);
    let rows = rows();
    let empty = || {
        runtime
            .block_on(db.client.batch_execute("TRUNCATE subscribers"))
            .expect("truncate");
    };

    let mut group = c.benchmark_group("subscribers");
    // One run per sample: a run of row-by-row inserts takes seconds.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("insert_many", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                empty();
                let start = Instant::now();
                let n = runtime
                    .block_on(Subscriber::insert_many(&cached, &rows))
                    .expect("insert_many");
                total += start.elapsed();
                assert_eq!(n, ROWS as u64);
            }
            total
        })
    });
    group.throughput(Throughput::Elements(ONE_BY_ONE as u64));
    group.bench_function("insert_one_each", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                empty();
                let start = Instant::now();
                runtime.block_on(async {
                    for row in &rows[..ONE_BY_ONE] {
                        Subscriber::insert_one(&cached, row)
                            .await
                            .expect("insert_one");
                    }
                });
                total += start.elapsed();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
