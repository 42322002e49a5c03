//! Domains: created before the tables that use them (after the enums they may be over),
//! changed in place (`ALTER DOMAIN`), dropped after the columns that used them.

use super::{Buckets, main};
use crate::model::{Domain, Schema};
use crate::plan::Hazard;
use crate::render::sql::{self, AlterDomain};

pub(super) fn domains(old: &Schema, new: &Schema, b: &mut Buckets) {
    for d in &new.domains {
        match old.domain(&d.name) {
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
    let drops: Vec<_> = old
        .domains
        .iter()
        .filter(|o| new.domain(&o.name).is_none())
        .map(|o| {
            main(
                format!("drop domain {}", o.name),
                &[],
                vec![sql::drop_domain(&o.name).sql],
            )
        })
        .collect();
    b.drop_types.splice(0..0, drops);
}

fn alter(o: &Domain, n: &Domain, b: &mut Buckets) {
    let name = &n.name;
    if o.ty != n.ty {
        // The type of a domain cannot change in place; the planner refuses before this (see
        // `plan::casts`), so nothing is written here.
        return;
    }
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
