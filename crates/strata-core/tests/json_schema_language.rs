//! The JSON Schema of the schema language (`generated/schema-language.json`, used by editors)
//! agrees with the loader: every file the loader accepts is valid, and every file the loader
//! refuses for its shape (an unknown key, a wrong kind of value, an unknown keyword value:
//! E0003/E0005) is invalid.

use jsonschema::Validator;
use std::path::{Path, PathBuf};
use strata::diag::Code;
use strata::load::{SchemaLocation, SourceText, load_location, load_sources};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn validator() -> Validator {
    let schema: serde_json::Value = serde_json::from_str(&strata::schema_language::json_schema())
        .expect("the JSON Schema is JSON");
    jsonschema::draft7::meta::validate(&schema).expect("a valid draft-07 schema");
    jsonschema::draft7::new(&schema).expect("the JSON Schema compiles")
}

/// The YAML as JSON, as the YAML language server sees it.
fn as_json(text: &str) -> serde_json::Value {
    serde_yaml::from_str::<serde_json::Value>(text).expect("YAML that maps to JSON")
}

/// The JSON Schema's complaints about `text`, one per line.
fn schema_errors(v: &Validator, text: &str) -> Vec<String> {
    let json = as_json(text);
    v.iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Every `*.yaml` file below `dir`, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("readable dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn is_shape(code: Code) -> bool {
    matches!(code, Code::Shape | Code::UnknownKey)
}

#[test]
fn the_json_schema_is_draft_07_and_denies_unknown_keys() {
    let schema: serde_json::Value =
        serde_json::from_str(&strata::schema_language::json_schema()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(
        schema.get("definitions").is_some(),
        "draft-07 keeps subschemas under `definitions`"
    );
    assert!(schema.get("$defs").is_none());
    assert_eq!(schema["additionalProperties"], false);
    for (name, def) in schema["definitions"].as_object().expect("definitions") {
        if def.get("properties").is_some() {
            assert_eq!(
                def["additionalProperties"], false,
                "{name} must deny unknown keys"
            );
        }
    }
    assert_eq!(
        strata::schema_language::json_schema(),
        strata::schema_language::json_schema()
    );
}

#[test]
fn the_checked_in_json_schema_is_current() {
    let path = repo_root().join(strata::schema_language::PATH);
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == strata::schema_language::json_schema(),
        "{} is missing or stale; run `cargo xtask codegen`",
        path.display()
    );
}

#[test]
fn every_schema_and_fixture_the_loader_accepts_is_valid() {
    let root = repo_root();
    let v = validator();
    let mut files = yaml_files(&root.join("schemas"));
    files.extend(yaml_files(&root.join("tests/fixtures")));
    let mut accepted = 0;
    let mut problems = Vec::new();
    for file in &files {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("db")
            .to_string();
        let loc = SchemaLocation {
            name,
            path: file.clone(),
        };
        // A file of a schema folder is also loadable on its own only with its siblings, so the
        // folder's files are judged by the folder's result below; a lone file by its own.
        let in_folder = file.parent().is_some_and(|p| {
            p != root.join("schemas") && p.parent() == Some(&root.join("schemas"))
        });
        let accepted_by_loader = if in_folder {
            let dir = file.parent().expect("folder");
            let folder = SchemaLocation {
                name: dir
                    .file_name()
                    .and_then(|s| s.to_str())
                    .expect("name")
                    .into(),
                path: dir.to_path_buf(),
            };
            load_location(&folder, &root).is_ok()
        } else {
            load_location(&loc, &root).is_ok()
        };
        if !accepted_by_loader {
            continue;
        }
        accepted += 1;
        let text = std::fs::read_to_string(file).expect("readable");
        let errors = schema_errors(&v, &text);
        if !errors.is_empty() {
            problems.push(format!("{}:\n  {}", file.display(), errors.join("\n  ")));
        }
    }
    assert!(
        problems.is_empty(),
        "the loader accepts these but the JSON Schema refuses them:\n{}",
        problems.join("\n")
    );
    // The five seeds (one of them a folder of six files) and the fixtures that load.
    assert!(
        accepted >= 10,
        "only {accepted} accepted files were checked"
    );
}

#[test]
fn every_fixture_refused_for_its_shape_is_invalid() {
    let root = repo_root();
    let v = validator();
    let mut checked = Vec::new();
    for file in yaml_files(&root.join("tests/fixtures/errors")) {
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_string();
        let Err(diags) = load_location(
            &SchemaLocation {
                name: name.clone(),
                path: file.clone(),
            },
            &root,
        ) else {
            panic!("{} is a broken fixture but loads", file.display());
        };
        if !diags.items.iter().any(|d| is_shape(d.code)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("readable");
        assert!(
            !schema_errors(&v, &text).is_empty(),
            "the loader refuses {} for its shape ({}) but the JSON Schema accepts it",
            file.display(),
            diags.to_short_string()
        );
        checked.push(name);
    }
    for expected in [
        "unknown_column_key",
        "unknown_fk_action",
        "unknown_table_key",
        "unknown_top_level_key",
        "many_errors_at_once",
    ] {
        assert!(
            checked.iter().any(|c| c == expected),
            "{expected} was not checked: {checked:?}"
        );
    }
}

/// What the loader says about one file: accepted, refused for its shape, or refused otherwise.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Verdict {
    Ok,
    Shape,
    Other,
}

fn loader_verdict(text: &str) -> (Verdict, String) {
    match load_sources(
        "db",
        false,
        vec![SourceText {
            path: "db.yaml".into(),
            text: text.into(),
        }],
    ) {
        Ok(_) => (Verdict::Ok, String::new()),
        Err(d) if d.items.iter().any(|i| is_shape(i.code)) => (Verdict::Shape, d.to_short_string()),
        Err(d) => (Verdict::Other, d.to_short_string()),
    }
}

/// Each short form and each wrong shape, judged by both; the JSON Schema may refuse more than
/// the loader's shape check only where the loader refuses too (`Other`).
#[test]
fn the_json_schema_and_the_loader_agree_on_each_form() {
    let v = validator();
    let table = |cols: &str, extra: &str| {
        format!(
            "tables:\n  users:\n    columns:\n      id: {{ type: uuid, primary_key: true }}\n{cols}{extra}"
        )
    };
    let cases: Vec<(String, Verdict, bool)> = vec![
        ("".into(), Verdict::Ok, true),
        ("tables: {}\n".into(), Verdict::Ok, true),
        (table("      name: text\n", ""), Verdict::Ok, true),
        (table("      name: text?\n", ""), Verdict::Ok, true),
        (table("      name: { type: text, nullable: true, default: x }\n", ""), Verdict::Ok, true),
        (table("      name: 1\n", ""), Verdict::Shape, false),
        (table("      name: [text]\n", ""), Verdict::Shape, false),
        (table("      name: { type: text, nulable: true }\n", ""), Verdict::Shape, false),
        (table("      name: { nullable: true }\n", ""), Verdict::Shape, false),
        (table("      name: { type: text, nullable: yes please }\n", ""), Verdict::Shape, false),
        (table("      name: { type: text, description: [a] }\n", ""), Verdict::Shape, false),
        (table("      tags: { type: \"text[]\", default: [a, b] }\n", ""), Verdict::Ok, true),
        (table("      n: { type: integer, identity: by_default }\n", ""), Verdict::Ok, true),
        (table("      n: { type: integer, identity: sometimes }\n", ""), Verdict::Shape, false),
        (table("      me: { type: uuid, nullable: true, references: users }\n", ""), Verdict::Ok, true),
        (table("      me: { type: uuid, nullable: true, references: users.id }\n", ""), Verdict::Ok, true),
        (table("      me: { type: uuid, nullable: true, references: { table: users, column: id }, on_delete: set_null }\n", ""), Verdict::Ok, true),
        (table("      me: { type: uuid, nullable: true, references: { table: users, col: id } }\n", ""), Verdict::Shape, false),
        (table("      me: { type: uuid, nullable: true, references: [users] }\n", ""), Verdict::Shape, false),
        (table("      me: { type: uuid, nullable: true, references: users, on_delete: cascde }\n", ""), Verdict::Shape, false),
        (table("      a: text\n      b: text\n", "    unique:\n      - [a, b]\n      - { columns: [b], nulls_not_distinct: true }\n"), Verdict::Ok, true),
        (table("      a: text\n", "    unique:\n      - a\n"), Verdict::Shape, false),
        (table("      a: text\n", "    unique:\n      - { cols: [a] }\n"), Verdict::Shape, false),
        (table("      a: integer\n", "    checks:\n      - a > 0\n      - { expr: a < 10, name: small }\n"), Verdict::Ok, true),
        (table("      a: integer\n", "    checks:\n      - [a > 0]\n"), Verdict::Shape, false),
        (table("      a: integer\n", "    checks:\n      - { expression: a > 0 }\n"), Verdict::Shape, false),
        (table("      a: integer\n", "    indexes:\n      - columns: [a desc, { expr: (a + 1), order: asc }, { column: id }]\n        using: btree\n        where: a > 0\n"), Verdict::Ok, true),
        (table("      a: integer\n", "    indexes:\n      - columns: [a]\n        using: bitmap\n"), Verdict::Shape, false),
        (table("      a: integer\n", "    indexes:\n      - columns: [{ column: a, order: down }]\n"), Verdict::Shape, false),
        (table("      a: integer\n", "    indexes:\n      - columns: [a]\n        kind: gin\n"), Verdict::Shape, false),
        (table("      a: integer\n", "    indexes:\n      - columns: [a sideways]\n"), Verdict::Other, false),
        (table("      during: tstzrange\n", "    exclude:\n      - using: gist\n        elements: [{ column: during, operator: \"&&\" }, { expr: lower(during), operator: \"=\", order: asc }]\n        include: [id]\n        with: { fillfactor: 70 }\n        where: id > 0\n        deferrable: deferred\n"), Verdict::Ok, true),
        (table("      during: tstzrange\n", "    exclude:\n      - elements: [{ column: during }]\n"), Verdict::Shape, false),
        (table("      during: tstzrange\n", "    exclude:\n      - elements: [{ column: during, operator: \"&&\", op: \"&&\" }]\n"), Verdict::Shape, false),
        (table("      during: tstzrange\n", "    exclude:\n      - { using: rtree, elements: [{ column: during, operator: \"&&\" }] }\n"), Verdict::Shape, false),
        (table("      during: tstzrange\n", "    exclude:\n      - [during]\n"), Verdict::Shape, false),
        (table("", "    primary_key: ~\n    index_foreign_keys: false\n    single_row: true\n"), Verdict::Ok, true),
        (table("", "    single_row: 1\n"), Verdict::Shape, false),
        (table("", "    mixins: stamps\n"), Verdict::Shape, false),
        (table("      a: text\n", "    foreign_keys:\n      - { columns: [a], references: users }\n"), Verdict::Shape, false),
        ("enums:\n  role:\n    values: [user, { name: bot, description: The bot, rust_name: Bot }, 1, true]\n".into(), Verdict::Ok, true),
        ("enums:\n  role:\n    values: [user, { name: bot, label: The bot }]\n".into(), Verdict::Shape, false),
        ("enums:\n  role:\n    values: user\n".into(), Verdict::Shape, false),
        ("enums:\n  role: [user]\n".into(), Verdict::Shape, false),
        ("json_types:\n  Link:\n    extra: true\n    fields:\n      url: string\n      tags: string[]?\n      meta: { type: map<any>, description: x }\n".into(), Verdict::Ok, true),
        ("json_types:\n  Link:\n    fields:\n      url: { kind: string }\n".into(), Verdict::Shape, false),
        ("json_types:\n  Link:\n    fields: [url]\n".into(), Verdict::Shape, false),
        ("mixins:\n  stamps:\n    position: end\n    columns:\n      at: timestamptz\n".into(), Verdict::Ok, true),
        ("mixins:\n  stamps:\n    position: middle\n    columns:\n      at: timestamptz\n".into(), Verdict::Shape, false),
        // The top-level keys are read straight from the text, where a number is its text.
        ("description: 1\n".into(), Verdict::Ok, true),
        ("extensions: [1]\n".into(), Verdict::Ok, true),
        // An empty value reads as an empty map; `~` at the top level does not. Both are null in
        // JSON, so the JSON Schema cannot tell them apart and accepts both.
        ("tables:\n".into(), Verdict::Ok, true),
        ("enums:\n".into(), Verdict::Ok, true),
        ("tables: ~\n".into(), Verdict::Shape, true),
        (table("      name: { type: text, description: 1 }\n", ""), Verdict::Shape, false),
        (table("", "    description: 1\n"), Verdict::Shape, false),
        // Below the top level every null reads as an empty list or map.
        (table("", "    mixins: ~\n    unique: ~\n    indexes:\n"), Verdict::Ok, true),
        (table("      name: { type: text, nullable: ~ }\n", ""), Verdict::Shape, false),
        (table("      name: { type: text, description: ~ }\n", ""), Verdict::Ok, true),
        ("extensions: pgcrypto\n".into(), Verdict::Shape, false),
        ("extensions: [pgcrypto]\nderives: [Eq]\nallow: [drop_table:x]\n".into(), Verdict::Ok, true),
        ("tables:\n  users:\n    colums:\n      id: uuid\n".into(), Verdict::Shape, false),
        ("table:\n  users: {}\n".into(), Verdict::Shape, false),
        ("- a\n- b\n".into(), Verdict::Shape, false),
    ];
    let mut problems = Vec::new();
    for (text, expected, valid) in &cases {
        let (verdict, message) = loader_verdict(text);
        if verdict != *expected {
            problems.push(format!(
                "loader: expected {expected:?}, got {verdict:?} ({message}) for:\n{text}"
            ));
        }
        let errors = schema_errors(&v, text);
        if errors.is_empty() != *valid {
            problems.push(format!(
                "JSON Schema: expected valid = {valid}, got {errors:?} for:\n{text}"
            ));
        }
    }
    for p in &problems {
        eprintln!("{p}\n---");
    }
    assert!(problems.is_empty());
}
