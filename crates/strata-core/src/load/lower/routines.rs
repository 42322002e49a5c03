//! `functions:` and the `triggers:` of tables: decoded, their SQL read with PostgreSQL's
//! parser ([`crate::fragment`]), checked, and lowered to [`Function`] and [`Trigger`].

use super::{Decl, Lowerer, key, with};
use crate::diag::{Code, Diagnostic, Loc};
use crate::fragment::{self, FragmentKind};
use crate::load::decode::scalar_text;
use crate::load::raw_routines::*;
use crate::load::tree::Seg;
use crate::model::*;
use serde_yaml::Value;

/// A trigger declared in a table, waiting for the functions to be known.
pub(super) struct TriggerDecl {
    pub table: String,
    pub schema: Option<String>,
    pub decl: Decl<Value>,
}

/// Whether `name` can be a PostgreSQL name as Strata writes them (quoted where needed).
fn usable_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        Err("is empty".into())
    } else if name.len() > MAX_IDENT_BYTES {
        Err(format!("is longer than {MAX_IDENT_BYTES} bytes"))
    } else if name.contains('\0') {
        Err("contains a NUL character".into())
    } else {
        Ok(())
    }
}

impl Lowerer<'_> {
    /// An error at the value at `path`, or at the declaration's name when `path` is the
    /// declaration itself.
    fn at(&mut self, ctx: usize, path: &[Seg], code: Code, message: String, help: &str) {
        let loc = if matches!(path.len(), 2 | 4) && self.is_declaration(path) {
            self.ctxs[ctx].key_loc(path)
        } else {
            self.ctxs[ctx].loc(path)
        };
        self.diags
            .push(Diagnostic::new(code, loc, message).help(help.to_string()));
    }

    /// Whether `path` names a function (`functions.<key>`) or a trigger
    /// (`tables.<t>.triggers.<name>`).
    fn is_declaration(&self, path: &[Seg]) -> bool {
        let is = |i: usize, k: &str| matches!(path.get(i), Some(Seg::Key(x)) if x == k);
        (path.len() == 2 && is(0, "functions"))
            || (path.len() == 4 && is(0, "tables") && is(2, "triggers"))
    }

    /// A fragment error at `path`, moved to the line of the offending part when the text is a
    /// block of several lines.
    fn fragment_error(
        &mut self,
        ctx: usize,
        path: &[Seg],
        what: &str,
        text: &str,
        e: fragment::FragmentError,
    ) {
        let mut loc: Loc = self.ctxs[ctx].loc(path);
        if let Some(at) = e.offset {
            let before = &text[..at.min(text.len())];
            let lines = before.matches('\n').count() as u32;
            if lines > 0 {
                // A block scalar starts on the line after its key.
                loc.line += lines + 1;
                loc.col = (before.len() - before.rfind('\n').map_or(0, |i| i + 1)) as u32 + 1;
            }
        }
        self.diags.push(
            Diagnostic::new(Code::BadFragment, loc, format!("{what} {e}")).help(
                "Strata reads SQL with PostgreSQL's own parser and writes it back from the parse tree",
            ),
        );
    }

    pub(super) fn functions(&mut self, decls: Vec<Decl<Value>>) -> Vec<Function> {
        let mut out: Vec<Function> = Vec::new();
        for d in decls {
            let Some(f) = self.function(&d) else { continue };
            if let Some(first) = out.iter().find(|o| o.identity() == f.identity()) {
                let first_loc = first.loc;
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateName,
                        f.loc,
                        format!(
                            "function `{}` is declared twice with the same input argument types",
                            f.signature()
                        ),
                    )
                    .related(first_loc, "first declared here")
                    .help("overloads of one name need different input argument types"),
                );
                continue;
            }
            out.push(f);
        }
        out
    }

    fn function(&mut self, d: &Decl<Value>) -> Option<Function> {
        let loc = self.name_loc(d);
        let raw = self.ctxs[d.ctx].decode::<RawFunction>(&d.raw, &d.path, self.diags)?;
        let errors = self.diags.len();
        let name = raw.name.clone().unwrap_or_else(|| d.name.clone());
        if let Err(why) = usable_name(&name) {
            self.at(
                d.ctx,
                &d.path,
                Code::BadName,
                format!("function name `{name}` {why}"),
                "name a function as PostgreSQL allows",
            );
        }
        if name == crate::render::sql::TOUCH_FUNCTION {
            self.at(
                d.ctx,
                &d.path,
                Code::BadName,
                format!("`{name}` is Strata's own trigger function for `auto_update` columns"),
                "give the function another name",
            );
        }
        let language = raw.language.trim().to_ascii_lowercase();
        if language.is_empty()
            || !language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.at(
                d.ctx,
                &with(&d.path, key("language")),
                Code::Shape,
                format!("`{}` is not a language name", raw.language),
                "write `sql`, `plpgsql` or the name of an installed language",
            );
        }
        let kind = match raw.kind {
            Some(RawRoutineKind::Procedure) => RoutineKind::Procedure,
            _ => RoutineKind::Function,
        };
        let mut arguments = Vec::new();
        for (i, a) in raw.arguments.iter().enumerate() {
            let path = [d.path.clone(), vec![key("arguments"), Seg::Index(i)]].concat();
            let ty = match fragment::type_name(&a.ty) {
                Ok(t) => t,
                Err(e) => {
                    self.at(
                        d.ctx,
                        &with(&path, key("type")),
                        Code::BadType,
                        format!("argument type `{}` {e}", a.ty),
                        "write one type name, e.g. `integer`, `text[]` or a table's name",
                    );
                    continue;
                }
            };
            let default = match a.default.as_ref() {
                None => None,
                Some(v) => match scalar_text(v) {
                    None => {
                        self.at(
                            d.ctx,
                            &with(&path, key("default")),
                            Code::Shape,
                            "an argument's default is an SQL expression".into(),
                            "write e.g. `default: 0` or `default: \"'none'\"`",
                        );
                        None
                    }
                    Some(text) => match fragment::parse(FragmentKind::Default, &text) {
                        Ok(p) => Some(p),
                        Err(e) => {
                            self.fragment_error(
                                d.ctx,
                                &with(&path, key("default")),
                                "the default",
                                &text,
                                e,
                            );
                            None
                        }
                    },
                },
            };
            if let Some(n) = &a.name
                && let Err(why) = usable_name(n)
            {
                self.at(
                    d.ctx,
                    &with(&path, key("name")),
                    Code::BadName,
                    format!("argument name `{n}` {why}"),
                    "name the argument as PostgreSQL allows, or leave the name out",
                );
            }
            let mode = match a.mode {
                None | Some(RawArgMode::In) => ArgMode::In,
                Some(RawArgMode::Out) => ArgMode::Out,
                Some(RawArgMode::Inout) => ArgMode::Inout,
                Some(RawArgMode::Variadic) => ArgMode::Variadic,
            };
            arguments.push(Argument {
                name: a.name.clone(),
                ty,
                mode,
                default,
            });
        }
        let returns = match &raw.returns {
            None => None,
            Some(v) => self.returns(d, v),
        };
        let has_out = arguments.iter().any(|a| a.mode.is_output());
        match kind {
            RoutineKind::Function if returns.is_none() && !has_out => self.at(
                d.ctx,
                &d.path,
                Code::Routine,
                format!("function `{name}` has no `returns:`"),
                "write `returns: void` for a function without a result, or `kind: procedure`",
            ),
            RoutineKind::Procedure
                if raw.returns.is_some()
                    || raw.volatility.is_some()
                    || raw.strict
                    || raw.parallel.is_some()
                    || raw.cost.is_some() =>
            {
                self.at(
                    d.ctx,
                    &d.path,
                    Code::Routine,
                    format!("procedure `{name}` has a key only functions have"),
                    "a procedure takes no `returns`, `volatility`, `strict`, `parallel` or `cost`",
                )
            }
            _ => {}
        }
        let mut set = Vec::new();
        for (k, v) in &raw.set {
            let (Some(k), Some(v)) = (scalar_text(k), scalar_text(v)) else {
                self.at(
                    d.ctx,
                    &with(&d.path, key("set")),
                    Code::Shape,
                    "`set:` maps a parameter name to its value".into(),
                    "write e.g. `set: { search_path: \"public, pg_temp\" }`",
                );
                continue;
            };
            let ok = k.split('.').all(|p| {
                !p.is_empty()
                    && p.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                    && !p.starts_with(|c: char| c.is_ascii_digit())
            });
            if !ok {
                self.at(
                    d.ctx,
                    &with(&d.path, key("set")),
                    Code::BadName,
                    format!("`{k}` is not a configuration parameter name"),
                    "write a parameter name such as `search_path` or `app.tenant`",
                );
                continue;
            }
            set.push((k, v));
        }
        set.sort();
        let body_path = with(&d.path, key("body"));
        let body = if language == "sql" {
            match fragment::sql_body(&raw.body) {
                Ok(b) => b,
                Err(e) => {
                    self.fragment_error(d.ctx, &body_path, "the body", &raw.body, e);
                    raw.body.clone()
                }
            }
        } else {
            if let Some(at) = raw.body.find('\0') {
                self.fragment_error(
                    d.ctx,
                    &body_path,
                    "the body",
                    &raw.body,
                    fragment::FragmentError {
                        message: "contains a NUL character".into(),
                        offset: Some(at),
                    },
                );
            }
            raw.body.clone()
        };
        let f = Function {
            key: d.name.clone(),
            name,
            schema: raw
                .schema
                .clone()
                .or_else(|| self.file_schema(d.ctx).map(str::to_string)),
            kind,
            language,
            arguments,
            returns,
            volatility: match raw.volatility {
                None | Some(RawVolatility::Volatile) => Volatility::Volatile,
                Some(RawVolatility::Stable) => Volatility::Stable,
                Some(RawVolatility::Immutable) => Volatility::Immutable,
            },
            strict: raw.strict,
            security_definer: raw.security_definer,
            parallel: match raw.parallel {
                None | Some(RawParallel::Unsafe) => Parallel::Unsafe,
                Some(RawParallel::Restricted) => Parallel::Restricted,
                Some(RawParallel::Safe) => Parallel::Safe,
            },
            cost: raw.cost,
            set,
            body,
            description: raw.description.clone(),
            public_execute: raw.public_execute.unwrap_or(true),
            renamed_from: raw.renamed_from.clone(),
            loc,
        };
        if f.language == "plpgsql" && self.diags.len() == errors {
            let create = crate::render::sql::create_function(&f).sql;
            if let Err(e) = fragment::check_plpgsql(&create, &f.body) {
                self.fragment_error(d.ctx, &body_path, "the body", &f.body, e);
            }
        }
        (self.diags.len() == errors).then_some(f)
    }

    fn returns(&mut self, d: &Decl<Value>, v: &Value) -> Option<Returns> {
        let path = with(&d.path, key("returns"));
        let ty = |l: &mut Self, text: &str, path: &[Seg]| match fragment::type_name(text) {
            Ok(t) => Some(t),
            Err(e) => {
                l.at(
                    d.ctx,
                    path,
                    Code::BadType,
                    format!("result type `{text}` {e}"),
                    "write one type name, e.g. `integer`, `void` or `trigger`",
                );
                None
            }
        };
        match v {
            Value::String(s) => ty(self, s, &path).map(Returns::Type),
            Value::Mapping(m) if m.contains_key("setof") => {
                let raw = self.ctxs[d.ctx].decode::<RawSetOf>(v, &path, self.diags)?;
                ty(self, &raw.setof, &with(&path, key("setof"))).map(Returns::SetOf)
            }
            Value::Mapping(_) => {
                let raw = self.ctxs[d.ctx].decode::<RawReturnsTable>(v, &path, self.diags)?;
                let mut cols = Vec::new();
                for (k, t) in &raw.table {
                    let (Some(k), Some(t)) = (scalar_text(k), scalar_text(t)) else {
                        self.at(
                            d.ctx,
                            &with(&path, key("table")),
                            Code::Shape,
                            "`table:` maps each result column to its type".into(),
                            "write e.g. `returns: { table: { id: integer, title: text } }`",
                        );
                        return None;
                    };
                    let cpath = [path.clone(), vec![key("table"), key(&k)]].concat();
                    cols.push((k, ty(self, &t, &cpath)?));
                }
                Some(Returns::Table(cols))
            }
            _ => {
                self.at(
                    d.ctx,
                    &path,
                    Code::Shape,
                    "`returns:` is a type, `{setof: type}` or `{table: {column: type}}`".into(),
                    "write e.g. `returns: integer`",
                );
                None
            }
        }
    }

    pub(super) fn triggers(
        &mut self,
        decls: Vec<TriggerDecl>,
        tables: &[Table],
        functions: &[Function],
    ) -> Vec<Trigger> {
        let mut out = Vec::new();
        for td in decls {
            if let Some(t) = self.trigger(td, tables, functions) {
                out.push(t);
            }
        }
        out
    }

    fn trigger(
        &mut self,
        td: TriggerDecl,
        tables: &[Table],
        functions: &[Function],
    ) -> Option<Trigger> {
        let d = &td.decl;
        let loc = self.name_loc(d);
        let raw = self.ctxs[d.ctx].decode::<RawTrigger>(&d.raw, &d.path, self.diags)?;
        let errors = self.diags.len();
        let table = tables.iter().find(|t| t.name == td.table)?;
        if let Err(why) = usable_name(&d.name) {
            self.at(
                d.ctx,
                &d.path,
                Code::BadName,
                format!("trigger name `{}` {why}", d.name),
                "name the trigger as PostgreSQL allows",
            );
        }
        if d.name == crate::render::sql::TOUCH_TRIGGER {
            self.at(
                d.ctx,
                &d.path,
                Code::BadName,
                format!(
                    "`{}` is Strata's own trigger for `auto_update` columns",
                    d.name
                ),
                "give the trigger another name, or use `auto_update: true` on the columns",
            );
        }
        let mut events = Vec::new();
        for (i, v) in raw.events.iter().enumerate() {
            let path = [d.path.clone(), vec![key("events"), Seg::Index(i)]].concat();
            let event = match v {
                Value::String(s) => match s.as_str() {
                    "insert" => Some(TriggerEvent::Insert),
                    "update" => Some(TriggerEvent::Update(Vec::new())),
                    "delete" => Some(TriggerEvent::Delete),
                    "truncate" => Some(TriggerEvent::Truncate),
                    _ => None,
                },
                Value::Mapping(_) => self.ctxs[d.ctx]
                    .decode::<RawUpdateOf>(v, &path, self.diags)
                    .map(|u| TriggerEvent::Update(u.update_of)),
                _ => None,
            };
            match event {
                Some(TriggerEvent::Update(cols)) => {
                    for c in &cols {
                        if table.column(c).is_none() {
                            self.at(
                                d.ctx,
                                &path,
                                Code::UnknownColumn,
                                format!("table `{}` has no column `{c}`", table.name),
                                "list columns of the trigger's table in `update_of`",
                            );
                        }
                    }
                    events.push(TriggerEvent::Update(cols));
                }
                Some(e) => events.push(e),
                None => self.at(
                    d.ctx,
                    &path,
                    Code::Shape,
                    "an event is `insert`, `update`, `{update_of: [columns]}`, `delete` or `truncate`".into(),
                    "write e.g. `events: [insert, update]`",
                ),
            }
        }
        if events.is_empty() && raw.events.is_empty() {
            self.at(
                d.ctx,
                &d.path,
                Code::Shape,
                format!("trigger `{}` has no events", d.name),
                "write e.g. `events: [insert, update]`",
            );
        }
        events.sort_by_key(TriggerEvent::rank);
        events.dedup_by_key(|e| e.rank());
        let when = match &raw.when {
            None => None,
            Some(w) => match fragment::parse(FragmentKind::Check, w) {
                Ok(p) => Some(p),
                Err(e) => {
                    self.fragment_error(
                        d.ctx,
                        &with(&d.path, key("when")),
                        "the `when` condition",
                        w,
                        e,
                    );
                    None
                }
            },
        };
        // An unqualified function means the one of the table's own schema when there is
        // one, else the one of the default schema (as a foreign key's `references:`).
        let (function_schema, function) = match raw.function.split_once('.') {
            Some((s, f)) => (Some(s.to_string()), f.to_string()),
            None => {
                let own = split_qualified(&td.table).0;
                let named = |schema: Option<&str>| {
                    functions
                        .iter()
                        .any(|f| f.name == raw.function && f.schema.as_deref() == schema)
                };
                let in_own = own.is_some_and(|s| named(Some(s)));
                if let Some(s) = own
                    && in_own
                    && named(None)
                    && self.file_schema(d.ctx).is_some()
                {
                    let loc = self.ctxs[d.ctx].loc(&with(&d.path, key("function")));
                    self.diags.push(crate::validate::ambiguous_reference(
                        "function",
                        &raw.function,
                        s,
                        loc,
                    ));
                }
                (
                    own.filter(|_| in_own).map(str::to_string),
                    raw.function.clone(),
                )
            }
        };
        let declared: Vec<&Function> = functions
            .iter()
            .filter(|f| f.name == function && f.schema == function_schema)
            .collect();
        if !declared.is_empty()
            && !declared.iter().any(|f| {
                f.identity_arguments().is_empty()
                    && f.returns.as_ref().is_some_and(Returns::is_trigger)
            })
        {
            self.at(
                d.ctx,
                &with(&d.path, key("function")),
                Code::Routine,
                format!(
                    "function `{}` is not a trigger function (no arguments, `returns: trigger`)",
                    raw.function
                ),
                "a trigger calls a function declared with `returns: trigger` and no arguments; pass values with `arguments:`",
            );
        }
        let mut arguments = Vec::new();
        for (i, a) in raw.arguments.iter().enumerate() {
            match scalar_text(a) {
                Some(s) => arguments.push(s),
                None => self.at(
                    d.ctx,
                    &[d.path.clone(), vec![key("arguments"), Seg::Index(i)]].concat(),
                    Code::Shape,
                    "a trigger argument is a text".into(),
                    "write each argument as a string",
                ),
            }
        }
        let (old_table, new_table) = match raw.referencing {
            Some(r) => (r.old_table, r.new_table),
            None => (None, None),
        };
        let t = Trigger {
            name: d.name.clone(),
            table: td.table.clone(),
            schema: td.schema.clone(),
            timing: match raw.timing {
                RawTiming::Before => TriggerTiming::Before,
                RawTiming::After => TriggerTiming::After,
                RawTiming::InsteadOf => TriggerTiming::InsteadOf,
            },
            events,
            for_each: match raw.for_each {
                RawForEach::Row => ForEach::Row,
                RawForEach::Statement => ForEach::Statement,
            },
            when,
            function,
            function_schema,
            arguments,
            old_table,
            new_table,
            constraint: raw.constraint,
            deferrable: match raw.deferrable {
                None => Deferrable::No,
                Some(crate::load::raw::RawDeferrable::Immediate) => Deferrable::Immediate,
                Some(crate::load::raw::RawDeferrable::Deferred) => Deferrable::Deferred,
            },
            description: raw.description,
            renamed_from: raw.renamed_from,
            loc,
        };
        (self.diags.len() == errors).then_some(t)
    }
}
