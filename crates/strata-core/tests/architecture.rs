//! The import rules of docs/architecture.md, checked on the source: every `crate::…`, `super::…`
//! and `self::…` path in the library's non-test code (`use` lines and paths written inline) is
//! resolved to the module it names, and each rule lists the modules an area may not import.
//! Where a rule is broken today the break is listed as a known exception (file and module), and
//! an exception that no longer happens fails the test too, so the list only shrinks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// An area: a top-level module of the core, or `render::<renderer>`.
type Area = String;

struct Rule {
    /// Files whose module path starts with this (`render`, `model`, `load`, …).
    area: &'static str,
    /// Areas (as [`area_of`] spells them) the files may not import.
    forbidden: &'static [&'static str],
    /// Files (relative to `src/`) with the forbidden area they import today.
    exceptions: &'static [(&'static str, &'static str)],
    why: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        area: "model",
        forbidden: &[
            "load",
            "validate",
            "render",
            "plan",
            "compare",
            "pipeline",
            "project",
            "history",
            "synthetic",
            "schema_language",
        ],
        exceptions: &[],
        why: "the model is what every stage shares; it knows no stage",
    },
    Rule {
        area: "fragment",
        forbidden: &[
            "load", "validate", "render", "plan", "compare", "pipeline", "project", "history",
        ],
        exceptions: &[],
        why: "the SQL fragment parser serves the loader, the planner and the renderers alike",
    },
    Rule {
        area: "render",
        forbidden: &["compare", "pipeline", "project"],
        exceptions: &[
            ("render/yaml/indexes.rs", "compare"),
            ("render/yaml/tables.rs", "compare"),
        ],
        why: "renderers turn a model into text; comparing models and driving a project are not theirs",
    },
    Rule {
        area: "render",
        forbidden: &["plan"],
        exceptions: &[("render/plan.rs", "plan")],
        why: "only render::plan renders a plan",
    },
    Rule {
        area: "load",
        forbidden: &["render", "plan", "compare", "pipeline"],
        exceptions: &[
            ("load/lower.rs", "render"),
            ("load/lower/tables.rs", "render"),
            ("load/lower/routines.rs", "render"),
        ],
        why: "the loader reads YAML into the model; it does not render",
    },
    Rule {
        area: "validate",
        forbidden: &["load", "render", "plan", "compare", "pipeline", "project"],
        exceptions: &[],
        why: "validation reads only the model",
    },
    Rule {
        area: "plan",
        forbidden: &[
            "load",
            "compare",
            "pipeline",
            "project",
            "render::rust",
            "render::docs",
            "render::yaml",
            "render::plan",
        ],
        exceptions: &[],
        why: "the planner compares two models and prints SQL only through render::sql",
    },
    Rule {
        area: "compare",
        forbidden: &[
            "plan",
            "pipeline",
            "project",
            "render::rust",
            "render::docs",
            "render::yaml",
            "render::plan",
        ],
        exceptions: &[],
        why: "drift compares two models; SQL text only through render::sql",
    },
    Rule {
        area: "",
        forbidden: &["pipeline"],
        exceptions: &[("error.rs", "pipeline")],
        why: "the pipeline is the top of the core: nothing below it calls it",
    },
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// `render/sql/quote.rs` → `["render", "sql", "quote"]`; `mod.rs` and `lib.rs` name their folder.
fn module_path(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// `render` and its renderers are areas of their own; any other module is its first segment.
fn area_of(path: &[String]) -> Option<Area> {
    match path {
        [] => None,
        [first, second, ..] if first == "render" => Some(format!("render::{second}")),
        [first, ..] => Some(first.clone()),
    }
}

/// The file without its `#[cfg(test)] mod …` blocks (they come last) and comments.
fn library_code(text: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]")
            && lines[i + 1..]
                .iter()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim_start().starts_with("mod "))
        {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every module path the code names: `crate::a::b`, `super::x`, `self::y`, and each branch of
/// a `use crate::{a::b, c}` group (one level of braces is enough for the first two segments).
fn named_paths(code: &str, here: &[String]) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != ':';
        if !starts_word || !bytes[i].is_ascii_lowercase() {
            i += 1;
            continue;
        }
        let rest: String = bytes[i..bytes.len().min(i + 300)].iter().collect();
        let (base, after) = if let Some(r) = rest.strip_prefix("crate::") {
            (Vec::new(), r)
        } else if rest.starts_with("super::") || rest.starts_with("self::") {
            let mut base: Vec<String> = here.to_vec();
            let mut r = rest.as_str();
            if let Some(x) = r.strip_prefix("self::") {
                r = x;
            }
            while let Some(x) = r.strip_prefix("super::") {
                base.pop();
                r = x;
            }
            (base, r)
        } else {
            i += 1;
            continue;
        };
        for branch in branches(after) {
            let mut path = base.clone();
            path.extend(branch);
            out.insert(path);
        }
        i += rest.len() - after.len();
    }
    out
}

/// The first two segments of each path in `a::b::c`, `{a::b, c}` or `a::{b, c}`.
fn branches(text: &str) -> Vec<Vec<String>> {
    let segment = |s: &str| -> String { s.chars().take_while(|c| is_ident(*c)).collect() };
    if let Some(group) = text.strip_prefix('{') {
        let end = group.find('}').unwrap_or(group.len());
        return group[..end]
            .split(',')
            .map(|b| b.trim())
            .filter(|b| !b.is_empty())
            .map(|b| {
                let mut parts = b.split("::").map(segment).take(2);
                let first = parts.next().unwrap_or_default();
                let second = parts.next().filter(|s| !s.is_empty());
                std::iter::once(first).chain(second).collect()
            })
            .collect();
    }
    let first = segment(text);
    if first.is_empty() {
        return Vec::new();
    }
    let rest = &text[first.len()..];
    match rest.strip_prefix("::") {
        Some(r) if r.starts_with('{') => branches(r)
            .into_iter()
            .map(|b| vec![first.clone(), b[0].clone()])
            .collect(),
        Some(r) if !segment(r).is_empty() => vec![vec![first, segment(r)]],
        _ => vec![vec![first]],
    }
}

/// Each file (relative to `src/`) with the areas it imports other than its own.
fn imports() -> BTreeMap<String, BTreeSet<Area>> {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut out = BTreeMap::new();
    for file in files {
        let rel = file
            .strip_prefix(&root)
            .expect("under src/")
            .to_string_lossy()
            .replace('\\', "/");
        let here = module_path(&rel);
        let own = area_of(&here);
        let text = std::fs::read_to_string(&file).expect("a source file");
        let areas: BTreeSet<Area> = named_paths(&library_code(&text), &here)
            .iter()
            .filter_map(|p| area_of(p))
            .filter(|a| Some(a) != own.as_ref())
            .collect();
        out.insert(rel, areas);
    }
    out
}

fn forbids(forbidden: &str, area: &str) -> bool {
    area == forbidden || area.starts_with(&format!("{forbidden}::"))
}

#[test]
fn modules_import_only_what_docs_architecture_allows() {
    let imports = imports();
    assert!(
        imports.len() > 100 && imports.contains_key("render/sql/quote.rs"),
        "the test reads the whole library ({} files)",
        imports.len()
    );
    let mut broken = Vec::new();
    for rule in RULES {
        let mut seen = BTreeSet::new();
        for (file, areas) in &imports {
            let in_area = rule.area.is_empty()
                || module_path(file)
                    .first()
                    .is_some_and(|first| first == rule.area);
            if !in_area {
                continue;
            }
            for area in areas {
                for forbidden in rule.forbidden {
                    if !forbids(forbidden, area) {
                        continue;
                    }
                    if rule.exceptions.contains(&(file.as_str(), *forbidden)) {
                        seen.insert((file.clone(), forbidden.to_string()));
                    } else {
                        broken.push(format!(
                            "{file} imports {area}, which `{}` may not: {}",
                            if rule.area.is_empty() {
                                "the core"
                            } else {
                                rule.area
                            },
                            rule.why
                        ));
                    }
                }
            }
        }
        for (file, forbidden) in rule.exceptions {
            if !seen.contains(&(file.to_string(), forbidden.to_string())) {
                broken.push(format!(
                    "{file} no longer imports {forbidden}: remove the known exception from this test and from docs/architecture.md"
                ));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// The core has no database client: no tokio-postgres (or any async runtime) in its manifest or
/// its code. Talking to PostgreSQL is strata-pg's.
#[test]
fn the_core_never_talks_to_a_database() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("Cargo.toml");
    for dep in ["tokio-postgres", "postgres", "tokio", "sqlx"] {
        assert!(
            !manifest
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{dep}."))
                    || l.trim_start().starts_with(&format!("{dep} "))),
            "strata-core depends on {dep}"
        );
    }
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for file in files {
        let code = library_code(&std::fs::read_to_string(&file).expect("a source file"));
        for name in ["tokio_postgres::", "tokio::", "postgres_types::"] {
            // A path the generated code names (`::strata_pg::tokio_postgres::Client`,
            // `#p::tokio_postgres::Row` inside `quote!`) is text for the user's crate, not an
            // import of the core: only a path that starts at the name counts.
            let imported = code.match_indices(name).any(|(i, _)| {
                !code[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c == ':' || is_ident(c))
            });
            assert!(!imported, "{} imports {name}", file.display());
        }
    }
}

/// The path resolution the rules rely on.
#[test]
fn paths_resolve_to_modules() {
    let here = module_path("render/yaml.rs");
    assert_eq!(here, ["render", "yaml"]);
    let paths = named_paths(
        "use crate::compare::{automatic_fk_indexes, expr};\nuse super::sql::ident;\nuse crate::{model::Schema, diag};\nlet x = crate::load::type_ident(a);\n",
        &here,
    );
    let areas: BTreeSet<Area> = paths.iter().filter_map(|p| area_of(p)).collect();
    assert_eq!(
        areas.into_iter().collect::<Vec<_>>(),
        ["compare", "diag", "load", "model", "render::sql"]
    );
    assert_eq!(module_path("render/sql/mod.rs"), ["render", "sql"]);
    assert!(
        library_code("use crate::a;\n#[cfg(test)]\nmod tests {\n use crate::b;\n}\n")
            .contains("crate::a")
    );
    assert!(
        !library_code("use crate::a;\n#[cfg(test)]\nmod tests {\n use crate::b;\n}\n")
            .contains("crate::b")
    );
}
