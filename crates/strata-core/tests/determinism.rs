//! Output does not depend on the process that renders it. The test renders every output of
//! every seed database and of the hostile fixture (the loaded model, the DDL, the plan from an
//! empty database, the Rust module, the docs page, the YAML writer's file, the models crate's
//! `lib.rs`), then runs this test binary again as a child process that renders the same into a
//! file, with one rayon thread instead of several, and requires the same bytes. Two processes
//! have different hash seeds, thread interleavings and allocation addresses, so anything that
//! leaks them into the output (a `HashMap` iterated, a parallel join out of order) fails here;
//! rendering twice in one process would not catch a seed fixed for the process.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Set in the child: the file it writes its rendering to.
const CHILD_ENV: &str = "STRATA_DETERMINISM_CHILD";
const TEST_NAME: &str = "two_processes_render_the_same_bytes";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn render_all() -> String {
    let root = repo_root();
    let mut locations = strata::load::discover(&root.join("schemas")).expect("schemas/");
    assert!(locations.len() >= 5, "the five seed databases");
    locations.push(strata::load::SchemaLocation {
        name: "hostile".into(),
        path: root.join("tests/fixtures/hostile/hostile.yaml"),
    });
    let mut out = String::new();
    let mut seeds = Vec::new();
    for location in &locations {
        let schema = strata::load::load_location(location, &root)
            .unwrap_or_else(|d| panic!("{}", d.render(false)));
        let name = &location.name;
        let model = serde_json::to_string_pretty(&schema).expect("the model serializes");
        let plan = match strata::plan::plan(
            &strata::history::empty_schema(name),
            &schema,
            &strata::plan::PlanOptions::default(),
        ) {
            Ok(plan) => strata::render::plan::psql_script(&plan, "5s"),
            Err(e) => format!("no plan: {e}"),
        };
        let parts = [
            ("model", model),
            ("sql", strata::render::sql::schema_sql(&schema)),
            ("plan", plan),
            ("rust", strata::render::rust::render_module(&schema)),
            ("docs", strata::render::docs::readme(&schema)),
            ("yaml", strata::render::yaml::schema_yaml(&schema)),
        ];
        for (what, text) in parts {
            let _ = writeln!(out, "===== {name}: {what}\n{text}");
        }
        if name != "hostile" {
            seeds.push(schema);
        }
    }
    let _ = writeln!(
        out,
        "===== lib.rs\n{}",
        strata::render::rust::render_lib(&seeds)
    );
    out
}

/// The first line where `a` and `b` differ, with its neighbours, for the failure message.
fn first_difference(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let i = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let section = a[..i.min(a.len())]
        .iter()
        .rev()
        .find(|l| l.starts_with("===== "))
        .copied()
        .unwrap_or("(start)");
    format!(
        "in {section}, line {}:\n  this process: {:?}\n  child:        {:?}",
        i + 1,
        a.get(i),
        b.get(i)
    )
}

#[test]
fn two_processes_render_the_same_bytes() {
    if let Some(file) = std::env::var_os(CHILD_ENV) {
        std::fs::write(file, render_all()).expect("the child writes its rendering");
        return;
    }
    let here = render_all();
    let file = std::env::temp_dir().join(format!("strata-determinism-{}.txt", std::process::id()));
    let output = Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", TEST_NAME, "--test-threads=1"])
        .env(CHILD_ENV, &file)
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .expect("run the test binary again");
    assert!(
        output.status.success(),
        "the child process failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let there = std::fs::read_to_string(&file).expect("the child wrote its rendering");
    let _ = std::fs::remove_file(&file);
    assert!(
        here.len() > 100_000,
        "the rendering covers every output ({} bytes)",
        here.len()
    );
    assert!(
        here == there,
        "two processes rendered different bytes; {}",
        first_difference(&here, &there)
    );
}
