//! Views and materialized views: present on both sides, of the same kind, with the same query
//! (both printed from their parse trees), options, comments, column comments and indexes.
//!
//! The query is compared as PostgreSQL's parser reads it, not as the server stores it: the
//! database's `pg_get_viewdef` spells a query in its own way (columns qualified, `*` expanded),
//! so a schema whose query is written differently from the server's spelling reports the
//! query as changed; `strata import` writes the server's spelling.

use super::Comparer;
use crate::model::{Schema, View};

impl Comparer {
    pub(super) fn views(&mut self, declared: &Schema, live: &Schema) {
        for d in &declared.views {
            let object = format!("{} {}", d.kind(), d.name);
            let Some(l) = live.view(&d.name) else {
                self.missing(object);
                continue;
            };
            if d.materialized != l.materialized {
                self.changed(&object, l.kind(), d.kind());
                continue;
            }
            if d.query.trim().trim_end_matches(';') != l.query.trim().trim_end_matches(';') {
                self.changed(&object, format!("`{}`", l.query), format!("`{}`", d.query));
            }
            let opts = |v: &View| {
                let mut o = Vec::new();
                if let Some(c) = v.check_option {
                    o.push(format!("{} check option", c.as_str()));
                }
                if v.security_barrier {
                    o.push("security_barrier".to_string());
                }
                if v.security_invoker {
                    o.push("security_invoker".to_string());
                }
                if o.is_empty() {
                    "no options".to_string()
                } else {
                    o.join(", ")
                }
            };
            if opts(d) != opts(l) {
                self.changed(&object, opts(l), opts(d));
            }
            self.comment(&object, d.description.as_ref(), l.description.as_ref());
            let described = |v: &View, c: &str| {
                v.columns
                    .iter()
                    .find(|x| x.name == c)
                    .and_then(|x| x.description.clone())
            };
            let mut names: Vec<&str> = d.columns.iter().map(|c| c.name.as_str()).collect();
            names.extend(l.columns.iter().map(|c| c.name.as_str()));
            names.sort_unstable();
            names.dedup();
            for c in names {
                let (dc, lc) = (described(d, c), described(l, c));
                self.comment(&format!("column {}.{c}", d.name), dc.as_ref(), lc.as_ref());
            }
            for i in &d.indexes {
                match l.indexes.iter().find(|x| x.name == i.name) {
                    None => self.missing(format!("index {} on {}", i.name, d.name)),
                    Some(x) => {
                        let (a, b) = (super::index_text(x), super::index_text(i));
                        if a != b {
                            self.changed(&format!("index {} on {}", i.name, d.name), a, b);
                        }
                        self.comment(
                            &format!("index {}", i.name),
                            i.description.as_ref(),
                            x.description.as_ref(),
                        );
                    }
                }
            }
            for x in &l.indexes {
                if !d.indexes.iter().any(|i| i.name == x.name) {
                    self.extra(format!("index {} on {}", x.name, d.name));
                }
            }
        }
        let mut extra: Vec<&View> = live
            .views
            .iter()
            .filter(|v| declared.view(&v.name).is_none())
            .collect();
        extra.sort_by(|a, b| a.name.cmp(&b.name));
        for v in extra {
            self.extra(format!("{} {}", v.kind(), v.name));
        }
    }
}
