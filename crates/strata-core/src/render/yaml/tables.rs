//! A table's section: its options, comment and columns, with the keys, uniques, checks and
//! foreign keys that fit on one column written on it ([`Lifted`]), the rest as table lists.

use super::{
    MAX_LINE, action, block_scalar, block_value, deferrable, exclusions, flow_list, flow_scalar,
    key, literal_yaml, partitions, routines, security, storage_parameters, write_index,
    write_list_item, written_reference,
};
use crate::compare::expr;
use crate::model::{
    Column, Default, Deferrable, FkAction, ForeignKey, Identity, Index, Schema, Table,
    shorten_ident,
};
use std::fmt::Write as _;

/// What of a table's keys goes onto its columns.
#[derive(Default)]
pub(super) struct Lifted {
    primary_key: Option<String>,
    unique: Vec<String>,
    checks: Vec<(String, String)>,
    references: Vec<(String, usize)>,
}

pub(super) fn write_table(out: &mut String, schema: &Schema, t: &Table) {
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
    let automatic = t.automatic_fk_indexes();
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

pub(super) fn write_column(
    out: &mut String,
    schema: &Schema,
    t: &Table,
    c: &Column,
    lifted: &Lifted,
) {
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
