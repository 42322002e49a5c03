//! The page's sections for functions, procedures and triggers.

use super::Page;
use super::markdown::{self, code, text};
use crate::model::{
    ArgMode, ForEach, Parallel, Returns, RoutineKind, TriggerEvent, TriggerTiming, Volatility,
};

impl Page<'_> {
    pub(super) fn functions(&mut self) {
        let s = self.schema;
        self.heading(2, "Functions and procedures", None);
        for f in &s.functions {
            self.heading(3, &code(&f.signature()), None);
            if let Some(d) = &f.description {
                self.para(&text(d));
            }
            let kind = match f.kind {
                RoutineKind::Function => "function",
                RoutineKind::Procedure => "procedure",
            };
            let args: Vec<String> = f
                .arguments
                .iter()
                .map(|a| {
                    let mode = match a.mode {
                        ArgMode::In => "",
                        ArgMode::Out => "OUT ",
                        ArgMode::Inout => "INOUT ",
                        ArgMode::Variadic => "VARIADIC ",
                    };
                    let name = a
                        .name
                        .as_deref()
                        .map(|n| format!("{n} "))
                        .unwrap_or_default();
                    let default = a
                        .default
                        .as_deref()
                        .map(|d| format!(" DEFAULT {d}"))
                        .unwrap_or_default();
                    code(&format!("{mode}{name}{}{default}", a.ty))
                })
                .collect();
            let returns = match &f.returns {
                None if f.kind == RoutineKind::Procedure => "—".to_string(),
                None => "its OUT arguments".to_string(),
                Some(Returns::Type(t)) => code(t),
                Some(Returns::SetOf(t)) => format!("rows of {}", code(t)),
                Some(Returns::Table(cols)) => {
                    let cols: Vec<String> = cols
                        .iter()
                        .map(|(n, t)| code(&format!("{n} {t}")))
                        .collect();
                    format!("rows of ({})", cols.join(", "))
                }
            };
            let mut traits = Vec::new();
            match f.volatility {
                Volatility::Volatile => {}
                Volatility::Stable => traits.push("stable"),
                Volatility::Immutable => traits.push("immutable"),
            }
            if f.strict {
                traits.push("strict");
            }
            if f.security_definer {
                traits.push("security definer");
            }
            match f.parallel {
                Parallel::Unsafe => {}
                Parallel::Restricted => traits.push("parallel restricted"),
                Parallel::Safe => traits.push("parallel safe"),
            }
            let mut rows = vec![
                vec!["Kind".to_string(), kind.to_string()],
                vec!["Language".to_string(), code(&f.language)],
                vec![
                    "Arguments".to_string(),
                    if args.is_empty() {
                        "none".to_string()
                    } else {
                        args.join(", ")
                    },
                ],
                vec!["Returns".to_string(), returns],
            ];
            if !traits.is_empty() {
                rows.push(vec!["Properties".to_string(), traits.join(", ")]);
            }
            let callers: Vec<String> = s
                .triggers
                .iter()
                .filter(|t| t.function == f.name && t.function_schema == f.schema)
                .map(|t| format!("{} on {}", code(&t.name), self.table_link(&t.table)))
                .collect();
            if !callers.is_empty() {
                rows.push(vec!["Triggers".to_string(), callers.join(", ")]);
            }
            self.para(markdown::table(&["Property", "Value"], &rows).trim_end());
        }
    }

    pub(super) fn triggers(&mut self) {
        let s = self.schema;
        self.heading(2, "Triggers", None);
        for t in &s.triggers {
            let title = format!("{} on {}", code(&t.name), code(&t.table));
            self.heading(3, &title, None);
            if let Some(d) = &t.description {
                self.para(&text(d));
            }
            let timing = match t.timing {
                TriggerTiming::Before => "before",
                TriggerTiming::After => "after",
                TriggerTiming::InsteadOf => "instead of",
            };
            let events: Vec<String> = t
                .events
                .iter()
                .map(|e| match e {
                    TriggerEvent::Insert => "insert".to_string(),
                    TriggerEvent::Update(c) if c.is_empty() => "update".to_string(),
                    TriggerEvent::Update(c) => {
                        let cols: Vec<String> = c.iter().map(|x| code(x)).collect();
                        format!("update of {}", cols.join(", "))
                    }
                    TriggerEvent::Delete => "delete".to_string(),
                    TriggerEvent::Truncate => "truncate".to_string(),
                })
                .collect();
            let each = match t.for_each {
                ForEach::Row => "each row",
                ForEach::Statement => "each statement",
            };
            let mut sentence = format!(
                "Runs {} {timing} {} on {}, for {each}",
                code(&t.function),
                events.join(" or "),
                self.table_link(&t.table)
            );
            if let Some(w) = &t.when {
                sentence.push_str(&format!(", when {}", code(w)));
            }
            if !t.arguments.is_empty() {
                let args: Vec<String> = t.arguments.iter().map(|a| code(a)).collect();
                sentence.push_str(&format!(", with {}", args.join(", ")));
            }
            sentence.push('.');
            self.para(&sentence);
        }
    }
}
