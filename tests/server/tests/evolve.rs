//! The migration planner, proven by evolution: every seed schema is put through 200 random
//! sequences of edits (every kind of change the schema language can express). Each step is
//! planned (`strata::plan`), written as refinery migration files and applied by Strata's real
//! runner (`strata_pg::migrate`) to a database that holds rows. After every step:
//!
//! (a) the migrated database's catalog equals the catalog of a fresh database built from the
//!     new schema's `schema.sql` (column order aside: PostgreSQL appends added columns), and
//! (b) every row and value the edit did not drop is still there, unchanged (renamed tables and
//!     columns followed by their new names; values of a renamed enum value follow the rename).

use proptest::prelude::*;
use std::collections::BTreeMap;
use strata::Loc;
use strata::model::*;
use strata_pg::{MigrateOptions, Migrations, migrate};
use strata_server_tests::catalog::{self, Catalog};
use strata_testkit::TestDb;

/// 200 sequences; `STRATA_EVOLVE_CASES` lowers it for a quick local run.
fn sequences() -> u32 {
    std::env::var("STRATA_EVOLVE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}
const STEPS: usize = 3;
const ROWS: usize = 3;

/// A small deterministic random source (the case's seed comes from proptest).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            Some(&items[self.below(items.len())])
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What an edit renamed, so the data check can follow the rows.
#[derive(Default, Debug)]
struct Renames {
    tables: BTreeMap<String, String>,
    columns: BTreeMap<(String, String), String>,
    enum_values: BTreeMap<(String, String), String>,
    /// Columns whose values an edit changes on purpose (a backfill), by new table and column.
    changed: Vec<(String, String)>,
}

fn referenced(s: &Schema, table: &str, column: &str) -> bool {
    s.tables.iter().any(|t| {
        t.foreign_keys.iter().any(|f| {
            (f.ref_table == table && f.ref_columns.iter().any(|c| c == column))
                || (t.name == table && f.columns.iter().any(|c| c == column))
        })
    })
}

fn in_constraint_or_index(t: &Table, column: &str) -> bool {
    let mentions = |e: &str| e.contains(column);
    t.primary_key
        .as_ref()
        .is_some_and(|p| p.columns.iter().any(|c| c == column))
        || t.uniques
            .iter()
            .any(|u| u.columns.iter().any(|c| c == column))
        || t.checks.iter().any(|c| mentions(&c.expr))
        || t.indexes.iter().any(|i| {
            i.predicate.as_deref().is_some_and(mentions)
                || i.keys.iter().any(|k| match &k.target {
                    IndexTarget::Column(c) => c == column,
                    IndexTarget::Expr(e) => mentions(e),
                })
        })
        || t.columns
            .iter()
            .any(|c| matches!(&c.default, Some(Default::Sql(e)) if mentions(e)) && c.name != column)
}

fn column(name: &str, ty: BaseType, nullable: bool) -> Column {
    Column {
        rust_name: strata::model::rust_field_ident(name),
        name: name.into(),
        ty: ColumnType {
            base: ty,
            array: false,
        },
        nullable,
        default: None,
        identity: None,
        identity_options: None,
        backfill: None,
        generated: None,
        using: None,
        auto_update: false,
        soft_delete: false,
        json: None,
        collation: None,
        description: None,
        renamed_from: None,
        mixin: None,
        loc: Loc::default(),
    }
}

fn single_pk(t: &Table) -> Option<&Column> {
    match t.primary_key.as_ref().map(|p| p.columns.as_slice()) {
        Some([c]) => t.column(c),
        _ => None,
    }
}

/// Applies one random edit to `s`; returns a description and what it renamed.
fn edit(s: &mut Schema, rng: &mut Rng, n: usize) -> (String, Renames) {
    let mut r = Renames::default();
    for _attempt in 0..50 {
        let kind = rng.below(22);
        let ti = rng.below(s.tables.len());
        let tname = s.tables[ti].name.clone();
        match kind {
            0 => {
                // Create a table, with a foreign key to a table that has a one-column key.
                let name = format!("evo_t{n}");
                let mut cols = vec![
                    column("id", BaseType::Uuid, false),
                    column("note", BaseType::Text, true),
                ];
                cols[0].default = Some(Default::Sql("gen_random_uuid()".into()));
                let mut fks = Vec::new();
                let mut indexes = Vec::new();
                if let Some(pk) = single_pk(&s.tables[ti]) {
                    let mut c = column("parent", pk.ty.base.clone(), true);
                    c.ty = pk.ty.clone();
                    cols.push(c);
                    fks.push(ForeignKey {
                        name: format!("{name}_parent_fkey"),
                        columns: vec!["parent".into()],
                        ref_table: tname.clone(),
                        ref_columns: vec![pk.name.clone()],
                        on_delete: FkAction::SetNull,
                        on_delete_columns: Vec::new(),
                        on_update: FkAction::NoAction,
                        match_full: false,
                        deferrable: Deferrable::No,
                        not_valid: false,
                        description: None,
                        loc: Loc::default(),
                    });
                    indexes.push(Index {
                        name: format!("{name}_parent_idx"),
                        keys: vec![IndexKey::plain(IndexTarget::Column("parent".into()))],
                        unique: false,
                        method: IndexMethod::Btree,
                        predicate: None,
                        description: None,
                        for_foreign_key: true,
                        include: vec![],
                        nulls_not_distinct: false,
                        with: vec![],
                        loc: Loc::default(),
                    });
                }
                s.tables.push(Table {
                    name: name.clone(),
                    rust_name: format!("EvoT{n}"),
                    description: Some("Added by evolution.".into()),
                    renamed_from: None,
                    group: None,
                    columns: cols,
                    primary_key: Some(PrimaryKey {
                        name: format!("{name}_pkey"),
                        columns: vec!["id".into()],
                        description: None,
                        loc: Loc::default(),
                    }),
                    uniques: vec![],
                    checks: vec![],
                    foreign_keys: fks,
                    indexes,
                    exclusions: Vec::new(),
                    single_row: None,
                    unlogged: false,
                    with: Vec::new(),
                    row_level_security: None,
                    policies: vec![],
                    partition_by: None,
                    partitions: vec![],
                    loc: Loc::default(),
                });
                if !s.extensions.iter().any(|e| e == "pgcrypto") {
                    s.extensions.push("pgcrypto".into());
                }
                return (format!("create table {name}"), r);
            }
            1 => {
                // Drop a table nobody references.
                if s.tables.len() < 2
                    || s.tables.iter().any(|t| {
                        t.name != tname && t.foreign_keys.iter().any(|f| f.ref_table == tname)
                    })
                {
                    continue;
                }
                s.tables.remove(ti);
                s.allow.push(format!("drop_table:{tname}"));
                return (format!("drop table {tname}"), r);
            }
            2 => {
                let new = format!("{}_r{n}", &tname[..tname.len().min(40)]);
                for t in &mut s.tables {
                    for f in &mut t.foreign_keys {
                        if f.ref_table == tname {
                            f.ref_table = new.clone();
                        }
                    }
                }
                let t = &mut s.tables[ti];
                t.renamed_from = Some(tname.clone());
                t.name = new.clone();
                r.tables.insert(tname.clone(), new.clone());
                return (format!("rename table {tname} to {new}"), r);
            }
            3 | 4 => {
                // Add a column: nullable, or NOT NULL with a literal default, or NOT NULL with a backfill.
                let name = format!("evo_c{n}");
                let t = &mut s.tables[ti];
                let mut c = match rng.below(4) {
                    0 => column(&name, BaseType::Text, true),
                    1 => {
                        let mut c = column(&name, BaseType::Integer, false);
                        c.default = Some(Default::Literal(Literal::Integer(7)));
                        c
                    }
                    2 => {
                        let mut c = column(&name, BaseType::Boolean, false);
                        c.backfill = Some("true".into());
                        c
                    }
                    _ => {
                        let mut c = column(&name, BaseType::Jsonb, false);
                        c.default = Some(Default::Literal(Literal::Json(
                            serde_json::json!({"k": [1, "two"]}),
                        )));
                        c
                    }
                };
                if rng.chance(30) {
                    c.description = Some("It's new; \"quoted\".".into());
                }
                t.columns.push(c);
                return (format!("add column {tname}.{name}"), r);
            }
            5 => {
                let t = &s.tables[ti];
                let cands: Vec<String> = t
                    .columns
                    .iter()
                    .filter(|c| {
                        !referenced(s, &tname, &c.name)
                            && !in_constraint_or_index(t, &c.name)
                            && !c.auto_update
                    })
                    .map(|c| c.name.clone())
                    .collect();
                let Some(c) = rng.pick(&cands).cloned() else {
                    continue;
                };
                let t = &mut s.tables[ti];
                t.columns.retain(|x| x.name != c);
                s.allow.push(format!("drop_column:{tname}.{c}"));
                return (format!("drop column {tname}.{c}"), r);
            }
            6 | 7 => {
                let t = &s.tables[ti];
                let cands: Vec<String> = t.columns.iter().filter(|c| !referenced(s, &tname, &c.name) && !t.checks.iter().any(|k| k.expr.contains(c.name.as_str())) && !t.indexes.iter().any(|i| i.predicate.as_deref().is_some_and(|p| p.contains(c.name.as_str())) || i.keys.iter().any(|k| matches!(&k.target, IndexTarget::Expr(e) if e.contains(c.name.as_str()))))).map(|c| c.name.clone()).collect();
                let Some(c) = rng.pick(&cands).cloned() else {
                    continue;
                };
                let new = format!("{}_r{n}", &c[..c.len().min(40)]);
                let t = &mut s.tables[ti];
                for col in &mut t.columns {
                    if col.name == c {
                        col.renamed_from = Some(c.clone());
                        col.name = new.clone();
                    }
                }
                let rename = |v: &mut Vec<String>| {
                    v.iter_mut()
                        .filter(|x| **x == c)
                        .for_each(|x| *x = new.clone())
                };
                if let Some(pk) = &mut t.primary_key {
                    rename(&mut pk.columns);
                }
                t.uniques.iter_mut().for_each(|u| rename(&mut u.columns));
                for i in &mut t.indexes {
                    for k in &mut i.keys {
                        if k.target == IndexTarget::Column(c.clone()) {
                            k.target = IndexTarget::Column(new.clone());
                        }
                    }
                }
                r.columns.insert((tname.clone(), c.clone()), new.clone());
                return (format!("rename column {tname}.{c} to {new}"), r);
            }
            8 => {
                // Widen a type.
                let t = &s.tables[ti];
                let cands: Vec<String> = t
                    .columns
                    .iter()
                    .filter(|c| {
                        !c.ty.array
                            && !referenced(s, &tname, &c.name)
                            && matches!(
                                c.ty.base,
                                BaseType::Varchar(Some(_))
                                    | BaseType::Integer
                                    | BaseType::SmallInt
                                    | BaseType::Real
                                    | BaseType::Json
                            )
                    })
                    .map(|c| c.name.clone())
                    .collect();
                let Some(c) = rng.pick(&cands).cloned() else {
                    continue;
                };
                let col = s.tables[ti]
                    .columns
                    .iter_mut()
                    .find(|x| x.name == c)
                    .expect("candidate");
                col.ty.base = match &col.ty.base {
                    BaseType::Varchar(Some(l)) if rng.chance(50) => BaseType::Varchar(Some(l + 50)),
                    BaseType::Varchar(_) => BaseType::Text,
                    BaseType::SmallInt => BaseType::Integer,
                    BaseType::Integer => BaseType::BigInt,
                    BaseType::Real => BaseType::Double,
                    _ => BaseType::Jsonb,
                };
                if let Some(Default::Literal(Literal::Json(_))) = &col.default {
                    // A json default stays valid as jsonb.
                }
                return (format!("widen {tname}.{c} to {}", col.ty), r);
            }
            9 => {
                // NOT NULL → nullable.
                let t = &s.tables[ti];
                let pk: Vec<String> = t
                    .primary_key
                    .iter()
                    .flat_map(|p| p.columns.clone())
                    .collect();
                let cands: Vec<String> = t
                    .columns
                    .iter()
                    .filter(|c| !c.nullable && !pk.contains(&c.name) && c.identity.is_none())
                    .map(|c| c.name.clone())
                    .collect();
                let Some(c) = rng.pick(&cands).cloned() else {
                    continue;
                };
                s.tables[ti]
                    .columns
                    .iter_mut()
                    .filter(|x| x.name == c)
                    .for_each(|x| x.nullable = true);
                return (format!("drop not null {tname}.{c}"), r);
            }
            10 => {
                // nullable → NOT NULL, with a backfill for the rows that hold NULL.
                let t = &s.tables[ti];
                let cands: Vec<String> = t
                    .columns
                    .iter()
                    .filter(|c| {
                        c.nullable
                            && !c.ty.array
                            && matches!(
                                c.ty.base,
                                BaseType::Text
                                    | BaseType::Integer
                                    | BaseType::Boolean
                                    | BaseType::Jsonb
                                    | BaseType::Timestamptz(_)
                            )
                    })
                    .filter(|c| !t.foreign_keys.iter().any(|f| f.columns.contains(&c.name)))
                    .map(|c| c.name.clone())
                    .collect();
                let Some(c) = rng.pick(&cands).cloned() else {
                    continue;
                };
                let col = s.tables[ti]
                    .columns
                    .iter_mut()
                    .find(|x| x.name == c)
                    .expect("candidate");
                col.nullable = false;
                col.backfill = Some(
                    match col.ty.base {
                        BaseType::Text => "'filled'",
                        BaseType::Integer => "0",
                        BaseType::Boolean => "false",
                        BaseType::Jsonb => "'{}'::jsonb",
                        _ => "now()",
                    }
                    .into(),
                );
                r.changed.push((tname.clone(), c.clone()));
                return (format!("set not null {tname}.{c} with backfill"), r);
            }
            11 => {
                // Change or drop a default.
                let t = &s.tables[ti];
                let cands: Vec<String> = t
                    .columns
                    .iter()
                    .filter(|c| {
                        !c.ty.array
                            && matches!(
                                c.ty.base,
                                BaseType::Integer | BaseType::Text | BaseType::Boolean
                            )
                            && !t.primary_key.iter().any(|p| p.columns.contains(&c.name))
                            && !t.foreign_keys.iter().any(|f| f.columns.contains(&c.name))
                    })
                    .map(|c| c.name.clone())
                    .collect();
                let Some(c) = rng.pick(&cands).cloned() else {
                    continue;
                };
                let col = s.tables[ti]
                    .columns
                    .iter_mut()
                    .find(|x| x.name == c)
                    .expect("candidate");
                col.default = if col.default.is_some() && rng.chance(40) {
                    None
                } else {
                    Some(Default::Literal(match col.ty.base {
                        BaseType::Integer => Literal::Integer(42),
                        BaseType::Boolean => Literal::Bool(true),
                        _ => Literal::String("it's a \"default\"".into()),
                    }))
                };
                return (format!("change default of {tname}.{c}"), r);
            }
            12 => {
                // Create an index (plain, descending or partial).
                let t = &s.tables[ti];
                let cands: Vec<&Column> = t
                    .columns
                    .iter()
                    .filter(|c| !c.ty.is_json() && !c.ty.array)
                    .collect();
                let Some(c) = rng.pick(&cands) else { continue };
                let name = shorten_ident(&format!("{}_evo{n}_idx", t.name));
                let predicate = rng
                    .chance(30)
                    .then(|| format!("{} IS NOT NULL", strata::render::sql::ident(&c.name)));
                let idx = Index {
                    name: name.clone(),
                    keys: vec![IndexKey {
                        desc: rng.chance(50),
                        ..IndexKey::plain(IndexTarget::Column(c.name.clone()))
                    }],
                    unique: false,
                    method: IndexMethod::Btree,
                    predicate,
                    description: rng.chance(30).then(|| "Evolution's index.".into()),
                    for_foreign_key: false,
                    include: vec![],
                    nulls_not_distinct: false,
                    with: vec![],
                    loc: Loc::default(),
                };
                s.tables[ti].indexes.push(idx);
                return (format!("create index {name}"), r);
            }
            13 => {
                let t = &mut s.tables[ti];
                let cands: Vec<usize> = (0..t.indexes.len())
                    .filter(|&i| !t.indexes[i].for_foreign_key)
                    .collect();
                let Some(&i) = rng.pick(&cands) else { continue };
                if rng.chance(50) && t.indexes[i].method == IndexMethod::Btree {
                    // Change it under the same name (rebuilt, then swapped in); only btree
                    // indexes keep an order.
                    let ix = &mut t.indexes[i];
                    if let Some(k) = ix.keys.first_mut() {
                        k.desc = !k.desc;
                    }
                    return (format!("change index {}", ix.name), r);
                }
                let name = t.indexes.remove(i).name;
                return (format!("drop index {name}"), r);
            }
            14 => {
                // A unique key that existing rows satisfy: (primary key, another column).
                let t = &s.tables[ti];
                let Some(pk) = single_pk(t) else { continue };
                let cands: Vec<&Column> = t
                    .columns
                    .iter()
                    .filter(|c| c.name != pk.name && !c.ty.is_json() && !c.ty.array)
                    .collect();
                let Some(c) = rng.pick(&cands) else { continue };
                let name = shorten_ident(&format!("{}_evo{n}_key", t.name));
                let u = Unique {
                    name: name.clone(),
                    columns: vec![pk.name.clone(), c.name.clone()],
                    include: Vec::new(),
                    nulls_not_distinct: false,
                    deferrable: Deferrable::No,
                    description: None,
                    loc: Loc::default(),
                };
                s.tables[ti].uniques.push(u);
                s.allow.push(format!("add_unique:{name}"));
                return (format!("add unique {name}"), r);
            }
            15 => {
                // Drop a unique constraint or a check that no foreign key needs.
                let t = &s.tables[ti];
                if let Some(i) = (0..t.checks.len()).next().filter(|_| rng.chance(50)) {
                    let name = s.tables[ti].checks.remove(i).name;
                    return (format!("drop check {name}"), r);
                }
                let cands: Vec<usize> = (0..t.uniques.len())
                    .filter(|&i| {
                        !s.tables.iter().any(|o| {
                            o.foreign_keys.iter().any(|f| {
                                f.ref_table == t.name && f.ref_columns == t.uniques[i].columns
                            })
                        })
                    })
                    .collect();
                let Some(&i) = rng.pick(&cands) else { continue };
                let name = s.tables[ti].uniques.remove(i).name;
                return (format!("drop unique {name}"), r);
            }
            16 => {
                // A check that every row satisfies.
                let t = &s.tables[ti];
                let Some(c) = rng.pick(&t.columns) else {
                    continue;
                };
                let name = shorten_ident(&format!("{}_evo{n}_check", t.name));
                let q = strata::render::sql::ident(&c.name).into_owned();
                let expr = format!("{q} IS NULL OR {q} IS NOT NULL");
                s.tables[ti].checks.push(Check {
                    name: name.clone(),
                    expr,
                    not_valid: false,
                    no_inherit: false,
                    description: None,
                    loc: Loc::default(),
                });
                s.allow.push(format!("add_check:{name}"));
                return (format!("add check {name}"), r);
            }
            17 => {
                // Change a foreign key's action.
                let t = &mut s.tables[ti];
                let Some(f) = t.foreign_keys.first_mut() else {
                    continue;
                };
                f.on_delete = match f.on_delete {
                    FkAction::Cascade => FkAction::Restrict,
                    FkAction::Restrict => FkAction::NoAction,
                    _ => FkAction::Cascade,
                };
                f.on_update = if rng.chance(30) {
                    FkAction::Cascade
                } else {
                    FkAction::NoAction
                };
                return (format!("change actions of {}", f.name), r);
            }
            18 => {
                // Enums: add a value somewhere, rename one, or remove an unused one.
                let Some(ei) = (!s.enums.is_empty()).then(|| rng.below(s.enums.len())) else {
                    let name = format!("evo_e{n}");
                    s.enums.push(Enum {
                        name: name.clone(),
                        rust_name: format!("EvoE{n}"),
                        description: Some("Evolution's enum.".into()),
                        renamed_from: None,
                        values: ["a", "b"]
                            .iter()
                            .map(|v| EnumValue {
                                name: v.to_string(),
                                rust_name: v.to_uppercase(),
                                description: None,
                                renamed_from: None,
                                loc: Loc::default(),
                            })
                            .collect(),
                        loc: Loc::default(),
                    });
                    let mut c = column(&format!("evo_c{n}"), BaseType::Enum(name.clone()), true);
                    c.default = Some(Default::Literal(Literal::String("a".into())));
                    s.tables[ti].columns.push(c);
                    return (format!("create enum {name} and a column"), r);
                };
                let ename = s.enums[ei].name.clone();
                let used_defaults: Vec<String> = s
                    .tables
                    .iter()
                    .flat_map(|t| t.columns.iter())
                    .filter(|c| c.ty.base == BaseType::Enum(ename.clone()))
                    .filter_map(|c| match &c.default {
                        Some(Default::Literal(Literal::String(v))) => Some(v.clone()),
                        _ => None,
                    })
                    .collect();
                let e = &mut s.enums[ei];
                for v in &mut e.values {
                    v.renamed_from = None;
                }
                match rng.below(3) {
                    0 => {
                        let at = rng.below(e.values.len() + 1);
                        e.values.insert(
                            at,
                            EnumValue {
                                name: format!("v{n}"),
                                rust_name: format!("V{n}"),
                                description: None,
                                renamed_from: None,
                                loc: Loc::default(),
                            },
                        );
                        return (format!("add value v{n} to {ename} at {at}"), r);
                    }
                    1 => {
                        let i = rng.below(e.values.len());
                        let old = e.values[i].name.clone();
                        if used_defaults.contains(&old) {
                            continue;
                        }
                        let new = format!("{}_r{n}", &old[..old.len().min(30)]);
                        e.values[i].renamed_from = Some(old.clone());
                        e.values[i].name = new.clone();
                        e.values[i].rust_name = format!("R{n}");
                        r.enum_values
                            .insert((ename.clone(), old.clone()), new.clone());
                        return (format!("rename value {old} of {ename}"), r);
                    }
                    _ => {
                        // Rows hold the first value or a default; any other value is unused.
                        let cands: Vec<usize> = (1..e.values.len())
                            .filter(|&i| !used_defaults.contains(&e.values[i].name))
                            .collect();
                        let Some(&i) = rng.pick(&cands) else { continue };
                        let v = e.values.remove(i).name;
                        s.allow.push(format!("remove_enum_value:{ename}.{v}"));
                        return (format!("remove value {v} of {ename}"), r);
                    }
                }
            }
            19 => {
                // Comments.
                let t = &mut s.tables[ti];
                t.description = if t.description.is_some() && rng.chance(30) {
                    None
                } else {
                    Some(format!(
                        "Described at step {n}: it's 'quoted' -- and ; safe."
                    ))
                };
                if let Some(c) = t.columns.first_mut() {
                    c.description = Some(format!("Column described at step {n}."));
                }
                return (format!("comments on {tname}"), r);
            }
            20 => {
                // Toggle an auto-updated timestamp.
                let t = &mut s.tables[ti];
                let cands: Vec<usize> = (0..t.columns.len())
                    .filter(|&i| {
                        !t.columns[i].ty.array
                            && t.columns[i].ty.base == BaseType::Timestamptz(None)
                    })
                    .collect();
                let Some(&i) = rng.pick(&cands) else { continue };
                t.columns[i].auto_update = !t.columns[i].auto_update;
                return (
                    format!("toggle auto_update on {tname}.{}", t.columns[i].name),
                    r,
                );
            }
            _ => {
                // A foreign key on a new nullable column.
                let Some(target) = rng
                    .pick(&s.tables)
                    .filter(|t| single_pk(t).is_some())
                    .map(|t| (t.name.clone(), single_pk(t).expect("pk").clone()))
                else {
                    continue;
                };
                let name = format!("evo_ref{n}");
                let mut c = column(&name, target.1.ty.base.clone(), true);
                c.ty = target.1.ty.clone();
                let t = &mut s.tables[ti];
                t.columns.push(c);
                t.foreign_keys.push(ForeignKey {
                    name: shorten_ident(&format!("{}_{name}_fkey", t.name)),
                    columns: vec![name.clone()],
                    ref_table: target.0.clone(),
                    ref_columns: vec![target.1.name.clone()],
                    on_delete: FkAction::SetNull,
                    on_delete_columns: Vec::new(),
                    on_update: FkAction::NoAction,
                    match_full: false,
                    deferrable: Deferrable::No,
                    not_valid: false,
                    description: None,
                    loc: Loc::default(),
                });
                return (format!("add foreign key {tname}.{name} → {}", target.0), r);
            }
        }
    }
    ("no change".into(), r)
}

/// A value of a column's type, as an SQL literal, for row `i`.
fn value(c: &Column, i: usize, s: &Schema) -> Option<String> {
    let base = match &c.ty.base {
        BaseType::Uuid => format!("'00000000-0000-4000-8000-{:012}'", i + 1),
        BaseType::Text => format!("'t{i} it''s'"),
        BaseType::Varchar(Some(n)) => format!(
            "'{}'",
            format!("v{i}xx")
                .chars()
                .take(*n as usize)
                .collect::<String>()
        ),
        BaseType::Varchar(None) => format!("'v{i}'"),
        BaseType::Char(n) => format!("'{}'", "c".repeat(*n as usize)),
        BaseType::SmallInt | BaseType::Integer | BaseType::BigInt => format!("{}", i % 5),
        BaseType::Real | BaseType::Double => "0.5".into(),
        BaseType::Numeric(_) => "1.25".into(),
        BaseType::Boolean => i.is_multiple_of(2).to_string(),
        BaseType::Date => "'2025-01-02'".into(),
        BaseType::Time(_) => "'10:30:00'".into(),
        BaseType::Timestamp(_) => "'2025-01-02 10:30:00'".into(),
        BaseType::Timestamptz(_) => "'2025-01-02 10:30:00+00'".into(),
        BaseType::Interval(..) => "'1 day'".into(),
        BaseType::Json | BaseType::Jsonb => format!("'{{\"row\": {i}}}'"),
        BaseType::Bytea => "'\\x00ff'".into(),
        BaseType::Inet => "'10.0.0.1'".into(),
        BaseType::Oid => "42".into(),
        BaseType::Enum(e) => format!("'{}'", s.enum_(e)?.values.first()?.name.replace('\'', "''")),
        // The seeds and their evolutions use none of these.
        BaseType::Bit(_) | BaseType::Varbit(_) | BaseType::Named(_) | BaseType::Domain(_) => {
            return None;
        }
    };
    Some(if c.ty.array {
        format!("ARRAY[{base}]::{}", strata::render::sql::sql_type(&c.ty))
    } else {
        format!("{base}::{}", strata::render::sql::sql_type(&c.ty))
    })
}

/// Inserts up to ROWS rows into every table that has none, parents first; rows a check refuses
/// are skipped (the seeds' checks allow only some values).
async fn fill(client: &tokio_postgres::Client, s: &Schema) {
    let order = strata::render::sql::table_order(s);
    for &i in &order.tables {
        let Some(t) = s.tables.get(i) else { continue };
        let q = strata::render::sql::ident(&t.name);
        let have: i64 = client
            .query_one(&format!("SELECT count(*) FROM {q}"), &[])
            .await
            .expect("count")
            .get(0);
        if have > 0 {
            continue;
        }
        for i in 0..ROWS {
            let mut cols = Vec::new();
            let mut vals = Vec::new();
            for c in &t.columns {
                if c.identity == Some(Identity::Always)
                    || (c.has_database_value()
                        && !t.primary_key.iter().any(|p| p.columns.contains(&c.name)))
                {
                    continue;
                }
                if let Some(f) = t.foreign_keys.iter().find(|f| f.columns.contains(&c.name)) {
                    let Some(target) = s.table(&f.ref_table) else {
                        continue;
                    };
                    let rc =
                        &f.ref_columns[f.columns.iter().position(|x| x == &c.name).unwrap_or(0)];
                    if f.ref_table == t.name && c.nullable {
                        continue;
                    }
                    let sub = format!(
                        "(SELECT {} FROM {} ORDER BY 1 LIMIT 1 OFFSET {})",
                        strata::render::sql::ident(rc),
                        strata::render::sql::ident(&target.name),
                        i % ROWS
                    );
                    cols.push(strata::render::sql::ident(&c.name).into_owned());
                    vals.push(sub);
                    continue;
                }
                // A check listing the allowed values (`sender IN ('user', 'bot')`) gives one.
                let listed = t
                    .checks
                    .iter()
                    .find(|k| {
                        k.expr.contains(c.name.as_str())
                            && k.expr.to_ascii_uppercase().contains(" IN (")
                    })
                    .and_then(|k| k.expr.split('\'').nth(1).map(|v| format!("'{v}'")));
                if let Some(v) = listed.or_else(|| value(c, i, s)) {
                    cols.push(strata::render::sql::ident(&c.name).into_owned());
                    vals.push(v);
                }
            }
            let sql = format!(
                "INSERT INTO {q} ({}) VALUES ({})",
                cols.join(", "),
                vals.join(", ")
            );
            // Each insert is its own statement: a row a check refuses is simply not there.
            if let Err(e) = client.execute(sql.as_str(), &[]).await
                && std::env::var_os("STRATA_EVOLVE_VERBOSE").is_some()
            {
                eprintln!("{sql}: {}", strata_pg::db_error_message(&e));
            }
        }
    }
}

type Rows = BTreeMap<String, Vec<BTreeMap<String, serde_json::Value>>>;

/// Every row of every table as JSON objects, sorted.
async fn rows(client: &tokio_postgres::Client, s: &Schema) -> Rows {
    let mut out = Rows::new();
    for t in &s.tables {
        let q = strata::render::sql::ident(&t.name);
        let got = client
            .query(&format!("SELECT row_to_json(x)::text FROM {q} x"), &[])
            .await
            .expect("select rows");
        let mut list: Vec<BTreeMap<String, serde_json::Value>> = got
            .iter()
            .map(|r| serde_json::from_str(r.get::<_, &str>(0)).expect("json"))
            .collect();
        list.sort_by_key(|r| serde_json::to_string(r).unwrap_or_default());
        out.insert(t.name.clone(), list);
    }
    out
}

/// What the rows before an edit must look like after it: renamed tables, columns and enum
/// values followed; dropped tables and columns removed; columns the edit added ignored.
fn expected(
    before: &Rows,
    after: &Rows,
    r: &Renames,
    old: &Schema,
    new: &Schema,
) -> Result<(), String> {
    for (tname, rows) in before {
        let new_t = r
            .tables
            .get(tname)
            .cloned()
            .unwrap_or_else(|| tname.clone());
        let Some(nt) = new.table(&new_t) else {
            continue;
        };
        let Some(ot) = old.table(tname) else { continue };
        let keep: Vec<(String, String)> = ot
            .columns
            .iter()
            .filter_map(|c| {
                let n = r
                    .columns
                    .get(&(tname.clone(), c.name.clone()))
                    .cloned()
                    .unwrap_or_else(|| c.name.clone());
                (nt.column(&n).is_some() && !r.changed.contains(&(new_t.clone(), n.clone())))
                    .then(|| (c.name.clone(), n))
            })
            .collect();
        let project = |row: &BTreeMap<String, serde_json::Value>, from_old: bool| -> String {
            let m: BTreeMap<String, serde_json::Value> = keep
                .iter()
                .map(|(o, n)| {
                    let mut v = row
                        .get(if from_old { o } else { n })
                        .cloned()
                        .unwrap_or(serde_json::Value::Null);
                    if from_old
                        && let Some(c) = ot.column(o)
                        && let BaseType::Enum(e) = &c.ty.base
                        && let serde_json::Value::String(sv) = &v
                        && let Some(to) = r.enum_values.get(&(e.clone(), sv.clone()))
                    {
                        v = serde_json::Value::String(to.clone());
                    }
                    (n.clone(), v)
                })
                .collect();
            serde_json::to_string(&m).unwrap_or_default()
        };
        let mut want: Vec<String> = rows.iter().map(|row| project(row, true)).collect();
        let mut got: Vec<String> = after
            .get(&new_t)
            .map(|rs| rs.iter().map(|row| project(row, false)).collect())
            .unwrap_or_default();
        want.sort();
        got.sort();
        if want != got {
            return Err(format!(
                "rows of {tname} (now {new_t}) changed:\n  before: {want:?}\n  after:  {got:?}"
            ));
        }
    }
    Ok(())
}

/// Applies every migration file of `dir` that the database has not applied yet, with Strata's
/// runner.
async fn apply(db: &mut TestDb, dir: &std::path::Path) -> Result<(), String> {
    let set = Migrations::from_dir(dir).map_err(|e| e.to_string())?;
    migrate(&mut db.client, &set, &MigrateOptions::default())
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

async fn run_sequence(seed: u64, index: u32) -> Result<(), String> {
    let seeds = strata_server_tests::load_seeds();
    let mut schema = seeds[index as usize % seeds.len()].clone();
    let mut rng = Rng(seed | 1);
    let dir = std::env::temp_dir().join(format!(
        "strata-evolve-{}-{index}-{seed}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let write = |version: u32, name: &str, sql: &str| {
        std::fs::write(dir.join(strata::history::file_name(version, name)), sql)
    };
    write(1, "initial", &strata::render::sql::schema_sql(&schema)).map_err(|e| e.to_string())?;
    let mut db = TestDb::new().await;
    apply(&mut db, &dir).await?;
    fill(&db.client, &schema).await;
    // The data check means something only if the tables hold rows: every seed table must (a
    // check that refused the generated values would show up here).
    let filled = rows(&db.client, &schema).await;
    let empty: Vec<&String> = filled
        .iter()
        .filter(|(_, r)| r.is_empty())
        .map(|(t, _)| t)
        .collect();
    if !empty.is_empty() {
        return Err(format!(
            "seed {}: no rows could be inserted into {empty:?}",
            schema.name
        ));
    }
    let mut version = 1;
    let mut log = vec![format!(
        "seed {} ({} tables)",
        schema.name,
        schema.tables.len()
    )];
    for step in 0..STEPS {
        let before = rows(&db.client, &schema).await;
        let old = schema.clone();
        let mut next = schema.clone();
        for t in &mut next.tables {
            t.renamed_from = None;
            for c in &mut t.columns {
                c.renamed_from = None;
                c.backfill = None;
            }
        }
        for e in &mut next.enums {
            e.renamed_from = None;
        }
        let (what, renames) = edit(&mut next, &mut rng, index as usize * 10 + step);
        log.push(what.clone());
        let options = strata::plan::PlanOptions::default();
        let plan = strata::plan::plan(&old, &next, &options)
            .map_err(|e| format!("{}\nplanning failed: {e}", log.join("\n")))?;
        for m in plan.migrations(&strata::render::header("--", "evolution"), "5s") {
            version += 1;
            write(
                version,
                &format!(
                    "step_{step}_{}",
                    m.suggested_name.chars().take(40).collect::<String>()
                ),
                &m.sql,
            )
            .map_err(|e| e.to_string())?;
        }
        apply(&mut db, &dir).await.map_err(|e| {
            format!(
                "{}\napplying failed: {e}\n{}",
                log.join("\n"),
                plan.review()
            )
        })?;
        let fresh = TestDb::with_sql(&strata::render::sql::schema_sql(&next)).await;
        let migrated = catalog::comparable(
            catalog::read(&db.client, "public")
                .await
                .map_err(|e| e.to_string())?,
        );
        let expected_catalog = catalog::comparable(
            catalog::read(&fresh.client, "public")
                .await
                .map_err(|e| e.to_string())?,
        );
        if migrated != expected_catalog {
            return Err(format!(
                "{}\nthe migrated catalog differs from a fresh apply:\n{}\nplan:\n{}",
                log.join("\n"),
                catalog_diff(&migrated, &expected_catalog),
                plan.review()
            ));
        }
        let after = rows(&db.client, &next).await;
        expected(&before, &after, &renames, &old, &next)
            .map_err(|e| format!("{}\n{e}\nplan:\n{}", log.join("\n"), plan.review()))?;
        schema = next;
        fill(&db.client, &schema).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn catalog_diff(a: &Catalog, b: &Catalog) -> String {
    let (a, b) = (format!("{a:#?}"), format!("{b:#?}"));
    let diff = similar::TextDiff::from_lines(&b, &a);
    let text = diff
        .unified_diff()
        .context_radius(4)
        .header("fresh apply", "migrated")
        .to_string();
    text.lines().take(80).collect::<Vec<_>>().join("\n")
}

proptest! {
    // A fixed seed keeps CI deterministic; STRATA_EVOLVE_SEED=<n> explores other sequences.
    #![proptest_config(ProptestConfig {
        rng_seed: proptest::test_runner::RngSeed::Fixed(
            std::env::var("STRATA_EVOLVE_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20_261_123),
        ), cases: sequences(), failure_persistence: None, max_shrink_iters: 0, ..ProptestConfig::default() })]

    #[test]
    fn evolving_every_seed_keeps_catalog_and_data(seed in any::<u64>()) {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let index = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let result = rt.block_on(run_sequence(seed, index));
        prop_assert!(result.is_ok(), "{}", result.err().unwrap_or_default());
    }
}
