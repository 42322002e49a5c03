//! Functions, procedures and triggers read back (`pg_proc`, `pg_trigger`).
//!
//! A function's body is `prosrc`; an `sql` body is printed from its parse tree as the loader
//! prints it. Its signature comes from the argument arrays of `pg_proc` (names, modes, every
//! type by `format_type`, defaults by `pg_get_function_arg_default`), so OUT arguments and
//! `RETURNS TABLE` columns are told apart. A trigger is read from `pg_get_triggerdef` with
//! PostgreSQL's parser. What the language cannot say is reported: aggregates and window
//! functions, C and internal functions, SQL-standard bodies (`BEGIN ATOMIC`), disabled
//! triggers. Functions an extension owns are not read (see `Introspected::extension_owned`).

use strata::Loc;
use strata::fragment;
use strata::model::{
    ArgMode, Argument, Function, Parallel, Returns, RoutineKind, Table, Trigger, Volatility,
};
use strata::render::sql::TOUCH_FUNCTION;

use super::super::ObjectKind;
use super::super::catalog::{Catalog, FunctionRow, TriggerRow};
use super::Builder;

impl Builder {
    /// The schema's functions and procedures (Strata's own trigger function aside), keyed by
    /// name, overloads by name and argument types.
    pub(super) fn functions(&mut self, cat: &Catalog) -> Vec<Function> {
        let mut out: Vec<Function> = Vec::new();
        for f in &cat.functions {
            if f.name == TOUCH_FUNCTION && f.arguments.is_empty() && f.returns == "trigger" {
                continue;
            }
            match self.function(f) {
                Ok(func) => out.push(func),
                Err(why) => self.ignore(
                    ObjectKind::Function,
                    format!("{}({})", f.name, f.arguments),
                    why,
                ),
            }
        }
        // Keys: the name, or for overloads the name and the argument types.
        let names: Vec<String> = out.iter().map(|f| f.name.clone()).collect();
        let mut used: Vec<String> = Vec::new();
        for f in &mut out {
            let mut key = if names.iter().filter(|n| **n == f.name).count() > 1 {
                let types: Vec<String> = f
                    .identity_arguments()
                    .iter()
                    .map(|t| {
                        t.chars()
                            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                            .collect::<String>()
                    })
                    .collect();
                if types.is_empty() {
                    f.name.clone()
                } else {
                    format!("{}_{}", f.name, types.join("_"))
                }
            } else {
                f.name.clone()
            };
            let base = key.clone();
            let mut n = 2;
            while used.contains(&key) {
                key = format!("{base}_{n}");
                n += 1;
            }
            used.push(key.clone());
            f.key = key;
        }
        out
    }

    fn function(&self, f: &FunctionRow) -> Result<Function, String> {
        let kind = match f.kind.as_str() {
            "f" => RoutineKind::Function,
            "p" => RoutineKind::Procedure,
            "a" => return Err("an aggregate; the schema language has no aggregates".into()),
            "w" => return Err("a window function; the schema language has none".into()),
            other => return Err(format!("a routine of kind `{other}`")),
        };
        if matches!(f.language.as_str(), "c" | "internal") {
            return Err(format!(
                "a function in language {} (its code lives outside the database)",
                f.language
            ));
        }
        if f.standard_body {
            return Err(
                "its body is SQL-standard (BEGIN ATOMIC …); the schema language writes bodies as strings"
                    .into(),
            );
        }
        let ty = |t: &str| fragment::type_name(t).map_err(|e| format!("type `{t}` {e}"));
        let mut arguments = Vec::new();
        let mut table_columns = Vec::new();
        for (i, t) in f.argument_types.iter().enumerate() {
            let name = f.argument_names.get(i).filter(|n| !n.is_empty()).cloned();
            let mode = f.argument_modes.get(i).map_or("i", String::as_str);
            if mode == "t" {
                table_columns.push((name.unwrap_or_default(), ty(t)?));
                continue;
            }
            let default = match f.argument_defaults.get(i).cloned().flatten() {
                None => None,
                Some(d) => Some(
                    fragment::parse(fragment::FragmentKind::Default, &d)
                        .map_err(|e| format!("the default `{d}` {e}"))?,
                ),
            };
            arguments.push(Argument {
                name,
                ty: ty(t)?,
                mode: match mode {
                    "o" => ArgMode::Out,
                    "b" => ArgMode::Inout,
                    "v" => ArgMode::Variadic,
                    _ => ArgMode::In,
                },
                default,
            });
        }
        let has_out = arguments.iter().any(|a| a.mode.is_output());
        let returns = match kind {
            RoutineKind::Procedure => None,
            RoutineKind::Function if !table_columns.is_empty() => {
                Some(Returns::Table(table_columns))
            }
            // Rows of OUT arguments: of the one OUT argument's type, or records of several.
            RoutineKind::Function if has_out => f.returns_set.then(|| {
                let outputs: Vec<&Argument> =
                    arguments.iter().filter(|a| a.mode.is_output()).collect();
                match outputs.as_slice() {
                    [one] => Returns::SetOf(one.ty.clone()),
                    _ => Returns::SetOf("record".into()),
                }
            }),
            RoutineKind::Function if f.returns_set => Some(Returns::SetOf(ty(&f.returns)?)),
            RoutineKind::Function => Some(Returns::Type(ty(&f.returns)?)),
        };
        let body = if f.language == "sql" {
            fragment::sql_body(&f.body).map_err(|e| format!("its body {e}"))?
        } else {
            f.body.clone()
        };
        let mut set: Vec<(String, String)> = f
            .config
            .iter()
            .filter_map(|c| c.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        set.sort();
        let is_function = kind == RoutineKind::Function;
        Ok(Function {
            key: f.name.clone(),
            name: f.name.clone(),
            schema: None,
            kind,
            language: f.language.clone(),
            arguments,
            returns,
            volatility: match f.volatility.as_str() {
                "i" if is_function => Volatility::Immutable,
                "s" if is_function => Volatility::Stable,
                _ => Volatility::Volatile,
            },
            strict: is_function && f.strict,
            security_definer: f.security_definer,
            parallel: match f.parallel.as_str() {
                "s" if is_function => Parallel::Safe,
                "r" if is_function => Parallel::Restricted,
                _ => Parallel::Unsafe,
            },
            cost: (is_function && f.cost != 100.0).then_some(f.cost),
            set,
            body,
            description: f.comment.clone(),
            public_execute: f.public_execute,
            renamed_from: None,
            loc: Loc::default(),
        })
    }

    /// A trigger of the schema's own (not Strata's), from its definition.
    pub(super) fn user_trigger(&self, table: &Table, t: &TriggerRow) -> Result<Trigger, String> {
        if t.enabled != "O" {
            return Err(format!(
                "a trigger enabled as `{}` (ALTER TABLE … ENABLE REPLICA/ALWAYS or DISABLE); the schema language has only enabled triggers",
                t.enabled
            ));
        }
        let d = fragment::trigger_definition(&t.definition)
            .map_err(|e| format!("its definition {e}"))?;
        Ok(Trigger {
            name: t.name.clone(),
            table: table.name.clone(),
            schema: None,
            timing: d.timing,
            events: d.events,
            for_each: d.for_each,
            when: d.when,
            function: d.function,
            function_schema: d.function_schema.filter(|s| *s != self.schema),
            arguments: d.arguments,
            old_table: d.old_table,
            new_table: d.new_table,
            constraint: d.constraint,
            deferrable: d.deferrable,
            description: t.comment.clone(),
            renamed_from: None,
            loc: Loc::default(),
        })
    }
}
