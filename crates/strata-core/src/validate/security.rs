//! Access control: policy expressions name the table's columns, every role a policy, a grant
//! or a membership names is declared under `roles:`, names are unique.

use super::Validator;
use crate::diag::{Code, Diagnostic, Loc, did_you_mean};
use crate::model::*;

/// Whether `role` needs no declaration: `public` (every role) and PostgreSQL's predefined
/// roles (`pg_read_all_data`, …).
fn builtin_role(role: &str) -> bool {
    role == "public" || role.starts_with("pg_")
}

impl Validator<'_> {
    pub(super) fn security(&mut self, s: &Schema) {
        self.unique_names(s.roles.iter().map(|r| (r.name.as_str(), r.loc, "role")), "");
        for r in &s.roles {
            self.name_length(&r.name, r.loc);
            if r.name == "public" || r.name.starts_with("pg_") {
                self.err(
                    Diagnostic::new(Code::BadName, r.loc, format!("`{}` cannot be declared as a role", r.name))
                        .help("`public` (every role) and `pg_…` roles are PostgreSQL's own; use them without declaring them"),
                );
            }
            for m in &r.member_of {
                self.role_ref(s, m, r.loc, &format!("role `{}`", r.name));
                if m == &r.name {
                    self.err(Diagnostic::new(
                        Code::BadName,
                        r.loc,
                        format!("role `{}` is a member of itself", r.name),
                    ));
                }
            }
        }
        for t in &s.tables {
            self.unique_names(
                t.policies
                    .iter()
                    .map(|p| (p.name.as_str(), p.loc, "policy")),
                &format!(" on table `{}`", t.name),
            );
            for p in &t.policies {
                for r in &p.roles {
                    self.role_ref(s, r, p.loc, &format!("policy `{}`", p.name));
                }
                for e in p.using.iter().chain(&p.with_check) {
                    let (columns, subquery) = crate::fragment::column_refs(e);
                    if subquery {
                        // Names inside and around a subquery may be other tables' columns.
                        continue;
                    }
                    for c in columns {
                        self.column_ref(t, &c, p.loc, &format!("policy `{}`", p.name));
                    }
                }
            }
            if !t.policies.is_empty() && t.row_level_security.is_none() {
                self.err(
                    Diagnostic::new(Code::Policy, t.loc, format!("table `{}` has policies but row-level security is off, so they do nothing", t.name))
                        .help("add `row_level_security: enabled` (or `forced`) to the table"),
                );
            }
        }
        for g in &s.grants {
            self.role_ref(s, &g.role, g.loc, &format!("a grant on {}", g.object));
            let known = match &g.object {
                GrantObject::Table { name, .. } | GrantObject::Column { table: name, .. } => {
                    s.table(name).is_some()
                }
                GrantObject::Sequence { name, .. } => s.sequence(name).is_some(),
                // A function the schema declares must be granted with one of its argument
                // lists; others (PostgreSQL's, an extension's) and schemas are checked by the
                // server.
                GrantObject::Function { schema, name, args } => {
                    let overloads: Vec<&crate::model::Function> = s
                        .functions
                        .iter()
                        .filter(|f| f.name == *name && f.schema == *schema)
                        .collect();
                    if !overloads.is_empty()
                        && !overloads.iter().any(|f| f.identity_arguments() == *args)
                    {
                        let known: Vec<String> = overloads.iter().map(|f| f.signature()).collect();
                        self.err(
                            Diagnostic::new(
                                Code::Privilege,
                                g.loc,
                                format!(
                                    "a grant is on {}, but the schema declares `{name}` only as {}",
                                    g.object,
                                    known.join(", ")
                                ),
                            )
                            .help("name the function with its input argument types exactly as declared (OUT arguments are not part of it)"),
                        );
                    }
                    true
                }
                GrantObject::Schema { .. } => true,
            };
            if !known {
                self.err(Diagnostic::new(
                    Code::UnknownTable,
                    g.loc,
                    format!(
                        "a grant is on {}, which the schema does not declare",
                        g.object
                    ),
                ));
            }
        }
    }

    fn role_ref(&mut self, s: &Schema, role: &str, loc: Loc, what: &str) {
        if builtin_role(role) || s.role(role).is_some() {
            return;
        }
        self.err(
            Diagnostic::new(Code::UnknownRole, loc, format!("{what} names role `{role}`, which `roles:` does not declare"))
                .help(
                    did_you_mean(role, s.roles.iter().map(|r| r.name.as_str()))
                        .unwrap_or_else(|| format!("add it to the top-level `roles:` list (`roles: [{role}]`); roles are cluster-wide, so a migration creates it when it is missing")),
                ),
        );
    }
}
