//! Contacts: create, edit, delete, notes, list/search/sort/pagination — each
//! as a plain form (JS off) and as htmx sends it.

use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use crate::helpers::*;

fn field_value(doc: &scraper::Html, css: &str) -> Option<String> {
    let sel = scraper::Selector::parse(css).expect("selector");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .map(str::to_string)
}

#[tokio::test]
async fn create_edit_and_delete_with_plain_forms_and_htmx() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", " Ada "),
                ("last_name", "Lovelace"),
                ("email", "ADA@Example.com"),
                ("phone", "+44 20 7946 0958"),
                ("account_name", "Analytical Engines"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at = location(&res);
    let (status, doc) = admin.get_html(&at).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["Ada Lovelace"]);
    assert_eq!(texts(&doc, ".flash"), vec!["Contact created."]);
    let facts = texts(&doc, ".facts dd").join("|");
    assert!(
        facts.contains("ada@example.com") && facts.contains("Ada Admin"),
        "{facts}"
    );
    assert_eq!(
        texts(&doc, ".subtitle a"),
        vec!["Analytical Engines"],
        "the company became a linked account"
    );

    // htmx create: a client-side redirect instead of a 303.
    let res = admin
        .post_htmx(
            "/contacts",
            &[("first_name", "Charles"), ("last_name", "Babbage")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let babbage = res.headers()["hx-redirect"]
        .to_str()
        .expect("hx-redirect")
        .to_string();
    assert!(babbage.starts_with("/contacts/"));

    // Edit keeps the values in the form, saves, and shows them.
    let (_, doc) = admin.get_html(&format!("{at}/edit")).await;
    assert_eq!(
        field_value(&doc, "#email").as_deref(),
        Some("ada@example.com")
    );
    let res = admin
        .post(
            &at,
            &[
                ("first_name", "Augusta Ada"),
                ("last_name", "King"),
                ("email", "ada@example.com"),
                ("account_name", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html(&at).await;
    assert_eq!(texts(&doc, "h1"), vec!["Augusta Ada King"]);
    assert!(texts(&doc, ".subtitle a").is_empty(), "cleared company");

    // Invalid edit: 422, values kept, nothing saved.
    let res = admin
        .post(
            &at,
            &[("first_name", ""), ("last_name", ""), ("email", "nope")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(field_value(&doc, "#email").as_deref(), Some("nope"));
    assert!(!texts(&doc, "#first_name-error").is_empty());
    assert_eq!(
        texts(&admin.get_html(&at).await.1, "h1"),
        vec!["Augusta Ada King"]
    );

    // Delete, plain and htmx.
    let res = admin.post(&format!("{at}/delete"), &[]).await;
    assert_eq!(location(&res), "/contacts");
    assert_eq!(admin.get(&at).await.status(), StatusCode::NOT_FOUND);
    let res = admin.post_htmx(&format!("{babbage}/delete"), &[]).await;
    assert_eq!(res.headers()["hx-redirect"], "/contacts");
    assert_eq!(admin.get(&babbage).await.status(), StatusCode::NOT_FOUND);

    // Everything is in the audit log.
    let (_, doc) = admin.get_html("/admin/audit").await;
    let actions: Vec<String> = texts(&doc, "tbody tr td:nth-child(3)");
    for action in ["create", "update", "delete"] {
        assert!(
            actions.iter().any(|a| a == action),
            "audit has {action}: {actions:?}"
        );
    }
}

#[tokio::test]
async fn notes_are_added_inline_with_htmx_and_by_plain_post() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app
        .create_contact(&mut admin, "Grace", "Hopper", "grace@test.example")
        .await;
    let path = format!("/contacts/{id}/activities");

    let res = admin
        .post(&path, &[("body", "First call: wants a demo.")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/contacts/{id}#timeline"));

    let res = admin
        .post_htmx(&path, &[("body", "Second: demo booked.")])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.expect("fragment");
    assert!(
        !body.contains("<html"),
        "htmx gets the timeline fragment only"
    );
    let frag = scraper::Html::parse_fragment(&body);
    assert_eq!(
        texts(&frag, "section#timeline li.activity p.body"),
        vec!["Second: demo booked.", "First call: wants a demo."],
        "newest first"
    );
    assert_eq!(
        texts(&frag, "textarea#note-body"),
        vec![""],
        "the form is cleared"
    );

    let res = admin.post_htmx(&path, &[("body", "   ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let frag = scraper::Html::parse_fragment(&res.text().await.expect("body"));
    assert_eq!(texts(&frag, "#note-error"), vec!["Write something first."]);
    let res = admin.post(&path, &[("body", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&html(res).await, "h1").contains(&"Grace Hopper".to_string()),
        "full page without JS"
    );
    let (_, doc) = admin.get_html(&format!("/contacts/{id}")).await;
    assert_eq!(texts(&doc, "li.activity").len(), 2, "no empty notes saved");
}

#[tokio::test]
async fn list_searches_sorts_and_pages_as_fragment_or_full_page() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    for i in 0..30 {
        let last = format!("Person{i:02}");
        app.create_contact(&mut admin, "Test", &last, &format!("p{i}@list.example"))
            .await;
    }
    app.create_contact(&mut admin, "Zed", "Ultimate", "zed@other.example")
        .await;

    let res = admin.get("/contacts").await;
    assert!(
        res.headers()
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap_or("").contains("HX-Request"))
    );
    assert_eq!(res.headers()["cache-control"], "no-store");
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#results tbody tr").len(),
        25,
        "a page holds 25"
    );
    assert!(texts(&doc, ".pager").join(" ").contains("1–25 of 31"));

    let (_, doc) = admin.get_html("/contacts?sort=name&dir=asc&page=2").await;
    let names = texts(&doc, "#results tbody tr td:first-child a");
    assert_eq!(names.first().map(String::as_str), Some("Test Person25"));
    assert_eq!(names.last().map(String::as_str), Some("Zed Ultimate"));
    let (_, doc) = admin.get_html("/contacts?sort=name&dir=desc").await;
    assert_eq!(
        texts(&doc, "#results tbody tr td:first-child a")
            .first()
            .map(String::as_str),
        Some("Zed Ultimate")
    );
    let (_, doc) = admin.get_html("/contacts?page=999").await;
    assert!(
        texts(&doc, ".pager").join(" ").contains("Page 2 of 2"),
        "clamped to the last page"
    );

    // Search-as-you-type: htmx gets only the results region.
    let res = admin.get_htmx("/contacts?q=person0").await;
    let body = res.text().await.expect("body");
    assert!(
        body.trim_start().starts_with("<div id=\"results\">"),
        "{}",
        &body[..80.min(body.len())]
    );
    let frag = scraper::Html::parse_fragment(&body);
    assert_eq!(texts(&frag, "tbody tr").len(), 10);
    // Two words must both match (first and last name).
    let (_, doc) = admin.get_html("/contacts?q=zed+ultim").await;
    assert_eq!(
        texts(&doc, "#results tbody tr td:first-child a"),
        vec!["Zed Ultimate"]
    );
    let (_, doc) = admin.get_html("/contacts?q=zed%40other").await;
    assert_eq!(
        texts(&doc, "#results tbody tr").len(),
        1,
        "email is searched"
    );
    // LIKE wildcards are literal.
    let (_, doc) = admin.get_html("/contacts?q=%25").await;
    assert!(texts(&doc, "#results tbody tr").is_empty());
    // htmx history restore needs the full page.
    let res = admin
        .http
        .get(admin.url("/contacts?q=zed"))
        .header("HX-Request", "true")
        .header("HX-History-Restore-Request", "true")
        .send()
        .await
        .expect("get");
    assert!(res.text().await.expect("body").contains("<html"));
}

#[tokio::test]
async fn pages_carry_security_headers_and_htmx_is_served_pinned() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let res = admin.get("/contacts").await;
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(
        csp.contains("script-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(h.get("x-request-id").is_some());
    let doc = html(res).await;
    let sel = scraper::Selector::parse("script").expect("selector");
    for script in doc.select(&sel) {
        assert!(
            script
                .value()
                .attr("src")
                .is_some_and(|s| s.starts_with("/static/")),
            "no inline or foreign script"
        );
    }

    let sums = include_str!("../../static/vendor/htmx/SHA256SUMS");
    let expected = sums.split_whitespace().next().expect("checksum");
    let res = admin.get("/static/vendor/htmx/htmx.min.js").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/javascript")
    );
    let etag = res.headers()["etag"].to_str().expect("etag").to_string();
    let bytes = res.bytes().await.expect("bytes");
    assert_eq!(
        format!("{:x}", Sha256::digest(&bytes)),
        expected,
        "served htmx matches the recorded checksum"
    );
    assert!(
        std::str::from_utf8(&bytes).expect("utf8").contains("2.0."),
        "htmx 2.x"
    );
    let res = admin
        .http
        .get(admin.url("/static/vendor/htmx/htmx.min.js"))
        .header("if-none-match", etag)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        admin.get("/static/../Cargo.toml").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin.get("/static/vendor/htmx/LICENSE").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_search_matching_hundreds_lists_the_most_recently_updated_first() {
    use diesel::prelude::*;
    use rapport::db::schema::contacts;
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let owner = app.user_id(ADMIN_EMAIL);
    let base = rapport::db::now();
    let mut c = app.conn();
    // More matches than the dense-search threshold (500), updated one minute apart.
    for i in 0..620i64 {
        let at = base - chrono::Duration::minutes(i * 7 % 620);
        diesel::insert_into(contacts::table)
            .values((
                contacts::first_name.eq(format!("P{i}")),
                contacts::last_name.eq("Densely"),
                contacts::owner_id.eq(owner),
                contacts::created_at.eq(at),
                contacts::updated_at.eq(at),
            ))
            .execute(&mut c)
            .expect("insert");
    }
    // Written straight to the table: give them their search terms as the app would.
    rapport::search::index::rebuild(&mut c).expect("search terms");
    let (_, doc) = admin.get_html("/contacts?q=dens").await;
    let names = texts(&doc, "#results tbody tr td:first-child a");
    assert_eq!(names.len(), 25);
    assert_eq!(names[0], "P0 Densely", "newest first");
    assert_eq!(
        names[1], "P443 Densely",
        "then one minute older (443 * 7 % 620 = 1)"
    );
    let (_, doc) = admin.get_html("/contacts?q=dens&sort=name&dir=asc").await;
    assert_eq!(texts(&doc, "#results tbody tr").len(), 25);
    assert!(texts(&doc, ".pager").join(" ").contains("of 620"));
}
