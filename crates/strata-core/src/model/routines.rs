//! Functions, procedures and triggers: `functions:` at the top of a schema file and `triggers:`
//! in a table.
//!
//! A function is identified in the database by its schema, name and the types of its input
//! arguments ([`Function::identity`]); its key in `functions:` is a name of the schema file's
//! own (the Rust wrapper is `call_<key>`), so two overloads of one SQL name are two keys with the
//! same `name:`.

use super::Deferrable;
use crate::diag::Loc;
use serde::{Deserialize, Serialize};

/// `CREATE FUNCTION` or `CREATE PROCEDURE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Function {
    /// The key in `functions:` (unique in the schema); the Rust wrapper is `call_<key>`.
    pub key: String,
    /// The SQL name (the key unless `name:` says otherwise).
    pub name: String,
    /// The PostgreSQL schema; `None` is the default schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    #[serde(default, skip_serializing_if = "RoutineKind::is_function")]
    pub kind: RoutineKind,
    /// The language, lower-case (`sql`, `plpgsql`, …).
    pub language: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<Argument>,
    /// The result; `None` for a procedure, or a function whose OUT arguments give its result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<Returns>,
    #[serde(default, skip_serializing_if = "Volatility::is_volatile")]
    pub volatility: Volatility,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub security_definer: bool,
    #[serde(default, skip_serializing_if = "Parallel::is_unsafe")]
    pub parallel: Parallel,
    /// `COST`; `None` is PostgreSQL's default (100 for SQL and PL languages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<f64>,
    /// `SET <parameter> TO <value>` while the function runs, by parameter name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<(String, String)>,
    /// The body: for `sql`, the statements as printed from PostgreSQL's parse tree; for other
    /// languages, the text as written.
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether `PUBLIC` may execute it (PostgreSQL's default); `false`: `REVOKE EXECUTE … FROM
    /// PUBLIC` after every `CREATE`.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub public_execute: bool,
    /// The previous SQL name, for the planner (`ALTER FUNCTION … RENAME TO`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoutineKind {
    #[default]
    Function,
    Procedure,
}

impl RoutineKind {
    pub fn is_function(&self) -> bool {
        *self == RoutineKind::Function
    }

    /// `FUNCTION` or `PROCEDURE`.
    pub fn sql(self) -> &'static str {
        match self {
            RoutineKind::Function => "FUNCTION",
            RoutineKind::Procedure => "PROCEDURE",
        }
    }
}

/// One argument of a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Argument {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The type, in the canonical form of [`crate::fragment::type_name`].
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default, skip_serializing_if = "ArgMode::is_in")]
    pub mode: ArgMode,
    /// The default, an SQL expression printed from its parse tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgMode {
    #[default]
    In,
    Out,
    Inout,
    Variadic,
}

impl ArgMode {
    pub fn is_in(&self) -> bool {
        *self == ArgMode::In
    }

    /// Whether the caller passes it (it is part of the function's identity).
    pub fn is_input(self) -> bool {
        !matches!(self, ArgMode::Out)
    }

    /// Whether it is part of the result.
    pub fn is_output(self) -> bool {
        matches!(self, ArgMode::Out | ArgMode::Inout)
    }

    /// The keyword before the argument, with a trailing space; empty for `IN`.
    pub fn sql(self) -> &'static str {
        match self {
            ArgMode::In => "",
            ArgMode::Out => "OUT ",
            ArgMode::Inout => "INOUT ",
            ArgMode::Variadic => "VARIADIC ",
        }
    }
}

/// A function's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Returns {
    /// One value of a type (also `void` and `trigger`).
    Type(String),
    /// `SETOF <type>`: any number of rows of one type.
    SetOf(String),
    /// `TABLE (column type, …)`: any number of rows of these columns.
    Table(Vec<(String, String)>),
}

impl Returns {
    pub fn is_trigger(&self) -> bool {
        matches!(self, Returns::Type(t) if t == "trigger")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Volatility {
    #[default]
    Volatile,
    Stable,
    Immutable,
}

impl Volatility {
    pub fn is_volatile(&self) -> bool {
        *self == Volatility::Volatile
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Parallel {
    #[default]
    Unsafe,
    Restricted,
    Safe,
}

impl Parallel {
    pub fn is_unsafe(&self) -> bool {
        *self == Parallel::Unsafe
    }
}

/// What a function or trigger reads, for the planner's dependency machinery: the tables (and
/// their columns, where known) and functions it names, and the types of its signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    /// Tables (or views) named, each with the columns named where known (empty: unknown or
    /// the whole row).
    pub tables: Vec<(String, Vec<String>)>,
    /// Functions called, by SQL name, lower-case, without schema.
    pub functions: Vec<String>,
    /// Type names of the signature (arguments and result).
    pub types: Vec<String>,
}

impl Function {
    /// The identity PostgreSQL knows the function by: its input arguments' types, e.g.
    /// `integer, text` (what `DROP FUNCTION name(…)` needs).
    pub fn identity_arguments(&self) -> Vec<&str> {
        self.arguments
            .iter()
            .filter(|a| a.mode.is_input())
            .map(|a| a.ty.as_str())
            .collect()
    }

    /// `(schema, name, input types)`: two functions with the same identity are one object.
    pub fn identity(&self) -> (Option<&str>, &str, Vec<&str>) {
        (
            self.schema.as_deref(),
            &self.name,
            self.identity_arguments(),
        )
    }

    /// `name(integer, text)`, for messages.
    pub fn signature(&self) -> String {
        let name = match &self.schema {
            Some(s) => format!("{s}.{}", self.name),
            None => self.name.clone(),
        };
        format!("{name}({})", self.identity_arguments().join(", "))
    }

    /// The types of the signature: every argument's, and the result's.
    pub fn signature_types(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.arguments.iter().map(|a| a.ty.as_str()).collect();
        match &self.returns {
            Some(Returns::Type(t) | Returns::SetOf(t)) => out.push(t),
            Some(Returns::Table(cols)) => out.extend(cols.iter().map(|(_, t)| t.as_str())),
            None => {}
        }
        out
    }

    /// What the function reads (see [`References`]): the tables and functions its `sql` body
    /// names (other languages' bodies are not read), and the types of its signature.
    pub fn references(&self) -> References {
        let (tables, functions) = if self.language == "sql" {
            crate::fragment::statement_references(&self.body)
        } else {
            (Vec::new(), Vec::new())
        };
        References {
            tables: tables.into_iter().map(|t| (t, Vec::new())).collect(),
            functions,
            types: self
                .signature_types()
                .into_iter()
                .map(|t| t.trim_end_matches("[]").to_string())
                .collect(),
        }
    }
}

/// `CREATE TRIGGER` on a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    pub table: String,
    /// The table's PostgreSQL schema; `None` is the default schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub timing: TriggerTiming,
    pub events: Vec<TriggerEvent>,
    pub for_each: ForEach,
    /// `WHEN (…)`, an SQL expression printed from its parse tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The trigger function's SQL name.
    pub function: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_schema: Option<String>,
    /// The text arguments the function sees as `TG_ARGV`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arguments: Vec<String>,
    /// `REFERENCING OLD TABLE AS … NEW TABLE AS …` (statement-level AFTER triggers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_table: Option<String>,
    /// `CREATE CONSTRAINT TRIGGER`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub constraint: bool,
    #[serde(default)]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The previous name on the table, for the planner (`ALTER TRIGGER … RENAME TO`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    Before,
    After,
    InsteadOf,
}

impl TriggerTiming {
    pub fn sql(self) -> &'static str {
        match self {
            TriggerTiming::Before => "BEFORE",
            TriggerTiming::After => "AFTER",
            TriggerTiming::InsteadOf => "INSTEAD OF",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEvent {
    Insert,
    /// `UPDATE`, or `UPDATE OF <columns>` when the list is not empty.
    Update(Vec<String>),
    Delete,
    Truncate,
}

impl TriggerEvent {
    /// PostgreSQL's order of events in a trigger's definition.
    pub fn rank(&self) -> u8 {
        match self {
            TriggerEvent::Insert => 0,
            TriggerEvent::Delete => 1,
            TriggerEvent::Update(_) => 2,
            TriggerEvent::Truncate => 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForEach {
    Row,
    Statement,
}

impl Trigger {
    /// What the trigger reads (see [`References`]): its table (with the `UPDATE OF` columns),
    /// its function, and the functions its `WHEN` calls.
    pub fn references(&self) -> References {
        let columns = self
            .events
            .iter()
            .flat_map(|e| match e {
                TriggerEvent::Update(c) => c.clone(),
                _ => Vec::new(),
            })
            .collect();
        let mut functions = vec![self.function.to_ascii_lowercase()];
        if let Some(w) = &self.when {
            functions.extend(crate::fragment::called_functions(w));
        }
        References {
            tables: vec![(self.table.clone(), columns)],
            functions,
            types: Vec::new(),
        }
    }
}
