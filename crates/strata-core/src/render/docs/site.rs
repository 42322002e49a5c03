//! The docs as a static HTML site: the Markdown page of each database rendered to HTML, an
//! index, a style sheet and the script that draws the Mermaid diagrams in the browser. This
//! module only renders (in memory).
//!
//! The pages load `mermaid.min.js` from their own folder, so viewing needs no network. The
//! script reports how the diagrams went in the element `#strata-mermaid-status`, which a test
//! reads from the page's DOM: `data-state="done"` once finished, `data-diagrams` (how many
//! there are), `data-rendered` (how many became SVG) and `data-errors` (Mermaid's complaints,
//! whose text is the element's content).
//!
//! Writing the site and bringing Mermaid from npm is the docs front's job
//! (`strata_cli::docs::site::build`, behind `cargo xtask docs`).

use super::markdown::{self, Anchors};
use crate::model::Schema;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

/// The file name of Mermaid's browser bundle in the site.
pub const MERMAID_JS: &str = "mermaid.min.js";

/// The id of the element the page script writes its report into.
pub const STATUS_ID: &str = "strata-mermaid-status";

/// One file of the site: its path inside the site folder and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    pub path: String,
    pub content: String,
}

/// Every file of the site except Mermaid's bundle: `index.html`, one `<db>.html` per database,
/// the style sheet and the page script.
pub fn files(schemas: &[Schema]) -> Vec<SiteFile> {
    let nav = nav(schemas);
    let mut out = vec![SiteFile {
        path: "index.html".into(),
        content: index(schemas, &nav),
    }];
    for s in schemas {
        out.push(SiteFile {
            path: page_path(s),
            content: page(&format!("Database {}", s.name), &nav, &super::readme(s)),
        });
    }
    out.push(SiteFile {
        path: "strata-docs.css".into(),
        content: STYLE.into(),
    });
    out.push(SiteFile {
        path: "strata-docs.js".into(),
        content: SCRIPT.into(),
    });
    out
}

/// The file of a database's page inside the site.
pub fn page_path(schema: &Schema) -> String {
    format!("{}.html", schema.name)
}

/// A whole HTML page: `markdown` rendered, with the site's style, navigation and diagram
/// script. Public so that tests can make a page from any Markdown (a broken diagram, say).
pub fn page(title: &str, nav: &str, markdown: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} · Strata docs</title>\n<link rel=\"stylesheet\" href=\"strata-docs.css\">\n</head>\n\
         <body>\n<nav>{nav}</nav>\n<main>\n{body}</main>\n\
         <div id=\"{STATUS_ID}\" data-state=\"pending\" hidden></div>\n\
         <script src=\"{MERMAID_JS}\"></script>\n<script src=\"strata-docs.js\"></script>\n</body>\n</html>\n",
        title = escape(title),
        body = to_html(markdown),
    )
}

/// Markdown → HTML as GitHub shows it: tables, headings with GitHub's anchors, and
/// ```` ```mermaid ```` blocks as `<pre class="mermaid">` for the page script to draw.
pub fn to_html(markdown: &str) -> String {
    let mut events: Vec<Event<'_>> = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .collect();
    let mut anchors = Anchors::default();
    let mut in_mermaid = false;
    for i in 0..events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { .. }) => {
                let mut text = String::new();
                for e in &events[i + 1..] {
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                }
                let anchor = anchors.next(&text);
                if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                    *id = Some(CowStr::from(anchor));
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang)))
                if lang.as_ref() == "mermaid" =>
            {
                in_mermaid = true;
                events[i] = Event::Html("<pre class=\"mermaid\">".into());
            }
            Event::Text(t) if in_mermaid => {
                let escaped = escape(t);
                events[i] = Event::Html(escaped.into());
            }
            Event::End(TagEnd::CodeBlock) if in_mermaid => {
                in_mermaid = false;
                events[i] = Event::Html("</pre>\n".into());
            }
            _ => {}
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

fn nav(schemas: &[Schema]) -> String {
    let mut links = vec!["<a href=\"index.html\">All databases</a>".to_string()];
    for s in schemas {
        links.push(format!(
            "<a href=\"{}\">{}</a>",
            escape(&page_path(s)),
            escape(&s.name)
        ));
    }
    links.join(" · ")
}

fn index(schemas: &[Schema], nav: &str) -> String {
    let mut md = String::from(
        "# Databases\n\nThe databases described under `schemas/`, each with its tables, relationships, enums and JSON types.\n\n",
    );
    let rows: Vec<Vec<String>> = schemas
        .iter()
        .map(|s| {
            let columns: usize = s.tables.iter().map(|t| t.columns.len()).sum();
            vec![
                format!("[{}]({})", markdown::code(&s.name), page_path(s)),
                s.tables.len().to_string(),
                columns.to_string(),
                s.description
                    .as_deref()
                    .map(markdown::text)
                    .unwrap_or_default(),
            ]
        })
        .collect();
    md.push_str(&markdown::table(
        &["Database", "Tables", "Columns", "Description"],
        &rows,
    ));
    page("Databases", nav, &md)
}

/// Text for HTML element content or a quoted attribute.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"/* The Strata docs site. */
body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; background: #fff; }
nav { padding: 10px 24px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0; }
nav a { color: #0969da; text-decoration: none; }
main { max-width: 1320px; margin: 0 auto; padding: 8px 24px 48px; }
h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
h2 { margin-top: 2em; }
h3, h4 { margin-top: 1.8em; }
h1 code, h2 code, h3 code, h4 code { font-size: 100%; }
a { color: #0969da; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3; padding: .1em .35em; border-radius: 4px; }
table { border-collapse: collapse; display: block; overflow-x: auto; margin: 0 0 1em; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
tr:nth-child(2n) td { background: #f9fafb; }
pre.mermaid { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 12px; overflow-x: auto; text-align: center; }
pre.mermaid svg { max-width: 100%; height: auto; }
"#;

const SCRIPT: &str = r#"// Draws the page's Mermaid diagrams and reports how that went in #strata-mermaid-status:
// data-state="done" when finished, data-diagrams, data-rendered (diagrams drawn as SVG) and
// data-errors, with Mermaid's messages as the element's text.
(async function () {
  const status = document.getElementById('strata-mermaid-status');
  const blocks = Array.from(document.querySelectorAll('pre.mermaid'));
  const errors = [];
  const message = (e) => (e && e.message ? e.message : String(e));
  if (typeof mermaid === 'undefined') {
    errors.push('mermaid.min.js did not load');
  } else {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    for (let i = 0; i < blocks.length; i++) {
      try {
        await mermaid.parse(blocks[i].textContent);
      } catch (e) {
        errors.push('diagram ' + (i + 1) + ': ' + message(e));
        blocks[i].setAttribute('data-strata-error', 'parse');
      }
    }
    try {
      await mermaid.run({ nodes: blocks, suppressErrors: true });
    } catch (e) {
      errors.push('mermaid.run: ' + message(e));
    }
  }
  const drawn = blocks.filter((b) => b.querySelector('svg') !== null && !/Syntax error/i.test(b.textContent));
  status.setAttribute('data-diagrams', String(blocks.length));
  status.setAttribute('data-rendered', String(drawn.length));
  status.setAttribute('data-errors', String(errors.length));
  status.textContent = errors.join('\n');
  status.setAttribute('data-state', 'done');
})();
"#;
