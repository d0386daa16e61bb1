//! Public sign-up pages with double opt-in, against the real SMTP server:
//! sign up → the confirmation mail arrives → its link's GET changes
//! nothing → POST subscribes, joins the list and tag, and says so on the
//! timeline; honeypot and rate limit; altered, expired and foreign tokens
//! are 404; the staff editor's errors beside the fields.

use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::{activities, contacts, mail_outbox, segments, signups};
use rapport::signed::{Purpose, Signer};
use reqwest::StatusCode;

use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

/// An empty static list, straight into the database; its id.
pub fn static_list(app: &TestApp, name: &str) -> i64 {
    rapport::segments::repo::insert(
        &mut app.conn(),
        name,
        &rapport::segments::domain::Filter {
            contact_ids: Some(Vec::new()),
            ..Default::default()
        },
        app.user_id(ADMIN_EMAIL),
    )
    .expect("static list")
}

/// A sign-up form made through the editor; asserts it was saved.
pub async fn signup_form(admin: &mut Client, slug: &str, list: i64, tag: &str, language: &str) {
    let list = list.to_string();
    let res = admin
        .post(
            "/campaigns/signups",
            &[
                ("title", "Rapport newsletter"),
                ("intro", "News once a month.\n\nNo spam."),
                ("slug", slug),
                ("segment_id", &list),
                ("tag", tag),
                ("language", language),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "form saved");
    assert_eq!(location(&res), "/campaigns/signups");
}

/// Posts the public form as a visitor (CSRF token from the page).
pub async fn sign_up(
    visitor: &mut Client,
    slug: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    visitor.refresh_csrf(&format!("/s/{slug}")).await;
    visitor.post(&format!("/s/{slug}"), fields).await
}

/// The confirmation path (`/s/confirm/TOKEN`) in the last mail to `to`.
pub fn confirm_path(sink: &Sink, to: &str) -> Option<String> {
    let messages: Vec<String> = sink
        .messages()
        .into_iter()
        .filter(|m| envelope_to(m) == to)
        .collect();
    let m = readable(messages.last()?);
    let token = m.split("http://127.0.0.1/s/confirm/").nth(1)?.get(..43)?;
    Some(format!("/s/confirm/{token}"))
}

/// A single-part message's body as text (base64, as lettre encodes
/// mostly non-ASCII text, or quoted-printable).
pub fn readable(m: &str) -> String {
    use base64::Engine;
    if header(m, "Content-Transfer-Encoding").as_deref() == Some("base64") {
        let body: String = m
            .split("\r\n\r\n")
            .nth(1)
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(body) {
            return String::from_utf8_lossy(&bytes).into_owned();
        }
    }
    decoded(m)
}

/// Delivers what the outbox holds (the app's own workers are off).
pub fn deliver(app: &TestApp, sink: &Sink) {
    let runner = runner(app, &sink.url(), Duration::from_secs(30));
    for _ in 0..10 {
        if runner.run_once().expect("run") == 0 {
            break;
        }
    }
}

fn contact_by_email(c: &mut DbConn, email: &str) -> Option<(i64, String, Option<String>)> {
    contacts::table
        .filter(contacts::email.eq(email))
        .select((contacts::id, contacts::consent, contacts::consent_source))
        .first(c)
        .optional()
        .expect("contact")
}

fn outbox_count(c: &mut DbConn) -> i64 {
    mail_outbox::table
        .select(diesel::dsl::count_star())
        .first(c)
        .expect("outbox")
}

pub fn altered(path: &str) -> String {
    let mut p = path.to_string();
    let last = p.pop().expect("a path");
    p.push(if last == 'A' { 'B' } else { 'A' });
    p
}

pub async fn raw_post(client: &Client, path: &str) -> reqwest::Response {
    client
        .http
        .post(client.url(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn a_sign_up_is_confirmed_by_the_mailed_link_and_only_by_its_post() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let list = static_list(&app, "Newsletter readers");
    signup_form(&mut admin, "news", list, "newsletter", "en").await;
    let (_, doc) = admin.get_html("/campaigns/signups").await;
    assert_eq!(
        texts(&doc, "#signup-forms td a.public-link"),
        vec!["http://127.0.0.1/s/news"]
    );

    // The public page: fields, a required consent box, the honeypot.
    let mut visitor = app.client_from("127.0.0.2");
    let (status, doc) = visitor.get_html("/s/news").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["Rapport newsletter"]);
    assert_eq!(
        texts(&doc, "p.intro"),
        vec!["News once a month.", "No spam."]
    );
    assert_eq!(texts(&doc, "#signup-form input[name=consent]").len(), 1);
    assert_eq!(texts(&doc, "#signup-form .hp input[name=website]").len(), 1);
    assert_eq!(visitor.get("/s/nope").await.status(), StatusCode::NOT_FOUND);

    // Errors beside the fields, values kept, nothing written or mailed.
    let res = sign_up(
        &mut visitor,
        "news",
        &[("name", "Ada"), ("email", "not an address")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#email-error").len(), 1);
    assert_eq!(texts(&doc, "#consent-error").len(), 1);
    let sel = scraper::Selector::parse("#name").unwrap();
    assert_eq!(
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("Ada"),
        "the name is kept"
    );
    let mut c = app.conn();
    assert_eq!(outbox_count(&mut c), 0);

    // A valid sign-up: the contact exists, not subscribed; a mail is queued.
    let res = sign_up(
        &mut visitor,
        "news",
        &[
            ("name", "Ada Lovelace"),
            ("email", "Ada@Test.Example"),
            ("consent", "on"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let thanks = location(&res);
    assert_eq!(thanks, "/s/news?sent=1");
    let (_, doc) = visitor.get_html(&thanks).await;
    assert_eq!(texts(&doc, "#signup-done h2"), vec!["Check your inbox"]);
    let (ada, consent, _) = contact_by_email(&mut c, "ada@test.example").expect("contact");
    assert_eq!(consent, "never_asked", "pending: not subscribed yet");
    let state: String = signups::table
        .filter(signups::contact_id.eq(ada))
        .select(signups::state)
        .first(&mut c)
        .unwrap();
    assert_eq!(state, "pending");

    // The mail reaches the SMTP server with the link.
    deliver(&app, &sink);
    let path = confirm_path(&sink, "ada@test.example").expect("a confirmation link");
    let m = sink
        .messages()
        .into_iter()
        .find(|m| envelope_to(m) == "ada@test.example")
        .unwrap();
    assert!(
        header(&m, "Subject").unwrap().contains("Please confirm"),
        "{m}"
    );

    // A stranger (a mail scanner) opening the link changes nothing.
    let anon = app.client();
    let (status, doc) = anon.get_html(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#signup-confirm").len(), 1, "a button");
    assert_eq!(
        contact_by_email(&mut c, "ada@test.example").unwrap().1,
        "never_asked"
    );

    // Altered, expired and foreign tokens: 404 by GET and POST.
    let secret = test_config(&app.db).secret_key;
    let signer = Signer::new(&secret);
    let signup_id: i64 = signups::table
        .filter(signups::contact_id.eq(ada))
        .select(signups::id)
        .first(&mut c)
        .unwrap();
    let expired = format!(
        "/s/confirm/{}",
        signer.sign(
            Purpose::SignupConfirm,
            signup_id,
            Some(chrono::Utc::now().timestamp() - 10),
            b""
        )
    );
    let foreign = format!(
        "/s/confirm/{}",
        signer.sign(Purpose::Unsubscribe, signup_id, None, b"")
    );
    for bad in [altered(&path), expired, foreign, "/s/confirm/short".into()] {
        assert_eq!(
            anon.get(&bad).await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
        assert_eq!(
            raw_post(&anon, &bad).await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    assert_eq!(
        contact_by_email(&mut c, "ada@test.example").unwrap().1,
        "never_asked"
    );

    // The POST (no session, no CSRF cookie: the token is the authority).
    let res = raw_post(&anon, &path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#signup-confirmed h2"),
        vec!["You are subscribed"]
    );
    let (_, consent, source) = contact_by_email(&mut c, "ada@test.example").unwrap();
    assert_eq!(consent, "subscribed");
    let form_id: i64 = signups::table
        .find(signup_id)
        .select(signups::form_id)
        .first(&mut c)
        .unwrap();
    assert_eq!(source, Some(format!("signup:{form_id}:confirmed")));
    let changed_at: Option<chrono::NaiveDateTime> = contacts::table
        .find(ada)
        .select(contacts::consent_changed_at)
        .first(&mut c)
        .unwrap();
    assert!(changed_at.is_some(), "when consent changed is recorded");
    let filter: String = segments::table
        .find(list)
        .select(segments::filter)
        .first(&mut c)
        .unwrap();
    assert_eq!(
        rapport::segments::domain::Filter::from_json(&filter).contact_ids,
        Some(vec![ada]),
        "joined the static list"
    );
    assert_eq!(
        rapport::tags::of(
            &mut c,
            rapport::records::RecordRef::Contact(rapport::domain::ids::ContactId::new(ada))
        )
        .unwrap(),
        vec!["newsletter".to_string()]
    );
    let consent_entries = || {
        activities::table
            .filter(activities::contact_id.eq(ada))
            .filter(activities::kind.eq("consent"))
            .select(diesel::dsl::count_star())
            .first::<i64>(&mut app.conn())
            .unwrap()
    };
    assert_eq!(consent_entries(), 1);
    let (_, doc) = admin.get_html(&format!("/contacts/{ada}")).await;
    let timeline = texts(&doc, "body").join(" ");
    assert!(
        timeline.contains("Subscribed through the sign-up form “Rapport newsletter”"),
        "the timeline says so"
    );

    // Confirming again changes nothing more; GET now says it is done.
    assert_eq!(raw_post(&anon, &path).await.status(), StatusCode::OK);
    assert_eq!(consent_entries(), 1, "one timeline entry");
    let (_, doc) = anon.get_html(&path).await;
    assert_eq!(texts(&doc, "#signup-confirmed").len(), 1);
    let (_, doc) = admin.get_html("/campaigns/signups").await;
    assert_eq!(
        texts(&doc, "#signup-forms td.num"),
        vec!["0".to_string(), "1".to_string()],
        "pending, confirmed"
    );

    // Signing up again with the subscribed address, or a new one: the
    // same answer, so the page tells nobody which addresses are known.
    let again = sign_up(
        &mut visitor,
        "news",
        &[("email", "ada@test.example"), ("consent", "on")],
    )
    .await;
    let fresh = sign_up(
        &mut visitor,
        "news",
        &[("email", "bob@test.example"), ("consent", "on")],
    )
    .await;
    assert_eq!(again.status(), fresh.status());
    assert_eq!(location(&again), location(&fresh));
    assert_eq!(html(again).await.html(), html(fresh).await.html());
    assert_eq!(
        contact_by_email(&mut c, "ada@test.example").unwrap().1,
        "subscribed"
    );
    assert_eq!(
        contact_by_email(&mut c, "bob@test.example").unwrap().1,
        "never_asked"
    );
}

#[tokio::test]
async fn the_honeypot_does_nothing_and_sign_ups_are_rate_limited_per_address() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let list = static_list(&app, "Readers");
    signup_form(&mut admin, "zh-news", list, "", "zh-CN").await;
    let mut c = app.conn();

    // The page speaks the form's language.
    let mut bot = app.client_from("127.0.0.3");
    let (_, doc) = bot.get_html("/s/zh-news").await;
    assert_eq!(texts(&doc, "#signup-send"), vec!["订阅"]);

    // A filled honeypot: the thank-you redirect, no contact, no mail.
    let res = sign_up(
        &mut bot,
        "zh-news",
        &[
            ("email", "bot@test.example"),
            ("consent", "on"),
            ("website", "http://spam.example"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/s/zh-news?sent=1");
    assert!(contact_by_email(&mut c, "bot@test.example").is_none());
    assert_eq!(outbox_count(&mut c), 0);

    // Five submissions per window from one address (the honeypot counted);
    // a form with errors does not count.
    let res = sign_up(&mut bot, "zh-news", &[("email", "x@test.example")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for i in 0..4 {
        let email = format!("p{i}@test.example");
        let res = sign_up(&mut bot, "zh-news", &[("email", &email), ("consent", "on")]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "submission {i}");
    }
    let res = sign_up(
        &mut bot,
        "zh-news",
        &[("email", "p9@test.example"), ("consent", "on")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(contact_by_email(&mut c, "p9@test.example").is_none());
    assert_eq!(outbox_count(&mut c), 4);

    // Another address is not held up; its mail is in Chinese.
    let mut other = app.client_from("127.0.0.4");
    let res = sign_up(
        &mut other,
        "zh-news",
        &[("email", "mei@test.example"), ("consent", "on")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    deliver(&app, &sink);
    let path = confirm_path(&sink, "mei@test.example").expect("link");
    let (_, doc) = app.client().get_html(&path).await;
    assert_eq!(texts(&doc, "#signup-confirm"), vec!["确认订阅"]);
    let (mei, _, _) = contact_by_email(&mut c, "mei@test.example").unwrap();
    let lang: Option<String> = contacts::table
        .find(mei)
        .select(contacts::language)
        .first(&mut c)
        .unwrap();
    assert_eq!(
        lang.as_deref(),
        Some("zh-CN"),
        "a new contact keeps the form's language"
    );
}

#[tokio::test]
async fn the_staff_editor_puts_errors_beside_fields() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let list = static_list(&app, "Readers");
    let rules = insert_segment(&app, app.user_id(ADMIN_EMAIL));
    signup_form(&mut admin, "taken", list, "", "en").await;
    let (status, doc) = admin.get_html("/campaigns/signups/new").await;
    assert_eq!(status, StatusCode::OK);
    // Only static lists are offered.
    let options = texts(&doc, "#segment_id option");
    assert!(options.contains(&"Readers".to_string()), "{options:?}");
    let rules_id = rules.to_string();
    let list_id = list.to_string();
    for (fields, field) in [
        (
            vec![
                ("title", ""),
                ("slug", "a"),
                ("tag", "t"),
                ("language", "en"),
            ],
            "title",
        ),
        (
            vec![
                ("title", "T"),
                ("slug", "Bad Slug"),
                ("tag", "t"),
                ("language", "en"),
            ],
            "slug",
        ),
        (
            vec![
                ("title", "T"),
                ("slug", "taken"),
                ("tag", "t"),
                ("language", "en"),
            ],
            "slug",
        ),
        (
            vec![
                ("title", "T"),
                ("slug", "confirm"),
                ("tag", "t"),
                ("language", "en"),
            ],
            "slug",
        ),
        (
            vec![("title", "T"), ("slug", "ok"), ("language", "en")],
            "segment_id",
        ),
        (
            vec![
                ("title", "T"),
                ("slug", "ok"),
                ("segment_id", &rules_id),
                ("language", "en"),
            ],
            "segment_id",
        ),
        (
            vec![
                ("title", "T"),
                ("slug", "ok"),
                ("segment_id", &list_id),
                ("language", "fr"),
            ],
            "language",
        ),
        (
            vec![
                ("title", "T"),
                ("slug", "ok"),
                ("tag", "a, b"),
                ("language", "en"),
            ],
            "tag",
        ),
    ] {
        let res = admin.post("/campaigns/signups", &fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let doc = html(res).await;
        assert_eq!(
            texts(&doc, &format!("#{field}-error")).len(),
            1,
            "{fields:?}"
        );
    }
    // Editing keeps the version: a stale save is refused.
    let id: i64 = {
        use rapport::db::schema::signup_forms;
        signup_forms::table
            .filter(signup_forms::slug.eq("taken"))
            .select(signup_forms::id)
            .first(&mut app.conn())
            .unwrap()
    };
    let (_, doc) = admin.get_html(&format!("/campaigns/signups/{id}")).await;
    let sel = scraper::Selector::parse("input[name=version]").unwrap();
    let version = doc
        .select(&sel)
        .next()
        .and_then(|e| e.value().attr("value"))
        .unwrap()
        .to_string();
    let edit = |title: &'static str, version: String| {
        vec![
            ("title", title.to_string()),
            ("slug", "taken".to_string()),
            ("segment_id", list.to_string()),
            ("language", "en".to_string()),
            ("version", version),
        ]
    };
    let fields = edit("Renamed", version.clone());
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = admin
        .post(&format!("/campaigns/signups/{id}"), &borrowed)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let fields = edit("Stale", version);
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = admin
        .post(&format!("/campaigns/signups/{id}"), &borrowed)
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let (_, doc) = app.client().get_html("/s/taken").await;
    assert_eq!(texts(&doc, "h1"), vec!["Renamed"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn confirmations_at_once_each_land_once_in_the_list() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let list = static_list(&app, "Launch list");
    signup_form(&mut admin, "launch", list, "launch", "en").await;
    let mut c = app.conn();
    let form = rapport::campaigns::signups::repo::by_slug(&mut c, "launch")
        .unwrap()
        .expect("form");
    let signer = Signer::new(&test_config(&app.db).secret_key);
    let expires = Some(chrono::Utc::now().timestamp() + 3600);
    let mut paths = Vec::new();
    for i in 0..8 {
        let id = rapport::campaigns::signups::repo::request(
            &mut c,
            &form,
            &format!("racer{i}@test.example"),
            "",
        )
        .expect("sign-up");
        paths.push(format!(
            "/s/confirm/{}",
            signer.sign(Purpose::SignupConfirm, id, expires, b"")
        ));
    }
    // Every link pressed twice, all at once, from browsers without a session.
    let mut tasks = Vec::new();
    for path in paths.iter().chain(paths.iter()) {
        let client = app.client();
        let path = path.clone();
        tasks.push(tokio::spawn(async move {
            raw_post(&client, &path).await.status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.expect("task"), StatusCode::OK);
    }
    let ids: Vec<i64> = contacts::table
        .filter(contacts::email.like("racer%"))
        .select(contacts::id)
        .load(&mut c)
        .unwrap();
    assert_eq!(ids.len(), 8);
    let filter: String = segments::table
        .find(list)
        .select(segments::filter)
        .first(&mut c)
        .unwrap();
    let mut members = rapport::segments::domain::Filter::from_json(&filter)
        .contact_ids
        .expect("a static list");
    members.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(members, want, "every confirmation joined the list once");
    for id in ids {
        let entries: i64 = activities::table
            .filter(activities::contact_id.eq(id))
            .filter(activities::kind.eq("consent"))
            .select(diesel::dsl::count_star())
            .first(&mut c)
            .unwrap();
        assert_eq!(entries, 1, "one timeline entry for contact {id}");
        assert_eq!(consent(&mut c, id), "subscribed");
    }
}

#[tokio::test]
async fn a_closed_form_is_gone_until_it_is_reopened() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let list = static_list(&app, "Closing");
    signup_form(&mut admin, "closing-soon", list, "", "en").await;
    let id: i64 = {
        use rapport::db::schema::signup_forms;
        signup_forms::table
            .filter(signup_forms::slug.eq("closing-soon"))
            .select(signup_forms::id)
            .first(&mut app.conn())
            .expect("form")
    };
    let mut visitor = app.client();
    // The page was open when the visitor loaded it.
    visitor.refresh_csrf("/s/closing-soon").await;

    let res = admin
        .post(
            &format!("/campaigns/signups/{id}/active"),
            &[("active", "0")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        visitor.get("/s/closing-soon").await.status(),
        StatusCode::NOT_FOUND
    );
    let res = visitor
        .post(
            "/s/closing-soon",
            &[("email", "late@test.example"), ("consent", "on")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "takes no sign-ups");
    let (_, doc) = admin.get_html("/campaigns/signups").await;
    assert_eq!(
        texts(&doc, &format!("#open-{id}")).len(),
        1,
        "offers to reopen"
    );
    // A value other than 0 or 1 is refused, not guessed.
    let res = admin
        .post(
            &format!("/campaigns/signups/{id}/active"),
            &[("active", "yes")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    let res = admin
        .post(
            &format!("/campaigns/signups/{id}/active"),
            &[("active", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        visitor.get("/s/closing-soon").await.status(),
        StatusCode::OK
    );
}
