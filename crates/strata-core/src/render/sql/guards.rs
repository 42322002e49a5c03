//! Guard statements: checks a migration runs on the rows before a change that could otherwise
//! lose or break data, so that it fails — naming the column and how many rows — instead.

use super::quote::{ident, literal, relation};
use super::values::sql_type;
use crate::model::ColumnType;

/// Wraps a PL/pgSQL body in a `DO` statement, quoted with a dollar tag that does not occur in
/// the body (so no name or text inside can end the quote).
pub fn do_block(body: &str) -> String {
    let mut tag = String::from("$strata$");
    let mut n = 0u32;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$strata{n}$");
    }
    format!("DO {tag}\n{body}\n{tag}")
}

/// Fails the migration, with every row counted, unless each value of `table.column` survives the
/// conversion `using` (from `old` to `new`) exactly: converting it back gives the same text
/// (`back_via_text`: converting it back through its text form, when no cast leads back).
///
/// A narrowing conversion (a shorter `varchar`, fewer numeric digits, `timestamptz` to `date`,
/// `text` to `integer` of `'007'`) changes such a value, and PostgreSQL's explicit casts
/// truncate or round without a word; this check runs first, in the same transaction, so the
/// migration fails and nothing is changed. A value that cannot be converted at all (an
/// out-of-range integer, text that is no number) fails it too, with the server's reason.
pub fn lossless_conversion(
    table: &str,
    column: &str,
    old: &ColumnType,
    new: &ColumnType,
    using: &str,
    back_via_text: bool,
) -> String {
    let t = relation(table);
    let c = ident(column);
    let back = if old.base.is_enum() || new.base.is_enum() {
        format!("({using})::text")
    } else if back_via_text {
        // No cast back either (between range types): through the text form.
        format!("(({using})::text::{})::text", sql_type(old))
    } else {
        format!("(({using})::{})::text", sql_type(old))
    };
    let what = format!("{table}.{column}");
    let body = format!(
        "DECLARE
    lost bigint;
BEGIN
    BEGIN
        SELECT count(*) INTO lost FROM {t} WHERE {back} IS DISTINCT FROM ({c})::text;
    EXCEPTION WHEN data_exception THEN
        RAISE EXCEPTION USING ERRCODE = 'data_exception',
            MESSAGE = format('Strata: changing %s from %s to %s would fail on existing rows (%s); nothing was changed', {what}, {old_l}, {new_l}, SQLERRM),
            HINT = 'fix or delete those rows first, or keep the type';
    END;
    IF lost > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'data_exception',
            MESSAGE = format('Strata: changing %s from %s to %s would lose data in %s row(s) whose value does not fit; nothing was changed', {what}, {old_l}, {new_l}, lost),
            HINT = 'fix or delete those rows first, or keep the type';
    END IF;
END;",
        what = literal(&what),
        old_l = literal(&old.to_string()),
        new_l = literal(&new.to_string()),
    );
    do_block(&body)
}

/// Moves the sequence behind `table.column` (serial or identity) past every existing key, so the
/// next default value is not one the table already holds.
pub fn sequence_past_max(table: &str, column: &str) -> String {
    let t = relation(table);
    let c = ident(column);
    format!(
        "SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({c}), 0) + 1, false) FROM {t}",
        literal(&t),
        literal(column)
    )
}

/// Moves the sequence behind `table.column` (an identity) into the bounds `min..=max` it is
/// about to get, before `ALTER … SET MINVALUE/MAXVALUE` (which refuses a sequence whose position
/// is outside them), and never back to a value already used: the next value becomes the
/// greatest (for a descending sequence, `increment < 0`, the least) of the new bound, one past
/// the column's largest (smallest) value and the value after the last one the sequence handed
/// out (`pg_sequence_last_value`, NULL when it has handed out none since its last restart).
/// It runs under the old bounds, so a new range that does not overlap the old one fails here,
/// as does a position past the new far bound (the `ALTER` refuses it, rather than reuse keys).
pub fn sequence_into_bounds(
    table: &str,
    column: &str,
    min: i64,
    max: i64,
    increment: i64,
) -> String {
    let t = relation(table);
    let c = ident(column);
    let (pick, bound, edge, step) = if increment > 0 {
        ("GREATEST", min, "max", "+ 1")
    } else {
        ("LEAST", max, "min", "- 1")
    };
    format!(
        "SELECT setval(s, {pick}({bound}::bigint, (SELECT {edge}({c}) FROM {t}) {step}, pg_sequence_last_value(s::regclass) + ({increment})), false) FROM pg_get_serial_sequence({}, {}) AS s",
        literal(&t),
        literal(column)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dollar_tag_never_occurs_in_the_body() {
        assert!(do_block("BEGIN END;").starts_with("DO $strata$\n"));
        let b = do_block("SELECT '$strata$' AS x;");
        assert!(
            b.starts_with("DO $strata1$\n") && b.ends_with("\n$strata1$"),
            "{b}"
        );
        let b = do_block("\"$strata$\" \"$strata1$\"");
        assert!(b.starts_with("DO $strata2$\n"), "{b}");
    }

    #[test]
    fn a_sequence_moves_into_its_new_bounds_past_every_used_value() {
        assert_eq!(
            sequence_into_bounds("T", "id", 10, 100, 1),
            "SELECT setval(s, GREATEST(10::bigint, (SELECT max(id) FROM \"T\") + 1, pg_sequence_last_value(s::regclass) + (1)), false) FROM pg_get_serial_sequence('\"T\"', 'id') AS s"
        );
        assert_eq!(
            sequence_into_bounds("t", "id", -100, -10, -2),
            "SELECT setval(s, LEAST(-10::bigint, (SELECT min(id) FROM t) - 1, pg_sequence_last_value(s::regclass) + (-2)), false) FROM pg_get_serial_sequence('t', 'id') AS s"
        );
    }
}
