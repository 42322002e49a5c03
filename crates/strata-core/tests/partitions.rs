//! Declarative partitioning in the schema language: the DDL of a partitioned table and its
//! partitions, the YAML written back, and the planner's steps and refusals.

use strata::load::{SourceText, load_sources};
use strata::model::Schema;
use strata::plan::{Consent, PlanError, PlanOptions, plan};

fn ok(yaml: &str) -> Schema {
    load_sources(
        "t",
        false,
        vec![SourceText {
            path: "t.yaml".into(),
            text: yaml.into(),
        }],
    )
    .unwrap_or_else(|d| panic!("{}", d.render(false)))
}

const EVENTS: &str = r#"tables:
  events:
    columns:
      id: bigint
      at: date
      kind: text
    primary_key: [id, at]
    indexes:
      - columns: [kind]
    partition_by: { range: [at] }
    partitions:
      events_old: { from: [MINVALUE], to: ["2026-01-01"] }
      events_2026: { from: ["2026-01-01"], to: ["2027-01-01"], description: "It's this year." }
"#;

fn with_events(edits: &[(&str, &str)]) -> String {
    let mut t = EVENTS.to_string();
    for (a, b) in edits {
        assert!(t.contains(a), "{a}");
        t = t.replacen(a, b, 1);
    }
    t
}

fn all() -> PlanOptions {
    PlanOptions::default().consent(Consent::all())
}

#[test]
fn the_ddl_creates_the_parent_then_its_partitions_and_indexes_on_the_parent() {
    let sql = strata::render::sql::schema_sql(&ok(EVENTS));
    let expected = [
        "CREATE TABLE events (\n    id bigint NOT NULL,\n    at date NOT NULL,\n    kind text NOT NULL,\n    CONSTRAINT events_pkey PRIMARY KEY (id, at)\n) PARTITION BY RANGE (at);",
        "CREATE TABLE events_old PARTITION OF events FOR VALUES FROM (MINVALUE) TO ('2026-01-01');",
        "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
        "CREATE INDEX events_kind_idx ON events USING btree (kind);",
        "COMMENT ON TABLE events_2026 IS 'It''s this year.';",
    ];
    let mut at = 0;
    for e in expected {
        let found = sql[at..]
            .find(e)
            .unwrap_or_else(|| panic!("{e} not after byte {at} of\n{sql}"));
        at += found + e.len();
    }
    assert!(!sql.contains("events_old_kind_idx"), "{sql}");
}

#[test]
fn the_yaml_written_back_loads_to_the_same_model() {
    let schema = ok(EVENTS);
    let yaml = strata::render::yaml::schema_yaml(&schema);
    assert!(
        yaml.contains("    partition_by: { range: [at] }\n    partitions:\n      events_old: { from: [MINVALUE], to: [\"2026-01-01\"] }\n      events_2026:\n        from: [\"2026-01-01\"]\n        to: [\"2027-01-01\"]\n        description: It's this year.\n"),
        "{yaml}"
    );
    // Compared without the source positions (`loc`), which serialization leaves out.
    let again = ok(&yaml);
    let json = |s: &Schema| serde_json::to_value(&s.tables[0]).expect("serializable");
    assert_eq!(json(&again), json(&schema));
}

#[test]
fn a_partition_added_dropped_or_rebounded_is_planned_on_the_parent() {
    let old = ok(EVENTS);
    let new = ok(&with_events(&[
        (
            "      events_old: { from: [MINVALUE], to: [\"2026-01-01\"] }\n",
            "      events_later: { default: true }\n",
        ),
        ("to: [\"2027-01-01\"]", "to: [\"2028-01-01\"]"),
        (
            "    indexes:\n      - columns: [kind]\n",
            "    indexes:\n      - columns: [kind]\n      - columns: [id]\n",
        ),
    ]));
    let refused = plan(&old, &new, &PlanOptions::default()).expect_err("drops need consent");
    let PlanError::Refused(steps) = &refused else {
        panic!("{refused}")
    };
    let keys: Vec<&str> = steps
        .iter()
        .filter_map(|s| s.consent.as_ref().map(|(k, _)| k.as_str()))
        .collect();
    assert_eq!(
        keys,
        ["drop_partition:events_old", "change_bound:events_2026"]
    );
    let review = plan(&old, &new, &all()).expect("consented").review();
    let expected = [
        "ALTER TABLE events DETACH PARTITION events_old;\nDROP TABLE events_old;",
        "ALTER TABLE events DETACH PARTITION events_2026;\nALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2028-01-01');",
        "CREATE TABLE events_later PARTITION OF events DEFAULT;",
        // No CONCURRENTLY on a partitioned table, and in the main migration.
        "CREATE INDEX events_id_idx ON events USING btree (id);",
    ];
    let mut at = 0;
    for e in expected {
        let found = review[at..]
            .find(e)
            .unwrap_or_else(|| panic!("{e} not after byte {at} of\n{review}"));
        at += found + e.len();
    }
    assert!(!review.contains("CONCURRENTLY"), "{review}");
    assert!(!review.contains("own migration"), "{review}");
}

#[test]
fn changes_postgresql_cannot_make_in_place_are_refused() {
    let plain = ok(
        "tables:\n  events:\n    columns:\n      id: bigint\n      at: date\n      kind: text\n    primary_key: [id, at]\n    indexes:\n      - columns: [kind]\n",
    );
    let partitioned = ok(EVENTS);
    let relisted = ok(&with_events(&[
        ("{ range: [at] }", "{ list: [at] }"),
        (
            "      events_old: { from: [MINVALUE], to: [\"2026-01-01\"] }\n",
            "",
        ),
        (
            "{ from: [\"2026-01-01\"], to: [\"2027-01-01\"], description: \"It's this year.\" }",
            "{ in: [\"2026-01-01\"] }",
        ),
    ]));
    for (from, to, says) in [
        (&plain, &partitioned, "becomes partitioned"),
        (&partitioned, &plain, "is no longer partitioned"),
        (
            &partitioned,
            &relisted,
            "the partition key of `events` changes from range (at) to list (at)",
        ),
    ] {
        match plan(from, to, &all()) {
            Err(e @ PlanError::Partitioning { .. }) => {
                let text = e.to_string();
                assert!(text.contains(says), "{text}");
                assert!(text.contains("copy the rows"), "{text}");
            }
            other => panic!("{says}: {other:?}"),
        }
    }
    let retyped = ok(&EVENTS.replace("      at: date\n", "      at: timestamptz\n"));
    match plan(&partitioned, &retyped, &all()) {
        Err(PlanError::Partitioning { message, .. }) => {
            assert!(message.contains("changes type"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn drift_compares_keys_partitions_and_bounds_by_value() {
    let numbers = |a: &str, b: &str| {
        format!(
            "tables:\n  m:\n    columns:\n      id: bigint\n      n: integer\n    partition_by: {{ range: [n] }}\n    partitions:\n      m_1: {{ from: [{a}], to: [{b}] }}\n"
        )
    };
    let declared = ok(&numbers("0", "10"));
    let same = ok(&numbers("\"0\"", "\"10\""));
    assert!(strata::compare::compare(&declared, &same).is_empty());

    let wider = ok(&numbers("0", "20"));
    let text: Vec<String> = strata::compare::compare(&declared, &wider)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        text,
        [
            "partition m_1 of m: database has FOR VALUES FROM (0) TO (20), schema says FOR VALUES FROM (0) TO (10)"
        ]
    );

    let more = ok(&format!(
        "{}      m_2: {{ from: [10], to: [20] }}\n",
        numbers("0", "10")
    ));
    let text: Vec<String> = strata::compare::compare(&declared, &more)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        text,
        ["partition m_2 of m: in the database, not in the schema"]
    );
}

#[test]
fn the_docs_show_the_partitions_on_their_table() {
    let page = strata::render::docs::readme(&ok(EVENTS));
    for expected in [
        "**Partitions** (partitioned by range on `at`; rows are read and written through `events`)",
        "- `events_old`: `FOR VALUES FROM (MINVALUE) TO ('2026-01-01')`\n- `events_2026`: `FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')` — It's this year.\n",
        "date at PK \"partition key (range, 2 partitions)\"",
    ] {
        assert!(page.contains(expected), "{expected}\nnot in\n{page}");
    }
    assert!(!page.contains("### `events_old`"), "{page}");
}
