//! Literal defaults: a YAML value checked against the column's type.

use super::*;

/// Checks a literal default against the column type and turns it into a model literal.
pub(crate) fn literal_for(v: &Value, ty: &ColumnType) -> Result<Literal, String> {
    if ty.is_json() && !ty.array {
        let json =
            serde_json::to_value(v).map_err(|e| format!("not representable as JSON: {e}"))?;
        return Ok(Literal::Json(json));
    }
    if ty.array {
        let Value::Sequence(items) = v else {
            return Err(format!(
                "the column is an array (`{ty}`); write the default as a YAML list"
            ));
        };
        let elem = ColumnType {
            base: ty.base.clone(),
            array: false,
        };
        let lits = items
            .iter()
            .map(|i| literal_for(i, &elem))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Literal::Json(serde_json::Value::Array(
            lits.into_iter().map(literal_json).collect(),
        )));
    }
    let base = &ty.base;
    match v {
        Value::Bool(b) => match base {
            BaseType::Boolean => Ok(Literal::Bool(*b)),
            _ => Err(format!("`{b}` is a boolean but the column is `{ty}`")),
        },
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let (lo, hi) = match base {
                    BaseType::SmallInt => (i64::from(i16::MIN), i64::from(i16::MAX)),
                    BaseType::Integer => (i64::from(i32::MIN), i64::from(i32::MAX)),
                    BaseType::Oid => (0, i64::from(u32::MAX)),
                    BaseType::BigInt | BaseType::Numeric(_) | BaseType::Real | BaseType::Double => {
                        (i64::MIN, i64::MAX)
                    }
                    _ => {
                        return Err(format!(
                            "`{n}` is a number but the column is `{ty}`; quote it if you mean text"
                        ));
                    }
                };
                if i < lo || i > hi {
                    return Err(format!("`{i}` is out of range for `{ty}`"));
                }
                Ok(Literal::Integer(i))
            } else {
                match base {
                    BaseType::Real | BaseType::Double | BaseType::Numeric(_)
                        if n.as_f64().is_some_and(f64::is_finite) =>
                    {
                        Ok(Literal::Number(n.to_string()))
                    }
                    BaseType::SmallInt | BaseType::Integer | BaseType::BigInt => Err(format!(
                        "`{n}` is not a whole number but the column is `{ty}`"
                    )),
                    _ => Err(format!("`{n}` is a number but the column is `{ty}`")),
                }
            }
        }
        Value::String(s) => match base {
            BaseType::Text => Ok(Literal::String(s.clone())),
            BaseType::Varchar(Some(n)) | BaseType::Char(n) if s.chars().count() > *n as usize => {
                Err(format!(
                    "\"{s}\" is {} characters long but the column is `{ty}`",
                    s.chars().count()
                ))
            }
            BaseType::Varchar(_) | BaseType::Char(_) => Ok(Literal::String(s.clone())),
            // Membership in the enum is checked by validation, which knows its values.
            BaseType::Enum(_) => Ok(Literal::String(s.clone())),
            BaseType::Uuid if is_uuid(s) => Ok(Literal::String(s.clone())),
            BaseType::Uuid => Err(format!("\"{s}\" is not a UUID")),
            BaseType::Inet if s.parse::<std::net::IpAddr>().is_ok() || s.contains('/') => {
                Ok(Literal::String(s.clone()))
            }
            BaseType::Inet => Err(format!("\"{s}\" is not an IP address")),
            BaseType::Date
            | BaseType::Time(_)
            | BaseType::Timestamp(_)
            | BaseType::Timestamptz(_)
            | BaseType::Interval(..)
            | BaseType::Bytea
            | BaseType::Named(_) => Ok(Literal::String(s.clone())),
            BaseType::Bit(_) | BaseType::Varbit(_) if s.chars().all(|c| c == '0' || c == '1') => {
                Ok(Literal::String(s.clone()))
            }
            BaseType::Bit(_) | BaseType::Varbit(_) => {
                Err(format!("\"{s}\" is not a bit string (only 0 and 1)"))
            }
            BaseType::Numeric(_) | BaseType::Real | BaseType::Double
                if s.parse::<f64>().is_ok() =>
            {
                Ok(Literal::Number(s.clone()))
            }
            _ => Err(format!("\"{s}\" is a string but the column is `{ty}`")),
        },
        Value::Sequence(_) | Value::Mapping(_) => Err(format!(
            "a list or map is only a default for json, jsonb or array columns, not `{ty}`"
        )),
        Value::Null => Err("null is not a default; leave `default` out".into()),
        Value::Tagged(_) => Err("tagged YAML values are not defaults".into()),
    }
}

pub(super) fn literal_json(l: Literal) -> serde_json::Value {
    match l {
        Literal::String(s) => serde_json::Value::String(s),
        Literal::Integer(i) => serde_json::Value::from(i),
        Literal::Number(n) => serde_json::from_str(&n).unwrap_or(serde_json::Value::String(n)),
        Literal::Bool(b) => serde_json::Value::Bool(b),
        Literal::Json(j) => j,
    }
}

pub(super) fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}
