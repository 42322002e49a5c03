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
