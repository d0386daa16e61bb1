//! The mail outbox: a message exists exactly when the transaction that
//! caused it commits, and is delivered to a real SMTP server (aiosmtpd) by
//! the job workers; while the server is down it stays queued and is retried,
//! then delivered once it is up, nothing lost and nothing sent twice.

use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::{jobs, mail_outbox, teams};
use rapport::db::{self, write_tx};
use rapport::error::AppError;
use rapport::jobs::{Runner, repo};
use rapport::mail::{Email, outbox};
use reqwest::StatusCode;

use crate::cli::{rapport, text};
use crate::helpers::*;
use crate::jobs::{job, job_env, make_due, spawn_without_workers};
use crate::outbox_smtp::{SmtpServer, free_port};

macro_rules! count {
    ($conn:expr, $table:expr) => {
        $table
            .select(diesel::dsl::count_star())
            .first::<i64>($conn)
            .expect("count")
    };
}

#[tokio::test]
async fn a_message_is_queued_only_with_the_change_that_caused_it() {
    let app = spawn_without_workers(None).await;
    let mut conn = app.conn();
    let email = Email::new(
        "Rapport <rapport@test.example>",
        "team@test.example",
        "Welcome to the team",
        "Hello.",
    )
    .expect("email");
    // The change fails after the message was queued: neither is kept.
    let failed: Result<(), AppError> = write_tx(&mut conn, |c| {
        diesel::insert_into(teams::table)
            .values((teams::name.eq("Ghosts"), teams::created_at.eq(db::now())))
            .execute(c)?;
        outbox::enqueue(c, &email)?;
        Err(AppError::conflict("error-duplicate"))
    });
    assert!(failed.is_err());
    assert_eq!(count!(&mut conn, mail_outbox::table), 0);
    assert_eq!(count!(&mut conn, jobs::table), 0);
    assert_eq!(count!(&mut conn, teams::table), 0);
    // It commits: both are there.
    write_tx(&mut conn, |c| {
        diesel::insert_into(teams::table)
            .values((teams::name.eq("Builders"), teams::created_at.eq(db::now())))
            .execute(c)?;
        outbox::enqueue(c, &email)
    })
    .expect("commit");
    assert_eq!(count!(&mut conn, mail_outbox::table), 1);
    assert_eq!(count!(&mut conn, teams::table), 1);

    // Headers a message sets itself, or that would break the header block, are refused.
    assert!(email.clone().header("Subject", "x").is_err());
    assert!(
        email
            .clone()
            .header("X-Tag", "a\r\nBcc: evil@example.com")
            .is_err()
    );
    assert!(Email::new("Rapport <r@test.example>", "not an address", "s", "b").is_err());
    assert!(Email::new("Rapport <r@test.example>", "a@test.example", "a\nb", "b").is_err());
    let long = "x".repeat(501);
    assert!(Email::new("Rapport <r@test.example>", "a@test.example", &long, "b").is_err());
    let far = format!("{}@test.example", "y".repeat(400));
    assert!(Email::new("Rapport <r@test.example>", &far, "s", "b").is_err());
}

#[tokio::test]
async fn the_outbox_retries_while_the_smtp_server_is_down_then_delivers_each_message_once() {
    let port = free_port();
    let smtp = format!("smtp://127.0.0.1:{port}");
    let app = spawn_without_workers(Some(smtp.clone())).await;
    let admin = app.setup_admin().await;
    let mut conn = app.conn();
    let mut ids = Vec::new();
    for i in 0..3 {
        let email = Email::new(
            "Rapport <rapport@test.example>",
            &format!("Customer {i} <customer{i}@test.example>"),
            &format!("Your order {i}"),
            format!("Plain text {i}"),
        )
        .expect("email")
        .html(format!("<p>Rich <b>text</b> {i}</p>"))
        .header("X-Rapport-Test", &format!("order-{i}"))
        .expect("header");
        ids.push((
            write_tx(&mut conn, |c| outbox::enqueue(c, &email)).expect("enqueue"),
            email.message_id().to_string(),
        ));
    }
    let runner = Runner::new(job_env(&app, Some(smtp), Duration::from_secs(60)));

    // The server is down: every message stays queued with the error, twice.
    for attempt in 1..=2 {
        assert_eq!(runner.run_once().expect("run"), 3);
        for (id, _) in &ids {
            let j = job(&mut conn, *id);
            assert_eq!((j.status.as_str(), j.attempts), (repo::QUEUED, attempt));
            assert!(j.last_error.is_some());
            assert!(j.run_at > db::now());
        }
        make_due(&mut conn);
    }
    let (_, doc) = admin.get_html("/admin/jobs").await;
    assert_eq!(texts(&doc, ".outbox td.status"), ["Queued"; 3]);
    assert!(
        texts(&doc, ".outbox td.error")
            .iter()
            .all(|e| e.contains("sending failed"))
    );

    // Up again: each message is delivered once, by the next run.
    let server = SmtpServer::start_on(port, app.db.dir());
    assert_eq!(runner.run_once().expect("run"), 3);
    assert_eq!(runner.run_once().expect("run"), 0);
    make_due(&mut conn);
    assert_eq!(
        runner.run_once().expect("run"),
        0,
        "nothing is left to send"
    );
    let mails = server.messages();
    assert_eq!(mails.len(), 3, "each message once");
    for (i, (id, message_id)) in ids.iter().enumerate() {
        assert_eq!(job(&mut conn, *id).status, repo::DONE);
        let mail = mails
            .iter()
            .find(|m| m.contains(&format!("Message-ID: {message_id}")))
            .unwrap_or_else(|| panic!("message {message_id} delivered: {mails:?}"));
        assert!(mail.contains(&format!("Subject: Your order {i}")));
        assert!(mail.contains(&format!("X-Rapport-Test: order-{i}")));
        assert!(mail.contains("multipart/alternative"));
        assert!(mail.contains(&format!("Plain text {i}")));
        assert!(mail.contains(&format!("<p>Rich <b>text</b> {i}</p>")));
    }
    let (status, doc) = admin.get_html("/admin/jobs").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, ".outbox td.status"), ["Done"; 3]);
}

#[test]
fn send_test_email_goes_through_the_outbox_and_says_when_it_could_not_deliver() {
    let db = TestDb::new();
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let out = rapport(
        &db,
        &["send-test-email", "--to", "ops@test.example"],
        None,
        &[("RAPPORT_SMTP_URL", &url)],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("stays in the outbox"), "{}", text(&out));
    let mut conn = db::connect(&db.url).expect("connect");
    let (status, error): (String, Option<String>) = jobs::table
        .select((jobs::status, jobs::last_error))
        .first(&mut conn)
        .expect("the job");
    assert_eq!(status, repo::QUEUED, "retried later by the workers");
    assert!(error.is_some_and(|e| e.contains("sending failed")));

    // Once the server is up, a worker delivers it (here: the next command's).
    let server = SmtpServer::start_on(port, db.dir());
    let out = rapport(
        &db,
        &["send-test-email", "--to", "ops@test.example"],
        None,
        &[("RAPPORT_SMTP_URL", &url)],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        server.messages().len(),
        1,
        "the new message; the first waits for its back-off"
    );
}

#[test]
fn the_worker_command_delivers_queued_mail_and_stops_on_sigterm() {
    let db = TestDb::new();
    assert!(rapport(&db, &["migrate"], None, &[]).status.success());
    let mut conn = db::connect(&db.url).expect("connect");
    let ids = crate::jobs::queue_mail(&mut conn, 2);
    let url = match &db.url {
        db::DbUrl::Sqlite(p) => format!("sqlite://{p}"),
        db::DbUrl::Mysql(u) => u.clone(),
    };
    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("worker")
        .env("RAPPORT_DATABASE_URL", url)
        .env("RAPPORT_DATA_DIR", db.dir())
        .env("RAPPORT_LOG", "warn")
        .spawn()
        .expect("rapport worker");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while ids
        .iter()
        .any(|id| job(&mut conn, *id).status != repo::DONE)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker delivered nothing"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let term = std::process::Command::new("kill")
        .args(["-TERM", &worker.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    let exit = worker.wait().expect("worker exits");
    assert!(exit.success(), "a clean stop: {exit:?}");
    let files = std::fs::read_dir(db.dir().join("mail"))
        .expect("mail dir")
        .count();
    assert_eq!(files, 2);
}
