//! Introspecting a 1,000-table database (the synthetic benchmark schema of the core: 20
//! columns per table, foreign keys, enums, checks, partial and foreign-key indexes, comments,
//! auto_update triggers), built once in the setup from its generated DDL on the test cluster.
//!
//! `cargo bench -p strata-pg --bench introspect` (add `-- --quick` for a short run).

use criterion::{Criterion, criterion_group, criterion_main};
use strata_pg::introspect::{Options, introspect};
use strata_testkit::TestDb;

const TABLES: usize = 1_000;

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let schema = strata::synthetic::schema(TABLES, 0);
    let ddl = strata::render::sql::schema_sql(&schema);
    let started = std::time::Instant::now();
    let db = runtime.block_on(TestDb::with_sql(&ddl));
    eprintln!("built {TABLES} tables in {:.1?}", started.elapsed());

    // Once outside the timing: the database must read back as the schema that built it.
    let options = Options::new().name(schema.name.clone());
    let found = runtime
        .block_on(introspect(&db.client, &options))
        .expect("introspection");
    let differences = strata::compare::compare(&schema, &found.schema);
    assert!(
        differences.is_empty(),
        "{}",
        differences
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(found.schema.tables.len(), TABLES);

    let mut group = c.benchmark_group("introspect");
    group.sample_size(10);
    group.bench_function("1000_tables", |b| {
        b.iter(|| {
            runtime
                .block_on(introspect(&db.client, &options))
                .expect("introspection")
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
