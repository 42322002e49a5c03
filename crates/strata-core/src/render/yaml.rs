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

use crate::compare::{automatic_fk_indexes, expr};
use crate::model::{
    Column, Default, Deferrable, Enum, FkAction, ForeignKey, Identity, Index, IndexKey,
    IndexMethod, IndexTarget, Literal, Schema, Table, shorten_ident,
};
use std::fmt::Write as _;

mod exclusions;
mod partitions;
mod routines;
mod security;

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

/// What of a table's keys goes onto its columns.
#[derive(Default)]
struct Lifted {
    primary_key: Option<String>,
    unique: Vec<String>,
    checks: Vec<(String, String)>,
    references: Vec<(String, usize)>,
}

fn write_table(out: &mut String, schema: &Schema, t: &Table) {
    // Generated names derive from the name in the table's schema (`invoices_pkey`).
    let tn = crate::model::local_name(&t.name);
    let _ = writeln!(out, "  {}:", key(&t.name));
    if let Some(d) = &t.description {
        let _ = writeln!(out, "    description: {}", block_scalar(d));
    }
    if t.rust_name
        != crate::load::type_ident(&crate::model::singular(&t.name.replace('.', "_")), "T")
    {
        let _ = writeln!(out, "    rust_name: {}", flow_scalar(&t.rust_name));
    }

    let mut lifted = Lifted::default();
    // A primary key with its default name and no comment is written on its column (one
    // column) or as a list; otherwise in its long form.
    let pk_long = t.primary_key.as_ref().is_some_and(|pk| {
        pk.name != shorten_ident(&format!("{tn}_pkey")) || pk.description.is_some()
    });
    if let Some(pk) = &t.primary_key
        && !pk_long
        && let [only] = pk.columns.as_slice()
    {
        lifted.primary_key = Some(only.clone());
    }
    let uniques: Vec<_> = t
        .uniques
        .iter()
        .filter(|u| {
            let lift = matches!(u.columns.as_slice(), [c] if !u.nulls_not_distinct
                && u.include.is_empty()
                && u.deferrable == Deferrable::No
                && u.description.is_none()
                && u.name == shorten_ident(&format!("{tn}_{c}_key"))
                && !lifted.unique.contains(c));
            if lift {
                lifted.unique.push(u.columns[0].clone());
            }
            !lift
        })
        .collect();
    let checks: Vec<_> = t
        .checks
        .iter()
        .filter(|c| {
            let plain = !c.not_valid && !c.no_inherit && c.description.is_none();
            let owner = t.columns.iter().find(|col| {
                plain
                    && c.name == shorten_ident(&format!("{tn}_{}_check", col.name))
                    && !lifted.checks.iter().any(|(n, _)| n == &col.name)
            });
            if let Some(col) = owner {
                lifted.checks.push((col.name.clone(), c.expr.clone()));
            }
            owner.is_none()
        })
        .collect();
    let fks: Vec<(usize, &ForeignKey)> = t
        .foreign_keys
        .iter()
        .enumerate()
        .filter(|(i, fk)| {
            let lift = matches!(fk.columns.as_slice(), [c] if fk.ref_columns.len() == 1
                && !fk.match_full
                && fk.on_delete_columns.is_empty()
                && fk.deferrable == Deferrable::No
                && !fk.not_valid
                && fk.description.is_none()
                && fk.name == shorten_ident(&format!("{tn}_{c}_fkey"))
                && !lifted.references.iter().any(|(n, _)| n == c));
            if lift {
                lifted.references.push((fk.columns[0].clone(), *i));
            }
            !lift
        })
        .collect();

    out.push_str("    columns:\n");
    for c in &t.columns {
        write_column(out, schema, t, c, &lifted);
    }

    if let Some(pk) = &t.primary_key {
        if pk_long {
            let mut fields = vec![format!("columns: {}", flow_list(&pk.columns))];
            if pk.name != shorten_ident(&format!("{tn}_pkey")) {
                fields.push(format!("name: {}", flow_scalar(&pk.name)));
            }
            if let Some(d) = &pk.description {
                fields.push(format!("description: {}", flow_scalar(d)));
            }
            let _ = writeln!(out, "    primary_key: {{ {} }}", fields.join(", "));
        } else if pk.columns.len() > 1 {
            let _ = writeln!(out, "    primary_key: {}", flow_list(&pk.columns));
        }
    }
    if !uniques.is_empty() {
        out.push_str("    unique:\n");
        for u in uniques {
            let generated = shorten_ident(&format!("{tn}_{}_key", u.columns.join("_")));
            if u.name == generated
                && !u.nulls_not_distinct
                && u.include.is_empty()
                && u.deferrable == Deferrable::No
                && u.description.is_none()
            {
                let _ = writeln!(out, "      - {}", flow_list(&u.columns));
            } else {
                let mut fields = vec![("columns", flow_list(&u.columns))];
                if u.name != generated {
                    fields.push(("name", flow_scalar(&u.name)));
                }
                if u.nulls_not_distinct {
                    fields.push(("nulls_not_distinct", "true".into()));
                }
                if !u.include.is_empty() {
                    fields.push(("include", flow_list(&u.include)));
                }
                if let Some(d) = deferrable(u.deferrable) {
                    fields.push(("deferrable", d.into()));
                }
                if let Some(d) = &u.description {
                    fields.push(("description", flow_scalar(d)));
                }
                write_list_item(out, &fields);
            }
        }
    }
    if !checks.is_empty() {
        out.push_str("    checks:\n");
        let is_column = |w: &str| t.column(w).is_some();
        for c in checks {
            let words = expr::words(&c.expr, is_column);
            let generated = if words.is_empty() {
                shorten_ident(&format!("{tn}_check"))
            } else {
                shorten_ident(&format!("{tn}_{}_check", words.join("_")))
            };
            if c.name == generated && !c.not_valid && !c.no_inherit && c.description.is_none() {
                let _ = writeln!(out, "      - {}", block_scalar(c.expr.trim()));
            } else {
                let mut fields = vec![("expr", flow_scalar(c.expr.trim()))];
                if c.name != generated {
                    fields.push(("name", flow_scalar(&c.name)));
                }
                if c.not_valid {
                    fields.push(("not_valid", "true".into()));
                }
                if c.no_inherit {
                    fields.push(("no_inherit", "true".into()));
                }
                if let Some(d) = &c.description {
                    fields.push(("description", flow_scalar(d)));
                }
                write_list_item(out, &fields);
            }
        }
    }
    if !fks.is_empty() {
        out.push_str("    foreign_keys:\n");
        for (_, fk) in fks {
            let target_pk = schema
                .table(&fk.ref_table)
                .and_then(|x| x.primary_key.as_ref())
                .map(|p| &p.columns);
            let ref_table =
                written_reference(&t.name, &fk.ref_table, |n| schema.table(n).is_some());
            let reference = if target_pk == Some(&fk.ref_columns) {
                format!("{{ table: {} }}", flow_scalar(&ref_table))
            } else {
                format!(
                    "{{ table: {}, columns: {} }}",
                    flow_scalar(&ref_table),
                    flow_list(&fk.ref_columns)
                )
            };
            let mut fields = vec![
                ("columns", flow_list(&fk.columns)),
                ("references", reference),
            ];
            if fk.on_delete != FkAction::NoAction {
                fields.push(("on_delete", action(fk.on_delete).into()));
            }
            if !fk.on_delete_columns.is_empty() {
                fields.push(("on_delete_columns", flow_list(&fk.on_delete_columns)));
            }
            if fk.on_update != FkAction::NoAction {
                fields.push(("on_update", action(fk.on_update).into()));
            }
            if fk.name != shorten_ident(&format!("{tn}_{}_fkey", fk.columns.join("_"))) {
                fields.push(("name", flow_scalar(&fk.name)));
            }
            if fk.match_full {
                fields.push(("match_full", "true".into()));
            }
            if let Some(d) = deferrable(fk.deferrable) {
                fields.push(("deferrable", d.into()));
            }
            if fk.not_valid {
                fields.push(("not_valid", "true".into()));
            }
            if let Some(d) = &fk.description {
                fields.push(("description", flow_scalar(d)));
            }
            write_list_item(out, &fields);
        }
    }

    exclusions::write_exclusions(out, t);

    // The loader recreates the foreign-key indexes it would make; if the database lacks one of
    // them, opt out and list every index instead.
    let automatic = automatic_fk_indexes(t);
    let marked: Vec<&Index> = t.indexes.iter().filter(|i| i.for_foreign_key).collect();
    let all_automatic = automatic.len() == marked.len()
        && automatic
            .iter()
            .all(|a| marked.iter().any(|m| m.name == a.name && m.keys == a.keys));
    let written: Vec<&Index> = t
        .indexes
        .iter()
        .filter(|i| !(all_automatic && i.for_foreign_key))
        .collect();
    if !written.is_empty() {
        out.push_str("    indexes:\n");
        for i in written {
            write_index(out, t, i);
        }
    }
    if !all_automatic {
        out.push_str("    index_foreign_keys: false\n");
    }
    if t.unlogged {
        out.push_str("    unlogged: true\n");
    }
    if !t.with.is_empty() {
        let _ = writeln!(out, "    with: {}", storage_parameters(&t.with));
    }
    if let Some(sr) = &t.single_row {
        out.push_str("    single_row: true\n");
        let generated = shorten_ident(&format!("{tn}_single_row"));
        if *sr != generated {
            let _ = writeln!(
                out,
                "    # The single-row constraint is named {sr} in the database; the schema language always names it {generated}."
            );
        }
    }
    partitions::write_partitioning(out, t);
    routines::write_triggers(out, schema, t);
    security::write_table_security(out, schema, t);
}

fn write_column(out: &mut String, schema: &Schema, t: &Table, c: &Column, lifted: &Lifted) {
    let ty = match &c.ty.base {
        crate::model::BaseType::Enum(e) => {
            let name = written_reference(&t.name, e, |n| schema.enum_(n).is_some());
            if c.ty.array {
                format!("{name}[]")
            } else {
                name
            }
        }
        _ => c.ty.to_string(),
    };
    let mut fields: Vec<(&str, String)> = Vec::new();
    if lifted.primary_key.as_deref() == Some(c.name.as_str()) {
        fields.push(("primary_key", "true".into()));
    }
    if let Some(i) = c.identity {
        fields.push((
            "identity",
            if i == Identity::Always {
                "always"
            } else {
                "by_default"
            }
            .into(),
        ));
    }
    if let Some(o) = &c.identity_options {
        let mut parts: Vec<String> = [
            ("start", o.start),
            ("increment", o.increment),
            ("min", o.min),
            ("max", o.max),
            ("cache", o.cache),
        ]
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}: {v}")))
        .collect();
        if o.cycle {
            parts.push("cycle: true".into());
        }
        fields.push(("identity_options", format!("{{ {} }}", parts.join(", "))));
    }
    if lifted.unique.contains(&c.name) {
        fields.push(("unique", "true".into()));
    }
    if let Some(g) = &c.generated {
        fields.push(("generated", flow_scalar(g.trim())));
    }
    if let Some(coll) = &c.collation {
        fields.push(("collation", flow_scalar(coll)));
    }
    match &c.default {
        Some(Default::Literal(l)) => fields.push(("default", literal_yaml(l))),
        Some(Default::Sql(s)) => fields.push(("default_sql", flow_scalar(s.trim()))),
        None => {}
    }
    if let Some((_, i)) = lifted.references.iter().find(|(n, _)| n == &c.name) {
        let fk = &t.foreign_keys[*i];
        let target_pk = schema
            .table(&fk.ref_table)
            .and_then(|x| x.primary_key.as_ref())
            .map(|p| &p.columns);
        let to_pk = target_pk == Some(&fk.ref_columns);
        let ref_table = written_reference(&t.name, &fk.ref_table, |n| schema.table(n).is_some());
        // `references: a.b` splits at the first dot, so a table name with one needs the map.
        let reference = match (ref_table.contains('.'), to_pk) {
            (false, true) => flow_scalar(&ref_table),
            (false, false) => flow_scalar(&format!("{}.{}", ref_table, fk.ref_columns[0])),
            (true, true) => format!("{{ table: {} }}", flow_scalar(&ref_table)),
            (true, false) => {
                format!(
                    "{{ table: {}, column: {} }}",
                    flow_scalar(&ref_table),
                    flow_scalar(&fk.ref_columns[0])
                )
            }
        };
        fields.push(("references", reference));
        if fk.on_delete != FkAction::NoAction {
            fields.push(("on_delete", action(fk.on_delete).into()));
        }
        if fk.on_update != FkAction::NoAction {
            fields.push(("on_update", action(fk.on_update).into()));
        }
    }
    if let Some((_, e)) = lifted.checks.iter().find(|(n, _)| n == &c.name) {
        fields.push(("check", flow_scalar(e.trim())));
    }
    if c.auto_update {
        fields.push(("auto_update", "true".into()));
    }
    if c.rust_name != crate::model::rust_field_ident(&c.name) {
        fields.push(("rust_name", flow_scalar(&c.rust_name)));
    }
    if let Some(d) = &c.description {
        fields.push(("description", flow_scalar(d)));
    }
    let name = key(&c.name);
    if fields.is_empty() {
        let short = if c.nullable { format!("{ty}?") } else { ty };
        let _ = writeln!(out, "      {name}: {}", block_scalar(&short));
        return;
    }
    let mut all = vec![("type", flow_scalar(&ty))];
    if c.nullable {
        all.push(("nullable", "true".into()));
    }
    // `type` and `nullable` first, then the rest in the order above.
    all.extend(fields);
    let flow: Vec<String> = all.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    let line = format!("      {name}: {{ {} }}", flow.join(", "));
    if line.len() <= MAX_LINE {
        let _ = writeln!(out, "{line}");
    } else {
        let _ = writeln!(out, "      {name}:");
        for (k, v) in &all {
            let _ = writeln!(out, "        {k}: {}", block_value(v));
        }
    }
}

fn write_index(out: &mut String, t: &Table, i: &Index) {
    write_index_of(out, crate::model::local_name(&t.name), i);
}

/// An index of the table or materialized view `owner`.
fn write_index_of(out: &mut String, owner: &str, i: &Index) {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| {
            let plain = k.opclass.is_none() && k.collation.is_none();
            let order = match (k.desc, k.nulls_first) {
                (false, None) => String::new(),
                (true, None) => " desc".into(),
                (false, Some(true)) => " nulls first".into(),
                (true, Some(false)) => " desc nulls last".into(),
                (d, Some(_)) => if d { " desc" } else { "" }.into(),
            };
            match &k.target {
                IndexTarget::Column(c)
                    if plain && !c.contains(char::is_whitespace) && flow_scalar(c) == *c =>
                {
                    format!("{c}{order}")
                }
                _ => format!("{{ {} }}", index_key_parts(k, None).join(", ")),
            }
        })
        .collect();
    let mut fields = vec![("columns", format!("[{}]", keys.join(", ")))];
    if i.unique {
        fields.push(("unique", "true".into()));
    }
    if i.method != IndexMethod::Btree {
        fields.push(("using", i.method.sql().into()));
    }
    if let Some(p) = &i.predicate {
        fields.push(("where", flow_scalar(p.trim())));
    }
    if i.name != generated_index_name(owner, i) {
        fields.push(("name", flow_scalar(&i.name)));
    }
    if let Some(d) = &i.description {
        fields.push(("description", flow_scalar(d)));
    }
    if !i.include.is_empty() {
        fields.push(("include", flow_list(&i.include)));
    }
    if i.nulls_not_distinct {
        fields.push(("nulls_not_distinct", "true".into()));
    }
    if !i.with.is_empty() {
        fields.push(("with", storage_parameters(&i.with)));
    }
    write_list_item(out, &fields);
}

/// Storage parameters as a flow map: `{ fillfactor: 70 }`.
fn storage_parameters(params: &[(String, String)]) -> String {
    let params: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}: {}", flow_scalar(k), flow_scalar(v)))
        .collect();
    format!("{{ {} }}", params.join(", "))
}

/// The name the loader gives an index without `name` (see the loader's lowering).
fn generated_index_name(owner: &str, i: &Index) -> String {
    let words: Vec<String> = i
        .keys
        .iter()
        .flat_map(|k| match &k.target {
            IndexTarget::Column(c) => vec![c.clone()],
            IndexTarget::Expr(e) => expr::words(e, |_| true)
                .into_iter()
                .map(str::to_lowercase)
                .collect(),
        })
        .collect();
    shorten_ident(&format!(
        "{}_{}_{}",
        owner,
        words.join("_"),
        if i.unique { "key" } else { "idx" }
    ))
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

/// A literal default as a YAML value the loader turns back into the same literal.
fn literal_yaml(l: &Literal) -> String {
    match l {
        Literal::String(s) => flow_scalar(s),
        Literal::Integer(i) => i.to_string(),
        // Written bare only when YAML reads it back as the same number text.
        Literal::Number(n) => match serde_yaml::from_str::<serde_yaml::Value>(n) {
            Ok(serde_yaml::Value::Number(x)) if x.to_string() == *n => n.clone(),
            _ => quoted(n),
        },
        Literal::Bool(b) => b.to_string(),
        Literal::Json(v) => json_yaml(v),
    }
}

/// A JSON value in YAML's flow syntax (`{ a: 1, b: [x, "2"] }`), strings as [`flow_scalar`].
fn json_yaml(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => flow_scalar(s),
        serde_json::Value::Array(items) => format!(
            "[{}]",
            items.iter().map(json_yaml).collect::<Vec<_>>().join(", ")
        ),
        serde_json::Value::Object(m) if m.is_empty() => "{}".into(),
        serde_json::Value::Object(m) => {
            let fields: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", flow_scalar(k), json_yaml(v)))
                .collect();
            format!("{{ {} }}", fields.join(", "))
        }
    }
}

/// A flow-context value already rendered (a scalar, a flow list or map), re-checked for a
/// block context: flow collections are valid there too.
fn block_value(v: &str) -> String {
    v.to_string()
}

/// A mapping key (a table, column or enum name).
fn key(s: &str) -> String {
    flow_scalar(s)
}

/// A scalar inside a flow collection (`[…]`, `{…}`): plain when YAML reads it back as the same
/// string there, else double-quoted.
fn flow_scalar(s: &str) -> String {
    if plain_candidate(s)
        && !s.contains([',', '[', ']', '{', '}'])
        && reads_back(&format!("[{s}]"), s, true)
    {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A scalar as a block mapping's value or a list item.
fn block_scalar(s: &str) -> String {
    if plain_candidate(s) && reads_back(&format!("k: {s}"), s, false) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// Whether `s` may be written without quotes. Text starting with a digit is always quoted:
/// YAML 1.1 readers (many editors and tools) take `07:30:00` or `2000-01-01` for numbers and
/// dates even where this loader reads strings.
fn plain_candidate(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+')
        && s.trim() == s
        && !s.chars().any(char::is_control)
        && !s.starts_with([
            '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%',
            '@', '`',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
}

/// Whether the YAML `doc` (`[s]` or `k: s`) reads back as the string `s`.
fn reads_back(doc: &str, s: &str, in_list: bool) -> bool {
    let Ok(v) = serde_yaml::from_str::<serde_yaml::Value>(doc) else {
        return false;
    };
    let found = if in_list {
        match v {
            serde_yaml::Value::Sequence(items) if items.len() == 1 => items.into_iter().next(),
            _ => None,
        }
    } else {
        match v {
            serde_yaml::Value::Mapping(m) if m.len() == 1 => m.into_iter().next().map(|(_, v)| v),
            _ => None,
        }
    };
    matches!(found, Some(serde_yaml::Value::String(x)) if x == s)
}

/// A double-quoted YAML scalar.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || c == '\u{feff}'
                || c == '\u{2028}'
                || c == '\u{2029}'
                || c == '\u{85}' =>
            {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A flow list of names.
fn flow_list(items: &[String]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|i| flow_scalar(i))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The flow-map entries of one key of an index or an exclusion constraint: `column:` or
/// `expr:`, then the exclusion `operator:` when given, `order:`, `nulls:`, `opclass:` and
/// `collation:` as set.
fn index_key_parts(k: &IndexKey, operator: Option<&str>) -> Vec<String> {
    let mut parts = vec![match &k.target {
        IndexTarget::Column(c) => format!("column: {}", flow_scalar(c)),
        IndexTarget::Expr(e) => format!("expr: {}", flow_scalar(e.trim())),
    }];
    if let Some(op) = operator {
        parts.push(format!("operator: {}", flow_scalar(op)));
    }
    if k.desc {
        parts.push("order: desc".into());
    }
    match k.nulls_first {
        Some(true) => parts.push("nulls: first".into()),
        Some(false) => parts.push("nulls: last".into()),
        None => {}
    }
    if let Some(o) = &k.opclass {
        parts.push(format!("opclass: {}", flow_scalar(o)));
    }
    if let Some(c) = &k.collation {
        parts.push(format!("collation: {}", flow_scalar(c)));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

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
