//! Tables in a PostgreSQL schema other than `public` through the generated models: the
//! `billing.users` table and the public `users` table are two tables with two Rust types
//! (`BillingUser`, `User`), and the generated SQL reaches `billing` without it being on the
//! `search_path`.

use strata_downstream_tests::namespaces::{
    BillingInvoice, BillingStatus, BillingUser, NewBillingInvoice, NewBillingUser, NewUser, User,
};
use strata_runtime::pg;
use strata_testkit::TestDb;

fn ok<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

#[tokio::test]
async fn tables_of_another_schema_are_their_own_tables() {
    let model =
        strata_downstream_tests::load("namespaces", "tests/downstream/schemas/namespaces.yaml");
    let db = TestDb::with_sql(&strata::render::sql::schema_sql(&model)).await;
    let c = &db.client;
    let path: String = ok("search_path", c.query_one("SHOW search_path", &[]).await).get(0);
    assert!(!path.contains("billing"), "{path}");

    let ada = ok(
        "user",
        pg::insert(
            c,
            &NewUser {
                id: 1,
                name: "Ada".into(),
            },
        )
        .await,
    );
    let account = ok(
        "billing user",
        pg::insert(
            c,
            &NewBillingUser {
                id: 1,
                account: "ACME".into(),
            },
        )
        .await,
    );
    assert_eq!(ada.name, "Ada");
    assert_eq!(account.account, "ACME");
    let invoice = ok(
        "invoice",
        pg::insert(
            c,
            &NewBillingInvoice {
                id: 10,
                user_id: 1,
                billing_user_id: 1,
                status: BillingStatus::Draft,
            },
        )
        .await,
    );

    // Each row is in its own table: the same key in both, different columns.
    let users: Vec<User> = ok("users", pg::select_all(c).await);
    let accounts: Vec<BillingUser> = ok("accounts", pg::select_all(c).await);
    assert_eq!(users.len(), 1);
    assert_eq!(accounts.len(), 1);
    let in_billing: String = ok(
        "raw read",
        c.query_one("SELECT account FROM billing.users WHERE id = 1", &[])
            .await,
    )
    .get(0);
    assert_eq!(in_billing, "ACME");
    let public_columns: i64 = ok(
        "public users",
        c.query_one(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' AND column_name = 'account'",
            &[],
        )
        .await,
    )
    .get(0);
    assert_eq!(public_columns, 0);

    // Update through the generated key, in the other schema, with its enum.
    let paid = BillingInvoice {
        status: BillingStatus::Paid,
        ..invoice
    };
    let updated = ok("update", pg::update(c, &paid).await).expect("the invoice exists");
    assert_eq!(updated.status, BillingStatus::Paid);
    let status: String = ok(
        "raw status",
        c.query_one(
            "SELECT status::text FROM billing.invoices WHERE id = 10",
            &[],
        )
        .await,
    )
    .get(0);
    assert_eq!(status, "paid");

    // The foreign keys reach across the schemas: a billing user that does not exist is refused.
    let dangling = pg::insert(
        c,
        &NewBillingInvoice {
            id: 11,
            user_id: 1,
            billing_user_id: 2,
            status: BillingStatus::Draft,
        },
    )
    .await;
    assert!(dangling.is_err(), "{dangling:?}");
    assert_eq!(ok("delete", pg::delete(c, &paid).await), 1);
}
