//! Generating the Rust models of a synthetic 1,000-table schema (20 columns each: keys,
//! foreign keys, enums, typed and untyped JSON, arrays, nullable and camelCase columns,
//! defaults and an auto-updated timestamp). Throughput is in tables, so criterion reports the
//! time per table. `cargo bench -p strata-core --bench render_rust` (add `-- --quick`).
//!
//! - `generate`: the model → tokens (`strata::render::rust::generate`);
//! - `render_module`: tokens → parsed `syn::File` → prettyplease text, as `cargo xtask codegen`
//!   writes it (part by part: one part per table, each parsed and printed on its own).
//!
//! Instruction counts and peak memory at 1,000 and 10,000 tables: docs/performance.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use strata::render::rust::{Settings, generate, render_module};

const TABLES: usize = 1_000;
const COLUMNS: usize = 20;

/// The shared synthetic schema (`strata::synthetic`), loaded through the real loader.
fn synthetic_schema() -> strata::Schema {
    strata::synthetic::schema(TABLES, 0)
}

fn bench(c: &mut Criterion) {
    let schema = synthetic_schema();
    assert_eq!(schema.tables.len(), TABLES);
    assert!(schema.tables.iter().all(|t| t.columns.len() == COLUMNS));
    let settings = Settings::default();

    // One timed run first, so a `--test` run still prints a figure.
    let start = std::time::Instant::now();
    let text = render_module(&schema);
    let elapsed = start.elapsed();
    assert!(
        !text.contains("compile_error!"),
        "the synthetic schema generates cleanly"
    );
    eprintln!(
        "render_rust: {TABLES} tables x {COLUMNS} columns -> {} lines, {:.1} MB in {:.0} ms ({:.0} µs per table, one run)",
        text.lines().count(),
        text.len() as f64 / 1e6,
        elapsed.as_secs_f64() * 1e3,
        elapsed.as_secs_f64() * 1e6 / TABLES as f64
    );

    let mut group = c.benchmark_group("render_rust");
    group.sample_size(10);
    group.throughput(Throughput::Elements(TABLES as u64));
    group.bench_function("generate", |b| {
        b.iter(|| generate(black_box(&schema), &settings))
    });
    group.bench_function("render_module", |b| {
        b.iter(|| render_module(black_box(&schema)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
