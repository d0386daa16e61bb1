//! The editor and segments over HTTP: live counts, header injection
//! refused beside the field, preview with merge fields, test send.

use reqwest::StatusCode;

use super::*;
use crate::helpers::*;

#[tokio::test]
async fn segments_count_and_sample_in_sql_live() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, "sh", 7, "Shanghai", "subscribed");
    add_contacts(&app, "shu", 2, "Shanghai", "unsubscribed");
    add_contacts(&app, "bj", 4, "Beijing", "subscribed");
    // The live preview htmx asks for as the filter changes.
    let res = admin.get_htmx("/segments/new?city=Shanghai").await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    let heading = texts(&doc, "#segment-preview h2");
    assert_eq!(heading, vec!["9 contacts match"]);
    assert_eq!(
        texts(&doc, "#segment-mailable"),
        vec!["7 of them are subscribed with an address"]
    );
    let res = admin
        .get_htmx("/segments/new?city=Shanghai&consent=unsubscribed")
        .await;
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#segment-preview h2"), vec!["2 contacts match"]);
    // Bad input: beside the field, 422, nothing saved.
    let res = admin
        .post("/segments", &[("name", ""), ("created_from", "yesterday")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#name-error").len(), 1);
    assert_eq!(texts(&doc, "#created_from-error").len(), 1);
    // A static list by address.
    let res = admin
        .post(
            "/segments",
            &[
                ("name", "VIP"),
                ("kind", "static"),
                (
                    "emails",
                    "sh1@test.example\nbj2@test.example\nnobody@test.example",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html(&location(&res)).await;
    assert_eq!(texts(&doc, "#segment-preview h2"), vec!["2 contacts match"]);
    let seg = segment(&mut admin, "Shanghai", "Shanghai").await;
    let (status, doc) = admin.get_html(&format!("/segments/{seg}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#segment-preview h2"), vec!["9 contacts match"]);
}

#[tokio::test]
async fn header_values_with_line_breaks_are_refused_beside_the_field() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let seg = segment(&mut admin, "All", "").await;
    let seg = seg.to_string();
    for (field, value) in [
        ("subject", "Hello\r\nBcc: everyone@test.example"),
        ("from_name", "News\nBcc: x@test.example"),
        ("reply_to", "a@test.example\r\nCc: b@test.example"),
    ] {
        let mut form = vec![
            ("name", "Injected"),
            ("segment_id", seg.as_str()),
            ("from_addr", "rapport@test.example"),
            ("subject", "Fine"),
            ("body", "Body"),
            ("body_format", "markdown"),
        ];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let res = admin.post("/campaigns", &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let doc = html(res).await;
        assert_eq!(
            texts(&doc, &format!("#{field}-error")),
            vec!["Line breaks are not allowed here."],
            "{field}"
        );
    }
    // A sender that is not configured, and a template syntax error.
    let res = admin
        .post(
            "/campaigns",
            &[
                ("name", "Spoof"),
                ("from_addr", "ceo@elsewhere.example"),
                ("subject", "x"),
                ("body", "{% for %}"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#from_addr-error").len(), 1);
    assert_eq!(texts(&doc, "#body-error").len(), 1);
}

#[tokio::test]
async fn preview_as_a_contact_merges_and_escapes_and_a_test_goes_to_oneself() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let ids = add_contacts(&app, "pv", 2, "Turin", "subscribed");
    let mut c = app.conn();
    use diesel::prelude::*;
    diesel::update(rapport::db::schema::contacts::table.find(ids[1]))
        .set(rapport::db::schema::contacts::first_name.eq("<script>x</script>"))
        .execute(&mut c)
        .unwrap();
    let seg = segment(&mut admin, "Turin", "Turin").await;
    let id = campaign(&mut admin, "Preview", seg, &[]).await;
    let (status, doc) = admin
        .get_html(&format!("/campaigns/{id}/preview?contact_id={}", ids[0]))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#preview-subject"), vec!["Hello First0"]);
    assert_eq!(texts(&doc, "#preview-html strong"), vec!["First0 pv0"]);
    let res = admin
        .get(&format!("/campaigns/{id}/preview?contact_id={}", ids[1]))
        .await;
    let body = res.text().await.unwrap();
    assert!(!body.contains("<script>x</script>"), "escaped");
    assert!(body.contains("&lt;script&gt;x&lt;/script&gt;"));
    // Test send: through the outbox, to the signed-in user.
    let res = admin.post(&format!("/campaigns/{id}/test"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to: Vec<String> = rapport::db::schema::mail_outbox::table
        .select(rapport::db::schema::mail_outbox::to_addr)
        .load(&mut c)
        .unwrap();
    assert_eq!(to, vec![ADMIN_EMAIL.to_string()]);
    assert_eq!(status_of(&mut c, id), "draft", "a test sends nothing else");
    // Without a segment there is no launch.
    let bare = {
        let res = admin
            .post(
                "/campaigns",
                &[
                    ("name", "No audience"),
                    ("from_addr", "rapport@test.example"),
                    ("subject", "x"),
                    ("body", "y"),
                ],
            )
            .await;
        location(&res)
            .trim_start_matches("/campaigns/")
            .parse::<i64>()
            .unwrap()
    };
    let res = admin
        .post(&format!("/campaigns/{bare}/launch"), &[("when", "")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

fn status_of(c: &mut rapport::db::DbConn, id: i64) -> String {
    super::status(c, id)
}

#[tokio::test]
async fn a_segment_of_customers_who_spent_at_least_an_amount() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let ids = add_contacts(&app, "spend", 3, "Lima", "subscribed");
    let currency: String = {
        use rapport::db::schema::workspace_settings;
        workspace_settings::table
            .select(workspace_settings::currency)
            .first(&mut app.conn())
            .expect("workspace")
    };
    // The order figures the insights job keeps: 50.00 and 200.00 spent,
    // the third contact never ordered.
    {
        use rapport::db::schema::customer_metrics as cm;
        for (id, revenue) in [(ids[0], 5_000_i64), (ids[1], 20_000)] {
            diesel::insert_into(cm::table)
                .values((
                    cm::contact_id.eq(id),
                    cm::stage.eq("new_customer"),
                    cm::recency.eq(3),
                    cm::frequency.eq(3),
                    cm::monetary.eq(3),
                    cm::rfm.eq("333"),
                    cm::orders.eq(1_i64),
                    cm::revenue_minor.eq(revenue),
                    cm::currency.eq(&currency),
                    cm::computed_at.eq(rapport::db::now()),
                ))
                .execute(&mut app.conn())
                .expect("metrics");
        }
    }
    let count = async |admin: &Client, q: &str| {
        let doc = html(
            admin
                .get_htmx(&format!("/segments/new?city=Lima&{q}"))
                .await,
        )
        .await;
        texts(&doc, "#segment-preview h2")
    };
    assert_eq!(
        count(&admin, "spent_at_least=100").await,
        vec!["1 contact matches"]
    );
    assert_eq!(
        count(&admin, "spent_at_least=10").await,
        vec!["2 contacts match"]
    );
    assert_eq!(
        count(&admin, "spent_at_least=").await,
        vec!["3 contacts match"]
    );
    let res = admin
        .post(
            "/segments",
            &[
                ("name", "Bad"),
                ("city", "Lima"),
                ("spent_at_least", "lots"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#spent_at_least-error").len(),
        1,
        "beside the field"
    );

    let res = admin
        .post(
            "/segments",
            &[
                ("name", "Big spenders"),
                ("city", "Lima"),
                ("spent_at_least", "100"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html(&location(&res)).await;
    assert_eq!(
        texts(&doc, "#segment-preview h2"),
        vec!["1 contact matches"]
    );
    let value = doc
        .select(&scraper::Selector::parse("#spent_at_least").unwrap())
        .next()
        .and_then(|e| e.value().attr("value").map(str::to_string));
    assert!(
        value.as_deref().is_some_and(|v| v.starts_with("100")),
        "{value:?}"
    );
}
