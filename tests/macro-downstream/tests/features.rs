//! A domain, generated columns, and types Rust carries in their text form (tsvector, ranges,
//! citext, bit, cidr[]), through the proc-macro's models on a real server: a row inserts
//! (the insert struct has no generated field), reads back with the database's computed values,
//! updates, and a domain's check refuses a bad value.

use strata_macro_downstream_tests::features::{NewProduct, Product};
use strata_runtime::pg;
use strata_runtime::rust_decimal;

fn ddl() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/features.yaml");
    let text = std::fs::read_to_string(path).expect("schema");
    let schema = strata::load::load_sources(
        "features",
        false,
        vec![strata::load::SourceText {
            path: "schemas/features.yaml".into(),
            text,
        }],
    )
    .unwrap_or_else(|d| panic!("{}", d.render(false)));
    strata::render::sql::schema_sql(&schema)
}

#[tokio::test]
async fn domain_generated_and_text_form_columns_round_trip() {
    let db = strata_testkit::TestDb::with_sql(&ddl()).await;
    let c = &db.client;
    let price: rust_decimal::Decimal = "10.00".parse().unwrap();
    let p: Product = pg::insert(
        c,
        &NewProduct {
            name: "Blue Shirt".into(),
            price,
            sizes: Some("[1,5)".into()),
            sku: "SKU-1".into(),
            flags: Some("101".into()),
            networks: Some(vec!["10.0.0.0/8".into()]),
            keywords: Some("cotton blue".into()),
        },
    )
    .await
    .unwrap_or_else(|e| panic!("insert: {e}"));
    assert_eq!(p.price, price);
    assert_eq!(
        p.price_with_tax,
        "12.000".parse().unwrap(),
        "computed by the database"
    );
    assert_eq!(p.search, "'blue':1 'shirt':2");
    assert_eq!(p.sizes.as_deref(), Some("[1,5)"));
    assert_eq!(p.flags.as_deref(), Some("101"));
    assert_eq!(p.networks, Some(vec!["10.0.0.0/8".to_string()]));
    assert_eq!(p.keywords, "'blue' 'cotton'");

    // citext: a lookup by any case finds the row.
    let found: i64 = c
        .query_one("SELECT count(*) FROM products WHERE sku = 'sku-1'", &[])
        .await
        .expect("count")
        .get(0);
    assert_eq!(found, 1);

    // An insert that leaves optional columns out goes through the cast-aware builder.
    let q: Product = pg::insert(
        c,
        &NewProduct {
            name: "Hat".into(),
            price,
            sizes: None,
            sku: "SKU-2".into(),
            flags: None,
            networks: None,
            keywords: None,
        },
    )
    .await
    .unwrap_or_else(|e| panic!("insert with defaults: {e}"));
    assert_eq!(q.sizes, None);
    assert_eq!(q.keywords, "", "the column's default");

    let mut changed = p.clone();
    changed.name = "Red Shirt".into();
    changed.sizes = Some("[2,3]".into());
    let updated = pg::update(c, &changed)
        .await
        .unwrap_or_else(|e| panic!("update: {e}"))
        .expect("the row exists");
    assert_eq!(updated.search, "'red':1 'shirt':2", "recomputed on update");
    assert_eq!(
        updated.sizes.as_deref(),
        Some("[2,4)"),
        "the server's canonical range"
    );
    let again = pg::select_by_pk::<Product>(c, &[&p.id])
        .await
        .expect("by key")
        .expect("the row exists");
    assert_eq!(again, updated);

    let refused = pg::insert(
        c,
        &NewProduct {
            name: "Free".into(),
            price: rust_decimal::Decimal::ZERO,
            sizes: None,
            sku: "SKU-3".into(),
            flags: None,
            networks: None,
            keywords: None,
        },
    )
    .await;
    assert!(refused.is_err(), "the domain's check refuses a price of 0");
}

/// The generated reads of a table with text-form and domain columns: every statement of
/// `QUERIES` prepares on the server, and the lookup and the page read those columns back
/// through their text form.
#[tokio::test]
async fn query_methods_read_text_form_columns() {
    use strata_runtime::Table;
    let db = strata_testkit::TestDb::with_sql(&ddl()).await;
    let c = &db.client;
    for q in <Product as Table>::QUERIES {
        c.prepare(q.sql)
            .await
            .unwrap_or_else(|e| panic!("{}: {e:?}\n{}", q.method, q.sql));
    }
    let p: Product = Product::insert_one(
        c,
        &NewProduct {
            name: "Green Shirt".into(),
            price: "12.50".parse().unwrap(),
            sizes: Some("[2,4)".into()),
            sku: "SKU-2".into(),
            flags: Some("011".into()),
            networks: Some(vec!["192.168.0.0/16".into()]),
            keywords: Some("cotton green".into()),
        },
    )
    .await
    .unwrap();
    let found = Product::find_by_id(c, &p.id).await.unwrap();
    assert_eq!(found.as_ref(), Some(&p));
    let page = Product::page(c, None, 10, pg::Order::Desc).await.unwrap();
    assert_eq!(page, vec![p]);
    assert_eq!(Product::count(c).await.unwrap(), 1);
}
