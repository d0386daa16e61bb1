//! Background jobs: claims with leases under real concurrency (threads with
//! their own connections), a dead worker's job taken over after its lease,
//! retries that back off and stop at the limit with the error kept, and the
//! admin page that shows them and retries a failed job.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::jobs;
use rapport::db::{self, DbConn, write_tx};
use rapport::jobs::{JobEnv, JobKind, Runner, repo};
use rapport::mail::{Email, Mailer, outbox};
use reqwest::StatusCode;

use crate::helpers::*;
use crate::outbox_smtp::free_port;

/// A job environment over its own pool (its own connections), as a worker
/// in another process would have; `smtp` None delivers into `<dir>/mail`.
pub fn job_env(app: &TestApp, smtp: Option<String>, lease: Duration) -> JobEnv {
    let mut config = test_config(&app.db);
    config.smtp_url = smtp;
    JobEnv {
        pool: db::build_pool(&app.db.url, 2, Duration::from_secs(5)),
        data_dir: app.db.dir().to_path_buf(),
        mailer: Mailer::from_config(&config).expect("mailer"),
        lease,
        links: rapport::signed::PublicLinks::new(&config.secret_key, &config.base_url),
    }
}

/// An app whose own workers stay idle, so the test drives every run.
pub async fn spawn_without_workers(smtp: Option<String>) -> TestApp {
    spawn_with(|c| {
        c.job_workers = 0;
        c.smtp_url = smtp;
    })
    .await
}

pub fn queue_mail(conn: &mut DbConn, n: usize) -> Vec<i64> {
    (0..n)
        .map(|i| {
            let email = Email::new(
                "Rapport <rapport@test.example>",
                &format!("Person {i} <person{i}@test.example>"),
                &format!("Message {i}"),
                format!("Hello number {i}."),
            )
            .expect("email");
            write_tx(conn, |c| outbox::enqueue(c, &email)).expect("enqueue")
        })
        .collect()
}

pub fn job(conn: &mut DbConn, id: i64) -> repo::Job {
    repo::get(conn, id).expect("query").expect("job exists")
}

/// A message whose delivery failed for good (a fixture for job routes).
pub fn failed_job(app: &TestApp) -> i64 {
    let mut conn = app.conn();
    let id = queue_mail(&mut conn, 1)[0];
    diesel::update(jobs::table.find(id))
        .set((
            jobs::status.eq(repo::FAILED),
            jobs::attempts.eq(JobKind::Email.max_attempts()),
            jobs::last_error.eq(Some("sending failed: fixture")),
        ))
        .execute(&mut conn)
        .expect("failed job");
    id
}

/// As if the back-off had passed: every queued job is due now.
pub fn make_due(conn: &mut DbConn) {
    diesel::update(jobs::table.filter(jobs::status.eq(repo::QUEUED)))
        .set(jobs::run_at.eq(db::now() - chrono::Duration::seconds(1)))
        .execute(conn)
        .expect("due");
}

fn eml_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.db.dir().join("mail")).map_or(0, |d| d.count())
}

/// Two workers, each a thread with its own pool, start `work` at the same
/// instant (both connected first); returns the sum of what they ran.
fn two_workers_at_once(app: &TestApp, work: fn(&Runner) -> usize) -> usize {
    let barrier = Arc::new(Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let env = job_env(app, None, Duration::from_secs(60));
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                let runner = Runner::new(env);
                runner.env().pool.get().expect("connection");
                barrier.wait();
                work(&runner)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().expect("thread")).sum()
}

#[tokio::test]
async fn a_job_claimed_by_two_workers_at_once_runs_exactly_once() {
    let app = spawn_without_workers(None).await;
    let mut conn = app.conn();
    let rounds = 12;
    let mut total = 0;
    for round in 0..rounds {
        let ids = queue_mail(&mut conn, 1);
        let ran = two_workers_at_once(&app, |runner| runner.run_once().expect("run_once"));
        assert_eq!(ran, 1, "round {round}: one of the two workers ran the job");
        let j = job(&mut conn, ids[0]);
        assert_eq!((j.status.as_str(), j.attempts), (repo::DONE, 1));
        total += 1;
        assert_eq!(eml_files(&app), total, "the message was sent once");
    }

    // A batch of many, drained by two workers at once: each message once.
    let ids = queue_mail(&mut conn, 120);
    let ran = two_workers_at_once(&app, |runner| {
        let mut ran = 0;
        loop {
            match runner.run_once().expect("run_once") {
                0 => return ran,
                n => ran += n,
            }
        }
    });
    assert_eq!(ran, 120);
    assert_eq!(eml_files(&app), rounds + 120);
    let attempts: Vec<i32> = jobs::table
        .filter(jobs::id.eq_any(&ids))
        .select(jobs::attempts)
        .load(&mut conn)
        .expect("attempts");
    assert!(attempts.iter().all(|a| *a == 1), "{attempts:?}");
}

#[tokio::test]
async fn a_job_whose_worker_died_is_claimed_again_after_its_lease() {
    let app = spawn_without_workers(None).await;
    let mut conn = app.conn();
    let id = queue_mail(&mut conn, 1)[0];
    // A worker claims it with a one-second lease, then dies.
    let t = db::now();
    let claimed = repo::claim(
        &mut conn,
        JobKind::Email,
        "dead-worker:0",
        t,
        t + chrono::Duration::seconds(1),
        10,
    )
    .expect("claim");
    assert_eq!(claimed.len(), 1);
    let runner = Runner::new(job_env(&app, None, Duration::from_secs(60)));
    assert_eq!(runner.run_once().expect("run"), 0, "the lease is held");
    assert_eq!(job(&mut conn, id).status, repo::RUNNING);
    let admin = app.setup_admin().await;
    let (_, doc) = admin.get_html("/admin/jobs").await;
    let row = texts(&doc, &format!(".jobs-running #job-{id}")).join(" ");
    assert!(row.contains("worker dead-worker:0"), "{row}");

    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(runner.run_once().expect("run"), 1, "taken over");
    let j = job(&mut conn, id);
    assert_eq!((j.status.as_str(), j.attempts), (repo::DONE, 2));
    assert_eq!(eml_files(&app), 1);

    // The dead worker's late results are not applied.
    let late = db::now();
    assert_eq!(
        repo::complete(&mut conn, &[id], "dead-worker:0", late).expect("complete"),
        0
    );
    assert!(
        !repo::record_failure(&mut conn, id, "dead-worker:0", "late", None, late).expect("failure")
    );
    let j = job(&mut conn, id);
    assert_eq!((j.status.as_str(), j.last_error), (repo::DONE, None));
    let (_, doc) = admin.get_html("/admin/jobs").await;
    assert_eq!(texts(&doc, &format!(".jobs-done #job-{id}")).len(), 1);
    assert!(texts(&doc, ".jobs-running tr").is_empty());
}

#[tokio::test]
async fn a_failing_job_backs_off_stops_at_its_limit_and_can_be_retried_by_an_admin() {
    // An SMTP port nobody listens on: every delivery fails to connect.
    let smtp = format!("smtp://127.0.0.1:{}", free_port());
    let app = spawn_without_workers(Some(smtp.clone())).await;
    let mut admin = app.setup_admin().await;
    let mut conn = app.conn();
    let id = queue_mail(&mut conn, 1)[0];
    let runner = Runner::new(job_env(&app, Some(smtp), Duration::from_secs(60)));
    let max = JobKind::Email.max_attempts();
    let mut last_pause = chrono::Duration::zero();
    for attempt in 1..max {
        let before = db::now();
        assert_eq!(runner.run_once().expect("run"), 1, "attempt {attempt}");
        let j = job(&mut conn, id);
        assert_eq!((j.status.as_str(), j.attempts), (repo::QUEUED, attempt));
        assert!(
            j.last_error
                .as_deref()
                .is_some_and(|e| e.contains("sending failed")),
            "{j:?}"
        );
        let pause = j.run_at - before;
        let least =
            chrono::Duration::from_std(rapport::jobs::backoff(JobKind::Email, attempt, 0.0))
                .expect("duration");
        assert!(
            pause >= least,
            "attempt {attempt}: run_at moved out by {pause} (at least {least})"
        );
        assert!(
            pause > last_pause
                || least >= chrono::Duration::from_std(rapport::jobs::MAX_BACKOFF).expect("max")
        );
        last_pause = pause;
        assert_eq!(
            runner.run_once().expect("run"),
            0,
            "not due during the back-off"
        );
        make_due(&mut conn);
    }
    assert_eq!(runner.run_once().expect("run"), 1, "the last attempt");
    let j = job(&mut conn, id);
    assert_eq!((j.status.as_str(), j.attempts), (repo::FAILED, max));
    let error = j.last_error.clone().expect("the error is kept");
    make_due(&mut conn);
    assert_eq!(
        runner.run_once().expect("run"),
        0,
        "a failed job stays failed"
    );

    // The admin page lists it with its error; "retry now" queues it again.
    let (status, doc) = admin.get_html("/admin/jobs").await;
    assert_eq!(status, StatusCode::OK);
    let row = texts(&doc, &format!(".jobs-failed #job-{id}")).join(" ");
    assert!(row.contains(&error) && row.contains("Email"), "{row}");
    assert!(texts(&doc, ".outbox td.status").contains(&"Failed".to_string()));
    let path = format!("/admin/jobs/{id}/retry");
    let res = admin
        .http
        .post(admin.url(&path))
        .form(&[("x", "y")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(job(&mut conn, id).status, repo::FAILED);
    let res = admin.post(&path, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/jobs");
    let j = job(&mut conn, id);
    assert_eq!((j.status.as_str(), j.attempts), (repo::QUEUED, 0));
    let (_, doc) = admin.get_html("/admin/jobs").await;
    assert!(
        texts(&doc, ".flash")
            .concat()
            .contains("queued to run again")
    );
    assert_eq!(texts(&doc, &format!(".jobs-queued #job-{id}")).len(), 1);
    let res = admin.post(&path, &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "not failed any more: left alone"
    );
    assert_eq!(
        admin.post("/admin/jobs/999999/retry", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    // With htmx the page is reloaded by HX-Redirect.
    let res = admin.post_htmx(&path, &[]).await;
    assert_eq!(res.headers()["hx-redirect"], "/admin/jobs");
}

#[tokio::test]
async fn the_app_starts_workers_that_run_queued_jobs() {
    let app = spawn().await;
    let mut conn = app.conn();
    let ids = queue_mail(&mut conn, 3);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while ids
        .iter()
        .any(|id| job(&mut conn, *id).status != repo::DONE)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the workers did not run the jobs"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(eml_files(&app), 3);
}
