//! The recipient's preference page behind the footer link of a campaign
//! message: GET changes nothing; unsubscribe, subscribe again and the
//! language by POST without session or CSRF cookie; altered or foreign
//! tokens 404; the next message's footer speaks the chosen language.

use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::{activities, contacts};
use reqwest::StatusCode;

use super::signups::altered;
use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

fn consent_and_source(c: &mut DbConn, id: i64) -> (String, Option<String>) {
    contacts::table
        .find(id)
        .select((contacts::consent, contacts::consent_source))
        .first(c)
        .expect("contact")
}

async fn post_form(client: &Client, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client
        .http
        .post(client.url(path))
        .form(form)
        .send()
        .await
        .expect("POST")
}

/// The signed link after `prefix` in the message to `to` (43 characters).
fn link_in(sink: &Sink, to: &str, prefix: &str, nth: usize) -> String {
    let messages: Vec<String> = sink
        .messages()
        .into_iter()
        .filter(|m| envelope_to(m) == to)
        .collect();
    let m = decoded(&messages[nth]);
    let token = m
        .split(&format!("http://127.0.0.1{prefix}"))
        .nth(1)
        .and_then(|rest| rest.get(..43))
        .unwrap_or_else(|| panic!("{prefix} link in {m}"));
    format!("{prefix}{token}")
}

#[tokio::test]
async fn the_preference_page_unsubscribes_subscribes_again_and_keeps_a_language() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let ids = add_contacts(&app, "pref", 2, "Lyon", "subscribed");
    let seg = segment(&mut admin, "Lyon", "Lyon").await;
    let id = campaign(&mut admin, "First", seg, &[]).await;
    launch(&mut admin, id).await;
    let mut c = app.conn();
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    drive(&runner, &mut c, id, Duration::from_secs(60));

    let path = link_in(&sink, "pref0@test.example", "/p/", 0);
    let unsubscribe = link_in(&sink, "pref0@test.example", "/u/", 0);
    let m = decoded(
        &sink
            .messages()
            .into_iter()
            .find(|m| envelope_to(m) == "pref0@test.example")
            .unwrap(),
    );
    assert!(m.contains(">Preferences</a>"), "the HTML footer links it");
    assert!(
        m.contains(&format!("Preferences: http://127.0.0.1{path}")),
        "the text footer too"
    );

    // GET (a scanner, a stranger) shows the state and changes nothing.
    let anon = app.client();
    let (status, doc) = anon.get_html(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#prefs-state"), vec!["Subscribed"]);
    assert_eq!(texts(&doc, "#prefs-unsubscribe").len(), 1);
    assert_eq!(consent_and_source(&mut c, ids[0]).0, "subscribed");

    // Altered tokens and the unsubscribe link's token do not open it.
    let foreign = format!("/p/{}", unsubscribe.trim_start_matches("/u/"));
    for bad in [altered(&path), foreign, "/p/AAAA".to_string()] {
        assert_eq!(
            anon.get(&bad).await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
        let res = post_form(&anon, &bad, &[("action", "unsubscribe")]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    assert_eq!(consent_and_source(&mut c, ids[0]).0, "subscribed");

    // Unsubscribe: a POST without cookies; the campaign counts it.
    let res = post_form(&anon, &path, &[("action", "unsubscribe")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("{path}?saved=1"));
    assert_eq!(
        consent_and_source(&mut c, ids[0]),
        (
            "unsubscribed".to_string(),
            Some(format!("campaign:{id}:unsubscribe"))
        )
    );
    let (_, doc) = anon.get_html(&location(&res)).await;
    assert_eq!(texts(&doc, "#prefs-saved").len(), 1);
    assert_eq!(texts(&doc, "#prefs-state"), vec!["Unsubscribed"]);
    assert_eq!(texts(&doc, "#prefs-subscribe").len(), 1);
    let (_, doc) = admin.get_html(&format!("/campaigns/{id}")).await;
    assert_eq!(texts(&doc, "#count-unsubscribed"), vec!["1"]);

    // Subscribe again.
    let res = post_form(&anon, &path, &[("action", "subscribe")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        consent_and_source(&mut c, ids[0]),
        (
            "subscribed".to_string(),
            Some(format!("campaign:{id}:preferences"))
        )
    );
    let entries: i64 = activities::table
        .filter(activities::contact_id.eq(ids[0]))
        .filter(activities::kind.eq("consent"))
        .select(diesel::dsl::count_star())
        .first(&mut c)
        .unwrap();
    assert_eq!(entries, 2, "both changes on the timeline");

    // A language that is not offered: the page again, 422, nothing saved.
    let res = post_form(&anon, &path, &[("action", "language"), ("language", "fr")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(texts(&html(res).await, "#language-error").len(), 1);
    let res = post_form(&anon, &path, &[("action", "nonsense")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Chinese: kept on the contact; the page speaks it from now on.
    let res = post_form(
        &anon,
        &path,
        &[("action", "language"), ("language", "zh-CN")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let lang: Option<String> = contacts::table
        .find(ids[0])
        .select(contacts::language)
        .first(&mut c)
        .unwrap();
    assert_eq!(lang.as_deref(), Some("zh-CN"));
    let (_, doc) = anon.get_html(&path).await;
    assert_eq!(texts(&doc, "h1"), vec!["邮件偏好设置"]);
    assert_eq!(texts(&doc, "#prefs-state"), vec!["已订阅"]);

    // The next campaign's footer is in their language; the other's is not.
    let second = campaign(&mut admin, "Second", seg, &[]).await;
    launch(&mut admin, second).await;
    drive(&runner, &mut c, second, Duration::from_secs(60));
    let zh = link_in(&sink, "pref0@test.example", "/p/", 1);
    let messages = sink.messages();
    let second_to = |to: &str| {
        messages
            .iter()
            .filter(|m| envelope_to(m) == to)
            .map(|m| decoded(m))
            .find(|m| m.contains(&format!("campaign-{second}.")))
            .expect("second message")
    };
    assert!(second_to("pref0@test.example").contains("偏好设置"), "{zh}");
    assert!(second_to("pref1@test.example").contains(">Preferences</a>"));
}
