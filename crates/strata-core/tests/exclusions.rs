//! Exclusion constraints in the schema language (`exclude:`): the DDL, the YAML written back,
//! the loader's refusals (located, with codes), drift, and the planner's steps.

use strata::load::{SourceText, load_sources};
use strata::model::Schema;
use strata::plan::{Consent, PlanError, PlanOptions, plan};

fn load(yaml: &str) -> Result<Schema, strata::Diagnostics> {
    load_sources(
        "t",
        false,
        vec![SourceText {
            path: "t.yaml".into(),
            text: yaml.into(),
        }],
    )
}

fn ok(yaml: &str) -> Schema {
    load(yaml).unwrap_or_else(|d| panic!("{}", d.render(false)))
}

/// The short form (`file:line:col: code: message`) of every error of a broken schema.
fn errors(yaml: &str) -> String {
    match load(yaml) {
        Ok(_) => panic!("loaded:\n{yaml}"),
        Err(d) => d.to_short_string(),
    }
}

const BOOKING: &str = r#"extensions: [btree_gist]
tables:
  booking:
    columns:
      id: integer
      room: integer
      during: tstzrange
      cancelled: boolean
    primary_key: [id]
    exclude:
      - using: gist
        elements: [{ column: room, operator: "=" }, { column: during, operator: "&&" }]
        where: "NOT cancelled"
        description: One booking of a room at a time.
"#;

fn all() -> PlanOptions {
    PlanOptions::default().consent(Consent::all())
}

fn in_order(text: &str, expected: &[&str]) {
    let mut at = 0;
    for e in expected {
        let found = text[at..]
            .find(e)
            .unwrap_or_else(|| panic!("{e} not after byte {at} of\n{text}"));
        at += found + e.len();
    }
}

#[test]
fn the_ddl_names_the_constraint_as_postgresql_would_and_prints_every_part() {
    let schema = ok(BOOKING);
    let x = &schema.tables[0].exclusions[0];
    assert_eq!(x.name, "booking_room_during_excl");
    assert_eq!(x.predicate.as_deref(), Some("NOT cancelled"));
    let sql = strata::render::sql::schema_sql(&schema);
    in_order(
        &sql,
        &[
            "CREATE EXTENSION IF NOT EXISTS btree_gist;",
            "    CONSTRAINT booking_room_during_excl EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (NOT cancelled)\n);",
            "COMMENT ON CONSTRAINT booking_room_during_excl ON booking IS 'One booking of a room at a time.';",
        ],
    );

    let full = ok(r#"schemas: { sched: {} }
tables:
  sched.Shift:
    columns:
      Id: integer
      "Code": text
      during: int4range
    exclude:
      - elements:
          - { expr: "lower(\"Code\")", operator: "OPERATOR(pg_catalog.=)", collation: C, order: desc, nulls: last }
        include: [Id]
        with: { fillfactor: 70 }
        deferrable: deferred
      - using: spgist
        elements: [{ column: during, operator: "&&", opclass: range_ops }]
        name: "Shift No Overlap"
"#);
    let t = &full.tables[0];
    assert_eq!(t.exclusions[0].name, "Shift_lower_Id_excl");
    assert_eq!(t.exclusions[0].elements[0].operator, "pg_catalog.=");
    let sql = strata::render::sql::schema_sql(&full);
    in_order(
        &sql,
        &[
            "CONSTRAINT \"Shift_lower_Id_excl\" EXCLUDE USING btree (lower(\"Code\") COLLATE \"C\" DESC NULLS LAST WITH OPERATOR(pg_catalog.=)) INCLUDE (\"Id\") WITH (fillfactor = '70') DEFERRABLE INITIALLY DEFERRED,",
            "CONSTRAINT \"Shift No Overlap\" EXCLUDE USING spgist (during range_ops WITH &&)\n);",
        ],
    );
}

#[test]
fn the_yaml_written_back_loads_to_the_same_model() {
    for yaml in [
        BOOKING,
        "tables:\n  t:\n    columns:\n      code: text\n      n: integer\n    exclude:\n      - { elements: [{ column: code, operator: \"=\" }], name: t_code_once, include: [n], with: { fillfactor: 90 }, deferrable: immediate }\n      - elements: [{ expr: \"(n % 10)\", operator: \"=\", order: desc }]\n",
    ] {
        let schema = ok(yaml);
        let written = strata::render::yaml::schema_yaml(&schema);
        assert!(written.contains("    exclude:\n"), "{written}");
        let again = ok(&written);
        let json = |s: &Schema| serde_json::to_value(&s.tables).expect("serializable");
        assert_eq!(json(&again), json(&schema), "{written}");
    }
    let written = strata::render::yaml::schema_yaml(&ok(BOOKING));
    // The generated name is left out; the operators are quoted YAML strings.
    assert!(!written.contains("booking_room_during_excl"), "{written}");
    assert!(
        written.contains(
            "elements: [{ column: room, operator: = }, { column: during, operator: \"&&\" }]"
        ),
        "{written}"
    );
}

#[test]
fn bad_exclusions_are_refused_at_their_node_with_a_code() {
    let table = |exclude: &str| {
        format!(
            "tables:\n  t:\n    columns:\n      id: integer\n      during: tstzrange\n    exclude:\n{exclude}"
        )
    };
    let cases = [
        (
            "      - { elements: [] }\n",
            "t.yaml:7:11: error[E0052]: an exclusion constraint of `t` has no elements",
        ),
        (
            "      - { using: gist, elements: [{ column: duration, operator: \"&&\" }] }\n",
            "t.yaml:7:11: error[E0009]: exclusion constraint `t_duration_excl` names column `duration`, which table `t` does not have",
        ),
        (
            "      - using: gist\n        elements: [{ column: during, operator: \"&&) ; DROP TABLE t; --\" }]\n",
            "t.yaml:8:48: error[E0052]: the operator `&&) ; DROP TABLE t; --` is not an operator name",
        ),
        (
            "      - using: gist\n        elements: [{ column: during, operator: \"LIKE\" }]\n",
            "error[E0052]: the operator `LIKE` is not an operator name",
        ),
        (
            "      - elements: [{ column: during, expr: \"during\", operator: \"=\" }]\n",
            "t.yaml:7:22: error[E0052]: an exclusion element has exactly one of `column` and `expr`",
        ),
        (
            "      - using: gin\n        elements: [{ column: id, operator: \"=\" }]\n",
            "error[E0052]: exclusion constraint `t_id_excl` uses gin, which cannot enforce an exclusion constraint",
        ),
        (
            "      - using: gist\n        elements: [{ column: during, operator: \"&&\" }]\n        where: \"true; DROP TABLE t\"\n",
            "error[E0029]: the `where` of exclusion constraint `t_during_excl`",
        ),
        (
            "      - using: gist\n        elements: [{ column: during, operator: \"&&\", order: desc }]\n",
            "error[E0052]: exclusion constraint `t_during_excl` uses gist but orders an element `desc`",
        ),
        (
            "      - elements: [{ column: id, operator: \"=\" }]\n      - { elements: [{ column: id, operator: \"=\" }] }\n",
            "error[E0013]: exclusion constraint `t_id_excl` has the same name as exclusion constraint declared before",
        ),
        (
            "      - elements: [{ column: id, operator: \"=\" }]\n    partition_by: { range: [id] }\n",
            "error[E0045]: the partitioned table `t` has the exclusion constraint `t_id_excl`, which PostgreSQL before 17 does not allow",
        ),
        (
            "      - elements: [{ column: id }]\n",
            "t.yaml:7:22: error[E0003]: missing key `operator`",
        ),
    ];
    let mut wrong = Vec::new();
    for (exclude, expected) in cases {
        let text = errors(&table(exclude));
        if !text.contains(expected) {
            wrong.push(format!("{expected}\nnot in\n{text}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn drift_names_the_constraint_and_what_differs() {
    let declared = ok(BOOKING);
    let same = ok(&BOOKING.replace("\"NOT cancelled\"", "\"(NOT cancelled)\""));
    assert!(strata::compare::compare(&declared, &same).is_empty());
    let text = |live: &Schema| -> Vec<String> {
        strata::compare::compare(&declared, live)
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    let other_op = ok(&BOOKING.replace("operator: \"&&\"", "operator: \"-|-\""));
    assert_eq!(
        text(&other_op),
        [
            "exclusion constraint booking_room_during_excl on booking: database has EXCLUDE USING gist (room WITH =, during WITH -|-) WHERE (NOT cancelled), schema says EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (NOT cancelled)"
        ]
    );
    let none = ok(&BOOKING[..BOOKING.find("    exclude:").expect("exclude")]);
    assert_eq!(
        text(&none),
        [
            "exclusion constraint booking_room_during_excl on booking EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (NOT cancelled): missing from the database"
        ]
    );
}

#[test]
fn added_dropped_and_changed_constraints_are_planned_in_order() {
    let none = ok(&BOOKING[..BOOKING.find("    exclude:").expect("exclude")]);
    let with = ok(BOOKING);
    // Added on existing rows: it can fail, so it needs consent.
    let refused = plan(&none, &with, &PlanOptions::default()).expect_err("needs consent");
    let PlanError::Refused(steps) = &refused else {
        panic!("{refused}")
    };
    let keys: Vec<&str> = steps
        .iter()
        .filter_map(|s| s.consent.as_ref().map(|(k, _)| k.as_str()))
        .collect();
    assert_eq!(keys, ["add_exclusion:booking_room_during_excl"]);
    let review = plan(&none, &with, &all()).expect("consented").review();
    in_order(
        &review,
        &[
            "ALTER TABLE booking ADD CONSTRAINT booking_room_during_excl EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (NOT cancelled);",
            "COMMENT ON CONSTRAINT booking_room_during_excl ON booking IS 'One booking of a room at a time.';",
        ],
    );
    // Dropped: nothing can fail, no consent.
    let review = plan(&with, &none, &PlanOptions::default())
        .expect("a drop needs no consent")
        .review();
    assert!(
        review.contains("ALTER TABLE booking DROP CONSTRAINT booking_room_during_excl;"),
        "{review}"
    );
    // Changed (another operator): dropped first, then added again, its comment written again.
    let changed = ok(&BOOKING.replace("operator: \"&&\"", "operator: \"-|-\""));
    let review = plan(&with, &changed, &all()).expect("consented").review();
    in_order(
        &review,
        &[
            "ALTER TABLE booking DROP CONSTRAINT booking_room_during_excl;",
            "ALTER TABLE booking ADD CONSTRAINT booking_room_during_excl EXCLUDE USING gist (room WITH =, during WITH -|-) WHERE (NOT cancelled);",
            "COMMENT ON CONSTRAINT booking_room_during_excl ON booking IS",
        ],
    );
    // Renamed: the same definition under another name is a rename, not a rebuild.
    let renamed = ok(&BOOKING.replace(
        "        description:",
        "        name: booking_once\n        description:",
    ));
    let review = plan(&with, &renamed, &all()).expect("a rename").review();
    assert!(
        review.contains(
            "ALTER TABLE booking RENAME CONSTRAINT booking_room_during_excl TO booking_once;"
        ),
        "{review}"
    );
    assert!(!review.contains("DROP CONSTRAINT"), "{review}");
    // On a new column only: no existing row can conflict, so no consent is asked.
    let on_new = ok(&BOOKING
        .replace(
            "      cancelled: boolean\n",
            "      cancelled: boolean\n      seat: integer?\n",
        )
        .replace(
            "{ column: room, operator: \"=\" }, { column: during, operator: \"&&\" }",
            "{ column: seat, operator: \"=\" }",
        )
        .replace("        where: \"NOT cancelled\"\n", ""));
    let review = plan(&none, &on_new, &PlanOptions::default())
        .expect("no consent needed")
        .review();
    in_order(
        &review,
        &[
            "ALTER TABLE booking ADD COLUMN seat integer;",
            "ALTER TABLE booking ADD CONSTRAINT booking_seat_excl EXCLUDE USING gist (seat WITH =);",
        ],
    );
}

#[test]
fn the_constraint_enum_has_a_variant_for_each_exclusion() {
    let code = strata::render::rust::render_module(&ok(BOOKING));
    for expected in [
        "BookingConstraint::BookingRoomDuringExcl => \"booking_room_during_excl\"",
        "BookingConstraint::BookingRoomDuringExcl => {\n                ::strata_runtime::ConstraintKind::Exclusion",
        "BookingConstraint::BookingRoomDuringExcl => &[\"room\", \"during\"]",
    ] {
        assert!(code.contains(expected), "{expected}\nnot in\n{code}");
    }
}
