//! Email layouts in the received message and the full preview (under the
//! mail policy: styles apply, nothing runs), and the public archive: only
//! sent campaigns marked for it, merged for no one in particular.

use std::time::Duration;

use reqwest::StatusCode;

use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

/// The HTML part of a received message, decoded.
fn html_part(m: &str) -> String {
    decoded(m)
        .split("Content-Type: text/html")
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn each_layout_frames_the_message_and_the_archive_shows_only_what_was_chosen() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, "kyoto", 2, "Kyoto", "subscribed");
    let seg = segment(&mut admin, "Kyoto", "Kyoto").await;

    // An unknown layout is refused beside its field.
    let res = admin
        .post(
            "/campaigns",
            &[
                ("name", "Bad"),
                ("segment_id", &seg.to_string()),
                ("from_addr", "rapport@test.example"),
                ("subject", "S"),
                ("body_format", "markdown"),
                ("body", "B"),
                ("layout", "poster"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = scraper::Html::parse_document(&res.text().await.unwrap());
    assert_eq!(texts(&doc, "#layout-error").len(), 1);

    let news = campaign(
        &mut admin,
        "News",
        seg,
        &[("layout", "newsletter"), ("in_archive", "on")],
    )
    .await;
    let letter = campaign(&mut admin, "Letter", seg, &[("layout", "plain")]).await;

    // The full preview is the whole message under the mail policy.
    let res = admin
        .get(&format!("/campaigns/{news}/preview/message"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("sandbox") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("script-src"), "{csp}");
    let body = res.text().await.unwrap();
    assert!(body.contains(r#"class="band""#), "newsletter band");
    let (_, preview) = admin.get_html(&format!("/campaigns/{news}/preview")).await;
    assert_eq!(texts(&preview, "#preview-full").len(), 1);

    // Not sent yet: not on the archive.
    let anon = app.client();
    assert_eq!(
        anon.get(&format!("/archive/{news}")).await.status(),
        StatusCode::NOT_FOUND
    );

    let mut c = app.conn();
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    for id in [news, letter] {
        launch(&mut admin, id).await;
        drive(&runner, &mut c, id, Duration::from_secs(60));
    }
    let messages = sink.messages();
    let of = |id: i64| {
        messages
            .iter()
            .filter(|m| {
                header(m, "Message-ID").is_some_and(|h| h.contains(&format!("campaign-{id}.")))
            })
            .map(|m| html_part(m))
            .collect::<Vec<_>>()
    };
    let (news_html, letter_html) = (of(news), of(letter));
    assert_eq!((news_html.len(), letter_html.len()), (2, 2));
    for h in &news_html {
        assert!(h.contains(r#"class="band""#) && !h.contains(r#"class="letter""#));
        assert!(h.contains("width=device-width"), "responsive");
    }
    for h in &letter_html {
        assert!(h.contains(r#"class="letter""#) && !h.contains(r#"class="band""#));
    }

    // The archive lists the newsletter only, merged for "reader", with no
    // personal links.
    let (status, doc) = anon.get_html("/archive").await;
    assert_eq!(status, StatusCode::OK);
    let issues = texts(&doc, "#archive li a");
    assert_eq!(issues, vec!["Hello reader".to_string()]);
    let (status, doc) = anon.get_html(&format!("/archive/{news}")).await;
    assert_eq!(status, StatusCode::OK);
    let issue = texts(&doc, "#archive-issue").join(" ");
    assert!(
        issue.starts_with("Dear") && issue.contains("reader"),
        "{issue}"
    );
    let page = anon
        .get(&format!("/archive/{news}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("/u/") && !page.contains("/p/"),
        "no personal links"
    );
    assert_eq!(
        anon.get(&format!("/archive/{letter}")).await.status(),
        StatusCode::NOT_FOUND,
        "not chosen for the archive"
    );
}
