//! NPS surveys end to end: a survey campaign sent through a real SMTP
//! server carries eleven signed links per recipient; a click records the
//! answer (one per recipient, a second click rewrites it), a forged or
//! altered link is a 404; the comment form posts without a session; the
//! stats page shows the distribution and Insights the NPS (+30 for 5
//! promoters, 3 passives and 2 detractors of 10).

use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::{campaign_recipients, nps_responses};
use reqwest::StatusCode;

use super::signups::altered;
use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

/// The NPS links of a message's HTML part, by score (paths only).
fn nps_links(m: &str) -> Vec<String> {
    let html = decoded(m);
    let html = html.split("Content-Type: text/html").nth(1).unwrap_or("");
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|v| v.replace("&amp;", "&"))
        .filter(|h| h.starts_with("http://127.0.0.1/nps/"))
        .map(|h| h.trim_start_matches("http://127.0.0.1").to_string())
        .collect()
}

fn answers(c: &mut DbConn, campaign: i64) -> Vec<(String, i32, String)> {
    nps_responses::table
        .inner_join(campaign_recipients::table)
        .filter(nps_responses::campaign_id.eq(campaign))
        .order(campaign_recipients::email)
        .select((
            campaign_recipients::email,
            nps_responses::score,
            nps_responses::comment,
        ))
        .load(c)
        .expect("answers")
}

#[tokio::test]
async fn survey_links_record_one_answer_per_recipient_and_nps_is_computed() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, "oslo", 10, "Oslo", "subscribed");
    let seg = segment(&mut admin, "Oslo", "Oslo").await;
    let id = campaign(&mut admin, "Survey", seg, &[("kind", "nps")]).await;
    launch(&mut admin, id).await;
    let mut c = app.conn();
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    drive(&runner, &mut c, id, Duration::from_secs(60));
    let messages = sink.messages();
    assert_eq!(messages.len(), 10);
    let links_of = |to: &str| {
        let m = messages
            .iter()
            .find(|m| envelope_to(m) == to)
            .unwrap_or_else(|| panic!("{to}'s message"));
        let l = nps_links(m);
        assert_eq!(l.len(), 11, "0 to 10: {l:?}");
        assert!(decoded(m).contains("recommend us"), "the question");
        l
    };
    let anon = app.client();
    let first = links_of("oslo0@test.example");
    // Another recipient's links differ (signed per recipient).
    assert_ne!(first[9], links_of("oslo1@test.example")[9]);

    // A click records; a second click rewrites the same answer.
    let res = anon.get(&first[9]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        answers(&mut c, id),
        [("oslo0@test.example".into(), 9, String::new())]
    );
    let (status, doc) = anon.get_html(&first[3]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#nps-recorded").len(), 1);
    assert_eq!(
        answers(&mut c, id),
        [("oslo0@test.example".into(), 3, String::new())]
    );
    // The same click again changes nothing.
    assert_eq!(anon.get(&first[3]).await.status(), StatusCode::OK);
    assert_eq!(answers(&mut c, id).len(), 1);

    // Forged tokens and altered scores are 404s and record nothing.
    let (path, query) = first[3].split_once('?').expect("query");
    for bad in [
        format!("{}?{query}", altered(path)),
        format!("{path}?score=10"),
        format!("{path}?score=11"),
        format!("{path}?score=x"),
        path.to_string(),
        "/nps/not-a-token?score=1".to_string(),
    ] {
        assert_eq!(
            anon.get(&bad).await.status(),
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
    assert_eq!(answers(&mut c, id)[0].1, 3);

    // The comment: a POST without a session or CSRF token (the link is
    // the authority); a forged one is a 404.
    let res = anon
        .http
        .post(anon.url(&first[3]))
        .form(&[("comment", "Slow support.")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(answers(&mut c, id)[0].2, "Slow support.");
    let res = anon
        .http
        .post(anon.url(&format!("{}?{query}", altered(path))))
        .form(&[("comment", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Nine more: 5 promoters (9, 10), 3 passives (7, 8), 2 detractors
    // (oslo0's 3 and a 0) of 10 → 50 % − 20 % = +30.
    let scores = [10, 9, 9, 10, 9, 8, 7, 7, 0];
    for (i, s) in scores.iter().enumerate() {
        let l = links_of(&format!("oslo{}@test.example", i + 1));
        assert_eq!(anon.get(&l[*s]).await.status(), StatusCode::OK);
    }
    assert_eq!(answers(&mut c, id).len(), 10);
    let (status, doc) = admin.get_html(&format!("/campaigns/{id}/stats")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#stat-nps dd"), ["+30"]);
    assert_eq!(texts(&doc, "#stat-nps-answers dd"), ["10"]);
    let dist: Vec<String> = texts(&doc, "#nps-distribution .chart-table tbody td");
    assert_eq!(
        dist,
        ["1", "0", "0", "1", "0", "0", "0", "2", "1", "3", "2"]
    );

    // Insights: the latest survey's NPS, this month's NPS, engagement.
    let (status, doc) = admin.get_html("/insights").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, ".figure-nps dd"), ["+30"]);
    assert_eq!(
        links(&doc, ".figure-nps a"),
        [format!("/campaigns/{id}/stats")]
    );
    assert_eq!(texts(&doc, ".figure-campaigns-sent dd"), ["10"]);
    let months = texts(&doc, "#nps-by-month .chart-table tbody tr");
    assert!(
        months
            .last()
            .is_some_and(|m| m.contains("30") && m.contains("10")),
        "{months:?}"
    );
    let bars = links(&doc, "#campaign-engagement .chart-table tbody tr a");
    assert!(
        bars.iter().all(|h| *h == format!("/campaigns/{id}/stats")),
        "{bars:?}"
    );
    assert!(!bars.is_empty());
}

#[tokio::test]
async fn an_email_campaigns_links_are_not_survey_links() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, "rome", 1, "Rome", "subscribed");
    let seg = segment(&mut admin, "Rome", "Rome").await;
    let id = campaign(&mut admin, "News", seg, &[]).await;
    launch(&mut admin, id).await;
    let mut c = app.conn();
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    drive(&runner, &mut c, id, Duration::from_secs(60));
    let messages = sink.messages();
    assert_eq!(messages.len(), 1);
    assert!(nps_links(&messages[0]).is_empty());
    // A bad kind is refused beside its field.
    let res = admin
        .post(
            "/campaigns",
            &[
                ("name", "Odd"),
                ("from_addr", "rapport@test.example"),
                ("subject", "Hi"),
                ("body_format", "markdown"),
                ("body", "Hi"),
                ("kind", "poll"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
