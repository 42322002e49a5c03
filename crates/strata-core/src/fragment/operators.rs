//! Operator names (an exclusion constraint's `WITH <operator>`), read with PostgreSQL's parser.

use super::FragmentError;

/// Parses `text` as an operator name — `&&`, `=`, `public.&&` or `OPERATOR(public.&&)` — with
/// PostgreSQL's grammar, as the operator of `NULL <text> NULL`, and returns it in the form the
/// model keeps: the operator alone, or `schema.operator`. Anything else (a word, an operator
/// with an expression around it, a comment) is refused.
///
/// ```
/// use strata::fragment::operator_name;
/// assert_eq!(operator_name("&&").unwrap(), "&&");
/// assert_eq!(operator_name("OPERATOR(pg_catalog.=)").unwrap(), "pg_catalog.=");
/// assert!(operator_name("= NULL OR true").is_err());
/// ```
pub fn operator_name(text: &str) -> Result<String, FragmentError> {
    let refuse = |message: &str| FragmentError {
        message: message.to_string(),
        offset: None,
    };
    let t = text.trim();
    if t.is_empty() {
        return Err(refuse("is empty"));
    }
    if t.len() > 2 * crate::model::MAX_IDENT_BYTES + 1 || t.contains(['\0', ';']) {
        return Err(refuse("is not an operator name"));
    }
    let upper = t.to_ascii_uppercase();
    let query = if upper.starts_with("OPERATOR") || !t.contains('.') {
        format!("SELECT NULL {t} NULL")
    } else {
        format!("SELECT NULL OPERATOR({t}) NULL")
    };
    let names = parse_operator(&query).ok_or_else(|| {
        refuse("is not an operator name (write it as in `WITH &&`, e.g. `=`, `&&` or `public.&&`)")
    })?;
    match names.as_slice() {
        [op] if is_operator(op) => Ok(op.clone()),
        [schema, op] if is_operator(op) && !schema.is_empty() => Ok(format!("{schema}.{op}")),
        _ => Err(refuse("is not an operator name")),
    }
}

/// The characters an operator name consists of (PostgreSQL's `Op` token).
fn is_operator(op: &str) -> bool {
    !op.is_empty()
        && op.len() <= crate::model::MAX_IDENT_BYTES
        && op.chars().all(|c| "+-*/<>=~!@#%^&|`?".contains(c))
        && !op.contains("--")
        && !op.contains("/*")
}

/// The name parts of the one binary operator of `SELECT NULL <op> NULL`, when that is what
/// the query is.
fn parse_operator(query: &str) -> Option<Vec<String>> {
    use pg_query::NodeEnum;
    let parsed = pg_query::parse(query, 0).ok()?;
    let [stmt] = parsed.protobuf.stmts.as_slice() else {
        return None;
    };
    let Some(NodeEnum::SelectStmt(select)) = stmt.stmt.as_ref()?.node.as_ref() else {
        return None;
    };
    let [target] = select.target_list.as_slice() else {
        return None;
    };
    let Some(NodeEnum::ResTarget(res)) = target.node.as_ref() else {
        return None;
    };
    let Some(NodeEnum::AExpr(e)) = res.val.as_ref()?.node.as_ref() else {
        return None;
    };
    if e.kind() != pg_query::protobuf::AExprKind::AexprOp {
        return None;
    }
    let is_null = |n: &Option<Box<pg_query::protobuf::Node>>| matches!(n.as_ref().and_then(|n| n.node.as_ref()), Some(NodeEnum::AConst(c)) if c.isnull);
    if !is_null(&e.lexpr) || !is_null(&e.rexpr) {
        return None;
    }
    e.name
        .iter()
        .map(|n| match n.node.as_ref() {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::operator_name;

    #[test]
    fn operators_are_read_by_the_parser() {
        assert_eq!(operator_name("&&").unwrap(), "&&");
        assert_eq!(operator_name(" = ").unwrap(), "=");
        assert_eq!(operator_name("<>").unwrap(), "<>");
        assert_eq!(operator_name("-|-").unwrap(), "-|-");
        assert_eq!(operator_name("public.&&").unwrap(), "public.&&");
        assert_eq!(operator_name("OPERATOR(public.&&)").unwrap(), "public.&&");
        assert_eq!(operator_name("OPERATOR(=)").unwrap(), "=");
    }

    #[test]
    fn anything_but_an_operator_is_refused() {
        for bad in [
            "",
            "WITH",
            "= NULL OR true",
            "&&) ; DROP TABLE t; --",
            "= --",
            "LIKE",
            "IS DISTINCT FROM",
            "a.b.&&",
            "&& NULL &&",
        ] {
            assert!(operator_name(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
