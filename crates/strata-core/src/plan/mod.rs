//! Migration planning: the difference between two schema models as an ordered list of steps,
//! each with its SQL statements and its hazards, safe for the data already in the database.
//!
//! - Renames happen only through `renamed_from` hints; a hint that matches nothing is an error.
//! - Steps that delete data or can fail on existing rows need consent ([`Consent`]): in the
//!   schema (`allow: [drop_column:users.legacy]`) or on the command line.
//! - Lock-light forms on tables that already exist: checks and foreign keys added `NOT VALID`
//!   then validated, `SET NOT NULL` through a validated check, indexes built and dropped
//!   `CONCURRENTLY`, and a `lock_timeout` at the top of every migration.
//! - Steps PostgreSQL cannot run inside a transaction (concurrent index builds) or whose result
//!   must be committed before later steps use it (`ALTER TYPE … ADD VALUE`) go into migrations of
//!   their own, marked non-transactional.

pub mod casts;
mod ddl;
mod diff;
mod matching;

use crate::history::{NON_TRANSACTIONAL_MARKER, STATEMENT_MARKER};
use crate::model::Schema;
use std::collections::BTreeSet;

/// What a step may do to a live database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hazard {
    /// Rows or values are deleted.
    DeletesData,
    /// The whole table is rewritten.
    RewritesTable,
    /// Takes an ACCESS EXCLUSIVE lock (reads and writes wait).
    AccessExclusiveLock,
    /// Reads the whole table (under a lock that lets reads and writes go on, where possible).
    ScansTable,
    /// Builds an index.
    BuildsIndex,
    /// Fails if existing rows do not satisfy the new rule.
    CanFailOnExistingRows,
    /// A conversion that could lose data; the migration checks every row first and fails rather
    /// than lose any.
    CouldLoseData,
    /// Changes who may read or write rows (a revoke, a policy dropped or changed, row-level
    /// security turned off); no data is lost.
    ChangesAccess,
}

impl Hazard {
    pub fn as_str(self) -> &'static str {
        match self {
            Hazard::DeletesData => "deletes data",
            Hazard::RewritesTable => "rewrites the table",
            Hazard::AccessExclusiveLock => "takes an ACCESS EXCLUSIVE lock",
            Hazard::ScansTable => "scans the table",
            Hazard::BuildsIndex => "builds an index",
            Hazard::CanFailOnExistingRows => "can fail on existing rows",
            Hazard::CouldLoseData => "data loss if unchecked (every row is checked first)",
            Hazard::ChangesAccess => "changes who may read or write rows",
        }
    }
}

/// Where a step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Before the main migration, outside a transaction (new enum values).
    Before,
    /// The main migration, in one transaction.
    Main,
    /// After the main migration, outside a transaction (concurrent index builds and drops).
    After,
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub phase: Phase,
    /// What the step does, in schema terms ("drop column users.legacy").
    pub summary: String,
    pub hazards: Vec<Hazard>,
    /// The SQL, one statement per entry, without a trailing semicolon.
    pub statements: Vec<String>,
    /// For a step that needs consent: the key that grants it, and what it would lose or where it
    /// would fail.
    pub consent: Option<(String, String)>,
}

/// The steps that turn one schema into another, in an order that always applies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<Step>,
}

/// Consent for steps that delete data or can fail on existing rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Consent {
    all: bool,
    keys: BTreeSet<String>,
}

impl Consent {
    /// Consent to every destructive step (`--allow-destructive`).
    pub fn all() -> Self {
        Consent {
            all: true,
            keys: BTreeSet::new(),
        }
    }

    /// Adds consent for one change, e.g. `drop_column:users.legacy`.
    pub fn allow(mut self, key: impl Into<String>) -> Self {
        self.keys.insert(key.into());
        self
    }

    pub fn allows(&self, key: &str) -> bool {
        self.all || self.keys.contains(key)
    }
}

/// Settings of the planner, as a builder.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub consent: Consent,
    /// `lock_timeout` set at the top of every migration (e.g. `5s`).
    pub lock_timeout: String,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            consent: Consent::default(),
            lock_timeout: "5s".into(),
        }
    }
}

impl PlanOptions {
    pub fn consent(mut self, consent: Consent) -> Self {
        self.consent = consent;
        self
    }

    pub fn lock_timeout(mut self, t: impl Into<String>) -> Self {
        self.lock_timeout = t.into();
        self
    }
}

/// Why a plan could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// A `renamed_from` hint names something the old schema does not have.
    #[error(
        "{what} says `renamed_from: {hint}`, but the previous schema has no such thing; {help}"
    )]
    RenameHint {
        what: String,
        hint: String,
        help: String,
    },
    /// Steps that need consent were not allowed.
    #[error("{}", refused_message(.0))]
    Refused(Vec<Step>),
    /// The lock timeout is not a PostgreSQL duration.
    #[error("`{0}` is not a lock timeout; write e.g. `5s` or `500ms`")]
    LockTimeout(String),
    /// A column changes to a type PostgreSQL has no cast to, and the schema says no `using:`.
    #[error(
        "column `{table}.{column}` changes from `{from}` to `{to}`, and PostgreSQL has no cast between them; add `using:` to the column with an SQL expression that converts an old value (such as `to_timestamp({column})` for seconds to a timestamp, or `ARRAY[{column}]` for a value to an array), or keep the type and add a new column"
    )]
    NeedsUsing {
        table: String,
        column: String,
        from: String,
        to: String,
        loc: crate::diag::Loc,
    },
    /// A domain's underlying type changes to one PostgreSQL has no cast to (the planner
    /// re-creates the domain and converts its columns only by a cast).
    #[error(
        "domain `{domain}` changes from `{from}` to `{to}`, and PostgreSQL has no cast between them; declare a new domain, move the columns to it (with `using:` on each), and remove the old one"
    )]
    DomainType {
        domain: String,
        from: String,
        to: String,
    },
    /// A domain whose underlying type changes is named in a function's arguments or result:
    /// the re-created domain is another type, and the function would keep the old one.
    #[error(
        "domain `{domain}` changes its underlying type, so it is re-created, but function `{function}` has it in its arguments or result (function `{function}` → domain `{domain}`); change the function to the base type in one migration, or declare a new domain and move the function and columns to it"
    )]
    DomainInSignature { domain: String, function: String },
    /// A function must be dropped and created again (its result or arguments change), but an
    /// index or a generated column calls it, which the plan does not re-create on its own.
    #[error(
        "function `{function}` changes its result or arguments, so it must be dropped and created again, but {caller} calls it and PostgreSQL cannot drop the function under it; {help}"
    )]
    BlockedByCaller {
        function: String,
        caller: String,
        help: String,
    },
    /// A partitioning change PostgreSQL cannot make in place (a new partition key, a plain
    /// table made partitioned or the reverse).
    #[error("{message}; {help}")]
    Partitioning {
        table: String,
        message: String,
        help: String,
    },
}

/// The message of [`PlanError::Refused`]: each refused step with the key that allows it.
fn refused_message(steps: &[Step]) -> String {
    let mut out = format!(
        "the plan has {} step(s) that delete data or can fail on existing rows; none was written:\n",
        steps.len()
    );
    for s in steps {
        if let Some((key, risk)) = &s.consent {
            out.push_str(&format!(
                "  - {}: {risk}\n      consent: add `{key}` to the schema's `allow:` list, or pass `--allow {key}`\n",
                s.summary
            ));
        }
    }
    out.push_str("(or pass `--allow-destructive` to allow all of them)");
    out
}

/// Plans the change from `old` to `new`.
pub fn plan(old: &Schema, new: &Schema, options: &PlanOptions) -> Result<Plan, PlanError> {
    if !valid_duration(&options.lock_timeout) {
        return Err(PlanError::LockTimeout(options.lock_timeout.clone()));
    }
    let matched = matching::match_schemas(old, new)?;
    casts::check_conversions(old, new, &matched)?;
    diff::check_partitions(&matched)?;
    let plan = diff::steps(old, new, &matched);
    let schema_consent: Consent = new
        .allow
        .iter()
        .fold(Consent::default(), |c, k| c.allow(k.clone()));
    let refused: Vec<Step> = plan
        .steps
        .iter()
        .filter(|s| {
            s.consent
                .as_ref()
                .is_some_and(|(k, _)| !options.consent.allows(k) && !schema_consent.allows(k))
        })
        .cloned()
        .collect();
    if !refused.is_empty() {
        return Err(PlanError::Refused(refused));
    }
    Ok(plan)
}

fn valid_duration(t: &str) -> bool {
    let t = t.trim();
    let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &t[digits.len()..];
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(unit, "" | "ms" | "s" | "min" | "h")
}

/// A migration file's content and whether refinery may run it in a transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationText {
    pub transactional: bool,
    pub sql: String,
    /// A short name derived from the steps, for the file name.
    pub suggested_name: String,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The plan as migration files: a non-transactional one before the main one if needed, the
    /// main one, and a non-transactional one after it if needed. `header` is the first line(s).
    pub fn migrations(&self, header: &str, lock_timeout: &str) -> Vec<MigrationText> {
        let mut out = Vec::new();
        for phase in [Phase::Before, Phase::Main, Phase::After] {
            let steps: Vec<&Step> = self.steps.iter().filter(|s| s.phase == phase).collect();
            if steps.is_empty() {
                continue;
            }
            let transactional = phase == Phase::Main;
            let mut sql = String::from(header);
            if !transactional {
                sql.push_str(NON_TRANSACTIONAL_MARKER);
                sql.push('\n');
                push_comment(
                    &mut sql,
                    "Strata's runner executes each statement on its own, outside a transaction.",
                );
            }
            sql.push('\n');
            let timeout = crate::render::sql::SetLockTimeout {
                local: transactional,
                timeout: lock_timeout,
            }
            .to_string();
            push_statement(&mut sql, &timeout, transactional);
            let path = crate::render::sql::SetSearchPath {
                local: transactional,
            }
            .to_string();
            push_statement(&mut sql, &path, transactional);
            for s in &steps {
                sql.push('\n');
                push_comment(&mut sql, &s.summary);
                if !s.hazards.is_empty() {
                    let h: Vec<&str> = s.hazards.iter().map(|h| h.as_str()).collect();
                    push_comment(&mut sql, &format!("hazards: {}", h.join(", ")));
                }
                for st in &s.statements {
                    push_statement(&mut sql, st, transactional);
                }
            }
            out.push(MigrationText {
                transactional,
                sql,
                suggested_name: suggest_name(&steps),
            });
        }
        out
    }

    /// The plan for review: every step with its hazards and SQL.
    pub fn review(&self) -> String {
        if self.steps.is_empty() {
            return "-- no changes\n".into();
        }
        let mut out = String::new();
        for (i, s) in self.steps.iter().enumerate() {
            let phase = match s.phase {
                Phase::Before => " [own migration, before, no transaction]",
                Phase::Main => "",
                Phase::After => " [own migration, after, no transaction]",
            };
            push_comment(&mut out, &format!("step {}: {}{phase}", i + 1, s.summary));
            if !s.hazards.is_empty() {
                let h: Vec<&str> = s.hazards.iter().map(|h| h.as_str()).collect();
                push_comment(&mut out, &format!("hazards: {}", h.join(", ")));
            }
            if let Some((key, risk)) = &s.consent {
                push_comment(&mut out, &format!("needs consent `{key}`: {risk}"));
            }
            for st in &s.statements {
                out.push_str(st);
                out.push_str(";\n");
            }
            out.push('\n');
        }
        out
    }
}

/// Every comment a plan writes goes through [`comment_line`]: one line, never a marker.
fn push_comment(sql: &mut String, text: &str) {
    sql.push_str(&crate::render::sql::comment_line(text));
    sql.push('\n');
}

fn push_statement(sql: &mut String, statement: &str, transactional: bool) {
    if !transactional {
        sql.push_str(STATEMENT_MARKER);
        sql.push('\n');
    }
    sql.push_str(statement);
    sql.push_str(";\n");
}

fn suggest_name(steps: &[&Step]) -> String {
    let base = match steps {
        [one] => one.summary.clone(),
        [first, ..] => format!("{} and more", first.summary),
        [] => "migration".into(),
    };
    crate::history::sanitize_name(&base)
}
