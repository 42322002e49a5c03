//! Domains: present on both sides, with the same type, NOT NULL, default, checks and comment.

use super::{Comparer, expr, same_default};
use crate::model::Schema;

impl Comparer {
    pub(super) fn domains(&mut self, declared: &Schema, live: &Schema) {
        for d in &declared.domains {
            let object = format!("domain {}", d.name);
            let Some(l) = live.domain(&d.name) else {
                self.missing(object);
                continue;
            };
            if d.ty != l.ty {
                self.changed(&object, &l.ty, &d.ty);
            }
            if d.not_null != l.not_null {
                let show = |n: bool| if n { "NOT NULL" } else { "nullable" };
                self.changed(&object, show(l.not_null), show(d.not_null));
            }
            if !same_default(d.default.as_ref(), &d.ty, l.default.as_ref(), &l.ty) {
                self.changed(&object, "another default", "the schema's default");
            }
            for c in &d.checks {
                match l.checks.iter().find(|x| x.name == c.name) {
                    None => {
                        self.missing(format!("check {} on {object} ({})", c.name, c.expr.trim()))
                    }
                    Some(x) if expr::normalize(&x.expr) != expr::normalize(&c.expr) => self
                        .changed(
                            &format!("check {} on {object}", c.name),
                            format!("CHECK ({})", x.expr.trim()),
                            format!("CHECK ({})", c.expr.trim()),
                        ),
                    Some(_) => {}
                }
            }
            for x in &l.checks {
                if !d.checks.iter().any(|c| c.name == x.name) {
                    self.extra(format!("check {} on {object} ({})", x.name, x.expr.trim()));
                }
            }
            self.comment(&object, d.description.as_ref(), l.description.as_ref());
        }
        for l in &live.domains {
            if declared.domain(&l.name).is_none() {
                self.extra(format!("domain {}", l.name));
            }
        }
    }
}
