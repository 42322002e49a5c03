//! Catalog rows → the model the loader produces, plus the list of what the model cannot say.

use std::collections::BTreeMap;

use strata::Loc;
use strata::compare::{automatic_fk_indexes, expr};
use strata::load::type_ident;
use strata::model::{
    BaseType, Column, ColumnType, Default, Enum, EnumValue, FkAction, Identity, Index, IndexMethod,
    IndexTarget, Schema, Table, rust_field_ident, shorten_ident, singular,
};
use strata::render::sql::{TOUCH_FUNCTION, TOUCH_TRIGGER};

use super::catalog::{Catalog, ColumnRow, ConstraintRow, IndexRow, TriggerRow};
use super::{IgnoredObject, ObjectKind};

mod constraints;
mod domains;
mod exclusions;
mod keys;
mod partitions;
mod routines;
mod views;

/// The exclusion constraint of a single-row table, as `pg_get_constraintdef` prints it.
const SINGLE_ROW_DEFINITION: &str = "EXCLUDE USING btree ((true) WITH =)";

pub(crate) fn build(cat: Catalog, schema_name: &str, name: String) -> (Schema, Vec<IgnoredObject>) {
    let mut b = Builder {
        schema: schema_name.to_string(),
        other_schemas: cat.other_schemas.iter().map(|(n, _)| n.clone()).collect(),
        ignored: Vec::new(),
        triggers: Vec::new(),
    };
    let enums = b.enums(&cat);
    let domains = b.domains(&cat, &enums);
    let mut tables = b.tables(&cat, &enums, &domains);
    distinct_rust_names(&mut tables, &enums);
    let (sequences, identity_sequences) = b.sequences(&cat);
    attach_identity_options(&mut tables, &identity_sequences);
    let functions = b.functions(&cat);
    b.leftovers(&cat);
    let triggers = std::mem::take(&mut b.triggers);
    let views = b.views(&cat);
    let mut schema = Schema {
        name,
        description: None,
        extensions: cat.extensions.clone(),
        derives: Vec::new(),
        allow: Vec::new(),
        pg_schemas: cat
            .other_schemas
            .iter()
            .map(|(name, comment)| strata::model::PgSchema {
                name: name.clone(),
                description: comment.clone(),
                loc: Loc::default(),
            })
            .collect(),
        groups: Vec::new(),
        enums,
        json_types: Vec::new(),
        sequences,
        domains,
        tables,
        functions,
        triggers,
        views,
        roles: Vec::new(),
        grants: Vec::new(),
    };
    views::fill_view_types(&mut schema, &cat);
    super::security::apply(&mut schema, &cat.security);
    (schema, b.ignored)
}

struct Builder {
    schema: String,
    /// The other schemas read, whose objects are named `schema.name`.
    other_schemas: Vec<String>,
    ignored: Vec<IgnoredObject>,
    /// The triggers of the tables read so far, but Strata's own.
    triggers: Vec<strata::model::Trigger>,
}

impl Builder {
    /// The sequences of the schema but those behind identity columns, with the options that
    /// differ from PostgreSQL's defaults and the column that owns each.
    /// Returns the free-standing and owned sequences, then those of identity columns.
    fn sequences(
        &mut self,
        cat: &Catalog,
    ) -> (Vec<strata::model::Sequence>, Vec<strata::model::Sequence>) {
        let mut out = Vec::new();
        let mut identity = Vec::new();
        for row in &cat.sequences {
            let Some(rel) = cat
                .relations
                .iter()
                .find(|r| r.kind == "S" && r.name == row.name)
            else {
                continue;
            };
            let ty = match row.ty.as_str() {
                "smallint" => BaseType::SmallInt,
                "integer" => BaseType::Integer,
                _ => BaseType::BigInt,
            };
            let type_max = match ty {
                BaseType::SmallInt => i64::from(i16::MAX),
                BaseType::Integer => i64::from(i32::MAX),
                _ => i64::MAX,
            };
            let type_min = match ty {
                BaseType::SmallInt => i64::from(i16::MIN),
                BaseType::Integer => i64::from(i32::MIN),
                _ => i64::MIN,
            };
            let ascending = row.increment > 0;
            let (default_min, default_max) = if ascending {
                (1, type_max)
            } else {
                (type_min, -1)
            };
            let default_start = if ascending { row.min } else { row.max };
            let list = if rel.identity_owned {
                &mut identity
            } else {
                &mut out
            };
            list.push(strata::model::Sequence {
                name: row.name.clone(),
                ty,
                start: (row.start != default_start).then_some(row.start),
                increment: (row.increment != 1).then_some(row.increment),
                min: (row.min != default_min).then_some(row.min),
                max: (row.max != default_max).then_some(row.max),
                cache: (row.cache != 1).then_some(row.cache),
                cycle: row.cycle,
                // The owning table is in the sequence's schema.
                owned_by: rel
                    .owned_by
                    .as_deref()
                    .and_then(|o| o.split_once('.'))
                    .map(|(t, c)| {
                        (
                            strata::model::qualify(strata::model::split_qualified(&row.name).0, t),
                            c.to_string(),
                        )
                    }),
                description: rel.comment.clone(),
                loc: Loc::default(),
            });
        }
        (out, identity)
    }

    fn ignore(&mut self, kind: ObjectKind, name: impl Into<String>, reason: impl Into<String>) {
        self.ignored.push(IgnoredObject {
            kind,
            name: name.into(),
            reason: reason.into(),
        });
    }

    fn enums(&mut self, cat: &Catalog) -> Vec<Enum> {
        let mut out = Vec::new();
        for t in &cat.types {
            match t.kind.as_str() {
                "e" => {
                    let (description, value_descriptions) =
                        parse_enum_comment(t.comment.as_deref(), &t.labels);
                    out.push(Enum {
                        name: t.name.clone(),
                        rust_name: type_ident(&t.name, "E"),
                        description,
                        renamed_from: None,
                        values: t
                            .labels
                            .iter()
                            .zip(value_descriptions)
                            .map(|(l, d)| EnumValue {
                                name: l.clone(),
                                rust_name: type_ident(l, "V"),
                                description: d,
                                renamed_from: None,
                                loc: Loc::default(),
                            })
                            .collect(),
                        loc: Loc::default(),
                    });
                }
                // Read by `domains`.
                "d" => {}
                "r" => self.ignore(
                    ObjectKind::Type,
                    &t.name,
                    "a range type; the schema language has none",
                ),
                _ => self.ignore(
                    ObjectKind::Type,
                    &t.name,
                    "a composite type; the schema language has none",
                ),
            }
        }
        out
    }

    fn tables(
        &mut self,
        cat: &Catalog,
        enums: &[Enum],
        domains: &[strata::model::Domain],
    ) -> Vec<Table> {
        let mut columns: BTreeMap<u32, Vec<&ColumnRow>> = BTreeMap::new();
        for c in &cat.columns {
            columns.entry(c.table).or_default().push(c);
        }
        let mut constraints: BTreeMap<u32, Vec<&ConstraintRow>> = BTreeMap::new();
        for c in &cat.constraints {
            constraints.entry(c.table).or_default().push(c);
        }
        let mut indexes: BTreeMap<u32, Vec<&IndexRow>> = BTreeMap::new();
        for i in &cat.indexes {
            indexes.entry(i.table).or_default().push(i);
        }
        let mut keys: BTreeMap<u32, Vec<&super::catalog::IndexKeyRow>> = BTreeMap::new();
        for k in &cat.index_keys {
            keys.entry(k.index).or_default().push(k);
        }
        let mut triggers: BTreeMap<u32, Vec<&TriggerRow>> = BTreeMap::new();
        for t in &cat.triggers {
            triggers.entry(t.table).or_default().push(t);
        }

        let mut out = Vec::new();
        for rel in &cat.relations {
            let reason = match rel.kind.as_str() {
                // The migration runner's history is reported by `drift` on its own.
                "r" if rel.name == crate::migrate::HISTORY_TABLE => continue,
                // Read as part of their parent (`Builder::partitions`).
                "r" | "p" if rel.is_partition => continue,
                "r" if rel.inherits.is_some() => {
                    Some((ObjectKind::Table, "inherits from another table"))
                }
                "r" | "p" => None,
                // Views are modelled (`views:`, see `Builder::views`).
                "v" | "m" => continue,
                "f" => Some((ObjectKind::ForeignTable, "a foreign table")),
                // Sequences are modelled (`sequences:`, see `Builder::sequences`).
                _ => continue,
            };
            if let Some((kind, why)) = reason {
                let why = match (&rel.inherits, kind) {
                    (Some(parent), ObjectKind::Table) => format!("{why} ({parent})"),
                    _ => why.to_string(),
                };
                self.ignore(kind, &rel.name, why);
                continue;
            }
            let mut with = Vec::new();
            for o in &rel.options {
                match o.split_once('=') {
                    Some((k, v)) => with.push((k.to_string(), v.to_string())),
                    None => self.ignore(
                        ObjectKind::Table,
                        &rel.name,
                        format!("has the storage parameter {o} without a value"),
                    ),
                }
            }
            with.sort();
            let partition_by = if rel.kind == "p" {
                match partitions::key(rel) {
                    Ok(by) => Some(by),
                    Err(why) => {
                        self.ignore(ObjectKind::PartitionedTable, &rel.name, why);
                        continue;
                    }
                }
            } else {
                None
            };
            let mut table = Table {
                name: rel.name.clone(),
                rust_name: type_ident(&singular(&rel.name.replace('.', "_")), "T"),
                description: rel.comment.clone(),
                renamed_from: None,
                group: None,
                columns: Vec::new(),
                primary_key: None,
                uniques: Vec::new(),
                checks: Vec::new(),
                foreign_keys: Vec::new(),
                indexes: Vec::new(),
                exclusions: Vec::new(),
                single_row: None,
                unlogged: rel.unlogged,
                with,
                row_level_security: None,
                policies: Vec::new(),
                partition_by,
                partitions: Vec::new(),
                loc: Loc::default(),
            };
            for c in columns.get(&rel.oid).map(Vec::as_slice).unwrap_or_default() {
                if let Some(col) = self.column(&rel.name, c, enums, domains) {
                    table.columns.push(col);
                }
            }
            for c in constraints
                .get(&rel.oid)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                // The copies of a foreign key that references a partitioned table, one per
                // partition, are PostgreSQL's own.
                if c.inherited && c.kind == "f" {
                    continue;
                }
                self.constraint(&mut table, c, &keys);
            }
            for i in indexes.get(&rel.oid).map(Vec::as_slice).unwrap_or_default() {
                let k = keys.get(&i.oid).map(Vec::as_slice).unwrap_or_default();
                let index = self.index(&table.name, &|c| table.column(c).is_some(), i, k);
                if let Some(index) = index {
                    table.indexes.push(index);
                }
            }
            mark_fk_indexes(&mut table);
            for t in triggers
                .get(&rel.oid)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                self.trigger(&mut table, t);
            }
            if rel.kind == "p" {
                let rows = partitions::ByTable {
                    columns: &columns,
                    constraints: &constraints,
                    indexes: &indexes,
                    triggers: &triggers,
                };
                table.partitions = self.partitions(cat, rel.oid, &rows);
            }
            out.push(table);
        }
        self.orphan_partitions(cat, &out);
        out
    }

    fn column(
        &mut self,
        table: &str,
        c: &ColumnRow,
        enums: &[Enum],
        domains: &[strata::model::Domain],
    ) -> Option<Column> {
        let object = format!("{table}.{}", c.name);
        let array = c.type_text.ends_with("[]");
        let ty = match (&c.enum_name, &c.domain_name) {
            (Some(e), _) if enums.iter().any(|x| &x.name == e) => ColumnType {
                base: BaseType::Enum(e.clone()),
                array,
            },
            (_, Some(d)) if domains.iter().any(|x| &x.name == d) => ColumnType {
                base: BaseType::Domain(d.clone()),
                array,
            },
            _ if c.user_type => {
                self.ignore(
                    ObjectKind::Column,
                    object,
                    format!(
                        "its type {} is not one the schema language has",
                        c.type_text
                    ),
                );
                return None;
            }
            _ => match ColumnType::parse(&c.type_text, |_| false) {
                Ok(ty) => ty,
                Err(_) => {
                    self.ignore(
                        ObjectKind::Column,
                        object,
                        format!(
                            "its type {} is not one the schema language has",
                            c.type_text
                        ),
                    );
                    return None;
                }
            },
        };
        let identity = match c.identity.as_str() {
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            _ => None,
        };
        // A generated column's expression is kept where a default would be.
        let generated = (c.generated == "s")
            .then(|| c.default.as_deref().map(expr::tidy))
            .flatten();
        let default =
            c.default.as_deref().filter(|_| generated.is_none()).map(
                |d| match expr::literal_default(d, &ty) {
                    Some(lit) => Default::Literal(lit),
                    None => Default::Sql(expr::tidy(d)),
                },
            );
        Some(Column {
            name: c.name.clone(),
            rust_name: rust_field_ident(&c.name),
            ty,
            nullable: !c.not_null,
            default,
            identity,
            identity_options: None,
            backfill: None,
            generated,
            using: None,
            auto_update: false,
            soft_delete: false,
            json: None,
            collation: c.collation.clone(),
            description: c.comment.clone(),
            renamed_from: None,
            mixin: None,
            loc: Loc::default(),
        })
    }

    fn trigger(&mut self, table: &mut Table, t: &TriggerRow) {
        // tgtype bits: 1 row, 2 before, 4 insert, 8 delete, 16 update, 32 truncate, 64 instead.
        let strata_form = t.name == TOUCH_TRIGGER
            && t.function == TOUCH_FUNCTION
            && t.function_schema == self.schema
            && t.tgtype == (1 | 2 | 16)
            && t.enabled == "O"
            && !t.has_when
            && !t.has_columns
            && !t.constraint_trigger
            && !t.arguments.is_empty();
        let timestamps = t.arguments.iter().all(|a| {
            table.column(a).is_some_and(|c| {
                !c.ty.array
                    && matches!(
                        c.ty.base,
                        BaseType::Timestamp(_) | BaseType::Timestamptz(_) | BaseType::Date
                    )
            })
        });
        if strata_form && timestamps {
            for c in &mut table.columns {
                if t.arguments.contains(&c.name) {
                    c.auto_update = true;
                }
            }
        } else if strata_form || t.name == TOUCH_TRIGGER {
            self.ignore(
                ObjectKind::Trigger,
                format!("{} on {}", t.name, table.name),
                "is named like Strata's auto_update trigger (strata_touch_columns) but is not of its form",
            );
        } else {
            match self.user_trigger(table, t) {
                Ok(tr) => self.triggers.push(tr),
                Err(why) => self.ignore(
                    ObjectKind::Trigger,
                    format!("{} on {}", t.name, table.name),
                    why,
                ),
            }
        }
    }

    fn leftovers(&mut self, cat: &Catalog) {
        if cat.public_unread {
            self.ignore(
                ObjectKind::Schema,
                "public",
                format!(
                    "the schema {} is read as the default one, and public is not read then",
                    self.schema
                ),
            );
        }
        // Views, functions, triggers and rules are read in the default schema only.
        for (kind, name) in &cat.unread {
            let kind = match kind.as_str() {
                "view" => ObjectKind::View,
                "materialized view" => ObjectKind::MaterializedView,
                "function" => ObjectKind::Function,
                "trigger" => ObjectKind::Trigger,
                _ => ObjectKind::Rule,
            };
            self.ignore(
                kind,
                name,
                format!(
                    "only tables, enums, domains and sequences are read outside the schema {}",
                    self.schema
                ),
            );
        }
        for (table, rule) in &cat.rules {
            self.ignore(
                ObjectKind::Rule,
                format!("{rule} on {table}"),
                "a rewrite rule",
            );
        }
        for s in &cat.statistics {
            self.ignore(ObjectKind::Statistics, s, "an extended statistics object");
        }
    }
}

/// The options of each identity column's sequence that differ from PostgreSQL's defaults.
fn attach_identity_options(tables: &mut [Table], sequences: &[strata::model::Sequence]) {
    for q in sequences {
        let Some((t, c)) = &q.owned_by else { continue };
        let Some(col) = tables
            .iter_mut()
            .find(|x| &x.name == t)
            .and_then(|x| x.columns.iter_mut().find(|y| &y.name == c))
        else {
            continue;
        };
        let o = strata::model::IdentityOptions {
            start: q.start,
            increment: q.increment,
            min: q.min,
            max: q.max,
            cache: q.cache,
            cycle: q.cycle,
        };
        if o != strata::model::IdentityOptions::default() {
            col.identity_options = Some(o);
        }
    }
}

/// Tables (and the columns of a table) whose names differ only in case (`"Users"` and
/// `users`) derive the same Rust name; the later ones get a numbered one (`User2`), which the
/// import's YAML writes as `rust_name:`.
fn distinct_rust_names(tables: &mut [Table], enums: &[Enum]) {
    let mut taken: std::collections::BTreeSet<String> =
        enums.iter().map(|e| e.rust_name.clone()).collect();
    for t in tables.iter_mut() {
        let base = t.rust_name.clone();
        let mut n = 1;
        while taken.contains(&t.rust_name) || taken.contains(&format!("New{}", t.rust_name)) {
            n += 1;
            t.rust_name = format!("{base}{n}");
        }
        taken.insert(t.rust_name.clone());
        taken.insert(format!("New{}", t.rust_name));
        let mut fields = std::collections::BTreeSet::new();
        for c in &mut t.columns {
            let base = c.rust_name.clone();
            let mut n = 1;
            while fields.contains(&c.rust_name) {
                n += 1;
                c.rust_name = format!("{base}_{n}");
            }
            fields.insert(c.rust_name.clone());
        }
    }
}

fn action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// Marks the indexes that are exactly the ones the loader creates for foreign keys, so that an
/// import leaves them out and a comparison knows them. An index is one when it has the name the
/// loader gives it, is a plain ascending btree index on the foreign key's columns without a
/// comment, and the loader would create it (no key or other index already leads with them).
fn mark_fk_indexes(table: &mut Table) {
    let candidate = |t: &Table, i: &Index| {
        !i.unique
            && i.method == IndexMethod::Btree
            && i.predicate.is_none()
            && i.description.is_none()
            && t.foreign_keys.iter().any(|fk| {
                i.name
                    == shorten_ident(&format!(
                        "{}_{}_idx",
                        strata::model::local_name(&t.name),
                        fk.columns.join("_")
                    ))
                    && i.keys.len() == fk.columns.len()
                    && i.keys
                        .iter()
                        .zip(&fk.columns)
                        .all(|(k, c)| !k.desc && k.target == IndexTarget::Column(c.clone()))
            })
    };
    let flags: Vec<bool> = table.indexes.iter().map(|i| candidate(table, i)).collect();
    for (i, f) in table.indexes.iter_mut().zip(flags) {
        i.for_foreign_key = f;
    }
    // Unmarking one candidate can make it cover another foreign key: repeat until stable.
    for _ in 0..table.indexes.len() + 1 {
        let expected = automatic_fk_indexes(table);
        let mut changed = false;
        for i in table.indexes.iter_mut().filter(|i| i.for_foreign_key) {
            if !expected
                .iter()
                .any(|e| e.name == i.name && e.keys == i.keys)
            {
                i.for_foreign_key = false;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Splits the comment [`strata::render::sql::enum_comment`] writes: the enum's description, then
/// after a blank line one `value: description` line per described value. A comment that does
/// not end in such lines is all description.
fn parse_enum_comment(
    comment: Option<&str>,
    labels: &[String],
) -> (Option<String>, Vec<Option<String>>) {
    let mut values: Vec<Option<String>> = vec![None; labels.len()];
    let Some(comment) = comment else {
        return (None, values);
    };
    let value_lines = |text: &str| -> Option<Vec<(usize, String)>> {
        let mut out: Vec<(usize, String)> = Vec::new();
        for line in text.lines() {
            let (i, d) = labels.iter().enumerate().find_map(|(i, l)| {
                line.strip_prefix(l.as_str())
                    .and_then(|rest| rest.strip_prefix(": "))
                    .map(|d| (i, d.to_string()))
            })?;
            if out.iter().any(|(j, _)| *j == i) {
                return None;
            }
            out.push((i, d));
        }
        (!out.is_empty()).then_some(out)
    };
    let (description, lines) = match comment.rsplit_once("\n\n") {
        Some((head, tail)) => match value_lines(tail) {
            Some(lines) => (Some(head.to_string()), Some(lines)),
            None => (Some(comment.to_string()), None),
        },
        None => match value_lines(comment) {
            Some(lines) => (None, Some(lines)),
            None => (Some(comment.to_string()), None),
        },
    };
    for (i, d) in lines.unwrap_or_default() {
        values[i] = Some(d);
    }
    (description, values)
}

#[cfg(test)]
mod tests {
    use super::parse_enum_comment;

    #[test]
    fn enum_comments_split_like_they_were_joined() {
        let labels: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            parse_enum_comment(None, &labels),
            (None, vec![None, None, None])
        );
        assert_eq!(
            parse_enum_comment(Some("Just text."), &labels),
            (Some("Just text.".into()), vec![None, None, None])
        );
        assert_eq!(
            parse_enum_comment(Some("Desc.\n\na: first\nc: third"), &labels),
            (
                Some("Desc.".into()),
                vec![Some("first".into()), None, Some("third".into())]
            )
        );
        assert_eq!(
            parse_enum_comment(Some("b: second"), &labels),
            (None, vec![None, Some("second".into()), None])
        );
        assert_eq!(
            parse_enum_comment(Some("Para 1.\n\nPara 2."), &labels),
            (Some("Para 1.\n\nPara 2.".into()), vec![None, None, None])
        );
    }
}
