//! Pause and resume, and two instances on one campaign: nobody twice.

use std::time::{Duration, Instant};

use reqwest::StatusCode;

use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

fn sent(c: &mut DbConn, id: i64) -> i64 {
    ledger(c, id).get("sent").copied().unwrap_or(0)
}

#[tokio::test]
async fn a_paused_and_resumed_campaign_sends_everyone_once() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_with(|c| {
        c.smtp_url = Some(sink.url());
        c.job_workers = 2;
    })
    .await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, "pr", 120, "Lyon", "subscribed");
    let seg = segment(&mut admin, "Lyon", "Lyon").await;
    // 40 a second: about three seconds in all.
    let id = campaign(&mut admin, "Paced", seg, &[("rate_per_sec", "40")]).await;
    launch(&mut admin, id).await;
    let mut c = app.conn();
    let deadline = Instant::now() + Duration::from_secs(30);
    while sent(&mut c, id) < 20 {
        assert!(Instant::now() < deadline, "sending did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let res = admin.post(&format!("/campaigns/{id}/pause"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(status(&mut c, id), "paused");
    // Pausing twice is refused (a conditional change), and nothing breaks.
    let again = admin.post(&format!("/campaigns/{id}/pause"), &[]).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    // In-flight messages settle; then nothing more goes out.
    std::thread::sleep(Duration::from_millis(1500));
    let at_pause = sink.messages().len();
    let sent_at_pause = sent(&mut c, id);
    assert_eq!(
        at_pause as i64, sent_at_pause,
        "every delivered message is recorded"
    );
    assert!(
        sent_at_pause < 120,
        "paused before the end ({sent_at_pause})"
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(
        sink.messages().len(),
        at_pause,
        "nothing is sent while paused"
    );

    let res = admin.post(&format!("/campaigns/{id}/resume"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let deadline = Instant::now() + Duration::from_secs(60);
    while status(&mut c, id) != "sent" {
        assert!(
            Instant::now() < deadline,
            "the resumed campaign did not finish"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let per = sink.per_recipient();
    assert_eq!(per.len(), 120);
    assert!(per.values().all(|n| *n == 1), "exactly once: {per:?}");
    // The progress block for htmx shows the end.
    let res = admin.get_htmx(&format!("/campaigns/{id}/progress")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#count-sent"), vec!["120"]);
}

#[tokio::test]
async fn two_instances_sending_one_campaign_never_send_twice() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, "two", 300, "Oslo", "subscribed");
    let seg = segment(&mut admin, "Oslo", "Oslo").await;
    let id = campaign(&mut admin, "Shared", seg, &[("concurrency", "8")]).await;
    launch(&mut admin, id).await;
    // Two runners with pools of their own, as two app instances have: each
    // takes a lane and both claim from the same ledger at once.
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let runner = runner(&app, &sink.url(), Duration::from_secs(30));
            let url = app.db.url.clone();
            std::thread::spawn(move || {
                let mut c = rapport::db::connect(&url).expect("db");
                drive(&runner, &mut c, id, Duration::from_secs(120));
            })
        })
        .collect();
    for h in handles {
        h.join().expect("instance");
    }
    let mut c = app.conn();
    assert_eq!(status(&mut c, id), "sent");
    let per = sink.per_recipient();
    assert_eq!(per.len(), 300);
    assert!(per.values().all(|n| *n == 1), "exactly once");
    // Every lane was queued once (whoever ran them).
    use diesel::prelude::*;
    use rapport::db::schema::jobs;
    let lanes: Vec<(String, String)> = jobs::table
        .filter(jobs::kind.eq("campaign"))
        .select((jobs::dedupe_key.assume_not_null(), jobs::status))
        .load(&mut c)
        .unwrap();
    assert_eq!(
        lanes.len(),
        rapport::campaigns::engine::LANES as usize,
        "{lanes:?}"
    );
}
