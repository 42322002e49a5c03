//! Declarative partitioning: the `PARTITION BY` clause of a partitioned table, the `CREATE
//! TABLE … PARTITION OF` of each partition, and `ATTACH`/`DETACH PARTITION` for migrations.
//!
//! Bound values are constants of the model, each printed here as a literal ([`literal`] for
//! text, digits for numbers); PostgreSQL converts them to the key column's type.

use super::quote::{ident, literal};
use super::values::is_plain_number;
use super::{Statement, StatementKind};
use crate::model::{BoundValue, Partition, PartitionBound, PartitionBy, Table};

/// ` PARTITION BY RANGE (a, b)`, with its leading space.
pub fn partition_key_clause(by: &PartitionBy) -> String {
    let columns: Vec<String> = by.columns.iter().map(|c| ident(c).into_owned()).collect();
    format!(
        " PARTITION BY {} ({})",
        by.strategy.sql(),
        columns.join(", ")
    )
}

/// One value of a bound.
pub fn bound_value(v: &BoundValue) -> String {
    match v {
        BoundValue::MinValue => "MINVALUE".into(),
        BoundValue::MaxValue => "MAXVALUE".into(),
        BoundValue::Null => "NULL".into(),
        BoundValue::String(s) => literal(s),
        BoundValue::Integer(i) => i.to_string(),
        BoundValue::Number(n) if is_plain_number(n) => n.clone(),
        BoundValue::Number(n) => literal(n),
        BoundValue::Bool(b) => if *b { "true" } else { "false" }.into(),
    }
}

/// `FOR VALUES FROM (…) TO (…)`, `FOR VALUES IN (…)`, `FOR VALUES WITH (MODULUS m, REMAINDER
/// r)` or `DEFAULT`.
pub fn bound_clause(bound: &PartitionBound) -> String {
    let list = |values: &[BoundValue]| {
        values
            .iter()
            .map(bound_value)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match bound {
        PartitionBound::Range { from, to } => {
            format!("FOR VALUES FROM ({}) TO ({})", list(from), list(to))
        }
        PartitionBound::List(values) => format!("FOR VALUES IN ({})", list(values)),
        PartitionBound::Hash { modulus, remainder } => {
            format!("FOR VALUES WITH (MODULUS {modulus}, REMAINDER {remainder})")
        }
        PartitionBound::Default => "DEFAULT".into(),
    }
}

/// `CREATE TABLE <partition> PARTITION OF <parent> <bound> [PARTITION BY …]`: the partition
/// takes its columns, constraints and indexes from the parent.
pub fn create_partition(parent: &str, p: &Partition) -> Statement {
    let mut sql = format!(
        "CREATE TABLE {} PARTITION OF {} {}",
        ident(&p.name),
        ident(parent),
        bound_clause(&p.bound)
    );
    if let Some(by) = &p.partition_by {
        sql.push_str(&partition_key_clause(by));
    }
    Statement::new(StatementKind::CreateTable, sql)
}

/// The partitions of `table` and of its partitions, each after its parent.
pub fn create_partitions(table: &Table) -> Vec<Statement> {
    table
        .all_partitions()
        .into_iter()
        .map(|(parent, p)| create_partition(parent, p))
        .collect()
}

/// `ALTER TABLE <parent> ATTACH PARTITION <partition> <bound>`: PostgreSQL checks that every
/// row of the table fits the bound.
pub fn attach_partition(parent: &str, p: &Partition) -> Statement {
    Statement::new(
        StatementKind::CreateTable,
        format!(
            "ALTER TABLE {} ATTACH PARTITION {} {}",
            ident(parent),
            ident(&p.name),
            bound_clause(&p.bound)
        ),
    )
}

/// `ALTER TABLE <parent> DETACH PARTITION <partition>`: the partition becomes a table of its
/// own, with its rows.
pub fn detach_partition(parent: &str, partition: &str) -> Statement {
    Statement::new(
        StatementKind::CreateTable,
        format!(
            "ALTER TABLE {} DETACH PARTITION {}",
            ident(parent),
            ident(partition)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PartitionStrategy;

    #[test]
    fn bounds_print_as_literals() {
        let range = PartitionBound::Range {
            from: vec![BoundValue::MinValue, BoundValue::MinValue],
            to: vec![BoundValue::String("it's".into()), BoundValue::Integer(-5)],
        };
        assert_eq!(
            bound_clause(&range),
            "FOR VALUES FROM (MINVALUE, MINVALUE) TO ('it''s', -5)"
        );
        let list = PartitionBound::List(vec![
            BoundValue::Null,
            BoundValue::Bool(true),
            BoundValue::Number("1.5".into()),
            BoundValue::Number("1); DROP TABLE x; --".into()),
        ]);
        assert_eq!(
            bound_clause(&list),
            "FOR VALUES IN (NULL, true, 1.5, '1); DROP TABLE x; --')"
        );
        let by = PartitionBy {
            strategy: PartitionStrategy::Hash,
            columns: vec!["Id".into(), "user".into()],
            loc: Default::default(),
        };
        assert_eq!(
            partition_key_clause(&by),
            " PARTITION BY HASH (\"Id\", \"user\")"
        );
    }
}
