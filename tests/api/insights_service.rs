//! Insights' service section (tickets) on both backends: SLA met, CSAT
//! and solved tickets against hand-computed numbers, by month in the
//! viewer's zone; the record scope (a rep sees only the tickets assigned
//! to them); every figure and bar clicks through to the tickets behind
//! it; the section is shown only to viewers who may read tickets, the
//! campaigns section only to those who may read campaigns.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;
use crate::insights::{at, chart_rows, href, text};
use crate::tickets::insert_ticket;
use rapport::db::schema::{csat_ratings, tickets};

const PERIOD: &str = "/insights?from=2026-01&to=2026-03";

/// A ticket solved at `solved` by `assignee`, with its SLA targets and the
/// business minutes its clock used: (first response, resolution).
fn solved(
    app: &TestApp,
    subject: &str,
    assignee: Option<i64>,
    solved: NaiveDateTime,
    targets: (Option<i32>, Option<i32>),
    used: (i32, i32),
) -> i64 {
    let id = insert_ticket(app, &subject.to_lowercase());
    diesel::update(tickets::table.find(id))
        .set((
            tickets::subject.eq(subject),
            tickets::assignee_id.eq(assignee),
            tickets::status.eq("solved"),
            tickets::solved_at.eq(Some(solved)),
            tickets::first_response_target.eq(targets.0),
            tickets::resolution_target.eq(targets.1),
            tickets::first_response_used.eq(used.0),
            tickets::resolution_used.eq(used.1),
        ))
        .execute(&mut app.conn())
        .expect("solved");
    id
}

fn rate(app: &TestApp, ticket: i64, score: i32, when: NaiveDateTime) {
    let mut c = app.conn();
    let (queue, agent): (i64, Option<i64>) = tickets::table
        .find(ticket)
        .select((tickets::queue_id, tickets::assignee_id))
        .first(&mut c)
        .expect("ticket");
    diesel::insert_into(csat_ratings::table)
        .values((
            csat_ratings::ticket_id.eq(ticket),
            csat_ratings::queue_id.eq(queue),
            csat_ratings::agent_id.eq(agent),
            csat_ratings::score.eq(score),
            csat_ratings::comment.eq(""),
            csat_ratings::created_at.eq(when),
        ))
        .execute(&mut c)
        .expect("rating");
}

/// The links of a chart's figures table, in order.
fn chart_links(doc: &Html, chart: &str) -> Vec<String> {
    links(doc, &format!("#{chart} .chart-table tbody tr a"))
}

/// The subjects the ticket list shows, sorted.
async fn listed(client: &Client, link: &str) -> Vec<String> {
    let (status, doc) = client.get_html(link).await;
    assert_eq!(status, StatusCode::OK, "{link}");
    let mut s = texts(&doc, ".tickets-table tbody tr td a .trunc");
    s.sort();
    s
}

/// Ann (a sales rep) has T1 (January, met) and T2 (February, missed);
/// the admin T3 (February, met), T4 (March, first reply late), T6
/// (December 2025, outside); T5 (March) is unassigned and met. Ratings:
/// T1 5 (Jan), T2 1 (Feb), T3 5 (Feb), T4 4 (Mar), T6 1 (Dec 2025).
async fn fixture() -> (TestApp, Client, Client, i64) {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let ann = app
        .create_user(&mut admin, "ann@test.example", "sales", None)
        .await;
    let t1 = solved(
        &app,
        "T1",
        Some(ann),
        at(2026, 1, 10),
        (Some(60), Some(480)),
        (30, 400),
    );
    let t2 = solved(
        &app,
        "T2",
        Some(ann),
        at(2026, 2, 5),
        (None, Some(480)),
        (10, 600),
    );
    let t3 = solved(&app, "T3", Some(me), at(2026, 2, 20), (None, None), (0, 0));
    let t4 = solved(
        &app,
        "T4",
        Some(me),
        at(2026, 3, 3),
        (Some(60), None),
        (90, 100),
    );
    solved(&app, "T5", None, at(2026, 3, 10), (None, None), (5, 5));
    let t6 = solved(&app, "T6", Some(me), at(2025, 12, 15), (None, None), (0, 0));
    rate(&app, t1, 5, at(2026, 1, 12));
    rate(&app, t2, 1, at(2026, 2, 6));
    rate(&app, t3, 5, at(2026, 2, 21));
    rate(&app, t4, 4, at(2026, 3, 4));
    rate(&app, t6, 1, at(2025, 12, 16));
    let rep = app.login("ann@test.example").await;
    (app, admin, rep, ann)
}

#[tokio::test]
async fn sla_and_csat_figures_match_hand_computed_numbers_and_click_through() {
    let (_app, admin, _rep, _) = fixture().await;
    let (status, doc) = admin.get_html(PERIOD).await;
    assert_eq!(status, StatusCode::OK);
    // Solved in the period: T1–T5; met: T1, T3, T5 → 3 ÷ 5.
    assert_eq!(text(&doc, ".figure-sla-met dd"), "60.0%");
    assert_eq!(text(&doc, ".figure-solved dd"), "5");
    // Ratings in the period: 5, 1, 5, 4 → satisfied 3 ÷ 4; mean 15 ÷ 4.
    assert_eq!(text(&doc, ".figure-csat dd"), "75.0%");
    assert_eq!(text(&doc, ".figure-csat-average dd"), "3.75 / 5");
    assert_eq!(text(&doc, ".figure-responses dd"), "4");
    // By month: SLA Jan 1/1, Feb 1/2, Mar 1/2; CSAT Jan 1/1, Feb 1/2, Mar 1/1.
    let sla = chart_rows(&doc, "service-sla");
    assert_eq!(sla.len(), 3, "{sla:?}");
    assert!(sla[0].ends_with("| 100 %"), "{sla:?}");
    assert!(sla[1].ends_with("| 50 %"), "{sla:?}");
    assert!(sla[2].ends_with("| 50 %"), "{sla:?}");
    let csat = chart_rows(&doc, "service-csat");
    assert!(csat[0].ends_with("| 100 %"), "{csat:?}");
    assert!(csat[1].ends_with("| 50 %"), "{csat:?}");
    assert!(csat[2].ends_with("| 100 %"), "{csat:?}");

    // The figures lead to the tickets behind them.
    assert_eq!(
        listed(&admin, &href(&doc, ".figure-sla-met a")).await,
        ["T1", "T3", "T5"]
    );
    assert_eq!(
        listed(&admin, &href(&doc, ".figure-solved a")).await,
        ["T1", "T2", "T3", "T4", "T5"]
    );
    assert_eq!(
        listed(&admin, &href(&doc, ".figure-csat a")).await,
        ["T1", "T2", "T3", "T4"]
    );
    // February's bars: the tickets solved, and rated, in February.
    let feb = &chart_links(&doc, "service-sla")[1];
    assert_eq!(listed(&admin, feb).await, ["T2", "T3"]);
    let feb = &chart_links(&doc, "service-csat")[1];
    assert_eq!(listed(&admin, feb).await, ["T2", "T3"]);
    // The SLA missed ones, by hand.
    assert_eq!(
        listed(
            &admin,
            "/tickets?view=all&solved_since=2026-01-01T00:00&solved_until=2026-04-01T00:00&sla=missed"
        )
        .await,
        ["T2", "T4"]
    );

    // The CSV export walks the same chart.
    let res = admin
        .get("/insights/export?chart=service-sla&from=2026-01&to=2026-03")
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.expect("csv");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 4, "{body}");
    assert!(lines[2].ends_with(",50"), "{body}");
}

#[tokio::test]
async fn a_rep_sees_only_their_own_tickets_figures() {
    let (_app, admin, rep, ann) = fixture().await;
    let (status, doc) = rep.get_html(PERIOD).await;
    assert_eq!(status, StatusCode::OK);
    // T1 met, T2 missed; ratings 5 and 1.
    assert_eq!(text(&doc, ".figure-sla-met dd"), "50.0%");
    assert_eq!(text(&doc, ".figure-solved dd"), "2");
    assert_eq!(text(&doc, ".figure-csat dd"), "50.0%");
    assert_eq!(text(&doc, ".figure-csat-average dd"), "3.00 / 5");
    assert_eq!(text(&doc, ".figure-responses dd"), "2");
    // Her list behind the figure: her two, not the unassigned T5 she can
    // otherwise see in the queue.
    let link = href(&doc, ".figure-solved a");
    assert!(link.contains("assigned=1"), "{link}");
    assert_eq!(listed(&rep, &link).await, ["T1", "T2"]);
    // Naming the admin as owner narrows to nothing, never widens.
    let me = admin_id(&_app);
    let (_, doc) = rep.get_html(&format!("{PERIOD}&owner={me}")).await;
    assert_eq!(text(&doc, ".figure-solved dd"), "0");
    assert_eq!(text(&doc, ".figure-sla-met dd"), "—");
    // The admin filtering by Ann sees Ann's figures, and the link carries it.
    let (_, doc) = admin.get_html(&format!("{PERIOD}&owner={ann}")).await;
    assert_eq!(text(&doc, ".figure-solved dd"), "2");
    let link = href(&doc, ".figure-csat a");
    assert!(link.contains(&format!("owner={ann}")), "{link}");
    assert_eq!(listed(&admin, &link).await, ["T1", "T2"]);
}

fn admin_id(app: &TestApp) -> i64 {
    app.user_id(ADMIN_EMAIL)
}

#[tokio::test]
async fn sections_follow_what_the_viewer_may_read() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "mo@test.example", "marketing", None)
        .await;
    app.create_user(&mut admin, "sam@test.example", "sales", None)
        .await;
    let section = |doc: &Html, key: &str| {
        doc.select(&Selector::parse(&format!("#section-{key}")).expect("css"))
            .count()
    };
    let (_, doc) = admin.get_html(PERIOD).await;
    assert_eq!(
        (section(&doc, "service"), section(&doc, "campaigns")),
        (1, 1)
    );
    // Marketing reads campaigns, not tickets; sales the other way round.
    let mo = app.login("mo@test.example").await;
    let (status, doc) = mo.get_html(PERIOD).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (section(&doc, "service"), section(&doc, "campaigns")),
        (0, 1)
    );
    let sam = app.login("sam@test.example").await;
    let (_, doc) = sam.get_html(PERIOD).await;
    assert_eq!(
        (section(&doc, "service"), section(&doc, "campaigns")),
        (1, 0)
    );
    // A section's export is not there for who cannot see it.
    let res = sam
        .get("/insights/export?chart=campaign-engagement&from=2026-01&to=2026-03")
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Odd ticket-list filters fall back, never fail.
    for odd in [
        "solved_since=junk&sla=maybe&owner=x&team=-1&assigned=2",
        "rated_since=2026-13-01T00:00&rated_until=",
    ] {
        let (status, _) = admin.get_html(&format!("/tickets?view=all&{odd}")).await;
        assert_eq!(status, StatusCode::OK, "{odd}");
    }
}
