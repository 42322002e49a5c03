//! Rendering PostgreSQL errors with what `Display` hides: tokio-postgres shows a server error
//! as just `db error`, and refinery wraps that again.

use std::error::Error;
use std::fmt::Write as _;

use tokio_postgres::error::{DbError, ErrorPosition};

/// The full text of a tokio-postgres error.
///
/// For a server error: `SEVERITY SQLSTATE: message`, then the `DETAIL`, `HINT`, `POSITION`
/// and `WHERE` lines the server sent. For any other error (connection refused, closed
/// connection, …): its message and the chain of its sources.
///
/// ```
/// # async fn f(client: &tokio_postgres::Client) {
/// if let Err(e) = client.batch_execute("select 1/0").await {
///     eprintln!("{}", strata_pg::db_error_message(&e)); // ERROR 22012: division by zero
/// }
/// # }
/// ```
pub fn db_error_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => render_db_error(db),
        None => source_chain(e),
    }
}

/// Like [`db_error_message`] for any error that wraps a tokio-postgres error somewhere in its
/// `source()` chain (a refinery `Error`, an `anyhow::Error` via `as_ref()`, …): the outer
/// messages, then the full server error.
pub fn error_chain_message(e: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(e);
    while let Some(err) = current {
        if let Some(pg) = err.downcast_ref::<tokio_postgres::Error>() {
            parts.push(db_error_message(pg));
            break;
        }
        if let Some(db) = err.downcast_ref::<DbError>() {
            parts.push(render_db_error(db));
            break;
        }
        let text = err.to_string();
        // Wrappers often repeat their source's text in their own message.
        if !parts.last().is_some_and(|last| last.contains(&text)) {
            parts.push(text);
        }
        current = err.source();
    }
    parts.join(": ")
}

/// An error's message followed by its sources' messages, skipping repeats.
fn source_chain(e: &(dyn Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut current = e.source();
    while let Some(err) = current {
        let text = err.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        current = err.source();
    }
    out
}

fn render_db_error(db: &DbError) -> String {
    let mut out = format!("{} {}: {}", db.severity(), db.code().code(), db.message());
    if let Some(detail) = db.detail() {
        let _ = write!(out, "\nDETAIL: {detail}");
    }
    if let Some(hint) = db.hint() {
        let _ = write!(out, "\nHINT: {hint}");
    }
    match db.position() {
        Some(ErrorPosition::Original(position)) => {
            let _ = write!(out, "\nPOSITION: character {position}");
        }
        Some(ErrorPosition::Internal { position, query }) => {
            let _ = write!(
                out,
                "\nPOSITION: character {position} of internal query: {query}"
            );
        }
        None => {}
    }
    if let Some(where_) = db.where_() {
        let _ = write!(out, "\nWHERE: {where_}");
    }
    out
}

/// [`db_error_message`] plus, when the server gave a position in `sql`, the line it points at.
pub fn script_error_message(e: &tokio_postgres::Error, sql: &str) -> String {
    let mut out = db_error_message(e);
    if let Some(ErrorPosition::Original(position)) = e.as_db_error().and_then(DbError::position)
        && let Some(excerpt) = position_excerpt(sql, *position)
    {
        out.push('\n');
        out.push_str(&excerpt);
    }
    out
}

/// `at line L, column C:` and the line with a caret under the character the server's
/// 1-based character `position` points at (it may point one past the end of the text).
fn position_excerpt(sql: &str, position: u32) -> Option<String> {
    let index = usize::try_from(position).ok()?.checked_sub(1)?;
    let prefix_end = sql
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(sql.len()))
        .nth(index)?;
    let prefix = &sql[..prefix_end];
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    let line_number = prefix.matches('\n').count() + 1;
    let line = sql[line_start..].lines().next().unwrap_or("");
    let before = &prefix[line_start..];
    let caret: String = before
        .chars()
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .chain(std::iter::once('^'))
        .collect();
    let width = line_number.to_string().len();
    Some(format!(
        "at line {line_number}, column {}:\n{line_number} | {line}\n{:width$} | {caret}",
        before.chars().count() + 1,
        ""
    ))
}

#[cfg(test)]
mod tests {
    use super::position_excerpt;

    #[test]
    fn excerpt_points_at_the_character() {
        let sql = "create table t(x int);\ncreate tabel u(y int);";
        // "tabel" starts at character 31 (1-based) of the script.
        assert_eq!(
            position_excerpt(sql, 31).as_deref(),
            Some("at line 2, column 8:\n2 | create tabel u(y int);\n  |        ^")
        );
    }

    #[test]
    fn excerpt_counts_characters_not_bytes() {
        assert_eq!(
            position_excerpt("select 'é', x", 13).as_deref(),
            Some("at line 1, column 13:\n1 | select 'é', x\n  |             ^")
        );
    }

    #[test]
    fn excerpt_may_point_past_the_end() {
        assert_eq!(
            position_excerpt("select (", 9).as_deref(),
            Some("at line 1, column 9:\n1 | select (\n  |         ^")
        );
        assert_eq!(position_excerpt("select (", 10), None);
        assert_eq!(position_excerpt("select (", 0), None);
    }
}
