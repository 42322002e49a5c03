//! A table's `exclude:` list: each constraint with its elements in flow form, the name only
//! when it is not the one the loader would give.

use super::{
    deferrable, flow_list, flow_scalar, index_key_parts, storage_parameters, write_list_item,
};
use crate::model::{Exclusion, IndexMethod, Table, exclusion_name, local_name};

pub(super) fn write_exclusions(out: &mut String, t: &Table) {
    if t.exclusions.is_empty() {
        return;
    }
    out.push_str("    exclude:\n");
    for x in &t.exclusions {
        write_list_item(out, &fields(local_name(&t.name), x));
    }
}

fn fields(table: &str, x: &Exclusion) -> Vec<(&'static str, String)> {
    let elements: Vec<String> = x
        .elements
        .iter()
        .map(|e| {
            format!(
                "{{ {} }}",
                index_key_parts(&e.key, Some(&e.operator)).join(", ")
            )
        })
        .collect();
    let mut fields = Vec::new();
    if x.method != IndexMethod::Btree {
        fields.push(("using", x.method.sql().to_string()));
    }
    fields.push(("elements", format!("[{}]", elements.join(", "))));
    if x.name != exclusion_name(table, &x.elements, &x.include) {
        fields.push(("name", flow_scalar(&x.name)));
    }
    if !x.include.is_empty() {
        fields.push(("include", flow_list(&x.include)));
    }
    if !x.with.is_empty() {
        fields.push(("with", storage_parameters(&x.with)));
    }
    if let Some(p) = &x.predicate {
        fields.push(("where", flow_scalar(p.trim())));
    }
    if let Some(d) = deferrable(x.deferrable) {
        fields.push(("deferrable", d.into()));
    }
    if let Some(d) = &x.description {
        fields.push(("description", flow_scalar(d)));
    }
    fields
}
