//! The project file, `strata.toml`: where a team keeps its schemas and generated files, and
//! what the generated crate is called. Every key has a default, so a project needs no file.
//!
//! ```toml
//! # strata.toml
//! schemas = "schemas"            # the folder of schema files (`<db>.yaml` or `<db>/*.yaml`)
//! output = "generated"           # where codegen writes (the generated crate's folder)
//! crate_name = "strata-models"   # the generated crate's package name
//! databases = ["shop"]           # which databases under `schemas` (all when left out)
//! derives = ["Eq", "Hash"]       # derives added to every database's generated structs
//! features = ["postgres"]        # features the generated crate turns on by default
//! ```
//!
//! ```
//! let p = strata::project::Project::parse("strata.toml", "schemas = \"db\"\n").unwrap();
//! assert_eq!(p.schemas, std::path::PathBuf::from("db"));
//! assert_eq!(p.output, std::path::PathBuf::from("generated"));
//! ```

use crate::diag::{Code, Diagnostic, Diagnostics, Loc, Sources};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The project file's name.
pub const FILE_NAME: &str = "strata.toml";

/// A project's settings, as read from `strata.toml` (or the defaults).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Project {
    /// The folder of schema files, relative to the project root.
    pub schemas: PathBuf,
    /// Where codegen writes: the generated crate's folder, relative to the project root.
    pub output: PathBuf,
    /// The generated crate's package name.
    pub crate_name: String,
    /// The databases to generate, by name; every database under `schemas` when empty.
    pub databases: Vec<String>,
    /// Derives added to every database's generated structs (after the schema's own).
    pub derives: Vec<String>,
    /// Features the generated crate turns on by default (`postgres`, `migrate`).
    pub features: Vec<String>,
}

impl Default for Project {
    fn default() -> Project {
        Project {
            schemas: PathBuf::from("schemas"),
            output: PathBuf::from("generated"),
            crate_name: "strata-models".into(),
            databases: Vec::new(),
            derives: Vec::new(),
            features: vec!["postgres".into()],
        }
    }
}

impl Project {
    /// Reads `root/strata.toml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Project, Diagnostics> {
        let path = root.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Project::parse(FILE_NAME, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Project::default()),
            Err(e) => Err(single(
                FILE_NAME,
                "",
                Code::Io,
                0,
                format!("cannot read {FILE_NAME}: {e}"),
                "check that the file is readable".into(),
            )),
        }
    }

    /// Parses the text of a project file; `path` is how errors name it.
    pub fn parse(path: &str, text: &str) -> Result<Project, Diagnostics> {
        let project: Project = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            single(
                path,
                text,
                Code::Shape,
                offset,
                e.message().trim().to_string(),
                "the keys are schemas, output, crate_name, databases, derives and features (see docs/getting-started.md)".into(),
            )
        })?;
        let mut problems = Vec::new();
        for (key, p) in [("schemas", &project.schemas), ("output", &project.output)] {
            if p.is_absolute()
                || p.components()
                    .any(|c| matches!(c, std::path::Component::ParentDir))
                || p.as_os_str().is_empty()
            {
                problems.push((
                    key,
                    format!(
                        "`{key}` must be a folder inside the project, e.g. `{}`",
                        Project::default_of(key)
                    ),
                ));
            }
        }
        if project.crate_name.is_empty()
            || !project
                .crate_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            problems.push((
                "crate_name",
                "`crate_name` must be a Cargo package name (letters, digits, `-`, `_`)".into(),
            ));
        }
        if let Some((key, message)) = problems.into_iter().next() {
            let offset = key_offset(text, key);
            return Err(single(
                path,
                text,
                Code::Shape,
                offset,
                message,
                "fix the value in strata.toml".into(),
            ));
        }
        Ok(project)
    }

    fn default_of(key: &str) -> String {
        let d = Project::default();
        match key {
            "schemas" => d.schemas.display().to_string(),
            _ => d.output.display().to_string(),
        }
    }

    /// Whether database `name` is one this project generates.
    pub fn includes(&self, name: &str) -> bool {
        self.databases.is_empty() || self.databases.iter().any(|d| d == name)
    }
}

/// Where `key = …` starts in `text`, or 0.
fn key_offset(text: &str, key: &str) -> usize {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with(key) {
            return at + (line.len() - line.trim_start().len());
        }
        at += line.len();
    }
    0
}

fn single(
    path: &str,
    text: &str,
    code: Code,
    offset: usize,
    message: String,
    help: String,
) -> Diagnostics {
    let mut sources = Sources::default();
    let file = sources.add(path, text);
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Diagnostics {
        sources,
        items: vec![
            Diagnostic::new(
                code,
                Loc {
                    file,
                    line,
                    col,
                    offset: offset as u32,
                },
                message,
            )
            .help(help),
        ],
    }
}

/// Where codegen writes the JSON Schema of `strata.toml` (for editors with a TOML language
/// server such as Taplo: `#:schema ./generated/strata-toml.json`), relative to the root.
pub const JSON_SCHEMA_PATH: &str = "generated/strata-toml.json";

/// The JSON Schema (draft-07) of `strata.toml`, from the same type the loader reads; the same
/// bytes on every run.
pub fn json_schema() -> String {
    let mut value = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Project>()
        .to_value();
    if let Some(root) = value.as_object_mut() {
        root.insert(
            "$comment".into(),
            "@generated by `cargo xtask codegen` from crates/strata-core/src/project.rs. Do not edit by hand.".into(),
        );
        root.insert("title".into(), "Strata project file (strata.toml)".into());
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The project root for a command run in `start`: the nearest folder at or above it holding a
/// `strata.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(FILE_NAME).is_file())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_schema_names_every_key() {
        let v: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
        for key in [
            "schemas",
            "output",
            "crate_name",
            "databases",
            "derives",
            "features",
        ] {
            assert!(v["properties"].get(key).is_some(), "{key}");
        }
        assert_eq!(v["additionalProperties"], false);
    }

    #[test]
    fn defaults_need_no_file() {
        let p = Project::parse("strata.toml", "").unwrap();
        assert_eq!(p, Project::default());
        assert!(p.includes("anything"));
    }

    #[test]
    fn errors_are_located() {
        let e = Project::parse("strata.toml", "schemas = \"s\"\nouptut = \"x\"\n").unwrap_err();
        let r = e.render(false);
        assert!(r.contains("strata.toml:2:1"), "{r}");
        assert!(r.contains("unknown field `ouptut`"), "{r}");
        let e = Project::parse("strata.toml", "output = \"../elsewhere\"\n").unwrap_err();
        assert!(
            e.render(false).contains("strata.toml:1:1"),
            "{}",
            e.render(false)
        );
        let e = Project::parse("strata.toml", "crate_name = 3\n").unwrap_err();
        assert!(
            e.render(false).contains("strata.toml:1:14"),
            "{}",
            e.render(false)
        );
    }
}
