//! Functions, procedures and triggers compared: a function by its identity (schema, name,
//! input argument types), a trigger by its table and name. Bodies compare as the loader prints
//! them (an `sql` body from its parse tree, others as written); defaults and `WHEN`
//! conditions in the normalized form of [`super::expr::normalize`].

use super::{Comparer, DifferenceKind, comment_text, expr};
use crate::model::{Function, Schema, Trigger};

impl Comparer {
    pub(super) fn routines(&mut self, declared: &Schema, live: &Schema) {
        for f in &declared.functions {
            let object = format!(
                "{} {}",
                if f.kind.is_function() {
                    "function"
                } else {
                    "procedure"
                },
                f.signature()
            );
            match live.function(f) {
                None => self.missing(object),
                Some(l) => self.function(object, f, l),
            }
        }
        for l in &live.functions {
            if declared.function(l).is_none() {
                let kind = if l.kind.is_function() {
                    "function"
                } else {
                    "procedure"
                };
                self.extra(format!("{kind} {}", l.signature()));
            }
        }
        for t in &declared.triggers {
            let object = format!("trigger {} on {}", t.name, t.table);
            match live.trigger(&t.table, &t.name) {
                None => self.missing(object),
                Some(l) => self.trigger(object, t, l),
            }
        }
        for l in &live.triggers {
            if declared.trigger(&l.table, &l.name).is_none() {
                self.extra(format!("trigger {} on {}", l.name, l.table));
            }
        }
    }

    fn differs(&mut self, object: &str, what: &str, live: String, declared: String) {
        if live != declared {
            self.push(
                object.to_string(),
                DifferenceKind::Changed,
                format!("{what}: database has {live}, schema says {declared}"),
            );
        }
    }

    fn function(&mut self, object: String, d: &Function, l: &Function) {
        let o = object.as_str();
        let args = |f: &Function| {
            f.arguments
                .iter()
                .map(|a| {
                    format!(
                        "{}{}{}{}",
                        a.mode.sql(),
                        a.name
                            .as_deref()
                            .map(|n| format!("{n} "))
                            .unwrap_or_default(),
                        a.ty,
                        a.default
                            .as_deref()
                            .map(|x| format!(" DEFAULT {}", expr::normalize(x)))
                            .unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        self.differs(
            o,
            "arguments",
            format!("({})", args(l)),
            format!("({})", args(d)),
        );
        self.differs(
            o,
            "result",
            format!("{:?}", l.returns),
            format!("{:?}", d.returns),
        );
        self.differs(o, "language", l.language.clone(), d.language.clone());
        self.differs(
            o,
            "volatility",
            format!("{:?}", l.volatility),
            format!("{:?}", d.volatility),
        );
        self.differs(o, "strict", l.strict.to_string(), d.strict.to_string());
        self.differs(
            o,
            "security definer",
            l.security_definer.to_string(),
            d.security_definer.to_string(),
        );
        self.differs(
            o,
            "execute for public",
            l.public_execute.to_string(),
            d.public_execute.to_string(),
        );
        self.differs(
            o,
            "parallel",
            format!("{:?}", l.parallel),
            format!("{:?}", d.parallel),
        );
        self.differs(o, "cost", format!("{:?}", l.cost), format!("{:?}", d.cost));
        self.differs(
            o,
            "settings",
            format!("{:?}", l.set),
            format!("{:?}", d.set),
        );
        if l.body != d.body {
            self.push(
                object.clone(),
                DifferenceKind::Changed,
                "the body differs".to_string(),
            );
        }
        self.differs(
            o,
            "comment",
            comment_text(l.description.as_ref()),
            comment_text(d.description.as_ref()),
        );
    }

    fn trigger(&mut self, object: String, d: &Trigger, l: &Trigger) {
        let o = object.as_str();
        self.differs(
            o,
            "timing",
            format!("{:?}", l.timing),
            format!("{:?}", d.timing),
        );
        self.differs(
            o,
            "events",
            format!("{:?}", l.events),
            format!("{:?}", d.events),
        );
        self.differs(
            o,
            "for each",
            format!("{:?}", l.for_each),
            format!("{:?}", d.for_each),
        );
        let when = |t: &Trigger| t.when.as_deref().map_or("none".into(), expr::normalize);
        self.differs(o, "when", when(l), when(d));
        let function = |t: &Trigger| {
            format!(
                "{}{}({:?})",
                t.function_schema
                    .as_deref()
                    .map(|s| format!("{s}."))
                    .unwrap_or_default(),
                t.function,
                t.arguments
            )
        };
        self.differs(o, "function", function(l), function(d));
        self.differs(
            o,
            "transition tables",
            format!("{:?} {:?}", l.old_table, l.new_table),
            format!("{:?} {:?}", d.old_table, d.new_table),
        );
        self.differs(
            o,
            "constraint trigger",
            format!("{} {:?}", l.constraint, l.deferrable),
            format!("{} {:?}", d.constraint, d.deferrable),
        );
        self.differs(
            o,
            "comment",
            comment_text(l.description.as_ref()),
            comment_text(d.description.as_ref()),
        );
    }
}
