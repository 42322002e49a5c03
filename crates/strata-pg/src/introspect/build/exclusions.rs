//! An exclusion constraint (`contype = 'x'`) read from its catalog rows: the keys of its index
//! (as an index's keys are read), the operators of `conexclop`, the index's method, INCLUDE
//! columns, storage parameters and predicate.

use strata::Loc;
use strata::compare::expr;
use strata::model::{Deferrable, Exclusion, ExclusionElement, IndexMethod, Table};

use super::super::catalog::{ConstraintRow, IndexKeyRow};

/// The exclusion constraint `c` of `table`, or why the model cannot hold it.
pub(super) fn exclusion(
    table: &Table,
    c: &ConstraintRow,
    keys: &[&IndexKeyRow],
    deferrable: Deferrable,
) -> Result<Exclusion, String> {
    let has_column = |n: &str| table.column(n).is_some();
    let method = match c.method.as_deref() {
        Some("btree") => IndexMethod::Btree,
        Some("hash") => IndexMethod::Hash,
        Some("gist") => IndexMethod::Gist,
        Some("spgist") => IndexMethod::Spgist,
        other => {
            return Err(format!(
                "the access method {} is not in the schema language",
                other.unwrap_or("?")
            ));
        }
    };
    if keys.is_empty() || keys.len() != c.operators.len() {
        return Err("its index keys could not be read".into());
    }
    if let Some(col) = c.include.iter().find(|col| !has_column(col)) {
        return Err(format!("its INCLUDE column {col} is not in the model"));
    }
    let mut with = Vec::new();
    for o in &c.options {
        match o.split_once('=') {
            Some((k, v)) => with.push((k.to_string(), v.to_string())),
            None => return Err(format!("the storage parameter {o} has no value")),
        }
    }
    with.sort();
    let mut elements = Vec::new();
    for (key, op) in super::keys::index_keys(&has_column, keys)?
        .into_iter()
        .zip(&c.operators)
    {
        let operator =
            strata::fragment::operator_name(op).map_err(|e| format!("its operator {op} {e}"))?;
        elements.push(ExclusionElement { key, operator });
    }
    Ok(Exclusion {
        name: c.name.clone(),
        method,
        elements,
        include: c.include.clone(),
        with,
        predicate: c.predicate.as_deref().map(expr::tidy),
        deferrable,
        description: c.comment.clone(),
        loc: Loc::default(),
    })
}
