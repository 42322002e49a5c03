//! The docs site in a real browser: build it (the same library call as `cargo xtask docs`,
//! `strata_cli::docs::site::build`),
//! open every page in headless Chromium, require every Mermaid diagram drawn as SVG with no
//! Mermaid error, and save a screenshot of each page under target/strata-docs/screenshots/.
//! A page with a deliberately broken diagram proves the check catches Mermaid errors, and pages
//! of hostile names prove the diagrams survive any table or column name.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use strata::Schema;
use strata::load::{SchemaLocation, SourceText, discover, load_location, load_sources};
use strata::render::docs::site;
use strata_cli::docs::site::{Built, build};
use strata_docs_site_tests::{PageReport, check_page, chromium, repo_root, screenshot};

fn progress(message: &str) {
    eprintln!("docs-site: {message}");
}

fn seeds() -> Vec<Schema> {
    let root = repo_root();
    discover(&root.join("schemas"))
        .expect("schemas/")
        .iter()
        .map(|l| load_location(l, &root).unwrap_or_else(|d| panic!("{}", d.render(false))))
        .collect()
}

fn npm_dir() -> PathBuf {
    repo_root().join("target/strata-docs-npm")
}

/// The site of the seed databases, built once per test run.
fn site() -> &'static (PathBuf, Built) {
    static SITE: OnceLock<(PathBuf, Built)> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = repo_root().join("target/strata-docs");
        let built = build(&seeds(), &out, &npm_dir(), &mut |m| progress(m))
            .unwrap_or_else(|e| panic!("{e}"));
        (out, built)
    })
}

fn chromium_or_fail() -> PathBuf {
    chromium().unwrap_or_else(|e| panic!("{e}"))
}

/// Writes a page made from `markdown` into its own scratch folder beside the real site (with
/// Mermaid and the page script), so test pages never land in the published site and tests
/// running at once never write a file another one reads.
fn scratch_page(name: &str, markdown: &str) -> PathBuf {
    let (out, _) = site();
    let dir = repo_root().join("target/strata-docs-check").join(name);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    for asset in [site::MERMAID_JS, "strata-docs.js", "strata-docs.css"] {
        std::fs::copy(out.join(asset), dir.join(asset)).expect("copy an asset of the site");
    }
    let page = dir.join(format!("{name}.html"));
    std::fs::write(&page, site::page(name, "", markdown)).expect("write the page");
    page
}

fn check(chromium: &Path, page: &Path) -> PageReport {
    progress(&format!("checking {} in Chromium", page.display()));
    check_page(chromium, page).unwrap_or_else(|e| panic!("{}: {e}", page.display()))
}

#[test]
fn every_page_draws_every_diagram_and_has_a_screenshot() {
    let chromium = chromium_or_fail();
    let (out, built) = site();
    let seeds = seeds();
    assert_eq!(
        built.pages.len(),
        seeds.len() + 1,
        "index.html and one page per database"
    );
    assert!(out.join(site::MERMAID_JS).is_file());
    let mut problems = Vec::new();
    for page in &built.pages {
        let report = check(&chromium, page);
        let name = page
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("page name")
            .to_string();
        if name != "index" && report.diagrams == 0 {
            problems.push(format!("{name}: no diagram"));
        }
        problems.extend(
            report
                .problems()
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
        let png = out.join("screenshots").join(format!("{name}.png"));
        progress(&format!("screenshot {}", png.display()));
        screenshot(&chromium, page, &png).unwrap_or_else(|e| panic!("{name}: {e}"));
        let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
        if size < 10_000 {
            problems.push(format!("{name}: the screenshot is only {size} bytes"));
        }
    }
    assert!(
        problems.is_empty(),
        "the docs site is broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_broken_diagram_fails_the_check() {
    let chromium = chromium_or_fail();
    let good = "erDiagram\n    users {\n        uuid id PK\n    }\n";
    // A relationship with no second entity: a Mermaid syntax error.
    let broken = "erDiagram\n    users ||--o{ : \"oops\"\n";
    let page = scratch_page(
        "broken",
        &format!("# Broken\n\n```mermaid\n{good}```\n\n```mermaid\n{broken}```\n"),
    );
    let report = check(&chromium, &page);
    assert!(report.done, "{report:?}");
    assert_eq!(report.diagrams, 2, "{report:?}");
    assert!(
        report.errors >= 1,
        "the Mermaid error was not reported: {report:?}"
    );
    assert!(report.rendered < report.diagrams, "{report:?}");
    assert!(
        !report.problems().is_empty(),
        "the check passed a page with a broken diagram: {report:?}"
    );
    // The good diagram on the same page still counts as drawn.
    assert!(report.rendered >= 1, "{report:?}");
}

#[test]
fn a_page_without_mermaid_fails_the_check() {
    let chromium = chromium_or_fail();
    let page = scratch_page(
        "no-mermaid",
        "# No Mermaid\n\n```mermaid\nerDiagram\n    a\n```\n",
    );
    let html = std::fs::read_to_string(&page).expect("page");
    std::fs::write(&page, html.replace(site::MERMAID_JS, "missing.js")).expect("rewrite");
    let report = check(&chromium, &page);
    assert!(!report.problems().is_empty(), "{report:?}");
    assert!(report.messages.contains("did not load"), "{report:?}");
}

/// Tables and columns named like Mermaid's keywords, with quotes, `#`, `%`, backslashes, spaces
/// and the words Mermaid reads as a direction statement.
const ODD_NAMES: &str = r#"
tables:
  end:
    description: "a table named like a Mermaid keyword"
    columns:
      id: { type: integer, primary_key: true }
      pk: { type: integer, nullable: true }
      "1st": { type: text, nullable: true }
  one:
    columns:
      id: { type: integer, primary_key: true }
      end_id: { type: integer, references: end }
  to:
    columns:
      id: { type: integer, primary_key: true }
      one_id: { type: integer, unique: true, references: one, on_delete: cascade }
  "direction TB":
    columns:
      id: { type: integer, primary_key: true }
      "direction LR": { type: integer, nullable: true, references: to }
  "50% #35; \\ \"q\"":
    columns:
      id: { type: integer, primary_key: true }
      "style: x #y;": { type: integer, references: "direction TB" }
  class:
    columns:
      a: { type: integer, references: end }
      b: { type: integer, references: one }
    primary_key: [a, b]
"#;

#[test]
fn hostile_and_keyword_names_draw_without_error() {
    let chromium = chromium_or_fail();
    let root = repo_root();
    let hostile = load_location(
        &SchemaLocation {
            name: "hostile".into(),
            path: root.join("tests/fixtures/hostile/hostile.yaml"),
        },
        &root,
    )
    .unwrap_or_else(|d| panic!("{}", d.render(false)));
    let odd = load_sources(
        "odd",
        false,
        vec![SourceText {
            path: "odd.yaml".into(),
            text: ODD_NAMES.into(),
        }],
    )
    .unwrap_or_else(|d| panic!("{}", d.render(false)));
    let mut problems = Vec::new();
    for schema in [&hostile, &odd] {
        let page = scratch_page(&schema.name, &strata::render::docs::readme(schema));
        let report = check(&chromium, &page);
        if report.diagrams == 0 {
            problems.push(format!("{}: no diagram", schema.name));
        }
        problems.extend(
            report
                .problems()
                .into_iter()
                .map(|p| format!("{}: {p}", schema.name)),
        );
        let png = page.with_extension("png");
        screenshot(&chromium, &page, &png).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
