//! Generating the Rust models of a synthetic 1,000-table schema (20 columns each: keys,
//! foreign keys, enums, typed and untyped JSON, arrays, nullable and camelCase columns,
//! defaults and an auto-updated timestamp). Throughput is in tables, so criterion reports the
//! time per table. `cargo bench -p strata-core --bench render_rust` (add `-- --quick`).
//!
//! - `generate`: the model → tokens (`strata::render::rust::generate`);
//! - `render_module`: tokens → parsed `syn::File` → prettyplease text, as `cargo xtask codegen`
//!   writes it.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;
use strata::render::rust::{Settings, generate, render_module};

const TABLES: usize = 1_000;
const COLUMNS: usize = 20;

/// The schema as YAML text, loaded through the real loader.
fn synthetic_schema() -> strata::Schema {
    let mut y = String::from("extensions: [pgcrypto]\nenums:\n");
    for e in 0..10 {
        let _ = writeln!(
            y,
            "  status_{e}:\n    values: [new, active, \"it's done\", archived]"
        );
    }
    y.push_str(
        "json_types:\n  Tag:\n    fields:\n      name: string\n      weight: number?\n  Meta:\n    extra: true\n    fields:\n      tags: Tag[]\n      source: string?\n      counts: map<integer>\n",
    );
    y.push_str("tables:\n");
    for t in 0..TABLES {
        let _ = writeln!(
            y,
            "  table_{t}:\n    description: Table {t}, synthetic.\n    columns:"
        );
        let mut columns = vec![
            "id: { type: uuid, primary_key: true, default_sql: gen_random_uuid(), description: Primary key }".to_string(),
            if t > 0 {
                format!("parent_id: {{ type: uuid, nullable: true, references: table_{}, on_delete: cascade }}", t / 2)
            } else {
                "parent_id: { type: uuid, nullable: true }".to_string()
            },
            format!("status: {{ type: status_{}, default: new }}", t % 10),
            "title: { type: varchar(200), description: The title }".into(),
            "userId: varchar(255)".into(),
            "order: { type: integer, default: 0 }".into(),
            "tags: { type: \"text[]\", default: [] }".into(),
            "meta: { type: jsonb, json: Meta, default: { tags: [], counts: {} } }".into(),
            "settings: jsonb?".into(),
            "ratio: { type: double precision, default: 0.5 }".into(),
            "price: numeric(12,2)?".into(),
            "created_at: { type: timestamptz, default_sql: now() }".into(),
            "updated_at: { type: timestamptz, default_sql: now(), auto_update: true }".into(),
        ];
        let mut c = 0;
        while columns.len() < COLUMNS {
            columns.push(match c % 4 {
                0 => format!("note_{c}: text?"),
                1 => format!("count_{c}: {{ type: bigint, default: 0 }}"),
                2 => format!("flag_{c}: {{ type: boolean, default: false }}"),
                _ => format!("day_{c}: date?"),
            });
            c += 1;
        }
        for col in columns {
            let _ = writeln!(y, "      {col}");
        }
    }
    let source = strata::load::SourceText {
        path: "schemas/synthetic.yaml".into(),
        text: y,
    };
    match strata::load::load_sources("synthetic", false, vec![source]) {
        Ok(s) => s,
        Err(d) => panic!("the synthetic schema does not load:\n{}", d.render(false)),
    }
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
