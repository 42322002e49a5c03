//! The DDL renderer on small schemas: statement order (foreign keys, cycles, self-references,
//! keys unique only through an index), every clause the model can express, and the printer.

use strata::render::sql::{self, FkPlacement, Statement, StatementKind};

fn load(yaml: &str) -> strata::Schema {
    strata::load::load_sources(
        "db",
        false,
        vec![strata::load::SourceText {
            path: "schemas/db.yaml".into(),
            text: yaml.into(),
        }],
    )
    .unwrap_or_else(|d| panic!("does not load:\n{}", d.render(false)))
}

fn table_order(schema: &strata::Schema) -> Vec<&str> {
    sql::table_order(schema)
        .tables
        .iter()
        .map(|&t| schema.tables[t].name.as_str())
        .collect()
}

fn statements_of(statements: &[Statement], kind: StatementKind) -> Vec<&str> {
    statements
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.sql.as_str())
        .collect()
}

#[test]
fn tables_follow_their_targets_else_declaration_order() {
    let s = load(
        "tables:
  c: { columns: { id: { type: integer, primary_key: true }, b_id: { type: integer, references: b } } }
  b: { columns: { id: { type: integer, primary_key: true }, a_id: { type: integer, references: a } } }
  z: { columns: { id: { type: integer, primary_key: true } } }
  a: { columns: { id: { type: integer, primary_key: true } } }
",
    );
    assert_eq!(table_order(&s), ["z", "a", "b", "c"]);
    let order = sql::table_order(&s);
    assert!(
        order
            .placements
            .iter()
            .flatten()
            .all(|p| *p == FkPlacement::Inline)
    );
    let statements = sql::schema_statements(&s);
    assert!(statements_of(&statements, StatementKind::AddForeignKey).is_empty());
    assert!(
        statements_of(&statements, StatementKind::CreateTable)[3]
            .contains("CONSTRAINT c_b_id_fkey FOREIGN KEY (b_id) REFERENCES b (id)")
    );
}

#[test]
fn cycles_and_self_references_are_closed_after_the_tables() {
    // `waits` is declared first and references the cycle, but is not in it: it must wait, and
    // its foreign key stays inline. Only the cycle's first table is created early.
    let s = load(
        "tables:
  waits: { columns: { id: { type: integer, primary_key: true }, a_id: { type: integer, references: a } } }
  a: { columns: { id: { type: integer, primary_key: true }, b_id: { type: integer, nullable: true, references: b } } }
  b: { columns: { id: { type: integer, primary_key: true }, a_id: { type: integer, references: a } } }
  tree: { columns: { id: { type: integer, primary_key: true }, parent: { type: integer, nullable: true, references: tree } } }
",
    );
    assert_eq!(table_order(&s), ["tree", "a", "waits", "b"]);
    let order = sql::table_order(&s);
    assert_eq!(order.placements[0], [FkPlacement::Inline]);
    assert_eq!(order.placements[1], [FkPlacement::AfterTables]);
    assert_eq!(order.placements[2], [FkPlacement::Inline]);
    assert_eq!(order.placements[3], [FkPlacement::AfterTables]);
    let statements = sql::schema_statements(&s);
    assert_eq!(
        statements_of(&statements, StatementKind::AddForeignKey),
        [
            "ALTER TABLE a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES b (id)",
            "ALTER TABLE tree ADD CONSTRAINT tree_parent_fkey FOREIGN KEY (parent) REFERENCES tree (id)",
        ]
    );
}

#[test]
fn a_key_unique_only_through_an_index_is_referenced_after_the_indexes() {
    let s = load(
        "tables:
  child: { columns: { id: { type: integer, primary_key: true }, code: { type: text, references: parent.code, on_update: cascade } } }
  parent:
    columns: { id: { type: integer, primary_key: true }, code: text }
    indexes: [ { columns: [code], unique: true } ]
",
    );
    // No ordering constraint comes from that key: child keeps its declared place.
    assert_eq!(table_order(&s), ["child", "parent"]);
    assert_eq!(
        sql::table_order(&s).placements[0],
        [FkPlacement::AfterIndexes]
    );
    let kinds: Vec<StatementKind> = sql::schema_statements(&s).iter().map(|s| s.kind).collect();
    use StatementKind::*;
    assert_eq!(
        kinds,
        [
            CreateTable,
            CreateTable,
            CreateIndex,
            CreateIndex,
            AddForeignKey
        ]
    );
}

#[test]
fn every_clause() {
    let s = load(
        r#"extensions: [pgcrypto, uuid-ossp]
enums:
  mood: { description: How it feels., values: [happy, { name: sad, description: Not happy. }] }
tables:
  items:
    description: Items.
    single_row: false
    columns:
      id: { type: bigint, primary_key: true, identity: always }
      seq: { type: integer, identity: by_default }
      mood: { type: mood, default: happy }
      moods: { type: "mood[]", default: [happy, sad] }
      email: { type: text, nullable: true }
      org: { type: integer, nullable: true }
      price: { type: "numeric(10,2)", default: 0.5 }
      updated: { type: timestamptz, default_sql: now(), auto_update: true }
    unique:
      - { columns: [email, org], nulls_not_distinct: true }
    checks:
      - { expr: "price >= 0", name: price_positive }
    indexes:
      - { columns: [{ expr: "lower(email)" }], unique: true, where: "email IS NOT NULL", description: Case-insensitive e-mail. }
      - { columns: [org, updated], using: brin }
      - { columns: [{ expr: "(email || 'x')", order: desc }] }
  solo:
    single_row: true
    columns: { id: { type: boolean, primary_key: true, default: true } }
"#,
    );
    let statements = sql::schema_statements(&s);
    let text = sql::print(&statements);
    for expected in [
        "CREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";\n",
        "CREATE TYPE mood AS ENUM ('happy', 'sad');",
        "    id bigint GENERATED ALWAYS AS IDENTITY NOT NULL,\n",
        "    seq integer GENERATED BY DEFAULT AS IDENTITY NOT NULL,\n",
        "    mood mood NOT NULL DEFAULT 'happy'::mood,\n",
        "    moods mood[] NOT NULL DEFAULT '{\"happy\",\"sad\"}'::mood[],\n",
        "    email text,\n",
        "    price numeric(10,2) NOT NULL DEFAULT 0.5,\n",
        "    CONSTRAINT items_pkey PRIMARY KEY (id),\n",
        "    CONSTRAINT items_email_org_key UNIQUE NULLS NOT DISTINCT (email, org),\n",
        "    CONSTRAINT price_positive CHECK (price >= 0)\n);",
        "CREATE UNIQUE INDEX items_lower_email_key ON items USING btree (lower(email)) WHERE email IS NOT NULL;\n",
        "CREATE INDEX items_org_updated_idx ON items USING brin (org, updated);\n",
        "CREATE INDEX items_email_x_idx ON items USING btree ((email || 'x') DESC);\n",
        "ALTER TABLE solo ADD CONSTRAINT solo_single_row EXCLUDE USING btree ((true) WITH =);\n",
        "CREATE TRIGGER strata_touch_columns BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION strata_touch_columns('updated');\n",
        "COMMENT ON TYPE mood IS E'How it feels.\\n\\nsad: Not happy.';\n",
        "COMMENT ON INDEX items_lower_email_key IS 'Case-insensitive e-mail.';\n",
        "COMMENT ON CONSTRAINT solo_single_row ON solo IS 'Strata: the table holds at most one row (single_row).';\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The kinds come in the documented order.
    let kinds: Vec<StatementKind> = statements.iter().map(|s| s.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
    // Each statement is its builder's output.
    let items = s.table("items").expect("items");
    assert!(statements.contains(&sql::create_index(items, &items.indexes[0])));
    assert!(statements.contains(&sql::create_touch_trigger(items).expect("a trigger")));
    assert!(statements.contains(&sql::create_enum(&s.enums[0])));
    assert!(statements.contains(&sql::create_touch_function()));
}

#[test]
fn nothing_is_created_that_the_schema_does_not_ask_for() {
    let s = load("tables:\n  t: { columns: { id: { type: integer, primary_key: true } } }\n");
    let text = sql::schema_sql(&s);
    assert_eq!(
        text,
        "-- @generated by `cargo xtask codegen` from schemas/db.yaml. Do not edit by hand.\n\n\
         SET search_path = public;\n\n\
         CREATE TABLE t (\n    id integer NOT NULL,\n    CONSTRAINT t_pkey PRIMARY KEY (id)\n);\n"
    );
}

#[test]
fn printing() {
    let statements = [
        Statement::new(StatementKind::CreateIndex, "CREATE INDEX a ON t (x)"),
        Statement::new(StatementKind::CreateIndex, "CREATE INDEX b ON t (y)"),
        Statement::new(StatementKind::Comment, "COMMENT ON TABLE t IS 'x'"),
        Statement::new(StatementKind::Comment, "COMMENT ON TABLE u IS 'two\nlines'"),
        Statement::new(StatementKind::Comment, "COMMENT ON TABLE v IS 'y'"),
    ];
    assert_eq!(
        sql::print(&statements),
        "CREATE INDEX a ON t (x);\nCREATE INDEX b ON t (y);\n\nCOMMENT ON TABLE t IS 'x';\n\n\
         COMMENT ON TABLE u IS 'two\nlines';\n\nCOMMENT ON TABLE v IS 'y';\n"
    );
    assert_eq!(sql::print(&[]), "");
}

#[test]
fn comments_can_be_removed() {
    assert_eq!(
        sql::comment_on_column("t", "userId", None).sql,
        "COMMENT ON COLUMN t.\"userId\" IS NULL"
    );
    assert_eq!(
        sql::comment_on_table("user", Some("it's")).sql,
        "COMMENT ON TABLE \"user\" IS 'it''s'"
    );
}
