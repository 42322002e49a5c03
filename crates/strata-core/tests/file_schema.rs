//! A file-level `schema:`: every enum, sequence, domain, table, view and function a file
//! declares without a `schema.` prefix is in that PostgreSQL schema, its unqualified
//! references look there first and then in `public`, and the DDL and the Rust name `billing.*`.

use strata::diag::Code;
use strata::load::{SourceText, load_sources};

fn file(path: &str, text: &str) -> SourceText {
    SourceText {
        path: path.into(),
        text: text.into(),
    }
}

/// A folder of two files: `app.yaml` declares the schema and the public tables, `billing.yaml`
/// has `schema: billing`.
fn folder(billing: &str) -> Result<strata::Schema, strata::Diagnostics> {
    load_sources(
        "shop",
        true,
        vec![
            file(
                "schemas/shop/app.yaml",
                "schemas:\n  billing: { comment: Money. }\nenums:\n  stage: { values: [open, closed] }\ntables:\n  customers:\n    columns:\n      id: { type: integer, primary_key: true }\n      name: text\n",
            ),
            file("schemas/shop/billing.yaml", billing),
        ],
    )
}

const BILLING: &str = "\
schema: billing
enums:
  status: { values: [draft, paid] }
sequences:
  invoice_no: { start: 1000 }
domains:
  amount: { type: numeric, checks: [VALUE >= 0] }
tables:
  accounts:
    columns:
      id: { type: integer, primary_key: true }
  invoices:
    columns:
      id: { type: integer, primary_key: true }
      account_id: { type: integer, references: accounts }
      customer_id: { type: integer, references: customers }
      state: status
      total: amount
      no: { type: bigint, default_sql: \"nextval('billing.invoice_no')\" }
      updated_at: { type: timestamptz, default_sql: now(), auto_update: true }
    triggers:
      invoices_audit: { timing: after, events: [insert], for_each: row, function: audit }
  public.notes:
    columns:
      id: { type: integer, primary_key: true }
functions:
  audit:
    returns: trigger
    language: plpgsql
    body: BEGIN RETURN NULL; END
views:
  open_invoices:
    query: SELECT id, state FROM billing.invoices
";

fn must_load(billing: &str) -> strata::Schema {
    folder(billing).unwrap_or_else(|d| panic!("does not load:\n{}", d.render(false)))
}

#[test]
fn unprefixed_objects_of_the_file_are_in_its_schema() {
    let s = must_load(BILLING);
    let tables: Vec<&str> = s.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tables,
        ["customers", "billing.accounts", "billing.invoices", "notes"]
    );
    let enums: Vec<&str> = s.enums.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(enums, ["stage", "billing.status"]);
    assert!(s.sequences.iter().any(|q| q.name == "billing.invoice_no"));
    assert!(s.domains.iter().any(|d| d.name == "billing.amount"));
    assert_eq!(s.views[0].schema.as_deref(), Some("billing"));
    assert_eq!(s.functions[0].schema.as_deref(), Some("billing"));
    // The trigger calls the function of its table's schema.
    assert_eq!(s.triggers[0].function_schema.as_deref(), Some("billing"));

    let invoices = s.table("billing.invoices").expect("billing.invoices");
    let refs: Vec<&str> = invoices
        .foreign_keys
        .iter()
        .map(|f| f.ref_table.as_str())
        .collect();
    // `accounts` is in the file's schema; `customers` only in `public`.
    assert_eq!(refs, ["billing.accounts", "customers"]);
    let state = invoices.column("state").expect("state");
    assert!(
        matches!(&state.ty.base, strata::model::BaseType::Enum(e) if e == "billing.status"),
        "{:?}",
        state.ty
    );
}

#[test]
fn the_ddl_and_the_rust_name_the_file_schema() {
    let s = must_load(BILLING);
    let sql = strata::render::sql::schema_sql(&s);
    for want in [
        "CREATE SCHEMA billing",
        "CREATE TYPE billing.status AS ENUM",
        "CREATE SEQUENCE billing.invoice_no",
        "CREATE DOMAIN billing.amount",
        "CREATE TABLE billing.invoices",
        "REFERENCES billing.accounts",
        "CREATE VIEW billing.open_invoices",
        "FUNCTION billing.audit()",
        "EXECUTE FUNCTION billing.audit()",
        "CREATE TABLE notes",
    ] {
        assert!(sql.contains(want), "no `{want}` in:\n{sql}");
    }
    let rust = strata::render::rust::render_module(&s);
    for want in [
        "pub struct BillingInvoice",
        "pub struct BillingAccount",
        "pub enum BillingStatus",
        "pub struct Note ",
    ] {
        assert!(rust.contains(want), "no `{want}` in the Rust module");
    }
}

#[test]
fn a_file_without_schema_is_unchanged_and_public_is_the_default() {
    let s = must_load(
        "schema: public\ntables:\n  ledger:\n    columns:\n      id: { type: integer, primary_key: true }\n",
    );
    assert!(s.table("ledger").is_some());
}

/// The single diagnostic of loading `billing.yaml`, as `(code, line, col, message)`.
fn error(billing: &str) -> (Code, u32, u32, String) {
    let d = folder(billing).expect_err("refused");
    assert_eq!(d.items.len(), 1, "{}", d.render(false));
    let i = &d.items[0];
    let src = d.sources.get(i.loc.file).expect("source");
    assert_eq!(src.path, "schemas/shop/billing.yaml");
    (i.code, i.loc.line, i.loc.col, i.message.clone())
}

#[test]
fn an_undeclared_file_schema_is_one_located_error() {
    let (code, line, col, msg) = error(
        "# billing\nschema: biling\ntables:\n  invoices:\n    columns:\n      id: { type: integer, primary_key: true }\n",
    );
    assert_eq!((code, line, col), (Code::UndeclaredPgSchema, 2, 9), "{msg}");
    assert!(msg.contains("`biling`"), "{msg}");
}

#[test]
fn a_reserved_file_schema_is_refused() {
    let (code, line, col, msg) = error("schema: information_schema\n");
    assert_eq!((code, line, col), (Code::PgSchemaName, 1, 9), "{msg}");
}

#[test]
fn an_ambiguous_foreign_key_is_a_located_error() {
    let (code, line, col, msg) = error(
        "schema: billing\ntables:\n  customers:\n    columns:\n      id: { type: integer, primary_key: true }\n  invoices:\n    columns:\n      id: { type: integer, primary_key: true }\n      customer_id: { type: integer, references: customers }\n",
    );
    assert_eq!(
        (code, line, col),
        (Code::AmbiguousReference, 9, 49),
        "{msg}"
    );
    assert!(msg.contains("`billing.customers`"), "{msg}");
    // Saying which loads.
    for which in ["billing.customers", "public.customers"] {
        must_load(&format!(
            "schema: billing\ntables:\n  customers:\n    columns:\n      id: {{ type: integer, primary_key: true }}\n  invoices:\n    columns:\n      id: {{ type: integer, primary_key: true }}\n      customer_id: {{ type: integer, references: {which} }}\n",
        ));
    }
}

#[test]
fn an_ambiguous_enum_type_is_a_located_error() {
    let (code, line, _, msg) = error(
        "schema: billing\nenums:\n  stage: { values: [a, b] }\ntables:\n  invoices:\n    columns:\n      id: { type: integer, primary_key: true }\n      state: stage\n",
    );
    assert_eq!((code, line), (Code::AmbiguousReference, 8), "{msg}");
}

#[test]
fn an_ambiguous_trigger_function_is_a_located_error() {
    let d = load_sources(
        "shop",
        true,
        vec![
            file(
                "schemas/shop/app.yaml",
                "schemas:\n  billing: {}\nfunctions:\n  audit: { returns: trigger, language: plpgsql, body: BEGIN RETURN NULL; END }\n",
            ),
            file(
                "schemas/shop/billing.yaml",
                "schema: billing\nfunctions:\n  billing_audit: { name: audit, returns: trigger, language: plpgsql, body: BEGIN RETURN NULL; END }\ntables:\n  invoices:\n    columns:\n      id: { type: integer, primary_key: true }\n    triggers:\n      t: { timing: after, events: [insert], for_each: row, function: audit }\n",
            ),
        ],
    )
    .expect_err("refused");
    assert_eq!(d.items.len(), 1, "{}", d.render(false));
    let i = &d.items[0];
    assert_eq!(
        (i.code, i.loc.line),
        (Code::AmbiguousReference, 9),
        "{}",
        d.render(false)
    );
}
