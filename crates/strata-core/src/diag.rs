//! Diagnostics: schema errors as values with a location, rendered with a source snippet.
//!
//! Every error a schema can have carries the file, line and column of the YAML node it is about,
//! a message that names the thing, and (usually) a help line that says what to do.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use std::fmt;

/// One source file that diagnostics point into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user (relative to the working directory where possible).
    pub path: String,
    /// The whole text.
    pub text: String,
}

/// The files a load read, indexed by [`Loc::file`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file and returns its index.
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> u32 {
        self.files.push(SourceFile {
            path: path.into(),
            text: text.into(),
        });
        (self.files.len() - 1) as u32
    }

    /// The file at `id`.
    pub fn get(&self, id: u32) -> Option<&SourceFile> {
        self.files.get(id as usize)
    }

    /// All files, in the order they were read.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }
}

/// A position in a schema file: 1-based line and column (in characters), and a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub file: u32,
    pub line: u32,
    pub col: u32,
    pub offset: u32,
}

/// Stable codes so that documentation and tests can name an error kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    Io,
    Syntax,
    Shape,
    DuplicateKey,
    UnknownKey,
    UnknownType,
    BadType,
    UnknownTable,
    UnknownColumn,
    UnknownMixin,
    UnknownJsonType,
    UnknownEnum,
    DuplicateName,
    NameTooLong,
    BadName,
    FkTypeMismatch,
    FkTargetNotUnique,
    FkArity,
    FkAction,
    BadDefault,
    PrimaryKey,
    EnumValues,
    Mixin,
    AutoUpdate,
    SoftDelete,
    JsonColumn,
    Index,
    Database,
    BadFragment,
    Derive,
    SchemaFile,
    /// A logged table references an unlogged one.
    Unlogged,
    /// A privilege that does not exist on its object, or a grant's function signature that
    /// is not one.
    Privilege,
    /// A policy that cannot work as written (no condition, a condition its command ignores, on
    /// a table without row-level security).
    Policy,
    /// A function or trigger that cannot work as declared (no result, a trigger on a function
    /// that is not a trigger function, a procedure with a function's key).
    Routine,
    UnknownRole,
    /// A `partition_by` that PostgreSQL cannot use (no columns, an unknown column, an
    /// expression), or `partitions` without it, or a partitioned table with an option
    /// PostgreSQL refuses on one.
    PartitionKey,
    /// A partition bound that does not fit the key: the wrong form for the strategy, the
    /// wrong number of values, a hash modulus or remainder out of range.
    PartitionBound,
    /// A primary key or unique constraint of a partitioned table that does not include every
    /// partition key column.
    PartitionUnique,
    /// Two partitions that would hold the same rows (a list value twice, a hash remainder
    /// twice, two default partitions).
    PartitionOverlap,
    /// An object key, or a reference, qualified by a PostgreSQL schema that `schemas:` does
    /// not declare (`billing.invoices` without `schemas: {billing: {}}`).
    UndeclaredPgSchema,
    /// A `schemas:` entry PostgreSQL cannot have or Strata cannot name: `public` (always
    /// there), a `pg_` prefix, `information_schema`, a `.` in the name.
    PgSchemaName,
    /// An exclusion constraint that cannot work as written: no elements, an element with
    /// both or neither of `column` and `expr`, an operator that is not one.
    Exclusion,
    /// An unqualified reference from an object of a schema other than `public` that names an
    /// object of that schema and one of `public` alike.
    AmbiguousReference,
}

impl Code {
    /// The code as printed, e.g. `E0007`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "E0001",
            Code::Syntax => "E0002",
            Code::Shape => "E0003",
            Code::DuplicateKey => "E0004",
            Code::UnknownKey => "E0005",
            Code::UnknownType => "E0006",
            Code::BadType => "E0007",
            Code::UnknownTable => "E0008",
            Code::UnknownColumn => "E0009",
            Code::UnknownMixin => "E0010",
            Code::UnknownJsonType => "E0011",
            Code::UnknownEnum => "E0012",
            Code::DuplicateName => "E0013",
            Code::NameTooLong => "E0014",
            Code::BadName => "E0015",
            Code::FkTypeMismatch => "E0016",
            Code::FkTargetNotUnique => "E0017",
            Code::FkArity => "E0018",
            Code::FkAction => "E0019",
            Code::BadDefault => "E0020",
            Code::PrimaryKey => "E0021",
            Code::EnumValues => "E0022",
            Code::Mixin => "E0023",
            Code::AutoUpdate => "E0024",
            Code::SoftDelete => "E0025",
            Code::JsonColumn => "E0026",
            Code::Index => "E0027",
            Code::Database => "E0028",
            Code::BadFragment => "E0029",
            Code::Derive => "E0030",
            Code::SchemaFile => "E0031",
            Code::Unlogged => "E0033",
            Code::Privilege => "E0034",
            Code::Policy => "E0035",
            Code::Routine => "E0036",
            Code::UnknownRole => "E0032",
            Code::PartitionKey => "E0045",
            Code::PartitionBound => "E0046",
            Code::PartitionUnique => "E0047",
            Code::PartitionOverlap => "E0048",
            Code::UndeclaredPgSchema => "E0040",
            Code::PgSchemaName => "E0041",
            Code::Exclusion => "E0052",
            Code::AmbiguousReference => "E0049",
        }
    }
}

/// A GitHub Actions `::error` workflow command for `file` (at `line`/`col` when known), with
/// the properties and message escaped as the runner requires.
pub fn github_annotation(file: &str, at: Option<(u32, u32)>, title: &str, message: &str) -> String {
    let data = |t: &str| {
        t.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let prop = |t: &str| data(t).replace(':', "%3A").replace(',', "%2C");
    let mut out = format!("::error file={}", prop(file));
    if let Some((line, col)) = at {
        out.push_str(&format!(",line={line},col={col}"));
    }
    out.push_str(&format!(",title={}::{}\n", prop(title), data(message)));
    out
}

/// One schema error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub loc: Loc,
    pub message: String,
    pub help: Option<String>,
    /// Other places that explain the error (e.g. the first declaration of a duplicate).
    pub related: Vec<(Loc, String)>,
}

impl Diagnostic {
    pub fn new(code: Code, loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            loc,
            message: message.into(),
            help: None,
            related: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn help_opt(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    pub fn related(mut self, loc: Loc, what: impl Into<String>) -> Self {
        self.related.push((loc, what.into()));
        self
    }
}

/// All errors of one load, with the sources they point into.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    pub sources: Sources,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// One line per error: `path:line:col: error[E0006]: message (help: ...)`.
    ///
    /// This is the form used where no terminal is available, e.g. in `compile_error!`.
    pub fn to_short_string(&self) -> String {
        let mut out = String::new();
        for d in &self.items {
            let path = self.path(d.loc.file);
            out.push_str(&format!(
                "{path}:{}:{}: error[{}]: {}",
                d.loc.line,
                d.loc.col,
                d.code.as_str(),
                d.message
            ));
            if let Some(h) = &d.help {
                out.push_str(&format!("\n  help: {h}"));
            }
            out.push('\n');
        }
        out
    }

    /// One GitHub Actions workflow command per error (`::error file=…,line=…,col=…::…`), so
    /// that a pull request shows each at its line.
    pub fn to_github_annotations(&self) -> String {
        let mut out = String::new();
        for d in &self.items {
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!("\nhelp: {h}"));
            }
            out.push_str(&github_annotation(
                self.path(d.loc.file),
                Some((d.loc.line, d.loc.col)),
                d.code.as_str(),
                &message,
            ));
        }
        out
    }

    fn path(&self, file: u32) -> &str {
        self.sources
            .get(file)
            .map_or("<unknown>", |f| f.path.as_str())
    }

    /// Renders every error with the YAML line and a caret under the column.
    pub fn render(&self, color: bool) -> String {
        let mut files = SimpleFiles::new();
        for f in self.sources.files() {
            files.add(f.path.clone(), f.text.clone());
        }
        let config = term::Config::default();
        let mut out = String::new();
        for d in &self.items {
            let cs = self.to_codespan(d);
            let rendered = if color {
                let mut buf = term::termcolor::Buffer::ansi();
                term::emit_to_write_style(&mut buf, &config, &files, &cs)
                    .ok()
                    .map(|()| String::from_utf8_lossy(buf.as_slice()).into_owned())
            } else {
                term::emit_into_string(&config, &files, &cs).ok()
            };
            match rendered {
                Some(s) => out.push_str(&s),
                None => out.push_str(&self.to_short_string()),
            }
        }
        out.push_str(&format!(
            "{} error{} found\n",
            self.items.len(),
            if self.items.len() == 1 { "" } else { "s" }
        ));
        out
    }

    fn to_codespan(&self, d: &Diagnostic) -> CsDiagnostic<usize> {
        let mut labels = vec![self.label(d.loc, true)];
        for (loc, what) in &d.related {
            labels.push(self.label(*loc, false).with_message(what.clone()));
        }
        let mut notes = Vec::new();
        if let Some(h) = &d.help {
            notes.push(format!("help: {h}"));
        }
        CsDiagnostic::error()
            .with_code(d.code.as_str())
            .with_message(d.message.clone())
            .with_labels(labels)
            .with_notes(notes)
    }

    fn label(&self, loc: Loc, primary: bool) -> Label<usize> {
        let text = self.sources.get(loc.file).map_or("", |f| f.text.as_str());
        let start = (loc.offset as usize).min(text.len());
        // Underline the token that starts at the location (up to the next delimiter).
        let len = text[start..]
            .char_indices()
            .find(|&(_, c)| matches!(c, '\n' | ':' | ',' | '}' | ']' | '#'))
            .map_or(text.len() - start, |(i, _)| i)
            .max(1);
        let end = (start + len).min(text.len());
        let range = start..end.max(start);
        if primary {
            Label::primary(loc.file as usize, range)
        } else {
            Label::secondary(loc.file as usize, range)
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

/// The closest known name to `name`, if it is close enough to suggest.
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let score = strsim::jaro_winkler(&lower, &k.to_ascii_lowercase());
        if score > 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| format!("did you mean `{k}`?"))
}
