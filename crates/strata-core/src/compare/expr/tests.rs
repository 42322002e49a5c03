use super::*;
use serde_json::json;

fn same(a: &str, b: &str) {
    assert_eq!(normalize(a), normalize(b), "{a}  vs  {b}");
}

#[test]
fn server_forms_compare_equal_to_written_ones() {
    same("price_cents >= 0", "(price_cents >= 0)");
    same("price >= 0", "(price >= (0)::numeric)");
    same(
        "temperature BETWEEN 0 AND 2",
        "((temperature >= (0)::double precision) AND (temperature <= (2)::double precision))",
    );
    same(
        "sender IN ('user', 'bot')",
        "(sender = ANY (ARRAY['user'::text, 'bot'::text]))",
    );
    same(
        "sender IN ('user', 'bot')",
        "((sender)::text = ANY ((ARRAY['user'::character varying, 'bot'::character varying])::text[]))",
    );
    same(
        "(context->'vars'->>'taskId')",
        "((context -> 'vars'::text) ->> 'taskId'::text)",
    );
    same(
        "to_tsvector('english', content)",
        "to_tsvector('english'::regconfig, content)",
    );
    same(
        "'asst_' || gen_random_uuid()",
        "('asst_'::text || gen_random_uuid())",
    );
    same("email LIKE '%@%'", "((email)::text ~~ '%@%'::text)");
    same("a != b", "(a <> b)");
    same("x > -1", "(x > '-1'::integer)");
    same("is_deleted = false", "(is_deleted = false)");
    same("Lower(Email)", "lower(email)");
    same("a IS NOT NULL AND b > 0", "((a IS NOT NULL) AND (b > 0))");
    same("\"userId\" <> ''", "(\"userId\" <> ''::text)");
    same("CAST(x AS int)", "(x)::integer");
}

#[test]
fn real_differences_stay_different() {
    assert_ne!(normalize("a > 0"), normalize("a >= 0"));
    assert_ne!(normalize("a + b * c"), normalize("(a + b) * c"));
    assert_ne!(normalize("a AND b OR c"), normalize("a AND (b OR c)"));
    assert_ne!(normalize("\"userId\" > 0"), normalize("userid > 0"));
    assert_ne!(normalize("'a'"), normalize("'b'"));
}

#[test]
fn tidy_reads_like_a_person_wrote_it() {
    assert_eq!(tidy("(price_cents >= 0)"), "price_cents >= 0");
    assert_eq!(
        tidy("((temperature >= (0)::double precision) AND (temperature <= (2)::double precision))"),
        "temperature BETWEEN 0 AND 2"
    );
    assert_eq!(
        tidy("('asst_'::text || gen_random_uuid())"),
        "'asst_' || gen_random_uuid()"
    );
    assert_eq!(
        tidy("to_tsvector('english'::regconfig, content)"),
        "to_tsvector('english', content)"
    );
    assert_eq!(
        tidy("((email)::text ~~ '%@%'::text)"),
        "email::text LIKE '%@%'"
    );
    assert_eq!(tidy("(x > '-1'::integer)"), "x > -1");
    assert_eq!(tidy("((a + b) * c)"), "(a + b) * c");
    assert_eq!(tidy("(a - (b - c))"), "a - (b - c)");
    assert_eq!(tidy("((a - b) - c)"), "a - b - c");
    assert_eq!(tidy("(NOT (a AND b))"), "NOT (a AND b)");
    assert_eq!(
        tidy("(status <> ALL (ARRAY['x'::text]))"),
        "status NOT IN ('x')"
    );
    assert_eq!(
        tidy("CASE WHEN (a > 0) THEN 'x'::text ELSE 'y'::text END"),
        "CASE WHEN a > 0 THEN 'x' ELSE 'y' END"
    );
    assert_eq!(tidy("(tags)[1]"), "tags[1]");
    assert_eq!(tidy("COALESCE(a, b)"), "coalesce(a, b)");
    assert_eq!(
        tidy(
            "((sender)::text = ANY ((ARRAY['user'::character varying, 'bot'::character varying])::text[]))"
        ),
        "sender IN ('user', 'bot')"
    );
    assert_eq!(tidy("weird $$ thing"), "weird $$ thing");
}

#[test]
fn tidy_is_a_fixed_point_of_itself() {
    for s in [
        "(a - (b - c))",
        "((temperature >= (0)::double precision) AND (temperature <= (2)::double precision))",
        "((context -> 'vars'::text) ->> 'taskId'::text)",
        "(- (- x))",
    ] {
        let once = tidy(s);
        assert_eq!(tidy(&once), once, "{s}");
        assert_eq!(normalize(&once), normalize(s), "{s}");
    }
}

#[test]
fn literal_defaults() {
    let t = |base, array| ColumnType { base, array };
    assert_eq!(
        literal_default("'x'::text", &t(BaseType::Text, false)),
        Some(Literal::String("x".into()))
    );
    assert_eq!(
        literal_default(
            "'USD'::character varying",
            &t(BaseType::Varchar(Some(3)), false)
        ),
        Some(Literal::String("USD".into()))
    );
    assert_eq!(
        literal_default("0", &t(BaseType::Integer, false)),
        Some(Literal::Integer(0))
    );
    assert_eq!(
        literal_default("0.7", &t(BaseType::Double, false)),
        Some(Literal::Number("0.7".into()))
    );
    assert_eq!(
        literal_default("true", &t(BaseType::Boolean, false)),
        Some(Literal::Bool(true))
    );
    assert_eq!(
        literal_default("'{}'::jsonb", &t(BaseType::Jsonb, false)),
        Some(Literal::Json(json!({})))
    );
    assert_eq!(
        literal_default("'[\"links\", \"faq\"]'::jsonb", &t(BaseType::Jsonb, false)),
        Some(Literal::Json(json!(["links", "faq"])))
    );
    assert_eq!(
        literal_default(
            "'pending'::status",
            &t(BaseType::Enum("status".into()), false)
        ),
        Some(Literal::String("pending".into()))
    );
    // An array constructor stays SQL: its literal form re-applies as another `pg_get_expr`.
    assert_eq!(
        literal_default("ARRAY['a'::text, 'b'::text]", &t(BaseType::Text, true)),
        None
    );
    assert_eq!(
        literal_default("ARRAY[3, 7]", &t(BaseType::Integer, true)),
        None
    );
    assert_eq!(
        literal_default("'{1,2}'::integer[]", &t(BaseType::Integer, true)),
        Some(Literal::Json(json!([1, 2])))
    );
    assert_eq!(
        literal_default("'{}'::uuid[]", &t(BaseType::Uuid, true)),
        Some(Literal::Json(json!([])))
    );
    assert_eq!(
        literal_default("'NaN'::double precision", &t(BaseType::Double, false)),
        Some(Literal::Number("NaN".into()))
    );
    assert_eq!(
        literal_default("now()", &t(BaseType::Timestamptz(None), false)),
        None
    );
    assert_eq!(
        literal_default(
            "('a'::text || gen_random_uuid())",
            &t(BaseType::Text, false)
        ),
        None
    );
    assert_eq!(
        literal_default("E'it''s\\n'::text", &t(BaseType::Text, false)),
        Some(Literal::String("it's\n".into()))
    );
}

#[test]
fn words_like_the_loader() {
    assert_eq!(
        words("(context->'vars'->>'taskId')", |_| true),
        ["context", "vars", "taskId"]
    );
    assert_eq!(
        words("price_cents >= 0 AND price_cents < 10", |w| w
            == "price_cents"),
        ["price_cents"]
    );
}
