//! Access control steps: roles (created when missing, changed in place, never dropped),
//! row-level security, policies (`ALTER POLICY` where PostgreSQL allows it, dropped and
//! created again where it does not, or where a column they read is dropped or changes type),
//! and GRANT/REVOKE.
//!
//! None of these steps deletes data, so none needs consent; the ones that take access away
//! (a revoke, a dropped or changed policy, row-level security turned off) carry
//! [`Hazard::ChangesAccess`] so the plan shows them.

use super::{Buckets, main};
use crate::model::*;
use crate::plan::Hazard;
use crate::plan::matching::{Matched, TablePair};
use crate::render::sql;
use std::collections::BTreeMap;

pub(super) fn security(old: &Schema, new: &Schema, m: &Matched<'_>, b: &mut Buckets) {
    roles(old, new, b);
    for t in &m.created_tables {
        rls_and_policies(None, t, m, b);
    }
    for p in &m.tables {
        rls_and_policies(Some(p), p.new, m, b);
    }
    grants(old, new, m, b);
}

fn roles(old: &Schema, new: &Schema, b: &mut Buckets) {
    for r in &new.roles {
        let previous = old.role(&r.name);
        match previous {
            None => b.roles.push(main(
                format!("create role {} (unless the cluster has it)", r.name),
                &[],
                vec![sql::create_role(r).sql],
            )),
            Some(o) if (o.login, o.inherit, o.bypass_rls) != (r.login, r.inherit, r.bypass_rls) => {
                b.roles.push(main(
                    format!("change the attributes of role {}", r.name),
                    &[Hazard::ChangesAccess],
                    vec![sql::alter_role(r).sql],
                ))
            }
            Some(_) => {}
        }
    }
    // Memberships once every role exists.
    for r in &new.roles {
        let previous = old.role(&r.name);
        let had = previous.map(|o| o.member_of.as_slice()).unwrap_or_default();
        for g in r.member_of.iter().filter(|g| !had.contains(g)) {
            b.roles.push(main(
                format!("make role {} a member of {g}", r.name),
                &[],
                vec![sql::grant_membership(g, &r.name).sql],
            ));
        }
        for g in had.iter().filter(|g| !r.member_of.contains(g)) {
            b.roles.push(main(
                format!("remove role {} from {g}", r.name),
                &[Hazard::ChangesAccess],
                vec![sql::revoke_membership(g, &r.name).sql],
            ));
        }
    }
}

/// Whether two policies do the same.
fn same_policy(a: &Policy, b: &Policy) -> bool {
    let same_expr = |x: &Option<String>, y: &Option<String>| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => crate::fragment::same(x, y),
        _ => false,
    };
    a.command == b.command
        && a.restrictive == b.restrictive
        && a.roles == b.roles
        && same_expr(&a.using, &b.using)
        && same_expr(&a.with_check, &b.with_check)
}

/// Row-level security and the policies of one table (`recreated`: the functions the plan drops
/// and creates again; a policy calling one goes first and comes back after it).
fn rls_and_policies(pair: Option<&TablePair<'_>>, t: &Table, m: &Matched<'_>, b: &mut Buckets) {
    let recreated = &m.recreated_functions;
    let old_table = pair.map(|p| p.old);
    let was = old_table.and_then(|o| o.row_level_security);
    let statements = sql::set_row_level_security(&t.name, was, t.row_level_security);
    if !statements.is_empty() {
        let off = t.row_level_security.is_none()
            || (was == Some(RowLevelSecurity::Forced)
                && t.row_level_security != Some(RowLevelSecurity::Forced));
        b.policies.push(main(
            format!(
                "row-level security on {}: {}",
                t.name,
                match t.row_level_security {
                    None => "off",
                    Some(RowLevelSecurity::Enabled) => "enabled",
                    Some(RowLevelSecurity::Forced) => "forced",
                }
            ),
            if off { &[Hazard::ChangesAccess] } else { &[] },
            statements.into_iter().map(|s| s.sql).collect(),
        ));
    }
    // Columns whose drop or type change needs the policies reading them out of the way.
    let touched: Vec<&str> = pair
        .map(|p| {
            p.dropped
                .iter()
                .map(|c| c.name.as_str())
                .chain(
                    p.columns
                        .iter()
                        .filter(|(o, n)| m.retyped(o, n))
                        .map(|(o, _)| o.name.as_str()),
                )
                .collect()
        })
        .unwrap_or_default();
    // An old policy by name, or by `renamed_from` when the table no longer has the old name.
    let previous_of = |p: &Policy| -> Option<&Policy> {
        let o = old_table?;
        o.policy(&p.name).or_else(|| {
            let from = p.renamed_from.as_deref()?;
            o.policy(from).filter(|_| t.policy(from).is_none())
        })
    };
    let old_name = old_table.map_or(t.name.as_str(), |o| o.name.as_str());
    for p in &t.policies {
        let previous = previous_of(p);
        // Renamed first, before the table renames (so under the table's old name).
        if let Some(o) = previous.filter(|o| o.name != p.name) {
            b.drop_callers.push(main(
                format!("rename policy {} on {old_name} to {}", o.name, p.name),
                &[],
                vec![sql::rename_policy(old_name, &o.name, &p.name).sql],
            ));
        }
        let mut commented = previous.and_then(|o| o.description.as_deref());
        match previous {
            None => b.policies.push(main(
                format!("create policy {} on {}", p.name, t.name),
                &[],
                vec![sql::create_policy(&t.name, p).sql],
            )),
            Some(o) => {
                let reads_touched = old_table.is_some_and(|ot| {
                    o.reads(ot)
                        .columns
                        .iter()
                        .any(|c| touched.contains(&c.as_str()))
                });
                let calls_recreated = old_table
                    .is_some_and(|ot| o.reads(ot).functions.iter().any(|f| recreated.contains(f)));
                if reads_touched
                    || calls_recreated
                    || (!same_policy(o, p) && !sql::policy_alterable(o, p))
                {
                    let why = if reads_touched {
                        "a column it reads changes"
                    } else if calls_recreated {
                        "a function it calls is created again"
                    } else {
                        "its command or kind changes"
                    };
                    b.drop_callers.push(main(
                        format!(
                            "drop policy {} on {old_name} ({why}; created again)",
                            p.name
                        ),
                        &[Hazard::ChangesAccess],
                        vec![sql::drop_policy(old_name, &p.name).sql],
                    ));
                    b.policies.push(main(
                        format!("create policy {} on {} again", p.name, t.name),
                        &[],
                        vec![sql::create_policy(&t.name, p).sql],
                    ));
                    commented = None;
                } else if !same_policy(o, p) {
                    b.policies.push(main(
                        format!("change policy {} on {}", p.name, t.name),
                        &[Hazard::ChangesAccess],
                        vec![sql::alter_policy(&t.name, p).sql],
                    ));
                }
            }
        }
        if commented != p.description.as_deref() {
            b.comments.push(main(
                format!("comment on policy {} on {}", p.name, t.name),
                &[],
                vec![sql::comment_on_policy(&t.name, &p.name, p.description.as_deref()).sql],
            ));
        }
    }
    if let Some(o) = old_table {
        let kept = |op: &Policy| {
            t.policies
                .iter()
                .any(|p| previous_of(p).is_some_and(|x| std::ptr::eq(x, op)))
        };
        for p in o.policies.iter().filter(|p| !kept(p)) {
            b.drop_callers.push(main(
                format!("drop policy {} on {}", p.name, o.name),
                &[Hazard::ChangesAccess],
                vec![sql::drop_policy(&o.name, &p.name).sql],
            ));
        }
    }
}

/// GRANT what the new schema grants and the old one did not, REVOKE the reverse. Grants on
/// renamed tables and columns follow the rename (PostgreSQL keeps them); grants on dropped
/// objects go with the objects.
fn grants(old: &Schema, new: &Schema, m: &Matched<'_>, b: &mut Buckets) {
    // Old grants under the names the objects have in the new schema; None when dropped.
    let rename = |o: &GrantObject| -> Option<GrantObject> {
        match o {
            GrantObject::Table { schema, name } => {
                let pair = m.tables.iter().find(|p| &p.old.name == name)?;
                Some(GrantObject::Table {
                    schema: schema.clone(),
                    name: pair.new.name.clone(),
                })
            }
            GrantObject::Column {
                schema,
                table,
                column,
            } => {
                let pair = m.tables.iter().find(|p| &p.old.name == table)?;
                let (_, nc) = pair.columns.iter().find(|(oc, _)| &oc.name == column)?;
                Some(GrantObject::Column {
                    schema: schema.clone(),
                    table: pair.new.name.clone(),
                    column: nc.name.clone(),
                })
            }
            GrantObject::Sequence { name, .. } => {
                let kept = new.sequence(name).is_some() || old.sequence(name).is_none();
                kept.then(|| o.clone())
            }
            // A function dropped and created again starts with no grants: they are given again.
            GrantObject::Function { name, .. }
                if m.recreated_functions.contains(&name.to_ascii_lowercase()) =>
            {
                None
            }
            // A function renamed by hint keeps its grants under its new name.
            GrantObject::Function { schema, name, args } => {
                let renamed = new.functions.iter().find(|f| {
                    f.renamed_from.as_deref() == Some(name.as_str())
                        && f.schema == *schema
                        && old.functions.iter().any(|o| {
                            o.name == *name && o.schema == *schema && new.function(o).is_none()
                        })
                });
                Some(GrantObject::Function {
                    schema: schema.clone(),
                    name: renamed.map_or_else(|| name.clone(), |f| f.name.clone()),
                    args: args.clone(),
                })
            }
            _ => Some(o.clone()),
        }
    };
    let mut before: BTreeMap<(GrantObject, String), Vec<Privilege>> = BTreeMap::new();
    for g in &old.grants {
        if let Some(obj) = rename(&g.object) {
            before
                .entry((obj, g.role.clone()))
                .or_default()
                .extend(g.privileges.iter().copied());
        }
    }
    let mut after: BTreeMap<(GrantObject, String), Vec<Privilege>> = BTreeMap::new();
    for g in &new.grants {
        after
            .entry((g.object.clone(), g.role.clone()))
            .or_default()
            .extend(g.privileges.iter().copied());
    }
    let empty = Vec::new();
    for ((object, role), had) in &before {
        let keeps = after.get(&(object.clone(), role.clone())).unwrap_or(&empty);
        let lost: Vec<Privilege> = had.iter().copied().filter(|p| !keeps.contains(p)).collect();
        if !lost.is_empty() {
            let g = Grant {
                object: object.clone(),
                role: role.clone(),
                privileges: lost,
                loc: crate::diag::Loc::default(),
            };
            b.grants.push(main(
                format!("revoke {} on {object} from {role}", list(&g.privileges)),
                &[Hazard::ChangesAccess],
                vec![sql::revoke(&g).sql],
            ));
        }
    }
    for ((object, role), has) in &after {
        let had = before
            .get(&(object.clone(), role.clone()))
            .unwrap_or(&empty);
        let gained: Vec<Privilege> = has.iter().copied().filter(|p| !had.contains(p)).collect();
        if !gained.is_empty() {
            let g = Grant {
                object: object.clone(),
                role: role.clone(),
                privileges: gained,
                loc: crate::diag::Loc::default(),
            };
            b.grants.push(main(
                format!("grant {} on {object} to {role}", list(&g.privileges)),
                &[],
                vec![sql::grant(&g).sql],
            ));
        }
    }
}

fn list(p: &[Privilege]) -> String {
    p.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
}
