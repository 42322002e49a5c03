//! A default's constant as the model's [`Literal`](crate::model::Literal) for the column's type.

use super::*;

pub(super) fn constant_literal(e: &Expr, ty: &ColumnType) -> Option<Literal> {
    match e {
        Expr::Cast(inner, _) => constant_literal(inner, ty),
        Expr::Unary(op, inner) if op == "-" => match inner.as_ref() {
            Expr::Num(n) if !n.starts_with('-') => number_literal(&format!("-{n}"), ty),
            Expr::Cast(x, _) => constant_literal(&Expr::Unary(op.clone(), x.clone()), ty),
            _ => None,
        },
        Expr::Num(n) => number_literal(n, ty),
        Expr::Keyword(k) if k == "true" || k == "false" => {
            (ty.base == BaseType::Boolean && !ty.array).then(|| Literal::Bool(k == "true"))
        }
        Expr::Str(s) => string_literal(s, ty),
        // An `ARRAY[…]` constructor is not a constant here: written back as a literal
        // (`'{3,7}'::integer[]`) it would give another `pg_get_expr` text than the database's
        // own, so it stays an SQL default (issue #11).
        _ => None,
    }
}

pub(super) fn is_numeric_type(ty: &ColumnType) -> bool {
    !ty.array
        && matches!(
            ty.base,
            BaseType::SmallInt
                | BaseType::Integer
                | BaseType::BigInt
                | BaseType::Numeric(_)
                | BaseType::Real
                | BaseType::Double
        )
}

pub(super) fn number_literal(n: &str, ty: &ColumnType) -> Option<Literal> {
    if !is_numeric_type(ty) {
        return None;
    }
    if let Ok(i) = n.parse::<i64>() {
        return Some(Literal::Integer(i));
    }
    Some(Literal::Number(n.to_string()))
}

pub(super) fn string_literal(s: &str, ty: &ColumnType) -> Option<Literal> {
    if ty.array {
        let items = parse_array_text(s)?;
        let elem = ColumnType {
            base: ty.base.clone(),
            array: false,
        };
        let mut out = Vec::new();
        for item in items {
            match item {
                None => out.push(serde_json::Value::Null),
                Some(text) => out.push(literal_json(string_literal(&text, &elem)?)),
            }
        }
        return Some(Literal::Json(serde_json::Value::Array(out)));
    }
    match &ty.base {
        BaseType::Json | BaseType::Jsonb => serde_json::from_str(s).ok().map(Literal::Json),
        BaseType::Boolean => match s.to_ascii_lowercase().as_str() {
            "t" | "true" | "yes" | "on" | "1" => Some(Literal::Bool(true)),
            "f" | "false" | "no" | "off" | "0" => Some(Literal::Bool(false)),
            _ => None,
        },
        _ if is_numeric_type(ty) => {
            if is_plain_number(s) {
                number_literal(s, ty)
            } else if s.parse::<f64>().is_ok() {
                Some(Literal::Number(s.to_string()))
            } else {
                None
            }
        }
        _ => Some(Literal::String(s.to_string())),
    }
}

/// The JSON form the loader gives an array element (see `literal_for` in the loader).
pub(super) fn literal_json(l: Literal) -> serde_json::Value {
    match l {
        Literal::String(s) => serde_json::Value::String(s),
        Literal::Integer(i) => serde_json::Value::from(i),
        Literal::Number(n) => serde_json::from_str(&n).unwrap_or(serde_json::Value::String(n)),
        Literal::Bool(b) => serde_json::Value::Bool(b),
        Literal::Json(j) => j,
    }
}

/// PostgreSQL's text form of a one-dimensional array (`{a,"b c",NULL}`): its elements, `None`
/// for an unquoted NULL.
pub(super) fn parse_array_text(s: &str) -> Option<Vec<Option<String>>> {
    let inner = s.trim().strip_prefix('{')?.strip_suffix('}')?;
    let mut out = Vec::new();
    if inner.trim().is_empty() {
        return Some(out);
    }
    let chars: Vec<char> = inner.chars().collect();
    let mut i = 0;
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if chars.get(i) == Some(&'"') {
            i += 1;
            let mut item = String::new();
            loop {
                match chars.get(i)? {
                    '\\' => {
                        item.push(*chars.get(i + 1)?);
                        i += 2;
                    }
                    '"' => {
                        i += 1;
                        break;
                    }
                    c => {
                        item.push(*c);
                        i += 1;
                    }
                }
            }
            out.push(Some(item));
        } else {
            let start = i;
            while i < chars.len() && chars[i] != ',' {
                if chars[i] == '{' || chars[i] == '"' {
                    return None; // nested arrays are not a column default the model has
                }
                i += 1;
            }
            let item: String = chars[start..i]
                .iter()
                .collect::<String>()
                .trim()
                .to_string();
            if item.eq_ignore_ascii_case("null") {
                out.push(None);
            } else {
                out.push(Some(item));
            }
        }
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        match chars.get(i) {
            None => return Some(out),
            Some(',') => i += 1,
            Some(_) => return None,
        }
    }
}
