//! Rendering the DDL of a synthetic 1,000-table schema (20 columns each, foreign keys to earlier
//! tables plus ten two-table cycles, an index and comments per table, enums and auto-updated
//! timestamps). `cargo bench -p strata-core --bench render_sql`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;

const TABLES: usize = 1_000;

/// The schema as YAML text, loaded through the real loader.
fn synthetic_schema() -> strata::Schema {
    let mut y = String::from("extensions: [pgcrypto]\nenums:\n");
    for e in 0..10 {
        let _ = writeln!(
            y,
            "  status_{e}:\n    description: Status {e}.\n    values: [new, active, \"it's done\", archived]"
        );
    }
    y.push_str(
        "mixins:\n  timestamps:\n    position: end\n    columns:\n      created_at: { type: timestamptz, default_sql: now() }\n      updated_at: { type: timestamptz, default_sql: now(), auto_update: true }\ntables:\n",
    );
    for t in 0..TABLES {
        let _ = writeln!(
            y,
            "  table_{t}:\n    description: \"Table {t}: it's synthetic -- for the benchmark.\"\n    mixins: [timestamps]\n    columns:"
        );
        let _ = writeln!(
            y,
            "      id: {{ type: uuid, primary_key: true, default_sql: gen_random_uuid(), description: Primary key }}"
        );
        if t > 0 {
            let _ = writeln!(
                y,
                "      parent_id: {{ type: uuid, nullable: true, references: table_{}, on_delete: cascade }}",
                t / 2
            );
        }
        // Ten two-table cycles: table_{100k} and table_{100k+1} reference each other.
        if t % 100 == 0 {
            let _ = writeln!(
                y,
                "      partner_id: {{ type: uuid, nullable: true, references: table_{} }}",
                t + 1
            );
        }
        if t % 100 == 1 {
            let _ = writeln!(
                y,
                "      partner_id: {{ type: uuid, nullable: true, references: table_{} }}",
                t - 1
            );
        }
        let _ = writeln!(
            y,
            "      status: {{ type: status_{}, default: new, description: Lifecycle }}",
            t % 10
        );
        let _ = writeln!(
            y,
            "      title: {{ type: varchar(200), description: \"Title (\\\"quoted\\\")\" }}"
        );
        let _ = writeln!(
            y,
            "      userId: {{ type: varchar(255), description: camelCase }}"
        );
        let _ = writeln!(
            y,
            "      order: {{ type: integer, default: 0, check: \"\\\"order\\\" >= 0\" }}"
        );
        let _ = writeln!(
            y,
            "      tags: {{ type: \"text[]\", default: [a, \"b c\"] }}"
        );
        let _ = writeln!(
            y,
            "      settings: {{ type: jsonb, default: {{ theme: dark, size: 3 }} }}"
        );
        let _ = writeln!(y, "      ratio: {{ type: double precision, default: 0.5 }}");
        for c in 0..8 {
            let _ = writeln!(
                y,
                "      note_{c}: {{ type: text, nullable: true, description: Note {c} }}"
            );
        }
        let _ = writeln!(
            y,
            "    indexes:\n      - {{ columns: [userId, created_at desc], where: \"status <> 'archived'\" }}"
        );
    }
    strata::load::load_sources(
        "synthetic",
        false,
        vec![strata::load::SourceText {
            path: "schemas/synthetic.yaml".into(),
            text: y,
        }],
    )
    .unwrap_or_else(|d| panic!("the synthetic schema does not load:\n{}", d.render(false)))
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
