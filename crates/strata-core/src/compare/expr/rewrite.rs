//! The rewrites of each form: casts the server adds removed, its expansions expanded
//! ([`Mode::Normalize`]) or folded back ([`Mode::Tidy`]).

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Normalize,
    Tidy,
}

pub(super) fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::Str(_) | Expr::Num(_) => true,
        Expr::Keyword(k) => matches!(k.as_str(), "true" | "false" | "null"),
        Expr::Array(items) => items.iter().all(is_constant),
        Expr::Cast(inner, _) => is_constant(inner),
        _ => false,
    }
}

pub(super) fn is_plain_number(s: &str) -> bool {
    crate::render::sql::is_plain_number(s)
}

pub(super) fn rewrite(e: Expr, mode: Mode) -> Expr {
    let r = |x: Box<Expr>| Box::new(rewrite(*x, mode));
    match e {
        Expr::Cast(inner, ty) => {
            let inner = rewrite(*inner, mode);
            match (&inner, mode) {
                // `'-1'::integer` is how the server prints a negative constant.
                (Expr::Str(s), _) if is_number_type(&ty) && is_plain_number(s) => {
                    Expr::Num(s.clone())
                }
                (Expr::Num(_), _) if is_number_type(&ty) => inner,
                (_, Mode::Normalize) if is_constant(&inner) || is_text_type(&ty) => inner,
                (Expr::Str(_), Mode::Tidy) if is_plain_text_type(&ty) || ty == "regconfig" => inner,
                _ => Expr::Cast(Box::new(inner), ty),
            }
        }
        Expr::Unary(op, x) => {
            let x = rewrite(*x, mode);
            match (&x, op.as_str()) {
                (Expr::Num(n), "-") if !n.starts_with('-') => Expr::Num(format!("-{n}")),
                (Expr::Num(_), "+") => x,
                _ => Expr::Unary(op, Box::new(x)),
            }
        }
        Expr::Binary(a, op, b) => {
            let (a, b) = (r(a), r(b));
            let op = match (mode, op.as_str()) {
                (_, "!=") => "<>".to_string(),
                (Mode::Normalize, "like") => "~~".into(),
                (Mode::Normalize, "ilike") => "~~*".into(),
                (Mode::Normalize, "not like") => "!~~".into(),
                (Mode::Normalize, "not ilike") => "!~~*".into(),
                (Mode::Tidy, "~~") => "like".into(),
                (Mode::Tidy, "~~*") => "ilike".into(),
                (Mode::Tidy, "!~~") => "not like".into(),
                (Mode::Tidy, "!~~*") => "not ilike".into(),
                _ => op,
            };
            if mode == Mode::Tidy && op == "and" {
                // `x >= a AND x <= b` is how the server keeps `x BETWEEN a AND b`.
                if let (Expr::Binary(x1, o1, lo), Expr::Binary(x2, o2, hi)) =
                    (a.as_ref(), b.as_ref())
                    && o1 == ">="
                    && o2 == "<="
                    && x1 == x2
                    && is_between_bound(lo)
                    && is_between_bound(hi)
                {
                    return Expr::Between(x1.clone(), false, lo.clone(), hi.clone());
                }
            }
            if mode == Mode::Tidy
                && op == "or"
                && let (Expr::Binary(x1, o1, lo), Expr::Binary(x2, o2, hi)) =
                    (a.as_ref(), b.as_ref())
                && o1 == "<"
                && o2 == ">"
                && x1 == x2
                && is_between_bound(lo)
                && is_between_bound(hi)
            {
                return Expr::Between(x1.clone(), true, lo.clone(), hi.clone());
            }
            Expr::Binary(a, op, b)
        }
        Expr::In(x, not, items) => {
            let x = r(x);
            let items: Vec<Expr> = items.into_iter().map(|i| rewrite(i, mode)).collect();
            match mode {
                Mode::Normalize => {
                    let (op, q) = if not { ("<>", "all") } else { ("=", "any") };
                    Expr::Quantified(x, op.into(), q.into(), Box::new(Expr::Array(items)))
                }
                Mode::Tidy => Expr::In(x, not, items),
            }
        }
        Expr::Between(x, not, lo, hi) => {
            let (x, lo, hi) = (r(x), r(lo), r(hi));
            match (mode, not) {
                (Mode::Normalize, false) => Expr::Binary(
                    Box::new(Expr::Binary(x.clone(), ">=".into(), lo)),
                    "and".into(),
                    Box::new(Expr::Binary(x, "<=".into(), hi)),
                ),
                (Mode::Normalize, true) => Expr::Binary(
                    Box::new(Expr::Binary(x.clone(), "<".into(), lo)),
                    "or".into(),
                    Box::new(Expr::Binary(x, ">".into(), hi)),
                ),
                (Mode::Tidy, _) => Expr::Between(x, not, lo, hi),
            }
        }
        Expr::Quantified(x, op, q, inner) => {
            let x = r(x);
            let inner = rewrite(*inner, mode);
            let op = if op == "!=" { "<>".to_string() } else { op };
            // `x::text = ANY ((ARRAY['a'::character varying])::text[])` is how the server keeps
            // `x IN ('a')` for a varchar column.
            let (x, inner) = match (mode, *x, inner) {
                (Mode::Tidy, Expr::Cast(col, t), Expr::Cast(arr, at))
                    if t == "text"
                        && matches!(*col, Expr::Name(_))
                        && at == "text[]"
                        && matches!(arr.as_ref(), Expr::Array(items) if items.iter().all(|i| matches!(i, Expr::Str(_)))) =>
                {
                    (col, *arr)
                }
                (_, x, inner) => (Box::new(x), inner),
            };
            if mode == Mode::Tidy
                && let Expr::Array(items) = &inner
            {
                match (op.as_str(), q.as_str()) {
                    ("=", "any") => return Expr::In(x, false, items.clone()),
                    ("<>", "all") => return Expr::In(x, true, items.clone()),
                    _ => {}
                }
            }
            Expr::Quantified(x, op, q, Box::new(inner))
        }
        Expr::Func {
            mut name,
            args,
            distinct,
            star,
        } => {
            if name.len() == 2 && name[0] == "pg_catalog" {
                name.remove(0);
            }
            Expr::Func {
                name,
                args: args.into_iter().map(|a| rewrite(a, mode)).collect(),
                distinct,
                star,
            }
        }
        Expr::Is(x, t) => Expr::Is(r(x), t),
        Expr::IsDistinct(a, not, b) => Expr::IsDistinct(r(a), not, r(b)),
        Expr::Not(x) => Expr::Not(r(x)),
        Expr::Array(items) => Expr::Array(items.into_iter().map(|i| rewrite(i, mode)).collect()),
        Expr::Case {
            operand,
            whens,
            otherwise,
        } => Expr::Case {
            operand: operand.map(r),
            whens: whens
                .into_iter()
                .map(|(c, v)| (rewrite(c, mode), rewrite(v, mode)))
                .collect(),
            otherwise: otherwise.map(r),
        },
        Expr::Subscript(x, parts) => {
            Expr::Subscript(r(x), parts.into_iter().map(|p| rewrite(p, mode)).collect())
        }
        Expr::Row(items) => Expr::Row(items.into_iter().map(|i| rewrite(i, mode)).collect()),
        other @ (Expr::Name(_) | Expr::Str(_) | Expr::Num(_) | Expr::Keyword(_)) => other,
    }
}

/// Whether a bound prints without parentheses inside `BETWEEN … AND …` (anything looser than
/// an arithmetic operator would read differently there).
pub(super) fn is_between_bound(e: &Expr) -> bool {
    precedence(e) > P_LIKE
}
