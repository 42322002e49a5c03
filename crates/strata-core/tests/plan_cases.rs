//! The migration plan of named schema edits, one snapshot per case: each case edits
//! tests/fixtures/plans/base.yaml by text replacement and plans the change. A refused or
//! invalid plan snapshots its error.

use strata::load::{SourceText, load_sources};
use strata::plan::{PlanOptions, plan};

const BASE: &str = include_str!("../../../tests/fixtures/plans/base.yaml");

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

fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut t = text.to_string();
    for (find, replace) in edits {
        assert!(t.contains(find), "`{find}` not in the schema");
        t = t.replacen(find, replace, 1);
    }
    t
}

/// (name, edits to the old schema, edits giving the new schema from the old one)
type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
);

const ADD_TAGS: &str = "  tags:\n    columns:\n      id: { type: integer, primary_key: true, identity: always }\n      post_id: { type: uuid, references: posts, on_delete: cascade }\n      label: { type: varchar(40), check: \"label <> ''\" }\n";

const CASES: &[Case] = &[
    ("no_change", &[], &[]),
    ("create_table", &[], &[("  posts:\n", "__TAGS__  posts:\n")]),
    (
        "drop_table_refused",
        &[(
            "  posts:\n",
            "  comments:\n    columns:\n      id: { type: uuid, primary_key: true }\n  posts:\n",
        )],
        &[(
            "  comments:\n    columns:\n      id: { type: uuid, primary_key: true }\n",
            "",
        )],
    ),
    (
        "drop_table_consented",
        &[(
            "  posts:\n",
            "  comments:\n    columns:\n      id: { type: uuid, primary_key: true }\n  posts:\n",
        )],
        &[
            (
                "  comments:\n    columns:\n      id: { type: uuid, primary_key: true }\n",
                "",
            ),
            (
                "extensions:",
                "allow: [\"drop_table:comments\"]\nextensions:",
            ),
        ],
    ),
    (
        "rename_table",
        &[],
        &[("  posts:\n", "  articles:\n    renamed_from: posts\n")],
    ),
    (
        "rename_hint_matches_nothing",
        &[],
        &[("  posts:\n", "  articles:\n    renamed_from: postz\n")],
    ),
    (
        "add_nullable_column",
        &[],
        &[("      score:", "      bio: text?\n      score:")],
    ),
    (
        "add_column_with_default",
        &[],
        &[(
            "      score:",
            "      verified: { type: boolean, default: false }\n      score:",
        )],
    ),
    (
        "add_not_null_column_refused",
        &[],
        &[("      score:", "      age: integer\n      score:")],
    ),
    (
        "add_not_null_column_backfilled",
        &[],
        &[(
            "      score:",
            "      age: { type: integer, backfill: \"0\" }\n      score:",
        )],
    ),
    (
        "add_column_volatile_default",
        &[],
        &[(
            "      score:",
            "      token: { type: uuid, default_sql: gen_random_uuid() }\n      score:",
        )],
    ),
    (
        "drop_column_refused",
        &[],
        &[("      score: { type: integer, default: 0 }\n", "")],
    ),
    (
        "drop_column_consented",
        &[],
        &[
            ("      score: { type: integer, default: 0 }\n", ""),
            (
                "extensions:",
                "allow: [\"drop_column:users.score\"]\nextensions:",
            ),
        ],
    ),
    (
        "rename_column",
        &[],
        &[(
            "      name: { type: varchar(100), nullable: true }",
            "      full_name: { type: varchar(100), nullable: true, renamed_from: name }",
        )],
    ),
    (
        "rename_column_hint_matches_nothing",
        &[],
        &[(
            "      name: { type: varchar(100), nullable: true }",
            "      full_name: { type: varchar(100), nullable: true, renamed_from: nmae }",
        )],
    ),
    ("widen_varchar", &[], &[("varchar(100)", "varchar(200)")]),
    (
        "narrow_varchar_refused",
        &[],
        &[("varchar(100)", "varchar(50)")],
    ),
    ("varchar_to_text", &[], &[("varchar(100)", "text")]),
    (
        "integer_to_bigint",
        &[],
        &[("score: { type: integer", "score: { type: bigint")],
    ),
    (
        "text_to_integer_refused",
        &[],
        &[("      title: text\n", "      title: integer\n")],
    ),
    (
        "set_not_null_refused",
        &[],
        &[(
            "      name: { type: varchar(100), nullable: true }",
            "      name: { type: varchar(100) }",
        )],
    ),
    (
        "set_not_null_backfilled",
        &[],
        &[(
            "      name: { type: varchar(100), nullable: true }",
            "      name: { type: varchar(100), backfill: \"'unknown'\" }",
        )],
    ),
    (
        "drop_not_null",
        &[],
        &[("      title: text\n", "      title: text?\n")],
    ),
    ("change_default", &[], &[("default: 0", "default: 10")]),
    (
        "drop_default",
        &[],
        &[(
            "score: { type: integer, default: 0 }",
            "score: { type: integer }",
        )],
    ),
    (
        "change_enum_default",
        &[],
        &[("default: pending", "default: active")],
    ),
    (
        "add_unique_refused",
        &[],
        &[(
            "      title: text\n",
            "      title: { type: text, unique: true }\n",
        )],
    ),
    (
        "add_unique_consented",
        &[],
        &[
            (
                "      title: text\n",
                "      title: { type: text, unique: true }\n",
            ),
            (
                "extensions:",
                "allow: [\"add_unique:posts_title_key\"]\nextensions:",
            ),
        ],
    ),
    (
        "drop_unique",
        &[],
        &[(
            "email: { type: varchar(255), unique: true }",
            "email: { type: varchar(255) }",
        )],
    ),
    (
        "add_check_refused",
        &[],
        &[(
            "score: { type: integer, default: 0 }",
            "score: { type: integer, default: 0, check: \"score >= 0\" }",
        )],
    ),
    (
        "add_check_consented",
        &[],
        &[
            (
                "score: { type: integer, default: 0 }",
                "score: { type: integer, default: 0, check: \"score >= 0\" }",
            ),
            (
                "extensions:",
                "allow: [\"add_check:users_score_check\"]\nextensions:",
            ),
        ],
    ),
    (
        "drop_check",
        &[(
            "score: { type: integer, default: 0 }",
            "score: { type: integer, default: 0, check: \"score >= 0\" }",
        )],
        &[(
            "score: { type: integer, default: 0, check: \"score >= 0\" }",
            "score: { type: integer, default: 0 }",
        )],
    ),
    (
        "add_foreign_key_on_new_column",
        &[],
        &[(
            "      title: text\n",
            "      editor_id: { type: uuid, nullable: true, references: users, on_delete: set_null }\n      title: text\n",
        )],
    ),
    (
        "add_foreign_key_on_existing_column_refused",
        &[(
            "      title: text\n",
            "      editor_id: uuid?\n      title: text\n",
        )],
        &[(
            "      editor_id: uuid?\n",
            "      editor_id: { type: uuid, nullable: true, references: users }\n",
        )],
    ),
    (
        "change_foreign_key_action",
        &[],
        &[("on_delete: cascade", "on_delete: restrict")],
    ),
    (
        "add_index",
        &[],
        &[(
            "      - columns: [title]\n",
            "      - columns: [title]\n      - columns: [user_id, created_at desc]\n",
        )],
    ),
    (
        "drop_index",
        &[],
        &[("    indexes:\n      - columns: [title]\n", "")],
    ),
    (
        "change_index_predicate",
        &[],
        &[(
            "      - columns: [title]\n",
            "      - { columns: [title], where: \"body IS NOT NULL\" }\n",
        )],
    ),
    (
        "add_unique_index_refused",
        &[],
        &[(
            "      - columns: [title]\n",
            "      - { columns: [{ expr: \"lower(title)\" }], unique: true }\n",
        )],
    ),
    (
        "add_gin_index",
        &[],
        &[(
            "      - columns: [title]\n",
            "      - columns: [title]\n      - { columns: [{ expr: \"to_tsvector('english', body)\" }], using: gin, name: posts_body_search }\n",
        )],
    ),
    (
        "add_enum_value_at_end",
        &[],
        &[(
            "[pending, active, closed]",
            "[pending, active, closed, archived]",
        )],
    ),
    (
        "add_enum_value_in_middle",
        &[],
        &[(
            "[pending, active, closed]",
            "[pending, review, active, closed]",
        )],
    ),
    (
        "rename_enum_value",
        &[],
        &[(
            "[pending, active, closed]",
            "[pending, active, { name: done, renamed_from: closed }]",
        )],
    ),
    (
        "remove_enum_value_refused",
        &[],
        &[("[pending, active, closed]", "[pending, active]")],
    ),
    (
        "remove_enum_value_consented",
        &[],
        &[
            ("[pending, active, closed]", "[pending, active]"),
            (
                "extensions:",
                "allow: [\"remove_enum_value:status.closed\"]\nextensions:",
            ),
        ],
    ),
    (
        "reorder_enum_values",
        &[],
        &[("[pending, active, closed]", "[active, pending, closed]")],
    ),
    (
        "create_enum_and_column",
        &[],
        &[
            ("enums:\n", "enums:\n  priority:\n    values: [low, high]\n"),
            (
                "      body: text?\n",
                "      body: text?\n      priority: { type: priority, default: low }\n",
            ),
        ],
    ),
    (
        "rename_enum",
        &[],
        &[
            (
                "  status:\n    values",
                "  user_status:\n    renamed_from: status\n    values",
            ),
            ("type: status,", "type: user_status,"),
        ],
    ),
    (
        "drop_enum_and_column",
        &[],
        &[
            ("  status:\n    values: [pending, active, closed]\n", ""),
            ("      status: { type: status, default: pending }\n", ""),
            (
                "extensions:",
                "allow: [\"drop_column:users.status\"]\nextensions:",
            ),
        ],
    ),
    (
        "add_auto_update_column",
        &[],
        &[(
            "      body: text?\n",
            "      body: text?\n      edited_at: { type: timestamptz, default_sql: now(), auto_update: true }\n",
        )],
    ),
    (
        "rename_auto_update_column",
        &[],
        &[(
            "      updated_at: { type: timestamptz, default_sql: now(), auto_update: true }",
            "      modified_at: { type: timestamptz, default_sql: now(), auto_update: true, renamed_from: updated_at }",
        )],
    ),
    (
        "comments",
        &[],
        &[
            (
                "    description: People who sign in.\n",
                "    description: \"People who sign in; it's their account.\"\n",
            ),
            (
                "      title: text\n",
                "      title: { type: text, description: The headline }\n",
            ),
        ],
    ),
    (
        "create_single_row_table",
        &[],
        &[(
            "  posts:\n",
            "  settings:\n    single_row: true\n    columns:\n      id: { type: integer, primary_key: true, default: 1 }\n      theme: text?\n  posts:\n",
        )],
    ),
    (
        "change_primary_key_refused",
        &[],
        &[(
            "  posts:\n    mixins: [timestamps]\n    columns:\n      id: { type: uuid, primary_key: true, default_sql: gen_random_uuid() }\n",
            "  posts:\n    mixins: [timestamps]\n    primary_key: [id, user_id]\n    columns:\n      id: { type: uuid, default_sql: gen_random_uuid() }\n",
        )],
    ),
    (
        "add_extension",
        &[],
        &[("extensions: [pgcrypto]", "extensions: [pgcrypto, citext]")],
    ),
    (
        "json_to_jsonb",
        &[(
            "      body: text?\n",
            "      body: text?\n      meta: json?\n",
        )],
        &[("      meta: json?\n", "      meta: jsonb?\n")],
    ),
];

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
