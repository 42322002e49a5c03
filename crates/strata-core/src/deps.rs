//! Dependencies between schema objects: what a definition (a view's query, and in time a
//! function's body, a trigger's `WHEN`, a policy's `USING`) reads, found by walking its
//! PostgreSQL parse tree, and which objects a change touches.
//!
//! An object kind plugs in by implementing [`Dependent`] (its [`ObjectRef`] and what it
//! [`reads`](Dependent::reads)) and being listed by [`dependents`]; the planner then asks
//! [`affected`] which objects a change reaches, directly or through other objects, in an order
//! that re-creates each after what it reads.
//!
//! Columns are resolved against the relations a definition reads: `t.c` through the aliases of
//! its `FROM` lists, a bare `c` to every read relation that has a column `c`, `*` and `t.*` to
//! every column. That over-approximates where a name is ambiguous (the planner then re-creates
//! a view it did not strictly have to), never under-approximates.
//!
//! ```
//! use strata::deps::{ObjectName, query_reads};
//! let d = query_reads("SELECT u.email, lower(name) FROM users u WHERE u.age > 3::int8");
//! assert!(d.relations.contains(&ObjectName::new(None, "users")));
//! assert!(d.functions.contains(&ObjectName::new(None, "lower")));
//! ```

use crate::model::Schema;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A possibly schema-qualified name; `public` is the default schema and kept as `None`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectName {
    pub schema: Option<String>,
    pub name: String,
}

impl ObjectName {
    pub fn new(schema: Option<&str>, name: &str) -> ObjectName {
        ObjectName {
            schema: schema.filter(|s| *s != "public").map(str::to_string),
            name: name.to_string(),
        }
    }
}

impl fmt::Display for ObjectName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

/// The kinds of objects whose definitions read other objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ObjectKind {
    View,
    MaterializedView,
    Function,
    Trigger,
    Policy,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Function => "function",
            ObjectKind::Trigger => "trigger",
            ObjectKind::Policy => "policy",
        }
    }

    /// Whether other definitions read this object as a relation (`FROM v`).
    pub fn is_relation(self) -> bool {
        matches!(self, ObjectKind::View | ObjectKind::MaterializedView)
    }
}

/// One object: its kind and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub name: ObjectName,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind.as_str(), self.name)
    }
}

/// A column a definition names, before it is resolved against the relations it reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ColumnUse {
    /// `c`: any read relation with a column `c`.
    Bare(String),
    /// `t.c`, `t` resolved through the aliases.
    Of(ObjectName, String),
    /// `t.*`, or a bare `*` over each relation of its own `FROM`.
    AllOf(ObjectName),
}

/// What a definition reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dependencies {
    /// Tables and views read (`FROM`, `JOIN`, subqueries), CTE names excluded.
    pub relations: BTreeSet<ObjectName>,
    /// Types named (casts, `::type`), without the ones of `pg_catalog`.
    pub types: BTreeSet<ObjectName>,
    /// Functions called, without the ones of `pg_catalog`.
    pub functions: BTreeSet<ObjectName>,
    /// Whether rows also come from somewhere other than a named relation (a subquery or a
    /// function in `FROM`, a CTE), so a bare column name may be one of theirs.
    pub derived_sources: bool,
    uses: BTreeSet<ColumnUse>,
}

impl Dependencies {
    /// The columns read, as `(relation, column)`: `columns_of` gives a relation's columns in
    /// the schema (`None` for a relation the schema does not hold, whose columns stay unknown).
    pub fn columns(
        &self,
        columns_of: impl Fn(&ObjectName) -> Option<Vec<String>>,
    ) -> BTreeSet<(ObjectName, String)> {
        let mut out = BTreeSet::new();
        let known: BTreeMap<&ObjectName, Vec<String>> = self
            .relations
            .iter()
            .filter_map(|r| columns_of(r).map(|c| (r, c)))
            .collect();
        for u in &self.uses {
            match u {
                ColumnUse::Bare(c) => {
                    for (r, cols) in &known {
                        if cols.contains(c) {
                            out.insert(((*r).clone(), c.clone()));
                        }
                    }
                }
                ColumnUse::Of(r, c) => {
                    if known.contains_key(r) {
                        out.insert((r.clone(), c.clone()));
                    }
                }
                ColumnUse::AllOf(r) => {
                    if let Some(cols) = known.get(r) {
                        out.extend(cols.iter().map(|c| (r.clone(), c.clone())));
                    }
                }
            }
        }
        out
    }

    /// The columns named as `t.c` whose relation the schema holds but that it does not have:
    /// `(relation, column)` pairs for the validator.
    pub fn qualified_columns(&self) -> impl Iterator<Item = (&ObjectName, &str)> {
        self.uses.iter().filter_map(|u| match u {
            ColumnUse::Of(r, c) => Some((r, c.as_str())),
            _ => None,
        })
    }

    /// The bare column names (`c`, not `t.c`) a definition uses.
    pub fn bare_columns(&self) -> impl Iterator<Item = &str> {
        self.uses.iter().filter_map(|u| match u {
            ColumnUse::Bare(c) => Some(c.as_str()),
            _ => None,
        })
    }
}

/// What a query (`SELECT …`, as a view holds) reads. Empty when it does not parse.
pub fn query_reads(sql: &str) -> Dependencies {
    let Ok(parsed) = pg_query::parse(sql, 0) else {
        return Dependencies::default();
    };
    let Ok(tree) = serde_json::to_value(&parsed.protobuf) else {
        return Dependencies::default();
    };
    tree_reads(&tree)
}

/// What an expression reads (a check, a policy's `USING`): parsed as `SELECT <expr>`.
pub fn expression_reads(expr: &str) -> Dependencies {
    query_reads(&format!("SELECT {expr}"))
}

/// What a parse tree (pg_query's protobuf as JSON) reads.
pub fn tree_reads(tree: &Value) -> Dependencies {
    let mut ctes = BTreeSet::new();
    walk(tree, &mut |kind, node| {
        if kind == "CommonTableExpr"
            && let Some(n) = node.get("ctename").and_then(Value::as_str)
        {
            ctes.insert(n.to_string());
        }
    });
    let mut d = Dependencies::default();
    walk(tree, &mut |kind, _| {
        if matches!(kind, "CommonTableExpr" | "RangeSubselect" | "RangeFunction") {
            d.derived_sources = true;
        }
    });
    let mut aliases: BTreeMap<String, ObjectName> = BTreeMap::new();
    walk(tree, &mut |kind, node| {
        if kind != "RangeVar" {
            return;
        }
        let Some(rel) = node.get("relname").and_then(Value::as_str) else {
            return;
        };
        let schema = node
            .get("schemaname")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        if schema.is_none() && ctes.contains(rel) {
            return;
        }
        let name = ObjectName::new(schema, rel);
        let alias = node
            .pointer("/alias/aliasname")
            .and_then(Value::as_str)
            .unwrap_or(rel);
        aliases.insert(alias.to_string(), name.clone());
        d.relations.insert(name);
    });
    walk(tree, &mut |kind, node| match kind {
        "ColumnRef" => {
            let fields: Vec<Option<&str>> = node
                .get("fields")
                .and_then(Value::as_array)
                .map(|f| f.iter().map(field_name).collect())
                .unwrap_or_default();
            let star = |f: &Option<&str>| f.is_none();
            let use_ = match fields.as_slice() {
                // A bare `*` is its own SELECT's: see below.
                [one] if star(one) => None,
                [Some(c)] => Some(ColumnUse::Bare((*c).to_string())),
                [.., Some(t), last] => aliases.get(*t).map(|r| match last {
                    None => ColumnUse::AllOf(r.clone()),
                    Some(c) => ColumnUse::Of(r.clone(), (*c).to_string()),
                }),
                _ => None,
            };
            d.uses.extend(use_);
        }
        "FuncCall" => {
            if let Some(n) = qualified_name(node.get("funcname")) {
                d.functions.insert(n);
            }
        }
        // A cast's type is a `type_name` field, not a node of its own.
        "TypeCast" | "TypeName" => {
            let names = node
                .get("type_name")
                .and_then(|t| t.get("names"))
                .or_else(|| node.get("names"));
            if let Some(n) = qualified_name(names) {
                d.types.insert(n);
            }
        }
        "SelectStmt" => {
            let has_star = node
                .get("target_list")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|t| {
                    t.pointer("/node/ResTarget/val/node/ColumnRef/fields")
                        .and_then(Value::as_array)
                        .is_some_and(|f| f.len() == 1 && field_name(&f[0]).is_none())
                });
            if has_star {
                for (_, r) in from_relations(node, &ctes) {
                    d.uses.insert(ColumnUse::AllOf(r));
                }
            }
        }
        _ => {}
    });
    d
}

/// The relations a `SELECT`'s own `FROM` names (through joins, not into subqueries), with
/// their aliases, in order.
fn from_relations(select: &Value, ctes: &BTreeSet<String>) -> Vec<(String, ObjectName)> {
    fn visit(v: &Value, ctes: &BTreeSet<String>, out: &mut Vec<(String, ObjectName)>) {
        let Some(node) = v.get("node").and_then(Value::as_object) else {
            return;
        };
        if let Some(r) = node.get("RangeVar") {
            let Some(rel) = r.get("relname").and_then(Value::as_str) else {
                return;
            };
            let schema = r
                .get("schemaname")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            if schema.is_none() && ctes.contains(rel) {
                return;
            }
            let alias = r
                .pointer("/alias/aliasname")
                .and_then(Value::as_str)
                .unwrap_or(rel);
            out.push((alias.to_string(), ObjectName::new(schema, rel)));
        } else if let Some(j) = node.get("JoinExpr") {
            for side in ["larg", "rarg"] {
                if let Some(s) = j.get(side) {
                    visit(s, ctes, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    for item in select
        .get("from_clause")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        visit(item, ctes, &mut out);
    }
    out
}

/// The names of the columns a query returns, as PostgreSQL names them (an `AS` name, else the
/// column, function or type name, else `?column?`; `*` expanded through `columns_of`). `None`
/// when the query does not parse or a `*` cannot be expanded.
pub fn query_columns(
    sql: &str,
    columns_of: impl Fn(&ObjectName) -> Option<Vec<String>>,
) -> Option<Vec<String>> {
    Some(
        query_outputs(sql, columns_of)?
            .into_iter()
            .map(|(n, _)| n)
            .collect(),
    )
}

/// Where a column a query returns comes from, as far as the parse tree tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A column of a relation the query reads, returned as it is.
    Column(ObjectName, String),
    /// A cast to the named type (`x::numeric`, `CAST(x AS text)`), the type as written.
    Cast(String),
    /// `count(…)`: a `bigint`.
    Count,
    /// Anything else: an expression whose type only the server knows.
    Unknown,
}

/// [`query_columns`] with the [`Source`] of each column.
pub fn query_outputs(
    sql: &str,
    columns_of: impl Fn(&ObjectName) -> Option<Vec<String>>,
) -> Option<Vec<(String, Source)>> {
    let parsed = pg_query::parse(sql, 0).ok()?;
    let tree = serde_json::to_value(&parsed.protobuf).ok()?;
    let mut select = tree.pointer("/stmts/0/stmt/node/SelectStmt")?;
    while let Some(l) = select.get("larg").filter(|l| !l.is_null()) {
        select = l;
    }
    if let Some(rows) = select.get("values_lists").and_then(Value::as_array)
        && let Some(first) = rows.first()
    {
        let n = first
            .pointer("/node/List/items")
            .and_then(Value::as_array)?
            .len();
        return Some(
            (1..=n)
                .map(|i| (format!("column{i}"), Source::Unknown))
                .collect(),
        );
    }
    let from = from_relations(select, &BTreeSet::new());
    let whole = |r: &ObjectName| -> Option<Vec<(String, Source)>> {
        Some(
            columns_of(r)?
                .into_iter()
                .map(|c| (c.clone(), Source::Column(r.clone(), c)))
                .collect(),
        )
    };
    let mut out = Vec::new();
    for target in select.get("target_list").and_then(Value::as_array)? {
        let res = target.pointer("/node/ResTarget")?;
        let val = res.get("val")?;
        if let Some(fields) = val
            .pointer("/node/ColumnRef/fields")
            .and_then(Value::as_array)
        {
            let names: Vec<Option<&str>> = fields.iter().map(field_name).collect();
            match names.as_slice() {
                [None] => {
                    for (_, r) in &from {
                        out.extend(whole(r)?);
                    }
                    continue;
                }
                [.., Some(t), None] => {
                    let r = &from.iter().find(|(a, _)| a == t)?.1;
                    out.extend(whole(r)?);
                    continue;
                }
                _ => {}
            }
        }
        let name = res
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .or_else(|| figure_name(val))
            .unwrap_or_else(|| "?column?".into());
        out.push((name, source(val, &from, &columns_of)));
    }
    Some(out)
}

fn source(
    v: &Value,
    from: &[(String, ObjectName)],
    columns_of: &impl Fn(&ObjectName) -> Option<Vec<String>>,
) -> Source {
    let Some((kind, n)) = v
        .get("node")
        .and_then(Value::as_object)
        .and_then(|m| m.iter().next())
    else {
        return Source::Unknown;
    };
    match kind.as_str() {
        "ColumnRef" => {
            let names: Vec<Option<&str>> = n
                .get("fields")
                .and_then(Value::as_array)
                .map(|f| f.iter().map(field_name).collect())
                .unwrap_or_default();
            match names.as_slice() {
                [Some(c)] => {
                    let mut having = from.iter().filter(|(_, r)| {
                        columns_of(r).is_some_and(|cols| cols.iter().any(|x| x == c))
                    });
                    match (having.next(), having.next()) {
                        (Some((_, r)), None) => Source::Column(r.clone(), (*c).to_string()),
                        _ => Source::Unknown,
                    }
                }
                [.., Some(t), Some(c)] => match from.iter().find(|(a, _)| a == t) {
                    Some((_, r)) => Source::Column(r.clone(), (*c).to_string()),
                    None => Source::Unknown,
                },
                _ => Source::Unknown,
            }
        }
        "TypeCast" => {
            let names: Vec<&str> = n
                .pointer("/type_name/names")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(field_name).collect())
                .unwrap_or_default();
            let array = n
                .pointer("/type_name/array_bounds")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty());
            match names.last() {
                Some(t) => Source::Cast(format!("{t}{}", if array { "[]" } else { "" })),
                None => Source::Unknown,
            }
        }
        "FuncCall" => {
            let name = n
                .get("funcname")
                .and_then(Value::as_array)
                .and_then(|a| a.last())
                .and_then(field_name);
            if name == Some("count") && n.get("over").is_none_or(Value::is_null) {
                Source::Count
            } else {
                Source::Unknown
            }
        }
        _ => Source::Unknown,
    }
}

/// The columns of a table or view of `schema`, in order (a view's as its query names them).
/// The table a query's relation `r` names: `billing.invoices` is the model's table
/// `billing.invoices`, `invoices` and `public.invoices` the model's `invoices`.
pub fn table_of<'s>(schema: &'s Schema, r: &ObjectName) -> Option<&'s crate::model::Table> {
    match r.schema.as_deref() {
        None | Some("public") => schema.table(&r.name),
        Some(s) => schema.table(&crate::model::qualify(Some(s), &r.name)),
    }
}

pub fn columns_of(schema: &Schema, r: &ObjectName) -> Option<Vec<String>> {
    columns_at(schema, r, 0)
}

fn columns_at(schema: &Schema, r: &ObjectName, depth: usize) -> Option<Vec<String>> {
    if depth > 64 {
        return None;
    }
    if let Some(t) = table_of(schema, r) {
        return Some(t.columns.iter().map(|c| c.name.clone()).collect());
    }
    let v = schema
        .views
        .iter()
        .find(|v| ObjectName::new(v.schema.as_deref(), &v.name) == *r)?;
    query_columns(&v.query, |x| columns_at(schema, x, depth + 1))
}

/// Whether a relation belongs to PostgreSQL's own catalogs (`pg_catalog`, `information_schema`).
pub fn is_system_relation(r: &ObjectName) -> bool {
    match r.schema.as_deref() {
        Some("pg_catalog") | Some("information_schema") => true,
        None => r.name.starts_with("pg_"),
        Some(_) => false,
    }
}

/// The name PostgreSQL gives an unnamed result column (its `FigureColname`, for common cases).
fn figure_name(v: &Value) -> Option<String> {
    let node = v.get("node")?.as_object()?;
    let (kind, n) = node.iter().next()?;
    match kind.as_str() {
        "ColumnRef" => n
            .get("fields")?
            .as_array()?
            .last()
            .and_then(field_name)
            .map(str::to_string),
        "FuncCall" => n
            .get("funcname")?
            .as_array()?
            .last()
            .and_then(field_name)
            .map(str::to_string),
        "TypeCast" => n.get("arg").and_then(figure_name).or_else(|| {
            n.pointer("/type_name/names")?
                .as_array()?
                .last()
                .and_then(field_name)
                .map(str::to_string)
        }),
        "CoalesceExpr" => Some("coalesce".into()),
        "CaseExpr" => Some("case".into()),
        // pg_query's MinMaxOp: 2 is LEAST.
        "MinMaxExpr" => Some(if n.get("op").and_then(Value::as_i64) == Some(2) {
            "least".into()
        } else {
            "greatest".into()
        }),
        // pg_query's SubLinkType: 1 is EXISTS, 7 is ARRAY.
        "SubLink" => match n.get("sub_link_type").and_then(Value::as_i64) {
            Some(1) => Some("exists".into()),
            Some(7) => Some("array".into()),
            _ => None,
        },
        "A_ArrayExpr" | "AArrayExpr" => Some("array".into()),
        "RowExpr" => Some("row".into()),
        _ => None,
    }
}

/// A `String` node's text, `None` for `*` (an `A_Star` node).
fn field_name(v: &Value) -> Option<&str> {
    v.pointer("/node/String/sval").and_then(Value::as_str)
}

/// A name list (`[schema,] name`) as an object name; `None` for a `pg_catalog` name.
fn qualified_name(list: Option<&Value>) -> Option<ObjectName> {
    let parts: Vec<&str> = list?.as_array()?.iter().filter_map(field_name).collect();
    match parts.as_slice() {
        [name] => Some(ObjectName::new(None, name)),
        ["pg_catalog", _] => None,
        [.., schema, name] => Some(ObjectName::new(Some(schema), name)),
        [] => None,
    }
}

/// Calls `f(kind, node)` for every node of the tree (`{"Kind": {…}}` objects).
fn walk(v: &Value, f: &mut impl FnMut(&str, &Value)) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                if child.is_object() && k.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
                    f(k, child);
                }
                walk(child, f);
            }
        }
        Value::Array(a) => a.iter().for_each(|c| walk(c, f)),
        _ => {}
    }
}

/// An object whose definition reads other objects. Implement it for a new kind, and list the
/// schema's objects of that kind in [`dependents`].
pub trait Dependent {
    fn object(&self) -> ObjectRef;
    fn reads(&self) -> Dependencies;
}

impl Dependent for crate::model::View {
    fn object(&self) -> ObjectRef {
        ObjectRef {
            kind: if self.materialized {
                ObjectKind::MaterializedView
            } else {
                ObjectKind::View
            },
            name: ObjectName::new(self.schema.as_deref(), &self.name),
        }
    }

    fn reads(&self) -> Dependencies {
        query_reads(&self.query)
    }
}

/// Every object of the schema that reads others, with what it reads, in an order where each
/// comes after the objects it reads (Kahn's algorithm, ties by kind and name); objects in a
/// cycle (which PostgreSQL refuses anyway) come last.
pub fn dependents(schema: &Schema) -> Vec<(ObjectRef, Dependencies)> {
    let all: Vec<(ObjectRef, Dependencies)> = schema
        .views
        .iter()
        .map(|v| (v.object(), v.reads()))
        .collect();
    order(all)
}

fn reads_object(d: &Dependencies, o: &ObjectRef) -> bool {
    if o.kind.is_relation() {
        d.relations.contains(&o.name)
    } else if o.kind == ObjectKind::Function {
        d.functions.contains(&o.name)
    } else {
        false
    }
}

fn order(all: Vec<(ObjectRef, Dependencies)>) -> Vec<(ObjectRef, Dependencies)> {
    let n = all.len();
    let mut placed = vec![false; n];
    let mut out = Vec::with_capacity(n);
    loop {
        let ready = (0..n).find(|&i| {
            !placed[i] && (0..n).all(|j| placed[j] || j == i || !reads_object(&all[i].1, &all[j].0))
        });
        match ready {
            Some(i) => {
                placed[i] = true;
                out.push(i);
            }
            None => break,
        }
    }
    out.extend((0..n).filter(|&i| !placed[i]));
    let mut slots: Vec<Option<(ObjectRef, Dependencies)>> = all.into_iter().map(Some).collect();
    out.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// What a migration changes under the objects that read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Relations dropped, renamed or re-created.
    pub relations: BTreeSet<ObjectName>,
    /// Columns dropped, renamed or changing type.
    pub columns: BTreeSet<(ObjectName, String)>,
    /// Types dropped or changed.
    pub types: BTreeSet<ObjectName>,
    /// Functions dropped or re-created.
    pub functions: BTreeSet<ObjectName>,
    /// Objects re-created for reasons of their own (a changed definition).
    pub objects: BTreeSet<ObjectRef>,
}

/// An object a change reaches, and through which objects (`chain`, from the changed thing's
/// first reader to this object; empty when it reads the change directly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affected {
    pub object: ObjectRef,
    pub chain: Vec<ObjectRef>,
}

/// The objects of `schema` that `changes` reaches, directly or through other affected objects,
/// in the order they must be re-created (each after what it reads; drop them in reverse).
/// `columns_of` gives a relation's columns in the same schema.
pub fn affected(
    schema: &Schema,
    changes: &Changes,
    columns_of: impl Fn(&ObjectName) -> Option<Vec<String>>,
) -> Vec<Affected> {
    let objects = dependents(schema);
    let mut out: Vec<Affected> = Vec::new();
    for (o, d) in &objects {
        let direct = changes.objects.contains(o)
            || d.relations.iter().any(|r| changes.relations.contains(r))
            || d.types.iter().any(|t| changes.types.contains(t))
            || d.functions.iter().any(|f| changes.functions.contains(f))
            || d.columns(&columns_of)
                .iter()
                .any(|c| changes.columns.contains(c));
        let through = out.iter().find(|a| reads_object(d, &a.object));
        if direct {
            out.push(Affected {
                object: o.clone(),
                chain: Vec::new(),
            });
        } else if let Some(a) = through {
            let mut chain = a.chain.clone();
            chain.push(a.object.clone());
            out.push(Affected {
                object: o.clone(),
                chain,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> ObjectName {
        ObjectName::new(None, s)
    }

    #[test]
    fn relations_columns_functions_and_types_come_from_the_tree() {
        let d = query_reads(
            "WITH recent AS (SELECT * FROM orders WHERE placed_at > now() - '1 day'::interval) \
             SELECT u.id, count(*) AS n, app.score(u.id), 'x'::mood \
             FROM public.users u JOIN recent r ON r.user_id = u.id \
             WHERE NOT EXISTS (SELECT 1 FROM bans b WHERE b.user_id = u.id) GROUP BY u.id",
        );
        assert_eq!(
            d.relations
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>(),
            ["bans", "orders", "users"]
        );
        assert!(d.functions.contains(&n("count")));
        assert!(d.functions.contains(&ObjectName::new(Some("app"), "score")));
        assert!(d.types.contains(&n("mood")));
        assert!(!d.types.iter().any(|t| t.name == "interval"), "{d:?}");
        let cols = d.columns(|r| match r.name.as_str() {
            "users" => Some(vec!["id".into(), "email".into()]),
            "orders" => Some(vec!["id".into(), "user_id".into(), "placed_at".into()]),
            "bans" => Some(vec!["user_id".into()]),
            _ => None,
        });
        assert!(cols.contains(&(n("users"), "id".into())));
        assert!(!cols.contains(&(n("users"), "email".into())));
        // `SELECT *` in the CTE reads every column of orders.
        assert!(cols.contains(&(n("orders"), "placed_at".into())));
        assert!(cols.contains(&(n("bans"), "user_id".into())));
    }

    #[test]
    fn output_columns_are_named_as_postgresql_names_them() {
        let cols = |sql: &str| {
            query_columns(sql, |r| {
                (r.name == "users").then(|| vec!["id".to_string(), "email".to_string()])
            })
        };
        assert_eq!(
            cols("SELECT u.id, lower(email), email::text AS e, 1, count(*) FROM users u").unwrap(),
            ["id", "lower", "e", "?column?", "count"]
        );
        assert_eq!(cols("SELECT * FROM users").unwrap(), ["id", "email"]);
        assert_eq!(
            cols("SELECT x.*, 2 AS two FROM users x").unwrap(),
            ["id", "email", "two"]
        );
        assert_eq!(cols("VALUES (1, 2)").unwrap(), ["column1", "column2"]);
        assert_eq!(cols("SELECT id FROM users UNION SELECT 1").unwrap(), ["id"]);
        assert!(cols("SELECT * FROM other").is_none());
    }

    #[test]
    fn strings_are_not_reads() {
        let d = query_reads("SELECT 'FROM users' AS t, lower('now()')");
        assert!(d.relations.is_empty());
        assert_eq!(d.functions.len(), 1);
    }
}
