//! Domains (`pg_type.typtype = 'd'`) as the model's [`Domain`]s.

use super::super::ObjectKind;
use super::super::catalog::{Catalog, TypeRow};
use super::Builder;
use strata::Loc;
use strata::compare::expr;
use strata::model::{BaseType, Check, ColumnType, Default, Domain, Enum};

impl Builder {
    pub(super) fn domains(&mut self, cat: &Catalog, enums: &[Enum]) -> Vec<Domain> {
        cat.types
            .iter()
            .filter(|t| t.kind == "d")
            .filter_map(|t| self.domain(t, enums))
            .collect()
    }

    fn domain(&mut self, t: &TypeRow, enums: &[Enum]) -> Option<Domain> {
        let base = t.base_type.as_deref().unwrap_or_default();
        let array = base.ends_with("[]");
        let elem = base.trim_end_matches("[]").trim_matches('"');
        let ty = match enums.iter().find(|e| e.name == elem) {
            Some(e) => ColumnType {
                base: BaseType::Enum(e.name.clone()),
                array,
            },
            None => match ColumnType::parse(base, |_| false) {
                Ok(ty) => ty,
                Err(_) => {
                    self.ignore(
                        ObjectKind::Type,
                        &t.name,
                        format!(
                            "a domain over {base}, which is not a type the schema language has"
                        ),
                    );
                    return None;
                }
            },
        };
        let mut checks = Vec::new();
        for (name, def, valid) in &t.checks {
            let def = def.strip_suffix(" NOT VALID").unwrap_or(def);
            let inner = def
                .strip_prefix("CHECK (")
                .and_then(|d| d.strip_suffix(')'))
                .unwrap_or(def);
            checks.push(Check {
                name: name.clone(),
                expr: expr::tidy(inner),
                not_valid: !valid,
                no_inherit: false,
                description: None,
                loc: Loc::default(),
            });
        }
        let default = t
            .default
            .as_deref()
            .map(|d| match expr::literal_default(d, &ty) {
                Some(lit) => Default::Literal(lit),
                None => Default::Sql(expr::tidy(d)),
            });
        Some(Domain {
            name: t.name.clone(),
            ty,
            not_null: t.not_null,
            default,
            checks,
            description: t.comment.clone(),
            loc: Loc::default(),
        })
    }
}
