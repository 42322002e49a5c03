//! Domains: created before the tables that use them (after the enums they may be over),
//! changed in place (`ALTER DOMAIN`), dropped after the columns that used them.
//!
//! PostgreSQL has no `ALTER DOMAIN … TYPE`. A domain whose underlying type changes is renamed
//! out of the way (`<name>_strata_old`) and created again under its name with the new type,
//! before the tables; every column of it is then converted like any type change
//! (`plan::diff::columns`: checked first and with consent when the type narrows), views,
//! policies and triggers reading those columns are re-created around it, and the old domain
//! is dropped once no column uses it.

use super::{Buckets, main};
use crate::model::{Domain, Schema, local_name, qualify, shorten_ident, split_qualified};
use crate::plan::Hazard;
use crate::plan::matching::Matched;
use crate::render::sql::{self, AlterDomain};

/// The name a re-created domain's old version has until it is dropped.
pub(crate) fn old_version_name(name: &str) -> String {
    let (schema, local) = split_qualified(name);
    qualify(schema, &shorten_ident(&format!("{local}_strata_old")))
}

pub(super) fn domains(old: &Schema, new: &Schema, m: &Matched<'_>, b: &mut Buckets) {
    let mut drops = Vec::new();
    for d in &new.domains {
        match old.domain(&d.name) {
            Some(o) if m.retyped_domains.contains(&d.name) => {
                let moved = old_version_name(&d.name);
                b.types.push(main(
                    format!(
                        "re-create domain {} as {} (was {}; its columns are converted below)",
                        d.name, d.ty, o.ty
                    ),
                    &[],
                    vec![
                        sql::alter_domain(&d.name, AlterDomain::RenameTo(local_name(&moved))).sql,
                        sql::create_domain(d).sql,
                    ],
                ));
                drops.push(main(
                    format!("drop the old version of domain {} ({moved})", d.name),
                    &[],
                    vec![sql::drop_domain(&moved).sql],
                ));
                if d.description.is_some() {
                    b.comments.push(main(
                        format!("comment on domain {}", d.name),
                        &[],
                        vec![sql::comment_on_domain(&d.name, d.description.as_deref()).sql],
                    ));
                }
                continue;
            }
            None => {
                b.types.push(main(
                    format!("create domain {}", d.name),
                    &[],
                    vec![sql::create_domain(d).sql],
                ));
            }
            Some(o) => alter(o, d, b),
        }
        let was = old.domain(&d.name).and_then(|o| o.description.as_deref());
        if was != d.description.as_deref() {
            b.comments.push(main(
                format!("comment on domain {}", d.name),
                &[],
                vec![sql::comment_on_domain(&d.name, d.description.as_deref()).sql],
            ));
        }
    }
    // Before the enums they may be over (`enums` pushed its drops first).
    drops.extend(
        old.domains
            .iter()
            .filter(|o| new.domain(&o.name).is_none())
            .map(|o| {
                main(
                    format!("drop domain {}", o.name),
                    &[],
                    vec![sql::drop_domain(&o.name).sql],
                )
            }),
    );
    b.drop_types.splice(0..0, drops);
}

fn alter(o: &Domain, n: &Domain, b: &mut Buckets) {
    let name = &n.name;
    let mut statements = Vec::new();
    let mut hazards = Vec::new();
    for c in &o.checks {
        if !n
            .checks
            .iter()
            .any(|x| x.name == c.name && x.expr == c.expr)
        {
            statements.push(sql::alter_domain(name, AlterDomain::DropCheck(&c.name)).sql);
        }
    }
    if o.default != n.default {
        let action = if n.default.is_some() {
            AlterDomain::SetDefault(n)
        } else {
            AlterDomain::DropDefault
        };
        statements.push(sql::alter_domain(name, action).sql);
    }
    if o.not_null != n.not_null {
        if n.not_null {
            hazards.push(Hazard::ScansTable);
            hazards.push(Hazard::CanFailOnExistingRows);
            statements.push(sql::alter_domain(name, AlterDomain::SetNotNull).sql);
        } else {
            statements.push(sql::alter_domain(name, AlterDomain::DropNotNull).sql);
        }
    }
    for c in &n.checks {
        if !o
            .checks
            .iter()
            .any(|x| x.name == c.name && x.expr == c.expr)
        {
            hazards.push(Hazard::ScansTable);
            hazards.push(Hazard::CanFailOnExistingRows);
            statements.push(sql::alter_domain(name, AlterDomain::AddCheck(c)).sql);
        }
    }
    if !statements.is_empty() {
        hazards.dedup();
        b.types
            .push(main(format!("change domain {name}"), &hazards, statements));
    }
}
