//! `roles:`, the top-level `grants:`, and a table's `row_level_security:`, `policies:` and
//! `grants:` (a sequence's `grants:` is written on its line).

use super::{flow_scalar, key};
use crate::model::{GrantObject, Privilege, RowLevelSecurity, Schema, Table};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// `roles:` as a map, each role a one-line map of what differs from the defaults.
pub(super) fn write_roles(out: &mut String, schema: &Schema) {
    if schema.roles.is_empty() {
        return;
    }
    out.push_str("\nroles:\n");
    for r in &schema.roles {
        let mut parts = Vec::new();
        if r.login {
            parts.push("login: true".to_string());
        }
        if !r.inherit {
            parts.push("inherit: false".to_string());
        }
        if r.bypass_rls {
            parts.push("bypass_rls: true".to_string());
        }
        if !r.member_of.is_empty() {
            let list: Vec<String> = r.member_of.iter().map(|m| flow_scalar(m)).collect();
            parts.push(format!("member_of: [{}]", list.join(", ")));
        }
        if let Some(d) = &r.description {
            parts.push(format!("description: {}", flow_scalar(d)));
        }
        if parts.is_empty() {
            let _ = writeln!(out, "  {}: {{}}", key(&r.name));
        } else {
            let _ = writeln!(out, "  {}: {{ {} }}", key(&r.name), parts.join(", "));
        }
    }
}

/// Role → `[privilege, …, {privilege: [column, …]}]` as flow text, roles sorted.
fn role_lists(items: &ByRole) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(role, (whole, cols))| {
            let mut list: Vec<String> = whole.iter().map(|p| p.as_str().to_string()).collect();
            for (p, cs) in cols {
                let names: Vec<String> = cs.iter().map(|c| flow_scalar(c)).collect();
                list.push(format!("{{ {}: [{}] }}", p.as_str(), names.join(", ")));
            }
            (key(role), format!("[{}]", list.join(", ")))
        })
        .collect()
}

type ByRole = BTreeMap<String, (Vec<Privilege>, BTreeMap<Privilege, Vec<String>>)>;

fn by_role<'a>(
    schema: &'a Schema,
    on: impl Fn(&'a GrantObject) -> Option<Option<&'a str>>,
) -> ByRole {
    let mut out: ByRole = BTreeMap::new();
    for g in &schema.grants {
        let Some(column) = on(&g.object) else {
            continue;
        };
        let entry = out.entry(g.role.clone()).or_default();
        match column {
            None => entry.0.extend(g.privileges.iter().copied()),
            Some(c) => {
                for p in &g.privileges {
                    entry.1.entry(*p).or_default().push(c.to_string());
                }
            }
        }
    }
    out
}

/// The grants on sequence `name`, as ` grants: { role: [usage] }` flow text.
pub(super) fn sequence_grants(schema: &Schema, name: &str) -> Option<String> {
    let roles = by_role(schema, |o| match o {
        GrantObject::Sequence { name: n, .. } if n == name => Some(None),
        _ => None,
    });
    if roles.is_empty() {
        return None;
    }
    let parts: Vec<String> = role_lists(&roles)
        .into_iter()
        .map(|(r, l)| format!("{r}: {l}"))
        .collect();
    Some(format!("grants: {{ {} }}", parts.join(", ")))
}

/// The top-level `grants:` (schemas and functions).
pub(super) fn write_top_grants(out: &mut String, schema: &Schema) {
    let mut schemas: BTreeMap<String, ByRole> = BTreeMap::new();
    let mut functions: BTreeMap<String, ByRole> = BTreeMap::new();
    for g in &schema.grants {
        let (slot, name) = match &g.object {
            GrantObject::Schema { name } => (&mut schemas, name.clone()),
            GrantObject::Function { schema, name, args } => {
                let q = schema.as_ref().map(|s| format!("{s}.")).unwrap_or_default();
                (&mut functions, format!("{q}{name}({})", args.join(", ")))
            }
            _ => continue,
        };
        slot.entry(name)
            .or_default()
            .entry(g.role.clone())
            .or_default()
            .0
            .extend(g.privileges.iter().copied());
    }
    if schemas.is_empty() && functions.is_empty() {
        return;
    }
    out.push_str("\ngrants:\n");
    for (section, objects) in [("schemas", &schemas), ("functions", &functions)] {
        if objects.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {section}:");
        for (name, roles) in objects {
            let parts: Vec<String> = role_lists(roles)
                .into_iter()
                .map(|(r, l)| format!("{r}: {l}"))
                .collect();
            let _ = writeln!(out, "    {}: {{ {} }}", key(name), parts.join(", "));
        }
    }
}

/// A table's `row_level_security:`, `policies:` and `grants:`.
pub(super) fn write_table_security(out: &mut String, schema: &Schema, t: &Table) {
    match t.row_level_security {
        None => {}
        Some(RowLevelSecurity::Enabled) => out.push_str("    row_level_security: enabled\n"),
        Some(RowLevelSecurity::Forced) => out.push_str("    row_level_security: forced\n"),
    }
    if !t.policies.is_empty() {
        out.push_str("    policies:\n");
        for p in &t.policies {
            let _ = writeln!(out, "      {}:", key(&p.name));
            if p.command != crate::model::PolicyCommand::All {
                let _ = writeln!(out, "        command: {}", p.command.as_str());
            }
            if !p.is_public() {
                let roles: Vec<String> = p.roles.iter().map(|r| flow_scalar(r)).collect();
                let _ = writeln!(out, "        roles: [{}]", roles.join(", "));
            }
            if let Some(u) = &p.using {
                let _ = writeln!(out, "        using: {}", flow_scalar(u.trim()));
            }
            if let Some(w) = &p.with_check {
                let _ = writeln!(out, "        with_check: {}", flow_scalar(w.trim()));
            }
            if p.restrictive {
                out.push_str("        as: restrictive\n");
            }
            if let Some(d) = &p.description {
                let _ = writeln!(out, "        description: {}", flow_scalar(d));
            }
        }
    }
    let roles = by_role(schema, |o| match o {
        GrantObject::Table { name, .. } if *name == t.name => Some(None),
        GrantObject::Column { table, column, .. } if *table == t.name => {
            Some(Some(column.as_str()))
        }
        _ => None,
    });
    if !roles.is_empty() {
        out.push_str("    grants:\n");
        for (r, l) in role_lists(&roles) {
            let _ = writeln!(out, "      {r}: {l}");
        }
    }
}
