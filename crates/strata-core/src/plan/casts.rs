//! Which type changes PostgreSQL can convert by itself (an explicit cast exists), the
//! conversions the planner knows without a cast ([`builtin`]), and the check that every other
//! one has a `using:` expression before anything is planned.

use super::PlanError;
use super::matching::Matched;
use crate::model::{BaseType, ColumnType, Schema};

/// Whether `ALTER COLUMN … TYPE new USING column::new` works for every value kind: a cast
/// from `old` to `new` exists in a PostgreSQL 13+ catalog (or through text, for enums and the
/// I/O conversions every type has to and from the string types).
pub fn has_cast(
    schema_old: &Schema,
    old: &ColumnType,
    schema_new: &Schema,
    new: &ColumnType,
) -> bool {
    use BaseType::*;
    let o = schema_old.underlying(old);
    let n = schema_new.underlying(new);
    if o.array != n.array {
        // `text` → `text[]` has no cast; `text[]` → `text` goes through I/O.
        return o.array && is_string(&n.base) && !n.array;
    }
    let (a, b) = (&o.base, &n.base);
    if a == b || is_string(a) || is_string(b) {
        return true;
    }
    let numeric =
        |t: &BaseType| matches!(t, SmallInt | Integer | BigInt | Real | Double | Numeric(_));
    let named = |t: &BaseType, names: &[&str]| matches!(t, Named(x) if names.contains(&x.as_str()));
    match (a, b) {
        (x, y) if numeric(x) && numeric(y) => true,
        // Enums go through text (`Using::ViaText`).
        (Enum(_), _) | (_, Enum(_)) => true,
        (Boolean, Integer) | (Integer, Boolean) => true,
        (Oid, Integer | BigInt) | (Integer | BigInt, Oid) => true,
        (Date | Timestamp(_) | Timestamptz(_), Date | Timestamp(_) | Timestamptz(_)) => true,
        (Timestamp(_) | Timestamptz(_) | Interval(..), Time(_)) => true,
        (Time(_), Time(_) | Interval(..)) | (Interval(..), Interval(..)) => true,
        (Time(_), t) | (t, Time(_)) if named(t, &["timetz"]) => true,
        (Timestamptz(_), t) if named(t, &["timetz"]) => true,
        (Json, Jsonb) | (Jsonb, Json) => true,
        (Jsonb, Boolean | SmallInt | Integer | BigInt | Real | Double | Numeric(_)) => true,
        (Inet, t) | (t, Inet) if named(t, &["cidr"]) => true,
        (Bit(_) | Varbit(_), Bit(_) | Varbit(_)) => true,
        (Bit(_), Integer | BigInt) | (Integer | BigInt, Bit(_)) => true,
        (Named(m), Numeric(_) | Integer | BigInt) | (Numeric(_) | Integer | BigInt, Named(m))
            if m == "money" =>
        {
            true
        }
        (Named(x), Named(y)) => {
            x == y
                || matches!(
                    (x.as_str(), y.as_str()),
                    ("macaddr", "macaddr8") | ("macaddr8", "macaddr")
                )
        }
        _ => false,
    }
}

/// A conversion PostgreSQL has no cast for but the planner writes itself (see
/// `docs/migrations.md`, "Conversions without a cast").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// A value to an array of the same type: NULL stays NULL, any other value becomes a
    /// one-element array. Keeps every value.
    ToArray,
    /// A range (or multirange, or an array of them) to one of a wider subtype, through the
    /// text form: bounds, inclusivity, infinite bounds and `empty` are kept. Keeps every value.
    RangeWidens,
    /// The reverse of [`Builtin::RangeWidens`], through the text form: a bound that does not
    /// fit fails and a value that changes is counted, so it is checked like any narrowing.
    RangeNarrows,
}

impl Builtin {
    /// Whether every value survives the conversion unchanged.
    pub fn lossless(self) -> bool {
        !matches!(self, Builtin::RangeNarrows)
    }

    /// What the plan says about the conversion.
    pub fn note(self) -> &'static str {
        match self {
            Builtin::ToArray => "each value becomes a one-element array, NULL stays NULL",
            Builtin::RangeWidens => "each range is converted through its text form, bounds kept",
            Builtin::RangeNarrows => {
                "each range is converted through its text form; every row is checked first"
            }
        }
    }
}

/// The range widenings that keep every value: each bound of the narrow subtype is exactly
/// one value of the wide one, and the text form of the narrow range reads back as the wide
/// range with the same bounds. Not here: `daterange` or `tsrange` to `tstzrange` (the result
/// depends on the session's `TimeZone`), and anything to a narrower subtype.
const RANGE_WIDENINGS: &[(&str, &str)] = &[
    ("int4range", "int8range"),
    ("int4range", "numrange"),
    ("int8range", "numrange"),
    ("daterange", "tsrange"),
    ("int4multirange", "int8multirange"),
    ("int4multirange", "nummultirange"),
    ("int8multirange", "nummultirange"),
    ("datemultirange", "tsmultirange"),
];

/// Whether the planner can convert `old` to `new` without a `using:`: PostgreSQL has a cast,
/// or the planner knows a conversion of its own ([`builtin`]).
pub fn convertible(
    schema_old: &Schema,
    old: &ColumnType,
    schema_new: &Schema,
    new: &ColumnType,
) -> bool {
    has_cast(schema_old, old, schema_new, new)
        || builtin(schema_old, old, schema_new, new).is_some()
}

/// The conversion the planner writes itself from `old` to `new`, if there is one.
pub fn builtin(
    schema_old: &Schema,
    old: &ColumnType,
    schema_new: &Schema,
    new: &ColumnType,
) -> Option<Builtin> {
    if !old.array && new.array && old.base == new.base {
        return Some(Builtin::ToArray);
    }
    let o = schema_old.underlying(old);
    let n = schema_new.underlying(new);
    if o.array != n.array {
        return None;
    }
    let (BaseType::Named(a), BaseType::Named(b)) = (&o.base, &n.base) else {
        return None;
    };
    RANGE_WIDENINGS.iter().find_map(|&(x, y)| {
        if (a.as_str(), b.as_str()) == (x, y) {
            Some(Builtin::RangeWidens)
        } else if (a.as_str(), b.as_str()) == (y, x) {
            Some(Builtin::RangeNarrows)
        } else {
            None
        }
    })
}

fn is_string(t: &BaseType) -> bool {
    matches!(t, BaseType::Text | BaseType::Varchar(_) | BaseType::Char(_))
        || matches!(t, BaseType::Named(n) if n == "citext")
}

/// Refuses the plan when a column changes to a type PostgreSQL cannot convert it to and the
/// new schema gives no `using:` for it.
pub fn check_conversions(old: &Schema, new: &Schema, m: &Matched<'_>) -> Result<(), PlanError> {
    for d in &new.domains {
        let Some(o) = old.domain(&d.name).filter(|o| o.ty != d.ty) else {
            continue;
        };
        // The domain is re-created with the new type (`plan::diff::domains`) and each of its
        // columns converted by a cast (or a conversion of [`builtin`]).
        if !convertible(old, &o.ty, new, &d.ty) {
            return Err(PlanError::DomainType {
                domain: d.name.clone(),
                from: o.ty.to_string(),
                to: d.ty.to_string(),
            });
        }
        let local = crate::model::local_name(&d.name);
        let names_it = |t: &str| {
            let t = t.trim_end_matches("[]");
            t == d.name || t == local
        };
        for f in &old.functions {
            let in_returns = match &f.returns {
                Some(crate::model::Returns::Type(t) | crate::model::Returns::SetOf(t)) => {
                    names_it(t)
                }
                Some(crate::model::Returns::Table(cols)) => cols.iter().any(|(_, t)| names_it(t)),
                None => false,
            };
            if in_returns || f.arguments.iter().any(|a| names_it(&a.ty)) {
                return Err(PlanError::DomainInSignature {
                    domain: d.name.clone(),
                    function: f.name.clone(),
                });
            }
        }
    }
    for p in &m.tables {
        for (oc, nc) in &p.columns {
            let same_enum = matches!(
                (&oc.ty.base, &nc.ty.base),
                (BaseType::Enum(_), BaseType::Enum(_))
            );
            if oc.ty == nc.ty || same_enum || nc.using.is_some() {
                continue;
            }
            if !convertible(old, &oc.ty, new, &nc.ty) {
                return Err(PlanError::NeedsUsing {
                    table: p.new.name.clone(),
                    column: nc.name.clone(),
                    from: oc.ty.to_string(),
                    to: nc.ty.to_string(),
                    loc: nc.loc,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> ColumnType {
        ColumnType::parse(s, |n| n == "mood").unwrap()
    }

    #[test]
    fn casts_postgresql_has() {
        let s = crate::history::empty_schema("x");
        let cast = |a: &str, b: &str| has_cast(&s, &ty(a), &s, &ty(b));
        assert!(cast("integer", "bigint"));
        assert!(cast("bigint", "text"));
        assert!(cast("text", "uuid"));
        assert!(cast("timestamptz", "date"));
        assert!(cast("mood", "text"));
        assert!(cast("inet", "cidr"));
        assert!(cast("text[]", "text"));
        assert!(!cast("bigint", "timestamp"));
        assert!(!cast("uuid", "integer"));
        assert!(!cast("boolean", "date"));
        assert!(!cast("text", "text[]"));
        assert!(!cast("jsonb", "uuid"));
        assert!(!cast("int4range", "tstzrange"));
        assert!(!cast("daterange", "tstzrange"));
        assert!(!cast("integer", "bigint[]"));
    }

    #[test]
    fn conversions_the_planner_writes() {
        let s = crate::history::empty_schema("x");
        let b = |a: &str, z: &str| builtin(&s, &ty(a), &s, &ty(z));
        assert_eq!(b("text", "text[]"), Some(Builtin::ToArray));
        assert_eq!(b("integer", "integer[]"), Some(Builtin::ToArray));
        assert_eq!(b("varchar(5)", "varchar(5)[]"), Some(Builtin::ToArray));
        // Another element type is not a one-element array of the same value.
        assert_eq!(b("integer", "bigint[]"), None);
        assert_eq!(b("text[]", "text"), None);
        assert_eq!(b("int4range", "int8range"), Some(Builtin::RangeWidens));
        assert_eq!(b("int4range[]", "int8range[]"), Some(Builtin::RangeWidens));
        assert_eq!(
            b("int4multirange", "int8multirange"),
            Some(Builtin::RangeWidens)
        );
        assert_eq!(b("daterange", "tsrange"), Some(Builtin::RangeWidens));
        assert_eq!(b("int8range", "int4range"), Some(Builtin::RangeNarrows));
        assert_eq!(b("tsrange", "daterange"), Some(Builtin::RangeNarrows));
        // Depends on the session's time zone: not lossless, so not built in.
        assert_eq!(b("daterange", "tstzrange"), None);
        assert_eq!(b("tsrange", "tstzrange"), None);
        assert_eq!(b("int4range", "daterange"), None);
        assert_eq!(b("int4range", "int8range[]"), None);
        assert!(Builtin::ToArray.lossless() && Builtin::RangeWidens.lossless());
        let conv = |a: &str, z: &str| convertible(&s, &ty(a), &s, &ty(z));
        assert!(conv("text", "text[]") && conv("int4range", "int8range"));
        assert!(conv("integer", "bigint"));
        assert!(!conv("integer", "bigint[]") && !conv("daterange", "tstzrange"));
        assert!(!Builtin::RangeNarrows.lossless());
    }
}
