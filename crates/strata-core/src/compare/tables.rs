//! A table's own facts and its columns: partitioning, options and comment, then each column
//! (type, nullability, identity, generation, default, collation, comment), then the table's
//! constraints ([`super::constraints`]), indexes ([`super::indexes`]) and exclusion
//! constraints. Defaults compare by value for literals, normalized for SQL.

use super::{Comparer, DifferenceKind, expr};
use crate::model::{Column, ColumnType, Default, Identity, Literal, Table};
use crate::render::sql::{ident, literal_value};

impl Comparer {
    pub(super) fn table(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        self.comment(
            &format!("table {tn}"),
            d.description.as_ref(),
            l.description.as_ref(),
        );

        let d_pk: Vec<String> = d
            .primary_key
            .iter()
            .flat_map(|p| p.columns.clone())
            .collect();
        let l_pk: Vec<String> = l
            .primary_key
            .iter()
            .flat_map(|p| p.columns.clone())
            .collect();
        for c in &d.columns {
            let object = format!("column {tn}.{}", c.name);
            match l.column(&c.name) {
                Some(lc) => self.column(&object, c, lc, &d_pk, &l_pk),
                None => {
                    // A rename shows as one column missing and another extra: point at it.
                    let twin = l
                        .columns
                        .iter()
                        .filter(|x| d.column(&x.name).is_none() && x.ty == c.ty)
                        .map(|x| x.name.as_str())
                        .collect::<Vec<_>>();
                    let detail = match twin.as_slice() {
                        [one] => format!(
                            "missing from the database (it has a column {} of the same type, not in the schema: renamed?)",
                            ident(one)
                        ),
                        _ => "missing from the database".to_string(),
                    };
                    self.push(object, DifferenceKind::Missing, detail);
                }
            }
        }
        for c in l.columns.iter().filter(|c| d.column(&c.name).is_none()) {
            let detail = format!(
                "in the database ({}{}), not in the schema",
                c.ty,
                if c.nullable { ", nullable" } else { "" }
            );
            self.push(
                format!("column {tn}.{}", c.name),
                DifferenceKind::Extra,
                detail,
            );
        }

        if d.unlogged != l.unlogged {
            let show = |u: bool| if u { "UNLOGGED" } else { "logged" };
            self.changed(&format!("table {tn}"), show(l.unlogged), show(d.unlogged));
        }
        if d.with != l.with {
            let show = |w: &[(String, String)]| {
                if w.is_empty() {
                    "no storage parameters".to_string()
                } else {
                    let p: Vec<String> = w.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!("WITH ({})", p.join(", "))
                }
            };
            self.changed(&format!("table {tn}"), show(&l.with), show(&d.with));
        }

        self.partitions(d, l);
        self.primary_key(d, l);
        self.uniques(d, l);
        self.checks(d, l);
        self.foreign_keys(d, l);
        self.exclusions(d, l);
        self.indexes(d, l);

        match (&d.single_row, &l.single_row) {
            (Some(a), Some(b)) if a != b => self.changed(
                &format!("single-row constraint on {tn}"),
                format!("the name {b}"),
                a,
            ),
            (Some(a), None) => self.missing(format!("single-row constraint {a} on {tn}")),
            (None, Some(b)) => self.extra(format!("single-row constraint {b} on {tn}")),
            _ => {}
        }
    }

    fn column(&mut self, object: &str, d: &Column, l: &Column, d_pk: &[String], l_pk: &[String]) {
        if d.ty != l.ty {
            self.changed(object, &l.ty, &d.ty);
        }
        if d.collation != l.collation {
            let show = |c: &Option<String>| match c {
                Some(c) => format!("COLLATE {}", ident(c)),
                None => "the type's default collation".to_string(),
            };
            self.changed(object, show(&l.collation), show(&d.collation));
        }
        // The database makes primary-key and identity columns NOT NULL whatever was asked.
        let nullable =
            |c: &Column, pk: &[String]| c.nullable && c.identity.is_none() && !pk.contains(&c.name);
        match (nullable(d, d_pk), nullable(l, l_pk)) {
            (false, true) => {
                self.push(
                    object.to_string(),
                    DifferenceKind::Changed,
                    "database allows NULL, schema says NOT NULL".into(),
                );
            }
            (true, false) => self.changed(object, "NOT NULL", "nullable"),
            _ => {}
        }
        if d.identity != l.identity {
            let show = |i: Option<Identity>| match i {
                None => "no identity".to_string(),
                Some(Identity::Always) => "GENERATED ALWAYS AS IDENTITY".to_string(),
                Some(Identity::ByDefault) => "GENERATED BY DEFAULT AS IDENTITY".to_string(),
            };
            self.changed(object, show(l.identity), show(d.identity));
        }
        if d.identity.is_some() && l.identity.is_some() {
            let options = |c: &Column| {
                c.identity_options
                    .clone()
                    .unwrap_or_default()
                    .as_sequence(&c.ty)
            };
            let (a, b) = (options(d), options(l));
            if a.effective() != b.effective() {
                let show = |q: &crate::model::Sequence| {
                    let o = crate::render::sql::sequence_options(q);
                    if o.is_empty() {
                        "default identity options".to_string()
                    } else {
                        format!("identity options{o}")
                    }
                };
                self.changed(object, show(&b), show(&a));
            }
        }
        if !same_default(d.default.as_ref(), &d.ty, l.default.as_ref(), &l.ty) {
            let show = |x: Option<&Default>, ty: &ColumnType| match x {
                None => "no default".to_string(),
                Some(x) => format!("default {}", default_text(x, ty)),
            };
            self.changed(
                object,
                show(l.default.as_ref(), &l.ty),
                show(d.default.as_ref(), &d.ty),
            );
        }
        let generated = |c: &Column| c.generated.as_deref().map(expr::normalize);
        if generated(d) != generated(l) {
            let show = |c: &Column| match &c.generated {
                Some(g) => format!("GENERATED ALWAYS AS ({}) STORED", g.trim()),
                None => "not generated".to_string(),
            };
            self.changed(object, show(l), show(d));
        }
        if d.auto_update != l.auto_update {
            let (live, declared) = if d.auto_update {
                (
                    "no strata_touch_columns trigger setting it on UPDATE",
                    "auto_update",
                )
            } else {
                (
                    "a strata_touch_columns trigger setting it on UPDATE",
                    "no auto_update",
                )
            };
            self.changed(object, live, declared);
        }
        self.comment(object, d.description.as_ref(), l.description.as_ref());
    }
}

/// A default as SQL text: literals as the DDL writes them, expressions as written.
pub fn default_text(d: &Default, ty: &ColumnType) -> String {
    match d {
        Default::Literal(l) => literal_value(l, ty),
        Default::Sql(s) => s.trim().to_string(),
    }
}

pub(super) fn same_default(
    a: Option<&Default>,
    ta: &ColumnType,
    b: Option<&Default>,
    tb: &ColumnType,
) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(Default::Literal(x)), Some(Default::Literal(y))) => literal_key(x) == literal_key(y),
        (Some(x), Some(y)) => {
            expr::normalize(&default_text(x, ta)) == expr::normalize(&default_text(y, tb))
        }
        _ => false,
    }
}

/// A literal in a form where equal values are equal strings: numbers without trailing zeros,
/// JSON re-serialized (object keys sorted).
pub(super) fn literal_key(l: &Literal) -> String {
    match l {
        Literal::String(s) => format!("s:{s}"),
        Literal::Integer(i) => format!("n:{i}"),
        Literal::Number(n) => format!("n:{}", number_key(n)),
        Literal::Bool(b) => format!("b:{b}"),
        Literal::Json(v) => format!("j:{v}"),
    }
}

pub(super) fn number_key(n: &str) -> String {
    let t = n.trim();
    if t.contains(['e', 'E']) || !t.contains('.') {
        return match t.parse::<f64>() {
            Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => t.to_string(),
        };
    }
    let t = t.trim_end_matches('0').trim_end_matches('.');
    if t.is_empty() || t == "-" {
        "0".to_string()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(number_key("0.70"), "0.7");
        assert_eq!(number_key("1.0"), "1");
        assert_eq!(number_key("10"), "10");
        assert_eq!(number_key("1e2"), "100");
    }
}
