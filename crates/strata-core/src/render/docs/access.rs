//! A table's access control on its docs page: row-level security, each policy in words, and
//! who was granted what.

use super::markdown::{code, text};
use crate::model::{GrantObject, Privilege, RowLevelSecurity, Schema, Table};
use std::collections::BTreeMap;

/// One role's privileges on a table: on the whole table, and per privilege on columns.
type Privileges<'a> = (Vec<Privilege>, BTreeMap<Privilege, Vec<&'a str>>);

/// The bullets of a table's "Access" paragraph; empty when it has no row-level security, no
/// policy and no grant.
pub(super) fn access(schema: &Schema, t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    match t.row_level_security {
        None if !t.policies.is_empty() => out.push("Row-level security: off.".to_string()),
        None => {}
        Some(RowLevelSecurity::Enabled) => out.push(
            "Row-level security: enabled (the policies below apply to every role but the owner)."
                .to_string(),
        ),
        Some(RowLevelSecurity::Forced) => out.push(
            "Row-level security: forced (the policies below apply to the owner too).".to_string(),
        ),
    }
    for p in &t.policies {
        let roles = if p.is_public() {
            "every role".to_string()
        } else {
            p.roles
                .iter()
                .map(|r| code(r))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut line = format!(
            "Policy {} ({}, {} for {}):",
            code(&p.name),
            if p.restrictive {
                "restrictive"
            } else {
                "permissive"
            },
            code(p.command.sql()),
            roles
        );
        if let Some(u) = &p.using {
            line.push_str(&format!(" rows where {}", code(u)));
        }
        if let Some(w) = &p.with_check {
            if p.using.is_some() {
                line.push(';');
            }
            line.push_str(&format!(" writes where {}", code(w)));
        }
        line.push('.');
        if let Some(d) = &p.description {
            line.push(' ');
            line.push_str(&text(d));
        }
        out.push(line);
    }
    let mut by_role: BTreeMap<&str, Privileges<'_>> = BTreeMap::new();
    for g in &schema.grants {
        match &g.object {
            GrantObject::Table { name, .. } if *name == t.name => by_role
                .entry(&g.role)
                .or_default()
                .0
                .extend(g.privileges.iter().copied()),
            GrantObject::Column { table, column, .. } if *table == t.name => {
                let entry = by_role.entry(&g.role).or_default();
                for p in &g.privileges {
                    entry.1.entry(*p).or_default().push(column);
                }
            }
            _ => {}
        }
    }
    for (role, (whole, columns)) in by_role {
        let mut parts: Vec<String> = whole.iter().map(|p| code(p.sql())).collect();
        for (p, cols) in columns {
            let cols: Vec<String> = cols.iter().map(|c| code(c)).collect();
            parts.push(format!("{} on {}", code(p.sql()), cols.join(", ")));
        }
        let who = if role == "public" {
            "every role (`PUBLIC`)".to_string()
        } else {
            code(role)
        };
        out.push(format!("Granted to {who}: {}.", parts.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn policies_and_grants_are_on_the_table_page() {
        let yaml = "roles: [app]\ntables:\n  notes:\n    columns:\n      id: { type: integer, primary_key: true }\n      tenant_id: uuid\n      body: text\n    row_level_security: forced\n    policies:\n      tenant:\n        roles: [app]\n        using: tenant_id = current_setting('app.tenant_id')::uuid\n        description: One tenant's rows.\n    grants:\n      app: [select, { update: [body] }]\n      public: [select]\n";
        let schema = crate::load::load_sources(
            "shop",
            false,
            vec![crate::load::SourceText {
                path: "schemas/shop.yaml".into(),
                text: yaml.into(),
            }],
        )
        .expect("a valid schema");
        let page = crate::render::docs::readme(&schema);
        for expected in [
            "**Access**",
            "Row-level security: forced",
            "Policy `tenant` (permissive, `ALL` for `app`): rows where `tenant_id = current_setting('app.tenant_id')::uuid`. One tenant's rows.",
            "Granted to `app`: `SELECT`, `UPDATE` on `body`.",
            "Granted to every role (`PUBLIC`): `SELECT`.",
        ] {
            assert!(page.contains(expected), "{expected}\nnot in:\n{page}");
        }
    }
}
