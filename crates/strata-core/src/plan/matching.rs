//! Pairing the objects of two schemas: by name, or through `renamed_from` hints (never by
//! guessing). A hint in the old schema that points at a name in the new one is followed too, so
//! that reverting a rename renames back instead of dropping and recreating.

use super::PlanError;
use crate::model::{BaseType, Column, Enum, Schema, Table, View};
use std::collections::{BTreeMap, BTreeSet};

/// How the old schema's objects correspond to the new one's.
#[derive(Debug)]
pub struct Matched<'a> {
    /// The two schemas themselves.
    pub old: &'a Schema,
    pub new: &'a Schema,
    pub tables: Vec<TablePair<'a>>,
    /// Old table name → new table name, for every surviving table.
    pub renamed_tables: BTreeMap<&'a str, &'a str>,
    pub created_tables: Vec<&'a Table>,
    pub dropped_tables: Vec<&'a Table>,
    pub enums: Vec<EnumPair<'a>>,
    pub created_enums: Vec<&'a Enum>,
    pub dropped_enums: Vec<&'a Enum>,
    /// Views: (old, new) pairs, created and dropped.
    pub views: Paired<'a, View>,
    /// Functions dropped and created again (lower-case names): see
    /// `plan::diff::routines::recreated`.
    pub recreated_functions: BTreeSet<String>,
    /// Domains whose underlying type changes (by name, in both schemas): re-created under
    /// their name, every column of them converted (see `plan::diff::domains`).
    pub retyped_domains: BTreeSet<String>,
}

impl Matched<'_> {
    /// Whether a kept column's values change type: its declared type, or the underlying type
    /// of the domain it is of.
    pub fn retyped(&self, old: &Column, new: &Column) -> bool {
        old.ty != new.ty || self.of_retyped_domain(new)
    }

    /// Whether a column is of a domain whose underlying type changes.
    pub fn of_retyped_domain(&self, c: &Column) -> bool {
        matches!(&c.ty.base, BaseType::Domain(d) if self.retyped_domains.contains(d))
    }
}

#[derive(Debug)]
pub struct TablePair<'a> {
    pub old: &'a Table,
    pub new: &'a Table,
    pub columns: Vec<(&'a Column, &'a Column)>,
    pub added: Vec<&'a Column>,
    pub dropped: Vec<&'a Column>,
}

#[derive(Debug)]
pub struct EnumPair<'a> {
    pub old: &'a Enum,
    pub new: &'a Enum,
    /// Old value name → new value name, for values that survive (renamed or not).
    pub values: Vec<(String, String)>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl<'a> Matched<'a> {
    /// The new name of an old table, if it survives.
    pub fn new_table_name(&self, old: &str) -> Option<&'a str> {
        self.renamed_tables.get(old).copied()
    }
}

/// Pairs items by name, then by forward hints (new.renamed_from = old.name), then by reverse
/// hints (old.renamed_from = new.name). Returns pairs, unmatched new, unmatched old.
/// Pairs (old, new), created (new only), dropped (old only).
pub type Paired<'a, T> = (Vec<(&'a T, &'a T)>, Vec<&'a T>, Vec<&'a T>);

fn pair<'a, T>(
    old: &'a [T],
    new: &'a [T],
    name: impl Fn(&T) -> &str,
    hint: impl Fn(&T) -> Option<&str>,
    what: impl Fn(&T) -> String,
    first_migration: bool,
) -> Result<Paired<'a, T>, PlanError> {
    // Indexes by name and by hint keep this linear-logarithmic in the number of objects.
    let by_name: BTreeMap<&str, usize> =
        old.iter().enumerate().map(|(i, o)| (name(o), i)).collect();
    let by_hint: BTreeMap<&str, usize> = old
        .iter()
        .enumerate()
        .filter_map(|(i, o)| hint(o).map(|h| (h, i)))
        .collect();
    let mut taken = vec![false; old.len()];
    let mut pairs = Vec::new();
    let mut new_left = Vec::new();
    for n in new {
        match by_name.get(name(n)) {
            Some(&i) if !taken[i] => {
                taken[i] = true;
                pairs.push((&old[i], n));
            }
            _ => new_left.push(n),
        }
    }
    let mut still_new = Vec::new();
    for n in new_left {
        if let Some(h) = hint(n) {
            match by_name.get(h) {
                Some(&i) if !taken[i] => {
                    taken[i] = true;
                    pairs.push((&old[i], n));
                    continue;
                }
                Some(_) => {}
                None if !first_migration => {
                    return Err(PlanError::RenameHint {
                        what: what(n),
                        hint: h.to_string(),
                        help: "fix the name in the hint, or remove it if this is a new object"
                            .into(),
                    });
                }
                None => {}
            }
        }
        still_new.push(n);
    }
    let mut created = Vec::new();
    for n in still_new {
        match by_hint.get(name(n)) {
            Some(&i) if !taken[i] => {
                taken[i] = true;
                pairs.push((&old[i], n));
            }
            _ => created.push(n),
        }
    }
    let dropped = old
        .iter()
        .zip(&taken)
        .filter(|(_, t)| !**t)
        .map(|(o, _)| o)
        .collect();
    Ok((pairs, created, dropped))
}

pub fn match_schemas<'a>(old: &'a Schema, new: &'a Schema) -> Result<Matched<'a>, PlanError> {
    let first = old.tables.is_empty() && old.enums.is_empty();
    let (table_pairs, created_tables, dropped_tables) = pair(
        &old.tables,
        &new.tables,
        |t| t.name.as_str(),
        |t| t.renamed_from.as_deref(),
        |t| format!("table `{}`", t.name),
        first,
    )?;
    let mut tables = Vec::new();
    for (o, n) in table_pairs {
        let (columns, added, dropped) = pair(
            &o.columns,
            &n.columns,
            |c| c.name.as_str(),
            |c| c.renamed_from.as_deref(),
            |c| format!("column `{}.{}`", n.name, c.name),
            false,
        )?;
        tables.push(TablePair {
            old: o,
            new: n,
            columns,
            added,
            dropped,
        });
    }
    for t in &created_tables {
        if !first && let Some(c) = t.columns.iter().find(|c| c.renamed_from.is_some()) {
            return Err(PlanError::RenameHint {
                what: format!("column `{}.{}` of a new table", t.name, c.name),
                hint: c.renamed_from.clone().unwrap_or_default(),
                help: "a new table has no previous columns; remove the hint".into(),
            });
        }
    }
    let (enum_pairs, created_enums, dropped_enums) = pair(
        &old.enums,
        &new.enums,
        |e| e.name.as_str(),
        |e| e.renamed_from.as_deref(),
        |e| format!("enum `{}`", e.name),
        first,
    )?;
    let mut enums = Vec::new();
    for (o, n) in enum_pairs {
        let (values, added, removed) = pair(
            &o.values,
            &n.values,
            |v| v.name.as_str(),
            |v| v.renamed_from.as_deref(),
            |v| format!("value `{}` of enum `{}`", v.name, n.name),
            false,
        )?;
        enums.push(EnumPair {
            old: o,
            new: n,
            values: values
                .into_iter()
                .map(|(a, b)| (a.name.clone(), b.name.clone()))
                .collect(),
            added: added.into_iter().map(|v| v.name.clone()).collect(),
            removed: removed.into_iter().map(|v| v.name.clone()).collect(),
        });
    }
    let renamed_tables = tables
        .iter()
        .map(|p| (p.old.name.as_str(), p.new.name.as_str()))
        .collect();
    let views = pair(
        &old.views,
        &new.views,
        |v| v.name.as_str(),
        |v| v.renamed_from.as_deref(),
        |v| format!("{} `{}`", v.kind(), v.name),
        first && old.views.is_empty(),
    )?;
    let recreated_functions = super::diff::routines::recreated(old, new);
    super::diff::routines::refuse_blocked(old, &recreated_functions)?;
    super::diff::routines::check_hints(old, new, first)?;
    let retyped_domains = new
        .domains
        .iter()
        .filter(|d| old.domain(&d.name).is_some_and(|o| o.ty != d.ty))
        .map(|d| d.name.clone())
        .collect();
    Ok(Matched {
        old,
        new,
        retyped_domains,
        recreated_functions,
        views,
        tables,
        renamed_tables,
        created_tables,
        dropped_tables,
        enums,
        created_enums,
        dropped_enums,
    })
}
