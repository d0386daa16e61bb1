//! The real `rapport` process sending a campaign: killed with SIGKILL in
//! the middle and started again, every recipient gets the message, and the
//! only duplicates are messages that were in flight (at most the
//! concurrency), each with the same Message-ID; stopped with SIGTERM and
//! started again, nobody gets it twice.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rapport::db::DbUrl;

use super::send::rand_suffix;
use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

fn serve(db: &TestDb, smtp: &str) -> Child {
    let url = match &db.url {
        DbUrl::Sqlite(p) => format!("sqlite://{p}"),
        DbUrl::Mysql(u) => u.clone(),
    };
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("serve")
        .env("RAPPORT_DATABASE_URL", url)
        .env("RAPPORT_DATA_DIR", db.dir())
        .env("RAPPORT_BIND", "127.0.0.1:0")
        .env("RAPPORT_JOB_WORKERS", "1")
        .env("RAPPORT_JOB_LEASE_SECS", "3")
        .env("RAPPORT_SMTP_URL", smtp)
        .env("RAPPORT_MAIL_FROM", "Rapport <rapport@test.example>")
        .env("RAPPORT_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("run rapport serve")
}

const CONCURRENCY: usize = 4;
const RECIPIENTS: usize = 400;

async fn prepared(prefix: &str) -> (TestApp, Sink, i64) {
    let dir = std::env::temp_dir().join(format!("rapport-sink-{}", rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    add_contacts(&app, prefix, RECIPIENTS, "Kyiv", "subscribed");
    let seg = segment(&mut admin, "Kyiv", "Kyiv").await;
    let c = CONCURRENCY.to_string();
    let id = campaign(
        &mut admin,
        "Restart",
        seg,
        &[("rate_per_sec", "150"), ("concurrency", &c)],
    )
    .await;
    launch(&mut admin, id).await;
    (app, sink, id)
}

fn wait_for(sink: &Sink, at_least: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.messages().len() < at_least {
        assert!(Instant::now() < deadline, "sending did not start");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn wait_until_sent(app: &TestApp, id: i64) {
    let mut c = app.conn();
    let deadline = Instant::now() + Duration::from_secs(120);
    while status(&mut c, id) != "sent" {
        assert!(
            Instant::now() < deadline,
            "the campaign did not finish after the restart"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn a_killed_sender_resumes_and_only_in_flight_messages_go_twice() {
    let (app, sink, id) = prepared("k").await;
    let mut first = serve(&app.db, &sink.url());
    wait_for(&sink, 60);
    first.kill().expect("kill -9");
    first.wait().expect("reaped");
    let before = sink.messages().len();
    assert!(before < RECIPIENTS, "killed in the middle ({before})");

    let mut second = serve(&app.db, &sink.url());
    wait_until_sent(&app, id);
    second.kill().ok();
    second.wait().ok();

    let mut ids: HashMap<String, Vec<String>> = HashMap::new();
    for m in sink.messages() {
        ids.entry(envelope_to(&m))
            .or_default()
            .push(header(&m, "Message-ID").unwrap_or_default());
    }
    assert_eq!(ids.len(), RECIPIENTS, "nobody is skipped");
    let twice: Vec<_> = ids.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(
        twice.len() <= CONCURRENCY,
        "at most the in-flight messages go twice: {}",
        twice.len()
    );
    for (to, v) in &twice {
        assert_eq!(v.len(), 2, "{to}");
        assert_eq!(v[0], v[1], "a duplicate carries the same Message-ID");
    }
    let mut c = app.conn();
    assert_eq!(ledger(&mut c, id).get("sent"), Some(&(RECIPIENTS as i64)));
}

#[tokio::test]
async fn a_gracefully_restarted_sender_sends_everyone_exactly_once() {
    let (app, sink, id) = prepared("g").await;
    let first = serve(&app.db, &sink.url());
    wait_for(&sink, 60);
    let status = Command::new("kill")
        .args(["-TERM", &first.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(status.success());
    let out = first.wait_with_output().expect("stopped");
    assert!(
        out.status.success() || out.status.code().is_some(),
        "exited"
    );
    let before = sink.messages().len();
    assert!(before < RECIPIENTS, "stopped in the middle ({before})");

    let mut second = serve(&app.db, &sink.url());
    wait_until_sent(&app, id);
    second.kill().ok();
    second.wait().ok();
    let per = sink.per_recipient();
    assert_eq!(per.len(), RECIPIENTS);
    assert!(
        per.values().all(|n| *n == 1),
        "exactly once after a graceful restart"
    );
}
