//! `insert_many` (binary `COPY`) of 100,000 rows against rows inserted one by one with
//! `insert_one` (each statement prepared once, through the statement cache; the first 10,000
//! of the same rows, since a run of 100,000 takes most of a minute), on the local test
//! cluster, into two tables, each emptied outside the timing before each run: creator_site's
//! `subscribers` (a uuid key from `gen_random_uuid()`, three `now()` defaults, a unique
//! e-mail) and the downstream `tags` of `schemas/models.yaml` (an identity key, a unique
//! label, a domain column). Both report rows per second (criterion's throughput); their ratio
//! goes into docs/performance.md.
//!
//! `cargo bench -p strata-downstream-tests --bench insert_many`.

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::time::{Duration, Instant};
use strata_downstream_tests::models::{NewTag, Tag};
use strata_models::creator_site::{NewSubscriber, Subscriber};
use strata_runtime::pg::{Cached, PgInsert};
use strata_testkit::TestDb;

const ROWS: usize = 100_000;
/// The rows of a run of row-by-row inserts.
const ONE_BY_ONE: usize = 10_000;

fn subscribers() -> Vec<NewSubscriber> {
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

fn tags() -> Vec<NewTag> {
    (0..ROWS).map(|i| NewTag::new(format!("tag {i}"))).collect()
}

/// One table's three runs: `insert_many` of all `rows`, then `insert_one` of the first
/// [`ONE_BY_ONE`], then the server's own insert of the same rows (`floor`), the table emptied
/// with `TRUNCATE … RESTART IDENTITY CASCADE` before each run (the tables that reference it are
/// empty).
fn runs<N, F>(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    (db, cached): (&TestDb, &Cached<tokio_postgres::Client>),
    table: &str,
    rows: &[N],
    floor: &str,
    insert_one: F,
) where
    N: PgInsert + Sync,
    F: for<'a> Fn(
        &'a Cached<tokio_postgres::Client>,
        &'a N,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>,
{
    let empty = || {
        runtime
            .block_on(
                db.client
                    .batch_execute(&format!("TRUNCATE {table} RESTART IDENTITY CASCADE")),
            )
            .expect("truncate");
    };
    let mut group = c.benchmark_group(table);
    // One run per sample: a run of row-by-row inserts takes seconds.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(1));
    group.measurement_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("insert_many", |b| {
        b.iter_custom(|iters| {
            timed(iters, empty, || {
                let n = runtime
                    .block_on(strata_runtime::pg::insert_many(cached, rows))
                    .expect("insert_many");
                assert_eq!(n, ROWS as u64);
            })
        })
    });
    group.throughput(Throughput::Elements(ONE_BY_ONE as u64));
    group.bench_function("insert_one_each", |b| {
        b.iter_custom(|iters| {
            timed(iters, empty, || {
                runtime.block_on(async {
                    for row in &rows[..ONE_BY_ONE] {
                        insert_one(cached, row).await;
                    }
                })
            })
        })
    });
    // The server's own work for the same rows, with no client in it: one `INSERT … SELECT`
    // from `generate_series`, to set `insert_many`'s time against.
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("server_floor", |b| {
        b.iter_custom(|iters| {
            timed(iters, empty, || {
                let n = runtime
                    .block_on(db.client.execute(floor, &[]))
                    .expect("the server's insert");
                assert_eq!(n, ROWS as u64);
            })
        })
    });
    group.finish();
}

/// The time of `iters` runs of `run`, each after `empty` (not timed).
fn timed(iters: u64, empty: impl Fn(), mut run: impl FnMut()) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        empty();
        let start = Instant::now();
        run();
        total += start.elapsed();
    }
    total
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let ddl = strata_downstream_tests::seed_ddl("creator_site");
    let db = runtime.block_on(TestDb::with_sql(&ddl));
    let cached = Cached::new(runtime.block_on(db.connect_again()));
    let floor = format!(
        "INSERT INTO subscribers (email, name) SELECT 's' || i || '@example.com', \
         'subscriber ' || i FROM generate_series(0, {}) i",
        ROWS - 1
    );
    runs(
        c,
        &runtime,
        (&db, &cached),
        "subscribers",
        &subscribers(),
        &floor,
        |c, row| {
            Box::pin(async move {
                Subscriber::insert_one(c, row).await.expect("insert_one");
            })
        },
    );

    let models = strata_downstream_tests::load("models", "tests/downstream/schemas/models.yaml");
    let db = runtime.block_on(TestDb::with_sql(&strata::render::sql::schema_sql(&models)));
    let cached = Cached::new(runtime.block_on(db.connect_again()));
    let floor = format!(
        "INSERT INTO tags (label) SELECT 'tag ' || i FROM generate_series(0, {}) i",
        ROWS - 1
    );
    runs(
        c,
        &runtime,
        (&db, &cached),
        "tags",
        &tags(),
        &floor,
        |c, row| {
            Box::pin(async move {
                Tag::insert_one(c, row).await.expect("insert_one");
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
