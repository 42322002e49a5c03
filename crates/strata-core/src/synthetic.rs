//! Synthetic schemas for benchmarks and load tests: `tables` tables of 20 columns each, with
//! foreign keys to earlier tables, ten two-table cycles, enums, typed and untyped JSON, numeric,
//! a mixin with an auto-updated timestamp, checks, array/JSON defaults and a partial composite
//! index per table. `edits`
//! changes that many deterministic places (added, dropped and renamed columns, type and default
//! changes, new indexes), so two calls with different `edits` give schemas that a migration
//! plan must reconcile.
#![doc(hidden)]

use std::fmt::Write as _;

/// The YAML text of a synthetic schema.
pub fn schema_yaml(tables: usize, edits: usize) -> String {
    let mut y = String::from("extensions: [pgcrypto]\nallow: []\nenums:\n");
    for e in 0..10 {
        let _ = writeln!(
            y,
            "  status_{e}:\n    description: Status {e}.\n    values: [new, active, \"it's done\", archived]"
        );
    }
    y.push_str(
        "json_types:\n  Tag:\n    fields:\n      name: string\n      weight: number?\n  Meta:\n    extra: true\n    fields:\n      tags: Tag[]\n      source: string?\n      counts: map<integer>\n",
    );
    y.push_str(
        "mixins:\n  timestamps:\n    position: end\n    columns:\n      created_at: { type: timestamptz, default_sql: now() }\n      updated_at: { type: timestamptz, default_sql: now(), auto_update: true }\ntables:\n",
    );
    // Edit k touches table k * tables / edits, cycling through five kinds of change.
    let edited = |t: usize, kind: usize| {
        edits > 0 && (0..edits).any(|k| k % 5 == kind && k * tables / edits == t)
    };
    for t in 0..tables {
        let _ = writeln!(
            y,
            "  table_{t}:\n    description: \"Table {t}: it's synthetic -- for benchmarks.\"\n    mixins: [timestamps]\n    columns:"
        );
        let _ = writeln!(
            y,
            "      id: {{ type: uuid, primary_key: true, default_sql: gen_random_uuid(), description: Primary key }}"
        );
        if t > 0 {
            let _ = writeln!(
                y,
                "      parent_id: {{ type: uuid, nullable: true, references: table_{}, on_delete: cascade }}",
                t / 2
            );
        } else {
            y.push_str("      parent_id: { type: uuid, nullable: true }\n");
        }
        let partner = match t % 100 {
            0 if t + 1 < tables => Some(t + 1),
            1 => Some(t - 1),
            _ => None,
        };
        match partner {
            Some(p) => {
                let _ = writeln!(
                    y,
                    "      partner_id: {{ type: uuid, nullable: true, references: table_{p} }}"
                );
            }
            None => y.push_str("      partner_id: uuid?\n"),
        }
        let _ = writeln!(
            y,
            "      status: {{ type: status_{}, default: new, description: Lifecycle }}",
            t % 10
        );
        let title = if edited(t, 0) {
            "varchar(400)"
        } else {
            "varchar(200)"
        };
        let _ = writeln!(
            y,
            "      title: {{ type: {title}, description: \"Title (\\\"quoted\\\")\" }}"
        );
        let _ = writeln!(
            y,
            "      userId: {{ type: varchar(255), description: camelCase }}"
        );
        let order_default = if edited(t, 1) { 1 } else { 0 };
        let _ = writeln!(
            y,
            "      order: {{ type: integer, default: {order_default}, check: \"\\\"order\\\" >= 0\" }}"
        );
        y.push_str("      tags: { type: \"text[]\", default: [a, \"b c\"] }\n");
        y.push_str("      settings: { type: jsonb, default: { theme: dark, size: 3 } }\n");
        y.push_str("      meta: { type: jsonb, json: Meta, default: { tags: [], counts: {} } }\n");
        y.push_str("      ratio: { type: double precision, default: 0.5 }\n");
        y.push_str("      price: numeric(12,2)?\n");
        for c in 0..6 {
            if c == 5 && edited(t, 2) {
                y.push_str("      renamed_5: { type: text, nullable: true, renamed_from: note_5, description: Note 5 }\n");
            } else {
                let _ = writeln!(
                    y,
                    "      note_{c}: {{ type: text, nullable: true, description: Note {c} }}"
                );
            }
        }
        if edited(t, 3) {
            y.push_str("      added: text?\n");
        }
        y.push_str("    indexes:\n      - { columns: [userId, created_at desc], where: \"status <> 'archived'\" }\n");
        if edited(t, 4) {
            y.push_str("      - { columns: [title] }\n");
        }
    }
    y
}

/// A synthetic schema, loaded through the real loader.
pub fn schema(tables: usize, edits: usize) -> crate::Schema {
    crate::load::load_sources(
        "synthetic",
        false,
        vec![crate::load::SourceText {
            path: "schemas/synthetic.yaml".into(),
            text: schema_yaml(tables, edits),
        }],
    )
    .unwrap_or_else(|d| panic!("the synthetic schema does not load:\n{}", d.render(false)))
}

/// [`schema_yaml`] with one more column (`added: text?`) in the first table: the smallest
/// schema change, which a migration plan turns into one `ALTER TABLE … ADD COLUMN`.
pub fn schema_yaml_one_added_column(tables: usize) -> String {
    let y = schema_yaml(tables, 0);
    match y.find("    indexes:\n") {
        Some(i) => format!("{}      added: text?\n{}", &y[..i], &y[i..]),
        None => y,
    }
}

/// The floor a loader is measured against: the same text parsed by serde_yaml into a
/// `serde_yaml::Value`, with no positions, checks or model. Returns the number of top-level keys.
pub fn parse_floor(text: &str) -> usize {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(serde_yaml::Value::Mapping(m)) => m.len(),
        Ok(_) => 0,
        Err(e) => panic!("the synthetic schema is not YAML: {e}"),
    }
}
