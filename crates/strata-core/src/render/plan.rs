//! A plan for people: the review text (`cargo xtask plan`), a Markdown summary for a pull
//! request comment, and a script that a plain `psql -f` applies.
//!
//! Review comes before consent: every step is shown, destructive ones included, each marked
//! with the consent it still needs; consent is only needed to *write* the migration.

use crate::Schema;
use crate::plan::{Consent, Phase, Plan, Step};
use crate::render::sql::comment_line;

/// The consent keys a step needs that neither `given` nor the schema's `allow:` grants.
pub fn missing_consent<'a>(step: &'a Step, given: &Consent, schema: &Schema) -> Option<&'a str> {
    let (key, _) = step.consent.as_ref()?;
    (!given.allows(key) && !schema.allow.iter().any(|a| a == key)).then_some(key.as_str())
}

fn phase(p: Phase) -> &'static str {
    match p {
        Phase::Before => "own migration, before, no transaction",
        Phase::Main => "transaction",
        Phase::After => "own migration, after, no transaction",
    }
}

/// Escapes text for a Markdown table cell (one line, `|` and backticks kept literal).
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A Markdown summary: a table of the steps with their hazards, where they run and the consent
/// they need, then the SQL in a fenced block.
pub fn markdown(plan: &Plan, given: &Consent, schema: &Schema) -> String {
    let mut out = String::new();
    if plan.is_empty() {
        out.push_str("**Strata plan:** no changes.\n");
        return out;
    }
    let needing: Vec<&str> = plan
        .steps
        .iter()
        .filter_map(|s| missing_consent(s, given, schema))
        .collect();
    out.push_str(&format!(
        "**Strata plan:** {} step(s){}.\n\n",
        plan.steps.len(),
        if needing.is_empty() {
            String::new()
        } else {
            format!(", {} needing consent", needing.len())
        }
    ));
    out.push_str("| # | step | runs | hazards | consent |\n|---|---|---|---|---|\n");
    for (i, s) in plan.steps.iter().enumerate() {
        let hazards: Vec<&str> = s.hazards.iter().map(|h| h.as_str()).collect();
        let consent = match (&s.consent, missing_consent(s, given, schema)) {
            (_, Some(key)) => format!("**needed:** `{}`", cell(key)),
            (Some((key, _)), None) => format!("given: `{}`", cell(key)),
            (None, None) => String::new(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            i + 1,
            cell(&s.summary),
            phase(s.phase),
            cell(&hazards.join(", ")),
            consent
        ));
    }
    out.push_str("\n<details><summary>SQL</summary>\n\n```sql\n");
    out.push_str(&plan.review());
    out.push_str("```\n\n</details>\n");
    out
}

/// The plan as one script for `psql -f`: each transactional group between `BEGIN;` and
/// `COMMIT;`, each statement that must run outside a transaction on its own, marked.
pub fn psql_script(plan: &Plan, lock_timeout: &str) -> String {
    let mut out = String::from(
        "-- Strata plan for psql -f: transactional steps run between BEGIN and COMMIT,\n-- statements marked `outside a transaction` run on their own.\n\\set ON_ERROR_STOP on\n",
    );
    // For the whole session: a statement outside a transaction needs it as much as those inside.
    out.push_str(&format!(
        "{};\n",
        crate::render::sql::SetSearchPath { local: false }
    ));
    let mut in_tx = false;
    for s in &plan.steps {
        let tx = s.phase == Phase::Main;
        if tx && !in_tx {
            out.push_str("\nBEGIN;\n");
            let timeout = crate::render::sql::SetLockTimeout {
                local: true,
                timeout: lock_timeout,
            };
            out.push_str(&format!("{timeout};\n"));
            in_tx = true;
        } else if !tx && in_tx {
            out.push_str("COMMIT;\n");
            in_tx = false;
        }
        out.push('\n');
        out.push_str(&comment_line(&s.summary));
        out.push('\n');
        if !tx {
            out.push_str("-- outside a transaction\n");
            let timeout = crate::render::sql::SetLockTimeout {
                local: false,
                timeout: lock_timeout,
            };
            out.push_str(&format!("{timeout};\n"));
        }
        for st in &s.statements {
            out.push_str(st);
            out.push_str(";\n");
        }
    }
    if in_tx {
        out.push_str("COMMIT;\n");
    }
    out
}
