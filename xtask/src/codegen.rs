//! `cargo xtask codegen`: validate every schema and write what is generated from it.

use crate::output::{self, Output, Status};
use crate::workspace;
use std::path::PathBuf;
use std::process::ExitCode;
use strata::Schema;

#[derive(clap::Args)]
pub struct Args {}

/// Everything generated from the schemas, rendered in memory.
pub fn outputs(schemas: &[Schema]) -> Vec<Output> {
    let mut out = Vec::new();
    for s in schemas {
        out.push(Output {
            path: PathBuf::from(format!("generated/{}/schema.sql", s.name)),
            content: strata::render::sql::schema_sql(s),
        });
        out.push(Output {
            path: PathBuf::from(format!("generated/src/{}.rs", s.name)),
            content: strata::render::rust::render_module(s),
        });
    }
    out
}

pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    let root = workspace::root();
    let Some(schemas) = workspace::load_all(&root)? else {
        return Ok(ExitCode::FAILURE);
    };
    for s in &schemas {
        let columns: usize = s.tables.iter().map(|t| t.columns.len()).sum();
        let indexes: usize = s.tables.iter().map(|t| t.indexes.len()).sum();
        let fks: usize = s.tables.iter().map(|t| t.foreign_keys.len()).sum();
        println!(
            "{}: {} tables, {} columns, {} foreign keys, {} indexes, {} enums, {} JSON types",
            s.name,
            s.tables.len(),
            columns,
            fks,
            indexes,
            s.enums.len(),
            s.json_types.len()
        );
    }
    let outputs = outputs(&schemas);
    let report = output::write_all(&root, &outputs)?;
    let written: Vec<_> = report.iter().filter(|(_, s)| *s == Status::Written).collect();
    for (p, _) in &written {
        println!("wrote {}", p.display());
    }
    println!("{} files written, {} unchanged", written.len(), report.len() - written.len());
    Ok(ExitCode::SUCCESS)
}
