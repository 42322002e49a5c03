//! Views and materialized views (`pg_class.relkind` `v`, `m`): the definition as the server
//! prints it (`pg_get_viewdef`), options, comments and the comments of their columns.

use tokio_postgres::Client;

#[derive(Debug, Clone)]
pub(crate) struct ViewRow {
    pub oid: u32,
    pub name: String,
    pub materialized: bool,
    /// `pg_get_viewdef(oid)`.
    pub definition: String,
    /// `reloptions` as `name=value` (`check_option=local`, `security_barrier=true`).
    pub options: Vec<String>,
    pub comment: Option<String>,
    /// Every column with its comment, in order.
    pub columns: Vec<(String, Option<String>)>,
    /// Every column's `format_type`, in order.
    pub types: Vec<String>,
}

pub(crate) async fn read_views(
    client: &Client,
    ns: u32,
    not_in_extension: &str,
) -> Result<Vec<ViewRow>, tokio_postgres::Error> {
    let rows = client
        .query(
            &format!(
                "SELECT c.oid, c.relname::text, c.relkind = 'm', pg_get_viewdef(c.oid),
                        coalesce(c.reloptions, '{{}}'), ds.description,
                        ARRAY(SELECT a.attname::text FROM pg_attribute a
                               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
                        ARRAY(SELECT cd.description FROM pg_attribute a
                               LEFT JOIN pg_description cd ON cd.objoid = c.oid AND cd.classoid = 'pg_class'::regclass
                                                          AND cd.objsubid = a.attnum
                               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
                        ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)
                 FROM pg_class c
                 LEFT JOIN pg_description ds
                        ON ds.objoid = c.oid AND ds.classoid = 'pg_class'::regclass AND ds.objsubid = 0
                 WHERE c.relnamespace = $1 AND c.relkind IN ('v', 'm') AND NOT {not_in_extension}
                 ORDER BY c.oid"
            ),
            &[&ns],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let names: Vec<String> = r.get(6);
            let comments: Vec<Option<String>> = r.get(7);
            ViewRow {
                oid: r.get(0),
                name: r.get(1),
                materialized: r.get(2),
                definition: r.get(3),
                options: r.get(4),
                comment: r.get(5),
                columns: names.into_iter().zip(comments).collect(),
                types: r.get(8),
            }
        })
        .collect())
}
