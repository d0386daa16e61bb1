//! A campaign reaches each subscribed recipient exactly once, well formed;
//! unsubscribe links and bounces keep people out of later sends.

use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::{campaign_recipients, contacts};
use reqwest::StatusCode;

use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

#[tokio::test]
async fn each_subscribed_recipient_gets_exactly_one_well_formed_message() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let subscribed = add_contacts(&app, "sub", 40, "Shanghai", "subscribed");
    let unsubscribed = add_contacts(&app, "unsub", 3, "Shanghai", "unsubscribed");
    let bounced = add_contacts(&app, "bounced", 2, "Shanghai", "bounced");
    let elsewhere = add_contacts(&app, "beijing", 3, "Beijing", "subscribed");
    // A name that is markup: escaped in HTML, plain in text.
    let mut c = app.conn();
    diesel::update(contacts::table.find(subscribed[0]))
        .set(contacts::first_name.eq("<b>Ada</b> & Co"))
        .execute(&mut c)
        .unwrap();
    let seg = segment(&mut admin, "Shanghai", "Shanghai").await;
    let id = campaign(&mut admin, "Spring news", seg, &[]).await;
    launch(&mut admin, id).await;
    assert_eq!(status(&mut c, id), "sending");
    assert_eq!(
        ledger(&mut c, id).get("pending"),
        Some(&40),
        "frozen: subscribed only"
    );

    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    drive(&runner, &mut c, id, Duration::from_secs(60));
    assert_eq!(status(&mut c, id), "sent");
    assert_eq!(ledger(&mut c, id).get("sent"), Some(&40));

    let per = sink.per_recipient();
    for i in 0..40 {
        assert_eq!(
            per.get(&format!("sub{i}@test.example")),
            Some(&1),
            "sub{i} once"
        );
    }
    assert_eq!(per.len(), 40, "nobody else: {per:?}");
    let _ = (unsubscribed, bounced, elsewhere);

    for m in sink.messages() {
        let to = envelope_to(&m);
        let n: usize = to
            .trim_start_matches("sub")
            .trim_end_matches("@test.example")
            .parse()
            .unwrap();
        let contact = subscribed[n];
        assert_eq!(
            header(&m, "Message-ID").as_deref(),
            Some(format!("<campaign-{id}.contact-{contact}@test.example>").as_str())
        );
        let unsub = header(&m, "List-Unsubscribe").expect("List-Unsubscribe");
        assert!(
            unsub.starts_with("<http://127.0.0.1/u/") && unsub.ends_with('>'),
            "{unsub}"
        );
        assert_eq!(
            header(&m, "List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        assert!(
            header(&m, "Content-Type")
                .unwrap()
                .starts_with("multipart/alternative"),
            "multipart"
        );
        assert!(m.contains("Content-Type: text/plain"), "text part");
        assert!(m.contains("Content-Type: text/html"), "html part");
        assert_eq!(
            header(&m, "Reply-To").as_deref(),
            Some("replies@test.example")
        );
        assert!(header(&m, "From").unwrap().contains("rapport@test.example"));
        if n == 0 {
            let m = decoded(&m);
            assert!(
                m.contains("&lt;b&gt;Ada&lt;/b&gt; &amp; Co"),
                "escaped in HTML"
            );
            assert!(!m.contains("<b>Ada</b> &amp;"), "never raw markup");
            assert!(m.contains("**<b>Ada</b> & Co"), "plain in text");
        } else {
            assert_eq!(header(&m, "Subject"), Some(format!("Hello First{n}")));
        }
    }
}

pub fn rand_suffix() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().r#gen::<u64>())
}

#[tokio::test]
async fn unsubscribe_get_changes_nothing_post_unsubscribes_and_later_sends_skip_them() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let ids = add_contacts(&app, "reader", 5, "Paris", "subscribed");
    let seg = segment(&mut admin, "Paris", "Paris").await;
    let id = campaign(&mut admin, "First", seg, &[]).await;
    launch(&mut admin, id).await;
    let mut c = app.conn();
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    drive(&runner, &mut c, id, Duration::from_secs(60));

    let messages = sink.messages();
    let m = messages
        .iter()
        .find(|m| envelope_to(m) == "reader0@test.example")
        .expect("reader0's message");
    let link = header(m, "List-Unsubscribe").unwrap();
    let path = link
        .trim_start_matches("<http://127.0.0.1")
        .trim_end_matches('>')
        .to_string();
    assert!(
        decoded(m).contains(&format!("http://127.0.0.1{path}")),
        "the footer links it too"
    );

    // A stranger without cookies: GET asks and changes nothing.
    let anon = app.client();
    let (status, doc) = anon.get_html(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!texts(&doc, "#unsubscribe-confirm").is_empty());
    assert_eq!(consent(&mut c, ids[0]), "subscribed", "GET changes nothing");

    // An altered token is not found, by GET or POST.
    let mut altered = path.clone();
    let last = altered.pop().unwrap();
    altered.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(anon.get(&altered).await.status(), StatusCode::NOT_FOUND);
    let res = one_click(&anon, &altered).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(consent(&mut c, ids[0]), "subscribed");
    // The unsubscribe token does not open the web version, nor the reverse.
    let token = path.trim_start_matches("/u/");
    assert_eq!(
        anon.get(&format!("/w/{token}")).await.status(),
        StatusCode::NOT_FOUND
    );

    // RFC 8058 one-click: a POST without session or CSRF token.
    let res = one_click(&anon, &path).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(consent(&mut c, ids[0]), "unsubscribed");
    let (_, doc) = anon.get_html(&path).await;
    assert!(
        !texts(&doc, "#unsubscribe-already").is_empty(),
        "the page says so"
    );

    // The web version opens with its own link from the message.
    let body = decoded(m);
    let web = body
        .split("http://127.0.0.1/w/")
        .nth(1)
        .and_then(|rest| rest.get(..43))
        .expect("web version link");
    assert_eq!(
        anon.get(&format!("/w/{web}")).await.status(),
        StatusCode::OK,
        "{web} in {m}"
    );

    // The campaign page counts the unsubscribe.
    let (_, doc) = admin.get_html(&format!("/campaigns/{id}")).await;
    assert_eq!(texts(&doc, "#count-unsubscribed"), vec!["1"]);

    // A later campaign to the same segment leaves them out.
    let second = campaign(&mut admin, "Second", seg, &[]).await;
    launch(&mut admin, second).await;
    drive(&runner, &mut c, second, Duration::from_secs(60));
    let per = sink.per_recipient();
    assert_eq!(
        per.get("reader0@test.example"),
        Some(&1),
        "only the first campaign"
    );
    for i in 1..5 {
        assert_eq!(per.get(&format!("reader{i}@test.example")), Some(&2));
    }
}

#[tokio::test]
async fn hard_bounces_fail_and_mark_the_contact_soft_ones_retry_with_back_off() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let good = add_contacts(&app, "good", 3, "Rome", "subscribed");
    let rejected = add_contacts(&app, "reject", 2, "Rome", "subscribed");
    let later = add_contacts(&app, "later", 1, "Rome", "subscribed");
    let seg = segment(&mut admin, "Rome", "Rome").await;
    let id = campaign(&mut admin, "Bounces", seg, &[]).await;
    launch(&mut admin, id).await;
    let mut c = app.conn();
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    // Runs until only the 4xx recipient is left, waiting out its back-off.
    for _ in 0..20 {
        runner.run_once().unwrap();
        if ledger(&mut c, id).get("pending") == Some(&1)
            && ledger(&mut c, id).get("sent") == Some(&3)
        {
            break;
        }
    }
    let states = ledger(&mut c, id);
    assert_eq!(states.get("sent"), Some(&3), "{states:?}");
    assert_eq!(states.get("failed"), Some(&2), "{states:?}");
    assert_eq!(states.get("pending"), Some(&1), "{states:?}");
    for r in &rejected {
        assert_eq!(consent(&mut c, *r), "bounced", "a 5xx is a hard bounce");
    }
    assert_eq!(consent(&mut c, later[0]), "subscribed", "a 4xx is not");
    let (attempts, until, error): (i32, Option<chrono::NaiveDateTime>, Option<String>) =
        campaign_recipients::table
            .filter(campaign_recipients::contact_id.eq(later[0]))
            .select((
                campaign_recipients::attempts,
                campaign_recipients::lease_until,
                campaign_recipients::last_error,
            ))
            .first(&mut c)
            .unwrap();
    assert_eq!(attempts, 1);
    assert!(
        until.unwrap() > rapport::db::now() + chrono::Duration::seconds(50),
        "backs off a minute"
    );
    assert!(error.unwrap().contains("451"));
    assert_eq!(
        status(&mut c, id),
        "sending",
        "still sending while one is due again"
    );
    // The back-off over, it is tried again (and refused again).
    diesel::update(campaign_recipients::table.filter(campaign_recipients::contact_id.eq(later[0])))
        .set(
            campaign_recipients::lease_until
                .eq(Some(rapport::db::now() - chrono::Duration::seconds(1))),
        )
        .execute(&mut c)
        .unwrap();
    runner.run_once().unwrap();
    let attempts: i32 = campaign_recipients::table
        .filter(campaign_recipients::contact_id.eq(later[0]))
        .select(campaign_recipients::attempts)
        .first(&mut c)
        .unwrap();
    assert_eq!(attempts, 2);
    let per = sink.per_recipient();
    assert_eq!(per.len(), 3, "only the accepted ones arrived: {per:?}");
    let _ = good;

    // Cancel; a later campaign leaves the bounced out.
    let res = admin.post(&format!("/campaigns/{id}/cancel"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status(&mut c, id), "cancelled");
    let second = campaign(&mut admin, "After bounces", seg, &[]).await;
    launch(&mut admin, second).await;
    let states = ledger(&mut c, second);
    assert_eq!(
        states.get("pending"),
        Some(&4),
        "3 good + the 4xx one: {states:?}"
    );
}
