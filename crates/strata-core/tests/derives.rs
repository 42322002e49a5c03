//! `derives:` is refused, at its location, where the generated code could not carry a derive;
//! what is accepted compiles (tests/macro-downstream builds such schemas with `Default`, `Eq`,
//! `Hash`, `PartialOrd` and `Ord`).

use strata::load::{SourceText, load_sources};

fn load(yaml: &str) -> Result<strata::Schema, String> {
    load_sources(
        "db",
        false,
        vec![SourceText {
            path: "schemas/db.yaml".into(),
            text: yaml.into(),
        }],
    )
    .map_err(|d| d.render(false))
}

fn with(derives: &str, columns: &str) -> String {
    format!(
        "derives: [{derives}]\nenums:\n  kind: {{ values: [a, b] }}\ntables:\n  t:\n    columns:\n      id: {{ type: bigint, primary_key: true }}\n{columns}"
    )
}

#[test]
fn default_is_refused_where_an_enum_column_has_none() {
    let e = load(&with("Default", "      k: kind\n")).expect_err("refused");
    assert!(e.contains("E0030"), "{e}");
    assert!(e.contains("schemas/db.yaml:1:1"), "{e}");
    assert!(e.contains("column `t.k` is `kind`"), "{e}");
    // A nullable enum column is an Option, which has a default.
    load(&with("Default", "      k: kind?\n")).expect("accepted");
}

#[test]
fn each_checked_derive_follows_the_field_types() {
    let cases: &[(&str, &str, bool)] = &[
        ("Eq", "      x: double precision\n", false),
        ("Hash", "      x: real\n", false),
        ("PartialOrd", "      x: double precision\n", true),
        ("Copy", "      x: text\n", false),
        (
            "Copy",
            "      x: uuid\n      y: timestamptz\n      z: numeric(4,2)\n",
            true,
        ),
        ("Default", "      x: inet\n", false),
        ("PartialOrd", "      x: interval\n", false),
        ("Eq", "      x: jsonb\n", true),
        ("PartialOrd", "      x: jsonb\n", false),
        ("Copy", "      x: bigint[]\n", false),
        (
            "Eq, PartialOrd, Ord",
            "      x: text\n      k: kind\n",
            true,
        ),
        ("Ord", "      x: text\n", false),
    ];
    for (derives, columns, accepted) in cases {
        let r = load(&with(derives, columns));
        assert_eq!(
            r.is_ok(),
            *accepted,
            "derives [{derives}] with\n{columns}{r:?}"
        );
    }
}

#[test]
fn derives_the_structs_already_have_are_refused() {
    for d in ["Clone", "Debug", "PartialEq", "serde::Serialize"] {
        let e = load(&with(d, "")).expect_err(d);
        assert!(e.contains("already derives"), "{e}");
    }
}

#[test]
fn other_crates_derives_pass_through() {
    load(&with("utoipa::ToSchema", "      k: kind\n")).expect("accepted");
}
