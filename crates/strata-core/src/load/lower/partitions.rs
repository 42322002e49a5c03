//! `partition_by` and `partitions` of a table (and of a sub-partitioned partition): the key's
//! strategy and columns, and each partition's bound with its values read as constants.
//! Whether the bounds fit the key's columns is checked by validation, which knows them.

use super::{Lowerer, entries, key, with};
use crate::diag::{Code, Diagnostic};
use crate::load::raw::partitions::{RawPartition, RawPartitionBy};
use crate::load::tree::Seg;
use crate::model::{BoundValue, Partition, PartitionBound, PartitionBy, PartitionStrategy};
use serde_yaml::{Mapping, Value};

impl Lowerer<'_> {
    /// The key (`by`, at `path.partition_by`) and the partitions (`map`, at `path.partitions`)
    /// of the table or partition at `path`.
    pub(super) fn partitioning(
        &mut self,
        ci: usize,
        path: &[Seg],
        by: Option<RawPartitionBy>,
        map: &Mapping,
    ) -> (Option<PartitionBy>, Vec<Partition>) {
        let by_path = with(path, key("partition_by"));
        let partition_by = by.and_then(|raw| {
            let loc = self.ctxs[ci].loc(&by_path);
            let given: Vec<(PartitionStrategy, Vec<String>)> = [
                (PartitionStrategy::Range, raw.range),
                (PartitionStrategy::List, raw.list),
                (PartitionStrategy::Hash, raw.hash),
            ]
            .into_iter()
            .filter_map(|(s, c)| c.map(|c| (s, c)))
            .collect();
            match <[_; 1]>::try_from(given) {
                Ok([(strategy, columns)]) => Some(PartitionBy {
                    strategy,
                    columns,
                    loc,
                }),
                Err(_) => {
                    self.diags.push(
                        Diagnostic::new(
                            Code::PartitionKey,
                            loc,
                            "`partition_by` needs exactly one of `range`, `list` and `hash`",
                        )
                        .help("write e.g. `partition_by: { range: [created_on] }`"),
                    );
                    None
                }
            }
        });
        let parts_path = with(path, key("partitions"));
        let mut partitions = Vec::new();
        for (name, v) in entries(&self.ctxs[ci], map, &parts_path, self.diags) {
            let p = with(&parts_path, key(&name));
            let Some(raw) = self.ctxs[ci].decode::<RawPartition>(v, &p, self.diags) else {
                continue;
            };
            if let Some(part) = self.partition(ci, &p, name, raw) {
                partitions.push(part);
            }
        }
        (partition_by, partitions)
    }

    fn partition(
        &mut self,
        ci: usize,
        path: &[Seg],
        name: String,
        raw: RawPartition,
    ) -> Option<Partition> {
        let loc = self.ctxs[ci].key_loc(path);
        let forms = [
            raw.from.is_some() || raw.to.is_some(),
            raw.values.is_some(),
            raw.modulus.is_some() || raw.remainder.is_some(),
            raw.default,
        ];
        let bound = match forms {
            [true, false, false, false] => match (raw.from, raw.to) {
                (Some(from), Some(to)) => {
                    let from = self.bound_values(ci, &with(path, key("from")), &from, true);
                    let to = self.bound_values(ci, &with(path, key("to")), &to, true);
                    PartitionBound::Range {
                        from: from?,
                        to: to?,
                    }
                }
                _ => return self.bad_bound(loc, &name, "a range bound needs both `from` and `to`"),
            },
            [false, true, false, false] => {
                let values = raw.values.unwrap_or_default();
                PartitionBound::List(self.bound_values(
                    ci,
                    &with(path, key("in")),
                    &values,
                    false,
                )?)
            }
            [false, false, true, false] => match (raw.modulus, raw.remainder) {
                (Some(modulus), Some(remainder)) => PartitionBound::Hash { modulus, remainder },
                _ => {
                    return self.bad_bound(
                        loc,
                        &name,
                        "a hash bound needs both `modulus` and `remainder`",
                    );
                }
            },
            [false, false, false, true] => PartitionBound::Default,
            [false, false, false, false] => {
                return self.bad_bound(loc, &name, "it has no bound");
            }
            _ => {
                return self.bad_bound(loc, &name, "it has more than one kind of bound");
            }
        };
        let (partition_by, partitions) =
            self.partitioning(ci, path, raw.partition_by, &raw.partitions);
        Some(Partition {
            name,
            bound,
            description: raw.description,
            partition_by,
            partitions,
            loc,
        })
    }

    fn bad_bound(&mut self, loc: crate::diag::Loc, name: &str, why: &str) -> Option<Partition> {
        self.diags.push(
            Diagnostic::new(Code::PartitionBound, loc, format!("partition `{name}`: {why}"))
                .help("give one bound: `{ from: [...], to: [...] }` (range), `{ in: [...] }` (list), `{ modulus: 4, remainder: 0 }` (hash) or `{ default: true }`"),
        );
        None
    }

    /// The values of a bound list; `MINVALUE`/`MAXVALUE` only where `range` says so. `None`
    /// (each bad value reported) when one is not a constant, so that no second error about
    /// the bound's length follows.
    fn bound_values(
        &mut self,
        ci: usize,
        path: &[Seg],
        values: &[Value],
        range: bool,
    ) -> Option<Vec<BoundValue>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (i, v) in values.iter().enumerate() {
            let value = match v {
                Value::String(s) if range && s == "MINVALUE" => Some(BoundValue::MinValue),
                Value::String(s) if range && s == "MAXVALUE" => Some(BoundValue::MaxValue),
                Value::String(s) => Some(BoundValue::String(s.clone())),
                Value::Bool(b) => Some(BoundValue::Bool(*b)),
                Value::Null if !range => Some(BoundValue::Null),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => Some(BoundValue::Integer(i)),
                    None => n
                        .as_f64()
                        .filter(|f| f.is_finite())
                        .map(|f| BoundValue::Number(f.to_string())),
                },
                _ => None,
            };
            match value {
                Some(b) => out.push(b),
                None => {
                    ok = false;
                    let loc = self.ctxs[ci].loc(&with(path, Seg::Index(i)));
                    self.diags.push(
                        Diagnostic::new(
                            Code::PartitionBound,
                            loc,
                            "a bound value must be a string, a number or a boolean",
                        )
                        .help(if range {
                            "write a constant of the key column's type (`2026-01-01`, `100`), or `MINVALUE` / `MAXVALUE` for no limit"
                        } else {
                            "write a constant of the key column's type, or `null` for the NULL key"
                        }),
                    );
                }
            }
        }
        ok.then_some(out)
    }
}
