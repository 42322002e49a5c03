//! `views:`: views and materialized views, their options, column comments, key and indexes.

use super::{Decl, Lowerer, entries, key, with};
use crate::diag::{Code, Diagnostic};
use crate::load::raw::{RawCheckOption, RawView, RawViewColumn};
use crate::load::tree::Seg;
use crate::model::{CheckOption, ColumnType, View, ViewColumn};
use serde_yaml::Value;

impl Lowerer<'_> {
    pub(super) fn views(&mut self, decls: Vec<Decl<Value>>, enum_names: &[String]) -> Vec<View> {
        let mut out = Vec::new();
        for d in decls {
            let loc = self.name_loc(&d);
            let ctx = &self.ctxs[d.ctx];
            let Some(raw) = ctx.decode::<RawView>(&d.raw, &d.path, self.diags) else {
                continue;
            };
            let mut columns = Vec::new();
            let cpath = with(&d.path, key("columns"));
            for (name, v) in entries(&self.ctxs[d.ctx], &raw.columns, &cpath, self.diags) {
                let p = with(&cpath, key(&name));
                let cloc = self.ctxs[d.ctx].key_loc(&p);
                let raw = match v {
                    Value::Null => RawViewColumn {
                        description: None,
                        ty: None,
                    },
                    v => match self.ctxs[d.ctx].decode::<RawViewColumn>(v, &p, self.diags) {
                        Some(c) => c,
                        None => continue,
                    },
                };
                let ty = match raw.ty.as_deref().map(|t| {
                    ColumnType::parse_with(
                        t,
                        |n| enum_names.iter().any(|e| e == n),
                        |n| self.domains.iter().any(|x| x.name == n),
                    )
                }) {
                    None => None,
                    Some(Ok(t)) => Some(t),
                    Some(Err(e)) => {
                        let e = match e {
                            crate::model::TypeError::Unknown(w) => format!("`{w}` is not a type"),
                            crate::model::TypeError::Bad(m) => m,
                        };
                        self.diags.push(
                            Diagnostic::new(
                                Code::UnknownType,
                                self.ctxs[d.ctx].loc(&with(&p, key("type"))),
                                format!("the type of view column `{}.{name}`: {e}", d.name),
                            )
                            .help("write a built-in type (`numeric`, `text[]`), an enum or a domain of the schema"),
                        );
                        None
                    }
                };
                columns.push(ViewColumn {
                    name,
                    description: raw.description,
                    ty,
                    loc: cloc,
                });
            }
            if raw.materialized {
                let what = [
                    (raw.with_check_option.is_some(), "with_check_option"),
                    (raw.security_barrier, "security_barrier"),
                    (raw.security_invoker, "security_invoker"),
                ];
                for (_, k) in what.iter().filter(|(set, _)| *set) {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Shape,
                            self.ctxs[d.ctx].key_loc(&with(&d.path, key(k))),
                            format!(
                                "`{k}` is an option of a plain view; `{}` is materialized",
                                d.name
                            ),
                        )
                        .help(format!("remove `{k}`, or `materialized: true`")),
                    );
                }
            } else if !raw.indexes.is_empty() {
                self.diags.push(
                    Diagnostic::new(
                        Code::Index,
                        self.ctxs[d.ctx].key_loc(&with(&d.path, key("indexes"))),
                        format!(
                            "view `{}` is not materialized; PostgreSQL indexes only the rows a materialized view stores",
                            d.name
                        ),
                    )
                    .help("add `materialized: true`, or index the tables the view reads"),
                );
            }
            let mut indexes = Vec::new();
            for (i, ix) in raw.indexes.into_iter().enumerate() {
                let p: Vec<Seg> = [d.path.clone(), vec![key("indexes"), Seg::Index(i)]].concat();
                indexes.push(self.index(d.ctx, p, &d.name, ix));
            }
            out.push(View {
                name: d.name.clone(),
                schema: raw
                    .schema
                    .or_else(|| self.file_schema(d.ctx).map(str::to_string)),
                query: raw.query,
                materialized: raw.materialized,
                check_option: raw.with_check_option.map(|c| match c {
                    RawCheckOption::Local => CheckOption::Local,
                    RawCheckOption::Cascaded => CheckOption::Cascaded,
                }),
                security_barrier: raw.security_barrier,
                security_invoker: raw.security_invoker,
                description: raw.description,
                columns,
                key: raw.key,
                indexes,
                renamed_from: raw.renamed_from,
                loc,
            });
        }
        out
    }
}
