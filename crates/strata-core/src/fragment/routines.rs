//! The SQL of functions and triggers read with PostgreSQL's parser: type names, `sql` bodies
//! (statements printed back from the tree), PL/pgSQL bodies (checked by the PL/pgSQL parser),
//! and a trigger's definition as the server prints it (`pg_get_triggerdef`).

use super::{FragmentError, FragmentKind, MAX_FRAGMENT_BYTES, error_offset};
use crate::model::{Deferrable, ForEach, TriggerEvent, TriggerTiming};
use pg_query::NodeEnum;

/// The parser's message.
fn raw(e: &pg_query::Error) -> String {
    match e {
        pg_query::Error::Parse(m) => m.clone(),
        other => other.to_string(),
    }
}

fn refuse<T>(message: impl Into<String>, offset: Option<usize>) -> Result<T, FragmentError> {
    Err(FragmentError {
        message: message.into(),
        offset,
    })
}

/// A type name as written in a signature (`int`, `text[]`, `numeric(10,2)`, `users`,
/// `trigger`), in one canonical spelling: the loader's for the built-in types it knows
/// (`integer`, `timestamptz`, `varchar(10)`), else as PostgreSQL's parser prints the name.
/// Refused unless the text is exactly one type name.
pub fn type_name(text: &str) -> Result<String, FragmentError> {
    let t = text.trim();
    if t.is_empty() {
        return refuse("is empty", None);
    }
    if let Ok(ty) = crate::model::ColumnType::parse(t, |_| false) {
        return Ok(ty.to_string());
    }
    if t.len() > 1024 || t.contains('\0') {
        return refuse("is not a type name", None);
    }
    const PREFIX: &str = "SELECT NULL::";
    let parsed = pg_query::parse(&format!("{PREFIX}{t}"), 0).map_err(|e| FragmentError {
        message: format!("is not a type name ({})", raw(&e)),
        offset: None,
    })?;
    let one = parsed.protobuf.stmts.len() == 1
        && match parsed.protobuf.stmts[0]
            .stmt
            .as_ref()
            .and_then(|n| n.node.as_ref())
        {
            Some(NodeEnum::SelectStmt(s)) => {
                s.from_clause.is_empty()
                    && s.where_clause.is_none()
                    && s.target_list.len() == 1
                    && matches!(
                        s.target_list[0].node.as_ref(),
                        Some(NodeEnum::ResTarget(r)) if r.name.is_empty() && matches!(
                            r.val.as_ref().and_then(|v| v.node.as_ref()),
                            Some(NodeEnum::TypeCast(c)) if matches!(
                                c.arg.as_ref().and_then(|a| a.node.as_ref()),
                                Some(NodeEnum::AConst(k)) if k.isnull
                            )
                        )
                    )
            }
            _ => false,
        };
    if !one {
        return refuse("is not one type name", None);
    }
    let printed = parsed
        .deparse(pg_query::DeparseOptions::default())
        .map_err(|e| FragmentError {
            message: format!("could not be printed back ({e})"),
            offset: None,
        })?;
    match printed.strip_prefix(PREFIX) {
        Some(name) => Ok(name.to_string()),
        None => refuse("could not be printed back as a type name", None),
    }
}

/// The body of a `LANGUAGE sql` function or procedure: one or more SQL statements, returned
/// as printed from their parse tree (`;`-separated).
pub fn sql_body(text: &str) -> Result<String, FragmentError> {
    if text.trim().is_empty() {
        return refuse("is empty", None);
    }
    if text.len() > 16 * MAX_FRAGMENT_BYTES {
        return refuse("is too long", None);
    }
    if let Some(at) = text.find('\0') {
        return refuse("contains a NUL character", Some(at));
    }
    let parsed = pg_query::parse(text, 0).map_err(|e| FragmentError {
        message: format!("does not parse as SQL: {}", raw(&e)),
        offset: error_offset(&e, text),
    })?;
    if parsed.protobuf.stmts.is_empty() {
        return refuse("holds no statement", None);
    }
    parsed
        .deparse(pg_query::DeparseOptions::default())
        .map_err(|e| FragmentError {
            message: format!("could not be printed back as SQL ({e})"),
            offset: None,
        })
}

/// Checks a PL/pgSQL function with PostgreSQL's PL/pgSQL parser. `create` is the whole
/// `CREATE FUNCTION` statement as Strata prints it; `body` the body within it (for the offset).
pub fn check_plpgsql(create: &str, body: &str) -> Result<(), FragmentError> {
    if let Some(at) = body.find('\0') {
        return refuse("contains a NUL character", Some(at));
    }
    match pg_query::parse_plpgsql(create) {
        // The function parsed; libpg_query's JSON of some trees (trigger functions' records)
        // does not read back, which says nothing about the body.
        Ok(_) | Err(pg_query::Error::InvalidJson(_)) => Ok(()),
        Err(e) => {
            let message = raw(&e);
            // The message names the token (`at or near "x"`); point at it in the body.
            let offset = message
                .split("at or near \"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(|tok| body.find(tok));
            refuse(format!("does not parse as PL/pgSQL: {message}"), offset)
        }
    }
}

/// A dollar-quote tag that does not occur in `body`: `$body$`, else `$body1$`, `$body2$`, …
pub fn dollar_tag(body: &str) -> String {
    let mut n = 0usize;
    loop {
        let tag = if n == 0 {
            "$body$".to_string()
        } else {
            format!("$body{n}$")
        };
        // The first occurrence of the tag after the body's start must be the closing one.
        if format!("{body}{tag}").find(&tag) == Some(body.len()) {
            return tag;
        }
        n += 1;
    }
}

/// The tables and functions an SQL script names, as its parse tree reads: tables by relation
/// name (lower-case as the parser folds them, without schema), functions by name; each once,
/// in order of appearance. Empty when the script does not parse.
pub fn statement_references(text: &str) -> (Vec<String>, Vec<String>) {
    fn walk(v: &serde_json::Value, tables: &mut Vec<String>, functions: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                // A RangeVar is wrapped as `{"RangeVar": …}` where it is a node, bare where a
                // statement's field is typed (`INSERT INTO`'s relation).
                if let Some(name) = m
                    .get("RangeVar")
                    .and_then(|r| r.get("relname"))
                    .or_else(|| m.get("relname"))
                    .and_then(|n| n.as_str())
                    && !tables.iter().any(|t| t == name)
                {
                    tables.push(name.to_string());
                }
                if let Some(name) = m
                    .get("FuncCall")
                    .and_then(|c| c.get("funcname"))
                    .and_then(|n| n.as_array())
                    .and_then(|parts| parts.last())
                    .and_then(|last| last.pointer("/node/String/sval"))
                    .and_then(|s| s.as_str())
                {
                    let name = name.to_ascii_lowercase();
                    if !functions.contains(&name) {
                        functions.push(name);
                    }
                }
                m.values().for_each(|v| walk(v, tables, functions));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, tables, functions)),
            _ => {}
        }
    }
    let (mut tables, mut functions) = (Vec::new(), Vec::new());
    if let Ok(parsed) = pg_query::parse(text, 0)
        && let Ok(v) = serde_json::to_value(&parsed.protobuf)
    {
        walk(&v, &mut tables, &mut functions);
    }
    (tables, functions)
}

/// A trigger as read from its definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerDefinition {
    pub timing: TriggerTiming,
    pub events: Vec<TriggerEvent>,
    pub for_each: ForEach,
    /// The `WHEN` expression, printed from its parse tree.
    pub when: Option<String>,
    pub function: String,
    pub function_schema: Option<String>,
    pub arguments: Vec<String>,
    pub old_table: Option<String>,
    pub new_table: Option<String>,
    pub constraint: bool,
    pub deferrable: Deferrable,
}

/// Reads a `CREATE [CONSTRAINT] TRIGGER` statement (as `pg_get_triggerdef` prints it).
pub fn trigger_definition(def: &str) -> Result<TriggerDefinition, FragmentError> {
    let parsed = pg_query::parse(def, 0).map_err(|e| FragmentError {
        message: format!("does not parse: {}", raw(&e)),
        offset: None,
    })?;
    let Some(NodeEnum::CreateTrigStmt(t)) = parsed
        .protobuf
        .stmts
        .first()
        .and_then(|s| s.stmt.as_ref())
        .and_then(|n| n.node.as_ref())
    else {
        return refuse("is not a CREATE TRIGGER statement", None);
    };
    let timing = if t.timing & 64 != 0 {
        TriggerTiming::InsteadOf
    } else if t.timing & 2 != 0 {
        TriggerTiming::Before
    } else {
        TriggerTiming::After
    };
    let names = |nodes: &[pg_query::protobuf::Node]| -> Vec<String> {
        nodes
            .iter()
            .filter_map(|n| match n.node.as_ref() {
                Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                _ => None,
            })
            .collect()
    };
    let mut events = Vec::new();
    if t.events & 4 != 0 {
        events.push(TriggerEvent::Insert);
    }
    if t.events & 8 != 0 {
        events.push(TriggerEvent::Delete);
    }
    if t.events & 16 != 0 {
        events.push(TriggerEvent::Update(names(&t.columns)));
    }
    if t.events & 32 != 0 {
        events.push(TriggerEvent::Truncate);
    }
    let when = match &t.when_clause {
        None => None,
        Some(w) => Some(print_expression(w)?),
    };
    let mut func = names(&t.funcname);
    let function = func.pop().unwrap_or_default();
    let function_schema = func.pop();
    let (mut old_table, mut new_table) = (None, None);
    for r in &t.transition_rels {
        if let Some(NodeEnum::TriggerTransition(tr)) = r.node.as_ref() {
            if tr.is_new {
                new_table = Some(tr.name.clone());
            } else {
                old_table = Some(tr.name.clone());
            }
        }
    }
    Ok(TriggerDefinition {
        timing,
        events,
        for_each: if t.row {
            ForEach::Row
        } else {
            ForEach::Statement
        },
        when,
        function,
        function_schema,
        arguments: names(&t.args),
        old_table,
        new_table,
        constraint: t.isconstraint,
        deferrable: match (t.deferrable, t.initdeferred) {
            (false, _) => Deferrable::No,
            (true, false) => Deferrable::Immediate,
            (true, true) => Deferrable::Deferred,
        },
    })
}

/// One expression node printed as [`super::parse`] prints a fragment.
fn print_expression(node: &pg_query::protobuf::Node) -> Result<String, FragmentError> {
    let mut select = pg_query::parse("SELECT NULL", 0).map_err(|e| FragmentError {
        message: e.to_string(),
        offset: None,
    })?;
    if let Some(NodeEnum::SelectStmt(s)) = select.protobuf.stmts[0]
        .stmt
        .as_mut()
        .and_then(|n| n.node.as_mut())
        && let Some(NodeEnum::ResTarget(r)) = s.target_list[0].node.as_mut()
    {
        r.val = Some(Box::new(node.clone()));
    }
    let printed = pg_query::deparse(&select.protobuf, pg_query::DeparseOptions::default())
        .map_err(|e| FragmentError {
            message: format!("could not be printed back ({e})"),
            offset: None,
        })?;
    let expr = printed.strip_prefix("SELECT ").unwrap_or(&printed);
    super::parse(FragmentKind::Any, expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("int4").unwrap(), "integer");
        assert_eq!(type_name("character varying").unwrap(), "varchar");
        assert_eq!(type_name("trigger").unwrap(), "trigger");
        assert_eq!(type_name("users").unwrap(), "users");
        assert_eq!(type_name("mood[]").unwrap(), "mood[]");
        assert!(type_name("int; DROP TABLE x").is_err());
        assert!(type_name("int, text").is_err());
    }

    #[test]
    fn sql_bodies_are_printed_from_the_tree() {
        assert_eq!(sql_body("select a+b").unwrap(), "SELECT a + b");
        assert_eq!(
            sql_body("insert into t values (1); select 2").unwrap(),
            "INSERT INTO t VALUES (1); SELECT 2"
        );
        assert!(sql_body("select from where").is_err());
    }

    #[test]
    fn dollar_tags_avoid_the_body() {
        assert_eq!(dollar_tag("select 1"), "$body$");
        assert_eq!(dollar_tag("x $body$ y"), "$body1$");
        assert_eq!(dollar_tag("x $body"), "$body1$");
    }

    #[test]
    fn plpgsql_is_checked() {
        let ok =
            "CREATE FUNCTION f() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$";
        assert!(check_plpgsql(ok, " BEGIN RETURN 1; END ").is_ok());
        let bad = "CREATE FUNCTION f() RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 1 END LOOP; END $$";
        assert!(check_plpgsql(bad, " BEGIN RETURN 1 END LOOP; END ").is_err());
        let trigger = "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.a := 1; RETURN NEW; END $$";
        assert!(check_plpgsql(trigger, "").is_ok());
    }

    #[test]
    fn references_are_read_from_the_tree() {
        let (tables, functions) = statement_references(
            "INSERT INTO log (m) SELECT lower(x) FROM src JOIN other USING (id)",
        );
        assert_eq!(tables, ["log", "src", "other"]);
        assert_eq!(functions, ["lower"]);
    }

    #[test]
    fn trigger_definitions_are_read() {
        let t = trigger_definition(
            "CREATE TRIGGER t BEFORE INSERT OR UPDATE OF a, b ON public.x FOR EACH ROW WHEN ((new.a IS DISTINCT FROM old.a)) EXECUTE FUNCTION f('k', 'v')",
        )
        .unwrap();
        assert_eq!(t.timing, TriggerTiming::Before);
        assert_eq!(
            t.events,
            [
                TriggerEvent::Insert,
                TriggerEvent::Update(vec!["a".into(), "b".into()])
            ]
        );
        assert_eq!(t.when.as_deref(), Some("new.a IS DISTINCT FROM old.a"));
        assert_eq!(t.arguments, ["k", "v"]);
        assert_eq!(t.function, "f");
    }
}
