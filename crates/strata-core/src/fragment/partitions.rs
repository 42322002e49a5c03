//! A partition bound as PostgreSQL prints it (`pg_get_expr(relpartbound, oid)`), read with
//! PostgreSQL's parser into the model's bound: constants stay constants, `MINVALUE` and
//! `MAXVALUE` their keywords; anything else is refused.

use super::FragmentError;
use crate::model::{BoundValue, PartitionBound};
use pg_query::NodeEnum;
use pg_query::protobuf::a_const::Val;

fn refuse<T>(message: impl Into<String>) -> Result<T, FragmentError> {
    Err(FragmentError {
        message: message.into(),
        offset: None,
    })
}

/// Reads `FOR VALUES …` or `DEFAULT`.
pub fn partition_bound(text: &str) -> Result<PartitionBound, FragmentError> {
    super::precheck(text)?;
    let statement = format!("CREATE TABLE strata_partition PARTITION OF strata_parent {text}");
    let parsed = pg_query::parse(&statement, 0).map_err(|e| FragmentError {
        message: format!("does not parse: {e}"),
        offset: None,
    })?;
    let [stmt] = parsed.protobuf.stmts.as_slice() else {
        return refuse("is not one partition bound");
    };
    let Some(NodeEnum::CreateStmt(create)) = stmt.stmt.as_ref().and_then(|n| n.node.as_ref())
    else {
        return refuse("is not a partition bound");
    };
    let Some(spec) = &create.partbound else {
        return refuse("is not a partition bound");
    };
    if spec.is_default {
        return Ok(PartitionBound::Default);
    }
    let values = |nodes: &[pg_query::protobuf::Node]| -> Result<Vec<BoundValue>, FragmentError> {
        nodes.iter().map(value).collect()
    };
    match spec.strategy.as_str() {
        "r" => Ok(PartitionBound::Range {
            from: values(&spec.lowerdatums)?,
            to: values(&spec.upperdatums)?,
        }),
        "l" => Ok(PartitionBound::List(values(&spec.listdatums)?)),
        "h" => match (u32::try_from(spec.modulus), u32::try_from(spec.remainder)) {
            (Ok(modulus), Ok(remainder)) => Ok(PartitionBound::Hash { modulus, remainder }),
            _ => refuse("has a negative modulus or remainder"),
        },
        other => refuse(format!("has the unknown strategy {other:?}")),
    }
}

fn value(node: &pg_query::protobuf::Node) -> Result<BoundValue, FragmentError> {
    match node.node.as_ref() {
        Some(NodeEnum::AConst(c)) if c.isnull => Ok(BoundValue::Null),
        Some(NodeEnum::AConst(c)) => match &c.val {
            Some(Val::Ival(i)) => Ok(BoundValue::Integer(i64::from(i.ival))),
            Some(Val::Fval(f)) => Ok(match f.fval.parse::<i64>() {
                Ok(i) => BoundValue::Integer(i),
                Err(_) => BoundValue::Number(f.fval.clone()),
            }),
            Some(Val::Boolval(b)) => Ok(BoundValue::Bool(b.boolval)),
            Some(Val::Sval(s)) => Ok(BoundValue::String(s.sval.clone())),
            _ => refuse("has a value that is not a constant"),
        },
        Some(NodeEnum::ColumnRef(r)) => match r.fields.as_slice() {
            [f] => match f.node.as_ref() {
                Some(NodeEnum::String(s)) if s.sval == "minvalue" => Ok(BoundValue::MinValue),
                Some(NodeEnum::String(s)) if s.sval == "maxvalue" => Ok(BoundValue::MaxValue),
                _ => refuse("has a value that is not a constant"),
            },
            _ => refuse("has a value that is not a constant"),
        },
        _ => refuse("has a value that is not a constant"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_as_the_server_prints_them() {
        assert_eq!(
            partition_bound("FOR VALUES FROM ('2025-01-01') TO (MAXVALUE)").unwrap(),
            PartitionBound::Range {
                from: vec![BoundValue::String("2025-01-01".into())],
                to: vec![BoundValue::MaxValue],
            }
        );
        assert_eq!(
            partition_bound("FOR VALUES IN (NULL, 'de', true, 1.5, 12345678901, '-5')").unwrap(),
            PartitionBound::List(vec![
                BoundValue::Null,
                BoundValue::String("de".into()),
                BoundValue::Bool(true),
                BoundValue::Number("1.5".into()),
                BoundValue::Integer(12_345_678_901),
                BoundValue::String("-5".into()),
            ])
        );
        assert_eq!(
            partition_bound("FOR VALUES WITH (modulus 4, remainder 3)").unwrap(),
            PartitionBound::Hash {
                modulus: 4,
                remainder: 3
            }
        );
        assert_eq!(partition_bound("DEFAULT").unwrap(), PartitionBound::Default);
        assert!(partition_bound("FOR VALUES IN (now())").is_err());
        assert!(partition_bound("DEFAULT; DROP TABLE x").is_err());
    }
}
