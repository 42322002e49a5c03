//! Mermaid `erDiagram` text for a schema, safe for any table or column name.
//!
//! Mermaid's ER grammar reads entity names, attribute types and attribute names as bare words
//! and has keywords (`one`, `to`, `end`, `class`, `PK`, …), so nothing user-written is copied
//! into the diagram unchecked:
//! - an entity whose name is a plain word and no keyword is written as itself; any other gets a
//!   plain id and its real name as a quoted alias (`User_Accounts["User Accounts"]`);
//! - attribute types and names are reduced to words (`varchar(255)` → `varchar_255`,
//!   `text[]` → `text_array`); when a column's name changed that way, the real name is the
//!   attribute's comment;
//! - quoted text (aliases, comments, relationship labels) has `"`, `#`, `%` and `\` written as
//!   Mermaid entity codes (`#quot;`), no line breaks, and never the words that Mermaid reads as
//!   a `direction` statement anywhere on a line.

use super::relations::{Cardinality, Edge, Link, Relations};
use crate::model::{Column, Schema, Table};
use std::collections::{BTreeMap, BTreeSet};

/// Which part of the schema a diagram shows.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'s> {
    /// Every table with its columns.
    All,
    /// Every table without columns: the relationships only (large schemas).
    Overview,
    /// The tables of one group with their columns, and the tables of other groups they are
    /// related to, without columns.
    Group(&'s str),
}

/// Words Mermaid's ER lexer reads as keywords (compared case-insensitively).
const KEYWORDS: &[&str] = &[
    "erdiagram",
    "style",
    "classdef",
    "class",
    "subgraph",
    "end",
    "one",
    "many",
    "only",
    "zero",
    "to",
    "optionally",
    "u",
    "o",
    "title",
    "acctitle",
    "accdescr",
    "direction",
    "pk",
    "fk",
    "uk",
    "md_parent",
];

/// The Mermaid id of every table: its name when that is a safe word, otherwise a word made from
/// it, unique in the schema.
pub fn entity_ids(schema: &Schema) -> BTreeMap<String, String> {
    let mut ids = BTreeMap::new();
    let mut taken = BTreeSet::new();
    // Names that are safe as they are keep them, whatever their order.
    for t in &schema.tables {
        if is_safe_word(&t.name) {
            taken.insert(t.name.to_lowercase());
            ids.insert(t.name.clone(), t.name.clone());
        }
    }
    for t in &schema.tables {
        if ids.contains_key(&t.name) {
            continue;
        }
        let base = format!("t_{}", word(&t.name));
        let mut id = base.clone();
        let mut n = 2;
        while taken.contains(&id.to_lowercase()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        taken.insert(id.to_lowercase());
        ids.insert(t.name.clone(), id);
    }
    ids
}

/// A diagram of `scope`, as the body of a ```` ```mermaid ```` block (no fence).
///
/// A pure link table (see [`Relations::pure_link`]) is drawn as one many-to-many line between
/// the tables it links, labelled with its name; every other foreign key is one line from the
/// referenced table to the referencing one.
pub fn diagram(
    schema: &Schema,
    relations: &Relations<'_>,
    ids: &BTreeMap<String, String>,
    scope: Scope<'_>,
) -> String {
    let in_scope = |name: &str| match scope {
        Scope::All | Scope::Overview => true,
        Scope::Group(g) => schema
            .table(name)
            .is_some_and(|t| t.group.as_deref() == Some(g)),
    };
    let with_columns = !matches!(scope, Scope::Overview);

    // The relationship lines of the scope, and the tables they touch.
    let mut lines = Vec::new();
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    for table in &schema.tables {
        if let Some(link) = relations.pure_link(&table.name) {
            if in_scope(&table.name)
                || in_scope(&link.first.ref_table)
                || in_scope(&link.second.ref_table)
            {
                lines.push(link_line(link, ids));
                touched.insert(&link.first.ref_table);
                touched.insert(&link.second.ref_table);
            }
            continue;
        }
        for edge in relations
            .edges
            .iter()
            .filter(|e| std::ptr::eq(e.child, table))
        {
            if in_scope(&table.name) || in_scope(&edge.fk.ref_table) {
                lines.push(edge_line(edge, ids));
                touched.insert(&edge.child.name);
                touched.insert(&edge.fk.ref_table);
            }
        }
    }

    let mut out = String::from("erDiagram\n");
    for table in &schema.tables {
        let own = in_scope(&table.name);
        let drawn = relations.pure_link(&table.name).is_none()
            && (own || touched.contains(table.name.as_str()));
        if !drawn {
            continue;
        }
        let head = entity_head(table, ids);
        if own && with_columns {
            out.push_str(&format!("    {head} {{\n"));
            for column in &table.columns {
                out.push_str(&format!("        {}\n", attribute(table, column)));
            }
            out.push_str("    }\n");
        } else {
            out.push_str(&format!("    {head}\n"));
        }
    }
    // Views are their own kind of entity, drawn with the whole schema (not per group).
    let (view_entities, view_lines) = match scope {
        Scope::All | Scope::Overview => super::views::diagram_views(schema, ids, with_columns),
        Scope::Group(_) => (Vec::new(), Vec::new()),
    };
    for e in view_entities {
        out.push_str(&e);
    }
    for line in lines {
        out.push_str(&format!("    {line}\n"));
    }
    for line in view_lines {
        out.push_str(&line);
    }
    out
}

fn entity_head(table: &Table, ids: &BTreeMap<String, String>) -> String {
    let id = id_of(ids, &table.name);
    if id == table.name {
        id
    } else {
        format!("{id}[\"{}\"]", quoted(&table.name))
    }
}

fn id_of(ids: &BTreeMap<String, String>, table: &str) -> String {
    ids.get(table)
        .cloned()
        .unwrap_or_else(|| format!("t_{}", word(table)))
}

/// One attribute line: `type name keys "comment"`.
fn attribute(table: &Table, column: &Column) -> String {
    let ty = type_word(column);
    let name = attribute_name(&column.name);
    let mut keys = Vec::new();
    if table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&column.name))
    {
        keys.push("PK");
    }
    if table
        .foreign_keys
        .iter()
        .any(|fk| fk.columns.contains(&column.name))
    {
        keys.push("FK");
    }
    let single_unique = table
        .uniques
        .iter()
        .any(|u| u.columns == [column.name.clone()])
        || table.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.keys.len() == 1
                && i.keys[0].target == crate::model::IndexTarget::Column(column.name.clone())
        });
    if single_unique && !keys.contains(&"PK") {
        keys.push("UK");
    }
    let mut line = format!("{ty} {name}");
    if !keys.is_empty() {
        line.push(' ');
        line.push_str(&keys.join(", "));
    }
    // A partitioned table's key columns say so, with how many partitions the table has.
    let partition_key = table
        .partition_by
        .as_ref()
        .filter(|by| by.columns.contains(&column.name));
    if name != column.name {
        line.push_str(&format!(" \"{}\"", quoted(&column.name)));
    } else if let Some(by) = partition_key {
        let n = table.all_partitions().len();
        line.push_str(&format!(
            " \"{}\"",
            quoted(&format!(
                "partition key ({}, {n} partition{})",
                by.strategy.key(),
                if n == 1 { "" } else { "s" }
            ))
        ));
    }
    line
}

/// The column's type as a Mermaid word: `varchar(255)` → `varchar_255`, `text[]` →
/// `text_array`, `double precision` → `double_precision`.
pub fn type_word(column: &Column) -> String {
    let base = word(&column.ty.base.to_string());
    let base =
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) || is_keyword(&base) {
            format!("t_{base}")
        } else {
            base
        };
    if column.ty.array {
        format!("{base}_array")
    } else {
        base
    }
}

/// A column name as a Mermaid attribute name.
pub fn attribute_name(name: &str) -> String {
    let w = word(name);
    if w.is_empty() || w.starts_with(|c: char| c.is_ascii_digit()) || is_keyword(&w) {
        format!("c_{w}")
    } else {
        w
    }
}

fn edge_line(edge: &Edge<'_>, ids: &BTreeMap<String, String>) -> String {
    let parent = id_of(ids, &edge.fk.ref_table);
    let child = id_of(ids, &edge.child.name);
    let parent_end = if edge.optional { "|o" } else { "||" };
    let child_end = match edge.cardinality {
        Cardinality::OneToOne => "o|",
        Cardinality::OneToMany => "o{",
    };
    let line = if edge.identifying { "--" } else { ".." };
    format!(
        "{parent} {parent_end}{line}{child_end} {child} : \"{}\"",
        quoted(&edge.fk.columns.join(", "))
    )
}

fn link_line(link: &Link<'_>, ids: &BTreeMap<String, String>) -> String {
    let a = id_of(ids, &link.first.ref_table);
    let b = id_of(ids, &link.second.ref_table);
    let line = if link.by_primary_key { "--" } else { ".." };
    format!("{a} }}o{line}o{{ {b} : \"{}\"", quoted(&link.table.name))
}

/// Text for inside a Mermaid quoted string.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '%' => out.push_str("#37;"),
            '\\' => out.push_str("#92;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    break_direction(&out)
}

/// Mermaid reads any line containing `direction` + space + `TB`/`BT`/`LR`/`RL` as a direction
/// statement, even inside quotes; the space is written as an entity code there.
fn break_direction(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(found) = lower[i..].find("direction") {
        let after = i + found + "direction".len();
        out.push_str(&s[i..after]);
        let rest = &lower[after..];
        let spaces = rest.len() - rest.trim_start().len();
        let next: String = rest.trim_start().chars().take(2).collect();
        if spaces > 0 && matches!(next.as_str(), "tb" | "bt" | "lr" | "rl") {
            out.push_str(&"#32;".repeat(spaces));
            i = after + spaces;
        } else {
            i = after;
        }
    }
    out.push_str(&s[i..]);
    out
}

/// `s` reduced to `[A-Za-z0-9_]`: every other run of characters becomes one `_`, with no `_`
/// at the ends.
fn word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

fn is_keyword(w: &str) -> bool {
    KEYWORDS.contains(&w.to_ascii_lowercase().as_str())
}

fn is_safe_word(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_keyword(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_mermaid_safe() {
        assert_eq!(word("varchar(255)"), "varchar_255");
        assert_eq!(word("numeric(10,3)"), "numeric_10_3");
        assert_eq!(word("double precision"), "double_precision");
        assert_eq!(word("Mood 'q' \"dq\""), "Mood_q_dq");
        assert_eq!(attribute_name("semi;colon --dash"), "semi_colon_dash");
        assert_eq!(attribute_name("$$"), "c_");
        assert_eq!(attribute_name("pk"), "c_pk");
        assert_eq!(attribute_name("2fa"), "c_2fa");
    }

    #[test]
    fn quoted_text_cannot_end_the_string_or_turn_the_diagram() {
        assert_eq!(quoted("it's \"q\""), "it's #quot;q#quot;");
        assert_eq!(quoted("50% #1 \\"), "50#37; #35;1 #92;");
        assert_eq!(quoted("a\nb"), "a b");
        assert_eq!(
            quoted("set Direction  LR now"),
            "set Direction#32;#32;LR now"
        );
        assert_eq!(quoted("direction"), "direction");
        assert_eq!(quoted("directions lr"), "directions lr");
    }
}
