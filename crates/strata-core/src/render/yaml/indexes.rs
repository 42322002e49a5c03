//! Indexes (of tables and materialized views): each a list item with its keys, method,
//! options and predicate, the name written only where it is not the loader's default.

use super::{flow_list, flow_scalar, write_list_item};
use crate::compare::expr;
use crate::model::{Index, IndexKey, IndexMethod, IndexTarget, Table, shorten_ident};

pub(super) fn write_index(out: &mut String, t: &Table, i: &Index) {
    write_index_of(out, crate::model::local_name(&t.name), i);
}

/// An index of the table or materialized view `owner`.
pub(super) fn write_index_of(out: &mut String, owner: &str, i: &Index) {
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
pub(super) fn storage_parameters(params: &[(String, String)]) -> String {
    let params: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}: {}", flow_scalar(k), flow_scalar(v)))
        .collect();
    format!("{{ {} }}", params.join(", "))
}

/// The name the loader gives an index without `name` (see the loader's lowering).
pub(super) fn generated_index_name(owner: &str, i: &Index) -> String {
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

/// The flow-map entries of one key of an index or an exclusion constraint: `column:` or
/// `expr:`, then the exclusion `operator:` when given, `order:`, `nulls:`, `opclass:` and
/// `collation:` as set.
pub(super) fn index_key_parts(k: &IndexKey, operator: Option<&str>) -> Vec<String> {
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
