//! Which type changes PostgreSQL can convert by itself (an explicit cast exists), and the
//! check that every other one has a `using:` expression before anything is planned.

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

fn is_string(t: &BaseType) -> bool {
    matches!(t, BaseType::Text | BaseType::Varchar(_) | BaseType::Char(_))
        || matches!(t, BaseType::Named(n) if n == "citext")
}

/// Refuses the plan when a column changes to a type PostgreSQL cannot convert it to and the
/// new schema gives no `using:` for it.
pub fn check_conversions(old: &Schema, new: &Schema, m: &Matched<'_>) -> Result<(), PlanError> {
    for d in &new.domains {
        if let Some(o) = old.domain(&d.name)
            && o.ty != d.ty
        {
            return Err(PlanError::DomainType {
                domain: d.name.clone(),
                from: o.ty.to_string(),
                to: d.ty.to_string(),
            });
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
            if !has_cast(old, &oc.ty, new, &nc.ty) {
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
    }
}
