//! Every complete schema in the language reference (`docs/schema-language.md`: a ```yaml block
//! with a top-level `tables:` key) loads without a diagnostic, and its DDL parses with
//! PostgreSQL's parser; fragments of a file (a `columns:` or `indexes:` excerpt) are checked as
//! YAML only. The reference's examples are what a new user copies first.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::path::Path;

fn yaml_blocks(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if &*lang == "yaml" => {
                current = Some(String::new())
            }
            Event::Text(t) => {
                if let Some(c) = &mut current {
                    c.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

#[test]
fn every_complete_schema_in_the_reference_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema-language.md");
    let text = std::fs::read_to_string(&path).expect("docs/schema-language.md");
    let blocks = yaml_blocks(&text);
    let mut complete = 0;
    for block in &blocks {
        let value: serde_yaml::Value = serde_yaml::from_str(block)
            .unwrap_or_else(|e| panic!("an example is not YAML ({e}):\n{block}"));
        if value.get("tables").is_none() {
            continue;
        }
        complete += 1;
        let schema = strata::load::load_sources(
            "example",
            false,
            vec![strata::load::SourceText {
                path: "schemas/example.yaml".into(),
                text: block.clone(),
            }],
        )
        .unwrap_or_else(|d| panic!("an example does not load:\n{}\n{block}", d.render(false)));
        let sql = strata::render::sql::schema_sql(&schema);
        let statements = strata::fragment::split_script(&sql);
        assert!(!statements.is_empty(), "{sql}");
        for (_, statement) in statements {
            pg_query::parse(statement, 0)
                .unwrap_or_else(|e| panic!("{e}: {statement}\nfrom the example:\n{block}"));
        }
    }
    assert!(
        complete >= 4,
        "only {complete} complete examples found among {} blocks",
        blocks.len()
    );
}
