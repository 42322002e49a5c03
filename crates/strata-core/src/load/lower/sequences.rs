//! `sequences:`: standalone sequences and their options.

use super::{Decl, Lowerer, key, with};
use crate::diag::{Code, Diagnostic};
use crate::load::raw::RawSequence;
use crate::model::{BaseType, Sequence};
use serde_yaml::Value;

impl Lowerer<'_> {
    pub(super) fn sequences(&mut self, decls: Vec<Decl<Value>>) -> Vec<Sequence> {
        let mut out = Vec::new();
        for d in decls {
            let loc = self.name_loc(&d);
            let ctx = &self.ctxs[d.ctx];
            let raw = match &d.raw {
                Value::Null => RawSequence {
                    ty: None,
                    start: None,
                    increment: None,
                    min: None,
                    max: None,
                    cache: None,
                    cycle: false,
                    owned_by: None,
                    description: None,
                    grants: serde_yaml::Mapping::new(),
                },
                v => match ctx.decode::<RawSequence>(v, &d.path, self.diags) {
                    Some(r) => r,
                    None => continue,
                },
            };
            let ctx = &self.ctxs[d.ctx];
            let ty = match raw
                .ty
                .as_deref()
                .map(|t| t.trim().to_ascii_lowercase())
                .as_deref()
            {
                None | Some("bigint") | Some("int8") => BaseType::BigInt,
                Some("integer") | Some("int") | Some("int4") => BaseType::Integer,
                Some("smallint") | Some("int2") => BaseType::SmallInt,
                Some(other) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::BadType,
                            ctx.loc(&with(&d.path, key("type"))),
                            format!(
                                "a sequence is `smallint`, `integer` or `bigint`, not `{other}`"
                            ),
                        )
                        .help("remove `type:` for bigint"),
                    );
                    BaseType::BigInt
                }
            };
            let ctx = &self.ctxs[d.ctx];
            // The owning table is in the sequence's schema (PostgreSQL requires it), so
            // `owned_by` names it by its name there; a `schema.` prefix is allowed.
            let seq_schema = crate::model::split_qualified(&d.name).0;
            let owner = |o: &str| {
                let rest = seq_schema
                    .and_then(|s| o.strip_prefix(&format!("{s}.")))
                    .unwrap_or(o);
                rest.split_once('.')
                    .map(|(t, c)| (crate::model::qualify(seq_schema, t), c.to_string()))
            };
            let owned_by = match raw.owned_by {
                None => None,
                Some(o) => match owner(&o) {
                    Some(found) => Some(found),
                    None => {
                        self.diags.push(
                            Diagnostic::new(
                                Code::Shape,
                                ctx.loc(&with(&d.path, key("owned_by"))),
                                format!("`owned_by: {o}` names no column"),
                            )
                            .help("write `owned_by: table.column`"),
                        );
                        None
                    }
                },
            };
            let mut found = Vec::new();
            self.grants_map(
                d.ctx,
                &with(&d.path, key("grants")),
                &raw.grants,
                &crate::model::GrantObject::Sequence {
                    schema: None,
                    name: d.name.clone(),
                },
                None,
                &mut found,
            );
            self.grants.append(&mut found);
            out.push(Sequence {
                name: d.name.clone(),
                ty,
                start: raw.start,
                increment: raw.increment,
                min: raw.min,
                max: raw.max,
                cache: raw.cache,
                cycle: raw.cycle,
                owned_by,
                description: raw.description,
                loc,
            });
        }
        out
    }
}
