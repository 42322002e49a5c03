//! A table's constraints: its primary key, unique constraints, checks and foreign keys, each
//! paired by name and then by definition (a renamed constraint), with its deferral, validity
//! and comment.

use super::{Comparer, Pair, deferral, expr, list, pair_up, validity};
use crate::model::{FkAction, ForeignKey, Table};
use crate::render::sql::ident;

impl Comparer {
    pub(super) fn primary_key(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        match (&d.primary_key, &l.primary_key) {
            (Some(a), Some(b)) => {
                if a.columns != b.columns {
                    self.changed(
                        &format!("primary key of {tn}"),
                        list(&b.columns),
                        list(&a.columns),
                    );
                }
                if a.name != b.name {
                    self.changed(
                        &format!("primary key of {tn}"),
                        format!("the name {}", b.name),
                        &a.name,
                    );
                }
                let object = format!("primary key {} on {tn}", a.name);
                self.comment(&object, a.description.as_ref(), b.description.as_ref());
            }
            (Some(a), None) => self.missing(format!("primary key {} on {tn}", a.name)),
            (None, Some(b)) => self.extra(format!("primary key {} on {tn}", b.name)),
            (None, None) => {}
        }
    }

    pub(super) fn uniques(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        let pairs = pair_up(
            &d.uniques,
            &l.uniques,
            |u| &u.name,
            |a, b| a.columns == b.columns,
        );
        for p in pairs {
            match p {
                Pair::Both(a, b) => {
                    let object = format!("unique constraint {} on {tn}", a.name);
                    if a.name != b.name {
                        self.changed(
                            &format!("unique constraint on {tn} {}", list(&a.columns)),
                            format!("the name {}", b.name),
                            &a.name,
                        );
                    }
                    if a.columns != b.columns {
                        self.changed(&object, list(&b.columns), list(&a.columns));
                    }
                    if a.nulls_not_distinct != b.nulls_not_distinct {
                        let show = |n: bool| {
                            if n {
                                "NULLS NOT DISTINCT"
                            } else {
                                "NULLS DISTINCT"
                            }
                        };
                        self.changed(
                            &object,
                            show(b.nulls_not_distinct),
                            show(a.nulls_not_distinct),
                        );
                    }
                    if a.deferrable != b.deferrable {
                        self.changed(&object, deferral(b.deferrable), deferral(a.deferrable));
                    }
                    if a.include != b.include {
                        let show = |i: &[String]| {
                            if i.is_empty() {
                                "no INCLUDE columns".to_string()
                            } else {
                                format!("INCLUDE {}", list(i))
                            }
                        };
                        self.changed(&object, show(&b.include), show(&a.include));
                    }
                    self.comment(&object, a.description.as_ref(), b.description.as_ref());
                }
                Pair::Declared(a) => self.missing(format!(
                    "unique constraint {} on {tn} {}",
                    a.name,
                    list(&a.columns)
                )),
                Pair::Live(b) => self.extra(format!(
                    "unique constraint {} on {tn} {}",
                    b.name,
                    list(&b.columns)
                )),
            }
        }
    }

    pub(super) fn checks(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        let pairs = pair_up(
            &d.checks,
            &l.checks,
            |c| &c.name,
            |a, b| expr::normalize(&a.expr) == expr::normalize(&b.expr),
        );
        for p in pairs {
            match p {
                Pair::Both(a, b) => {
                    if a.name != b.name {
                        self.changed(
                            &format!("check constraint on {tn} ({})", a.expr.trim()),
                            format!("the name {}", b.name),
                            &a.name,
                        );
                    }
                    if expr::normalize(&a.expr) != expr::normalize(&b.expr) {
                        self.changed(
                            &format!("check constraint {} on {tn}", a.name),
                            format!("CHECK ({})", b.expr.trim()),
                            format!("CHECK ({})", a.expr.trim()),
                        );
                    }
                    let object = format!("check constraint {} on {tn}", a.name);
                    if a.not_valid != b.not_valid {
                        self.changed(&object, validity(b.not_valid), validity(a.not_valid));
                    }
                    if a.no_inherit != b.no_inherit {
                        let show = |n: bool| if n { "NO INHERIT" } else { "inherited" };
                        self.changed(&object, show(b.no_inherit), show(a.no_inherit));
                    }
                    self.comment(&object, a.description.as_ref(), b.description.as_ref());
                }
                Pair::Declared(a) => self.missing(format!(
                    "check constraint {} on {tn} ({})",
                    a.name,
                    a.expr.trim()
                )),
                Pair::Live(b) => self.extra(format!(
                    "check constraint {} on {tn} ({})",
                    b.name,
                    b.expr.trim()
                )),
            }
        }
    }

    pub(super) fn foreign_keys(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        let same_target = |a: &ForeignKey, b: &ForeignKey| {
            a.columns == b.columns && a.ref_table == b.ref_table && a.ref_columns == b.ref_columns
        };
        for p in pair_up(&d.foreign_keys, &l.foreign_keys, |f| &f.name, same_target) {
            match p {
                Pair::Both(a, b) => {
                    let object = format!("foreign key {} on {tn}", a.name);
                    if a.name != b.name {
                        self.changed(
                            &format!("foreign key on {tn} {}", list(&a.columns)),
                            format!("the name {}", b.name),
                            &a.name,
                        );
                    }
                    if !same_target(a, b) {
                        self.changed(&object, fk_text(b), fk_text(a));
                    }
                    let actions = [
                        ("ON DELETE", a.on_delete, b.on_delete),
                        ("ON UPDATE", a.on_update, b.on_update),
                    ];
                    for (what, da, la) in actions {
                        if da != la {
                            self.changed(&object, format!("{what} {}", la.sql()), action_text(da));
                        }
                    }
                    if a.on_delete_columns != b.on_delete_columns {
                        let show = |c: &[String]| {
                            if c.is_empty() {
                                "ON DELETE setting every key column".to_string()
                            } else {
                                format!("ON DELETE setting only {}", list(c))
                            }
                        };
                        self.changed(
                            &object,
                            show(&b.on_delete_columns),
                            show(&a.on_delete_columns),
                        );
                    }
                    if a.match_full != b.match_full {
                        let show = |m: bool| if m { "MATCH FULL" } else { "MATCH SIMPLE" };
                        self.changed(&object, show(b.match_full), show(a.match_full));
                    }
                    if a.deferrable != b.deferrable {
                        self.changed(&object, deferral(b.deferrable), deferral(a.deferrable));
                    }
                    if a.not_valid != b.not_valid {
                        self.changed(&object, validity(b.not_valid), validity(a.not_valid));
                    }
                    self.comment(&object, a.description.as_ref(), b.description.as_ref());
                }
                Pair::Declared(a) => {
                    self.missing(format!("foreign key {} on {tn} {}", a.name, fk_text(a)))
                }
                Pair::Live(b) => {
                    self.extra(format!("foreign key {} on {tn} {}", b.name, fk_text(b)))
                }
            }
        }
    }
}

pub(super) fn action_text(a: FkAction) -> String {
    a.sql().to_string()
}

pub(super) fn fk_text(fk: &ForeignKey) -> String {
    format!(
        "{} REFERENCES {} {}",
        list(&fk.columns),
        ident(&fk.ref_table),
        list(&fk.ref_columns)
    )
}
