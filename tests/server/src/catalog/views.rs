//! Views and materialized views as the server holds them: the definition as `pg_get_viewdef`
//! prints it, options, comments, columns (with types and comments) and a materialized view's
//! indexes (`pg_get_indexdef`).

use super::not_in_extension;
use tokio_postgres::Client;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: String,
    pub materialized: bool,
    /// `pg_get_viewdef`.
    pub definition: String,
    /// `reloptions`, sorted (`check_option=local`, `security_barrier=true`).
    pub options: Vec<String>,
    pub comment: Option<String>,
    /// `(name, format_type, comment)` in column order.
    pub columns: Vec<(String, String, Option<String>)>,
    /// `(name, pg_get_indexdef, comment)` by name.
    pub indexes: Vec<(String, String, Option<String>)>,
}

pub(super) async fn read(
    client: &Client,
    schema: &str,
) -> Result<Vec<View>, tokio_postgres::Error> {
    let rows = client
        .query(
            &format!(
                "SELECT c.relname::text, c.relkind = 'm', pg_get_viewdef(c.oid),
                        ARRAY(SELECT o FROM unnest(coalesce(c.reloptions, '{{}}')) o ORDER BY 1),
                        obj_description(c.oid, 'pg_class'),
                        ARRAY(SELECT a.attname::text FROM pg_attribute a
                               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
                        ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
                        ARRAY(SELECT col_description(c.oid, a.attnum) FROM pg_attribute a
                               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
                        ARRAY(SELECT ic.relname::text FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                               WHERE i.indrelid = c.oid ORDER BY 1),
                        ARRAY(SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                               WHERE i.indrelid = c.oid ORDER BY ic.relname),
                        ARRAY(SELECT obj_description(i.indexrelid, 'pg_class') FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                               WHERE i.indrelid = c.oid ORDER BY ic.relname)
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = $1 AND c.relkind IN ('v', 'm') AND {}
                 ORDER BY 1",
                not_in_extension("pg_class", "c.oid")
            ),
            &[&schema],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let names: Vec<String> = r.get(5);
            let types: Vec<String> = r.get(6);
            let comments: Vec<Option<String>> = r.get(7);
            let inames: Vec<String> = r.get(8);
            let idefs: Vec<String> = r.get(9);
            let icomments: Vec<Option<String>> = r.get(10);
            View {
                name: r.get(0),
                materialized: r.get(1),
                definition: r.get(2),
                options: r.get(3),
                comment: r.get(4),
                columns: names
                    .into_iter()
                    .zip(types)
                    .zip(comments)
                    .map(|((n, t), c)| (n, t, c))
                    .collect(),
                indexes: inames
                    .into_iter()
                    .zip(idefs)
                    .zip(icomments)
                    .map(|((n, d), c)| (n, d, c))
                    .collect(),
            }
        })
        .collect())
}
