//! `functions:` and a table's `triggers:` written back as a person would write them.

use super::{block_scalar, deferrable, flow_list, flow_scalar, key, quoted};
use crate::model::{
    ArgMode, ForEach, Function, Parallel, Returns, RoutineKind, Schema, Table, TriggerEvent,
    TriggerTiming, Volatility,
};
use std::fmt::Write as _;

/// The `functions:` section, empty when the schema has none.
pub(super) fn write_functions(out: &mut String, schema: &Schema) {
    if schema.functions.is_empty() {
        return;
    }
    out.push_str("\nfunctions:\n");
    for f in &schema.functions {
        write_function(out, f);
    }
}

fn write_function(out: &mut String, f: &Function) {
    let _ = writeln!(out, "  {}:", key(&f.key));
    if f.key != f.name {
        let _ = writeln!(out, "    name: {}", block_scalar(&f.name));
    }
    if let Some(s) = &f.schema {
        let _ = writeln!(out, "    schema: {}", block_scalar(s));
    }
    if f.kind == RoutineKind::Procedure {
        out.push_str("    kind: procedure\n");
    }
    let _ = writeln!(out, "    language: {}", block_scalar(&f.language));
    if !f.arguments.is_empty() {
        out.push_str("    arguments:\n");
        for a in &f.arguments {
            let mut fields = Vec::new();
            if let Some(n) = &a.name {
                fields.push(format!("name: {}", flow_scalar(n)));
            }
            fields.push(format!("type: {}", flow_scalar(&a.ty)));
            match a.mode {
                ArgMode::In => {}
                ArgMode::Out => fields.push("mode: out".into()),
                ArgMode::Inout => fields.push("mode: inout".into()),
                ArgMode::Variadic => fields.push("mode: variadic".into()),
            }
            if let Some(d) = &a.default {
                fields.push(format!("default: {}", quoted(d)));
            }
            let _ = writeln!(out, "      - {{ {} }}", fields.join(", "));
        }
    }
    match &f.returns {
        None => {}
        Some(Returns::Type(t)) => {
            let _ = writeln!(out, "    returns: {}", block_scalar(t));
        }
        Some(Returns::SetOf(t)) => {
            let _ = writeln!(out, "    returns: {{ setof: {} }}", flow_scalar(t));
        }
        Some(Returns::Table(cols)) => {
            let cols: Vec<String> = cols
                .iter()
                .map(|(n, t)| format!("{}: {}", flow_scalar(n), flow_scalar(t)))
                .collect();
            let _ = writeln!(out, "    returns: {{ table: {{ {} }} }}", cols.join(", "));
        }
    }
    match f.volatility {
        Volatility::Volatile => {}
        Volatility::Stable => out.push_str("    volatility: stable\n"),
        Volatility::Immutable => out.push_str("    volatility: immutable\n"),
    }
    if f.strict {
        out.push_str("    strict: true\n");
    }
    if f.security_definer {
        out.push_str("    security_definer: true\n");
    }
    if !f.public_execute {
        out.push_str("    public_execute: false\n");
    }
    match f.parallel {
        Parallel::Unsafe => {}
        Parallel::Restricted => out.push_str("    parallel: restricted\n"),
        Parallel::Safe => out.push_str("    parallel: safe\n"),
    }
    if let Some(c) = f.cost {
        let _ = writeln!(out, "    cost: {c}");
    }
    if !f.set.is_empty() {
        let items: Vec<String> = f
            .set
            .iter()
            .map(|(k, v)| format!("{}: {}", flow_scalar(k), flow_scalar(v)))
            .collect();
        let _ = writeln!(out, "    set: {{ {} }}", items.join(", "));
    }
    let _ = writeln!(out, "    body: {}", text_value(&f.body, 4));
    if let Some(d) = &f.description {
        let _ = writeln!(out, "    description: {}", block_scalar(d));
    }
}

/// A long text (a body) as a literal block when it has several lines and reads back the same,
/// else as a scalar.
fn text_value(s: &str, indent: usize) -> String {
    if !s.contains('\n')
        || s.contains('\r')
        || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return block_scalar(s);
    }
    let content = s.trim_end_matches('\n');
    let trailing = s.len() - content.len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let first = content.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let indicator = if first.starts_with(' ') { "2" } else { "" };
    let pad = " ".repeat(indent + 2);
    let mut block = format!("|{indicator}{chomp}");
    for line in s.trim_end_matches('\n').split('\n') {
        block.push('\n');
        if !line.is_empty() {
            block.push_str(&pad);
            block.push_str(line);
        }
    }
    for _ in 1..trailing {
        block.push('\n');
    }
    let doc = format!("{}k: {block}\n", " ".repeat(indent));
    let reads_back = matches!(
        serde_yaml::from_str::<serde_yaml::Value>(&doc),
        Ok(serde_yaml::Value::Mapping(m)) if m.get("k").and_then(|v| v.as_str()) == Some(s)
    );
    if reads_back { block } else { quoted(s) }
}

/// The `triggers:` of a table, none when it has none.
pub(super) fn write_triggers(out: &mut String, schema: &Schema, t: &Table) {
    let triggers: Vec<_> = schema
        .triggers
        .iter()
        .filter(|x| x.table == t.name)
        .collect();
    if triggers.is_empty() {
        return;
    }
    out.push_str("    triggers:\n");
    for tr in triggers {
        let _ = writeln!(out, "      {}:", key(&tr.name));
        let timing = match tr.timing {
            TriggerTiming::Before => "before",
            TriggerTiming::After => "after",
            TriggerTiming::InsteadOf => "instead_of",
        };
        let _ = writeln!(out, "        timing: {timing}");
        let events: Vec<String> = tr
            .events
            .iter()
            .map(|e| match e {
                TriggerEvent::Insert => "insert".to_string(),
                TriggerEvent::Update(c) if c.is_empty() => "update".to_string(),
                TriggerEvent::Update(c) => format!("{{ update_of: {} }}", flow_list(c)),
                TriggerEvent::Delete => "delete".to_string(),
                TriggerEvent::Truncate => "truncate".to_string(),
            })
            .collect();
        let _ = writeln!(out, "        events: [{}]", events.join(", "));
        let for_each = match tr.for_each {
            ForEach::Row => "row",
            ForEach::Statement => "statement",
        };
        let _ = writeln!(out, "        for_each: {for_each}");
        if let Some(w) = &tr.when {
            let _ = writeln!(out, "        when: {}", block_scalar(w));
        }
        let function = match &tr.function_schema {
            Some(s) => format!("{s}.{}", tr.function),
            None => tr.function.clone(),
        };
        let _ = writeln!(out, "        function: {}", block_scalar(&function));
        if !tr.arguments.is_empty() {
            let _ = writeln!(out, "        arguments: {}", flow_list(&tr.arguments));
        }
        if tr.old_table.is_some() || tr.new_table.is_some() {
            let mut parts = Vec::new();
            if let Some(o) = &tr.old_table {
                parts.push(format!("old_table: {}", flow_scalar(o)));
            }
            if let Some(n) = &tr.new_table {
                parts.push(format!("new_table: {}", flow_scalar(n)));
            }
            let _ = writeln!(out, "        referencing: {{ {} }}", parts.join(", "));
        }
        if tr.constraint {
            out.push_str("        constraint: true\n");
        }
        if let Some(d) = deferrable(tr.deferrable) {
            let _ = writeln!(out, "        deferrable: {d}");
        }
        if let Some(d) = &tr.description {
            let _ = writeln!(out, "        description: {}", block_scalar(d));
        }
    }
}
