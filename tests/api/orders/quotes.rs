//! Quotes by email: sending mails the customer a signed link (through the
//! outbox, to a real SMTP server); the public page opens without signing
//! in, accepts once with the customer's name and address on the timeline;
//! altered, expired and withdrawn links are a 404; a cancelled or accepted
//! quote says it cannot be accepted; the page and the email are in the
//! contact's language.

use super::*;
use crate::outbox_smtp::SmtpServer;
use rapport::db::schema::{activities, contacts, mail_outbox, orders};
use rapport::signed::{Purpose, Signer};

const SECRET: &[u8] = b"a known workspace secret for the quote link tests";

/// The body parts of a raw MIME message (decoded), with their media types.
pub fn mime_parts(raw: &str) -> Vec<(String, String)> {
    let raw = raw.replace("\r\n", "\n");
    let boundary = raw
        .lines()
        .find_map(|l| l.split("boundary=").nth(1))
        .map(|b| b.trim_matches('"').to_string())
        .expect("a multipart message");
    raw.split(&format!("--{boundary}"))
        .skip(1)
        .filter_map(|part| {
            let (head, body) = part.split_once("\n\n")?;
            let head = head.to_ascii_lowercase();
            let kind = head
                .lines()
                .find_map(|l| l.strip_prefix("content-type: "))?
                .split(';')
                .next()?
                .trim()
                .to_string();
            let body = if head.contains("content-transfer-encoding: base64") {
                use base64::Engine;
                let joined: String = body.split_whitespace().collect();
                String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(joined)
                        .expect("base64"),
                )
                .expect("utf-8")
            } else if head.contains("content-transfer-encoding: quoted-printable") {
                quoted_printable(body)
            } else {
                body.to_string()
            };
            Some((kind, body))
        })
        .collect()
}

fn quoted_printable(s: &str) -> String {
    let joined = s.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..(i + 3).min(bytes.len())])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("utf-8")
}

/// The `/q/…` path in a text.
pub fn link_in(text: &str) -> String {
    let at = text.find("/q/").expect("a quote link");
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-'))
        .collect()
}

fn wait_for_mail(server: &SmtpServer, n: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let mails = server.messages();
        if mails.len() >= n || std::time::Instant::now() > deadline {
            return mails;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// A quote for Cora (one product line), sent; returns its id.
async fn sent_quote(app: &TestApp, admin: &mut Client) -> i64 {
    app.create_contact(admin, "Cora", "Customer", "cora@test.example")
        .await;
    product(app, admin, "A-1", "10.00", "13", None).await;
    let id = quote(admin, "cora@test.example", &[("A-1", "2", "")]).await;
    assert_eq!(
        step(app, admin, id, "send", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    id
}

/// The customer link shown on the staff page of a sent quote.
async fn staff_link(admin: &Client, id: i64) -> String {
    let (_, doc) = admin.get_html(&format!("/orders/{id}")).await;
    link_in(&text(&doc, "#public-link"))
}

async fn accept(customer: &mut Client, link: &str, name: &str) -> reqwest::Response {
    customer.refresh_csrf(link).await;
    let (_, doc) = customer.get_html(link).await;
    let sel = Selector::parse(r#"input[name="version"]"#).expect("selector");
    let version = doc
        .select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap_or("0")
        .to_string();
    customer
        .post(link, &[("name", name), ("version", &version)])
        .await
}

fn timeline_texts(app: &TestApp, id: i64) -> Vec<String> {
    activities::table
        .filter(activities::order_id.eq(id))
        .select(activities::system_message)
        .load::<Option<String>>(&mut app.conn())
        .expect("timeline")
        .into_iter()
        .flatten()
        .collect()
}

#[tokio::test]
async fn a_sent_quote_is_mailed_with_a_link_the_customer_accepts_once() {
    let db = TestDb::new();
    let mut server = SmtpServer::start(db.dir());
    let url = server.url();
    let app = spawn_on(db, move |c| {
        c.smtp_url = Some(url);
        c.secret_key = SECRET.to_vec();
    })
    .await;
    let mut admin = app.setup_admin().await;
    let id = sent_quote(&app, &mut admin).await;
    let year = chrono::Utc::now().format("%Y").to_string();
    let number = format!("QT-{year}-000001");

    // The message: to the contact, text and HTML, both with the link.
    let mails = wait_for_mail(&server, 1);
    server.stop();
    assert_eq!(mails.len(), 1, "one message");
    let mail = &mails[0];
    assert!(mail.contains("To: cora@test.example"), "{mail}");
    assert!(
        mail.contains(&format!("Subject: Quote {number} from")),
        "{mail}"
    );
    let parts = mime_parts(mail);
    let kinds: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds, ["text/plain", "text/html"]);
    let (text_body, html_body) = (&parts[0].1, &parts[1].1);
    assert!(text_body.contains("Hello Cora Customer,"), "{text_body}");
    assert!(text_body.contains("$22.60"), "{text_body}");
    let link = link_in(text_body);
    assert_eq!(link_in(html_body), link);
    assert!(html_body.contains(&format!("href=\"http://127.0.0.1{link}\"")));
    assert_eq!(staff_link(&admin, id).await, link);

    // The page opens without signing in, without the app around it.
    let mut customer = app.client_from("127.0.0.9");
    let (status, doc) = customer.get_html(&link).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&doc, "#print-number"), number);
    assert_eq!(text(&doc, "#doc-total"), "$22.60");
    assert!(texts(&doc, "nav.nav, #main-nav, .app-nav").is_empty());
    assert_eq!(texts(&doc, "#accept-submit").len(), 1);
    let res = customer.get(&format!("{link}/download")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .contains(&format!("{number}.html"))
    );

    // No name: the error beside the field.
    let res = accept(&mut customer, &link, "  ").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        text(&doc, "#accept-name-error"),
        "Type your name to accept the quote."
    );
    // Without the CSRF token: refused before anything happens.
    let version = state(&app, id).3.to_string();
    let res = reqwest::Client::new()
        .post(customer.url(&link))
        .form(&[("name", "Mallory"), ("version", version.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Accepted: the status, and name and address on the timeline.
    let res = accept(&mut customer, &link, "Cora Customer").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(state(&app, id).0, "accepted");
    let events = timeline_texts(&app, id);
    assert!(
        events.iter().any(|e| e.contains("quotes-event-accepted")
            && e.contains("Cora Customer")
            && e.contains("127.0.0.9")),
        "{events:?}"
    );
    assert!(events.iter().any(|e| e.contains("quotes-event-mailed")));
    let (_, doc) = admin.get_html(&format!("/orders/{id}")).await;
    assert!(
        text(&doc, "#timeline").contains("Cora Customer accepted quote"),
        "{}",
        text(&doc, "#timeline")
    );

    // A second acceptance is refused, plainly.
    let res = accept(&mut customer, &link, "Cora Again").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let doc = html(res).await;
    assert!(text(&doc, "#quote-notice").contains("already been accepted"));
    assert_eq!(
        text(&doc, "#quote-state"),
        "This quote has been accepted. Thank you!"
    );
    assert!(texts(&doc, "#accept-submit").is_empty());
    let accepted_events = timeline_texts(&app, id)
        .iter()
        .filter(|e| e.contains("quotes-event-accepted"))
        .count();
    assert_eq!(accepted_events, 1);

    // An altered link, and one that expired, open nothing: 404.
    let token = link.trim_start_matches("/q/").to_string();
    let mut chars: Vec<char> = token.chars().collect();
    chars[20] = if chars[20] == 'A' { 'B' } else { 'A' };
    let altered: String = chars.into_iter().collect();
    for bad in [
        format!("/q/{altered}"),
        format!("/q/{altered}/download"),
        "/q/short".to_string(),
    ] {
        let (status, doc) = customer.get_html(&bad).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
        assert_eq!(text(&doc, "#gone-title"), "This link does not work");
    }
    let link_key: Option<String> = orders::table
        .find(id)
        .select(orders::link_key)
        .first(&mut app.conn())
        .expect("link key");
    let link_key = link_key.expect("a sent quote has a link key");
    let signer = Signer::new(SECRET);
    let past = chrono::Utc::now().timestamp() - 60;
    let expired = signer.sign(Purpose::QuoteView, id, Some(past), link_key.as_bytes());
    let future = signer.sign(
        Purpose::QuoteView,
        id,
        Some(past + 3600),
        link_key.as_bytes(),
    );
    assert_eq!(
        customer.get(&format!("/q/{expired}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        customer.get(&format!("/q/{future}")).await.status(),
        StatusCode::OK
    );
    let (status, _) = customer.get_html(&format!("/q/{expired}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn withdrawing_revokes_the_link_and_a_cancelled_quote_cannot_be_accepted() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = sent_quote(&app, &mut admin).await;
    let first = staff_link(&admin, id).await;
    let mut customer = app.client();
    assert_eq!(customer.get(&first).await.status(), StatusCode::OK);

    // Withdrawn: back to draft, the link is dead.
    assert_eq!(
        step(&app, &mut admin, id, "withdraw", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(state(&app, id).0, "draft");
    let (status, doc) = customer.get_html(&first).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(text(&doc, "#gone-title"), "This link does not work");
    let version = state(&app, id).3.to_string();
    customer.refresh_csrf("/login").await;
    let res = customer
        .post(&first, &[("name", "Cora"), ("version", &version)])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(state(&app, id).0, "draft");

    // Sent again: a new link (the same number), the old one stays dead.
    assert_eq!(
        step(&app, &mut admin, id, "send", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let second = staff_link(&admin, id).await;
    assert_ne!(first, second);
    assert_eq!(customer.get(&first).await.status(), StatusCode::NOT_FOUND);
    let (status, doc) = customer.get_html(&second).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&doc, "#print-number").ends_with("-000001"));

    // The quote changed while the customer read it: not accepted unread.
    customer.refresh_csrf(&second).await;
    let (_, doc) = customer.get_html(&second).await;
    let sel = Selector::parse(r#"input[name="version"]"#).expect("selector");
    let read_version = doc
        .select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .expect("version")
        .to_string();
    let mut form = quote_form("cora@test.example", &[("A-1", "3", "")], &key());
    form.push(("version".into(), state(&app, id).3.to_string()));
    assert_eq!(
        post_pairs(&mut admin, &format!("/orders/{id}"), &form)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let res = customer
        .post(&second, &[("name", "Cora"), ("version", &read_version)])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(text(&html(res).await, "#quote-notice").contains("changed"));
    assert_eq!(state(&app, id).0, "sent");

    // Cancelled: the page says so; accepting is refused (409, not a 500).
    assert_eq!(
        step(&app, &mut admin, id, "cancel", &[("reason", "Lost")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (status, doc) = customer.get_html(&second).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        text(&doc, "#quote-state"),
        "This quote was cancelled and can no longer be accepted."
    );
    let version = state(&app, id).3.to_string();
    let res = customer
        .post(&second, &[("name", "Cora"), ("version", &version)])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(state(&app, id).0, "cancelled");
}

#[tokio::test]
async fn the_quote_page_and_its_email_are_in_the_contacts_language() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let li = app
        .create_contact(&mut admin, "Li", "Wei", "li@test.example")
        .await;
    // The contact form sets the language (and refuses one we do not speak).
    let path = format!("/contacts/{li}");
    let fields = |lang: &'static str| {
        [
            ("first_name", "Li"),
            ("last_name", "Wei"),
            ("email", "li@test.example"),
            ("language", lang),
        ]
    };
    let res = admin.post(&path, &fields("fr")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text(&html(res).await, "#language-error"),
        "Choose a language from the list."
    );
    let res = admin.post(&path, &fields("zh-CN")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let stored: Option<String> = contacts::table
        .find(li)
        .select(contacts::language)
        .first(&mut app.conn())
        .expect("language");
    assert_eq!(stored.as_deref(), Some("zh-CN"));
    let (_, doc) = admin.get_html(&format!("/contacts/{li}/edit")).await;
    assert_eq!(
        texts(&doc, "select[name=language] option[selected]"),
        ["简体中文"]
    );
    product(&app, &mut admin, "A-1", "10.00", "13", None).await;
    let id = quote(&mut admin, "li@test.example", &[("A-1", "1", "")]).await;
    assert_eq!(
        step(&app, &mut admin, id, "send", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let (subject, text_body, html_body): (String, String, Option<String>) = mail_outbox::table
        .select((
            mail_outbox::subject,
            mail_outbox::text_body,
            mail_outbox::html_body,
        ))
        .first(&mut app.conn())
        .expect("the quote email");
    assert!(subject.starts_with("来自"), "{subject}");
    assert!(text_body.contains("Li Wei，您好："), "{text_body}");
    assert!(html_body.expect("html").contains("查看报价单"));

    let link = staff_link(&admin, id).await;
    let (_, doc) = app.client().get_html(&link).await;
    assert_eq!(text(&doc, "h1"), "报价单");
    assert_eq!(text(&doc, "#accept-submit"), "接受报价");
    let (_, doc) = admin.get_html(&format!("/orders/{id}/print")).await;
    assert_eq!(text(&doc, "h1"), "报价单");
    assert!(text(&doc, "th").contains("数量"), "{}", text(&doc, "th"));
}

#[tokio::test]
async fn the_workspace_sets_how_long_a_sent_quote_stays_valid() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let settings = |days: &'static str| {
        vec![
            ("company_name", "Acme"),
            ("company_address", ""),
            ("language", "en"),
            ("time_zone", "UTC"),
            ("currency", "USD"),
            ("quote_valid_days", days),
            ("version", "0"),
        ]
    };
    // Out of range or not a number: the form says so beside the field.
    for bad in ["0", "366", "ten", "7.5"] {
        let res = admin.post("/admin/settings", &settings(bad)).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            texts(&html(res).await, "#quote_valid_days-error"),
            ["Enter a whole number of days from 1 to 365."],
            "{bad}"
        );
    }
    let res = admin.post("/admin/settings", &settings("7")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html("/admin/settings").await;
    let sel = Selector::parse("#quote_valid_days").expect("selector");
    let shown = doc
        .select(&sel)
        .next()
        .and_then(|i| i.value().attr("value"))
        .map(str::to_string);
    assert_eq!(shown.as_deref(), Some("7"));

    let id = sent_quote(&app, &mut admin).await;
    let until: Option<chrono::NaiveDate> = orders::table
        .find(id)
        .select(orders::valid_until)
        .first(&mut app.conn())
        .expect("order");
    let today = chrono::Utc::now().date_naive();
    assert_eq!(until, today.checked_add_days(chrono::Days::new(7)));
}
