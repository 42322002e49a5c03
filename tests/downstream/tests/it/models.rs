//! The generated methods of `schemas/models.yaml` (through the proc-macro) on a real server:
//! `New…` constructors and setters, a deletion time as the soft-delete flag, keyset pages on
//! secondary indexes, many-to-many through a join table, and upserts, patches and bulk
//! inserts of tables whose columns travel in another type (a `tsvector`, a domain).

use strata_downstream_tests::models::*;
use strata_runtime::chrono::{DateTime, Duration, NaiveDate, Utc};
use strata_runtime::pg::Order;
use strata_runtime::uuid::Uuid;
use strata_testkit::TestDb;

fn ok<T, E: std::fmt::Display>(what: &str, r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{what}: {e}"))
}

pub(crate) async fn models_db() -> TestDb {
    let schema = strata_downstream_tests::load("models", "tests/downstream/schemas/models.yaml");
    TestDb::with_sql(&strata::render::sql::schema_sql(&schema)).await
}

fn day(n: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date") + Duration::days(i64::from(n))
}

/// `NewX::new(<required>)` and `with_…` setters; `Default` where nothing is required.
#[tokio::test]
async fn constructors_and_setters() {
    let db = models_db().await;
    let c = &db.client;
    let joined: DateTime<Utc> = "2024-05-01T12:00:00Z".parse().expect("a time");
    let author = ok(
        "author",
        Author::insert_one(
            c,
            &NewAuthor::new("Frank Herbert", "frank@example.com").with_joined_at(joined),
        )
        .await,
    );
    assert_eq!(
        (author.name.as_str(), author.joined_at, author.deleted_at),
        ("Frank Herbert", joined, None)
    );
    let new = NewBook::new("Dune", author.id)
        .with_published(day(3))
        .with_pages(412);
    assert_eq!(new.id, None, "left to the identity");
    assert_eq!(new.summary, None);
    let book = ok("book", Book::insert_one(c, &new).await);
    assert_eq!(
        (book.title.as_str(), book.published, book.pages),
        ("Dune", day(3), Some(412))
    );
    let today = ok(
        "book",
        Book::insert_one(c, &NewBook::new("Later", author.id)).await,
    );
    assert_eq!(today.pages, None);
    assert!(today.published > day(3), "the default (CURRENT_DATE)");

    let plain = ok(
        "setting",
        Setting::insert_one(c, &NewSetting::default()).await,
    );
    assert_eq!((plain.theme.as_str(), plain.note), ("light", None));
    let dark = ok(
        "setting",
        Setting::insert_one(c, &NewSetting::default().with_theme("dark").with_note("n")).await,
    );
    assert_eq!(
        (dark.theme.as_str(), dark.note.as_deref()),
        ("dark", Some("n"))
    );
}

/// A `deleted_at timestamptz` flag: reads skip deleted rows, `…_with_deleted` see them,
/// `soft_delete` sets the time (`now()`), `restore` clears it.
#[tokio::test]
async fn soft_delete_with_a_deletion_time() {
    let db = models_db().await;
    let c = &db.client;
    let a = ok(
        "a",
        Author::insert_one(c, &NewAuthor::new("A", "a@example.com")).await,
    );
    let b = ok(
        "b",
        Author::insert_one(c, &NewAuthor::new("B", "b@example.com")).await,
    );
    let book = ok("book", Book::insert_one(c, &NewBook::new("T", a.id)).await);
    let before: DateTime<Utc> = ok("now", c.query_one("SELECT now()", &[]).await).get(0);

    assert_eq!(ok("soft delete", Author::soft_delete(c, &a.id).await), 1);
    assert_eq!(ok("again", Author::soft_delete(c, &a.id).await), 0);
    assert_eq!(ok("find", Author::find_by_id(c, &a.id).await), None);
    assert_eq!(
        ok("find", Author::find_by_email(c, "a@example.com").await),
        None
    );
    assert!(!ok("exists", Author::exists_by_id(c, &a.id).await));
    let hidden = ok("find", Author::find_by_id_with_deleted(c, &a.id).await).expect("kept");
    let at = hidden.deleted_at.expect("the deletion time");
    assert!(at >= before, "{at} is not after {before}");
    assert_eq!(ok("count", Author::count(c).await), 1);
    assert_eq!(ok("count", Author::count_with_deleted(c).await), 2);
    assert_eq!(
        ok("page", Author::page(c, None, 10, Order::Asc).await),
        vec![b.clone()]
    );
    assert_eq!(
        ok(
            "page",
            Author::page_by_joined_at(c, None, 10, Order::Asc).await
        ),
        vec![b.clone()]
    );
    assert_eq!(
        ok("parent", book.get_author(c).await),
        None,
        "a deleted parent"
    );

    assert_eq!(ok("restore", Author::restore(c, &a.id).await), 1);
    assert_eq!(ok("restore again", Author::restore(c, &a.id).await), 0);
    let back = ok("find", Author::find_by_id(c, &a.id).await).expect("restored");
    assert_eq!(back.deleted_at, None);
    assert_eq!(ok("parent", book.get_author(c).await), Some(back));
}

/// Pages through `rows` with `page` (limit 7), both orders; returns what it saw, ascending.
async fn all_pages<T, K>(
    order: Order,
    key: impl Fn(&T) -> K,
    mut page: impl AsyncFnMut(Option<K>, Order) -> Vec<T>,
) -> Vec<T> {
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let rows = page(after.take(), order).await;
        assert!(rows.len() <= 7);
        let Some(last) = rows.last() else { break };
        after = Some(key(last));
        seen.extend(rows);
    }
    if order == Order::Desc {
        seen.reverse();
    }
    seen
}

/// `page_by_<index>`: keyset pages in an index's order, ties broken by the primary key, in
/// both directions, add up to every live row once.
#[tokio::test]
async fn keyset_pages_on_secondary_indexes() {
    let db = models_db().await;
    let c = &db.client;
    let start: DateTime<Utc> = "2024-01-01T00:00:00Z".parse().expect("a time");
    // Five join times and three names for 40 authors: many ties.
    let authors: Vec<NewAuthor> = (0..40)
        .map(|i| {
            NewAuthor::new(format!("n{}", i % 3), format!("{i}@example.com"))
                .with_joined_at(start + Duration::hours(i % 5))
        })
        .collect();
    assert_eq!(ok("many", Author::insert_many(c, &authors).await), 40);
    let mut all = ok("page", Author::page(c, None, 100, Order::Asc).await);
    let deleted = all[0].id;
    ok("soft delete", Author::soft_delete(c, &deleted).await);
    all.remove(0);

    for order in [Order::Asc, Order::Desc] {
        let seen = all_pages(
            order,
            |a: &Author| (a.joined_at, a.id),
            async |after: Option<(DateTime<Utc>, Uuid)>, order| {
                let after = after.as_ref().map(|(t, id)| (t, id));
                ok("page", Author::page_by_joined_at(c, after, 7, order).await)
            },
        )
        .await;
        let mut want = all.clone();
        want.sort_by_key(|a| (a.joined_at, a.id));
        assert_eq!(seen, want, "joined_at {order:?}");

        let seen = all_pages(
            order,
            |a: &Author| (a.name.clone(), a.email.clone(), a.id),
            async |after: Option<(String, String, Uuid)>, order| {
                let after = after
                    .as_ref()
                    .map(|(n, e, id)| (n.as_str(), e.as_str(), id));
                ok(
                    "page",
                    Author::page_by_name_and_email(c, after, 7, order).await,
                )
            },
        )
        .await;
        let mut want = all.clone();
        want.sort_by(|a, b| (&a.name, &a.email, a.id).cmp(&(&b.name, &b.email, b.id)));
        assert_eq!(seen, want, "name, email {order:?}");

        // A unique constraint's order needs no tie-breaker: the cursor is the e-mail.
        let seen = all_pages(
            order,
            |a: &Author| a.email.clone(),
            async |after: Option<String>, order| {
                ok(
                    "page",
                    Author::page_by_email(c, after.as_deref(), 7, order).await,
                )
            },
        )
        .await;
        let mut want = all.clone();
        want.sort_by(|a, b| a.email.cmp(&b.email));
        assert_eq!(seen, want, "email {order:?}");
    }
}

/// `list_<others>` on both sides of the join table `book_tags`, in the other side's key
/// order; a soft-deleted author's books still list, the author does not.
#[tokio::test]
async fn many_to_many_through_a_join_table() {
    let db = models_db().await;
    let c = &db.client;
    let a = ok(
        "a",
        Author::insert_one(c, &NewAuthor::new("A", "a@example.com")).await,
    );
    let b1 = ok("b1", Book::insert_one(c, &NewBook::new("One", a.id)).await);
    let b2 = ok("b2", Book::insert_one(c, &NewBook::new("Two", a.id)).await);
    let b3 = ok(
        "b3",
        Book::insert_one(c, &NewBook::new("Three", a.id)).await,
    );
    let mut tags = Vec::new();
    for label in ["sf", "classic", "long"] {
        tags.push(ok("tag", Tag::insert_one(c, &NewTag::new(label)).await));
    }
    let links = [
        NewBookTag::new(b1.id, tags[2].id),
        NewBookTag::new(b1.id, tags[0].id),
        NewBookTag::new(b2.id, tags[0].id),
    ];
    assert_eq!(ok("links", BookTag::insert_many(c, &links).await), 3);

    assert_eq!(
        ok("tags", b1.list_tags(c).await),
        vec![tags[0].clone(), tags[2].clone()]
    );
    assert_eq!(ok("tags", b2.list_tags(c).await), vec![tags[0].clone()]);
    assert_eq!(ok("tags", b3.list_tags(c).await), vec![]);
    assert_eq!(
        ok("books", tags[0].list_books(c).await),
        vec![b1.clone(), b2.clone()]
    );
    assert_eq!(ok("books", tags[1].list_books(c).await), vec![]);
    // The join table's own rows, through its foreign keys.
    assert_eq!(
        ok("links", BookTag::list_by_book_id(c, &b1.id).await).len(),
        2
    );
    assert_eq!(ok("children", b1.list_book_tags(c).await).len(), 2);
}

/// Upserts, patches and bulk inserts of `books` (a `tsvector` read and written as text, and a
/// domain) and `tags` (a domain: loaded with binary COPY, its check enforced).
#[tokio::test]
async fn writes_of_columns_in_another_type() {
    let db = models_db().await;
    let c = &db.client;
    let a = ok(
        "a",
        Author::insert_one(c, &NewAuthor::new("A", "a@example.com")).await,
    );
    let new = NewBook::new("Dune", a.id)
        .with_id(90_000)
        .with_summary("sand dune")
        .with_pages(10);
    let first = ok("upsert", Book::upsert_by_id(c, &new).await);
    assert_eq!(
        (first.id, first.summary.as_deref(), first.pages),
        (90_000, Some("'dune' 'sand'"), Some(10))
    );
    let again = NewBook::new("Dune Messiah", a.id)
        .with_id(90_000)
        .with_summary("worm");
    let second = ok("upsert", Book::upsert_by_id(c, &again).await);
    assert_eq!(
        (
            second.title.as_str(),
            second.summary.as_deref(),
            second.pages
        ),
        ("Dune Messiah", Some("'worm'"), None),
        "a nullable column without a default is always provided (NULL here)"
    );

    let patched = ok(
        "patch",
        Book::patch(
            c,
            &90_000,
            &BookPatch {
                summary: Some(Some("spice".into())),
                pages: Some(Some(300)),
                ..BookPatch::default()
            },
        )
        .await,
    )
    .expect("the row");
    assert_eq!(
        (
            patched.summary.as_deref(),
            patched.pages,
            patched.title.as_str()
        ),
        (Some("'spice'"), Some(300), "Dune Messiah")
    );

    let books: Vec<NewBook> = (0..2500)
        .map(|i| {
            let b = NewBook::new(format!("b{i}"), a.id).with_summary(format!("word{i}"));
            if i % 2 == 0 { b.with_pages(i + 1) } else { b }
        })
        .collect();
    assert_eq!(ok("many", Book::insert_many(c, &books).await), 2500);
    let read: String = ok(
        "read",
        c.query_one("SELECT summary::text FROM books WHERE title = 'b42'", &[])
            .await,
    )
    .get(0);
    assert_eq!(read, "'word42'");
    assert_eq!(ok("count", Book::count(c).await), 2501);
    let bad = [NewBook::new("bad", a.id).with_pages(0)];
    assert!(
        Book::insert_many(c, &bad).await.is_err(),
        "the domain's check"
    );

    let tags: Vec<NewTag> = (0..100)
        .map(|i| NewTag::new(format!("t{i}")).with_uses(i + 1))
        .collect();
    assert_eq!(ok("copy", Tag::insert_many(c, &tags).await), 100);
    let t = ok("find", Tag::find_by_label(c, "t9").await).expect("row");
    assert_eq!(t.uses, 10);
    let bad = [NewTag::new("zero").with_uses(0)];
    assert!(
        Tag::insert_many(c, &bad).await.is_err(),
        "the domain's check"
    );
    let up = ok(
        "upsert",
        Tag::upsert_by_label(c, &NewTag::new("t9").with_uses(99)).await,
    );
    assert_eq!((up.id, up.uses), (t.id, 99));
}
