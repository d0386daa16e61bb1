//! Targets, commission plans and the commission report on both backends:
//! attainment and marginal commission against hand numbers, a plan that
//! holds from its month on, the report's rows, CSV and click-through, the
//! Insights "performance" section, the record scope (a rep sees only their
//! own row), and the admin forms' errors beside the field and conflicts.

use diesel::prelude::*;
use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;
use crate::insights::{at, chart_rows, href, order, text};
use rapport::db::schema::{commission_plans, sales_targets};

const JAN: &str = "/insights/commission?month=2026-01&currency=USD";

fn row_cells(doc: &Html, css: &str) -> Vec<String> {
    let sel = Selector::parse(&format!("{css} th, {css} td")).expect("css");
    doc.select(&sel)
        .map(|c| {
            c.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn targets_stored(app: &TestApp) -> i64 {
    sales_targets::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

async fn save_target(
    admin: &mut Client,
    subject: &str,
    amount: &str,
    version: &str,
) -> reqwest::Response {
    save_target_in(admin, "2026-01", subject, amount, version).await
}

async fn save_target_in(
    admin: &mut Client,
    month: &str,
    subject: &str,
    amount: &str,
    version: &str,
) -> reqwest::Response {
    admin
        .post(
            "/admin/targets",
            &[
                ("subject", subject),
                ("month", month),
                ("currency", "USD"),
                ("amount", amount),
                ("version", version),
            ],
        )
        .await
}

async fn save_plan(
    admin: &mut Client,
    subject: &str,
    month: &str,
    tiers: [&str; 3],
    seen: (&str, &str),
) -> reqwest::Response {
    admin
        .post(
            "/admin/targets/plan",
            &[
                ("subject", subject),
                ("month", month),
                ("currency", "USD"),
                ("rate", tiers[0]),
                ("above2", tiers[1]),
                ("rate2", tiers[2]),
                ("seen_from", seen.0),
                ("seen_version", seen.1),
            ],
        )
        .await
}

/// Two reps in team North (Ann, Bob) and Cy without a team; January 2026:
/// Ann sells 15,000.00 (two orders), Bob 8,000.00, Cy nothing; a draft of
/// Bob's and a February order of Ann's do not count in January.
async fn fixture() -> (TestApp, Client, [i64; 4]) {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let north = app.create_team(&mut admin, "North").await;
    let ann = app
        .create_user(&mut admin, "ann@test.example", "sales", Some(north))
        .await;
    let bob = app
        .create_user(&mut admin, "bob@test.example", "sales", Some(north))
        .await;
    let cy = app
        .create_user(&mut admin, "cy@test.example", "sales", None)
        .await;
    let customer = app
        .create_contact(&mut admin, "Dora", "Buyer", "dora@test.example")
        .await;
    order(&app, customer, ann, at(2026, 1, 5), 1_000_000, "confirmed");
    order(&app, customer, ann, at(2026, 1, 20), 500_000, "fulfilled");
    order(&app, customer, bob, at(2026, 1, 12), 800_000, "closed");
    order(&app, customer, bob, at(2026, 1, 13), 900_000, "draft");
    order(&app, customer, ann, at(2026, 2, 2), 700_000, "confirmed");
    rapport::orders::tallies::rebuild(&mut app.conn()).expect("recount");
    (app, admin, [north, ann, bob, cy])
}

#[tokio::test]
async fn attainment_and_commission_match_hand_numbers() {
    let (app, mut admin, [north, ann, bob, cy]) = fixture().await;
    // Targets: Ann 12,000, Bob 10,000, team North 20,000.
    for (who, amount) in [
        (format!("user:{ann}"), "12,000"),
        (format!("user:{bob}"), "10000.00"),
        (format!("team:{north}"), "20000"),
    ] {
        let res = save_target(&mut admin, &who, amount, "0").await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{who}");
    }
    // Default 5 %; Ann: 5 % and 10 % above 10,000.
    let res = save_plan(&mut admin, "default", "2026-01", ["5", "", ""], ("", "")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = save_plan(
        &mut admin,
        &format!("user:{ann}"),
        "2026-01",
        ["5", "10,000", "10"],
        ("", ""),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let (status, doc) = admin.get_html(JAN).await;
    assert_eq!(status, StatusCode::OK);
    // Ann: 15,000 of 12,000 = 125.0 %; 500 + 500 = 1,000.00.
    assert_eq!(
        row_cells(&doc, &format!("#rep-{ann}")),
        [
            "User ann@test.example",
            "North",
            "$15,000.00",
            "$12,000.00",
            "125.0%",
            "5%; 10% above $10,000.00",
            "$1,000.00"
        ]
    );
    // Bob: 8,000 of 10,000 = 80.0 %; default 5 % = 400.00 (the draft is not revenue).
    assert_eq!(
        row_cells(&doc, &format!("#rep-{bob}")),
        [
            "User bob@test.example",
            "North",
            "$8,000.00",
            "$10,000.00",
            "80.0%",
            "5% (default plan)",
            "$400.00"
        ]
    );
    // Cy: no sales, no target, the default plan.
    assert_eq!(
        row_cells(&doc, &format!("#rep-{cy}"))[2..],
        ["$0.00", "—", "—", "5% (default plan)", "$0.00"]
    );
    // Team North: 23,000 of 20,000 = 115.0 %.
    assert_eq!(
        row_cells(&doc, "#commission-teams tbody tr"),
        ["North", "$23,000.00", "$20,000.00", "115.0%"]
    );
    // Totals: 23,000 sold; of the targeted 22,000, 23,000 = 104.5 %; 1,400.00.
    assert_eq!(text(&doc, ".figure-revenue dd"), "$23,000.00");
    assert_eq!(text(&doc, ".figure-attainment dd"), "104.5%");
    assert_eq!(text(&doc, ".figure-commission dd"), "$1,400.00");

    // Ann's revenue clicks through to her two January orders.
    let link = href(&doc, &format!("#rep-{ann} td a"));
    assert!(link.contains(&format!("owner={ann}")), "{link}");
    let (status, orders) = admin.get_html(&link).await;
    assert_eq!(status, StatusCode::OK);
    let rows = Selector::parse("#results tbody tr").expect("css");
    assert_eq!(orders.select(&rows).count(), 2, "{link}");

    // The CSV has the same figures as plain amounts.
    let csv = admin
        .get("/insights/commission/export?month=2026-01&currency=USD")
        .await
        .text()
        .await
        .expect("csv");
    assert!(
        csv.lines().any(|l| l
            == r#"User ann@test.example,North,2026-01,USD,15000.00,12000.00,125,"5%; 10% above $10,000.00",1000.00"#),
        "{csv}"
    );

    // In February Ann's plan still holds (from January on); a new default
    // from February changes Bob's February only.
    let res = save_plan(
        &mut admin,
        "default",
        "2026-02",
        ["2", "", ""],
        ("2026-01", "1"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, feb) = admin
        .get_html("/insights/commission?month=2026-02&currency=USD")
        .await;
    assert_eq!(row_cells(&feb, &format!("#rep-{ann}"))[2], "$7,000.00");
    assert_eq!(row_cells(&feb, &format!("#rep-{ann}"))[6], "$350.00");
    assert_eq!(
        row_cells(&feb, &format!("#rep-{bob}"))[5],
        "2% (default plan)"
    );
    let (_, jan) = admin.get_html(JAN).await;
    assert_eq!(
        row_cells(&jan, &format!("#rep-{bob}"))[6],
        "$400.00",
        "January keeps 5 %"
    );
    let plans: i64 = commission_plans::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(plans, 3);

    // Insights shows the month's attainment per rep and links to the report.
    let (status, doc) = admin
        .get_html("/insights?from=2025-11&to=2026-01&currency=USD")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&doc, ".figure-attainment dd"), "104.5%");
    assert_eq!(text(&doc, ".figure-commission dd"), "$1,400.00");
    assert!(
        href(&doc, ".figure-commission dd a").starts_with("/insights/commission?month=2026-01")
    );
    let rows = chart_rows(&doc, "attainment");
    assert!(
        rows.contains(&"User ann@test.example | $12,000.00 | $15,000.00".to_string()),
        "{rows:?}"
    );
}

#[tokio::test]
async fn a_rep_sees_only_their_own_row_and_cannot_set_targets() {
    let (app, mut admin, [north, ann, bob, _cy]) = fixture().await;
    let res = save_target(&mut admin, &format!("user:{bob}"), "10000", "0").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let rep = app.login("ann@test.example").await;
    for path in [JAN.to_string(), format!("{JAN}&owner={bob}")] {
        let (status, doc) = rep.get_html(&path).await;
        assert_eq!(status, StatusCode::OK);
        let rows = Selector::parse("#commission-reps tbody tr").expect("css");
        let ids: Vec<_> = doc
            .select(&rows)
            .filter_map(|r| r.value().attr("id").map(str::to_string))
            .collect();
        if path.contains("owner=") {
            assert!(ids.is_empty(), "naming Bob narrows to nothing: {ids:?}");
        } else {
            assert_eq!(ids, [format!("rep-{ann}")]);
            assert_eq!(text(&doc, ".figure-revenue dd"), "$15,000.00");
        }
        // The team's figure includes Bob's sales: not shown to Ann.
        assert!(
            doc.select(&Selector::parse("#commission-teams").expect("css"))
                .next()
                .is_none()
        );
    }
    let csv = rep
        .get("/insights/commission/export?month=2026-01&currency=USD")
        .await
        .text()
        .await
        .expect("csv");
    assert!(!csv.contains("bob@"), "{csv}");
    let mut rep = rep;
    assert_eq!(
        rep.get("/admin/targets").await.status(),
        StatusCode::FORBIDDEN
    );
    let res = save_target(&mut rep, &format!("team:{north}"), "1", "0").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(targets_stored(&app), 1);
}

#[tokio::test]
async fn bad_input_is_shown_beside_the_field_and_stale_rows_conflict() {
    let (app, mut admin, [_north, ann, bob, _cy]) = fixture().await;
    let (status, page) = admin
        .get_html("/admin/targets?month=2026-01&currency=USD")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.select(&Selector::parse(&format!("#row-user-{ann} form.target-form")).expect("css"))
            .next()
            .is_some()
    );

    let res = save_target(&mut admin, &format!("user:{ann}"), "twelve", "0").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = Html::parse_document(&res.text().await.expect("body"));
    assert_eq!(
        text(&doc, &format!("#amount-user-{ann}-error")),
        "Enter an amount, such as 25000 or 25,000.00."
    );
    assert_eq!(targets_stored(&app), 0);

    // Two admins start from "no target"; the second save is a conflict.
    let res = save_target(&mut admin, &format!("user:{ann}"), "100", "0").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = save_target(&mut admin, &format!("user:{ann}"), "200", "0").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let doc = Html::parse_document(&res.text().await.expect("body"));
    let value = Selector::parse(&format!("#amount-user-{ann}")).expect("css");
    assert_eq!(
        doc.select(&value)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("100.00"),
        "the saved value is shown"
    );
    // Changing with the right version works; an empty amount removes it.
    let res = save_target(&mut admin, &format!("user:{ann}"), "300", "1").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = save_target(&mut admin, &format!("user:{ann}"), "", "1").await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "version 1 is stale now");
    let res = save_target(&mut admin, &format!("user:{ann}"), "", "2").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(targets_stored(&app), 0);

    // Plans: a threshold below the one before, a rate over 100 %.
    let res = save_plan(
        &mut admin,
        &format!("user:{bob}"),
        "2026-01",
        ["5", "", "8"],
        ("", ""),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = Html::parse_document(&res.text().await.expect("body"));
    assert!(text(&doc, &format!("#above2-user-{bob}-error")).contains("amount above which"));
    let res = save_plan(&mut admin, "default", "2026-01", ["120", "", ""], ("", "")).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A plan added meanwhile makes the form stale.
    let res = save_plan(&mut admin, "default", "2026-01", ["5", "", ""], ("", "")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = save_plan(&mut admin, "default", "2026-01", ["6", "", ""], ("", "")).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // Unknown or damaged subjects.
    assert_eq!(
        save_target(&mut admin, "user:999999", "1", "0")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        save_target(&mut admin, "someone", "1", "0").await.status(),
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        save_target(&mut admin, "default", "1", "0").await.status(),
        StatusCode::BAD_REQUEST
    );
    let res = save_target_in(&mut admin, "2026-13", &format!("user:{ann}"), "5", "0").await;
    assert_eq!(
        res.status(),
        StatusCode::BAD_REQUEST,
        "a damaged month is no month"
    );
    assert_eq!(targets_stored(&app), 0);

    // "Copy last month's" fills January from December where January has none.
    let res = save_target_in(&mut admin, "2025-12", &format!("user:{bob}"), "5000", "0").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post(
            "/admin/targets/copy",
            &[("month", "2026-01"), ("currency", "USD")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post(
            "/admin/targets/copy",
            &[("month", "2026-01"), ("currency", "USD")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "copying twice adds nothing"
    );
    assert_eq!(targets_stored(&app), 2);
    let (_, doc) = admin.get_html(JAN).await;
    assert_eq!(row_cells(&doc, &format!("#rep-{bob}"))[3], "$5,000.00");
}
