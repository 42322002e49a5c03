//! Exclusion constraints: the columns they name exist, the access method can enforce one, and
//! only btree keeps an order.

use super::Validator;
use crate::diag::{Code, Diagnostic};
use crate::model::*;

impl Validator<'_> {
    pub(super) fn exclusions(&mut self, t: &Table) {
        for x in &t.exclusions {
            let what = format!("exclusion constraint `{}`", x.name);
            for e in &x.elements {
                if let IndexTarget::Column(c) = &e.key.target {
                    self.column_ref(t, c, x.loc, &what);
                }
            }
            for c in &x.include {
                self.column_ref(t, c, x.loc, &format!("the `include` of {what}"));
            }
            if matches!(x.method, IndexMethod::Gin | IndexMethod::Brin) {
                self.err(
                    Diagnostic::new(
                        Code::Exclusion,
                        x.loc,
                        format!(
                            "{what} uses {}, which cannot enforce an exclusion constraint",
                            x.method.sql()
                        ),
                    )
                    .help("use `gist` (ranges, geometric types; scalars with the btree_gist extension), `btree`, `hash` or `spgist`"),
                );
            }
            if x.method != IndexMethod::Btree && x.elements.iter().any(|e| e.key.desc) {
                self.err(
                    Diagnostic::new(
                        Code::Exclusion,
                        x.loc,
                        format!(
                            "{what} uses {} but orders an element `desc`",
                            x.method.sql()
                        ),
                    )
                    .help("only btree keeps an order; remove `order: desc` or use btree"),
                );
            }
            self.no_nul(x.description.as_deref(), x.loc);
        }
    }
}
