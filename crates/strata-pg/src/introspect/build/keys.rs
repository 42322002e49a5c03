//! The keys of an index as the model has them, for indexes and exclusion constraints alike.

use strata::compare::expr;
use strata::model::{IndexKey, IndexTarget};

use super::super::catalog::IndexKeyRow;

/// The keys of an index (or of an exclusion constraint's index) as the model has them: options
/// at their defaults left out; an error when a key's column is not in the model.
pub(super) fn index_keys(
    has_column: &dyn Fn(&str) -> bool,
    keys: &[&IndexKeyRow],
) -> Result<Vec<IndexKey>, String> {
    let mut out = Vec::new();
    for k in keys {
        let target = match &k.column {
            Some(c) if has_column(c) => IndexTarget::Column(c.clone()),
            Some(c) => return Err(format!("its column {c} is not in the model")),
            None => IndexTarget::Expr(expr::tidy(k.expression.as_deref().unwrap_or_default())),
        };
        out.push(IndexKey {
            target,
            desc: k.desc,
            nulls_first: (k.nulls_first != k.desc).then_some(k.nulls_first),
            opclass: (!k.default_opclass).then(|| k.opclass.clone()).flatten(),
            collation: (!k.default_collation)
                .then(|| k.collation.clone())
                .flatten(),
        });
    }
    Ok(out)
}
