//! `cargo xtask docs`: the database docs as a static HTML site under `target/strata-docs/`
//! (not checked in): one page per database, rendered from the same Markdown as
//! `generated/<db>/README.md`, an index, and Mermaid (pinned, from the npm registry) beside the
//! pages so they draw their diagrams without network.

pub mod site;

use crate::workspace;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args, Clone)]
pub struct Args {
    /// Folder to write the site into (default: `target/strata-docs`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let root = workspace::root();
    println!(
        "loading the schemas under {}…",
        root.join(workspace::schemas_rel(&root)).display()
    );
    let Some(schemas) = workspace::load_all(&root)? else {
        return Ok(ExitCode::FAILURE);
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join("target/strata-docs"));
    let npm = root.join("target/strata-docs-npm");
    println!("rendering {} databases…", schemas.len());
    site::build(&schemas, &out, &npm, &mut |m| println!("{m}"))?;
    println!(
        "done in {:.1}s: open {} (Mermaid {})",
        started.elapsed().as_secs_f64(),
        out.join("index.html").display(),
        site::MERMAID_VERSION
    );
    Ok(ExitCode::SUCCESS)
}
