//! A table's indexes, paired by name and then by definition (a renamed index): keys with their
//! order, collation and operator class, method, uniqueness, `INCLUDE`, `NULLS NOT DISTINCT`,
//! storage parameters, predicate and comment.

use super::{Comparer, Pair, expr, list, pair_up};
use crate::model::{Index, IndexKey, IndexMethod, IndexTarget, Table};
use crate::render::sql::ident;

impl Comparer {
    pub(super) fn indexes(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        let same_definition = |a: &Index, b: &Index| {
            keys_key(&a.keys) == keys_key(&b.keys)
                && a.unique == b.unique
                && a.method == b.method
                && a.include == b.include
                && a.nulls_not_distinct == b.nulls_not_distinct
                && a.with == b.with
                && a.predicate.as_deref().map(expr::normalize)
                    == b.predicate.as_deref().map(expr::normalize)
        };
        for p in pair_up(&d.indexes, &l.indexes, |i| &i.name, same_definition) {
            match p {
                Pair::Both(a, b) => {
                    let object = format!("index {} on {tn}", a.name);
                    if a.name != b.name {
                        self.changed(
                            &format!("index on {tn} {}", keys_text(&a.keys)),
                            format!("the name {}", b.name),
                            &a.name,
                        );
                    }
                    if keys_key(&a.keys) != keys_key(&b.keys) {
                        self.changed(
                            &object,
                            format!("the keys {}", keys_text(&b.keys)),
                            keys_text(&a.keys),
                        );
                    }
                    if a.unique != b.unique {
                        let show = |u: bool| {
                            if u {
                                "a unique index"
                            } else {
                                "a non-unique index"
                            }
                        };
                        self.changed(&object, show(b.unique), show(a.unique));
                    }
                    if a.method != b.method {
                        self.changed(
                            &object,
                            format!("USING {}", b.method.sql()),
                            format!("USING {}", a.method.sql()),
                        );
                    }
                    let (pa, pb) = (a.predicate.as_deref(), b.predicate.as_deref());
                    if pa.map(expr::normalize) != pb.map(expr::normalize) {
                        let show = |p: Option<&str>| match p {
                            Some(p) => format!("WHERE {}", p.trim()),
                            None => "no predicate".to_string(),
                        };
                        self.changed(&object, show(pb), show(pa));
                    }
                    if (&a.include, a.nulls_not_distinct, &a.with)
                        != (&b.include, b.nulls_not_distinct, &b.with)
                    {
                        self.changed(&object, index_text(b), index_text(a));
                    }
                    self.comment(&object, a.description.as_ref(), b.description.as_ref());
                }
                Pair::Declared(a) => {
                    self.missing(format!("index {} on {tn} {}", a.name, index_text(a)))
                }
                Pair::Live(b) => self.extra(format!("index {} on {tn} {}", b.name, index_text(b))),
            }
        }
    }
}

/// A key's options as the DDL writes them (` COLLATE "C" text_pattern_ops NULLS FIRST`).
pub(super) type KeyOptions = (Option<bool>, Option<String>, Option<String>);

/// The keys of an index in comparable form (expressions normalized).
pub(super) fn keys_key(keys: &[IndexKey]) -> Vec<(String, bool, KeyOptions)> {
    keys.iter()
        .map(|k| {
            let t = match &k.target {
                IndexTarget::Column(c) => ident(c).into_owned(),
                IndexTarget::Expr(e) => expr::normalize(e),
            };
            (
                t,
                k.desc,
                (k.nulls_first, k.opclass.clone(), k.collation.clone()),
            )
        })
        .collect()
}

pub(super) fn keys_text(keys: &[IndexKey]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|k| {
            let mut s = match &k.target {
                IndexTarget::Column(c) => ident(c).into_owned(),
                IndexTarget::Expr(e) => format!("({})", e.trim()),
            };
            if let Some(c) = &k.collation {
                s.push_str(&format!(" COLLATE {c}"));
            }
            if let Some(o) = &k.opclass {
                s.push_str(&format!(" {o}"));
            }
            if k.desc {
                s.push_str(" DESC");
            }
            match k.nulls_first {
                Some(true) => s.push_str(" NULLS FIRST"),
                Some(false) => s.push_str(" NULLS LAST"),
                None => {}
            }
            s
        })
        .collect();
    format!("({})", parts.join(", "))
}

pub(super) fn index_text(i: &Index) -> String {
    let mut s = String::new();
    if i.unique {
        s.push_str("UNIQUE ");
    }
    if i.method != IndexMethod::Btree {
        s.push_str(&format!("USING {} ", i.method.sql()));
    }
    s.push_str(&keys_text(&i.keys));
    if !i.include.is_empty() {
        s.push_str(&format!(" INCLUDE {}", list(&i.include)));
    }
    if i.nulls_not_distinct {
        s.push_str(" NULLS NOT DISTINCT");
    }
    if !i.with.is_empty() {
        let p: Vec<String> = i.with.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.push_str(&format!(" WITH ({})", p.join(", ")));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {}", p.trim()));
    }
    s
}
