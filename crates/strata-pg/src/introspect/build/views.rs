//! Views and materialized views (`pg_class.relkind` `v`, `m`) as the model's [`View`]s: the
//! definition as the server prints it, parsed and printed by [`strata::fragment::parse_query`].

use super::super::ObjectKind;
use super::super::catalog::{Catalog, IndexRow};
use super::Builder;
use std::collections::BTreeMap;
use strata::Loc;
use strata::model::{CheckOption, View, ViewColumn};

impl Builder {
    pub(super) fn views(&mut self, cat: &Catalog) -> Vec<View> {
        let mut indexes: BTreeMap<u32, Vec<&IndexRow>> = BTreeMap::new();
        for i in &cat.indexes {
            indexes.entry(i.table).or_default().push(i);
        }
        let mut keys: BTreeMap<u32, Vec<&super::super::catalog::IndexKeyRow>> = BTreeMap::new();
        for k in &cat.index_keys {
            keys.entry(k.index).or_default().push(k);
        }
        let mut out = Vec::new();
        for v in &cat.views {
            let kind = if v.materialized {
                ObjectKind::MaterializedView
            } else {
                ObjectKind::View
            };
            let query = match strata::fragment::parse_query(&v.definition) {
                Ok(q) => q,
                Err(e) => {
                    self.ignore(kind, &v.name, format!("its definition {e}"));
                    continue;
                }
            };
            let mut check_option = None;
            let (mut security_barrier, mut security_invoker) = (false, false);
            let mut unknown = Vec::new();
            for o in &v.options {
                match o.split_once('=').map(|(k, x)| (k, x.to_ascii_lowercase())) {
                    Some(("check_option", x)) if x == "local" => {
                        check_option = Some(CheckOption::Local)
                    }
                    Some(("check_option", x)) if x == "cascaded" => {
                        check_option = Some(CheckOption::Cascaded)
                    }
                    Some(("security_barrier", x)) => security_barrier = x == "true" || x == "on",
                    Some(("security_invoker", x)) => security_invoker = x == "true" || x == "on",
                    _ => unknown.push(o.clone()),
                }
            }
            if !unknown.is_empty() {
                self.ignore(
                    kind,
                    &v.name,
                    format!(
                        "the option(s) {} are not in the schema language",
                        unknown.join(", ")
                    ),
                );
                continue;
            }
            let names: Vec<&str> = v.columns.iter().map(|(n, _)| n.as_str()).collect();
            let has_column = |c: &str| names.contains(&c);
            let mut view_indexes = Vec::new();
            for i in indexes.get(&v.oid).map(Vec::as_slice).unwrap_or_default() {
                let k = keys.get(&i.oid).map(Vec::as_slice).unwrap_or_default();
                if let Some(ix) = self.index(&v.name, &has_column, i, k) {
                    view_indexes.push(ix);
                }
            }
            out.push(View {
                name: v.name.clone(),
                schema: None,
                query,
                materialized: v.materialized,
                check_option,
                security_barrier,
                security_invoker,
                description: v.comment.clone(),
                columns: v
                    .columns
                    .iter()
                    .filter(|(_, d)| d.is_some())
                    .map(|(n, d)| ViewColumn {
                        name: n.clone(),
                        description: d.clone(),
                        ty: None,
                        loc: Loc::default(),
                    })
                    .collect(),
                key: Vec::new(),
                indexes: view_indexes,
                renamed_from: None,
                loc: Loc::default(),
            });
        }
        out
    }
}

/// Gives each view column whose type the query does not tell the type the server reports
/// (`columns: { c: { type } }`), so the model knows every column's type.
pub(super) fn fill_view_types(schema: &mut strata::model::Schema, cat: &Catalog) {
    use strata::model::ColumnType;
    let mut fills: Vec<(usize, String, ColumnType)> = Vec::new();
    for (i, v) in schema.views.iter().enumerate() {
        let Some(row) = cat.views.iter().find(|r| r.name == v.name) else {
            continue;
        };
        let Some(fields) = v.fields(schema) else {
            continue;
        };
        for f in fields.iter().filter(|f| f.ty.is_none()) {
            let Some(pos) = row.columns.iter().position(|(n, _)| *n == f.name) else {
                continue;
            };
            let text = row.types.get(pos).map(String::as_str).unwrap_or_default();
            let elem = text.trim_end_matches("[]").trim_matches('"');
            let is_enum = |n: &str| schema.enums.iter().any(|e| e.name == n);
            let is_domain = |n: &str| schema.domains.iter().any(|d| d.name == n);
            let ty = ColumnType::parse_with(text, is_enum, is_domain).or_else(|_| {
                ColumnType::parse_with(
                    &format!("{elem}{}", if text.ends_with("[]") { "[]" } else { "" }),
                    is_enum,
                    is_domain,
                )
            });
            if let Ok(ty) = ty {
                fills.push((i, f.name.clone(), ty));
            }
        }
    }
    for (i, name, ty) in fills {
        let v = &mut schema.views[i];
        match v.columns.iter_mut().find(|c| c.name == name) {
            Some(c) => c.ty = Some(ty),
            None => v.columns.push(ViewColumn {
                name,
                description: None,
                ty: Some(ty),
                loc: Loc::default(),
            }),
        }
    }
}
