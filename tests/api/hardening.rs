//! Issue 6's "fix on the way" items: secrets out of `Debug`, the password
//! change throttled like sign-in, owner-only data files and the retention of
//! uploads, case-insensitive form detection, a body read deadline, the CSRF
//! token never in the address, internationalised email addresses.

use std::time::{Duration, Instant, SystemTime};

use diesel::dsl::count_star;
use diesel::prelude::*;
use rapport::db::schema::{contacts, import_errors, imports};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;
use crate::import_export::{import, multipart_body, multipart_type, report, uploaded};

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

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn age_forty_days(path: &std::path::Path) {
    let forty_days_ago = SystemTime::now() - Duration::from_secs(40 * 24 * 3600);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(forty_days_ago))
        .expect("age the file");
}

#[cfg(unix)]
#[tokio::test]
async fn data_files_are_private_and_uploads_expire() {
    use std::os::unix::fs::PermissionsExt;
    let db = TestDb::new();
    // As an older version left it: readable by everyone.
    std::fs::set_permissions(db.dir(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let app = spawn_on(db, |_| {}).await;
    let mut admin = app.setup_admin().await;
    let dir = app.db.dir().to_path_buf();
    for folder in [dir.clone(), dir.join("imports"), dir.join("mail")] {
        assert_eq!(mode(&folder), 0o700, "{}", folder.display());
    }
    if backend() == Backend::Sqlite {
        for file in ["test.db", "test.db-wal", "test.db-shm"] {
            assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
        }
    }
    let (old, counts) = import(
        &mut admin,
        "old.csv",
        b"Name,Email\nOld One,old1@test.example\nBad Row,not-an-email\n",
        "update",
    )
    .await;
    assert_eq!((counts.created, counts.errors), (1, 1));
    let recent = uploaded(
        &admin,
        "recent.csv",
        b"Name,Email\nNew,new@test.example\n",
        "update",
    )
    .await;
    let file = |id: i64| dir.join("imports").join(format!("{id}.csv"));
    assert_eq!(mode(&file(old)), 0o600, "uploaded file");
    assert_eq!(mode(&file(recent)), 0o600, "uploaded file");

    // Forty days pass for the first upload; a restart cleans up.
    age_forty_days(&file(old));
    let restarted =
        rapport::startup::Application::build(test_config(&app.db)).expect("second start");
    drop(restarted);
    assert!(!file(old).exists(), "expired upload removed at start");
    assert!(file(recent).exists(), "recent upload kept");

    // The import and its report stay.
    let mut c = app.conn();
    let rows: i64 = imports::table
        .filter(imports::id.eq(old))
        .select(count_star())
        .get_result(&mut c)
        .expect("count");
    let errors: i64 = import_errors::table
        .filter(import_errors::import_id.eq(old))
        .select(count_star())
        .get_result(&mut c)
        .expect("count");
    assert_eq!((rows, errors), (1, 1));
    let report = report(&admin, old).await;
    assert_eq!(report.len(), 2, "header and the bad row: {report:?}");
    assert_eq!(report[1][0], "3");

    // The clean-up is a plain function the jobs runner can call.
    age_forty_days(&file(recent));
    let removed =
        rapport::imports::remove_expired_uploads(&mut c, &dir, Duration::from_secs(30 * 24 * 3600))
            .expect("clean-up");
    assert_eq!(removed, 1);
    assert!(!file(recent).exists());
}

fn contact_count(app: &TestApp) -> i64 {
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

/// The fields a browser would send back from the first form matching `css`.
fn form_fields(doc: &Html, css: &str) -> (String, Vec<(String, String)>) {
    let form = Selector::parse(css).expect("selector");
    let form = doc.select(&form).next().expect("the form");
    let field = Selector::parse("input[name], select[name], textarea[name]").expect("selector");
    let selected = Selector::parse("option[selected]").expect("selector");
    let mut out = Vec::new();
    for e in form.select(&field) {
        let v = e.value();
        let name = v.attr("name").unwrap_or_default().to_string();
        let value = match v.name() {
            "select" => e
                .select(&selected)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_string(),
            "textarea" => e.text().collect(),
            _ => {
                if matches!(v.attr("type"), Some("checkbox" | "radio"))
                    && v.attr("checked").is_none()
                {
                    continue;
                }
                v.attr("value").unwrap_or_default().to_string()
            }
        };
        out.push((name, value));
    }
    let action = form.value().attr("action").unwrap_or_default().to_string();
    (action, out)
}

#[tokio::test]
async fn internationalised_email_addresses_save_through_create_edit_and_import() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app
        .create_contact(
            &mut admin,
            "Margaret",
            "Müller",
            "Margaret.Müller.22@Example.com",
        )
        .await;
    let stored = |app: &TestApp, id: i64| -> Option<String> {
        contacts::table
            .find(id)
            .select(contacts::email)
            .first(&mut app.conn())
            .expect("contact")
    };
    assert_eq!(
        stored(&app, id).as_deref(),
        Some("margaret.müller.22@example.com")
    );

    // The edit form, sent back as a browser would: saves (the field is not
    // type=email, which browsers refuse for a non-ASCII local part).
    let (status, doc) = admin.get_html(&format!("/contacts/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    let email = Selector::parse("input[name=email]").expect("selector");
    let input = doc.select(&email).next().expect("email field");
    assert_ne!(input.value().attr("type"), Some("email"));
    assert_eq!(input.value().attr("inputmode"), Some("email"));
    let (action, fields) = form_fields(&doc, &format!("form[action=\"/contacts/{id}\"]"));
    let mut fields: Vec<(String, String)> =
        fields.into_iter().filter(|(k, _)| k != "_csrf").collect();
    for (k, v) in fields.iter_mut() {
        if k == "title" {
            *v = "Buyer".into();
        }
    }
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let res = admin.post(&action, &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "edit saved");
    assert_eq!(
        stored(&app, id).as_deref(),
        Some("margaret.müller.22@example.com")
    );

    // An IDN domain, typed in either form, is one address.
    let res = admin
        .post(
            "/contacts",
            &[
                ("first_name", "Ana"),
                ("last_name", "Bücher"),
                ("email", "ana@xn--bcher-kva.example"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let ana: i64 = location(&res)
        .trim_start_matches("/contacts/")
        .parse()
        .expect("id");
    assert_eq!(stored(&app, ana).as_deref(), Some("ana@bücher.example"));

    // Import: the same rules; matching on the address updates, not duplicates.
    let csv = "Name,Email,Title\nMargaret Müller,MARGARET.MÜLLER.22@example.com,Chief buyer\n\
               李雷,李雷@例子.测试,\nAna Bücher,ana@bücher.example,Owner\n";
    let (_, counts) = import(&mut admin, "intl.csv", csv.as_bytes(), "update").await;
    assert_eq!(
        (counts.created, counts.updated, counts.errors),
        (1, 2, 0),
        "{counts:?}"
    );
    assert_eq!(contact_count(&app), 3);

    // Staff addresses follow the same rule, and sign-in finds them in either form.
    app.create_user(&mut admin, "zoë@bücher.example", "sales", None)
        .await;
    let mut zoe = app.client();
    let res = zoe
        .post(
            "/login",
            &[
                ("email", "ZOË@xn--bcher-kva.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "signed in");
}
