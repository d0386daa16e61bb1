//! Welcome series against the real SMTP server: a sign-up-triggered
//! series sends step 1 once and step 2 only after its wait, once; a
//! segment-triggered series mails only contacts who enter after the
//! activation; an unsubscribed contact gets no later step; pausing stops
//! sending; the editors put errors beside the fields.

use std::time::Duration;

use diesel::prelude::*;
use rapport::db::schema::{campaign_recipients, campaigns, signup_forms};
use reqwest::StatusCode;

use super::signups::{confirm_path, sign_up, signup_form, static_list};
use super::*;
use crate::helpers::*;
use crate::jobs::spawn_without_workers;

/// A series made through the editor; its id.
async fn new_series(admin: &mut Client, name: &str, trigger: &[(&str, &str)]) -> i64 {
    let mut form = vec![
        ("name", name),
        ("from_name", "Rapport News"),
        ("from_addr", "rapport@test.example"),
        ("reply_to", "replies@test.example"),
    ];
    form.extend_from_slice(trigger);
    let res = admin.post("/campaigns/series", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "series saved");
    location(&res)
        .trim_start_matches("/campaigns/series/")
        .parse()
        .expect("series id")
}

async fn add_step(admin: &mut Client, series: i64, delay: &str, unit: &str, subject: &str) {
    let res = admin
        .post(
            &format!("/campaigns/series/{series}/steps"),
            &[
                ("delay", delay),
                ("delay_unit", unit),
                ("subject", subject),
                ("body_format", "markdown"),
                ("body", "Dear **{{ contact.first_name }}**,\n\nWelcome."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "step saved");
    assert_eq!(location(&res), format!("/campaigns/series/{series}"));
}

async fn activate(admin: &mut Client, series: i64) {
    let res = admin
        .post(&format!("/campaigns/series/{series}/activate"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "activated");
}

/// The series' step ids in order.
fn steps(c: &mut DbConn, series: i64) -> Vec<i64> {
    campaigns::table
        .filter(campaigns::series_id.eq(series))
        .order(campaigns::step_no.asc())
        .select(campaigns::id)
        .load(c)
        .expect("steps")
}

/// Runs jobs until none is ready (lanes of steps end when nothing is due).
fn settle(runner: &Runner) {
    let mut idle = 0;
    for _ in 0..400 {
        if runner.run_once().expect("run") == 0 {
            idle += 1;
            if idle == 3 {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        } else {
            idle = 0;
        }
    }
    panic!("jobs did not settle");
}

/// One run of the series job's work, then the lanes it queued.
fn tick_and_send(app: &TestApp, runner: &Runner) {
    rapport::campaigns::series::tick(&mut app.conn()).expect("tick");
    settle(runner);
}

/// Makes the step's waiting rows due now (time passes).
fn time_passes(c: &mut DbConn, step: i64) {
    diesel::update(
        campaign_recipients::table
            .filter(campaign_recipients::campaign_id.eq(step))
            .filter(campaign_recipients::state.eq("pending")),
    )
    .set(campaign_recipients::due_at.eq(Some(now() - chrono::Duration::minutes(1))))
    .execute(c)
    .expect("time passes");
}

/// Messages at the server with this subject, per envelope recipient.
fn with_subject(sink: &Sink, subject: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for m in sink.messages() {
        if header(&m, "Subject").as_deref() == Some(subject) {
            *out.entry(envelope_to(&m)).or_insert(0) += 1;
        }
    }
    out
}

async fn confirm(app: &TestApp, path: &str) {
    let res = app
        .client()
        .http
        .post(app.client().url(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_signup_series_sends_step_one_at_once_and_step_two_after_its_wait_each_once() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    let list = static_list(&app, "Welcome list");
    signup_form(&mut admin, "welcome", list, "", "en").await;
    let mut c = app.conn();
    let form: i64 = signup_forms::table
        .filter(signup_forms::slug.eq("welcome"))
        .select(signup_forms::id)
        .first(&mut c)
        .unwrap();
    let form_s = form.to_string();
    let id = new_series(
        &mut admin,
        "Onboarding",
        &[("trigger", "signup"), ("signup_form_id", &form_s)],
    )
    .await;
    add_step(
        &mut admin,
        id,
        "0",
        "minutes",
        "Welcome {{ contact.first_name }}",
    )
    .await;
    add_step(&mut admin, id, "2", "days", "Day two").await;
    let (_, doc) = admin.get_html(&format!("/campaigns/series/{id}")).await;
    assert_eq!(texts(&doc, "#series-status"), vec!["Draft"]);
    assert_eq!(
        texts(&doc, "#delay-rule").len(),
        1,
        "the delay rule is said"
    );
    activate(&mut admin, id).await;
    let step = steps(&mut c, id);
    assert_eq!(step.len(), 2);
    assert_eq!(status(&mut c, step[0]), "sending");
    // The steps are not campaigns of their own in the list.
    let (_, doc) = admin.get_html("/campaigns").await;
    assert!(!texts(&doc, "table.list").join(" ").contains("Onboarding"));
    let res = admin.get(&format!("/campaigns/{}", step[0])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/campaigns/series/{id}"));

    // Sign up and confirm: step 1 arrives once, step 2 waits.
    let mut visitor = app.client_from("127.0.0.2");
    let res = sign_up(
        &mut visitor,
        "welcome",
        &[
            ("name", "Ada Lovelace"),
            ("email", "ada@test.example"),
            ("consent", "on"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    settle(&runner);
    let path = confirm_path(&sink, "ada@test.example").expect("confirmation link");
    assert_eq!(
        ledger(&mut c, step[0]).len(),
        0,
        "nobody enters before confirming"
    );
    confirm(&app, &path).await;
    settle(&runner);
    let welcome = || with_subject(&sink, "Welcome Ada");
    assert_eq!(welcome().get("ada@test.example"), Some(&1));
    assert_eq!(ledger(&mut c, step[1]).get("pending"), Some(&1));
    assert!(
        with_subject(&sink, "Day two").is_empty(),
        "not before its wait"
    );
    let due: Option<chrono::NaiveDateTime> = campaign_recipients::table
        .filter(campaign_recipients::campaign_id.eq(step[1]))
        .select(campaign_recipients::due_at)
        .first(&mut c)
        .unwrap();
    let wait = due.expect("a due time") - now();
    assert!(
        wait > chrono::Duration::hours(47) && wait <= chrono::Duration::hours(48),
        "two days after the entry: {wait}"
    );

    // Confirming again and running the job again send nothing more.
    confirm(&app, &path).await;
    tick_and_send(&app, &runner);
    tick_and_send(&app, &runner);
    assert_eq!(welcome().get("ada@test.example"), Some(&1));
    assert!(with_subject(&sink, "Day two").is_empty());

    // Two days later: step 2 arrives, once, however often the job runs.
    time_passes(&mut c, step[1]);
    tick_and_send(&app, &runner);
    tick_and_send(&app, &runner);
    assert_eq!(
        with_subject(&sink, "Day two").get("ada@test.example"),
        Some(&1)
    );
    assert_eq!(welcome().get("ada@test.example"), Some(&1));
    assert_eq!(ledger(&mut c, step[1]).get("sent"), Some(&1));
    // The steps never finish: they wait for the next entries.
    assert_eq!(status(&mut c, step[1]), "sending");

    let (_, doc) = admin.get_html(&format!("/campaigns/series/{id}")).await;
    assert_eq!(texts(&doc, "#series-status"), vec!["Active"]);
    assert_eq!(texts(&doc, "#series-enrolled"), vec!["1"]);
    assert_eq!(texts(&doc, "#step-1 .count-sent"), vec!["1"]);
    assert_eq!(texts(&doc, "#step-2 .count-sent"), vec!["1"]);
    assert_eq!(texts(&doc, "#step-2 .count-enrolled"), vec!["1"]);
    assert_eq!(texts(&doc, "#step-2 .count-due"), vec!["0"]);
    // A step with recipients stays.
    let res = admin
        .post(
            &format!("/campaigns/series/{id}/steps/{}/delete", step[1]),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_segment_series_mails_only_contacts_who_enter_after_the_activation() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    add_contacts(&app, "early", 3, "Lyon", "subscribed");
    let seg = segment(&mut admin, "Lyon", "Lyon").await;
    let seg_s = seg.to_string();
    let id = new_series(
        &mut admin,
        "Lyon welcome",
        &[("trigger", "segment"), ("segment_id", &seg_s)],
    )
    .await;
    add_step(&mut admin, id, "0", "hours", "Bienvenue").await;
    activate(&mut admin, id).await;
    tick_and_send(&app, &runner);
    assert!(
        sink.messages().is_empty(),
        "members at activation are not mailed"
    );

    add_contacts(&app, "late", 2, "Lyon", "subscribed");
    add_contacts(&app, "quiet", 1, "Lyon", "unsubscribed");
    add_contacts(&app, "paris", 1, "Paris", "subscribed");
    tick_and_send(&app, &runner);
    tick_and_send(&app, &runner);
    let got = with_subject(&sink, "Bienvenue");
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got.get("late0@test.example"), Some(&1));
    assert_eq!(got.get("late1@test.example"), Some(&1));
    let (_, doc) = admin.get_html(&format!("/campaigns/series/{id}")).await;
    assert_eq!(texts(&doc, "#series-enrolled"), vec!["2"]);
    assert_eq!(texts(&doc, "#step-1 .count-sent"), vec!["2"]);
    let (_, doc) = admin.get_html("/campaigns/series").await;
    assert_eq!(
        texts(&doc, "#series-list td.num")
            .last()
            .map(String::as_str),
        Some("2")
    );
}

#[tokio::test]
async fn an_unsubscribed_contact_gets_no_later_step_and_pausing_stops_sending() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let runner = runner(&app, &sink.url(), Duration::from_secs(30));
    let seg = segment(&mut admin, "Oslo", "Oslo").await;
    let seg_s = seg.to_string();
    let id = new_series(
        &mut admin,
        "Oslo welcome",
        &[("trigger", "segment"), ("segment_id", &seg_s)],
    )
    .await;
    add_step(&mut admin, id, "0", "minutes", "First").await;
    add_step(&mut admin, id, "3", "hours", "Second").await;
    activate(&mut admin, id).await;
    let ids = add_contacts(&app, "os", 2, "Oslo", "subscribed");
    tick_and_send(&app, &runner);
    assert_eq!(with_subject(&sink, "First").len(), 2);

    // os0 unsubscribes by the one-click link of the first mail.
    let m = sink
        .messages()
        .into_iter()
        .find(|m| envelope_to(m) == "os0@test.example")
        .expect("os0's first mail");
    let link = header(&m, "List-Unsubscribe").expect("List-Unsubscribe");
    let path = link
        .trim_start_matches("<http://127.0.0.1")
        .trim_end_matches('>')
        .to_string();
    let anon = app.client();
    let res = one_click(&anon, &path).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut c = app.conn();
    assert_eq!(consent(&mut c, ids[0]), "unsubscribed");

    // Paused: time passes and nothing is sent.
    let res = admin
        .post(&format!("/campaigns/series/{id}/pause"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let again = admin
        .post(&format!("/campaigns/series/{id}/pause"), &[])
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let step = steps(&mut c, id);
    assert_eq!(status(&mut c, step[1]), "paused");
    // A paused step is not resumed from the campaign pages.
    let res = admin
        .post(&format!("/campaigns/{}/resume", step[1]), &[])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    time_passes(&mut c, step[1]);
    tick_and_send(&app, &runner);
    assert!(
        with_subject(&sink, "Second").is_empty(),
        "nothing while paused"
    );
    let (_, doc) = admin.get_html(&format!("/campaigns/series/{id}")).await;
    assert_eq!(texts(&doc, "#series-status"), vec!["Paused"]);
    assert_eq!(texts(&doc, "#step-2 .count-due"), vec!["2"]);

    // Activated again: only the subscribed contact gets the second step.
    activate(&mut admin, id).await;
    tick_and_send(&app, &runner);
    tick_and_send(&app, &runner);
    let second = with_subject(&sink, "Second");
    assert_eq!(second.len(), 1, "{second:?}");
    assert_eq!(second.get("os1@test.example"), Some(&1));
    assert_eq!(ledger(&mut c, step[1]).get("skipped"), Some(&1));
    assert_eq!(with_subject(&sink, "First").len(), 2, "nobody twice");
}

#[tokio::test]
async fn the_series_editors_put_errors_beside_fields_and_refuse_stale_edits() {
    let app = spawn_without_workers(None).await;
    let mut admin = app.setup_admin().await;
    let (status_new, doc) = admin.get_html("/campaigns/series/new").await;
    assert_eq!(status_new, StatusCode::OK);
    assert_eq!(texts(&doc, "#series-form").len(), 1);

    let res = admin
        .post(
            "/campaigns/series",
            &[
                ("name", ""),
                ("trigger", "segment"),
                ("from_name", "News\r\nBcc: x@evil.example"),
                ("from_addr", "boss@evil.example"),
                ("reply_to", "a@test.example\r\nCc: b@evil.example"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    for field in ["name", "segment_id", "from_name", "from_addr", "reply_to"] {
        assert_eq!(texts(&doc, &format!("#{field}-error")).len(), 1, "{field}");
    }
    // A segment that does not exist.
    let res = admin
        .post(
            "/campaigns/series",
            &[
                ("name", "Welcome"),
                ("trigger", "segment"),
                ("segment_id", "99999"),
                ("from_addr", "rapport@test.example"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(texts(&html(res).await, "#segment_id-error").len(), 1);

    let seg = insert_segment(&app, app.user_id(ADMIN_EMAIL));
    let seg_s = seg.to_string();
    let id = new_series(
        &mut admin,
        "Welcome",
        &[("trigger", "segment"), ("segment_id", &seg_s)],
    )
    .await;
    // Activating without a step is refused.
    let res = admin
        .post(&format!("/campaigns/series/{id}/activate"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    // Step errors beside their fields, values kept.
    let res = admin
        .post(
            &format!("/campaigns/series/{id}/steps"),
            &[
                ("delay", "-1"),
                ("delay_unit", "days"),
                ("subject", "Hi\r\nBcc: all@evil.example"),
                ("body_format", "markdown"),
                ("body", "Hello"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#delay-error").len(), 1);
    assert_eq!(texts(&doc, "#subject-error").len(), 1);
    let res = admin
        .post(
            &format!("/campaigns/series/{id}/steps"),
            &[
                ("delay", "1"),
                ("delay_unit", "days"),
                ("subject", "Hi"),
                ("body_format", "markdown"),
                ("body", "{% for %}"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#body-error").len(), 1);
    assert!(texts(&doc, "#body").join("").contains("{% for %}"), "kept");

    // Two steps; reorder; remove one nobody entered.
    add_step(&mut admin, id, "0", "minutes", "One").await;
    add_step(&mut admin, id, "1", "days", "Two").await;
    let mut c = app.conn();
    let step = steps(&mut c, id);
    let res = admin
        .post(
            &format!("/campaigns/series/{id}/steps/{}/move", step[1]),
            &[("dir", "up")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(steps(&mut c, id), vec![step[1], step[0]]);
    let (_, doc) = admin.get_html(&format!("/campaigns/series/{id}")).await;
    assert_eq!(texts(&doc, "#step-1 td a"), vec!["Two"]);
    assert_eq!(
        texts(&doc, "#step-1 td").get(1).map(String::as_str),
        Some("1 day")
    );
    let res = admin
        .post(
            &format!("/campaigns/series/{id}/steps/{}/delete", step[1]),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(steps(&mut c, id), vec![step[0]]);

    // Stale versions: 409, for the series and for a step.
    let stale = [
        ("name", "Renamed"),
        ("trigger", "segment"),
        ("segment_id", seg_s.as_str()),
        ("from_addr", "rapport@test.example"),
        ("version", "0"),
    ];
    let res = admin.post(&format!("/campaigns/series/{id}"), &stale).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = admin
        .post(
            &format!("/campaigns/series/{id}/steps/{}", step[0]),
            &[
                ("delay", "0"),
                ("delay_unit", "minutes"),
                ("subject", "One again"),
                ("body_format", "markdown"),
                ("body", "Hello"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // The edit form carries the version; saving from it works.
    let (_, doc) = admin
        .get_html(&format!("/campaigns/series/{id}/steps/{}", step[0]))
        .await;
    let version = doc
        .select(&scraper::Selector::parse("input[name=version]").unwrap())
        .next()
        .and_then(|e| e.value().attr("value"))
        .expect("version")
        .to_string();
    let res = admin
        .post(
            &format!("/campaigns/series/{id}/steps/{}", step[0]),
            &[
                ("delay", "0"),
                ("delay_unit", "minutes"),
                ("subject", "One again"),
                ("body_format", "markdown"),
                ("body", "Hello"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A step is previewed and test-sent like a campaign.
    let (_, doc) = admin
        .get_html(&format!("/campaigns/series/{id}/steps/{}", step[0]))
        .await;
    assert_eq!(texts(&doc, "#step-preview").len(), 1);
    let (status_preview, doc) = admin
        .get_html(&format!("/campaigns/{}/preview", step[0]))
        .await;
    assert_eq!(status_preview, StatusCode::OK);
    assert_eq!(texts(&doc, "#preview-subject"), vec!["One again"]);
    let res = admin
        .post(&format!("/campaigns/{}/test", step[0]), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Another series' step is not found under this one.
    let res = admin
        .get(&format!(
            "/campaigns/series/{}/steps/{}",
            id + 1000,
            step[0]
        ))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// Two instances, each with its own connection and runner, enrolling and
/// sending at the same time, three rounds each.
fn two_instances_run_the_job(app: &TestApp, sink: &Sink) {
    let instances: Vec<_> = (0..2)
        .map(|_| {
            let url = app.db.url.clone();
            let runner = runner(app, &sink.url(), Duration::from_secs(30));
            std::thread::spawn(move || {
                let mut c = rapport::db::connect(&url).expect("db");
                for _ in 0..3 {
                    rapport::campaigns::series::tick(&mut c).expect("tick");
                    settle(&runner);
                }
            })
        })
        .collect();
    for i in instances {
        i.join().expect("instance");
    }
}

#[tokio::test]
async fn two_instances_running_the_series_job_at_once_mail_each_contact_once() {
    let dir = tempdir();
    let sink = Sink::start(&dir);
    let app = spawn_without_workers(Some(sink.url())).await;
    let mut admin = app.setup_admin().await;
    let seg = segment(&mut admin, "Turin", "Turin").await;
    let seg_s = seg.to_string();
    let id = new_series(
        &mut admin,
        "Turin welcome",
        &[("trigger", "segment"), ("segment_id", &seg_s)],
    )
    .await;
    add_step(&mut admin, id, "0", "minutes", "Benvenuti").await;
    add_step(&mut admin, id, "1", "days", "Domani").await;
    activate(&mut admin, id).await;
    add_contacts(&app, "turin", 80, "Turin", "subscribed");
    two_instances_run_the_job(&app, &sink);
    let first = with_subject(&sink, "Benvenuti");
    assert_eq!(first.len(), 80);
    assert!(first.values().all(|n| *n == 1), "exactly once: {first:?}");
    let mut c = app.conn();
    let step = steps(&mut c, id);
    time_passes(&mut c, step[1]);
    two_instances_run_the_job(&app, &sink);
    let second = with_subject(&sink, "Domani");
    assert_eq!(second.len(), 80);
    assert!(second.values().all(|n| *n == 1), "exactly once: {second:?}");
    assert_eq!(with_subject(&sink, "Benvenuti").len(), 80);
    assert_eq!(ledger(&mut c, step[1]).get("sent"), Some(&80));
}
