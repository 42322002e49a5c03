//! An index of a table or a materialized view (`indexes:`): its keys, name and options.

use super::{Lowerer, key, with};
use crate::diag::{Code, Diagnostic};
use crate::load::raw::{RawIndex, RawMethod};
use crate::load::tree::Seg;
use crate::model::{Index, IndexMethod, IndexTarget, expr_words};

impl Lowerer<'_> {
    /// The index `ix` of `tname`, declared at `p`.
    pub(super) fn index(&mut self, ci: usize, p: Vec<Seg>, tname: &str, ix: RawIndex) -> Index {
        let iloc = self.ctx(ci).loc(&p);
        let mut keys = Vec::new();
        for (k, kv) in ix.columns.iter().enumerate() {
            let kp = [p.clone(), vec![key("columns"), Seg::Index(k)]].concat();
            if let Some(key) = self.index_key(ci, &kp, kv) {
                keys.push(key);
            }
        }
        if ix.columns.is_empty() {
            self.diags.push(
                Diagnostic::new(
                    Code::Index,
                    iloc,
                    format!("an index of `{tname}` has no columns"),
                )
                .help("list its keys under `columns:`"),
            );
        }
        let params = self.storage_parameters(ci, &with(&p, key("with")), &ix.with, Code::Index);
        let nloc = self.ctxs[ci].loc(&with(&p, key("name")));
        let name = self.explicit_or(ix.name, nloc, || {
            let words: Vec<String> = keys
                .iter()
                .flat_map(|k| match &k.target {
                    IndexTarget::Column(c) => vec![c.clone()],
                    IndexTarget::Expr(e) => expr_words(e, |_| true)
                        .into_iter()
                        .map(str::to_lowercase)
                        .collect(),
                })
                .collect();
            format!(
                "{tname}_{}_{}",
                words.join("_"),
                if ix.unique { "key" } else { "idx" }
            )
        });
        Index {
            name,
            keys,
            unique: ix.unique,
            method: index_method(ix.using),
            predicate: ix.predicate,
            description: ix.description,
            for_foreign_key: false,
            include: ix.include,
            nulls_not_distinct: ix.nulls_not_distinct,
            with: params,
            loc: iloc,
        }
    }
}

/// The access method `using:` names; PostgreSQL's default, btree, when absent.
pub(super) fn index_method(using: Option<RawMethod>) -> IndexMethod {
    match using {
        None | Some(RawMethod::Btree) => IndexMethod::Btree,
        Some(RawMethod::Hash) => IndexMethod::Hash,
        Some(RawMethod::Gin) => IndexMethod::Gin,
        Some(RawMethod::Gist) => IndexMethod::Gist,
        Some(RawMethod::Brin) => IndexMethod::Brin,
        Some(RawMethod::Spgist) => IndexMethod::Spgist,
    }
}
