//! Import round trips on the real server.
//!
//! For each seed database, and for a database written by hand that uses every feature of the
//! schema language (`tests/fixtures/import/all_features.sql`):
//!
//! 1. build database A from DDL and introspect it;
//! 2. write its schema YAML ([`strata::render::yaml::schema_yaml`]) and load that YAML with the
//!    real loader: it must load without a single diagnostic;
//! 3. the loaded model must equal the expected one (the seed's model; for the hand-written
//!    database, the introspected one) after [`normalize`];
//! 4. build database B from the loaded model's DDL (`schema_sql`): introspecting A and B must
//!    give no difference in either direction.
//!
//! # What the model comparison ignores, and why
//!
//! [`normalize`] clears or sorts exactly these, and nothing else:
//!
//! - Rust-only properties, which no database holds: `rust_name` (tables, columns, enums, enum
//!   values), `json` (typed JSON columns) and `json_types`, `derives`, `soft_delete`. For the
//!   hand-written database the Rust names are compared too, since both sides derive them.
//! - Where a column came from: `mixin` (the import writes mixin columns expanded; it does not
//!   invent mixins) and `group` / `groups` (the file of a schema folder; an import is one file).
//! - Planner-only and file-level properties: the schema's `description` (Strata writes no
//!   database comment), `allow`, `renamed_from`, `backfill`, and source locations.
//! - Declaration order the database cannot know: tables (PostgreSQL creates them in foreign-key
//!   order), and the unique constraints, checks, foreign keys and indexes of a table (a foreign
//!   key may be added after its table) are sorted by name. Column order and enum value order
//!   are kept: the database knows them.
//! - How a constant default was written: `default_sql: "'{}'"` and `default: []` are the same
//!   default in the database, which keeps one expression either way; an SQL default that is a
//!   constant is compared as the literal it stands for.
//! - SQL text: expressions (SQL defaults, checks, index keys and predicates) are compared in
//!   [`strata::compare::expr::normalize`]'s form, since the server rewrites them
//!   (`price >= 0` comes back as `(price >= (0)::numeric)`).

#[path = "introspect_common/mod.rs"]
mod common;

use common::{read, root, schema_sql, seeds};
use strata::compare::expr::{literal_default, normalize as normalize_expr};
use strata::model::{Default, IndexTarget};
use strata::{Loc, Schema};
use strata_testkit::TestDb;

/// The model with what a database cannot know cleared or sorted (see the module docs).
fn normalize(s: &Schema, keep_rust_names: bool) -> Schema {
    let mut s = s.clone();
    s.description = None;
    s.derives.clear();
    s.allow.clear();
    s.groups.clear();
    s.json_types.clear();
    for e in &mut s.enums {
        e.renamed_from = None;
        e.loc = Loc::default();
        if !keep_rust_names {
            e.rust_name.clear();
        }
        for v in &mut e.values {
            v.renamed_from = None;
            v.loc = Loc::default();
            if !keep_rust_names {
                v.rust_name.clear();
            }
        }
    }
    s.tables.sort_by(|a, b| a.name.cmp(&b.name));
    for t in &mut s.tables {
        t.group = None;
        t.renamed_from = None;
        t.loc = Loc::default();
        if !keep_rust_names {
            t.rust_name.clear();
        }
        for c in &mut t.columns {
            c.json = None;
            c.soft_delete = false;
            c.mixin = None;
            c.renamed_from = None;
            c.backfill = None;
            c.loc = Loc::default();
            if !keep_rust_names {
                c.rust_name.clear();
            }
            if let Some(Default::Sql(e)) = &c.default {
                c.default = Some(match literal_default(e, &c.ty) {
                    Some(lit) => Default::Literal(lit),
                    None => Default::Sql(normalize_expr(e)),
                });
            }
        }
        if let Some(pk) = &mut t.primary_key {
            pk.loc = Loc::default();
        }
        t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        t.checks.sort_by(|a, b| a.name.cmp(&b.name));
        t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        for u in &mut t.uniques {
            u.loc = Loc::default();
        }
        for c in &mut t.checks {
            c.loc = Loc::default();
            c.expr = normalize_expr(&c.expr);
        }
        for f in &mut t.foreign_keys {
            f.loc = Loc::default();
        }
        for i in &mut t.indexes {
            i.loc = Loc::default();
            i.predicate = i.predicate.as_deref().map(normalize_expr);
            for k in &mut i.keys {
                if let IndexTarget::Expr(e) = &mut k.target {
                    *e = normalize_expr(e);
                }
            }
        }
    }
    s
}

/// Panics with the first differing lines of the two models' JSON dumps.
fn assert_same_model(expected: &Schema, actual: &Schema, what: &str) {
    let a = serde_json::to_string_pretty(expected).expect("serializable");
    let b = serde_json::to_string_pretty(actual).expect("serializable");
    if a == b {
        return;
    }
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let first = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    let from = first.saturating_sub(8);
    panic!(
        "{what}: the imported model differs from the expected one at line {first}\n--- expected\n{}\n--- imported\n{}",
        la[from..(first + 8).min(la.len())].join("\n"),
        lb[from..(first + 8).min(lb.len())].join("\n"),
    );
}

/// Steps 1–4 of the module docs; returns the YAML and the loaded model.
async fn round_trip(name: &str, ddl: &str) -> (String, Schema, Schema) {
    let a = TestDb::with_sql(ddl).await;
    let live_a = read(&a, name).await;
    let ignored: Vec<String> = live_a.ignored.iter().map(ToString::to_string).collect();
    assert!(
        ignored.is_empty(),
        "{name}: nothing should be ignored, but:\n{}",
        ignored.join("\n")
    );

    let yaml = strata::render::yaml::schema_yaml(&live_a.schema);
    let loaded = strata::load::load_sources(
        name,
        false,
        vec![strata::load::SourceText {
            path: format!("schemas/{name}.yaml"),
            text: yaml.clone(),
        }],
    )
    .unwrap_or_else(|d| {
        panic!(
            "{name}: the imported YAML does not load:\n{}\n{yaml}",
            d.render(false)
        )
    });

    let b = TestDb::with_sql(&strata::render::sql::schema_sql(&loaded)).await;
    let live_b = read(&b, name).await;
    for (from, to, what) in [
        (&live_a.schema, &live_b.schema, "A → B"),
        (&live_b.schema, &live_a.schema, "B → A"),
    ] {
        let diffs: Vec<String> = strata::compare::compare(from, to)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            diffs.is_empty(),
            "{name}: rebuilt database differs ({what}):\n{}\n{yaml}",
            diffs.join("\n")
        );
    }
    (yaml, loaded, live_a.schema)
}

#[tokio::test]
async fn every_seed_round_trips() {
    for seed in seeds() {
        let (_, loaded, _) = round_trip(&seed.name, &schema_sql(&seed.name)).await;
        assert_same_model(
            &normalize(&seed, false),
            &normalize(&loaded, false),
            &seed.name,
        );
    }
}

#[tokio::test]
async fn a_hand_written_database_with_every_feature_round_trips() {
    let path = root().join("tests/fixtures/import/all_features.sql");
    let ddl = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (yaml, loaded, live) = round_trip("all_features", &ddl).await;
    // Introspection derives Rust names exactly as the loader does, so they are compared too.
    assert_same_model(
        &normalize(&live, true),
        &normalize(&loaded, true),
        "all_features",
    );
    // Every feature made it into the file.
    for needle in [
        "primary_key: [id, region]",
        "columns: [order_id, order_region], references: { table: orders }, on_delete: cascade",
        "on_delete: set_default",
        "on_delete: restrict",
        "on_delete: set_null",
        "on_update: cascade",
        "references: categories.code",
        "using: gin",
        "using: hash",
        "using: brin",
        "where: vip",
        "created_at desc",
        "{ expr: lower(email) }",
        "nulls_not_distinct: true",
        "identity: always",
        "identity: by_default",
        "numeric(12,2)",
        "index_foreign_keys: false",
        "single_row: true",
        "    exclude:\n      - using: gist\n        elements: [{ column: during, operator: \"&&\" }]\n        name: visits_no_overlap\n        where: NOT cancelled\n        description: Live visits do not overlap.\n",
        // PostgreSQL's name for it (the INCLUDE column too), which the loader gives as well.
        "      - { using: gist, elements: [{ expr: \"tstzrange(starts_at, ends_at)\", operator: \"&&\" }], include: [id] }\n",
        "auto_update: true",
        "default_sql: \"'ord_' || gen_random_uuid()\"",
        // An `ARRAY[…]` constructor stays SQL (re-applied, its literal form would give
        // another `pg_get_expr` text: issue #11); an array literal stays a literal.
        "default_sql: \"ARRAY[3, 7]\"",
        "default: [happy]",
        "values:\n      - pending\n      - { name: paid, description: Payment received }",
    ] {
        assert!(
            yaml.contains(needle),
            "the imported YAML lacks `{needle}`:\n{yaml}"
        );
    }
}
