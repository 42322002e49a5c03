//! `domains:`: a type with its own default, NOT NULL and checks (`CREATE DOMAIN`).

use super::{Decl, Lowerer, key, literal_for, with};
use crate::diag::{Code, Diagnostic};
use crate::load::raw::{RawCheck, RawDomain};
use crate::load::tree::Seg;
use crate::model::{BaseType, Check, ColumnType, Default, Domain, TypeError};
use serde_yaml::Value;

impl Lowerer<'_> {
    pub(super) fn domains(
        &mut self,
        decls: Vec<Decl<Value>>,
        enums: &[crate::model::Enum],
    ) -> Vec<Domain> {
        let mut out = Vec::new();
        for d in decls {
            let loc = self.name_loc(&d);
            let ctx = &self.ctxs[d.ctx];
            let Some(raw) = ctx.decode::<RawDomain>(&d.raw, &d.path, self.diags) else {
                continue;
            };
            let type_loc = ctx.loc(&with(&d.path, key("type")));
            let ty = match ColumnType::parse(&raw.ty, |n| enums.iter().any(|e| e.name == n)) {
                Ok(t) => t,
                Err(TypeError::Unknown(word)) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::UnknownType,
                            type_loc,
                            format!("unknown type `{word}` for domain `{}`", d.name),
                        )
                        .help("a domain is over a built-in type or an enum (not another domain); see docs/schema-language.md"),
                    );
                    continue;
                }
                Err(TypeError::Bad(msg)) => {
                    self.diags.push(
                        Diagnostic::new(Code::BadType, type_loc, msg)
                            .help("fix the type's parameters"),
                    );
                    continue;
                }
            };
            let ctx = &self.ctxs[d.ctx];
            let default = match (&raw.default, &raw.default_sql) {
                (Some(_), Some(_)) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::BadDefault,
                            ctx.key_loc(&with(&d.path, key("default_sql"))),
                            format!("domain `{}` has both `default` and `default_sql`", d.name),
                        )
                        .help("keep one of them"),
                    );
                    None
                }
                (Some(Value::Null), None) | (None, None) => None,
                (Some(v), None) => match literal_for(v, &ty) {
                    Ok(l) => Some(Default::Literal(l)),
                    Err(msg) => {
                        self.diags.push(
                            Diagnostic::new(
                                Code::BadDefault,
                                ctx.loc(&with(&d.path, key("default"))),
                                format!("default of domain `{}`: {msg}", d.name),
                            )
                            .help("give a value of the domain's type, or use `default_sql:`"),
                        );
                        None
                    }
                },
                (None, Some(sql)) => Some(Default::Sql(sql.clone())),
            };
            let mut checks = Vec::new();
            for (i, c) in raw.checks.iter().enumerate() {
                let p = [d.path.clone(), vec![key("checks"), Seg::Index(i)]].concat();
                let ctx = &self.ctxs[d.ctx];
                let cloc = ctx.loc(&p);
                let parsed = match c {
                    Value::String(s) => Some(RawCheck {
                        expr: s.clone(),
                        name: None,
                        not_valid: false,
                        no_inherit: false,
                        description: None,
                    }),
                    _ => ctx.decode::<RawCheck>(c, &p, self.diags),
                };
                let Some(rc) = parsed else { continue };
                let nloc = self.ctxs[d.ctx].loc(&with(&p, key("name")));
                let n = checks.len();
                let name =
                    self.explicit_or(rc.name, nloc, || Domain::default_check_name(&d.name, n));
                checks.push(Check {
                    name,
                    expr: rc.expr,
                    not_valid: rc.not_valid,
                    no_inherit: false,
                    description: rc.description,
                    loc: cloc,
                });
            }
            debug_assert!(!matches!(ty.base, BaseType::Domain(_)));
            out.push(Domain {
                name: d.name.clone(),
                ty,
                not_null: raw.not_null,
                default,
                checks,
                description: raw.description,
                loc,
            });
        }
        out
    }
}
