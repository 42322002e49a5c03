//! Keys, constraints, indexes and relationships of a table, said in words.

use super::Page;
use super::markdown::{code, text};
use super::relations::{Cardinality, target_columns};
use crate::model::{Column, FkAction, ForeignKey, Index, IndexMethod, IndexTarget, Table};

/// The "Key / reference" cell of a column: PK, unique, and where its foreign keys point.
pub(super) fn key_cell(page: &Page<'_>, t: &Table, c: &Column) -> String {
    let mut parts = Vec::new();
    if t.primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&c.name))
    {
        parts.push("PK".to_string());
    }
    let single = std::slice::from_ref(&c.name);
    let unique = t.uniques.iter().any(|u| u.columns == single)
        || t.indexes.iter().any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.keys.len() == 1
                && i.keys[0].target == IndexTarget::Column(c.name.clone())
        });
    if unique {
        parts.push("unique".to_string());
    }
    for fk in t
        .foreign_keys
        .iter()
        .filter(|fk| fk.columns.contains(&c.name))
    {
        let targets = target_columns(page.schema, fk);
        let target = if fk.columns.len() == 1 {
            let column = targets.first().map(String::as_str).unwrap_or("?");
            format!("{}.{}", page.table_link(&fk.ref_table), code(column))
        } else {
            let list: Vec<String> = targets.iter().map(|c| code(c)).collect();
            format!("{} ({})", page.table_link(&fk.ref_table), list.join(", "))
        };
        let mut part = format!("→ {target} ON DELETE {}", fk.on_delete.sql());
        if fk.on_update != FkAction::NoAction {
            part.push_str(&format!(", ON UPDATE {}", fk.on_update.sql()));
        }
        parts.push(part);
    }
    parts.join("<br>")
}

/// The table's keys, constraints, indexes and column behaviours, one sentence each.
pub(super) fn constraints(page: &Page<'_>, t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(pk) = &t.primary_key {
        out.push(format!(
            "primary key on {} — {}",
            columns(&pk.columns),
            code(&pk.name)
        ));
    }
    for u in &t.uniques {
        let nulls = if u.nulls_not_distinct {
            ", NULLs not distinct"
        } else {
            ""
        };
        out.push(format!(
            "unique on {}{nulls} — {}",
            columns(&u.columns),
            code(&u.name)
        ));
    }
    for fk in &t.foreign_keys {
        out.push(foreign_key(page, fk));
    }
    for c in &t.checks {
        out.push(format!("check {} — {}", code(&c.expr), code(&c.name)));
    }
    for i in &t.indexes {
        out.push(index(i));
    }
    for x in &t.exclusions {
        let clause = crate::render::sql::exclusion_clause(x);
        let body = clause
            .find(" EXCLUDE ")
            .map_or(clause.as_str(), |i| &clause[i + 1..]);
        out.push(format!("exclusion {} — {}", code(body), code(&x.name)));
    }
    if let Some(name) = &t.single_row {
        out.push(format!(
            "single row: the table holds at most one row — {}",
            code(name)
        ));
    }
    if let Some(c) = t.soft_delete_column() {
        out.push(format!(
            "soft-delete flag: {} (a deleted row stays, with the flag set)",
            code(&c.name)
        ));
    }
    let auto: Vec<String> = t.auto_update_columns().map(|c| code(&c.name)).collect();
    if !auto.is_empty() {
        out.push(format!(
            "kept current on UPDATE: {} (set to `now()` by the database)",
            auto.join(", ")
        ));
    }
    out
}

fn columns(names: &[String]) -> String {
    let list: Vec<String> = names.iter().map(|n| code(n)).collect();
    format!("({})", list.join(", "))
}

/// One column as code, several as a list in parentheses.
fn column_or_columns(names: &[String]) -> String {
    match names {
        [one] => code(one),
        many => columns(many),
    }
}

fn foreign_key(page: &Page<'_>, fk: &ForeignKey) -> String {
    let target = page.table_link(&fk.ref_table);
    let on_delete = match fk.on_delete {
        FkAction::Cascade => format!("cascades from {target}"),
        FkAction::SetNull => format!("set to NULL when the referenced {target} row is deleted"),
        FkAction::SetDefault => {
            format!("set to its default when the referenced {target} row is deleted")
        }
        FkAction::Restrict => format!("a referenced {target} row cannot be deleted"),
        FkAction::NoAction => {
            format!("a referenced {target} row cannot be deleted while referenced")
        }
    };
    let to = target_columns(page.schema, fk);
    let mut line = match (fk.columns.as_slice(), to.as_slice()) {
        ([from], [to]) => format!("{} → {target}.{}", code(from), code(to)),
        (from, to) => format!("{} → {target} {}", columns(from), columns(to)),
    };
    line.push_str(&format!(": {on_delete} (ON DELETE {}", fk.on_delete.sql()));
    if fk.on_update != FkAction::NoAction {
        line.push_str(&format!(", ON UPDATE {}", fk.on_update.sql()));
    }
    line.push_str(&format!(") — {}", code(&fk.name)));
    line
}

fn index(i: &Index) -> String {
    let keys: Vec<String> = i
        .keys
        .iter()
        .map(|k| {
            let target = match &k.target {
                IndexTarget::Column(c) | IndexTarget::Expr(c) => code(c),
            };
            if k.desc {
                format!("{target} DESC")
            } else {
                target
            }
        })
        .collect();
    let kind = match (i.unique, i.method) {
        (false, IndexMethod::Btree) => "index".to_string(),
        (true, IndexMethod::Btree) => "unique index".to_string(),
        (false, m) => format!("{} index", m.sql().to_uppercase()),
        (true, m) => format!("unique {} index", m.sql().to_uppercase()),
    };
    let mut line = format!("{kind} on ({})", keys.join(", "));
    if let Some(p) = &i.predicate {
        line.push_str(&format!(", partial: WHERE {}", code(p)));
    }
    if i.for_foreign_key {
        line.push_str(", for the foreign key");
    }
    line.push_str(&format!(" — {}", code(&i.name)));
    if let Some(d) = &i.description {
        line.push_str(&format!(": {}", text(d)));
    }
    line
}

/// How the table relates to others: what it links, what it belongs to, what belongs to it.
pub(super) fn relationships(page: &Page<'_>, t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    let rel = &page.relations;
    if let Some(link) = rel.link(&t.name) {
        out.push(format!(
            "many-to-many link between {} and {}",
            page.table_link(&link.first.ref_table),
            page.table_link(&link.second.ref_table)
        ));
    }
    for edge in rel.edges.iter().filter(|e| std::ptr::eq(e.child, t)) {
        let kind = match (edge.cardinality, edge.optional) {
            (Cardinality::OneToOne, false) => "one-to-one",
            (Cardinality::OneToOne, true) => "one-to-one, optional",
            (Cardinality::OneToMany, false) => "many-to-one",
            (Cardinality::OneToMany, true) => "many-to-one, optional",
        };
        out.push(format!(
            "belongs to {} through {} ({kind})",
            page.table_link(&edge.fk.ref_table),
            column_or_columns(&edge.fk.columns)
        ));
    }
    for edge in rel.incoming(&t.name) {
        let child = &edge.child.name;
        if let Some(link) = rel
            .link(child)
            .filter(|l| std::ptr::eq(l.first, edge.fk) || std::ptr::eq(l.second, edge.fk))
        {
            let other = if std::ptr::eq(link.first, edge.fk) {
                &link.second.ref_table
            } else {
                &link.first.ref_table
            };
            out.push(format!(
                "many-to-many with {} through {}",
                page.table_link(other),
                page.table_link(child)
            ));
            continue;
        }
        let through = column_or_columns(&edge.fk.columns);
        out.push(match edge.cardinality {
            Cardinality::OneToOne => format!(
                "has at most one {} through its {through} (one-to-one)",
                page.table_link(child)
            ),
            Cardinality::OneToMany => format!(
                "has many {} through their {through} (one-to-many)",
                page.table_link(child)
            ),
        });
    }
    out
}
