//! `insert_many` (binary `COPY`) of 100,000 rows against the same rows inserted one by one
//! with `insert_one` (each statement prepared once, through the statement cache), on the
//! local test cluster, into creator_site's `subscribers`; the table is emptied outside the
//! timing before each run. The ratio goes into docs/performance.md.
//!
//! `cargo bench -p strata-downstream-tests --bench insert_many`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::time::{Duration, Instant};
use strata_models::creator_site::{NewSubscriber, Subscriber};
use strata_pg::TestDb;
use strata_runtime::pg::Cached;

const ROWS: usize = 100_000;

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

    let mut group = c.benchmark_group("insert_100k");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(1));
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
    group.bench_function("insert_one_each", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                empty();
                let start = Instant::now();
                runtime.block_on(async {
                    for row in &rows {
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
