//! A corpus of hostile SQL fragments and names, each either refused at load time with a
//! location, or applied on a real server — as the initial migration and as a planned later one,
//! with `standard_conforming_strings` on and off — where a canary table and its rows survive,
//! no object is dropped, no table appears that the schema does not declare, and every DDL
//! command the server ran (recorded by event triggers) is one Strata means to run.

use strata::load::{SourceText, load_sources};
use strata::plan::{Consent, PlanOptions, plan};
use strata_pg::{MigrateOptions, Migrations, migrate};
use strata_testkit::TestDb;

/// Fragments that try to leave their expression, or that hold text which looks like SQL.
const PAYLOADS: &[&str] = &[
    "label <> $q$'$q$ )); DROP TABLE canary; SELECT (($z$'$z$",
    "label <> E'\\'' ) ; DROP TABLE canary; --'",
    "label <> $$x$$); DROP TABLE canary; --",
    "label <> /* /* */ DROP TABLE canary; */ 'x'",
    "label <> 'a'; DROP TABLE canary",
    "(label <> 'a'",
    "label <> 'a'))",
    "label <> 'a' -- trailing\n); DROP TABLE canary; --",
    "label <> '\\' || ') ; DROP TABLE canary; --'",
    "label <> U&'\\0027); DROP TABLE canary; --'",
    "label <> $tag$ $$ ' \" ; -- /* $tag$",
    "label <> 'x' UNION SELECT 'y'",
    "label <> ALL (SELECT relname::text FROM pg_class)",
    "true); DROP TABLE canary; CREATE TABLE x (y int",
    "label <> e'\\x27); DROP TABLE canary; --'",
    "label <> 'line\nbreak'",
    "label <> '-- strata:statement'",
    "label <> E'\\n-- strata:statement\\nDROP TABLE canary; --'",
    "label <> $a$\n-- strata:statement\nDROP TABLE canary;\n$a$",
    "label <> 'x' */ DROP TABLE canary; /*",
    "label IS NOT NULL; COMMIT; DROP TABLE canary; BEGIN",
];

/// Where a fragment can stand; `__P__` is the payload as a YAML double-quoted string.
const SITES: &[(&str, &str)] = &[
    (
        "check",
        "      label: { type: text, nullable: true, check: __P__ }\n",
    ),
    (
        "checks",
        "      label: { type: text, nullable: true }\n    checks:\n      - { name: hostile_check, expr: __P__ }\n",
    ),
    (
        "default_sql",
        "      label: { type: text, nullable: true, default_sql: __P__ }\n",
    ),
    (
        "where",
        "      label: { type: text, nullable: true }\n    indexes:\n      - { name: hostile_idx, columns: [id], where: __P__ }\n",
    ),
    (
        "expr",
        "      label: { type: text, nullable: true }\n    indexes:\n      - { name: hostile_idx, columns: [{ expr: __P__ }] }\n",
    ),
    ("backfill", "      label: { type: text, backfill: __P__ }\n"),
];

/// Names that try to end a comment line, forge a statement boundary or close a quote.
const NAMES: &[&str] = &[
    "x\n-- strata:statement\nDROP TABLE canary; --",
    "a\"; DROP TABLE canary; --",
    "strata:statement",
    "x\r\nDROP TABLE canary",
    "-- strata:non-transactional",
];

const BASE: &str =
    "tables:\n  items:\n    columns:\n      id: { type: integer, primary_key: true }\n";
const BASE_WITH_LABEL: &str = "tables:\n  items:\n    columns:\n      id: { type: integer, primary_key: true }\n      label: { type: text, nullable: true }\n";

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("a JSON string is a YAML string")
}

fn load(text: &str) -> Result<strata::Schema, strata::Diagnostics> {
    load_sources(
        "shop",
        false,
        vec![SourceText {
            path: "schemas/shop.yaml".into(),
            text: text.into(),
        }],
    )
}

const CANARY: &str = "
CREATE TABLE canary (n int);
INSERT INTO canary VALUES (1), (2), (3);
CREATE TABLE strata_ddl_log (tag text, identity text);
CREATE TABLE strata_drop_log (kind text, identity text);
CREATE FUNCTION strata_log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $f$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
    INSERT INTO strata_ddl_log VALUES (r.command_tag, r.object_identity);
  END LOOP;
END $f$;
CREATE FUNCTION strata_log_drop() RETURNS event_trigger LANGUAGE plpgsql AS $f$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
    INSERT INTO strata_drop_log VALUES (r.object_type, r.object_identity);
  END LOOP;
END $f$;
CREATE EVENT TRIGGER strata_log_ddl ON ddl_command_end EXECUTE FUNCTION strata_log_ddl();
CREATE EVENT TRIGGER strata_log_drop ON sql_drop EXECUTE FUNCTION strata_log_drop();
";

const ALLOWED_TAGS: &[&str] = &[
    "CREATE TABLE",
    "CREATE INDEX",
    "ALTER TABLE",
    "COMMENT",
    "CREATE TYPE",
    "ALTER TYPE",
    "CREATE FUNCTION",
    "CREATE TRIGGER",
    "CREATE EXTENSION",
    "CREATE SEQUENCE",
    "ALTER SEQUENCE",
];

/// Applies `files` (V1, V2, …) after the canary, with standard_conforming_strings as given, and
/// checks the server ran nothing it should not have.
/// `model` is what the database holds when every file applied, `before` what it holds when the
/// last one was refused by the server (a fragment can be one expression and still be wrong for
/// its place, e.g. a column in a default): a refused migration leaves nothing behind.
async fn apply_and_check(
    case: &str,
    files: &[(String, String)],
    scs: bool,
    model: &strata::Schema,
    before: &strata::Schema,
) {
    let dir = std::env::temp_dir().join(format!(
        "strata-hostile-{}-{}-{scs}",
        std::process::id(),
        case.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (name, sql) in files {
        std::fs::write(dir.join(name), sql).expect("write");
    }
    let mut db = TestDb::with_sql(CANARY).await;
    if !scs {
        db.client
            .batch_execute("SET standard_conforming_strings = off")
            .await
            .expect("scs off");
    }
    let set = Migrations::from_dir(&dir).unwrap_or_else(|e| panic!("{case}: {e}"));
    let model = match migrate(&mut db.client, &set, &MigrateOptions::default()).await {
        Ok(_) => model,
        Err(e) => {
            eprintln!(
                "{case} (scs {scs}): the server refused it: {}",
                e.to_string().lines().next().unwrap_or("")
            );
            before
        }
    };
    let canary: i64 = db
        .client
        .query_one("SELECT count(*) FROM canary", &[])
        .await
        .unwrap_or_else(|e| panic!("{case}: the canary table is gone: {e}"))
        .get(0);
    assert_eq!(canary, 3, "{case}: canary rows changed");
    let drops: Vec<String> = db
        .client
        .query("SELECT kind || ' ' || identity FROM strata_drop_log", &[])
        .await
        .expect("drop log")
        .iter()
        .map(|r| r.get(0))
        .collect();
    // The only drop Strata means: the temporary check through which SET NOT NULL avoids a scan
    // under an exclusive lock.
    let unintended: Vec<&String> = drops
        .iter()
        .filter(|d| {
            !(d.starts_with("table constraint ") && d.ends_with("_not_null on public.items"))
        })
        .collect();
    assert!(
        unintended.is_empty(),
        "{case}: objects were dropped: {unintended:?}"
    );
    let tags: Vec<String> = db
        .client
        .query("SELECT DISTINCT tag FROM strata_ddl_log", &[])
        .await
        .expect("ddl log")
        .iter()
        .map(|r| r.get(0))
        .collect();
    for t in &tags {
        assert!(
            ALLOWED_TAGS.contains(&t.as_str()),
            "{case}: the server ran {t}"
        );
    }
    let tables: Vec<String> = db
        .client
        .query(
            "SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1",
            &[],
        )
        .await
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut expected: Vec<String> = model.tables.iter().map(|t| t.name.clone()).collect();
    expected.extend(
        [
            "canary",
            "refinery_schema_history",
            "strata_ddl_log",
            "strata_drop_log",
        ]
        .map(String::from),
    );
    expected.sort();
    assert_eq!(tables, expected, "{case}: unexpected tables");
}

struct Tally {
    refused: usize,
    applied: usize,
}

/// One schema text: refused with a location, or applied from empty and as a planned change
/// from `base`.
async fn run_case(case: &str, text: &str, base: &str, tally: &mut Tally) {
    let schema = match load(text) {
        Err(d) => {
            assert!(
                d.items.iter().all(|i| i.loc.line > 0 && i.loc.col > 0),
                "{case}: an error without a location:\n{}",
                d.render(false)
            );
            let rendered = d.render(false);
            assert!(
                rendered.contains("schemas/shop.yaml:"),
                "{case}: {rendered}"
            );
            tally.refused += 1;
            return;
        }
        Ok(s) => s,
    };
    let base = load(base).unwrap_or_else(|d| panic!("{}", d.render(false)));
    let consent = PlanOptions::default().consent(Consent::all());
    let mut planned = vec![(
        "V1__initial.sql".to_string(),
        strata::render::sql::schema_sql(&base),
    )];
    let p = plan(&base, &schema, &consent).unwrap_or_else(|e| panic!("{case}: {e}"));
    for (i, m) in p
        .migrations("-- hostile case\n", "5s")
        .into_iter()
        .enumerate()
    {
        planned.push((format!("V{}__{}.sql", i + 2, m.suggested_name), m.sql));
    }
    let initial = vec![(
        "V1__initial.sql".to_string(),
        strata::render::sql::schema_sql(&schema),
    )];
    for scs in [true, false] {
        // A backfill runs only in a planned migration.
        if !case.starts_with("backfill") {
            let nothing = strata::history::empty_schema("shop");
            apply_and_check(&format!("{case} initial"), &initial, scs, &schema, &nothing).await;
        }
        apply_and_check(&format!("{case} planned"), &planned, scs, &schema, &base).await;
    }
    tally.applied += 1;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_fragments_and_names_are_refused_or_harmless() {
    let mut tally = Tally {
        refused: 0,
        applied: 0,
    };
    let mut cases = 0;
    for (site, template) in SITES {
        for (i, payload) in PAYLOADS.iter().enumerate() {
            let text = format!("{BASE}{}", template.replace("__P__", &yaml_string(payload)));
            let base = if *site == "backfill" {
                BASE_WITH_LABEL
            } else {
                BASE
            };
            run_case(&format!("{site} #{i}"), &text, base, &mut tally).await;
            cases += 1;
        }
    }
    for (i, name) in NAMES.iter().enumerate() {
        let n = yaml_string(name);
        let texts = [
            (
                "table",
                format!(
                    "{BASE}  {n}:\n    rust_name: Hostile\n    columns:\n      id: {{ type: integer, primary_key: true }}\n"
                ),
            ),
            (
                "column",
                format!("{BASE}      {n}: {{ type: text, nullable: true, rust_name: hostile }}\n"),
            ),
            (
                "enum value",
                format!(
                    "enums:\n  mood:\n    values: [ok, {{ name: {n}, rust_name: Hostile }}]\n{BASE}      m: {{ type: mood, nullable: true }}\n"
                ),
            ),
            (
                "index name",
                format!(
                    "{BASE}      label: text?\n    indexes:\n      - {{ name: {n}, columns: [label] }}\n"
                ),
            ),
            (
                "check name",
                format!(
                    "{BASE}      label: text?\n    checks:\n      - {{ name: {n}, expr: \"label <> ''\" }}\n"
                ),
            ),
            (
                "description",
                format!("{BASE}      label: {{ type: text, nullable: true, description: {n} }}\n"),
            ),
        ];
        for (site, text) in texts {
            let base = if site == "enum value" {
                format!(
                    "enums:\n  mood:\n    values: [ok]\n{BASE}      m: {{ type: mood, nullable: true }}\n"
                )
            } else {
                BASE.to_string()
            };
            run_case(&format!("{site} name #{i}"), &text, &base, &mut tally).await;
            cases += 1;
        }
    }
    println!(
        "hostile corpus: {cases} cases, {} refused at load time with a location, {} applied harmlessly (initial and planned, standard_conforming_strings on and off)",
        tally.refused, tally.applied
    );
    assert!(cases >= 60);
    assert_eq!(tally.refused + tally.applied, cases);
    // The corpus must exercise both outcomes.
    assert!(
        tally.refused >= 20 && tally.applied >= 20,
        "{} refused, {} applied",
        tally.refused,
        tally.applied
    );
}
