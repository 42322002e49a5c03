//! Which of the schema's `derives:` every generated struct can carry.
//!
//! `derives:` adds to the row struct, the insert struct and every JSON structure. A standard
//! derive that one field's type does not implement (an enum has no `Default`, an `f64` no `Eq`,
//! a `String` no `Copy`) would make the generated module fail to compile, and one the structs
//! already have would conflict; the loader asks [`derive_problem`] and refuses such a list at
//! its location. A derive from another crate (`utoipa::ToSchema`) is passed through unchecked:
//! the crate that compiles the models must provide it.

use crate::model::{BaseType, Column, JsonTy, Schema, Table};
use std::collections::BTreeSet;

/// The derives every generated struct already has.
pub const BUILT_IN_DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "PartialEq",
    "Serialize",
    "Deserialize",
    "serde::Serialize",
    "serde::Deserialize",
];

/// The standard derives whose support is checked field by field.
pub const CHECKED_DERIVES: &[&str] = &["Copy", "Default", "Eq", "Hash", "PartialOrd", "Ord"];

/// Why the generated code could not carry `derive`, given the schema's whole list `all`; `None`
/// when it can (or when the derive is not a standard one this module knows).
pub fn derive_problem(schema: &Schema, derive: &str, all: &[String]) -> Option<String> {
    let d = derive
        .trim_start_matches("::")
        .trim_start_matches("std::")
        .trim_start_matches("core::");
    let d = d
        .strip_prefix("marker::")
        .or_else(|| d.strip_prefix("default::"))
        .or_else(|| d.strip_prefix("cmp::"))
        .or_else(|| d.strip_prefix("hash::"))
        .unwrap_or(d);
    if BUILT_IN_DERIVES.contains(&d) {
        return Some(format!("every generated struct already derives `{d}`"));
    }
    if !CHECKED_DERIVES.contains(&d) {
        return None;
    }
    let listed = |name: &str| all.iter().any(|x| x.rsplit("::").next() == Some(name));
    if d == "Ord" && !(listed("Eq") && listed("PartialOrd")) {
        return Some("`Ord` needs `Eq` and `PartialOrd` in the same list".into());
    }
    let c = Check { schema, d };
    for t in &schema.tables {
        if let Some(why) = c.table(t) {
            return Some(why);
        }
    }
    for j in &schema.json_types {
        if !c.json_struct(&j.name, &mut BTreeSet::new()) {
            return Some(format!(
                "JSON structure `{}` has a field whose type does not implement `{d}`",
                j.name
            ));
        }
    }
    None
}

struct Check<'a> {
    schema: &'a Schema,
    d: &'a str,
}

impl Check<'_> {
    fn table(&self, t: &Table) -> Option<String> {
        for c in &t.columns {
            // The row struct holds the column's type; the insert struct the same, or an
            // `Option` of it, which has every derive its content has (and `Default`).
            if !self.column(c) {
                return Some(format!(
                    "column `{}.{}` is `{}`, whose Rust type does not implement `{}`",
                    t.name, c.name, c.ty, self.d
                ));
            }
        }
        None
    }

    fn column(&self, c: &Column) -> bool {
        if c.nullable && self.d == "Default" {
            return true;
        }
        let ty = self.schema.underlying(&c.ty);
        let elem = self.base(&ty.base, c.json.as_ref());
        if ty.array {
            self.d != "Copy" && elem
        } else {
            elem
        }
    }

    fn base(&self, b: &BaseType, json: Option<&JsonTy>) -> bool {
        let d = self.d;
        match b {
            BaseType::Uuid
            | BaseType::SmallInt
            | BaseType::Integer
            | BaseType::BigInt
            | BaseType::Oid
            | BaseType::Numeric(_)
            | BaseType::Boolean
            | BaseType::Date
            | BaseType::Time(_)
            | BaseType::Timestamp(_)
            | BaseType::Timestamptz(_) => true,
            BaseType::Text
            | BaseType::Varchar(_)
            | BaseType::Char(_)
            | BaseType::Bytea
            | BaseType::Bit(_)
            | BaseType::Varbit(_)
            | BaseType::Named(_) => d != "Copy",
            // Never after `underlying`; a domain the schema lacks is refused by validation.
            BaseType::Domain(_) => false,
            BaseType::Real | BaseType::Double => float(d),
            BaseType::Interval(..) => matches!(d, "Eq" | "Hash" | "Default" | "Copy"),
            BaseType::Json | BaseType::Jsonb => match json {
                Some(j) => self.json(j, &mut BTreeSet::new()),
                None => value(d),
            },
            BaseType::Inet => d != "Default",
            BaseType::Enum(_) => d != "Default",
        }
    }

    fn json(&self, j: &JsonTy, seen: &mut BTreeSet<String>) -> bool {
        let d = self.d;
        match j {
            JsonTy::String => d != "Copy",
            JsonTy::Integer | JsonTy::Boolean => true,
            JsonTy::Number => float(d),
            JsonTy::Any => value(d),
            JsonTy::Struct(name) => self.json_struct(name, seen),
            JsonTy::Array(t) | JsonTy::Map(t) => d != "Copy" && self.json(t, seen),
        }
    }

    fn json_struct(&self, name: &str, seen: &mut BTreeSet<String>) -> bool {
        if !seen.insert(name.to_string()) {
            // A structure that holds itself is boxed, and a box is never `Copy`.
            return self.d != "Copy";
        }
        let Some(s) = self.schema.json_type(name) else {
            return true;
        };
        let fields = s
            .fields
            .iter()
            .all(|f| (f.optional && self.d == "Default") || self.json(&f.ty, seen));
        let extra = !s.extra || (self.d != "Copy" && value(self.d));
        seen.remove(name);
        fields && extra
    }
}

/// `f32`/`f64`.
fn float(d: &str) -> bool {
    matches!(d, "PartialOrd" | "Default" | "Copy")
}

/// `serde_json::Value`.
fn value(d: &str) -> bool {
    matches!(d, "Eq" | "Hash" | "Default")
}
