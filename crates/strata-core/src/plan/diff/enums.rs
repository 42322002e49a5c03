//! Enum types: created, renamed, values added or renamed in place, or the type recreated when
//! values are removed or reordered; dropped.

use super::{Buckets, alter, main, needs, step};
use crate::model::*;
use crate::plan::ddl;
use crate::plan::matching::{EnumPair, Matched};
use crate::plan::{Hazard, Phase};
use crate::render::sql::{AlterAction, AlterType, AlterTypeAction, DropType, Using, ValuePosition};

pub(super) fn enums(m: &Matched<'_>, b: &mut Buckets) {
    for e in &m.created_enums {
        b.types.push(main(
            format!("create enum {}", e.name),
            &[],
            vec![ddl::create_enum(e)],
        ));
        if let Some(c) = ddl::enum_comment(e) {
            b.comments.push(main(
                format!("comment on enum {}", e.name),
                &[],
                vec![ddl::comment_type(&e.name, Some(&c))],
            ));
        }
    }
    for p in &m.enums {
        let (o, n) = (p.old, p.new);
        if o.name != n.name {
            b.types.push(main(
                format!("rename enum {} to {}", o.name, n.name),
                &[],
                vec![
                    AlterType {
                        name: &o.name,
                        action: AlterTypeAction::RenameTo(&n.name),
                    }
                    .to_string(),
                ],
            ));
        }
        for (from, to) in &p.values {
            if from != to {
                b.types.push(main(
                    format!("rename value {from} of enum {} to {to}", n.name),
                    &[],
                    vec![
                        AlterType {
                            name: &n.name,
                            action: AlterTypeAction::RenameValue { from, to },
                        }
                        .to_string(),
                    ],
                ));
            }
        }
        // The surviving values must keep their relative order for in-place additions.
        let survivors_new: Vec<&str> = n
            .values
            .iter()
            .map(|v| v.name.as_str())
            .filter(|v| !p.added.iter().any(|a| a == v))
            .collect();
        let survivors_old: Vec<&str> = o
            .values
            .iter()
            .filter_map(|v| {
                p.values
                    .iter()
                    .find(|(f, _)| *f == v.name)
                    .map(|(_, t)| t.as_str())
            })
            .collect();
        if p.removed.is_empty() && survivors_new == survivors_old {
            for (i, v) in n.values.iter().enumerate() {
                if !p.added.contains(&v.name) {
                    continue;
                }
                // Position: before the next surviving value, or after the previous one.
                let next = n.values[i + 1..]
                    .iter()
                    .find(|x| !p.added.contains(&x.name));
                let position = match next {
                    Some(x) => Some(ValuePosition::Before(old_value_name(p, &x.name))),
                    None => n.values[..i]
                        .last()
                        .map(|prev| ValuePosition::After(old_value_name(p, &prev.name))),
                };
                // Runs before the main migration: use the enum's old name.
                b.before.push(step(
                    Phase::Before,
                    format!("add value {} to enum {}", v.name, n.name),
                    &[],
                    vec![
                        AlterType {
                            name: &o.name,
                            action: AlterTypeAction::AddValue {
                                value: &v.name,
                                if_not_exists: true,
                                position,
                            },
                        }
                        .to_string(),
                    ],
                ));
            }
        } else {
            recreate_enum(p.new, &p.old.name, &p.removed, m, b);
        }
        if ddl::enum_comment(o) != ddl::enum_comment(n) {
            b.comments.push(main(
                format!("comment on enum {}", n.name),
                &[],
                vec![ddl::comment_type(&n.name, ddl::enum_comment(n).as_deref())],
            ));
        }
    }
    for e in &m.dropped_enums {
        b.drop_types.push(main(
            format!("drop enum {}", e.name),
            &[],
            vec![DropType { name: &e.name }.to_string()],
        ));
    }
}

/// The name a new value had in the old enum (the same, unless renamed).
fn old_value_name<'x>(p: &'x EnumPair<'_>, new_name: &'x str) -> &'x str {
    p.values
        .iter()
        .find(|(_, t)| t == new_name)
        .map_or(new_name, |(f, _)| f.as_str())
}

/// Removing or reordering enum values: a new type, the columns converted, the old type dropped.
fn recreate_enum(e: &Enum, old_name: &str, removed: &[String], m: &Matched<'_>, b: &mut Buckets) {
    let tmp = crate::model::shorten_ident(&format!("{}__strata_old", e.name));
    let mut statements = vec![
        AlterType {
            name: &e.name,
            action: AlterTypeAction::RenameTo(&tmp),
        }
        .to_string(),
        ddl::create_enum(e),
    ];
    let mut columns = Vec::new();
    // Columns that held the old type and hold the new one (other type changes are steps of
    // their own).
    for p in &m.tables {
        for (oc, c) in &p.columns {
            if c.ty.base == BaseType::Enum(e.name.clone())
                && oc.ty.base == BaseType::Enum(old_name.to_string())
            {
                columns.push((p.new, *c));
            }
        }
    }
    for (t, c) in &columns {
        if c.default.is_some() {
            statements.push(alter(&t.name, AlterAction::DropDefault(&c.name)));
        }
        statements.push(alter(
            &t.name,
            AlterAction::AlterColumnType {
                column: &c.name,
                ty: &c.ty,
                collation: c.collation.as_deref(),
                using: Some(Using::ViaText { array: c.ty.array }),
            },
        ));
        if let Some(d) = ddl::default_sql(c) {
            statements.push(alter(
                &t.name,
                AlterAction::SetDefault {
                    column: &c.name,
                    expr: &d,
                },
            ));
        }
    }
    // The old type goes only after the tables and columns this plan drops: they may still use
    // it (a table created with the value that is now removed).
    b.drop_types.push(main(
        format!("drop the replaced enum type {tmp}"),
        &[],
        vec![DropType { name: &tmp }.to_string()],
    ));
    // The new type starts without the old one's comment.
    if let Some(c) = ddl::enum_comment(e) {
        statements.push(ddl::comment_type(&e.name, Some(&c)));
    }
    let mut s = main(
        format!("recreate enum {} (values removed or reordered)", e.name),
        &[
            Hazard::RewritesTable,
            Hazard::AccessExclusiveLock,
            Hazard::CanFailOnExistingRows,
        ],
        statements,
    );
    if !removed.is_empty() {
        let cols: Vec<String> = columns
            .iter()
            .map(|(t, c)| format!("{}.{}", t.name, c.name))
            .collect();
        s = needs(
            s,
            format!("remove_enum_value:{}.{}", e.name, removed.join(",")),
            format!(
                "fails if a row of {} still holds {}",
                if cols.is_empty() {
                    "any column".to_string()
                } else {
                    cols.join(", ")
                },
                removed
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        );
    }
    b.enum_recreate.push(s);
}
