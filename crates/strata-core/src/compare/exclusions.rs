//! Exclusion constraints: the same elements (keys and operators), method, `INCLUDE`, storage
//! parameters, predicate and deferral, each constraint paired by name or, renamed, by
//! definition.

use super::{Comparer, Pair, deferral, expr, keys_key, pair_up};
use crate::model::{Exclusion, IndexKey, Table};

/// An exclusion constraint in comparable form: expressions normalized, the name left out.
fn definition(x: &Exclusion) -> impl PartialEq + use<> {
    let keys: Vec<IndexKey> = x.elements.iter().map(|e| e.key.clone()).collect();
    let operators: Vec<String> = x.elements.iter().map(|e| e.operator.clone()).collect();
    (
        x.method,
        keys_key(&keys),
        operators,
        (x.include.clone(), x.with.clone()),
        x.predicate.as_deref().map(expr::normalize),
        x.deferrable,
    )
}

/// The constraint as the DDL writes it after its name: `EXCLUDE USING gist (during WITH &&)`.
fn text(x: &Exclusion) -> String {
    let clause = crate::render::sql::exclusion_clause(&Exclusion {
        deferrable: crate::model::Deferrable::No,
        ..x.clone()
    });
    match clause.find(" EXCLUDE ") {
        Some(i) => clause[i + 1..].to_string(),
        None => clause,
    }
}

impl Comparer {
    pub(super) fn exclusions(&mut self, d: &Table, l: &Table) {
        let tn = &d.name;
        let same = |a: &Exclusion, b: &Exclusion| definition(a) == definition(b);
        for p in pair_up(&d.exclusions, &l.exclusions, |x| &x.name, same) {
            match p {
                Pair::Both(a, b) => {
                    let object = format!("exclusion constraint {} on {tn}", a.name);
                    if a.name != b.name {
                        self.changed(
                            &format!("exclusion constraint on {tn} {}", text(a)),
                            format!("the name {}", b.name),
                            &a.name,
                        );
                    }
                    let (mut da, mut db) = (a.clone(), b.clone());
                    da.deferrable = crate::model::Deferrable::No;
                    db.deferrable = crate::model::Deferrable::No;
                    if definition(&da) != definition(&db) {
                        self.changed(&object, text(b), text(a));
                    }
                    if a.deferrable != b.deferrable {
                        self.changed(&object, deferral(b.deferrable), deferral(a.deferrable));
                    }
                    self.comment(&object, a.description.as_ref(), b.description.as_ref());
                }
                Pair::Declared(a) => self.missing(format!(
                    "exclusion constraint {} on {tn} {}",
                    a.name,
                    text(a)
                )),
                Pair::Live(b) => self.extra(format!(
                    "exclusion constraint {} on {tn} {}",
                    b.name,
                    text(b)
                )),
            }
        }
    }
}
