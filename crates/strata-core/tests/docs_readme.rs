//! The generated database page (`generated/<db>/README.md`): it shows every table, column, type
//! and description of the model exactly as written (checked on the rendered text, so escaping
//! must round-trip), its diagrams name every table, and each seed's page is pinned by a
//! snapshot.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::{Path, PathBuf};
use strata::Schema;
use strata::load::{SchemaLocation, discover, load_location};
use strata::render::docs::{self, er};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn seeds() -> Vec<Schema> {
    let root = repo_root();
    discover(&root.join("schemas"))
        .expect("schemas/")
        .iter()
        .map(|l| load_location(l, &root).unwrap_or_else(|d| panic!("{}", d.render(false))))
        .collect()
}

fn hostile() -> Schema {
    let root = repo_root();
    let loc = SchemaLocation {
        name: "hostile".into(),
        path: root.join("tests/fixtures/hostile/hostile.yaml"),
    };
    load_location(&loc, &root).unwrap_or_else(|d| panic!("{}", d.render(false)))
}

/// What a reader sees: the rendered text of the page outside diagrams, whitespace collapsed.
fn visible_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut in_code_block = false;
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    ) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(t) | Event::Code(t) if !in_code_block => out.push_str(&t),
            Event::InlineHtml(_) | Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    collapse(&out)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Mermaid diagrams of the page.
fn diagrams(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(lang)))
                if lang.as_ref() == "mermaid" =>
            {
                current = Some(String::new())
            }
            Event::Text(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t)
                }
            }
            Event::End(TagEnd::CodeBlock) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

/// Every table, column, type and description of the model, and every enum value and JSON field,
/// is on the page as written; every table is in a diagram.
fn assert_complete(schema: &Schema, page: &str) {
    let text = visible_text(page);
    let mut missing = Vec::new();
    let mut need = |what: String, needle: &str| {
        let needle = collapse(needle);
        if !needle.is_empty() && !text.contains(&needle) {
            missing.push(format!("{what}: {needle:?}"));
        }
    };
    if let Some(d) = &schema.description {
        need("database description".into(), d);
    }
    for t in &schema.tables {
        need(format!("table {}", t.name), &t.name);
        if let Some(d) = &t.description {
            need(format!("description of table {}", t.name), d);
        }
        for c in &t.columns {
            need(format!("column {}.{}", t.name, c.name), &c.name);
            need(format!("type of {}.{}", t.name, c.name), &c.ty.to_string());
            if let Some(d) = &c.description {
                need(format!("description of {}.{}", t.name, c.name), d);
            }
        }
        for i in &t.indexes {
            need(format!("index {}", i.name), &i.name);
        }
    }
    for e in &schema.enums {
        need(format!("enum {}", e.name), &e.name);
        for v in &e.values {
            need(format!("value {}.{}", e.name, v.name), &v.name);
            if let Some(d) = &v.description {
                need(format!("description of value {}.{}", e.name, v.name), d);
            }
        }
    }
    for j in &schema.json_types {
        need(format!("JSON type {}", j.name), &j.name);
        if let Some(d) = &j.description {
            need(format!("description of JSON type {}", j.name), d);
        }
        for f in &j.fields {
            need(format!("field {}.{}", j.name, f.name), &f.name);
            need(
                format!("type of field {}.{}", j.name, f.name),
                &f.ty.to_string(),
            );
        }
    }
    assert!(
        missing.is_empty(),
        "the page of {} lacks:\n{}",
        schema.name,
        missing.join("\n")
    );

    let all = diagrams(page).join("\n");
    let ids = er::entity_ids(schema);
    let links: Vec<&str> = schema
        .tables
        .iter()
        .filter(|t| {
            // A pure link table is drawn as the line between the tables it links, named by label.
            all.contains(&format!(": \"{}\"", er::quoted(&t.name)))
        })
        .map(|t| t.name.as_str())
        .collect();
    for t in &schema.tables {
        let id = &ids[&t.name];
        let drawn = all.lines().any(|l| {
            l.trim_start().starts_with(&format!("{id} "))
                || l.trim() == id
                || l.trim_start().starts_with(&format!("{id}["))
        });
        assert!(
            drawn || links.contains(&t.name.as_str()),
            "table {} is in no diagram of {}",
            t.name,
            schema.name
        );
    }
}

#[test]
fn each_seed_page_shows_the_whole_model() {
    let seeds = seeds();
    assert_eq!(seeds.len(), 5);
    for s in &seeds {
        let page = docs::readme(s);
        assert_complete(s, &page);
        assert_eq!(
            page,
            docs::readme(s),
            "the page of {} is deterministic",
            s.name
        );
        assert!(page.ends_with('\n') && !page.ends_with("\n\n"));
        assert!(!page.contains('\r'));
        insta::assert_snapshot!(format!("docs__{}", s.name), page);
    }
}

#[test]
fn the_checked_in_pages_are_current() {
    for s in seeds() {
        let path = repo_root().join(docs::readme_path(&s));
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == docs::readme(&s),
            "{} is missing or stale; run `cargo xtask codegen`",
            path.display()
        );
    }
}

#[test]
fn the_header_is_a_closed_html_comment() {
    for s in seeds() {
        let page = docs::readme(&s);
        let first = page.lines().next().expect("a first line");
        assert!(
            first.starts_with("<!-- @generated by `cargo xtask codegen` from schemas/"),
            "{first}"
        );
        assert!(first.ends_with(" -->"), "{first}");
        assert_eq!(first.matches("-->").count(), 1);
    }
}

#[test]
fn a_folder_schema_gets_an_overview_and_a_diagram_per_group() {
    let seeds = seeds();
    let gb = seeds
        .iter()
        .find(|s| s.name == "general_bots")
        .expect("general_bots");
    assert!(!gb.groups.is_empty());
    let page = docs::readme(gb);
    let groups_with_tables = gb
        .groups
        .iter()
        .filter(|g| gb.tables.iter().any(|t| t.group.as_ref() == Some(*g)))
        .count();
    assert_eq!(diagrams(&page).len(), 1 + groups_with_tables);
    assert!(page.contains("### Overview"));
    let single = seeds.iter().find(|s| s.name == "freddy").expect("freddy");
    assert_eq!(diagrams(&docs::readme(single)).len(), 1);
}

#[test]
fn relationships_are_drawn_by_kind() {
    let seeds = seeds();
    let freddy = seeds.iter().find(|s| s.name == "freddy").expect("freddy");
    let page = docs::readme(freddy);
    let d = diagrams(&page).join("\n");
    // One-to-one through a unique foreign key.
    assert!(
        d.contains("assistants ||..o| assistant_tool_configurations : \"assistant_id\""),
        "{d}"
    );
    // One-to-many, with an optional parent for a nullable foreign key.
    assert!(
        d.contains("assistants ||..o{ assistant_json_schemas : \"assistant_id\""),
        "{d}"
    );
    assert!(d.contains("users |o..o{ assistants : \"user_id\""), "{d}");
    // Many-to-many through a link table (unique pair of two foreign keys), drawn as one line.
    assert!(
        d.contains("assistants }o..o{ vector_stores : \"assistant_vector_stores\""),
        "{d}"
    );
    // A link table that others reference keeps its box and its own lines.
    assert!(
        d.contains("assistants ||..o{ assistant_rules : \"assistant_id\""),
        "{d}"
    );
    assert!(
        page.contains(
            "many-to-many link between [`assistants`](#assistants) and [`rules`](#rules)"
        )
    );
    assert!(page.contains("unique on (`assistant_id`, `rule_id`)"));
    assert!(page.contains("cascades from [`assistants`](#assistants)"));
    assert!(page.contains("soft-delete flag: `is_deleted`"));
    assert!(page.contains("kept current on UPDATE: `updated_at`"));
}

#[test]
fn indexes_and_constraints_are_said_in_words() {
    let seeds = seeds();
    let hexabot = docs::readme(seeds.iter().find(|s| s.name == "hexabot").expect("hexabot"));
    assert!(hexabot.contains("index on (`createdAt` DESC)"), "{hexabot}");
    assert!(
        hexabot.contains("unique index on (`context -> 'vars' ->> 'taskId'`)"),
        "{hexabot}"
    );
    let creator = docs::readme(
        seeds
            .iter()
            .find(|s| s.name == "creator_site")
            .expect("creator_site"),
    );
    assert!(creator.contains("single row: the table holds at most one row"));
    assert!(creator.contains("check `temperature BETWEEN 0 AND 2`"));
    let gb = docs::readme(
        seeds
            .iter()
            .find(|s| s.name == "general_bots")
            .expect("general_bots"),
    );
    assert!(
        gb.contains("GIN index on (`to_tsvector("),
        "general_bots has a full-text index"
    );
}

#[test]
fn hostile_names_and_texts_stay_intact_and_safe() {
    let s = hostile();
    let page = docs::readme(&s);
    assert_complete(&s, &page);
    for d in diagrams(&page) {
        for line in d.lines() {
            // Quotes come in pairs on every line, so no text ends a Mermaid string early.
            assert_eq!(line.matches('"').count() % 2, 0, "{line}");
            assert!(!line.contains('\\') && !line.contains('%'), "{line}");
        }
    }
    // A name with a space or a keyword gets an alias; a plain one is kept.
    assert!(
        page.contains("t_User_Accounts[\"User Accounts\"]"),
        "{page}"
    );
    // A table cell never ends early: every row of a columns table has the header's cell count.
    for line in page.lines().filter(|l| l.starts_with("| ")) {
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(
            cells == 7 || cells == 5 || cells == 3 || cells == 4,
            "{line}"
        );
    }
    insta::assert_snapshot!("docs__hostile", page);
}
