//! The docs page's section per view and materialized view, and their entities in the ER
//! diagram (their own kind: named `view …` or `materialized view …`, joined to what they read
//! by a dotted `reads` line).

use super::er::{attribute_name, quoted};
use super::markdown::{self, code, text};
use super::{Page, Target};
use crate::deps;
use crate::model::{Schema, View};
use std::collections::BTreeMap;

impl Page<'_> {
    pub(super) fn views(&mut self) {
        let s = self.schema;
        self.heading(2, "Views", None);
        for v in &s.views {
            self.heading(3, &code(&v.name), None);
            let mut facts = vec![if v.materialized {
                "A materialized view (its rows are stored; `REFRESH MATERIALIZED VIEW` recomputes them)".to_string()
            } else {
                "A view".to_string()
            }];
            if let Some(c) = v.check_option {
                facts.push(format!("with {} check option", c.as_str()));
            }
            if v.security_barrier {
                facts.push("a security barrier".into());
            }
            if v.security_invoker {
                facts.push("reading with its caller's rights".into());
            }
            self.para(&format!("{}.", facts.join(", ")));
            if let Some(d) = &v.description {
                self.para(&text(d));
            }
            let reads: Vec<String> = deps::query_reads(&v.query)
                .relations
                .iter()
                .map(|r| {
                    if r.schema.is_none() && s.table(&r.name).is_some() {
                        self.link(Target::Table(r.name.clone()))
                    } else {
                        code(&r.to_string())
                    }
                })
                .collect();
            if !reads.is_empty() {
                self.para(&format!("Reads {}.", reads.join(", ")));
            }
            let rows: Vec<Vec<String>> = v
                .fields(s)
                .unwrap_or_default()
                .iter()
                .map(|f| {
                    vec![
                        code(&f.name),
                        f.ty.as_ref()
                            .map(|t| code(&t.to_string()))
                            .unwrap_or_default(),
                        f.description.as_deref().map(text).unwrap_or_default(),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                self.para(markdown::table(&["Column", "Type", "Description"], &rows).trim_end());
            }
            if !v.key.is_empty() {
                let key: Vec<String> = v.key.iter().map(|k| code(k)).collect();
                self.para(&format!("Key: {}.", key.join(", ")));
            }
            for i in &v.indexes {
                let cols: Vec<String> = i
                    .keys
                    .iter()
                    .map(|k| match &k.target {
                        crate::model::IndexTarget::Column(c) => code(c),
                        crate::model::IndexTarget::Expr(e) => code(e),
                    })
                    .collect();
                self.para(&format!(
                    "{} {} on {}.",
                    if i.unique { "Unique index" } else { "Index" },
                    code(&i.name),
                    cols.join(", ")
                ));
            }
            let _ = std::fmt::Write::write_fmt(
                &mut self.out,
                format_args!("```sql\n{}\n```\n\n", v.query.trim()),
            );
        }
    }
}

/// The diagram lines of the views: an entity each (with its columns when `with_columns`), and
/// a dotted `reads` line to each table (in `ids`) or view it reads.
pub(super) fn diagram_views(
    schema: &Schema,
    ids: &BTreeMap<String, String>,
    with_columns: bool,
) -> (Vec<String>, Vec<String>) {
    let view_id = |v: &View| format!("view_{}", attribute_name(&v.name));
    let mut entities = Vec::new();
    let mut lines = Vec::new();
    for v in &schema.views {
        let id = view_id(v);
        let head = format!("{id}[\"{} {}\"]", v.kind(), quoted(&v.name));
        let fields = v.fields(schema).unwrap_or_default();
        if with_columns && !fields.is_empty() {
            let mut e = format!("    {head} {{\n");
            for f in &fields {
                let ty =
                    f.ty.as_ref()
                        .map(|t| attribute_name(&t.to_string()))
                        .unwrap_or_else(|| "unknown".into());
                e.push_str(&format!("        {ty} {}\n", attribute_name(&f.name)));
            }
            e.push_str("    }\n");
            entities.push(e);
        } else {
            entities.push(format!("    {head}\n"));
        }
        for r in deps::query_reads(&v.query).relations {
            let target = if let Some(t) = ids.get(&r.name).filter(|_| r.schema.is_none()) {
                t.clone()
            } else if let Some(w) = schema.views.iter().find(|w| w.name == r.name) {
                view_id(w)
            } else {
                continue;
            };
            lines.push(format!("    {id} }}o..o{{ {target} : \"reads\"\n"));
        }
    }
    (entities, lines)
}
