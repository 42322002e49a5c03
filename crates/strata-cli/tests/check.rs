//! `cargo xtask check`, `codegen` and `migration revert` on a copy of the repository's schemas
//! and generated files (`STRATA_ROOT` points the commands at the copy): each kind of drift is
//! reported with its file, what is wrong and the command that fixes it, and a clean tree passes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("repo root")
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}

/// A fresh copy of `schemas/`, `generated/` and `strata.toml` in a temporary directory.
struct Tree(PathBuf);

impl Tree {
    fn new(name: &str) -> Tree {
        let dir = std::env::temp_dir().join(format!("strata-check-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&repo().join("schemas"), &dir.join("schemas"));
        copy_dir(&repo().join("generated"), &dir.join("generated"));
        std::fs::copy(repo().join("strata.toml"), dir.join("strata.toml")).expect("copy");
        Tree(dir)
    }

    fn path(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }

    fn run(&self, args: &[&str]) -> (i32, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_strata"))
            .args(args)
            .env("STRATA_ROOT", &self.0)
            .output()
            .expect("run xtask");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    }

    fn append(&self, p: &str, text: &str) {
        let mut s = std::fs::read_to_string(self.path(p)).expect("read");
        s.push_str(text);
        std::fs::write(self.path(p), s).expect("write");
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_clean_tree_passes_and_codegen_is_idempotent() {
    let t = Tree::new("clean");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("is current"), "{out}");
    let (code, out) = t.run(&["codegen"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("0 files written"),
        "a second codegen writes nothing:\n{out}"
    );
}

#[test]
fn check_skips_rendering_only_while_inputs_and_outputs_hash_as_recorded() {
    let t = Tree::new("fingerprint");
    let skipped = "hash as the last codegen recorded";
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(skipped),
        "the checked-in manifest's fingerprint matches: {out}"
    );
    let (code, out) = t.run(&["check", "--full"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("is current") && !out.contains(skipped),
        "{out}"
    );

    // A hand-edited output is found (the fingerprint no longer matches; the full comparison
    // names the file).
    let rs = "generated/src/freddy.rs";
    let original = std::fs::read_to_string(t.path(rs)).expect("read");
    std::fs::write(
        t.path(rs),
        original.replacen("pub struct", "pub(crate) struct", 1),
    )
    .expect("write");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("generated/src/freddy.rs: differs"), "{out}");
    std::fs::write(t.path(rs), &original).expect("write");
    let (code, out) = t.run(&["check"]);
    assert!(code == 0 && out.contains(skipped), "restored: {out}");

    // A changed input: a comment changes no output, so the full check passes; a changed
    // description changes the outputs, which are reported.
    t.append("schemas/freddy.yaml", "# a comment\n");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("is current") && !out.contains(skipped),
        "{out}"
    );
    let yaml = std::fs::read_to_string(t.path("schemas/freddy.yaml")).expect("read");
    assert!(yaml.contains("\ndescription: >-\n  Freddy"), "{yaml}");
    std::fs::write(
        t.path("schemas/freddy.yaml"),
        yaml.replacen(
            "\ndescription: >-\n  Freddy",
            "\ndescription: >-\n  Edited. Freddy",
            1,
        ),
    )
    .expect("write");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("generated/src/freddy.rs: differs"), "{out}");
    // codegen records the new fingerprint, and check skips again.
    let (code, out) = t.run(&["codegen"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = t.run(&["check"]);
    assert!(code == 0 && out.contains(skipped), "after codegen: {out}");
}

#[test]
fn a_stale_model_file_is_reported_with_a_diff() {
    let t = Tree::new("stale-rust");
    t.append("generated/src/hexabot.rs", "// edited by hand\n");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("generated/src/hexabot.rs: differs from what the schema generates"),
        "{out}"
    );
    assert!(
        out.contains("-// edited by hand"),
        "the diff shows the line: {out}"
    );
    assert!(out.contains("fix: run `cargo xtask codegen`"), "{out}");
}

#[test]
fn stale_sql_is_reported() {
    let t = Tree::new("stale-sql");
    let p = "generated/general_bots/schema.sql";
    let s = std::fs::read_to_string(t.path(p))
        .expect("read")
        .replace("CREATE TABLE bots", "CREATE TABLE bots_x");
    std::fs::write(t.path(p), s).expect("write");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("generated/general_bots/schema.sql: differs"),
        "{out}"
    );
    assert!(out.contains("+CREATE TABLE bots ("), "{out}");
}

#[test]
fn a_schema_change_without_migration_is_reported() {
    let t = Tree::new("no-migration");
    let p = "schemas/hexabot.yaml";
    let s = std::fs::read_to_string(t.path(p)).expect("read");
    let s = s.replacen(
        "\n  subscribers:\n",
        "\n  tags:\n    columns:\n      id: { type: uuid, primary_key: true }\n\n  subscribers:\n",
        1,
    );
    std::fs::write(t.path(p), s).expect("write");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("generated/hexabot/migrations/V4__create_table_tags"),
        "the next version after the backfills: {out}"
    );
    assert!(
        out.contains("a schema changed but has no migration yet"),
        "{out}"
    );
}

#[test]
fn an_edited_migration_is_reported() {
    let t = Tree::new("edited");
    t.append(
        "generated/hexabot/migrations/V1__initial.sql",
        "-- sneaky\n",
    );
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("V1__initial.sql was edited after it was recorded"),
        "{out}"
    );
    assert!(out.contains("git checkout"), "{out}");
    let (code, out) = t.run(&["codegen"]);
    assert_eq!(code, 1, "codegen refuses too and writes nothing: {out}");
    assert!(out.contains("nothing was written"), "{out}");
}

#[test]
fn a_deleted_migration_is_reported() {
    let t = Tree::new("deleted");
    std::fs::remove_file(t.path("generated/freddy/migrations/V2__add_assistant_new_feature.sql"))
        .expect("rm");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "V2__add_assistant_new_feature.sql is recorded in history.yaml but the file is missing"
        ),
        "{out}"
    );
}

#[test]
fn two_migrations_with_one_version_are_reported() {
    let t = Tree::new("duplicate");
    std::fs::write(
        t.path("generated/freddy/migrations/V2__from_another_branch.sql"),
        "SELECT 1;\n",
    )
    .expect("write");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("two migrations have version 2"), "{out}");
}

#[test]
fn reverting_the_alembic_example_is_refused_without_consent() {
    let t = Tree::new("revert");
    let (code, out) = t.run(&["migration", "revert", "--to", "1", "--schema", "freddy"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("drop column assistants.new_feature"), "{out}");
    assert!(out.contains("drop table assistant_new_feature"), "{out}");
    assert!(
        !t.path("generated/freddy/migrations/V3__revert_to_v1.sql")
            .exists(),
        "nothing written"
    );
    let (code, out) = t.run(&[
        "migration",
        "revert",
        "--to",
        "1",
        "--schema",
        "freddy",
        "--allow-destructive",
    ]);
    assert_eq!(code, 0, "{out}");
    let v3 = std::fs::read_to_string(t.path("generated/freddy/migrations/V3__revert_to_v1.sql"))
        .expect("V3 written");
    assert!(v3.contains("DROP TABLE assistant_new_feature"), "{v3}");
    assert!(
        v3.contains("ALTER TABLE assistants DROP COLUMN new_feature"),
        "{v3}"
    );
    assert!(v3.contains("-- hazards: deletes data"), "{v3}");
}

#[test]
fn a_hand_written_migration_keeps_its_place_and_is_sealed() {
    let t = Tree::new("hand");
    let (code, out) = t.run(&[
        "migration",
        "new",
        "--empty",
        "backfill task ids",
        "--schema",
        "hexabot",
    ]);
    assert_eq!(code, 0, "{out}");
    let file = "generated/hexabot/migrations/V4__backfill_task_ids.sql";
    t.append(file, "UPDATE conversations SET context = context;\n");
    let (code, out) = t.run(&["check"]);
    assert_eq!(
        code, 0,
        "an open hand-written migration may still be edited: {out}"
    );
    let (code, out) = t.run(&["migration", "seal", "--schema", "hexabot"]);
    assert_eq!(code, 0, "{out}");
    t.append(file, "-- changed after sealing\n");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("V4__backfill_task_ids.sql was edited"),
        "{out}"
    );
}

#[test]
fn plan_prints_the_sql_between_two_schema_files_and_writes_nothing() {
    let t = Tree::new("plan");
    let base =
        std::fs::read_to_string(repo().join("tests/fixtures/plans/base.yaml")).expect("base");
    std::fs::write(t.path("old.yaml"), &base).expect("write");
    std::fs::write(
        t.path("new.yaml"),
        base.replace("      score:", "      bio: text?\n      score:"),
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_strata"))
        .args(["plan", "--from", "old.yaml", "--to", "new.yaml"])
        .current_dir(&t.0)
        .env("STRATA_ROOT", &t.0)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("-- step 1: add column users.bio"), "{text}");
    assert!(
        text.contains("ALTER TABLE users ADD COLUMN bio text;"),
        "{text}"
    );
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 0, "plan wrote nothing: {out}");
}

/// Review before consent: `codegen --dry-run` and `plan` show a destructive step's SQL and what
/// consent it needs, and write nothing.
#[test]
fn a_destructive_change_can_be_read_before_consent() {
    let t = Tree::new("dry-run");
    let p = "schemas/freddy.yaml";
    let s = std::fs::read_to_string(t.path(p)).expect("read");
    let line = s
        .lines()
        .find(|l| l.trim_start().starts_with("is_deleted:"))
        .expect("freddy has a soft-delete column")
        .to_string();
    std::fs::write(t.path(p), s.replacen(&format!("{line}\n"), "", 1)).expect("write");
    let before = std::fs::read_dir(t.path("generated/freddy/migrations"))
        .expect("dir")
        .count();
    let (code, out) = t.run(&["codegen", "--dry-run"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("would create generated/freddy/migrations/V3__"),
        "{out}"
    );
    assert!(out.contains("DROP COLUMN is_deleted"), "{out}");
    assert!(
        out.contains("needs consent before codegen writes it"),
        "{out}"
    );
    assert!(out.contains("drop_column:"), "{out}");
    assert!(out.contains("nothing was written"), "{out}");
    let after = std::fs::read_dir(t.path("generated/freddy/migrations"))
        .expect("dir")
        .count();
    assert_eq!(before, after, "the dry run wrote a file");
    // Without --dry-run, codegen refuses until consent is given.
    let (code, out) = t.run(&["codegen"]);
    assert_eq!(code, 1, "{out}");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
}

/// The manifest: when a schema is removed, `check` reports the files codegen generated for it,
/// and `codegen` deletes exactly those (the manifest lists what it wrote) — its migration
/// history only with consent — and then passes `check`.
#[test]
fn removing_a_schema_deletes_what_codegen_generated_for_it() {
    let t = Tree::new("removed");
    let keep = t.path("generated/Cargo.toml");
    std::fs::write(&keep, "# not generated\n").expect("write");
    std::fs::write(t.path("generated/agent_platform/notes.txt"), "mine\n").expect("write");
    std::fs::remove_file(t.path("schemas/agent_platform.yaml")).expect("rm");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("generated/agent_platform/schema.sql: generated by no schema any more"),
        "{out}"
    );
    assert!(
        out.contains("generated/agent_platform/migrations/V1__initial.sql: the migration history of a database no longer generated"),
        "{out}"
    );
    let (code, out) = t.run(&["codegen", "--dry-run"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("would delete generated/src/agent_platform.rs"),
        "{out}"
    );
    assert!(
        t.path("generated/src/agent_platform.rs").exists(),
        "the dry run deleted it"
    );
    // Without consent, codegen deletes what it can regenerate and keeps the history.
    let (code, out) = t.run(&["codegen"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("deleted generated/agent_platform/schema.sql"),
        "{out}"
    );
    assert!(!t.path("generated/src/agent_platform.rs").exists(), "{out}");
    for f in ["schema.sql", "README.md"] {
        assert!(
            !t.path(&format!("generated/agent_platform/{f}")).exists(),
            "{f} is left: {out}"
        );
    }
    for f in [
        "history.yaml",
        "migrations/V1__initial.sql",
        "snapshots/V1.json",
    ] {
        assert!(
            t.path(&format!("generated/agent_platform/{f}")).exists(),
            "the history file {f} was deleted without consent: {out}"
        );
    }
    assert!(
        out.contains("migration history of a removed database is kept"),
        "{out}"
    );
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 1, "the kept history is still reported: {out}");
    assert!(out.contains("--allow-destructive"), "{out}");
    // With consent the history goes too.
    let (code, out) = t.run(&["codegen", "--allow-destructive"]);
    assert_eq!(code, 0, "{out}");
    for f in [
        "history.yaml",
        "migrations/V1__initial.sql",
        "snapshots/V1.json",
    ] {
        assert!(
            !t.path(&format!("generated/agent_platform/{f}")).exists(),
            "{f} is left: {out}"
        );
    }
    assert!(
        !t.path("generated/agent_platform/migrations").exists(),
        "the emptied folder is removed"
    );
    assert_eq!(
        std::fs::read_to_string(t.path("generated/agent_platform/notes.txt")).expect("kept"),
        "mine\n",
        "a file codegen did not write is never deleted"
    );
    assert_eq!(
        std::fs::read_to_string(&keep).expect("kept"),
        "# not generated\n"
    );
    let lib = std::fs::read_to_string(t.path("generated/src/lib.rs")).expect("lib.rs");
    assert!(!lib.contains("agent_platform"), "{lib}");
    let migrations =
        std::fs::read_to_string(t.path("generated/src/migrations.rs")).expect("migrations.rs");
    assert!(!migrations.contains("agent_platform"), "{migrations}");
    let manifest = std::fs::read_to_string(t.path("generated/.strata-manifest")).expect("manifest");
    assert!(!manifest.contains("agent_platform"), "{manifest}");
    assert!(manifest.contains("\nsrc/lib.rs\n"), "{manifest}");
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = t.run(&["codegen"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 files written"), "{out}");
}

/// A hand-written migration and a revert are listed in the manifest as they are written, so a
/// later `check` finds it current.
#[test]
fn files_written_outside_codegen_are_listed_in_the_manifest() {
    let t = Tree::new("manifest-new");
    let (code, out) = t.run(&["migration", "new", "--empty", "fix", "--schema", "hexabot"]);
    assert_eq!(code, 0, "{out}");
    let manifest = std::fs::read_to_string(t.path("generated/.strata-manifest")).expect("manifest");
    assert!(
        manifest.contains("\nhexabot/migrations/V4__fix.sql\n"),
        "{manifest}"
    );
    let (code, out) = t.run(&["check"]);
    assert_eq!(code, 0, "{out}");
}
