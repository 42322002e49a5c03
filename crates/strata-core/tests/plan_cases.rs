//! The migration plan of named schema edits, one snapshot per case: each case edits
//! tests/fixtures/plans/base.yaml by text replacement and plans the change. A refused or
//! invalid plan snapshots its error.

use strata::load::{SourceText, load_sources};
use strata::plan::{PlanOptions, plan};

fn load(case: &str, text: &str) -> strata::Schema {
    load_sources(
        "shop",
        false,
        vec![SourceText {
            path: "schemas/shop.yaml".into(),
            text: text.into(),
        }],
    )
    .unwrap_or_else(|d| panic!("case {case}: {}\n{text}", d.render(false)))
}

// The cases are shared with the server test that applies each of them (tests/server).
include!("../../../tests/fixtures/plans/cases.rs");

#[test]
fn plan_cases() {
    assert!(CASES.len() >= 40);
    let base = BASE.replace("__TAGS__", "");
    for (name, old_edits, new_edits) in CASES {
        let old_text = edit(&base, old_edits);
        let new_text = edit(&old_text, new_edits).replace("__TAGS__", ADD_TAGS);
        let old = load(name, &old_text);
        let new = load(name, &new_text);
        let text = match plan(&old, &new, &PlanOptions::default()) {
            Ok(p) => {
                let migrations: Vec<String> = p
                    .migrations("-- header\n", "5s")
                    .into_iter()
                    .map(|m| {
                        format!(
                            "==== {} migration: {}\n{}",
                            if m.transactional {
                                "transactional"
                            } else {
                                "non-transactional"
                            },
                            m.suggested_name,
                            m.sql
                        )
                    })
                    .collect();
                format!("{}\n{}", p.review(), migrations.join("\n"))
            }
            Err(e) => format!("ERROR: {e}\n"),
        };
        insta::assert_snapshot!(format!("plan__{name}"), text);
    }
}
