//! Senders: an address added under /campaigns/senders is offered in the
//! editors only after the link mailed to it (through the real SMTP server)
//! was followed and its button pressed; GET changes nothing; altered,
//! expired, foreign tokens and the token of an address removed and added
//! again are 404; errors sit beside the fields; a new link at most once a
//! minute; a campaign sent from a verified sender carries it in `From`.

use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::{campaign_senders, mail_outbox};
use rapport::signed::{Purpose, Signer};
use reqwest::StatusCode;

use super::signups::{altered, deliver, raw_post, readable};
use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

const SENDER: &str = "news@shop.example";

/// The verification paths (`/senders/verify/TOKEN`) mailed to `to`, oldest first.
fn verify_paths(sink: &Sink, to: &str) -> Vec<String> {
    sink.messages()
        .into_iter()
        .filter(|m| envelope_to(m) == to)
        .filter_map(|m| {
            let m = readable(&m);
            let token = m
                .split("http://127.0.0.1/senders/verify/")
                .nth(1)?
                .get(..43)?
                .to_string();
            Some(format!("/senders/verify/{token}"))
        })
        .collect()
}

fn outbox_to(c: &mut DbConn, to: &str) -> i64 {
    mail_outbox::table
        .filter(mail_outbox::to_addr.eq(to))
        .select(diesel::dsl::count_star())
        .first(c)
        .expect("outbox")
}

fn sender_id(c: &mut DbConn, email: &str) -> i64 {
    campaign_senders::table
        .filter(campaign_senders::email.eq(email))
        .select(campaign_senders::id)
        .first(c)
        .expect("sender")
}

/// The options of the campaign editor's sender menu.
async fn offered(admin: &mut Client) -> Vec<String> {
    let (_, doc) = admin.get_html("/campaigns/new").await;
    texts(&doc, "#from_addr option")
}

#[tokio::test]
async fn a_sender_is_offered_once_its_mailbox_confirmed_it() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let mut c = app.conn();
    let (status, doc) = admin.get_html("/campaigns/senders").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#senders tbody tr").len(), 0);

    // Errors beside the fields; nothing written or mailed.
    let res = admin
        .post(
            "/campaigns/senders",
            &[
                ("name", "News\r\nBcc: x@evil.example"),
                ("email", "not an address"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#name-error").len(), 1);
    assert_eq!(texts(&doc, "#email-error").len(), 1);
    assert_eq!(
        campaign_senders::table
            .select(diesel::dsl::count_star())
            .first::<i64>(&mut c)
            .unwrap(),
        0
    );

    // Added: pending, a link queued, not offered yet.
    let res = admin
        .post(
            "/campaigns/senders",
            &[("name", "Shop News"), ("email", "News@Shop.Example")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/campaigns/senders");
    let (_, doc) = admin.get_html("/campaigns/senders").await;
    let id = sender_id(&mut c, SENDER);
    let row = format!("#sender-{id} td");
    assert_eq!(texts(&doc, &row)[0], SENDER);
    assert!(texts(&doc, &row)[2].contains("Waiting for confirmation"));
    assert!(!offered(&mut admin).await.contains(&SENDER.to_string()));
    // The same address again: beside the field.
    let res = admin
        .post(
            "/campaigns/senders",
            &[("name", "Again"), ("email", SENDER)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#email-error"),
        vec!["This address is already a sender."]
    );
    // A campaign cannot come from it yet.
    let seg = segment(&mut admin, "Shanghai", "Shanghai").await;
    let res = admin
        .post(
            "/campaigns",
            &[
                ("name", "Early"),
                ("segment_id", &seg.to_string()),
                ("from_name", "Shop News"),
                ("from_addr", SENDER),
                ("subject", "Hi"),
                ("body_format", "markdown"),
                ("body", "Hello"),
                ("rate_per_sec", "0"),
                ("concurrency", "4"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A second link within the minute is refused; nothing more queued.
    assert_eq!(outbox_to(&mut c, SENDER), 1);
    let res = admin
        .post(&format!("/campaigns/senders/{id}/resend"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(outbox_to(&mut c, SENDER), 1, "at most one link a minute");

    // The mail reaches the SMTP server: subject and link.
    deliver(&app, &sink);
    let paths = verify_paths(&sink, SENDER);
    assert_eq!(paths.len(), 1, "one mail");
    let path = paths[0].clone();
    let m = sink
        .messages()
        .into_iter()
        .find(|m| envelope_to(m) == SENDER)
        .unwrap();
    assert_eq!(
        header(&m, "Subject").as_deref(),
        Some("Confirm news@shop.example as a campaign sender")
    );

    // A mail scanner's GET changes nothing.
    let anon = app.client();
    let (status, doc) = anon.get_html(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#sender-verify").len(), 1, "a button");
    assert!(!offered(&mut admin).await.contains(&SENDER.to_string()));

    // Altered, expired and foreign tokens: 404 by GET and POST.
    let signer = Signer::new(&test_config(&app.db).secret_key);
    let expired = format!(
        "/senders/verify/{}",
        signer.sign(
            Purpose::SenderVerify,
            id,
            Some(chrono::Utc::now().timestamp() - 10),
            SENDER.as_bytes()
        )
    );
    let foreign = format!(
        "/senders/verify/{}",
        signer.sign(Purpose::SignupConfirm, id, None, SENDER.as_bytes())
    );
    let other_address = format!(
        "/senders/verify/{}",
        signer.sign(Purpose::SenderVerify, id, None, b"ceo@shop.example")
    );
    for bad in [
        altered(&path),
        expired,
        foreign,
        other_address,
        "/senders/verify/short".into(),
    ] {
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
    assert!(!offered(&mut admin).await.contains(&SENDER.to_string()));

    // The POST, without session or CSRF cookie: the token is the authority.
    let res = raw_post(&anon, &path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#sender-verified p"),
        vec!["Confirmed: campaigns may now be sent from news@shop.example."]
    );
    assert!(offered(&mut admin).await.contains(&SENDER.to_string()));
    let (_, doc) = admin.get_html("/campaigns/senders").await;
    assert!(texts(&doc, &row)[2].contains("Confirmed"));
    assert_eq!(
        texts(&doc, &format!("#resend-{id}")).len(),
        0,
        "no new link for a confirmed sender"
    );

    // A campaign from it: every message carries it in From.
    add_contacts(&app, "sub", 3, "Shanghai", "subscribed");
    let campaign_id = campaign(
        &mut admin,
        "From the shop",
        seg,
        &[("from_name", "Shop News"), ("from_addr", SENDER)],
    )
    .await;
    launch(&mut admin, campaign_id).await;
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    drive(&runner, &mut c, campaign_id, Duration::from_secs(60));
    let sent: Vec<String> = sink
        .messages()
        .into_iter()
        .filter(|m| envelope_to(m).starts_with("sub"))
        .collect();
    assert_eq!(sent.len(), 3);
    for m in &sent {
        assert_eq!(
            header(m, "From").as_deref(),
            Some("\"Shop News\" <news@shop.example>"),
            "{m}"
        );
    }

    // Removed: no longer offered; removed and added again, the old link is dead.
    let res = admin
        .post(&format!("/campaigns/senders/{id}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(!offered(&mut admin).await.contains(&SENDER.to_string()));
    assert_eq!(
        admin
            .post(&format!("/campaigns/senders/{id}/delete"), &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(anon.get(&path).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_sender_pages_speak_chinese() {
    let app = spawn_without_workers(None).await;
    let mut admin = app.setup_admin().await;
    let res = admin
        .post(
            "/account/locale",
            &[("language", "zh-CN"), ("time_zone", "Asia/Shanghai")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, doc) = admin.get_html("/campaigns/senders").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["发件人"]);
    let res = admin
        .post("/campaigns/senders", &[("name", ""), ("email", "x")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#name-error"), vec!["请输入收件人看到的名称。"]);
}
