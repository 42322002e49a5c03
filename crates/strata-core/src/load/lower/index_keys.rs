//! One index key: a column with its order, or `{column|expr, order, nulls, opclass, collation}`.

use super::*;

impl Lowerer<'_> {
    pub(super) fn index_key(&mut self, ci: usize, path: &[Seg], v: &Value) -> Option<IndexKey> {
        let ctx = &self.ctxs[ci];
        let loc = ctx.loc(path);
        match v {
            Value::String(s) => {
                let words: Vec<String> =
                    s.split_whitespace().map(str::to_ascii_lowercase).collect();
                let order = |w: &str| w == "asc" || w == "desc";
                let nulls = |a: &str, b: &str| a == "nulls" && (b == "first" || b == "last");
                let first = s.split_whitespace().next().unwrap_or_default().to_string();
                let key = |desc: bool, nulls_first: Option<bool>| {
                    let mut k = IndexKey::plain(IndexTarget::Column(first.clone()));
                    k.desc = desc;
                    k.nulls_first = nulls_first.filter(|n| *n != desc);
                    k
                };
                match words.as_slice() {
                    [_] => Some(key(false, None)),
                    [_, o] if order(o) => Some(key(o == "desc", None)),
                    [_, a, b] if nulls(a, b) => Some(key(false, Some(b == "first"))),
                    [_, o, a, b] if order(o) && nulls(a, b) => {
                        Some(key(o == "desc", Some(b == "first")))
                    }
                    _ => {
                        self.diags.push(
                            Diagnostic::new(Code::Index, loc, format!("`{s}` is not an index key"))
                                .help("write a column name with an optional ` desc`, or `{ expr: \"...\" }` for an expression"),
                        );
                        None
                    }
                }
            }
            Value::Mapping(_) => {
                let k = ctx.decode::<RawIndexKey>(v, path, self.diags)?;
                let desc = k.order == Some(RawOrder::Desc);
                let nulls_first = k.nulls.map(|n| n == RawNulls::First).filter(|n| *n != desc);
                for (what, name) in [("opclass", &k.opclass), ("collation", &k.collation)] {
                    if let Some(n) = name
                        && !is_sql_name(n)
                    {
                        self.diags.push(
                            Diagnostic::new(
                                Code::Index,
                                ctx.loc(&with(path, key(what))),
                                format!("`{n}` is not a {what} name"),
                            )
                            .help(format!("name the {what} as PostgreSQL does, e.g. `text_pattern_ops` or `C`, optionally schema-qualified")),
                        );
                    }
                }
                let make = |target| IndexKey {
                    target,
                    desc,
                    nulls_first,
                    opclass: k.opclass.clone(),
                    collation: k.collation.clone(),
                };
                match (k.column.clone(), k.expr.clone()) {
                    (Some(c), None) => Some(make(IndexTarget::Column(c))),
                    (None, Some(e)) => Some(make(IndexTarget::Expr(e))),
                    _ => {
                        self.diags.push(
                            Diagnostic::new(
                                Code::Index,
                                loc,
                                "an index key has exactly one of `column` and `expr`",
                            )
                            .help("write `{ column: name }` or `{ expr: \"lower(email)\" }`"),
                        );
                        None
                    }
                }
            }
            _ => {
                self.diags.push(
                    Diagnostic::new(Code::Index, loc, "an index key is a column name or a map")
                        .help("write `created_at desc` or `{ expr: \"...\" }`"),
                );
                None
            }
        }
    }
}
