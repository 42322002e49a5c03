//! The loaded model of every seed database, pinned by a snapshot (that it does not depend on the
//! process is tests/determinism.rs's job).

use std::path::{Path, PathBuf};
use strata::load::{discover, load_location};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

#[test]
fn seed_models() {
    let root = repo_root();
    let seeds = discover(&root.join("schemas")).expect("schemas/");
    let names: Vec<&str> = seeds.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "agent_platform",
            "creator_site",
            "freddy",
            "general_bots",
            "hexabot"
        ]
    );
    for seed in &seeds {
        let schema = load_location(seed, &root).unwrap_or_else(|d| panic!("{}", d.render(false)));
        insta::assert_yaml_snapshot!(format!("model__{}", seed.name), schema);
    }
}
