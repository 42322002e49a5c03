//! The relationships between tables, read from the foreign keys: one-to-one where the
//! referencing columns are unique, one-to-many otherwise, and many-to-many through link
//! tables.

use crate::model::{ForeignKey, IndexTarget, Schema, Table};

/// How many rows of the referencing table one referenced row can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cardinality {
    /// The referencing columns are unique: at most one row refers to each referenced row.
    OneToOne,
    /// Any number of rows refer to each referenced row.
    OneToMany,
}

/// A foreign key seen as a relationship.
#[derive(Debug, Clone, Copy)]
pub struct Edge<'a> {
    /// The referencing table.
    pub child: &'a Table,
    pub fk: &'a ForeignKey,
    pub cardinality: Cardinality,
    /// A referencing column is nullable: a row may refer to nothing.
    pub optional: bool,
    /// The referencing columns are part of the child's primary key (an identifying
    /// relationship, drawn with a solid line).
    pub identifying: bool,
}

/// A link table: a table whose primary key or a unique key is made of exactly the columns of
/// two of its foreign keys, so each of its rows links one row of each referenced table.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    pub table: &'a Table,
    pub first: &'a ForeignKey,
    pub second: &'a ForeignKey,
    /// The pair is the link table's primary key.
    pub by_primary_key: bool,
}

/// Every relationship of a schema, in declaration order.
#[derive(Debug, Clone)]
pub struct Relations<'a> {
    pub edges: Vec<Edge<'a>>,
    pub links: Vec<Link<'a>>,
}

impl<'a> Relations<'a> {
    pub fn of(schema: &'a Schema) -> Self {
        let mut edges = Vec::new();
        let mut links = Vec::new();
        for table in &schema.tables {
            for fk in &table.foreign_keys {
                let unique = unique_keys(table)
                    .iter()
                    .any(|key| same_set(key, &fk.columns));
                let pk = table
                    .primary_key
                    .as_ref()
                    .map(|p| p.columns.as_slice())
                    .unwrap_or(&[]);
                edges.push(Edge {
                    child: table,
                    fk,
                    cardinality: if unique {
                        Cardinality::OneToOne
                    } else {
                        Cardinality::OneToMany
                    },
                    optional: fk
                        .columns
                        .iter()
                        .any(|c| table.column(c).is_some_and(|c| c.nullable)),
                    identifying: fk.columns.iter().all(|c| pk.contains(c)),
                });
            }
            if let Some(link) = link_of(table) {
                links.push(link);
            }
        }
        Relations { edges, links }
    }

    /// The link that `table` is, if it is one.
    pub fn link(&self, table: &str) -> Option<&Link<'a>> {
        self.links.iter().find(|l| l.table.name == table)
    }

    /// The link that `table` is when it is nothing more: no table references it and it has no
    /// foreign key besides its pair. A diagram draws such a table as one many-to-many line; a
    /// link table that is more keeps its own box and its two lines.
    pub fn pure_link(&self, table: &str) -> Option<&Link<'a>> {
        self.link(table).filter(|link| {
            let referenced = self.edges.iter().any(|e| e.fk.ref_table == link.table.name);
            !referenced && link.table.foreign_keys.len() == 2
        })
    }

    /// The relationships that point at `table`.
    pub fn incoming(&self, table: &str) -> impl Iterator<Item = &Edge<'a>> {
        self.edges.iter().filter(move |e| e.fk.ref_table == table)
    }
}

/// The column sets that are unique in `table`: its primary key, its unique constraints, and its
/// unique indexes on plain columns without a predicate.
pub fn unique_keys(table: &Table) -> Vec<Vec<String>> {
    let mut keys: Vec<Vec<String>> = Vec::new();
    if let Some(pk) = &table.primary_key {
        keys.push(pk.columns.clone());
    }
    keys.extend(table.uniques.iter().map(|u| u.columns.clone()));
    for index in table
        .indexes
        .iter()
        .filter(|i| i.unique && i.predicate.is_none())
    {
        let columns: Option<Vec<String>> = index
            .keys
            .iter()
            .map(|k| match &k.target {
                IndexTarget::Column(c) => Some(c.clone()),
                IndexTarget::Expr(_) => None,
            })
            .collect();
        keys.extend(columns);
    }
    keys
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x)) && b.iter().all(|x| a.contains(x))
}

fn link_of(table: &Table) -> Option<Link<'_>> {
    let pk = table.primary_key.as_ref().map(|p| p.columns.clone());
    let keys = unique_keys(table);
    for key in &keys {
        for (i, first) in table.foreign_keys.iter().enumerate() {
            for second in &table.foreign_keys[i + 1..] {
                let disjoint = !first.columns.iter().any(|c| second.columns.contains(c));
                let pair: Vec<String> = first
                    .columns
                    .iter()
                    .chain(&second.columns)
                    .cloned()
                    .collect();
                if disjoint && same_set(key, &pair) {
                    return Some(Link {
                        table,
                        first,
                        second,
                        by_primary_key: pk.as_ref() == Some(key),
                    });
                }
            }
        }
    }
    None
}

/// The referenced columns of a foreign key: as written, or the referenced table's primary key.
pub fn target_columns(schema: &Schema, fk: &ForeignKey) -> Vec<String> {
    if !fk.ref_columns.is_empty() {
        return fk.ref_columns.clone();
    }
    schema
        .table(&fk.ref_table)
        .and_then(|t| t.primary_key.as_ref())
        .map(|pk| pk.columns.clone())
        .unwrap_or_default()
}
