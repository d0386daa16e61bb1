//! Insights over HTTP on both backends: every figure of the page against
//! hand-computed numbers (revenue, orders, average order, new and
//! returning customers, churn with the inactivity threshold, retention
//! cohorts, CLV, win rate, deal size, cycle length, funnel), the record
//! scope (a rep sees only their own figures), the click-through to the
//! orders behind a month, and the CSV export.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::deals::{insert_deal, stage_id};
use crate::helpers::*;
use rapport::db::schema::{deal_stage_changes, deals, insight_settings, orders};

fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("date")
}

/// A confirmed order written straight to the database.
fn order(app: &TestApp, contact: i64, owner: i64, when: NaiveDateTime, total: i64, status: &str) {
    diesel::insert_into(orders::table)
        .values((
            orders::status.eq(status),
            orders::order_number.eq(format!(
                "T-{contact}-{total}-{}",
                when.and_utc().timestamp()
            )),
            orders::contact_id.eq(Some(contact)),
            orders::owner_id.eq(owner),
            orders::currency.eq("USD"),
            orders::tax_mode.eq("exclusive"),
            orders::discount_kind.eq("none"),
            orders::discount_value.eq(0i64),
            orders::shipping_minor.eq(0i64),
            orders::shipping_tax_bp.eq(0),
            orders::subtotal_minor.eq(total),
            orders::discount_minor.eq(0i64),
            orders::tax_minor.eq(0i64),
            orders::total_minor.eq(total),
            orders::notes.eq(""),
            orders::version.eq(1),
            orders::confirmed_at.eq((status != "draft").then_some(when)),
            orders::created_at.eq(when),
            orders::updated_at.eq(when),
        ))
        .execute(&mut app.conn())
        .expect("order");
}

pub(crate) fn text(doc: &Html, css: &str) -> String {
    let sel = Selector::parse(css).expect("css");
    doc.select(&sel)
        .next()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .unwrap_or_else(|| panic!("no {css}"))
}

pub(crate) fn href(doc: &Html, css: &str) -> String {
    let sel = Selector::parse(css).expect("css");
    doc.select(&sel)
        .next()
        .and_then(|e| e.value().attr("href"))
        .unwrap_or_else(|| panic!("no link {css}"))
        .to_string()
}

/// The rows of a chart's figures table: category and cells.
pub(crate) fn chart_rows(doc: &Html, chart: &str) -> Vec<String> {
    let row = Selector::parse(&format!("#{chart} .chart-table tbody tr")).expect("css");
    let cell = Selector::parse("th, td").expect("css");
    doc.select(&row)
        .map(|r| {
            r.select(&cell)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

const PERIOD: &str = "/insights?from=2026-01&to=2026-03&currency=USD";

/// Four customers: A (Jan 100, Feb 50), B (Feb 200), C (June 2025 30,
/// lapses in the period), D (Dec 2025 10, Mar 20); a quote of B's that
/// does not count.
async fn fixture() -> (TestApp, Client, [i64; 4]) {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let a = app
        .create_contact(&mut admin, "Ada", "A", "a@test.example")
        .await;
    let b = app
        .create_contact(&mut admin, "Ben", "B", "b@test.example")
        .await;
    let c = app
        .create_contact(&mut admin, "Cy", "C", "c@test.example")
        .await;
    let d = app
        .create_contact(&mut admin, "Di", "D", "d@test.example")
        .await;
    order(&app, a, me, at(2026, 1, 10), 10_000, "confirmed");
    order(&app, a, me, at(2026, 2, 10), 5_000, "fulfilled");
    order(&app, b, me, at(2026, 2, 15), 20_000, "closed");
    order(&app, b, me, at(2026, 2, 16), 99_900, "draft");
    order(&app, c, me, at(2025, 6, 1), 3_000, "confirmed");
    order(&app, d, me, at(2025, 12, 1), 1_000, "confirmed");
    order(&app, d, me, at(2026, 3, 20), 1_000, "confirmed");
    // Written past the app: the order list's totals count them again.
    rapport::orders::tallies::rebuild(&mut app.conn()).expect("recount");
    // "Lost" after 240 days without an order: C was active on 1 January
    // (214 days) and not on 31 March (303 days); D stays active.
    diesel::update(insight_settings::table)
        .set(insight_settings::churn_days.eq(240i64))
        .execute(&mut app.conn())
        .expect("settings");
    (app, admin, [a, b, c, d])
}

#[tokio::test]
async fn revenue_customers_churn_cohorts_and_clv_match_hand_computed_figures() {
    let (_app, admin, _) = fixture().await;
    let (status, doc) = admin.get_html(PERIOD).await;
    assert_eq!(status, StatusCode::OK);
    // Jan 100 + Feb 250 + Mar 10; the draft quote does not count.
    assert_eq!(text(&doc, ".figure-revenue dd"), "$360.00");
    assert_eq!(text(&doc, ".figure-orders dd"), "4");
    assert_eq!(text(&doc, ".figure-aov dd"), "$90.00");
    assert_eq!(text(&doc, ".figure-buyers dd"), "3");
    let rev = chart_rows(&doc, "revenue-by-month");
    assert_eq!(rev.len(), 3);
    assert!(rev[0].ends_with("$100.00"), "{rev:?}");
    assert!(rev[1].ends_with("$250.00"), "{rev:?}");
    assert!(rev[2].ends_with("$10.00"), "{rev:?}");
    // New | returning: Jan A new; Feb B new, A returning; Mar D returning.
    let nr = chart_rows(&doc, "new-returning");
    assert!(nr[0].ends_with("1 | 0"), "{nr:?}");
    assert!(nr[1].ends_with("1 | 1"), "{nr:?}");
    assert!(nr[2].ends_with("0 | 1"), "{nr:?}");
    // Churn: C and D active at the start, C lost: 1 ÷ 2.
    assert_eq!(text(&doc, ".figure-churn dd"), "50.0%");
    assert_eq!(text(&doc, ".figure-churn-lost dd"), "1 / 2");
    // Cohorts from January: A (Jan, Feb), B (Feb).
    let cells = texts(&doc, "table.cohort-table tbody td");
    assert_eq!(
        cells,
        vec!["1", "100.0%", "100.0%", "0.0%", "1", "100.0%", "0.0%"]
    );
    // CLV at 10 % over year 1: A 150/1.1 = 136.36, B 181.82, C 27.27,
    // D 20/1.1 = 18.18; average 363.63 / 4 = 90.9075 → 90.91.
    assert_eq!(text(&doc, ".figure-clv dd"), "$90.91");
    let top = texts(&doc, "table.insights-table tbody td");
    assert_eq!(top[..2], ["$181.82".to_string(), "$136.36".to_string()]);
    let formula = text(&doc, ".formula-text");
    assert!(formula.contains("(1+i)^t"), "{formula}");
    assert!(text(&doc, ".formula-inputs").contains("10.0%"));
}

#[tokio::test]
async fn a_month_clicks_through_to_its_orders_and_exports_as_csv() {
    let (_app, admin, _) = fixture().await;
    let (_, doc) = admin.get_html(PERIOD).await;
    // February's bar in the figures table.
    let link = {
        let sel = Selector::parse("#revenue-by-month .chart-table tbody tr a").expect("css");
        doc.select(&sel)
            .nth(1)
            .and_then(|a| a.value().attr("href"))
            .expect("feb link")
            .to_string()
    };
    assert!(link.starts_with("/orders?"), "{link}");
    let (status, list) = admin.get_html(&link).await;
    assert_eq!(status, StatusCode::OK);
    let rows = texts(&list, "table.list tbody tr");
    assert_eq!(
        rows.len(),
        2,
        "A's and B's February orders, not the quote: {rows:?}"
    );
    assert_eq!(
        texts(&list, "#list-totals .list-total"),
        ["$250.00 (2 documents)"]
    );
    // The whole period's revenue figure links to its four orders.
    let all = href(&doc, ".figure-revenue a");
    let (_, list) = admin.get_html(&all).await;
    assert_eq!(texts(&list, "table.list tbody tr").len(), 4);
    assert_eq!(
        texts(&list, "#list-totals .list-total"),
        ["$360.00 (4 documents)"]
    );

    let csv_link = href(&doc, "#section-revenue .chart-export a");
    let res = admin.get(&csv_link).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv"))
    );
    let body = res.text().await.expect("body");
    assert!(body.contains("100.00"), "{body}");
    assert!(body.contains("250.00"), "{body}");
    assert!(body.contains("10.00"), "{body}");
    let res = admin
        .get("/insights/export?chart=cohorts&from=2026-01&to=2026-03")
        .await;
    let body = res.text().await.expect("body");
    assert!(body.contains("100.0%"), "{body}");
    let res = admin.get("/insights/export?chart=nothing").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_rep_sees_only_their_own_figures_and_a_manager_filters_by_owner() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let ann = app
        .create_user(&mut admin, "ann@test.example", "sales", None)
        .await;
    let x = app
        .create_contact(&mut admin, "Xi", "X", "x@test.example")
        .await;
    order(&app, x, ann, at(2026, 2, 1), 7_000, "confirmed");
    order(&app, x, me, at(2026, 2, 2), 50_000, "confirmed");
    let won = stage_id(&app, "pipeline-default-stage-won");
    let mine = insert_deal(&app, "Ann's", ann, won, 30_000, None);
    let theirs = insert_deal(&app, "Admin's", me, won, 90_000, None);
    for d in [mine, theirs] {
        diesel::update(deals::table.find(d))
            .set((
                deals::status.eq("won"),
                deals::created_at.eq(at(2026, 1, 1)),
                deals::won_at.eq(Some(at(2026, 1, 11))),
            ))
            .execute(&mut app.conn())
            .expect("won");
    }
    let rep = app.login("ann@test.example").await;
    let (status, doc) = rep.get_html(PERIOD).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&doc, ".figure-revenue dd"), "$70.00");
    assert_eq!(text(&doc, ".figure-deal-size dd"), "$300.00");
    // Naming someone else's owner id does not widen the scope.
    let (_, doc) = rep.get_html(&format!("{PERIOD}&owner={me}")).await;
    assert_eq!(text(&doc, ".figure-revenue dd"), "$0.00");

    let (_, doc) = admin.get_html(PERIOD).await;
    assert_eq!(text(&doc, ".figure-revenue dd"), "$570.00");
    let (_, doc) = admin.get_html(&format!("{PERIOD}&owner={ann}")).await;
    assert_eq!(text(&doc, ".figure-revenue dd"), "$70.00");
    // The owner filter carries through to the orders behind the figure.
    let link = href(&doc, ".figure-revenue a");
    assert!(link.contains(&format!("owner={ann}")), "{link}");
    let (_, list) = admin.get_html(&link).await;
    assert_eq!(texts(&list, "table.list tbody tr").len(), 1);
}

#[tokio::test]
async fn win_rate_deal_size_cycle_and_funnel_from_the_stage_history() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let qualified = stage_id(&app, "pipeline-default-stage-qualified");
    let won = stage_id(&app, "pipeline-default-stage-won");
    let lost = stage_id(&app, "pipeline-default-stage-lost");
    // Won after 10 and 31 days (1,000 and 500), lost one, one still open.
    let plan = [
        (won, "won", 100_000, Some(at(2026, 1, 11)), None),
        (won, "won", 50_000, Some(at(2026, 2, 1)), None),
        (lost, "lost", 70_000, None, Some(at(2026, 2, 5))),
        (lead, "open", 20_000, None, None),
    ];
    for (stage, status, value, won_at, lost_at) in plan {
        let id = insert_deal(&app, status, me, lead, value, None);
        let mut c = app.conn();
        diesel::update(deals::table.find(id))
            .set((
                deals::stage_id.eq(stage),
                deals::status.eq(status),
                deals::created_at.eq(at(2026, 1, 1)),
                deals::won_at.eq(won_at),
                deals::lost_at.eq(lost_at),
            ))
            .execute(&mut c)
            .expect("deal");
        // History: every deal started in Lead; the won and lost ones were
        // qualified first.
        let mut path = vec![lead];
        if status != "open" {
            path.extend([qualified, stage]);
        }
        for to in path {
            diesel::insert_into(deal_stage_changes::table)
                .values((
                    deal_stage_changes::deal_id.eq(id),
                    deal_stage_changes::to_stage_id.eq(to),
                    deal_stage_changes::changed_at.eq(at(2026, 1, 2)),
                ))
                .execute(&mut c)
                .expect("history");
        }
    }
    let (_, doc) = admin.get_html(PERIOD).await;
    assert_eq!(text(&doc, ".figure-win-rate dd"), "66.7%");
    assert_eq!(text(&doc, ".figure-won dd"), "2");
    assert_eq!(text(&doc, ".figure-lost dd"), "1");
    assert_eq!(text(&doc, ".figure-deal-size dd"), "$750.00");
    // (10 + 31) ÷ 2 = 20.5 → 21 days.
    assert_eq!(text(&doc, ".figure-cycle dd"), "21 days");
    // Funnel: 4 in Lead, 3 qualified (75.0%); the won ones passed the
    // skipped stages too: 2 proposal, 2 negotiation, 2 won.
    let funnel = chart_rows(&doc, "funnel");
    let counts: Vec<String> = funnel
        .iter()
        .map(|r| r.rsplit(" | ").next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(counts, vec!["4", "3", "2", "2", "2"], "{funnel:?}");
    assert!(funnel[1].contains("75.0%"), "{funnel:?}");
    // Actual by month: Jan 1,000, Feb 500; a stage row links to its deals.
    let fva = chart_rows(&doc, "forecast-actual");
    assert!(fva[0].ends_with("$1,000.00"), "{fva:?}");
    assert!(fva[1].ends_with("$500.00"), "{fva:?}");
    let stage_link = href(&doc, "#pipeline-by-stage .chart-table tbody a");
    assert!(
        stage_link.contains(&format!("stage={lead}")),
        "{stage_link}"
    );
    let (_, list) = admin.get_html(&stage_link).await;
    assert_eq!(texts(&list, "table.list tbody tr").len(), 1);
}

#[tokio::test]
async fn bad_filters_fall_back_and_support_may_not_open_insights() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let (status, _) = admin
        .get_html("/insights?from=x&to=2026-99&owner=abc&pipeline=-1&currency=%3Cb%3E")
        .await;
    assert_eq!(status, StatusCode::OK);
    app.create_user(&mut admin, "sue@test.example", "support", None)
        .await;
    let sue = app.login("sue@test.example").await;
    assert_eq!(sue.get("/insights").await.status(), StatusCode::FORBIDDEN);
}

/// An order with one line per product (0.00 each), confirmed `days` ago.
fn order_of(app: &TestApp, contact: i64, days: i64, total: i64, products: &[i64]) -> i64 {
    use rapport::db::schema::order_lines;
    let when = chrono::Utc::now().naive_utc() - chrono::Duration::days(days);
    order(app, contact, 1, when, total, "confirmed");
    let mut c = app.conn();
    let id: i64 = orders::table
        .select(diesel::dsl::max(orders::id))
        .first::<Option<i64>>(&mut c)
        .expect("id")
        .expect("an order");
    for (i, p) in products.iter().enumerate() {
        diesel::insert_into(order_lines::table)
            .values((
                order_lines::order_id.eq(id),
                order_lines::position.eq(i as i32),
                order_lines::product_id.eq(Some(*p)),
                order_lines::sku.eq(format!("P{p}")),
                order_lines::name.eq(format!("P{p}")),
                order_lines::unit_price_minor.eq(0i64),
                order_lines::tax_rate_bp.eq(0),
                order_lines::quantity_milli.eq(1000i64),
                order_lines::discount_kind.eq("none"),
                order_lines::discount_value.eq(0i64),
                order_lines::net_minor.eq(0i64),
                order_lines::tax_minor.eq(0i64),
                order_lines::total_minor.eq(0i64),
            ))
            .execute(&mut c)
            .expect("line");
    }
    id
}

#[tokio::test]
async fn the_job_derives_lifecycle_rfm_and_bought_together() {
    use rapport::db::schema::{contacts, customer_metrics};
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let p1 = crate::orders::product(&app, &mut admin, "P-ONE", "1.00", "0", None).await;
    let p2 = crate::orders::product(&app, &mut admin, "P-TWO", "1.00", "0", None).await;
    let p3 = crate::orders::product(&app, &mut admin, "P-THREE", "1.00", "0", None).await;
    let mut ids = Vec::new();
    for n in 1..=5 {
        ids.push(
            app.create_contact(
                &mut admin,
                "C",
                &format!("N{n}"),
                &format!("c{n}@test.example"),
            )
            .await,
        );
    }
    let [c1, c2, c3, c4, c5] = ids[..] else {
        panic!("five contacts")
    };
    // c1: five orders of 100.00 (last 10 days ago), P1 and P2.
    order_of(&app, c1, 10, 10_000, &[p1, p2]);
    for d in [30, 60, 90, 120] {
        order_of(&app, c1, d, 10_000, &[]);
    }
    // c2: two of 100.00 (last 20 days ago), P1, P2, P3.
    order_of(&app, c2, 20, 10_000, &[p1, p2, p3]);
    order_of(&app, c2, 40, 10_000, &[]);
    // c3: one of 1,000.00 five days ago, P1 and P3.
    order_of(&app, c3, 5, 100_000, &[p1, p3]);
    // c4: one of 50.00, 400 days ago.
    order_of(&app, c4, 400, 5_000, &[]);

    rapport::insights::job::run_job(&mut app.conn()).expect("the job runs");

    // Recency days [10, 20, 5, 400] (fewer is better), frequency [5, 2, 1, 1],
    // revenue [500, 200, 1000, 50]: quintile rank k of 4 scores ⌊5k/4⌋+1.
    let mut codes: Vec<(i64, String, String)> = customer_metrics::table
        .select((
            customer_metrics::contact_id,
            customer_metrics::rfm,
            customer_metrics::stage,
        ))
        .load(&mut app.conn())
        .expect("metrics");
    codes.sort();
    assert_eq!(
        codes,
        vec![
            (c1, "343".into(), "loyal".into()),
            (c2, "232".into(), "growing".into()),
            (c3, "414".into(), "new_customer".into()),
            (c4, "111".into(), "churned".into()),
        ]
    );
    let stage = |id: i64| -> String {
        contacts::table
            .find(id)
            .select(contacts::lifecycle)
            .first(&mut app.conn())
            .expect("stage")
    };
    assert_eq!(stage(c1), "loyal");
    assert_eq!(stage(c4), "churned");
    assert_eq!(stage(c5), "prospect", "no orders: the manual stage stays");

    // The contact list filters by RFM pattern.
    let (_, doc) = admin.get_html("/contacts?rfm=x1x").await;
    let names = texts(&doc, "table.list tbody tr");
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().any(|n| n.contains("N3")) && names.iter().any(|n| n.contains("N4")));
    let (_, doc) = admin.get_html("/contacts?rfm=3xx").await;
    assert_eq!(texts(&doc, "table.list tbody tr").len(), 1);

    // Pairs with support ≥ 2: P1–P2 (c1, c2) and P1–P3 (c2, c3); P2–P3 has 1.
    let pairs: i64 = rapport::db::schema::co_purchases::table
        .count()
        .get_result(&mut app.conn())
        .expect("pairs");
    assert_eq!(pairs, 4, "two pairs, both directions");
    // An order with P2 recommends P1; c3 (P1, P3) is shown P2.
    let o = order_of(&app, c5, 1, 100, &[p2]);
    let (_, doc) = admin.get_html(&format!("/orders/{o}")).await;
    assert_eq!(
        texts(&doc, "#recommended li strong"),
        vec!["P-ONE".to_string()]
    );
    let (_, doc) = admin.get_html(&format!("/contacts/{c3}")).await;
    assert_eq!(
        texts(&doc, "#recommended li strong"),
        vec!["P-TWO".to_string()]
    );
}

#[tokio::test]
async fn an_admin_changes_the_settings_and_bad_input_stays_in_the_form() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let (status, doc) = admin.get_html("/admin/insights").await;
    assert_eq!(status, StatusCode::OK);
    let version = doc
        .select(&Selector::parse("input[name=version]").expect("css"))
        .next()
        .and_then(|e| e.value().attr("value"))
        .expect("version")
        .to_string();
    let form = |discount: &'static str, loyal: &'static str| {
        vec![
            ("discount", discount),
            ("horizon", "10"),
            ("churn_days", "90"),
            ("margin", "25"),
            ("growing", "2"),
            ("loyal", loyal),
            ("support", "3"),
        ]
    };
    let mut bad = form("150", "1");
    bad.push(("version", version.as_str()));
    let res = admin.post("/admin/insights", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = Html::parse_document(&res.text().await.expect("body"));
    let page: String = doc.root_element().text().collect();
    assert!(page.contains("Enter a percentage from 0 to 100"), "{page}");
    assert!(page.contains("Loyal must need more orders than growing."));
    let mut good = form("5", "6");
    good.push(("version", version.as_str()));
    let res = admin.post("/admin/insights", &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let s = rapport::insights::settings::get(&mut app.conn()).expect("settings");
    assert_eq!(
        (s.discount_bp, s.horizon_years, s.churn_days),
        (500, 10, 90)
    );
    assert_eq!((s.margin_bp, s.loyal_orders, s.min_support), (2_500, 6, 3));
    // The same (now stale) form again: a conflict, not a lost update.
    let res = admin.post("/admin/insights", &good).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}
