//! The tenant isolation proof: two roles, rows of two tenants, and each role, through the
//! generated models only, sees its own tenant's rows and cannot write the other's.
//!
//! The database is created from the schema's DDL (`schema_sql`: roles created where the
//! cluster lacks them, forced row-level security, the policies, the grants). The test's own
//! connection is a superuser, which row-level security never applies to; each tenant works in
//! a transaction that takes its role (`SET LOCAL ROLE`) and sets its tenant
//! (`pg::set_local(&tx, "app.tenant_id", …)`).

use strata_downstream_tests::tenants::{NewNote, NewTenant, Note, Tenant};
use strata_runtime::pg;
use strata_runtime::uuid::Uuid;
use strata_testkit::TestDb;

fn ok<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

const A: Uuid = Uuid::from_u128(0xa);
const B: Uuid = Uuid::from_u128(0xb);

#[tokio::test]
async fn each_tenant_role_sees_and_writes_only_its_own_rows() {
    let model = strata_downstream_tests::load("tenants", "tests/downstream/schemas/tenants.yaml");
    let mut db = TestDb::with_sql(&strata::render::sql::schema_sql(&model)).await;

    // Set up as the superuser (row-level security does not apply to it).
    for (id, role) in [(A, "strata_tenant_a"), (B, "strata_tenant_b")] {
        ok(
            "tenant",
            Tenant::insert_one(
                &db.client,
                &NewTenant {
                    id,
                    role_name: role.into(),
                },
            )
            .await,
        );
    }
    for (tenant, body) in [(A, "a1"), (A, "a2"), (B, "b1")] {
        ok(
            "note",
            Note::insert_one(
                &db.client,
                &NewNote {
                    id: None,
                    tenant_id: tenant,
                    body: body.into(),
                },
            )
            .await,
        );
    }
    assert_eq!(ok("count all", Note::count(&db.client).await), 3);

    for (me, other, role, mine) in [
        (A, B, "strata_tenant_a", vec!["a1", "a2"]),
        (B, A, "strata_tenant_b", vec!["b1"]),
    ] {
        let tx = ok("begin", db.client.transaction().await);
        ok(
            "set role",
            tx.batch_execute(&format!("SET LOCAL ROLE {role}")).await,
        );
        ok(
            "tenant",
            pg::set_local(&tx, "app.tenant_id", &me.to_string()).await,
        );

        let mut seen: Vec<String> = ok("select", pg::select_all::<Note>(&tx).await)
            .into_iter()
            .map(|n| {
                assert_eq!(
                    n.tenant_id, me,
                    "{role} sees a row of another tenant: {n:?}"
                );
                n.body
            })
            .collect();
        seen.sort();
        assert_eq!(seen, mine, "{role}");
        assert_eq!(
            ok("count", Note::count(&tx).await),
            mine.len() as i64,
            "{role}"
        );

        // Its own tenant's row can be written…
        let new = ok(
            "own insert",
            Note::insert_one(
                &tx,
                &NewNote {
                    id: None,
                    tenant_id: me,
                    body: "mine".into(),
                },
            )
            .await,
        );
        assert_eq!(new.tenant_id, me);
        // …the other tenant's cannot: WITH CHECK refuses it (SQLSTATE 42501).
        let refused = Note::insert_one(
            &tx,
            &NewNote {
                id: None,
                tenant_id: other,
                body: "theirs".into(),
            },
        )
        .await;
        let e = refused.expect_err("a row of the other tenant must be refused");
        assert_eq!(e.sqlstate(), Some("42501"), "{e}");
        ok("rollback", tx.rollback().await);

        // Setting the other tenant does not help: the restrictive policy ties the role to its
        // own tenant, so nothing is visible and nothing can be written.
        let tx = ok("begin", db.client.transaction().await);
        ok(
            "set role",
            tx.batch_execute(&format!("SET LOCAL ROLE {role}")).await,
        );
        ok(
            "tenant",
            pg::set_local(&tx, "app.tenant_id", &other.to_string()).await,
        );
        assert_eq!(
            ok("spoofed count", Note::count(&tx).await),
            0,
            "{role} with the other tenant set"
        );
        let e = Note::insert_one(
            &tx,
            &NewNote {
                id: None,
                tenant_id: other,
                body: "spoof".into(),
            },
        )
        .await
        .expect_err("the restrictive policy refuses the other tenant's row");
        assert_eq!(e.sqlstate(), Some("42501"), "{e}");
        ok("rollback", tx.rollback().await);
    }
    // Nothing a tenant tried was kept.
    assert_eq!(ok("count all", Note::count(&db.client).await), 3);
}
