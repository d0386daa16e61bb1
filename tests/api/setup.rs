use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn first_run_setup_is_offered_once_then_gone_for_good() {
    let app = spawn().await;
    let anon = app.client();
    let res = anon.get("/").await;
    assert_eq!(location(&res), "/setup");
    let res = anon.get("/login").await;
    assert_eq!(
        location(&res),
        "/setup",
        "login sends to setup while nobody exists"
    );
    let (status, doc) = anon.get_html("/setup").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["Create the first administrator"]);

    let mut admin = app.setup_admin().await;
    let (status, doc) = admin.get_html("/contacts").await;
    assert_eq!(status, StatusCode::OK, "the new admin is signed in");
    assert!(texts(&doc, ".me a").contains(&"Ada Admin".to_string()));

    // Gone: for the admin, for anonymous visitors, and for a second POST.
    assert_eq!(admin.get("/setup").await.status(), StatusCode::NOT_FOUND);
    let mut other = app.client();
    assert_eq!(other.get("/setup").await.status(), StatusCode::NOT_FOUND);
    other.refresh_csrf("/login").await;
    let res = other
        .post(
            "/setup",
            &[
                ("name", "Eve"),
                ("email", "eve@evil.example"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let mut c = app.conn();
    assert_eq!(rapport::staff::repo::count_users(&mut c).expect("count"), 1);
    assert_eq!(location(&admin.get("/").await), "/contacts");
    let _ = admin.post("/logout", &[]).await;
}

#[tokio::test]
async fn setup_form_reports_errors_beside_fields_and_keeps_values() {
    let app = spawn().await;
    let mut c = app.client();
    let res = c
        .post(
            "/setup",
            &[
                ("name", "Ada"),
                ("email", "not-an-email"),
                ("password", "password"),
                ("password_confirm", "password"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#email-error").len(), 1);
    assert!(texts(&doc, "#password-error")[0].contains("too common"));
    let sel = scraper::Selector::parse("#name").expect("sel");
    assert_eq!(
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("Ada")
    );
    let mut conn = app.conn();
    assert_eq!(
        rapport::staff::repo::count_users(&mut conn).expect("count"),
        0,
        "nothing half-written"
    );
}
