//! Issue 6's "fix on the way" items: secrets out of `Debug`, the password
//! change throttled like sign-in, case-insensitive form detection, a body
//! read deadline, the CSRF token never in the address. (Data files and
//! upload retention: data_files.rs; internationalised addresses: emails.rs.)

use std::time::{Duration, Instant};

use diesel::dsl::count_star;
use diesel::prelude::*;
use rapport::db::schema::contacts;
use reqwest::StatusCode;
use scraper::Selector;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;
use crate::import_export::{multipart_body, multipart_type};

#[test]
fn config_debug_shows_no_secret() {
    let db = TestDb::new();
    let mut config = test_config(&db);
    config.database =
        rapport::db::DbUrl::parse("mysql://rapport:db-pa55word@db.internal:3306/rapport")
            .expect("url");
    config.smtp_url = Some("smtps://mailer:smtp-pa55word@smtp.example.com:465".into());
    config.secret_key = b"0123456789abcdef-the-secret-key-0123456789abcdef".to_vec();
    let shown = format!("{config:?} {config:#?}");
    for secret in [
        "db-pa55word",
        "smtp-pa55word",
        "the-secret-key",
        "48, 49, 50",
    ] {
        assert!(!shown.contains(secret), "{secret:?} shown in {shown}");
    }
    // Still useful: where things are.
    for visible in [
        "db.internal",
        "smtp.example.com",
        "mailer",
        "import_retention",
    ] {
        assert!(shown.contains(visible), "{visible:?} missing from {shown}");
    }
    let unparseable = rapport::db::DbUrl::Mysql("mysql://u:p@ss w0rd@host/db".into());
    assert!(!format!("{unparseable:?}").contains("w0rd"));
}

#[tokio::test]
async fn a_wrong_current_password_is_throttled_like_sign_in() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let wrong = [
        ("current_password", "not-my-password"),
        ("new_password", "another-Long-pass-7"),
        ("new_password_confirm", "another-Long-pass-7"),
    ];
    for attempt in 1..=rapport::auth::throttle::MAX_FAILURES {
        let res = admin.post("/account/password", &wrong).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {attempt}"
        );
    }
    // Now even the right password is not checked.
    let right = [
        ("current_password", PASSWORD),
        ("new_password", "another-Long-pass-7"),
        ("new_password_confirm", "another-Long-pass-7"),
    ];
    let res = admin.post("/account/password", &right).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    let doc = html(res).await;
    assert!(
        texts(&doc, "#current_password-error")
            .concat()
            .contains("Too many failed attempts"),
        "the reason beside the field"
    );
    // One counter with sign-in: this account from this address.
    let mut other = app.client();
    let res = other
        .post("/login", &[("email", ADMIN_EMAIL), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // The password did not change, and the session is still valid.
    assert_eq!(admin.get("/account").await.status(), StatusCode::OK);
    let mut elsewhere = app.client_from("127.0.0.2");
    let res = elsewhere
        .post("/login", &[("email", ADMIN_EMAIL), ("password", PASSWORD)])
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "old password still works"
    );
}

pub fn contact_count(app: &TestApp) -> i64 {
    contacts::table
        .select(count_star())
        .get_result(&mut app.conn())
        .expect("count")
}

#[tokio::test]
async fn a_mixed_case_form_content_type_is_still_a_form() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let token = admin.csrf.clone().expect("token");
    let mixed = "Application/X-WWW-Form-Urlencoded; Charset=UTF-8";
    // Invalid UTF-8, token in the header (as htmx sends it): refused, not
    // stored with replacement characters.
    let res = admin
        .http
        .post(admin.url("/contacts"))
        .header("content-type", mixed)
        .header("X-CSRF-Token", &token)
        .body(b"first_name=Team%ff&last_name=Mixed".to_vec())
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(contact_count(&app), 0);
    // A valid one, token in the body: read like any form.
    let res = admin
        .http
        .post(admin.url("/contacts"))
        .header("content-type", mixed)
        .body(format!("_csrf={token}&first_name=Ada&last_name=Mixed"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(contact_count(&app), 1);
}

/// Sends a request head and then the body one byte a second; returns the
/// start of the answer and how long it took.
async fn trickle(base: &str, head: String, body_len: usize) -> (String, Duration) {
    let addr = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let started = Instant::now();
    stream.write_all(head.as_bytes()).await.expect("head");
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    for _ in 0..body_len {
        if stream.write_all(b"a").await.is_err() {
            break;
        }
        match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => {
                answer.extend_from_slice(&buf[..n]);
                break;
            }
            Err(_) => {} // no answer yet; the next byte
        }
    }
    (
        String::from_utf8_lossy(&answer).to_string(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn a_trickled_body_is_cut_off_with_408() {
    let app = spawn().await;
    let body_len = 60;
    let head = format!(
        "POST /setup HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {body_len}\r\n\r\n"
    );
    let (answer, took) = trickle(&app.base, head, body_len).await;
    let status = answer.lines().next().unwrap_or_default();
    assert!(status.contains(" 408 "), "answer: {answer:?}");
    let answer = answer.to_ascii_lowercase();
    assert!(answer.contains("connection: close"), "{answer}");
    assert!(answer.contains("too slow"), "a page saying why: {answer}");
    assert!(
        took < Duration::from_secs(20),
        "cut off long before the body would end ({took:?})"
    );
    // An ordinary form is read as before.
    let mut anon = app.client();
    let res = anon.post("/setup", &[("name", ""), ("email", "x")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_csrf_token_is_never_taken_from_the_address() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let token = admin.csrf.clone().expect("token");
    // A form with the token in the query string instead of the body.
    let res = admin
        .http
        .post(admin.url(&format!("/contacts?_csrf={token}")))
        .form(&[("first_name", "Query"), ("last_name", "Token")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // An upload likewise; as the first field it works.
    let body = |t: &str| multipart_body(t, "a.csv", b"Name,Email\nA,a@test.example\n", "update");
    let res = admin
        .http
        .post(admin.url(&format!("/contacts/import?_csrf={token}")))
        .header("content-type", multipart_type())
        .body(body("wrong"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = admin
        .http
        .post(admin.url("/contacts/import"))
        .header("content-type", multipart_type())
        .body(body(&token))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(contact_count(&app), 0);
    // The upload page's form carries it as its first field, not in the action.
    let (_, doc) = admin.get_html("/contacts/import").await;
    let form = Selector::parse("form.import-upload").expect("selector");
    let form = doc.select(&form).next().expect("upload form");
    assert_eq!(form.value().attr("action"), Some("/contacts/import"));
    let first = Selector::parse("input").expect("selector");
    let first = form.select(&first).next().expect("an input");
    assert_eq!(first.value().attr("name"), Some("_csrf"));
}
