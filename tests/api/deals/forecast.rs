//! The forecast page: open deals by expected close month (overdue, this
//! month and five more), value and weighted value exact in minor units,
//! per currency and per owner; closed, undated and later deals left out;
//! a rep's forecast holds only their own deals.

use chrono::{Datelike, Months};

use super::*;

/// The owner table's cells, row by row (owner name first).
fn owner_rows(doc: &Html) -> Vec<Vec<String>> {
    let row = Selector::parse("table.forecast-owners tbody tr").expect("css");
    let cell = Selector::parse("th, td").expect("css");
    doc.select(&row)
        .map(|r| {
            r.select(&cell)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn open_deals_are_summed_by_close_month_and_weighted_exactly() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let qualified = stage_id(&app, "pipeline-default-stage-qualified");
    let won = stage_id(&app, "pipeline-default-stage-won");
    let m0 = this_month();
    let m2 = m0.checked_add_months(Months::new(2)).expect("month");
    let after = m0.checked_add_months(Months::new(6)).expect("month");

    // This month: $100.01 at 10 % and three cents at 25 %: 1,000.1 + 0.75
    // cents → $10.01, rounded once.
    let big = insert_deal(&app, "Big", me, lead, 10_001, None);
    close_on(&app, big, m0);
    for n in 0..3 {
        let cent = insert_deal(&app, &format!("Cent {n}"), me, qualified, 1, None);
        close_on(&app, cent, m0 + chrono::Duration::days(n));
    }
    // Two months on: $500.00 at its own 50 %.
    let own = insert_deal(&app, "Own odds", me, lead, 50_000, Some(50));
    close_on(&app, own, m2);
    // Overdue: expected last month, still open: $10.00 at 25 %.
    let late = insert_deal(&app, "Late", me, qualified, 1_000, None);
    close_on(&app, late, m0 - chrono::Duration::days(1));
    // Left out: no date, after the sixth month, and won.
    insert_deal(&app, "Undated", me, lead, 99_999, None);
    let later = insert_deal(&app, "Later", me, lead, 77_777, None);
    close_on(&app, later, after);
    let closed = insert_deal(&app, "Closed", me, lead, 55_555, None);
    close_on(&app, closed, m0);
    diesel::update(deals::table.find(closed))
        .set((deals::stage_id.eq(won), deals::status.eq("won")))
        .execute(&mut app.conn())
        .expect("won");

    let (status, doc) = admin.get_html("/leads/forecast").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        owner_rows(&doc),
        vec![vec![
            "Ada Admin".to_string(),
            "$2.50".into(),
            "$10.01".into(),
            "$0.00".into(),
            "$250.00".into(),
            "$0.00".into(),
            "$0.00".into(),
            "$0.00".into(),
        ]]
    );
    // The chart's figures: value and weighted per bucket.
    let figures = Selector::parse("figure#forecast-usd details table tbody tr").expect("css");
    let rows: Vec<String> = doc
        .select(&figures)
        .map(|r| r.text().collect::<Vec<_>>().join("|"))
        .collect();
    assert_eq!(rows.len(), 7);
    assert_eq!(rows[0], "Overdue|$10.00|$2.50");
    assert_eq!(
        rows[1].split('|').skip(1).collect::<Vec<_>>(),
        ["$100.04", "$10.01"]
    );
    assert_eq!(
        rows[3].split('|').skip(1).collect::<Vec<_>>(),
        ["$500.00", "$250.00"]
    );
    let head = Selector::parse("table.forecast-owners thead th").expect("css");
    let months: Vec<String> = doc.select(&head).map(|h| h.text().collect()).collect();
    assert_eq!(months[1], "Overdue");
    assert_eq!(months[2], m0.format("%b %Y").to_string());
    assert!(
        doc.select(&Selector::parse("figure#forecast-usd svg rect").expect("css"))
            .count()
            >= 14
    );
}

#[tokio::test]
async fn a_reps_forecast_holds_only_their_deals_and_speaks_their_language() {
    let (app, _admin, ann, bob, lead) = two_reps().await;
    let m0 = this_month();
    let anns = insert_deal(&app, "Ann's", ann, lead, 70_000, None);
    close_on(&app, anns, m0);
    let bobs = insert_deal(&app, "Bob's", bob, lead, 1_000, None);
    close_on(&app, bobs, m0);

    let bob_c = app.login("bob@test.example").await;
    let (_, doc) = bob_c.get_html("/leads/forecast").await;
    let rows = owner_rows(&doc);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][2], "$1.00", "Bob's $10.00 at 10 %");
    // Asking for Ann's deals does not widen Bob's reach.
    let (_, doc) = bob_c
        .get_html(&format!("/leads/forecast?owner={ann}"))
        .await;
    assert!(owner_rows(&doc).is_empty());
    assert_eq!(
        text_of(&doc, "p.empty"),
        "No open deal in this pipeline is expected to close in these months."
    );

    // The admin sees both; in Chinese the months are Chinese months.
    let zh = crate::i18n::user_with(&app, ADMIN_EMAIL, "zh-CN", "UTC").await;
    let (_, doc) = zh.get_html("/leads/forecast").await;
    assert_eq!(owner_rows(&doc).len(), 2);
    let head = Selector::parse("table.forecast-owners thead th").expect("css");
    let months: Vec<String> = doc.select(&head).map(|h| h.text().collect()).collect();
    assert_eq!(months[1], "已逾期");
    assert_eq!(months[2], format!("{}年{}月", m0.year(), m0.month()));
}
