//! Running a non-transactional migration: each statement on its own, outside any transaction,
//! so that `CREATE INDEX CONCURRENTLY` can run at all (it fails with SQLSTATE 25001 inside a
//! transaction block, and so inside refinery's runner: rust-db/refinery#277).
//!
//! Such a migration can stop half-way; it is recorded only after its last statement, so the next
//! run executes all of it again. Its statements are written to be idempotent (`IF NOT EXISTS`),
//! with one gap this module closes: a failed `CREATE INDEX CONCURRENTLY` leaves an INVALID index
//! behind, which `IF NOT EXISTS` would then accept as done. Before such a statement the runner
//! drops an INVALID index of that name.

use tokio_postgres::Client;

use super::error::{FailedStatement, MigrateError, ServerError};
use super::load::Migration;

/// Runs `migration`'s statements in order, then `RESET lock_timeout` and the session's
/// `search_path` as it was before (its first statements usually set both for the session).
pub(crate) async fn run(
    client: &Client,
    migration: &Migration,
    applied_before: &[String],
) -> Result<(), MigrateError> {
    let path = client
        .query_one("SELECT pg_catalog.current_setting('search_path')", &[])
        .await
        .map(|row| row.get::<_, String>(0));
    let result = match &path {
        Ok(_) => run_statements(client, migration, applied_before).await,
        Err(_) => Ok(()),
    };
    let reset = async {
        if let Ok(path) = &path {
            client
                .execute(
                    "SELECT pg_catalog.set_config('search_path', $1, false)",
                    &[path],
                )
                .await?;
        }
        client.batch_execute("RESET lock_timeout").await
    }
    .await;
    let reset = path.and(reset);
    result?;
    reset.map_err(|e| MigrateError::Failed {
        version: migration.version,
        file: migration.file_name().to_string(),
        transactional: false,
        statement: None,
        server: ServerError {
            sqlstate: ServerError::from_pg(&e).sqlstate,
            message: format!(
                "reading or putting back its session settings (`lock_timeout`, `search_path`) failed: {}",
                ServerError::from_pg(&e)
            ),
        },
        applied_before: applied_before.to_vec(),
    })
}

async fn run_statements(
    client: &Client,
    migration: &Migration,
    applied_before: &[String],
) -> Result<(), MigrateError> {
    let count = migration.statements.len();
    for (i, statement) in migration.statements.iter().enumerate() {
        let failed = |server: ServerError| MigrateError::Failed {
            version: migration.version,
            file: migration.file_name().to_string(),
            transactional: false,
            statement: Some(FailedStatement {
                index: i + 1,
                count,
                line: statement.line,
                headline: statement.headline(),
            }),
            server,
            applied_before: applied_before.to_vec(),
        };
        if let Some(index) = concurrent_index_name(&statement.sql) {
            drop_invalid_index(client, &index).await.map_err(|e| {
                let server = ServerError::from_pg(&e);
                failed(ServerError {
                    sqlstate: server.sqlstate,
                    message: format!(
                        "dropping the INVALID index {index} left by an earlier failed build failed: {}",
                        server.message
                    ),
                })
            })?;
        }
        // One statement per call: a simple query with several statements is an implicit
        // transaction block.
        client
            .batch_execute(&statement.sql)
            .await
            .map_err(|e| failed(ServerError::from_pg(&e)))?;
    }
    Ok(())
}

/// Drops index `name` (as written in SQL, maybe schema-qualified) if it exists and is INVALID.
/// The caller holds the migration lock, so no other Strata runner is building it right now.
async fn drop_invalid_index(client: &Client, name: &str) -> Result<(), tokio_postgres::Error> {
    let row = client
        .query_opt(
            "SELECT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass($1)",
            &[&name],
        )
        .await?;
    if row.is_some_and(|r| !r.get::<_, bool>(0)) {
        client
            .batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {name}"))
            .await?;
    }
    Ok(())
}

/// For `CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS <name> ON [ONLY] [<schema>.]<table> …`,
/// the index's name as SQL text, qualified with the table's schema when the table is (an index
/// lives in its table's schema). `None` for any other statement.
fn concurrent_index_name(sql: &str) -> Option<String> {
    let mut tokens = Tokens { rest: sql };
    let mut expect = |word: &str| tokens.next().is_some_and(|t| t.is_keyword(word));
    if !expect("create") {
        return None;
    }
    let mut t = tokens.next()?;
    if t.is_keyword("unique") {
        t = tokens.next()?;
    }
    let mut expect = |word: &str| tokens.next().is_some_and(|t| t.is_keyword(word));
    if !t.is_keyword("index")
        || !["concurrently", "if", "not", "exists"]
            .into_iter()
            .all(&mut expect)
    {
        return None;
    }
    let index = tokens.next().filter(Token::is_identifier)?;
    if !tokens.next()?.is_keyword("on") {
        return None;
    }
    let mut table = tokens.next().filter(Token::is_identifier)?;
    if table.is_keyword("only") {
        table = tokens.next().filter(Token::is_identifier)?;
    }
    match tokens.next() {
        Some(Token::Dot) => Some(format!("{}.{}", table.text(), index.text())),
        _ => Some(index.text().to_string()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    /// An unquoted word or a quoted identifier, as written.
    Word(&'a str),
    Quoted(&'a str),
    Dot,
    Other,
}

impl Token<'_> {
    fn is_keyword(&self, word: &str) -> bool {
        matches!(self, Token::Word(w) if w.eq_ignore_ascii_case(word))
    }

    fn is_identifier(&self) -> bool {
        matches!(self, Token::Word(_) | Token::Quoted(_))
    }

    fn text(&self) -> &str {
        match self {
            Token::Word(t) | Token::Quoted(t) => t,
            Token::Dot => ".",
            Token::Other => "",
        }
    }
}

/// Just enough of a SQL lexer for the head of a `CREATE INDEX`: words, quoted identifiers,
/// dots; comments and whitespace skipped.
struct Tokens<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            self.rest = self.rest.trim_start();
            if let Some(after) = self.rest.strip_prefix("--") {
                self.rest = after.split_once('\n').map_or("", |(_, r)| r);
            } else if let Some(after) = self.rest.strip_prefix("/*") {
                self.rest = after.split_once("*/").map_or("", |(_, r)| r);
            } else {
                break;
            }
        }
        let s = self.rest;
        let first = s.chars().next()?;
        let (token, len) = if first == '"' {
            // A quoted identifier ends at a quote not followed by another quote.
            let bytes = s.as_bytes();
            let mut i = 1;
            loop {
                match bytes.get(i) {
                    None => return None,
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => break,
                    Some(_) => i += 1,
                }
            }
            (Token::Quoted(&s[..=i]), i + 1)
        } else if first.is_alphabetic() || first == '_' {
            let len = s
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(s.len());
            (Token::Word(&s[..len]), len)
        } else if first == '.' {
            (Token::Dot, 1)
        } else {
            (Token::Other, first.len_utf8())
        };
        self.rest = &s[len..];
        Some(token)
    }
}

#[cfg(test)]
mod tests {
    use super::concurrent_index_name as name;

    #[test]
    fn finds_the_index_of_an_idempotent_concurrent_build() {
        assert_eq!(
            name("CREATE INDEX CONCURRENTLY IF NOT EXISTS posts_user_idx ON posts USING btree (user_id);").as_deref(),
            Some("posts_user_idx")
        );
        assert_eq!(
            name("-- c\n/* d */ create unique index concurrently if not exists \"Odd \"\"Name\" on only app.t (x);\n\n-- next\n")
                .as_deref(),
            Some("app.\"Odd \"\"Name\"")
        );
        assert_eq!(
            name("CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON \"My Schema\".t (x)").as_deref(),
            Some("\"My Schema\".i")
        );
    }

    #[test]
    fn ignores_other_statements() {
        for sql in [
            "CREATE INDEX CONCURRENTLY i ON t (x)",
            "CREATE INDEX IF NOT EXISTS i ON t (x)",
            "DROP INDEX CONCURRENTLY IF EXISTS i",
            "ALTER TYPE s ADD VALUE IF NOT EXISTS 'x'",
            "SET lock_timeout = '5s'",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS ON t (x)",
        ] {
            assert_eq!(name(sql), None, "{sql}");
        }
    }
}
