//! Rendering the DDL of a synthetic 1,000-table schema (20 columns each, foreign keys to earlier
//! tables plus ten two-table cycles, an index and comments per table, enums and auto-updated
//! timestamps). `cargo bench -p strata-core --bench render_sql`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

const TABLES: usize = 1_000;

/// The shared synthetic schema (`strata::synthetic`), loaded through the real loader.
fn synthetic_schema() -> strata::Schema {
    strata::synthetic::schema(TABLES, 0)
}

fn render(c: &mut Criterion) {
    let schema = synthetic_schema();
    assert_eq!(schema.tables.len(), TABLES);
    let sql = strata::render::sql::schema_sql(&schema);
    assert!(sql.matches("CREATE TABLE ").count() == TABLES);
    assert!(
        sql.matches("ADD CONSTRAINT table_").count() >= 10,
        "the cycles are closed after the tables"
    );
    c.bench_function("schema_sql, 1,000 tables", |b| {
        b.iter(|| strata::render::sql::schema_sql(black_box(&schema)))
    });
}

criterion_group!(benches, render);
criterion_main!(benches);
