//! The ticket setup pages on both backends: work calendars (zone, days,
//! hours, holidays), SLA policies (targets per priority) and canned
//! responses (templates checked in the campaign sandbox) — errors beside
//! the fields, edits over a version, deletes of what is in use refused; a
//! policy's calendar with a holiday moves a new ticket's due time; a
//! canned response fills the reply box without JS and with htmx; agents
//! without ManageTickets are refused.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rapport::db::schema::{
    calendar_holidays, canned_responses, contacts, sla_policies, sla_targets, tickets,
    work_calendars,
};
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;

/// A canned response stored directly; its id.
pub fn insert_canned(app: &TestApp, title: &str) -> i64 {
    let mut c = app.conn();
    let at = chrono::Utc::now().naive_utc();
    diesel::insert_into(canned_responses::table)
        .values((
            canned_responses::title.eq(title),
            canned_responses::body.eq("Hello {{ requester.first_name }}"),
            canned_responses::created_at.eq(at),
            canned_responses::updated_at.eq(at),
        ))
        .execute(&mut c)
        .expect("canned");
    canned_responses::table
        .filter(canned_responses::title.eq(title))
        .select(canned_responses::id)
        .first(&mut c)
        .expect("id")
}

/// The message beside `field` (`<p class="field-error" id="{field}-error">`,
/// the field pointing at it).
fn error_of(doc: &Html, field: &str) -> Option<String> {
    let sel = Selector::parse(&format!("p.field-error#{field}-error")).expect("selector");
    let text = doc
        .select(&sel)
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())?;
    let input = Selector::parse(&format!("#{field}")).expect("selector");
    let described = doc
        .select(&input)
        .next()
        .and_then(|e| e.value().attr("aria-describedby"))
        .map(str::to_string);
    assert_eq!(
        described.as_deref(),
        Some(format!("{field}-error").as_str()),
        "{field} points at its error"
    );
    Some(text)
}

fn value_of(doc: &Html, css: &str) -> String {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .next()
        .map(|e| {
            e.value()
                .attr("value")
                .map(str::to_string)
                .unwrap_or_else(|| e.text().collect())
        })
        .unwrap_or_default()
}

fn calendar_id(app: &TestApp, name: &str) -> i64 {
    work_calendars::table
        .filter(work_calendars::name.eq(name))
        .select(work_calendars::id)
        .first(&mut app.conn())
        .expect("calendar")
}

fn policy_id(app: &TestApp, name: &str) -> i64 {
    sla_policies::table
        .filter(sla_policies::name.eq(name))
        .select(sla_policies::id)
        .first(&mut app.conn())
        .expect("policy")
}

const EVERY_DAY: [(&str, &str); 7] = [
    ("day", "1"),
    ("day", "2"),
    ("day", "3"),
    ("day", "4"),
    ("day", "5"),
    ("day", "6"),
    ("day", "7"),
];

fn calendar_form<'a>(
    name: &'a str,
    zone: &'a str,
    start: &'a str,
    end: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("name", name),
        ("zone", zone),
        ("day_start", start),
        ("day_end", end),
    ];
    f.extend(EVERY_DAY);
    f
}

#[tokio::test]
async fn calendars_are_validated_edited_over_their_version_and_keep_holidays() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let (status, doc) = admin.get_html("/tickets/queues").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&doc, "#setup-nav a").len(),
        4,
        "linked from the queues page"
    );
    let (status, doc) = admin.get_html("/tickets/calendars").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&doc, "#calendars td a").contains(&"Office hours".to_string()));

    // A zone that is none, no days, a day that ends before it starts.
    let res = admin
        .post(
            "/tickets/calendars",
            &[
                ("name", "Mars office"),
                ("zone", "Mars/Olympus"),
                ("day_start", "17:00"),
                ("day_end", "09:00"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        error_of(&doc, "zone").as_deref(),
        Some("Choose a time zone from the list.")
    );
    assert!(
        error_of(&doc, "day_end")
            .expect("beside the end")
            .contains("after it starts")
    );
    assert!(error_of(&doc, "day").is_some());
    assert_eq!(value_of(&doc, "#name"), "Mars office", "values kept");
    // Equal start and end is no working day either.
    let res = admin
        .post(
            "/tickets/calendars",
            &calendar_form("Berlin", "Europe/Berlin", "09:00", "09:00"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let res = admin
        .post(
            "/tickets/calendars",
            &calendar_form("Berlin", "Europe/Berlin", "08:30", "16:30"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = calendar_id(&app, "Berlin");
    assert_eq!(location(&res), format!("/tickets/calendars/{id}"));
    let (zone, days, start, end): (String, String, String, String) = work_calendars::table
        .find(id)
        .select((
            work_calendars::zone,
            work_calendars::working_days,
            work_calendars::day_start,
            work_calendars::day_end,
        ))
        .first(&mut app.conn())
        .expect("row");
    assert_eq!(
        (zone.as_str(), days.as_str(), start.as_str(), end.as_str()),
        ("Europe/Berlin", "1,2,3,4,5,6,7", "08:30", "16:30")
    );
    // The same name again is refused beside it.
    let res = admin
        .post(
            "/tickets/calendars",
            &calendar_form("Berlin", "UTC", "08:30", "16:30"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&html(res).await, "name").is_some());

    // Edit: from the version shown; an old version is told (409).
    let (_, doc) = admin.get_html(&format!("/tickets/calendars/{id}")).await;
    let version = value_of(&doc, "#calendar-edit input[name=version]");
    assert_eq!(version, "1");
    let mut edit = vec![
        ("name", "Berlin office"),
        ("zone", "Europe/Berlin"),
        ("day", "1"),
        ("day", "2"),
        ("day_start", "09:00"),
        ("day_end", "17:00"),
        ("version", "1"),
    ];
    let res = admin.post(&format!("/tickets/calendars/{id}"), &edit).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin.post(&format!("/tickets/calendars/{id}"), &edit).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "version 1 is gone");
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#setup-notice").len(), 1);
    assert_eq!(value_of(&doc, "#calendar-edit input[name=version]"), "2");
    edit.retain(|(k, _)| *k != "version");
    edit.push(("version", "2"));
    edit[4] = ("day_start", "18:00");
    let res = admin.post(&format!("/tickets/calendars/{id}"), &edit).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&html(res).await, "day_end").is_some());
    let (days, version): (String, i32) = work_calendars::table
        .find(id)
        .select((work_calendars::working_days, work_calendars::version))
        .first(&mut app.conn())
        .expect("row");
    assert_eq!((days.as_str(), version), ("1,2", 2));

    // Holidays: added, a date twice or no date refused beside the field,
    // removed.
    let path = format!("/tickets/calendars/{id}/holidays");
    let res = admin
        .post(
            &path,
            &[("holiday_day", "2026-12-25"), ("holiday_name", "Christmas")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post(
            &path,
            &[("holiday_day", "2026-12-25"), ("holiday_name", "Again")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&html(res).await, "holiday_day").is_some());
    let res = admin.post(&path, &[("holiday_day", "25.12.2026")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(error_of(&doc, "holiday_day").is_some());
    assert_eq!(value_of(&doc, "#holiday_day"), "25.12.2026");
    let res = admin.post(&path, &[("holiday_day", "2027-01-01")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html(&format!("/tickets/calendars/{id}")).await;
    let shown = texts(&doc, "#holidays li");
    assert_eq!(shown.len(), 2);
    assert!(shown[0].contains("2026-12-25") && shown[0].contains("Christmas"));
    let holidays: Vec<(i64, NaiveDate)> = calendar_holidays::table
        .filter(calendar_holidays::calendar_id.eq(id))
        .select((calendar_holidays::id, calendar_holidays::day))
        .order(calendar_holidays::day.asc())
        .load(&mut app.conn())
        .expect("holidays");
    assert_eq!(holidays.len(), 2);
    let first = holidays[0].0.to_string();
    let res = admin
        .post(&format!("{path}/delete"), &[("holiday", &first)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post(&format!("{path}/delete"), &[("holiday", &first)])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "already gone");
    let left: i64 = calendar_holidays::table
        .filter(calendar_holidays::calendar_id.eq(id))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(left, 1);

    // The seeded calendar is used by the Standard policy: not deleted.
    let office = calendar_id(&app, "Office hours");
    let res = admin
        .post(&format!("/tickets/calendars/{office}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let doc = html(res).await;
    assert!(texts(&doc, "#setup-notice")[0].contains("used by an SLA policy"));
    assert!(texts(&doc, "#calendar-users")[0].contains("Standard"));
    // An unused one goes, with its holidays.
    let res = admin
        .post(&format!("/tickets/calendars/{id}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let n: i64 = work_calendars::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(n, 1);
    assert_eq!(
        admin
            .get(&format!("/tickets/calendars/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

fn policy_form<'a>(
    name: &'a str,
    calendar: &'a str,
    targets: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![("name", name), ("calendar_id", calendar)];
    f.extend_from_slice(targets);
    f
}

#[tokio::test]
async fn policies_check_their_targets_and_a_used_policy_is_not_deleted() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let (status, doc) = admin.get_html("/tickets/policies").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        texts(&doc, "#policies td")
            .iter()
            .any(|t| t == "4:00 / 40:00"),
        "Standard's normal targets"
    );
    let office = calendar_id(&app, "Office hours").to_string();

    let res = admin
        .post(
            "/tickets/policies",
            &policy_form(
                "Gold",
                "999",
                &[
                    ("urgent_first", "-30"),
                    ("urgent_resolution", "2h"),
                    ("high_first", "2:00"),
                    ("high_resolution", "1:00"),
                    ("normal_first", "0"),
                    ("normal_resolution", "9999:00"),
                    ("low_first", "1:00"),
                ],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    for field in [
        "calendar_id",
        "urgent_first",
        "high_resolution",
        "normal_first",
        "normal_resolution",
        "low_resolution",
    ] {
        assert!(error_of(&doc, field).is_some(), "{field}");
    }
    assert!(error_of(&doc, "urgent_resolution").is_none());
    assert_eq!(value_of(&doc, "#urgent_first"), "-30", "values kept");

    let res = admin
        .post(
            "/tickets/policies",
            &policy_form(
                "Gold",
                &office,
                &[
                    ("urgent_first", "15"),
                    ("urgent_resolution", "2h"),
                    ("normal_first", "1h30m"),
                    ("normal_resolution", "24:00"),
                ],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let gold = policy_id(&app, "Gold");
    let mut targets: Vec<(String, i32, i32)> = sla_targets::table
        .filter(sla_targets::policy_id.eq(gold))
        .select((
            sla_targets::priority,
            sla_targets::first_response_minutes,
            sla_targets::resolution_minutes,
        ))
        .load(&mut app.conn())
        .expect("targets");
    targets.sort();
    assert_eq!(
        targets,
        vec![("normal".into(), 90, 1440), ("urgent".into(), 15, 120)]
    );
    // The name is taken.
    let res = admin
        .post("/tickets/policies", &policy_form("Gold", "", &[]))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&html(res).await, "name").is_some());

    // Edit: the page shows hours:minutes; saved over the version.
    let (_, doc) = admin.get_html(&format!("/tickets/policies/{gold}")).await;
    assert_eq!(value_of(&doc, "#normal_first"), "1:30");
    assert_eq!(value_of(&doc, "#normal_resolution"), "24:00");
    let edit = policy_form(
        "Gold 24/7",
        "",
        &[
            ("low_first", "8h"),
            ("low_resolution", "80:00"),
            ("version", "1"),
        ],
    );
    let res = admin
        .post(&format!("/tickets/policies/{gold}"), &edit)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post(&format!("/tickets/policies/{gold}"), &edit)
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let (name, calendar, version): (String, Option<i64>, i32) = sla_policies::table
        .find(gold)
        .select((
            sla_policies::name,
            sla_policies::calendar_id,
            sla_policies::version,
        ))
        .first(&mut app.conn())
        .expect("policy");
    assert_eq!((name.as_str(), calendar, version), ("Gold 24/7", None, 2));
    let n: i64 = sla_targets::table
        .filter(sla_targets::policy_id.eq(gold))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(n, 1, "the targets were replaced");

    // Standard is the Support queue's policy: refused with the reason.
    let standard = policy_id(&app, "Standard");
    let res = admin
        .post(&format!("/tickets/policies/{standard}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let doc = html(res).await;
    assert!(texts(&doc, "#setup-notice")[0].contains("used by a queue"));
    assert!(texts(&doc, "#policy-users")[0].contains("Support"));
    let res = admin
        .post(&format!("/tickets/policies/{gold}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let left: i64 = sla_targets::table
        .filter(sla_targets::policy_id.eq(gold))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_holiday_in_the_policys_calendar_moves_a_new_tickets_due_time_to_the_next_working_day() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    // Every day 09:00–17:00 UTC, today and tomorrow off.
    let res = admin
        .post(
            "/tickets/calendars",
            &calendar_form("Every day", "UTC", "09:00", "17:00"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cal = calendar_id(&app, "Every day");
    let today = chrono::Utc::now().date_naive();
    for day in [today, today + Duration::days(1)] {
        let res = admin
            .post(
                &format!("/tickets/calendars/{cal}/holidays"),
                &[("holiday_day", &day.to_string())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let res = admin
        .post(
            "/tickets/policies",
            &policy_form(
                "Holiday test",
                &cal.to_string(),
                &[("normal_first", "1:00"), ("normal_resolution", "2:00")],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let policy = policy_id(&app, "Holiday test").to_string();
    // The Support queue (where mail lands) takes the policy.
    let res = admin
        .post(
            "/tickets/queues/1",
            &[("default_priority", "normal"), ("sla_policy_id", &policy)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let id = crate::tickets::insert_ticket(&app, "holiday");
    let (first, resolution): (Option<NaiveDateTime>, Option<NaiveDateTime>) = tickets::table
        .find(id)
        .select((tickets::first_response_due, tickets::resolution_due))
        .first(&mut app.conn())
        .expect("ticket");
    let next_working = (today + Duration::days(2)).and_time(NaiveTime::MIN);
    assert_eq!(first, Some(next_working + Duration::hours(10)));
    assert_eq!(resolution, Some(next_working + Duration::hours(11)));
}

#[tokio::test]
async fn canned_responses_check_their_template_and_fill_the_reply_box() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let res = admin
        .post(
            "/tickets/canned",
            &[
                ("title", "Broken"),
                ("body", "Hello {{ requester.first_name"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(
        error_of(&doc, "body")
            .expect("beside the body")
            .starts_with("Template error")
    );
    assert_eq!(value_of(&doc, "#title"), "Broken");
    let res = admin
        .post(
            "/tickets/canned",
            &[("title", "Unknown"), ("body", "Hello {{ customer.name }}")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error_of(&html(res).await, "body")
            .expect("beside")
            .contains("customer.name")
    );
    let body = "Hello {{ requester.first_name }}, about #{{ ticket.number }} ({{ ticket.subject }}).\n{{ agent.name }}";
    let res = admin
        .post("/tickets/canned", &[("title", "Thanks"), ("body", body)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let canned: i64 = canned_responses::table
        .filter(canned_responses::title.eq("Thanks"))
        .select(canned_responses::id)
        .first(&mut app.conn())
        .expect("canned");
    let res = admin
        .post("/tickets/canned", &[("title", "Thanks"), ("body", "x")])
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "title taken"
    );

    // The reply box of a ticket offers it; Insert (no JS) brings the page
    // back with the typed text, then the merged response.
    let id = crate::tickets::insert_ticket(&app, "cora");
    let first_name: String = tickets::table
        .inner_join(contacts::table.on(contacts::id.eq(tickets::requester_id)))
        .filter(tickets::id.eq(id))
        .select(contacts::first_name)
        .first(&mut app.conn())
        .expect("requester");
    let (_, doc) = admin.get_html(&format!("/tickets/{id}")).await;
    assert_eq!(texts(&doc, "#canned option").len(), 2);
    let version = value_of(&doc, "#reply-form input[name=version]");
    let res = admin
        .post(
            &format!("/tickets/{id}/canned"),
            &[
                ("kind", "internal_note"),
                ("body", "Typed first."),
                ("version", &version),
                ("canned", &canned.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    let expected = format!("Typed first.\n\nHello {first_name}, about #{id} (Help).\nAda Admin");
    assert_eq!(texts(&doc, "#reply-body")[0], expected);
    assert_eq!(
        value_of(&doc, "#reply-form input[name=kind][checked]"),
        "internal_note",
        "the kind is kept"
    );
    assert_eq!(value_of(&doc, "#reply-form input[name=version]"), version);
    // Sent as it stands.
    let res = admin
        .post(
            &format!("/tickets/{id}/messages"),
            &[
                ("kind", "internal_note"),
                ("body", &expected),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // With htmx only the reply box comes back; an empty draft gets the
    // response alone.
    let res = admin
        .post_htmx(
            &format!("/tickets/{id}/canned"),
            &[("body", "  "), ("canned", &canned.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let text = res.text().await.expect("body");
    assert!(!text.contains("<html"), "a fragment");
    let doc = Html::parse_fragment(&text);
    assert_eq!(texts(&doc, "form#reply-form").len(), 1);
    assert!(texts(&doc, "#reply-body")[0].starts_with(&format!("Hello {first_name}")));
    // Nothing chosen: the draft stays, the reason beside the select.
    let res = admin
        .post(
            &format!("/tickets/{id}/canned"),
            &[("body", "Keep me"), ("canned", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#reply-body")[0], "Keep me");
    assert!(error_of(&doc, "canned").is_some());

    // Edit over the version; delete.
    let edit = [
        ("title", "Thanks!"),
        ("body", "Bye {{ agent.first_name }}"),
        ("version", "1"),
    ];
    let res = admin
        .post(&format!("/tickets/canned/{canned}"), &edit)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post(&format!("/tickets/canned/{canned}"), &edit)
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = admin
        .post(
            &format!("/tickets/canned/{canned}"),
            &[("title", "Thanks!"), ("body", "{% if %}"), ("version", "2")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_of(&html(res).await, "body").is_some());
    let res = admin
        .post(
            &format!("/tickets/{id}/canned"),
            &[("body", ""), ("canned", &canned.to_string())],
        )
        .await;
    assert_eq!(texts(&html(res).await, "#reply-body")[0], "Bye Ada");
    let res = admin
        .post(&format!("/tickets/canned/{canned}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post(&format!("/tickets/canned/{canned}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn agents_without_manage_tickets_are_refused_the_setup_pages_but_insert_canned_replies() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "sam@test.example", "support", None)
        .await;
    let canned = insert_canned(&app, "Hi").to_string();
    let id = crate::tickets::insert_ticket(&app, "perm");
    let mut sam = app.login("sam@test.example").await;
    for path in [
        "/tickets/calendars",
        "/tickets/calendars/1",
        "/tickets/policies",
        "/tickets/policies/1",
        "/tickets/canned",
        &format!("/tickets/canned/{canned}"),
    ] {
        assert_eq!(
            sam.get(path).await.status(),
            StatusCode::FORBIDDEN,
            "GET {path}"
        );
    }
    for path in [
        "/tickets/calendars",
        "/tickets/calendars/1/delete",
        "/tickets/calendars/1/holidays",
        "/tickets/policies",
        "/tickets/policies/1/delete",
        "/tickets/canned",
        &format!("/tickets/canned/{canned}/delete"),
    ] {
        let res = sam
            .post(path, &[("name", "x"), ("title", "x"), ("body", "x")])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "POST {path}");
    }
    let (_, doc) = sam.get_html("/tickets").await;
    assert!(texts(&doc, "a[href='/tickets/queues']").is_empty());
    let res = sam
        .post(
            &format!("/tickets/{id}/canned"),
            &[("body", ""), ("canned", &canned)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(texts(&html(res).await, "#reply-body")[0].starts_with("Hello "));
    let n: i64 = canned_responses::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(n, 1);
}
