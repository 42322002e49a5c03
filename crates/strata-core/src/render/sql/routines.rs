//! Functions, procedures and triggers: `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, `DROP`,
//! `CREATE [OR REPLACE] TRIGGER` and their comments.
//!
//! A body is written between dollar quotes whose tag does not occur in it
//! ([`crate::fragment::dollar_tag`]), so no body can end the statement; an `sql` body reaches
//! here as printed from its parse tree, a PL/pgSQL one as checked by the PL/pgSQL parser.
//! Types are the canonical spellings of [`crate::fragment::type_name`], defaults and `WHEN`
//! expressions printed from their parse trees.

use super::ddl::comment_statement;
use super::quote::{ident, literal, qualified};
use super::{Statement, StatementKind};
use crate::model::{
    Deferrable, ForEach, Function, Parallel, Returns, RoutineKind, Trigger, TriggerEvent,
    Volatility,
};

/// `CREATE OR REPLACE FUNCTION …` (or `PROCEDURE`), with every option and the body.
pub fn create_function(f: &Function) -> Statement {
    let args: Vec<String> = f
        .arguments
        .iter()
        .map(|a| {
            let mut s = a.mode.sql().to_string();
            if let Some(n) = &a.name {
                s.push_str(&ident(n));
                s.push(' ');
            }
            s.push_str(&a.ty);
            if let Some(d) = &a.default {
                s.push_str(" DEFAULT ");
                s.push_str(d);
            }
            s
        })
        .collect();
    let mut sql = format!(
        "CREATE OR REPLACE {} {}({})",
        f.kind.sql(),
        qualified(f.schema.as_deref(), &f.name),
        args.join(", ")
    );
    match &f.returns {
        Some(Returns::Type(t)) => sql.push_str(&format!("\nRETURNS {t}")),
        Some(Returns::SetOf(t)) => sql.push_str(&format!("\nRETURNS SETOF {t}")),
        Some(Returns::Table(cols)) => {
            let cols: Vec<String> = cols
                .iter()
                .map(|(n, t)| format!("{} {t}", ident(n)))
                .collect();
            sql.push_str(&format!("\nRETURNS TABLE({})", cols.join(", ")));
        }
        None => {}
    }
    sql.push_str(&format!("\nLANGUAGE {}", ident(&f.language)));
    let mut options = Vec::new();
    if f.kind == RoutineKind::Function {
        match f.volatility {
            Volatility::Volatile => {}
            Volatility::Stable => options.push("STABLE".to_string()),
            Volatility::Immutable => options.push("IMMUTABLE".to_string()),
        }
        if f.strict {
            options.push("STRICT".into());
        }
    }
    if f.security_definer {
        options.push("SECURITY DEFINER".into());
    }
    if f.kind == RoutineKind::Function {
        match f.parallel {
            Parallel::Unsafe => {}
            Parallel::Restricted => options.push("PARALLEL RESTRICTED".into()),
            Parallel::Safe => options.push("PARALLEL SAFE".into()),
        }
        if let Some(c) = f.cost {
            options.push(format!("COST {c}"));
        }
    }
    for (name, value) in &f.set {
        options.push(set_clause(name, value));
    }
    if !options.is_empty() {
        sql.push('\n');
        sql.push_str(&options.join(" "));
    }
    let tag = crate::fragment::dollar_tag(&f.body);
    sql.push_str(&format!("\nAS {tag}{}{tag}", f.body));
    Statement::new(StatementKind::CreateFunction, sql)
}

/// `SET <name> TO 'a', 'b'`: a list value (`public, pg_temp`) is written item by item, as
/// `pg_get_functiondef` writes it; the name's parts are quoted as identifiers.
fn set_clause(name: &str, value: &str) -> String {
    let name: Vec<String> = name.split('.').map(|p| ident(p).into_owned()).collect();
    let items: Vec<String> = value.split(',').map(|v| literal(v.trim())).collect();
    format!("SET {} TO {}", name.join("."), items.join(", "))
}

/// `name(type, …)` for DROP and COMMENT.
fn target(f: &Function) -> String {
    format!(
        "{} {}({})",
        f.kind.sql(),
        qualified(f.schema.as_deref(), &f.name),
        f.identity_arguments().join(", ")
    )
}

/// `DROP FUNCTION name(types)` (or `PROCEDURE`).
pub fn drop_function(f: &Function) -> Statement {
    Statement::new(StatementKind::CreateFunction, format!("DROP {}", target(f)))
}

/// `CREATE FUNCTION …`, then `REVOKE EXECUTE … FROM PUBLIC` when the schema says
/// `public_execute: false` (a function starts executable by every role).
pub fn function_statements(f: &Function) -> Vec<Statement> {
    let mut out = vec![create_function(f)];
    if !f.public_execute {
        out.push(public_execute(f, false));
    }
    out
}

/// `GRANT EXECUTE ON FUNCTION name(types) TO PUBLIC`, or the `REVOKE … FROM PUBLIC`.
pub fn public_execute(f: &Function, allowed: bool) -> Statement {
    Statement::new(
        StatementKind::Grant,
        if allowed {
            format!("GRANT EXECUTE ON {} TO PUBLIC", target(f))
        } else {
            format!("REVOKE EXECUTE ON {} FROM PUBLIC", target(f))
        },
    )
}

/// `ALTER FUNCTION name(types) RENAME TO new_name` (or `PROCEDURE`).
pub fn rename_function(f: &Function, new_name: &str) -> Statement {
    Statement::new(
        StatementKind::CreateFunction,
        format!("ALTER {} RENAME TO {}", target(f), ident(new_name)),
    )
}

/// `COMMENT ON FUNCTION name(types) IS …`.
pub fn comment_on_routine(f: &Function, comment: Option<&str>) -> Statement {
    comment_statement(target(f), comment)
}

/// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER …`.
pub fn create_trigger(t: &Trigger, replace: bool) -> Statement {
    let events: Vec<String> = t
        .events
        .iter()
        .map(|e| match e {
            TriggerEvent::Insert => "INSERT".to_string(),
            TriggerEvent::Update(cols) if cols.is_empty() => "UPDATE".to_string(),
            TriggerEvent::Update(cols) => format!(
                "UPDATE OF {}",
                cols.iter()
                    .map(|c| ident(c).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TriggerEvent::Delete => "DELETE".to_string(),
            TriggerEvent::Truncate => "TRUNCATE".to_string(),
        })
        .collect();
    let mut sql = format!(
        "CREATE {}{}TRIGGER {} {} {} ON {}",
        if replace && !t.constraint {
            "OR REPLACE "
        } else {
            ""
        },
        if t.constraint { "CONSTRAINT " } else { "" },
        ident(&t.name),
        t.timing.sql(),
        events.join(" OR "),
        trigger_table(t)
    );
    if t.constraint {
        sql.push_str(match t.deferrable {
            Deferrable::No => " NOT DEFERRABLE",
            d => d.sql(),
        });
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        sql.push_str(" REFERENCING");
        if let Some(o) = &t.old_table {
            sql.push_str(&format!(" OLD TABLE AS {}", ident(o)));
        }
        if let Some(n) = &t.new_table {
            sql.push_str(&format!(" NEW TABLE AS {}", ident(n)));
        }
    }
    sql.push_str(match t.for_each {
        ForEach::Row => " FOR EACH ROW",
        ForEach::Statement => " FOR EACH STATEMENT",
    });
    if let Some(w) = &t.when {
        sql.push_str(&format!(" WHEN ({w})"));
    }
    let args: Vec<String> = t.arguments.iter().map(|a| literal(a)).collect();
    sql.push_str(&format!(
        " EXECUTE FUNCTION {}({})",
        qualified(t.function_schema.as_deref(), &t.function),
        args.join(", ")
    ));
    Statement::new(StatementKind::CreateTrigger, sql)
}

/// The table a trigger is on: by its schema and name when the trigger says the schema, else
/// by the table's model name (`billing.invoices`).
fn trigger_table(t: &Trigger) -> String {
    match &t.schema {
        Some(s) => qualified(Some(s), &t.table),
        None => super::quote::relation(&t.table),
    }
}

/// `DROP TRIGGER name ON table`.
pub fn drop_trigger(t: &Trigger) -> Statement {
    Statement::new(
        StatementKind::CreateTrigger,
        format!("DROP TRIGGER {} ON {}", ident(&t.name), trigger_table(t)),
    )
}

/// `ALTER TRIGGER name ON table RENAME TO new_name`.
pub fn rename_trigger(t: &Trigger, new_name: &str) -> Statement {
    Statement::new(
        StatementKind::CreateTrigger,
        format!(
            "ALTER TRIGGER {} ON {} RENAME TO {}",
            ident(&t.name),
            qualified(t.schema.as_deref(), &t.table),
            ident(new_name)
        ),
    )
}

/// `COMMENT ON TRIGGER name ON table IS …`.
pub fn comment_on_trigger(t: &Trigger, comment: Option<&str>) -> Statement {
    comment_statement(
        format!("TRIGGER {} ON {}", ident(&t.name), trigger_table(t)),
        comment,
    )
}

/// The schema's functions in an order that creates: those whose signature or `sql` body needs
/// a table of the schema (a row type, or a body PostgreSQL checks at creation) after the
/// tables, the others before them (a default or check may call them); within each, a
/// function after the functions of the schema its `sql` body calls, else in declaration order.
pub fn function_order(schema: &crate::model::Schema) -> (Vec<&Function>, Vec<&Function>) {
    let needs_tables = |f: &Function| {
        let refs = f.references();
        refs.types.iter().any(|t| schema.table(t).is_some())
            || refs.tables.iter().any(|(t, _)| schema.table(t).is_some())
    };
    let mut placed: Vec<&Function> = Vec::new();
    let mut left: Vec<&Function> = schema.functions.iter().collect();
    // Calls before callers; a cycle (possible only through PL/pgSQL, whose bodies are not
    // read) falls back to declaration order.
    while !left.is_empty() {
        let ready = left.iter().position(|f| {
            let calls = f.references().functions;
            !left
                .iter()
                .any(|g| !std::ptr::eq(*g, *f) && calls.contains(&g.name.to_ascii_lowercase()))
        });
        let f = left.remove(ready.unwrap_or(0));
        placed.push(f);
    }
    let mut late_names: Vec<&str> = Vec::new();
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for f in placed {
        let calls_late = f
            .references()
            .functions
            .iter()
            .any(|c| late_names.iter().any(|n| n.eq_ignore_ascii_case(c)));
        if needs_tables(f) || calls_late {
            late_names.push(&f.name);
            after.push(f);
        } else {
            before.push(f);
        }
    }
    (before, after)
}

/// The statement a generated wrapper runs: `CALL f($1::t, …)` for a procedure,
/// `SELECT * FROM f(…)` for a function whose result is rows or a row (`setof`, `table`, OUT
/// arguments), `SELECT f(…)` otherwise. Every parameter is cast to its declared type, so an
/// overload is chosen by its types.
pub fn call_statement(f: &Function) -> String {
    let params: Vec<String> = f
        .arguments
        .iter()
        .filter(|a| a.mode.is_input())
        .enumerate()
        .map(|(i, a)| {
            let variadic = if a.mode == crate::model::ArgMode::Variadic {
                "VARIADIC "
            } else {
                ""
            };
            format!("{variadic}${}::{}", i + 1, a.ty)
        })
        .collect();
    let call = format!(
        "{}({})",
        qualified(f.schema.as_deref(), &f.name),
        params.join(", ")
    );
    let rows = matches!(f.returns, Some(Returns::SetOf(_) | Returns::Table(_)))
        || f.arguments.iter().any(|a| a.mode.is_output());
    match f.kind {
        RoutineKind::Procedure => format!("CALL {call}"),
        RoutineKind::Function if rows => format!("SELECT * FROM {call}"),
        RoutineKind::Function => format!("SELECT {call}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArgMode, Argument, TriggerTiming};

    fn function() -> Function {
        Function {
            key: "add".into(),
            name: "add".into(),
            schema: None,
            kind: RoutineKind::Function,
            language: "sql".into(),
            arguments: vec![
                Argument {
                    name: Some("a".into()),
                    ty: "integer".into(),
                    mode: ArgMode::In,
                    default: None,
                },
                Argument {
                    name: Some("b".into()),
                    ty: "integer".into(),
                    mode: ArgMode::In,
                    default: Some("1".into()),
                },
            ],
            returns: Some(Returns::Type("integer".into())),
            volatility: Volatility::Immutable,
            strict: true,
            security_definer: false,
            parallel: Parallel::Safe,
            cost: None,
            set: vec![("search_path".into(), "public, pg_temp".into())],
            body: "SELECT a + b $body$".into(),
            description: None,
            public_execute: true,
            renamed_from: None,
            loc: Default::default(),
        }
    }

    #[test]
    fn functions_are_dollar_quoted_with_a_free_tag() {
        assert_eq!(
            create_function(&function()).sql,
            "CREATE OR REPLACE FUNCTION add(a integer, b integer DEFAULT 1)\nRETURNS integer\nLANGUAGE sql\nIMMUTABLE STRICT PARALLEL SAFE SET search_path TO 'public', 'pg_temp'\nAS $body1$SELECT a + b $body$$body1$"
        );
        assert_eq!(
            drop_function(&function()).sql,
            "DROP FUNCTION add(integer, integer)"
        );
    }

    #[test]
    fn triggers() {
        let t = Trigger {
            name: "audit".into(),
            table: "Order".into(),
            schema: None,
            timing: TriggerTiming::After,
            events: vec![TriggerEvent::Insert, TriggerEvent::Update(vec!["a".into()])],
            for_each: ForEach::Statement,
            when: None,
            function: "log".into(),
            function_schema: None,
            arguments: vec!["it's".into()],
            old_table: None,
            new_table: Some("fresh".into()),
            constraint: false,
            deferrable: Deferrable::No,
            description: None,
            renamed_from: None,
            loc: Default::default(),
        };
        assert_eq!(
            create_trigger(&t, true).sql,
            "CREATE OR REPLACE TRIGGER audit AFTER INSERT OR UPDATE OF a ON \"Order\" REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT EXECUTE FUNCTION log('it''s')"
        );
    }
}
