//! Columns of a table that stays: added (nullable, backfilled, then NOT NULL), type, default,
//! identity and nullability changed.

use super::{Buckets, alter, main, needs};
use crate::model::*;
use crate::plan::Hazard;
use crate::plan::ddl;
use crate::plan::matching::Matched;
use crate::render::sql::{self, AlterAction, Backfill, Constraint, LockMode, LockTable, Using};

/// `UPDATE … SET c = <backfill> WHERE c IS NULL`. When the table's auto-update trigger is in
/// place at that point of the migration (`touch_live`), it is disabled around the UPDATE (inside
/// the migration's transaction, so no other session sees it off): a backfill must not mark every
/// row as updated.
fn backfill(tn: &str, c: &Column, expr: &str, touch_live: bool) -> Vec<String> {
    let update = Backfill {
        table: tn,
        column: &c.name,
        expr,
    }
    .to_string();
    if touch_live {
        let trigger = ddl::trigger_name();
        vec![
            alter(tn, AlterAction::DisableTrigger(trigger)),
            update,
            alter(tn, AlterAction::EnableTrigger(trigger)),
        ]
    } else {
        vec![update]
    }
}

pub(super) fn add_column(t: &Table, c: &Column, touch_live: bool, b: &mut Buckets) {
    let tn = &t.name;
    let volatile = matches!(&c.default, Some(Default::Sql(e)) if is_volatile(e));
    let mut hazards = vec![Hazard::AccessExclusiveLock];
    if volatile || c.identity.is_some() {
        hazards.push(Hazard::RewritesTable);
    }
    if !c.nullable && !c.has_database_value() {
        // NOT NULL without a default: add it nullable, backfill, then enforce.
        let nullable = ddl::nullable(c);
        let mut statements = vec![alter(tn, AlterAction::AddColumn(&nullable))];
        match &c.backfill {
            Some(expr) => {
                statements.extend(backfill(tn, c, expr, touch_live));
                statements.extend(set_not_null(tn, c));
                b.columns.push(main(
                    format!("add column {tn}.{} (NOT NULL, backfilled)", c.name),
                    &[Hazard::AccessExclusiveLock, Hazard::ScansTable],
                    statements,
                ));
            }
            None => {
                statements.extend(set_not_null(tn, c));
                b.columns.push(needs(
                    main(
                        format!("add column {tn}.{} (NOT NULL, no default)", c.name),
                        &[Hazard::AccessExclusiveLock, Hazard::CanFailOnExistingRows],
                        statements,
                    ),
                    format!("set_not_null:{tn}.{}", c.name),
                    format!(
                        "fails if `{tn}` has rows: give `{}` a default or a `backfill:`",
                        c.name
                    ),
                ));
            }
        }
        return;
    }
    b.columns.push(main(
        format!("add column {tn}.{}", c.name),
        &hazards,
        vec![alter(tn, AlterAction::AddColumn(c))],
    ));
}

/// `SET NOT NULL` without a long ACCESS EXCLUSIVE scan: a validated check first (PostgreSQL 12+
/// then skips the scan), then the check is dropped.
fn set_not_null(tn: &str, c: &Column) -> Vec<String> {
    let check = crate::model::shorten_ident(&format!(
        "{}_{}_not_null",
        crate::model::local_name(tn),
        c.name
    ));
    vec![
        alter(
            tn,
            AlterAction::AddConstraint {
                constraint: Constraint::NotNullCheck {
                    name: &check,
                    column: &c.name,
                },
                not_valid: true,
            },
        ),
        alter(tn, AlterAction::ValidateConstraint(&check)),
        alter(tn, AlterAction::SetNotNull(&c.name)),
        alter(tn, AlterAction::DropConstraint(&check)),
    ]
}

/// Whether a default calls a volatile function, so that adding the column rewrites the table
/// (PostgreSQL evaluates a volatile default once per existing row). Read from the expression's
/// parse tree: a function name inside a string constant is not a call.
fn is_volatile(expr: &str) -> bool {
    const VOLATILE: &[&str] = &[
        "random",
        "gen_random_uuid",
        "uuid_generate_v1",
        "uuid_generate_v1mc",
        "uuid_generate_v4",
        "clock_timestamp",
        "timeofday",
        "nextval",
        "setseed",
    ];
    crate::fragment::called_functions(expr)
        .iter()
        .any(|f| VOLATILE.contains(&f.as_str()))
}

pub(super) fn alter_column(
    t: &Table,
    o: &Column,
    n: &Column,
    m: &Matched<'_>,
    touch_live: bool,
    b: &mut Buckets,
) {
    let tn = &t.name;
    let cn = n.name.as_str();
    // A default calling a function the plan drops and creates again is dropped before the
    // function goes, and set again below.
    let default_dropped_early = matches!(&o.default, Some(Default::Sql(e))
        if super::routines::calls_any(e, &m.recreated_functions));
    if default_dropped_early {
        let old_tn = old_table_name(t, m);
        b.drop_callers.push(main(
            format!("drop default of {tn}.{cn} (a function it calls is created again)"),
            &[],
            // Before the renames: the table and column as they were.
            vec![alter(old_tn, AlterAction::DropDefault(&o.name))],
        ));
    }
    if o.generated != n.generated {
        match (&o.generated, &n.generated) {
            (Some(_), None) => b.columns.push(main(
                format!("make {tn}.{cn} an ordinary column (keeps its values)"),
                &[Hazard::AccessExclusiveLock],
                vec![alter(tn, AlterAction::DropExpression(cn))],
            )),
            _ => {
                // PostgreSQL 15 cannot change a generation expression in place: the column is
                // dropped and added again, computed from the new expression. Values of an
                // ordinary column that becomes generated are replaced.
                let mut s = main(
                    format!("recompute {tn}.{cn} from its new generation expression"),
                    &[Hazard::AccessExclusiveLock, Hazard::RewritesTable],
                    vec![
                        alter(tn, AlterAction::DropColumn(cn)),
                        alter(tn, AlterAction::AddColumn(n)),
                    ],
                );
                if o.generated.is_none() {
                    s = needs(
                        s,
                        format!("drop_column:{tn}.{cn}"),
                        format!(
                            "the stored values of `{tn}.{cn}` are replaced by the generation expression"
                        ),
                    );
                }
                b.columns.push(s);
                return;
            }
        }
    }
    // An enum renamed in this plan is the same type under its new name.
    let old_ty = match &o.ty.base {
        BaseType::Enum(e) => match m.enums.iter().find(|p| &p.old.name == e) {
            Some(p) => ColumnType {
                base: BaseType::Enum(p.new.name.clone()),
                array: o.ty.array,
            },
            None => o.ty.clone(),
        },
        _ => o.ty.clone(),
    };
    // A column of a domain re-created with another underlying type is converted to the new
    // domain (see `diff::domains`), judged by the two underlying types.
    let domain_retyped = old_ty == n.ty && m.of_retyped_domain(n);
    if old_ty != n.ty || domain_retyped {
        let builtin = crate::plan::casts::builtin(m.old, &o.ty, m.new, &n.ty);
        // The type the old values have, for the guard's way back.
        let was = if domain_retyped {
            m.old.underlying(&o.ty).into_owned()
        } else {
            o.ty.clone()
        };
        let (safe, rewrite) = if n.using.is_some() {
            // A conversion the schema writes: only the server can tell what it keeps.
            (false, true)
        } else if let Some(c) = builtin {
            (c.lossless(), true)
        } else if domain_retyped {
            type_change_safety(&was, &m.new.underlying(&n.ty))
        } else {
            type_change_safety(&o.ty, &n.ty)
        };
        let mut statements = Vec::new();
        let using = if let Some(e) = &n.using {
            Using::Given(e)
        } else if builtin == Some(crate::plan::casts::Builtin::ToArray) {
            Using::ToArray
        } else if builtin.is_some()
            || matches!(n.ty.base, BaseType::Enum(_))
            || matches!(o.ty.base, BaseType::Enum(_))
        {
            Using::ViaText { array: o.ty.array }
        } else {
            Using::Cast
        };
        if !safe && n.using.is_none() {
            // The explicit cast would truncate or round silently: check every row first, under
            // a lock that keeps writers out until the change is made.
            statements.push(
                LockTable {
                    table: tn,
                    mode: LockMode::ShareRowExclusive,
                }
                .to_string(),
            );
            statements.push(sql::lossless_conversion(
                tn,
                &n.name,
                &was,
                &n.ty,
                &using.expr(cn, &n.ty),
                builtin.is_some(),
            ));
        }
        if o.default.is_some() && !default_dropped_early {
            statements.push(alter(tn, AlterAction::DropDefault(cn)));
        }
        statements.push(alter(
            tn,
            AlterAction::AlterColumnType {
                column: cn,
                ty: &n.ty,
                collation: n.collation.as_deref(),
                using: Some(using),
            },
        ));
        if let Some(d) = ddl::default_sql(n) {
            statements.push(alter(
                tn,
                AlterAction::SetDefault {
                    column: cn,
                    expr: &d,
                },
            ));
        }
        let mut hazards = vec![Hazard::AccessExclusiveLock];
        if rewrite {
            hazards.push(Hazard::RewritesTable);
        }
        if !safe {
            hazards.push(Hazard::CanFailOnExistingRows);
            hazards.push(Hazard::CouldLoseData);
        }
        let note = match builtin {
            Some(c) if n.using.is_none() => format!(" ({})", c.note()),
            _ => String::new(),
        };
        let summary = if domain_retyped {
            format!(
                "convert {tn}.{} to the re-created domain {} (from {} to {}){note}",
                n.name,
                n.ty,
                was,
                m.new.underlying(&n.ty)
            )
        } else {
            format!(
                "change type of {tn}.{} from {} to {}{note}",
                n.name, o.ty, n.ty
            )
        };
        let mut s = main(summary, &hazards, statements);
        if let Some(e) = &n.using {
            s = needs(
                s,
                format!("change_type:{tn}.{}", n.name),
                format!(
                    "the values of `{tn}.{}` are converted by the schema's `using: {e}`; whether that keeps them is up to the expression",
                    n.name
                ),
            );
        } else if !safe {
            s = needs(
                s,
                format!("change_type:{tn}.{}", n.name),
                format!(
                    "data loss: a value of `{tn}.{}` may not fit `{}`; the migration counts such rows first and fails, naming how many, rather than truncate or round them",
                    n.name, n.ty
                ),
            );
        }
        b.columns.push(s);
    } else if o.default != n.default || default_dropped_early {
        let st = match ddl::default_sql(n) {
            Some(d) => Some(alter(
                tn,
                AlterAction::SetDefault {
                    column: cn,
                    expr: &d,
                },
            )),
            None if default_dropped_early => None,
            None => Some(alter(tn, AlterAction::DropDefault(cn))),
        };
        if let Some(st) = st {
            b.columns.push(main(
                format!("change default of {tn}.{}", n.name),
                &[],
                vec![st],
            ));
        }
    }
    if old_ty == n.ty && o.collation != n.collation {
        // The same type with another collation: no rewrite, but the column's indexes are
        // rebuilt under the lock.
        b.columns.push(main(
            format!(
                "change collation of {tn}.{cn} to {}",
                n.collation.as_deref().unwrap_or("the type's default")
            ),
            &[Hazard::AccessExclusiveLock],
            vec![alter(
                tn,
                AlterAction::AlterColumnType {
                    column: cn,
                    ty: &n.ty,
                    collation: n.collation.as_deref(),
                    using: None,
                },
            )],
        ));
    }
    if o.identity.is_some() && n.identity.is_some() {
        let options = |c: &Column| {
            c.identity_options
                .clone()
                .unwrap_or_default()
                .as_sequence(&n.ty)
        };
        let (was, now) = (options(o), options(n));
        if was.effective() != now.effective() {
            let (_, _, was_min, was_max, _, _) = was.effective();
            let (_, increment, min, max, _, _) = now.effective();
            let mut statements = Vec::new();
            if min > was_min || max < was_max {
                // Narrower bounds: the sequence may stand outside them (a fresh identity at 1
                // under a new MINVALUE 10); move it in first, past every used value.
                statements.push(sql::sequence_into_bounds(tn, cn, min, max, increment));
            }
            statements.push(alter(
                tn,
                AlterAction::SetIdentityOptions {
                    column: cn,
                    sequence: &now,
                },
            ));
            b.columns.push(main(
                format!("change identity options of {tn}.{cn}"),
                &[Hazard::AccessExclusiveLock],
                statements,
            ));
        }
    }
    if o.identity.is_some() && n.identity.is_none() {
        // Dropped before anything else of the plan, as the table and column were: the
        // identity's own sequence (`t_id_seq`) goes with it, so a sequence of the same name
        // the plan creates (a serial's) does not collide with it.
        let old_tn = old_table_name(t, m);
        b.drop_identities.push(main(
            format!("drop identity of {tn}.{cn}"),
            &[Hazard::AccessExclusiveLock],
            vec![alter(
                old_tn,
                AlterAction::DropIdentity {
                    column: &o.name,
                    if_exists: true,
                },
            )],
        ));
        if matches!(&n.default, Some(Default::Sql(e))
            if crate::fragment::called_functions(e).iter().any(|f| f == "nextval"))
        {
            // The new sequence starts over; keys the identity handed out would collide with
            // its next values. Once the sequence is owned by the column (so that
            // `pg_get_serial_sequence` finds it), it moves past the largest key.
            b.add_fks.push(main(
                format!("move the sequence of {tn}.{cn} past its existing keys"),
                &[],
                vec![sql::sequence_past_max(tn, cn)],
            ));
        }
    } else if o.identity != n.identity {
        let action = match (o.identity, n.identity) {
            (None, Some(identity)) => Some(AlterAction::AddIdentity {
                column: cn,
                identity,
            }),
            (Some(_), None) => Some(AlterAction::DropIdentity {
                column: cn,
                if_exists: true,
            }),
            (Some(_), Some(identity)) => Some(AlterAction::SetGenerated {
                column: cn,
                identity,
            }),
            (None, None) => None,
        };
        let mut statements: Vec<String> = action.map(|a| alter(tn, a)).into_iter().collect();
        if o.identity.is_none() && n.identity.is_some() {
            // A new identity starts at 1; existing keys (from a serial sequence or given by
            // hand) would collide with the next inserts.
            statements.push(sql::sequence_past_max(tn, &n.name));
        }
        b.columns.push(main(
            format!("change identity of {tn}.{}", n.name),
            &[Hazard::AccessExclusiveLock],
            statements,
        ));
    }
    if o.nullable && !n.nullable {
        let mut statements = Vec::new();
        if let Some(expr) = &n.backfill {
            statements.extend(backfill(tn, n, expr, touch_live));
        }
        statements.extend(set_not_null(tn, n));
        let mut s = main(
            format!(
                "make {tn}.{} NOT NULL{}",
                n.name,
                if n.backfill.is_some() {
                    " (backfilled)"
                } else {
                    ""
                }
            ),
            &[Hazard::ScansTable, Hazard::CanFailOnExistingRows],
            statements,
        );
        if n.backfill.is_none() {
            s = needs(
                s,
                format!("set_not_null:{tn}.{}", n.name),
                format!(
                    "fails if `{tn}.{}` holds NULLs; add `backfill:` to the column to fill them",
                    n.name
                ),
            );
        }
        b.columns.push(s);
    } else if !o.nullable && n.nullable {
        b.columns.push(main(
            format!("make {tn}.{} nullable", n.name),
            &[],
            vec![alter(tn, AlterAction::DropNotNull(cn))],
        ));
    }
}

/// The table's name before this plan's renames.
fn old_table_name<'a>(t: &'a Table, m: &'a Matched<'_>) -> &'a str {
    m.tables
        .iter()
        .find(|p| p.new.name == t.name)
        .map_or(t.name.as_str(), |p| p.old.name.as_str())
}

/// Whether a type change keeps every value (`safe`) and whether PostgreSQL rewrites the table.
fn type_change_safety(o: &ColumnType, n: &ColumnType) -> (bool, bool) {
    use BaseType::*;
    if o.array != n.array {
        return (false, true);
    }
    match (&o.base, &n.base) {
        (Varchar(Some(a)), Varchar(Some(b))) => (b >= a, false),
        (Varchar(_), Varchar(None)) | (Varchar(_), Text) | (Char(_), Text) => (true, false),
        (Text, Varchar(None)) => (true, false),
        (Text, Varchar(Some(_))) | (Varchar(None), Varchar(Some(_))) => (false, false),
        (Char(a), Char(b)) => (b >= a, true),
        (Numeric(Some((p1, s1))), Numeric(Some((p2, s2)))) => {
            (p2 - s2 >= p1 - s1 && s2 >= s1, !(s1 == s2 && p2 >= p1))
        }
        (Numeric(Some(_)), Numeric(None)) => (true, false),
        (SmallInt, Integer) | (SmallInt, BigInt) | (Integer, BigInt) => (true, true),
        (SmallInt | Integer | BigInt, Numeric(None)) => (true, true),
        (Real, Double) => (true, true),
        // Fewer fractional digits round the stored values; more (or any) keep them, and the
        // server only rewrites the table when the time zone changes.
        (Time(a), Time(b)) | (Timestamp(a), Timestamp(b)) | (Timestamptz(a), Timestamptz(b)) => {
            let keeps = keeps_digits(*a, *b);
            (keeps, !keeps)
        }
        (Timestamp(a), Timestamptz(b)) | (Timestamptz(a), Timestamp(b)) => {
            (keeps_digits(*a, *b), true)
        }
        // An interval keeps every field down to its smallest one; a narrower list zeroes the
        // rest (`interval day` drops the hours).
        (Interval(fa, pa), Interval(fb, pb)) => {
            let smallest = |f: &Option<crate::model::IntervalFields>| f.map_or(5, |f| f.span().1);
            let keeps = smallest(fb) >= smallest(fa) && keeps_digits(*pa, *pb);
            (keeps, !keeps)
        }
        (Json, Jsonb) => (true, true),
        (Jsonb, Json) => (true, true),
        (_, Text) => (true, true),
        _ => (false, true),
    }
}

/// Whether a fractional-second precision `b` keeps every digit of `a` (`None`: the type's
/// full six).
fn keeps_digits(a: Option<u8>, b: Option<u8>) -> bool {
    b.unwrap_or(6) >= a.unwrap_or(6)
}
