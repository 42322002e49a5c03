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
