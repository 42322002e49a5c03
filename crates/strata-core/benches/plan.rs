//! Planning the difference between two synthetic 1,000-table schemas that differ in 50 places
//! (type and default changes, renamed and added columns, new indexes).
//! `cargo bench -p strata-core --bench plan`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use strata::plan::{PlanOptions, plan};

fn bench(c: &mut Criterion) {
    let old = strata::synthetic::schema(1_000, 0);
    let new = strata::synthetic::schema(1_000, 50);
    let options = PlanOptions::default();
    let p = plan(&old, &new, &options).expect("the synthetic edits need no consent");
    assert!(p.steps.len() >= 50, "{} steps", p.steps.len());
    c.bench_function("plan, 1,000 tables, 50 differences", |b| {
        b.iter(|| plan(black_box(&old), black_box(&new), &options))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
