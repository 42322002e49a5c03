//! Test data made from the schema model: the JSON of a `New…` value or of a changed row, with
//! values of each column's type, parents' keys in foreign-key columns, and every value unique.
//!
//! The JSON is turned into the generated structs by their serde implementations, so a wrong
//! serde name or type fails the test too.

use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use strata::model::{BaseType, Column, Identity, JsonTy, Schema, Table};

/// The rows stored so far, per table (their JSON as read back).
pub type Rows = BTreeMap<String, Vec<Map<String, Value>>>;

/// Which `New…` value to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Columns the database can fill are left out (`None`), nullable ones are NULL.
    Defaults,
    /// Every column the insert struct has gets a value (nullable ones too).
    Full,
}

/// Makes values; each call uses a new number, so values are unique across rows and tables.
pub struct Data<'s> {
    schema: &'s Schema,
    counter: u64,
    allowed: BTreeMap<(String, String), Vec<Value>>,
    given: Vec<(String, String)>,
}

impl<'s> Data<'s> {
    pub fn new(schema: &'s Schema) -> Self {
        Data {
            schema,
            counter: 0,
            allowed: BTreeMap::new(),
            given: Vec::new(),
        }
    }

    /// The values a column accepts, for a check constraint the generic values would break
    /// (`sender IN ('user', 'bot')`).
    pub fn allow(mut self, table: &str, column: &str, values: Vec<Value>) -> Self {
        self.allowed.insert((table.into(), column.into()), values);
        self
    }

    /// Gives the column a value in the defaults row too: for a default JSON cannot carry
    /// (`NaN`), since rows travel through the test as JSON.
    pub fn always_give(mut self, table: &str, column: &str) -> Self {
        self.given.push((table.into(), column.into()));
        self
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// The JSON of a `New…` value for `table`, the next row of it.
    pub fn new_row(&mut self, table: &Table, shape: Shape, rows: &Rows) -> Map<String, Value> {
        let mut out = Map::new();
        let index = rows.get(&table.name).map_or(0, Vec::len);
        for c in &table.columns {
            if c.identity == Some(Identity::Always) {
                continue;
            }
            let value = if let Some(parent) = self.foreign_value(table, c, index, rows) {
                if shape == Shape::Defaults && c.nullable {
                    Value::Null
                } else {
                    parent
                }
            } else if shape == Shape::Defaults
                && c.has_database_value()
                && !self
                    .given
                    .iter()
                    .any(|(t, col)| *t == table.name && *col == c.name)
            {
                continue;
            } else if shape == Shape::Defaults && c.nullable {
                Value::Null
            } else {
                self.value(table, c, None)
            };
            out.insert(c.name.clone(), value);
        }
        out
    }

    /// `row` with a new value in every column an UPDATE writes that is not a foreign key:
    /// NULL for a nullable column that has a value, a value for one that is NULL.
    pub fn changed_row(&mut self, table: &Table, row: &Map<String, Value>) -> Map<String, Value> {
        let mut out = row.clone();
        let key = table.primary_key_columns();
        for c in &table.columns {
            let fk = table
                .foreign_keys
                .iter()
                .any(|f| f.columns.contains(&c.name));
            if fk
                || c.auto_update
                || c.identity == Some(Identity::Always)
                || key.iter().any(|k| k.name == c.name)
            {
                continue;
            }
            let old = row.get(&c.name).cloned().unwrap_or(Value::Null);
            let new = if c.nullable && !old.is_null() {
                Value::Null
            } else {
                self.value(table, c, Some(&old))
            };
            out.insert(c.name.clone(), new);
        }
        out
    }

    /// The value of a foreign-key column: the referenced column of the parent row with this
    /// row's index (or the last parent), or NULL when the parent has no row yet (a
    /// self-reference's first row, a cycle).
    fn foreign_value(&self, table: &Table, c: &Column, index: usize, rows: &Rows) -> Option<Value> {
        let fk = table
            .foreign_keys
            .iter()
            .find(|f| f.columns.contains(&c.name))?;
        let position = fk.columns.iter().position(|x| *x == c.name)?;
        let parents = rows
            .get(&fk.ref_table)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let value = match parents.get(index.min(parents.len().saturating_sub(1))) {
            Some(parent) => parent
                .get(&fk.ref_columns[position])
                .cloned()
                .unwrap_or(Value::Null),
            None => Value::Null,
        };
        assert!(
            !value.is_null() || c.nullable,
            "{}.{} references {} which has no row yet, and is NOT NULL",
            table.name,
            c.name,
            fk.ref_table
        );
        Some(value)
    }

    /// A value of the column's type, different from `old` where the type allows.
    fn value(&mut self, table: &Table, c: &Column, old: Option<&Value>) -> Value {
        let n = self.next();
        if let Some(allowed) = self.allowed.get(&(table.name.clone(), c.name.clone())) {
            let start = n as usize % allowed.len();
            return (0..allowed.len())
                .map(|i| allowed[(start + i) % allowed.len()].clone())
                .find(|v| Some(v) != old)
                .unwrap_or_else(|| allowed[start].clone());
        }
        let checked = table.checks.iter().any(|k| mentions(&k.expr, &c.name));
        if c.ty.array {
            return json!([
                self.scalar(c, n, checked, None),
                self.scalar(c, n + 1_000_000, checked, None)
            ]);
        }
        self.scalar(c, n, checked, old)
    }

    fn scalar(&self, c: &Column, n: u64, checked: bool, old: Option<&Value>) -> Value {
        let text = format!("v{n} it's \"q\" -- ; $$ é 日本 🦀");
        match &c.ty.base {
            BaseType::Uuid => json!(format!("00000000-0000-4000-8000-{n:012x}")),
            BaseType::Text | BaseType::Varchar(None) => json!(text),
            BaseType::Varchar(Some(len)) => {
                json!(text.chars().take(*len as usize).collect::<String>())
            }
            BaseType::Char(len) => {
                let len = *len as usize;
                let s: String = text.chars().take(len).collect();
                json!(format!("{s:<len$}"))
            }
            // A column its table's checks mention gets a small number (they bound it).
            BaseType::SmallInt | BaseType::Integer if checked => json!(1 + n % 5),
            BaseType::SmallInt => json!(n % 30_000),
            BaseType::Integer => json!(n),
            BaseType::BigInt => json!(5_000_000_000 + n),
            BaseType::Real | BaseType::Double => json!(0.25 + (n % 6) as f64 * 0.25),
            BaseType::Numeric(scale) => {
                let s = scale.map_or(2, |(_, s)| s as usize);
                if s == 0 {
                    json!(format!("{}", 1 + n % 7))
                } else {
                    json!(format!("{}.{}", 1 + n % 7, "5".repeat(s)))
                }
            }
            BaseType::Boolean => match old.and_then(Value::as_bool) {
                Some(b) => json!(!b),
                None => json!(n.is_multiple_of(2)),
            },
            BaseType::Date => json!(format!("2024-02-{:02}", 1 + n % 28)),
            BaseType::Time(_) => json!(format!("10:{:02}:30.25", n % 60)),
            BaseType::Timestamp(_) => json!(format!("2024-01-02T03:{:02}:05.123456", n % 60)),
            BaseType::Timestamptz(_) => json!(format!("2024-01-02T03:{:02}:05.123456Z", n % 60)),
            BaseType::Interval(..) => {
                json!({ "months": 1 + n % 3, "days": 2, "microseconds": 3_000_000 + n })
            }
            BaseType::Json | BaseType::Jsonb => match &c.json {
                Some(ty) => self.json_value(ty, n, 0),
                None => json!({ "k": format!("v{n}"), "list": [1, "it's", null, true], "n": n }),
            },
            BaseType::Bytea => json!([0, 1, 2, 255, n % 256]),
            BaseType::Oid => json!(4_000_000_000u32 - (n as u32 % 1000)),
            BaseType::Inet => {
                if n.is_multiple_of(2) {
                    json!(format!("192.0.2.{}", n % 250))
                } else {
                    json!(format!("2001:db8::{:x}", n % 0x1_0000))
                }
            }
            BaseType::Enum(name) => {
                let labels: Vec<&str> = self
                    .schema
                    .enum_(name)
                    .map(|e| e.values.iter().map(|v| v.name.as_str()).collect())
                    .unwrap_or_default();
                let start = n as usize % labels.len().max(1);
                let pick = (0..labels.len())
                    .map(|i| labels[(start + i) % labels.len()])
                    .find(|l| old.and_then(Value::as_str) != Some(l))
                    .unwrap_or_default();
                json!(pick)
            }
            // Text-form types: a value the server reads back as written.
            BaseType::Bit(len) => json!("1".repeat(*len as usize)),
            BaseType::Varbit(_) => json!(format!("{:b}", 1 + n % 7)),
            BaseType::Named(name) => match name.as_str() {
                "int4range" | "int8range" => json!(format!("[{},{})", n, n + 3)),
                "tsvector" => json!(format!("'v{n}'")),
                _ => json!(text),
            },
            BaseType::Domain(d) => match self.schema.domain(d) {
                Some(dom) => {
                    let mut under = c.clone();
                    under.ty = dom.ty.clone();
                    self.scalar(&under, n, checked, old)
                }
                None => json!(null),
            },
        }
    }

    /// A value of a JSON type: optional fields present on even numbers, and an undeclared key
    /// in structures that keep them.
    fn json_value(&self, ty: &JsonTy, n: u64, depth: usize) -> Value {
        match ty {
            JsonTy::String => json!(format!("s{n} it's")),
            JsonTy::Integer => json!(n),
            JsonTy::Number => json!(1.5 + n as f64),
            JsonTy::Boolean => json!(n.is_multiple_of(2)),
            JsonTy::Any => json!({ "any": [n, "x"] }),
            // Deep down, empty collections end recursive structures.
            JsonTy::Array(_) | JsonTy::Map(_) if depth > 3 => {
                if matches!(ty, JsonTy::Array(_)) {
                    json!([])
                } else {
                    json!({})
                }
            }
            JsonTy::Array(t) => json!([
                self.json_value(t, n, depth + 1),
                self.json_value(t, n + 1, depth + 1)
            ]),
            JsonTy::Map(t) => {
                let mut map = Map::new();
                map.insert(format!("k{n}"), self.json_value(t, n, depth + 1));
                Value::Object(map)
            }
            JsonTy::Struct(name) => {
                let mut obj = Map::new();
                let Some(j) = self.schema.json_type(name) else {
                    return Value::Object(obj);
                };
                for f in &j.fields {
                    if f.optional && (n % 2 == 1 || depth > 3) {
                        continue;
                    }
                    obj.insert(f.name.clone(), self.json_value(&f.ty, n + 1, depth + 1));
                }
                if j.extra {
                    obj.insert("x_undeclared".into(), json!({ "kept": n }));
                }
                Value::Object(obj)
            }
        }
    }
}

/// Whether an SQL expression mentions a column name (as a word, or quoted).
fn mentions(expr: &str, column: &str) -> bool {
    expr.contains(&format!("\"{column}\""))
        || expr
            .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .any(|w| w == column)
}
