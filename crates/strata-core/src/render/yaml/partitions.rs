//! A table's `partition_by:` and `partitions:` (each partition on one line, or as a block when
//! it has a comment or partitions of its own).

use super::{flow_scalar, key, literal_yaml};
use crate::model::{BoundValue, Literal, Partition, PartitionBound, PartitionBy, Table};
use std::fmt::Write as _;

pub(super) fn write_partitioning(out: &mut String, t: &Table) {
    write_level(out, 4, t.partition_by.as_ref(), &t.partitions);
}

fn write_level(out: &mut String, indent: usize, by: Option<&PartitionBy>, parts: &[Partition]) {
    let pad = " ".repeat(indent);
    if let Some(by) = by {
        let _ = writeln!(out, "{pad}partition_by: {}", key_yaml(by));
    }
    if parts.is_empty() {
        return;
    }
    let _ = writeln!(out, "{pad}partitions:");
    for p in parts {
        let bound = bound_fields(&p.bound);
        if p.partition_by.is_none() && p.partitions.is_empty() && p.description.is_none() {
            let _ = writeln!(out, "{pad}  {}: {{ {} }}", key(&p.name), bound.join(", "));
            continue;
        }
        let _ = writeln!(out, "{pad}  {}:", key(&p.name));
        for f in &bound {
            let _ = writeln!(out, "{pad}    {f}");
        }
        if let Some(d) = &p.description {
            let _ = writeln!(out, "{pad}    description: {}", flow_scalar(d));
        }
        write_level(out, indent + 4, p.partition_by.as_ref(), &p.partitions);
    }
}

fn key_yaml(by: &PartitionBy) -> String {
    let columns: Vec<String> = by.columns.iter().map(|c| flow_scalar(c)).collect();
    format!("{{ {}: [{}] }}", by.strategy.key(), columns.join(", "))
}

fn bound_fields(b: &PartitionBound) -> Vec<String> {
    let list = |values: &[BoundValue]| {
        let v: Vec<String> = values.iter().map(value_yaml).collect();
        format!("[{}]", v.join(", "))
    };
    match b {
        PartitionBound::Range { from, to } => {
            vec![format!("from: {}", list(from)), format!("to: {}", list(to))]
        }
        PartitionBound::List(values) => vec![format!("in: {}", list(values))],
        PartitionBound::Hash { modulus, remainder } => {
            vec![
                format!("modulus: {modulus}"),
                format!("remainder: {remainder}"),
            ]
        }
        PartitionBound::Default => vec!["default: true".into()],
    }
}

fn value_yaml(v: &BoundValue) -> String {
    match v {
        BoundValue::MinValue => "MINVALUE".into(),
        BoundValue::MaxValue => "MAXVALUE".into(),
        BoundValue::Null => "null".into(),
        BoundValue::String(s) => flow_scalar(s),
        BoundValue::Integer(i) => i.to_string(),
        BoundValue::Number(n) => literal_yaml(&Literal::Number(n.clone())),
        BoundValue::Bool(b) => b.to_string(),
    }
}
