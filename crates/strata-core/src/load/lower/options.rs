//! Storage parameters of a table or an index (`with:`): name → a scalar value, kept as text in
//! name order (PostgreSQL keeps `reloptions` as `name=value` text).

use super::{Lowerer, is_sql_name};
use crate::diag::{Code, Diagnostic};
use crate::load::decode::scalar_text;
use crate::load::tree::Seg;
use serde_yaml::{Mapping, Value};

impl Lowerer<'_> {
    pub(super) fn storage_parameters(
        &mut self,
        ci: usize,
        path: &[Seg],
        map: &Mapping,
        code: Code,
    ) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for (k, v) in map {
            let loc = self.ctxs[ci].loc(path);
            let name = scalar_text(k).unwrap_or_default();
            let value = match v {
                Value::Mapping(_) | Value::Sequence(_) | Value::Null | Value::Tagged(_) => None,
                other => scalar_text(other),
            };
            match value {
                Some(value) if is_sql_name(&name) && !name.contains('.') => {
                    out.push((name.to_ascii_lowercase(), value))
                }
                _ => self.diags.push(
                    Diagnostic::new(
                        code,
                        loc,
                        format!("`{name}` is not a storage parameter with a plain value"),
                    )
                    .help("write parameters as `with: { fillfactor: 70, fastupdate: false }`"),
                ),
            }
        }
        out.sort();
        out
    }
}
