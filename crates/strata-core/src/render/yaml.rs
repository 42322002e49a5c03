//! Schema YAML from a model, written as a person would write it: what `cargo xtask import`
//! writes for an existing database.
//!
//! [`schema_yaml`] is the inverse of the loader for everything the database can know: loading
//! its output gives the same model back, except for what only a schema file says (Rust names,
//! typed JSON, derives, mixins, groups, `soft_delete`). It writes:
//!
//! - the editor modeline first, then `extensions`, `enums` and `tables` in the model's order;
//! - columns in their short form (`name: text`, `bio: text?`) when they have nothing but a type,
//!   else as a one-line map (`{ type: uuid, primary_key: true, default_sql: gen_random_uuid() }`),
//!   or a block when that line would be long;
//! - single-column keys on the column (`primary_key: true`, `unique: true`, `check:`,
//!   `references: table` when the key targets the primary key, `references: table.column`
//!   otherwise), composite ones on the table;
//! - a constraint's or index's `name` only when it differs from the one the loader would
//!   generate;
//! - no index the loader creates by itself for a foreign key (`index_foreign_keys`), unless the
//!   database lacks some of those: then `index_foreign_keys: false` and every index explicitly;
//! - literal defaults as YAML values (`default: USD`, `default: 0.7`, `default: []`) and SQL
//!   defaults as `default_sql`;
//! - descriptions from comments, enums with their values (and values' descriptions).
//!
//! What the language cannot say (a primary key or single-row constraint named unlike the
//! loader's name) is written as a YAML comment beside the table, so nothing is lost without a
//! word.
//!
//! ```
//! let schema = strata::load::load_sources(
//!     "shop",
//!     false,
//!     vec![strata::load::SourceText {
//!         path: "schemas/shop.yaml".into(),
//!         text: "tables:\n  products:\n    columns:\n      id: { type: uuid, primary_key: true }\n      title: text\n      note: text?\n".into(),
//!     }],
//! )
//! .expect("a valid schema");
//! let yaml = strata::render::yaml::schema_yaml(&schema);
//! assert!(yaml.starts_with("# yaml-language-server: $schema=../generated/schema-language.json\n"));
//! assert!(yaml.contains("      id: { type: uuid, primary_key: true }\n      title: text\n      note: text?\n"));
//! ```

use crate::model::{Default, Deferrable, Enum, FkAction, Schema};
use std::fmt::Write as _;

mod exclusions;
mod indexes;
mod partitions;
mod routines;
mod scalars;
mod security;
mod tables;

use indexes::{index_key_parts, storage_parameters, write_index, write_index_of};
use scalars::{block_scalar, block_value, flow_list, flow_scalar, key, literal_yaml, quoted};
use tables::write_table;

/// The modeline every schema file starts with (for `schemas/<db>.yaml`).
pub const MODELINE: &str = "# yaml-language-server: $schema=../generated/schema-language.json";

/// A flow line longer than this is written as a block instead.
const MAX_LINE: usize = 120;

/// The schema file for `schema` (see the module documentation).
pub fn schema_yaml(schema: &Schema) -> String {
    let mut out = String::new();
    out.push_str(MODELINE);
    out.push('\n');
    if let Some(d) = &schema.description {
        let _ = writeln!(out, "\ndescription: {}", block_scalar(d));
    }
    if !schema.extensions.is_empty() {
        let list: Vec<String> = schema.extensions.iter().map(|e| flow_scalar(e)).collect();
        let _ = writeln!(out, "\nextensions: [{}]", list.join(", "));
    }
    if !schema.pg_schemas.is_empty() {
        out.push_str("\nschemas:\n");
        for s in &schema.pg_schemas {
            match &s.description {
                Some(c) => {
                    let _ = writeln!(out, "  {}:\n    comment: {}", key(&s.name), block_scalar(c));
                }
                None => {
                    let _ = writeln!(out, "  {}: {{}}", key(&s.name));
                }
            }
        }
    }
    security::write_roles(&mut out, schema);
    security::write_top_grants(&mut out, schema);
    if !schema.enums.is_empty() {
        out.push_str("\nenums:\n");
        for e in &schema.enums {
            write_enum(&mut out, e);
        }
    }
    if !schema.domains.is_empty() {
        out.push_str("\ndomains:\n");
        for d in &schema.domains {
            write_domain(&mut out, d);
        }
    }
    if !schema.sequences.is_empty() {
        out.push_str("\nsequences:\n");
        for q in &schema.sequences {
            write_sequence(&mut out, q, security::sequence_grants(schema, &q.name));
        }
    }
    out.push_str("\ntables:\n");
    for (i, t) in schema.tables.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_table(&mut out, schema, t);
    }
    if schema.tables.is_empty() {
        // `tables:` alone would be null; the loader reads an empty map as no tables.
        out.truncate(out.len() - "tables:\n".len());
        out.push_str("tables: {}\n");
    }
    routines::write_functions(&mut out, schema);
    if !schema.views.is_empty() {
        out.push_str("\nviews:\n");
        for (i, v) in schema.views.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            write_view(&mut out, v);
        }
    }
    out
}

fn write_view(out: &mut String, v: &crate::model::View) {
    let _ = writeln!(out, "  {}:", key(&v.name));
    if let Some(s) = &v.schema {
        let _ = writeln!(out, "    schema: {}", block_scalar(s));
    }
    if v.materialized {
        out.push_str("    materialized: true\n");
    }
    let _ = writeln!(out, "    query: {}", block_scalar(v.query.trim()));
    if let Some(c) = v.check_option {
        let _ = writeln!(out, "    with_check_option: {}", c.as_str());
    }
    if v.security_barrier {
        out.push_str("    security_barrier: true\n");
    }
    if v.security_invoker {
        out.push_str("    security_invoker: true\n");
    }
    if let Some(d) = &v.description {
        let _ = writeln!(out, "    description: {}", block_scalar(d));
    }
    if !v.columns.is_empty() {
        out.push_str("    columns:\n");
        for c in &v.columns {
            let mut parts = Vec::new();
            if let Some(d) = &c.description {
                parts.push(format!("description: {}", flow_scalar(d)));
            }
            if let Some(t) = &c.ty {
                parts.push(format!("type: {}", flow_scalar(&t.to_string())));
            }
            let _ = writeln!(out, "      {}: {{ {} }}", key(&c.name), parts.join(", "));
        }
    }
    if !v.key.is_empty() {
        let _ = writeln!(out, "    key: {}", flow_list(&v.key));
    }
    if !v.indexes.is_empty() {
        out.push_str("    indexes:\n");
        for i in &v.indexes {
            write_index_of(out, &v.name, i);
        }
    }
}

fn write_domain(out: &mut String, d: &crate::model::Domain) {
    let _ = writeln!(out, "  {}:", key(&d.name));
    let _ = writeln!(out, "    type: {}", flow_scalar(&d.ty.to_string()));
    if d.not_null {
        out.push_str("    not_null: true\n");
    }
    match &d.default {
        Some(Default::Literal(l)) => {
            let _ = writeln!(out, "    default: {}", literal_yaml(l));
        }
        Some(Default::Sql(s)) => {
            let _ = writeln!(out, "    default_sql: {}", flow_scalar(s.trim()));
        }
        None => {}
    }
    if !d.checks.is_empty() {
        out.push_str("    checks:\n");
        for (i, c) in d.checks.iter().enumerate() {
            let default_name = crate::model::Domain::default_check_name(&d.name, i);
            if c.name == default_name {
                let _ = writeln!(out, "      - {}", flow_scalar(c.expr.trim()));
            } else {
                let _ = writeln!(
                    out,
                    "      - {{ expr: {}, name: {} }}",
                    flow_scalar(c.expr.trim()),
                    flow_scalar(&c.name)
                );
            }
        }
    }
    if let Some(desc) = &d.description {
        let _ = writeln!(out, "    description: {}", flow_scalar(desc));
    }
}

fn write_sequence(out: &mut String, q: &crate::model::Sequence, grants: Option<String>) {
    use crate::model::BaseType;
    let mut parts: Vec<String> = Vec::new();
    match q.ty {
        BaseType::BigInt => {}
        BaseType::SmallInt => parts.push("type: smallint".into()),
        _ => parts.push("type: integer".into()),
    }
    for (k, v) in [
        ("start", q.start),
        ("increment", q.increment),
        ("min", q.min),
        ("max", q.max),
        ("cache", q.cache),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}: {v}"));
        }
    }
    if q.cycle {
        parts.push("cycle: true".into());
    }
    if let Some((t, c)) = &q.owned_by {
        parts.push(format!("owned_by: {}", flow_scalar(&format!("{t}.{c}"))));
    }
    if let Some(d) = &q.description {
        parts.push(format!("description: {}", flow_scalar(d)));
    }
    parts.extend(grants);
    if parts.is_empty() {
        let _ = writeln!(out, "  {}: {{}}", key(&q.name));
    } else {
        let _ = writeln!(out, "  {}: {{ {} }}", key(&q.name), parts.join(", "));
    }
}

fn write_enum(out: &mut String, e: &Enum) {
    let _ = writeln!(out, "  {}:", key(&e.name));
    if let Some(d) = &e.description {
        let _ = writeln!(out, "    description: {}", block_scalar(d));
    }
    if e.values.iter().all(|v| v.description.is_none()) {
        let values: Vec<String> = e.values.iter().map(|v| flow_scalar(&v.name)).collect();
        let line = format!("    values: [{}]", values.join(", "));
        if line.len() <= MAX_LINE {
            let _ = writeln!(out, "{line}");
            return;
        }
    }
    out.push_str("    values:\n");
    for v in &e.values {
        match &v.description {
            None => {
                let _ = writeln!(out, "      - {}", block_scalar(&v.name));
            }
            Some(d) => {
                let line = format!(
                    "      - {{ name: {}, description: {} }}",
                    flow_scalar(&v.name),
                    flow_scalar(d)
                );
                if line.len() <= MAX_LINE {
                    let _ = writeln!(out, "{line}");
                } else {
                    let _ = writeln!(
                        out,
                        "      - name: {}\n        description: {}",
                        block_scalar(&v.name),
                        block_scalar(d)
                    );
                }
            }
        }
    }
}

/// How a table `from` names the object `target` (both model names): as it is, or, for an
/// object of `public` that the unqualified name would not reach from `from`'s schema (an object
/// of that name is there too), as `public.name`.
fn written_reference(from: &str, target: &str, exists: impl Fn(&str) -> bool) -> String {
    match (
        crate::model::split_qualified(from).0,
        crate::model::split_qualified(target).0,
    ) {
        (Some(schema), None) if exists(&crate::model::qualify(Some(schema), target)) => {
            format!("public.{target}")
        }
        _ => target.to_string(),
    }
}

/// A list item of a table section: one flow map when short, else a block map.
fn write_list_item(out: &mut String, fields: &[(&str, String)]) {
    let flow: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let line = format!("      - {{ {} }}", flow.join(", "));
    if line.len() <= MAX_LINE {
        let _ = writeln!(out, "{line}");
        return;
    }
    for (n, (k, v)) in fields.iter().enumerate() {
        let lead = if n == 0 { "      - " } else { "        " };
        let _ = writeln!(out, "{lead}{k}: {}", block_value(v));
    }
}

fn deferrable(d: Deferrable) -> Option<&'static str> {
    match d {
        Deferrable::No => None,
        Deferrable::Immediate => Some("immediate"),
        Deferrable::Deferred => Some("deferred"),
    }
}

fn action(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "no_action",
        FkAction::Restrict => "restrict",
        FkAction::Cascade => "cascade",
        FkAction::SetNull => "set_null",
        FkAction::SetDefault => "set_default",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Literal;

    #[test]
    fn scalars_are_plain_only_when_safe() {
        assert_eq!(flow_scalar("Primary key"), "Primary key");
        assert_eq!(flow_scalar("text[]"), "\"text[]\"");
        assert_eq!(block_scalar("text[]"), "text[]");
        assert_eq!(flow_scalar("true"), "\"true\"");
        assert_eq!(flow_scalar("123"), "\"123\"");
        assert_eq!(flow_scalar("null"), "\"null\"");
        assert_eq!(flow_scalar("a, b"), "\"a, b\"");
        assert_eq!(flow_scalar("a: b"), "\"a: b\"");
        assert_eq!(flow_scalar("'x' || y"), "\"'x' || y\"");
        assert_eq!(flow_scalar("now()"), "now()");
        assert_eq!(flow_scalar("User's input"), "User's input");
        assert_eq!(flow_scalar("line\nbreak"), "\"line\\nbreak\"");
        assert_eq!(flow_scalar(""), "\"\"");
        assert_eq!(flow_scalar(" x"), "\" x\"");
        assert_eq!(flow_scalar("07:30:00"), "\"07:30:00\"");
        assert_eq!(flow_scalar("2000-01-01"), "\"2000-01-01\"");
    }

    #[test]
    fn numbers_stay_numbers() {
        assert_eq!(literal_yaml(&Literal::Number("0.7".into())), "0.7");
        assert_eq!(literal_yaml(&Literal::Number("NaN".into())), "\"NaN\"");
        assert_eq!(literal_yaml(&Literal::String("USD".into())), "USD");
        assert_eq!(literal_yaml(&Literal::String("42".into())), "\"42\"");
        assert_eq!(
            literal_yaml(&Literal::Json(serde_json::json!(["links", "faq"]))),
            "[links, faq]"
        );
        assert_eq!(
            literal_yaml(&Literal::Json(
                serde_json::json!({"a": 1, "b": ["2", true]})
            )),
            "{ a: 1, b: [\"2\", true] }"
        );
    }

    fn reload(schema: &Schema) -> Schema {
        let yaml = schema_yaml(schema);
        crate::load::load_sources(
            &schema.name,
            false,
            vec![crate::load::SourceText {
                path: format!("schemas/{}.yaml", schema.name),
                text: yaml.clone(),
            }],
        )
        .unwrap_or_else(|d| {
            panic!(
                "{} does not load back:\n{}\n{yaml}",
                schema.name,
                d.render(false)
            )
        })
    }

    /// Without a database: every seed written as YAML loads back into the same schema (in the
    /// terms of `compare`, which ignores what only a schema file can say).
    #[test]
    fn seeds_load_back_unchanged() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for location in crate::load::discover(&root.join("schemas")).expect("schemas/") {
            let seed = crate::load::load_location(&location, &root).expect("seed loads");
            let back = reload(&seed);
            let diffs: Vec<String> = crate::compare::compare(&seed, &back)
                .iter()
                .map(ToString::to_string)
                .collect();
            assert!(diffs.is_empty(), "{}: {diffs:#?}", seed.name);
            let fk = |s: &Schema| -> Vec<String> {
                s.tables
                    .iter()
                    .flat_map(|t| {
                        t.indexes
                            .iter()
                            .filter(|i| i.for_foreign_key)
                            .map(|i| i.name.clone())
                    })
                    .collect()
            };
            assert_eq!(
                fk(&seed),
                fk(&back),
                "{}: the loader recreates the same foreign-key indexes",
                seed.name
            );
        }
    }

    #[test]
    fn a_large_synthetic_schema_loads_back_unchanged() {
        let schema = crate::synthetic::schema(60, 0);
        let diffs = crate::compare::compare(&schema, &reload(&schema));
        assert!(diffs.is_empty(), "{diffs:#?}");
    }
}
