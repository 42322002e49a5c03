//! Syntax tree → text, with parentheses only where precedence needs them, and the token-level
//! fallback for what the parser does not cover.

use super::*;

pub(super) fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Num(n) if n.starts_with('-') => P_UNARY,
        Expr::Name(_)
        | Expr::Str(_)
        | Expr::Num(_)
        | Expr::Keyword(_)
        | Expr::Func { .. }
        | Expr::Array(_)
        | Expr::Case { .. }
        | Expr::Row(_) => P_ATOM,
        Expr::Cast(..) => P_CAST,
        Expr::Subscript(..) => P_SUBSCRIPT,
        Expr::Unary(..) => P_UNARY,
        Expr::Binary(_, op, _) => binary_precedence(op),
        Expr::Is(..) | Expr::IsDistinct(..) => P_IS,
        Expr::Not(_) => P_NOT,
        Expr::In(..) | Expr::Between(..) => P_LIKE,
        Expr::Quantified(..) => P_CMP,
    }
}

/// Prints `e`, in parentheses when its precedence is below `min`.
pub(super) fn print(e: &Expr, min: u8) -> String {
    let inner = print_bare(e);
    if precedence(e) < min {
        format!("({inner})")
    } else {
        inner
    }
}

pub(super) fn name_text(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| ident(p).into_owned())
        .collect::<Vec<_>>()
        .join(".")
}

/// A function name: bare when it is a plain lower-case word, even a keyword (`coalesce(…)`,
/// `lower(…)`), since a call is never read as anything else.
pub(super) fn function_name(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| {
            let plain = p.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if plain {
                p.clone()
            } else {
                ident(p).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

pub(super) fn list_text(items: &[Expr]) -> String {
    items
        .iter()
        .map(|i| print(i, 0))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn print_bare(e: &Expr) -> String {
    match e {
        Expr::Name(parts) => name_text(parts),
        Expr::Str(s) => sql_literal(s),
        Expr::Num(n) => n.clone(),
        Expr::Keyword(k) => k.clone(),
        Expr::Func {
            name,
            args,
            distinct,
            star,
        } => {
            let args = if *star {
                "*".to_string()
            } else {
                list_text(args)
            };
            format!(
                "{}({}{args})",
                function_name(name),
                if *distinct { "distinct " } else { "" }
            )
        }
        Expr::Cast(x, ty) => format!("{}::{ty}", print(x, P_CAST + 1)),
        Expr::Unary(op, x) => {
            let operand = print(x, P_UNARY);
            // `- -1` must not print as `--1`, which starts a comment.
            if operand.starts_with('-') || operand.starts_with('+') {
                format!("{op} {operand}")
            } else {
                format!("{op}{operand}")
            }
        }
        Expr::Binary(a, op, b) => {
            let p = binary_precedence(op);
            // Comparisons do not associate; everything else is left-associative.
            let left_min = if p == P_CMP || p == P_LIKE { p + 1 } else { p };
            let op_text = match op.as_str() {
                "and" | "or" | "like" | "ilike" | "not like" | "not ilike" | "similar to"
                | "not similar to" => op.to_uppercase(),
                other => other.to_string(),
            };
            format!("{} {op_text} {}", print(a, left_min), print(b, p + 1))
        }
        Expr::Is(x, t) => format!("{} {}", print(x, P_IS + 1), t.to_uppercase()),
        Expr::IsDistinct(a, not, b) => format!(
            "{} IS {}DISTINCT FROM {}",
            print(a, P_IS + 1),
            if *not { "NOT " } else { "" },
            print(b, P_IS + 1)
        ),
        Expr::Not(x) => format!("NOT {}", print(x, P_NOT)),
        Expr::In(x, not, items) => {
            format!(
                "{} {}IN ({})",
                print(x, P_LIKE + 1),
                if *not { "NOT " } else { "" },
                list_text(items)
            )
        }
        Expr::Between(x, not, lo, hi) => format!(
            "{} {}BETWEEN {} AND {}",
            print(x, P_LIKE + 1),
            if *not { "NOT " } else { "" },
            print(lo, P_LIKE + 1),
            print(hi, P_LIKE + 1)
        ),
        Expr::Quantified(x, op, q, inner) => {
            format!(
                "{} {op} {} ({})",
                print(x, P_CMP + 1),
                q.to_uppercase(),
                print(inner, 0)
            )
        }
        Expr::Array(items) => format!("ARRAY[{}]", list_text(items)),
        Expr::Case {
            operand,
            whens,
            otherwise,
        } => {
            let mut out = String::from("CASE");
            if let Some(o) = operand {
                out.push(' ');
                out.push_str(&print(o, 0));
            }
            for (c, v) in whens {
                out.push_str(&format!(" WHEN {} THEN {}", print(c, 0), print(v, 0)));
            }
            if let Some(o) = otherwise {
                out.push_str(&format!(" ELSE {}", print(o, 0)));
            }
            out.push_str(" END");
            out
        }
        Expr::Subscript(x, parts) => {
            let parts: Vec<String> = parts.iter().map(|p| print(p, 0)).collect();
            // Only a column reference takes a subscript bare: `tags[1]`, but `(f(x))[1]`.
            let base = match x.as_ref() {
                Expr::Name(_) => print_bare(x),
                other => format!("({})", print_bare(other)),
            };
            format!("{base}[{}]", parts.join(":"))
        }
        Expr::Row(items) => format!("({})", list_text(items)),
    }
}

/// The token-level form of an expression the parser does not cover.
pub(super) fn fallback_tokens(sql: &str) -> String {
    match tokenize(sql) {
        Some(tokens) => tokens
            .iter()
            .map(|t| match t {
                Tok::Word(w) => w.clone(),
                Tok::Quoted(q) => ident(q).into_owned(),
                Tok::Str(s) => sql_literal(s),
                Tok::Num(n) | Tok::Op(n) => n.clone(),
                Tok::LParen => "(".into(),
                Tok::RParen => ")".into(),
                Tok::LBracket => "[".into(),
                Tok::RBracket => "]".into(),
                Tok::Comma => ",".into(),
                Tok::Cast => "::".into(),
                Tok::Dot => ".".into(),
            })
            .collect::<Vec<_>>()
            .join(" "),
        None => sql.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// `s` without one pair of parentheses around all of it.
pub(super) fn strip_outer_parens(s: &str) -> &str {
    if s.starts_with('(') && s.ends_with(')') {
        let inner = &s[1..s.len() - 1];
        // `(a) || (b)` starts and ends with parentheses that are not one pair.
        if parse_balanced(inner) {
            return inner.trim();
        }
    }
    s
}

pub(super) fn parse_balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}
