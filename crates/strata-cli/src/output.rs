//! Printing what the pipeline did ([`strata::pipeline::write`]): the files written, the files
//! deleted, and the problems that stopped it.

use std::path::PathBuf;
use strata::pipeline::{self, Report, Status};

/// `error: …` for each problem, on stderr.
pub fn print_problems(problems: &[pipeline::Error]) {
    for p in problems {
        eprintln!("error: {p}");
    }
}

/// `wrote <path>` for each file that was written.
pub fn print_written(files: &[(PathBuf, Status)]) {
    for (p, s) in files {
        if *s == Status::Written {
            println!("wrote {}", p.display());
        }
    }
}

/// A codegen run: each file written and deleted, then the counts.
pub fn print_report(report: &Report) {
    print_written(&report.files);
    for p in &report.deleted {
        println!("deleted {}", p.display());
    }
    for p in &report.kept_history {
        println!(
            "kept    {} (migration history of a database no longer generated)",
            p.display()
        );
    }
    if !report.kept_history.is_empty() {
        println!(
            "the migration history of a removed database is kept: it records what was applied to real databases. \
             Delete it with `cargo xtask codegen --allow-destructive` (or by hand) once no database needs it"
        );
    }
    let written = report.written().count();
    let deleted = if report.deleted.is_empty() {
        String::new()
    } else {
        format!(", {} deleted", report.deleted.len())
    };
    println!(
        "{written} files written, {} unchanged{deleted}",
        report.files.len() - written
    );
}
