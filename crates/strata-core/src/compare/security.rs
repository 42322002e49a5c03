//! Access control: row-level security and policies per table, grants, and the roles the schema
//! expects (present in the cluster, with the declared attributes and memberships).
//!
//! Roles the database has but the schema does not declare are not reported (roles are shared
//! by every database of the cluster); a role the schema declares and the server lacks is.

use super::{Comparer, expr};
use crate::model::{Policy, RowLevelSecurity, Schema, Table};
use std::collections::BTreeSet;

fn rls_text(m: Option<RowLevelSecurity>) -> &'static str {
    match m {
        None => "row-level security off",
        Some(RowLevelSecurity::Enabled) => "row-level security enabled",
        Some(RowLevelSecurity::Forced) => "row-level security forced",
    }
}

fn expr_text(e: &Option<String>) -> String {
    e.as_deref()
        .map_or_else(|| "none".to_string(), str::to_string)
}

fn same_expr(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => expr::normalize(a) == expr::normalize(b),
        _ => false,
    }
}

impl Comparer {
    pub(super) fn roles(&mut self, declared: &Schema, live: &Schema) {
        for r in &declared.roles {
            let object = format!("role {}", r.name);
            let Some(l) = live.role(&r.name) else {
                self.missing(object);
                continue;
            };
            let flag =
                |on: bool, yes: &str, no: &str| if on { yes.to_string() } else { no.to_string() };
            if l.login != r.login {
                self.changed(
                    &object,
                    flag(l.login, "LOGIN", "NOLOGIN"),
                    flag(r.login, "LOGIN", "NOLOGIN"),
                );
            }
            if l.inherit != r.inherit {
                self.changed(
                    &object,
                    flag(l.inherit, "INHERIT", "NOINHERIT"),
                    flag(r.inherit, "INHERIT", "NOINHERIT"),
                );
            }
            if l.bypass_rls != r.bypass_rls {
                self.changed(
                    &object,
                    flag(l.bypass_rls, "BYPASSRLS", "NOBYPASSRLS"),
                    flag(r.bypass_rls, "BYPASSRLS", "NOBYPASSRLS"),
                );
            }
            if l.member_of != r.member_of {
                self.changed(
                    &object,
                    format!("membership in [{}]", l.member_of.join(", ")),
                    format!("[{}]", r.member_of.join(", ")),
                );
            }
        }
    }

    pub(super) fn table_security(&mut self, d: &Table, l: &Table) {
        if d.row_level_security != l.row_level_security {
            self.changed(
                &format!("table {}", d.name),
                rls_text(l.row_level_security),
                rls_text(d.row_level_security),
            );
        }
        for p in &d.policies {
            let object = format!("policy {} on {}", p.name, d.name);
            match l.policy(&p.name) {
                None => self.missing(object),
                Some(x) => self.policy(&object, p, x),
            }
        }
        for x in &l.policies {
            if d.policy(&x.name).is_none() {
                self.extra(format!("policy {} on {}", x.name, d.name));
            }
        }
    }

    fn policy(&mut self, object: &str, d: &Policy, l: &Policy) {
        if d.command != l.command {
            self.changed(
                object,
                format!("FOR {}", l.command.sql()),
                format!("FOR {}", d.command.sql()),
            );
        }
        if d.restrictive != l.restrictive {
            let kind = |r: bool| if r { "AS RESTRICTIVE" } else { "AS PERMISSIVE" };
            self.changed(object, kind(l.restrictive), kind(d.restrictive));
        }
        if d.roles != l.roles {
            self.changed(
                object,
                format!("TO {}", l.roles.join(", ")),
                format!("TO {}", d.roles.join(", ")),
            );
        }
        if !same_expr(&d.using, &l.using) {
            self.changed(
                object,
                format!("USING {}", expr_text(&l.using)),
                format!("USING {}", expr_text(&d.using)),
            );
        }
        if !same_expr(&d.with_check, &l.with_check) {
            self.changed(
                object,
                format!("WITH CHECK {}", expr_text(&l.with_check)),
                format!("WITH CHECK {}", expr_text(&d.with_check)),
            );
        }
        self.comment(object, d.description.as_ref(), l.description.as_ref());
    }

    /// Grants, one difference per object, role and privilege. Grants on objects only one side
    /// has are left to that object's own difference.
    pub(super) fn grants(&mut self, declared: &Schema, live: &Schema) {
        let facts = |s: &Schema| -> BTreeSet<(String, String, &'static str)> {
            s.grants
                .iter()
                .flat_map(|g| {
                    g.privileges
                        .iter()
                        .map(|p| (g.object.to_string(), g.role.clone(), p.as_str()))
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let exists = |s: &Schema, g: &crate::model::GrantObject| match g.table() {
            Some(t) => s.table(t).is_some(),
            None => true,
        };
        let d = facts(declared);
        let l = facts(live);
        for g in &declared.grants {
            if !exists(live, &g.object) {
                continue;
            }
            for p in &g.privileges {
                if !l.contains(&(g.object.to_string(), g.role.clone(), p.as_str())) {
                    self.missing(format!(
                        "grant of {} on {} to {}",
                        p.as_str(),
                        g.object,
                        g.role
                    ));
                }
            }
        }
        for g in &live.grants {
            if !exists(declared, &g.object) {
                continue;
            }
            for p in &g.privileges {
                if !d.contains(&(g.object.to_string(), g.role.clone(), p.as_str())) {
                    self.extra(format!(
                        "grant of {} on {} to {}",
                        p.as_str(),
                        g.object,
                        g.role
                    ));
                }
            }
        }
    }
}
