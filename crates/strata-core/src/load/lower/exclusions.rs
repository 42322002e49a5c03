//! An exclusion constraint of a table (`exclude:`): its elements, operators, name and options.

use super::{Lowerer, deferrable, is_sql_name, key, with};
use crate::diag::{Code, Diagnostic};
use crate::load::raw::{RawExclusion, RawNulls, RawOrder};
use crate::load::tree::Seg;
use crate::model::{Exclusion, ExclusionElement, IndexKey, IndexTarget, exclusion_name};

impl Lowerer<'_> {
    /// The exclusion constraint `x` of `tname` (its local name), declared at `p`.
    pub(super) fn exclusion(
        &mut self,
        ci: usize,
        p: Vec<Seg>,
        tname: &str,
        x: RawExclusion,
    ) -> Exclusion {
        let xloc = self.ctx(ci).loc(&p);
        if x.elements.is_empty() {
            self.diags.push(
                Diagnostic::new(
                    Code::Exclusion,
                    xloc,
                    format!("an exclusion constraint of `{tname}` has no elements"),
                )
                .help("list its elements under `elements:`, e.g. `- { column: during, operator: \"&&\" }`"),
            );
        }
        let mut elements = Vec::new();
        // The default name counts every element with a target, also one refused for its
        // operator, so that later messages name the constraint as the schema will.
        let mut named = Vec::new();
        for (i, e) in x.elements.into_iter().enumerate() {
            let ep = [p.clone(), vec![key("elements"), Seg::Index(i)]].concat();
            let eloc = self.ctx(ci).loc(&ep);
            let oloc = self.ctx(ci).loc(&with(&ep, key("operator")));
            let operator = match crate::fragment::operator_name(&e.operator) {
                Ok(op) => Some(op),
                Err(why) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Exclusion,
                            oloc,
                            format!("the operator `{}` {why}", e.operator.escape_debug()),
                        )
                        .help("write the operator alone, e.g. `=`, `&&` or `public.&&`; Strata reads it with PostgreSQL's grammar"),
                    );
                    None
                }
            };
            for (what, name) in [("opclass", &e.opclass), ("collation", &e.collation)] {
                if let Some(n) = name
                    && !is_sql_name(n)
                {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Exclusion,
                            self.ctx(ci).loc(&with(&ep, key(what))),
                            format!("`{n}` is not a {what} name"),
                        )
                        .help(format!("name the {what} as PostgreSQL does, e.g. `range_ops` or `C`, optionally schema-qualified")),
                    );
                }
            }
            let target = match (e.column, e.expr) {
                (Some(c), None) => Some(IndexTarget::Column(c)),
                (None, Some(x)) => Some(IndexTarget::Expr(x)),
                _ => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::Exclusion,
                            eloc,
                            "an exclusion element has exactly one of `column` and `expr`",
                        )
                        .help("write `{ column: during, operator: \"&&\" }` or `{ expr: \"tstzrange(starts_at, ends_at)\", operator: \"&&\" }`"),
                    );
                    None
                }
            };
            let Some(target) = target else { continue };
            let desc = e.order == Some(RawOrder::Desc);
            let element = ExclusionElement {
                key: IndexKey {
                    target,
                    desc,
                    nulls_first: e.nulls.map(|n| n == RawNulls::First).filter(|n| *n != desc),
                    opclass: e.opclass,
                    collation: e.collation,
                },
                operator: operator.clone().unwrap_or_default(),
            };
            named.push(element.clone());
            if operator.is_some() {
                elements.push(element);
            }
        }
        let params = self.storage_parameters(ci, &with(&p, key("with")), &x.with, Code::Exclusion);
        let nloc = self.ctxs[ci].loc(&with(&p, key("name")));
        let name = self.explicit_or(x.name, nloc, || exclusion_name(tname, &named, &x.include));
        Exclusion {
            name,
            method: super::indexes::index_method(x.using),
            elements,
            include: x.include,
            with: params,
            predicate: x.predicate,
            deferrable: deferrable(x.deferrable),
            description: x.description,
            loc: xloc,
        }
    }
}
