//! The funnel page: stages reached from the stage history (skips, wins and
//! losses), conversion from step to step, the period, and record scope.

use super::*;

/// Moves a deal straight in the database, with its history row.
fn moved(app: &TestApp, deal: i64, to: i64, outcome: &str) {
    use rapport::db::schema::deal_stage_changes;
    let mut c = app.conn();
    diesel::update(deals::table.find(deal))
        .set((deals::stage_id.eq(to), deals::status.eq(outcome)))
        .execute(&mut c)
        .expect("move");
    diesel::insert_into(deal_stage_changes::table)
        .values((
            deal_stage_changes::deal_id.eq(deal),
            deal_stage_changes::to_stage_id.eq(to),
            deal_stage_changes::changed_at.eq(chrono::Utc::now().naive_utc()),
        ))
        .execute(&mut c)
        .expect("history");
}

/// The steps table, a line per row with its cells joined by spaces.
fn table(doc: &Html) -> Vec<String> {
    let row = Selector::parse("table.funnel-steps tbody tr").expect("css");
    let cell = Selector::parse("th, td").expect("css");
    doc.select(&row)
        .map(|r| {
            r.select(&cell)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[tokio::test]
async fn stages_reached_and_conversion_come_from_the_history() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let s = |k: &str| stage_id(&app, &format!("pipeline-default-stage-{k}"));
    let (lead, qualified, proposal, won, lost) = (
        s("lead"),
        s("qualified"),
        s("proposal"),
        s("won"),
        s("lost"),
    );
    // Lead → Qualified → Proposal → Won; Lead → Qualified → Lost; Lead;
    // and one created straight in Proposal.
    let a = insert_deal(&app, "A", me, lead, 100, None);
    moved(&app, a, qualified, "open");
    moved(&app, a, proposal, "open");
    moved(&app, a, won, "won");
    let b = insert_deal(&app, "B", me, lead, 100, None);
    moved(&app, b, qualified, "open");
    moved(&app, b, lost, "lost");
    insert_deal(&app, "C", me, lead, 100, None);
    insert_deal(&app, "D", me, proposal, 100, None);
    // An old deal, outside the last 90 days.
    let old = insert_deal(&app, "Old", me, lead, 100, None);
    diesel::update(deals::table.find(old))
        .set(deals::created_at.eq(chrono::Utc::now().naive_utc() - chrono::Duration::days(200)))
        .execute(&mut app.conn())
        .expect("age it");

    let (status, doc) = admin.get_html("/leads/funnel").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        table(&doc),
        vec![
            "Lead 4 — 100.0%",
            "Qualified 3 75.0% 75.0%",
            "Proposal 2 66.7% 50.0%",
            "Negotiation 1 50.0% 25.0%",
            "Won 1 100.0% 25.0%",
        ]
    );
    let (_, all) = admin.get_html("/leads/funnel?period=all").await;
    assert_eq!(table(&all)[0], "Lead 5 — 100.0%");
    // A period the page does not offer is the default one.
    let (status, odd) = admin.get_html("/leads/funnel?period=7").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(table(&odd)[0], "Lead 4 — 100.0%");

    // A rep sees the funnel of their own deals only.
    let ann = app
        .create_user(&mut admin, "ann@test.example", "sales", None)
        .await;
    insert_deal(&app, "Ann's", ann, qualified, 100, None);
    let ann_c = app.login("ann@test.example").await;
    let (_, doc) = ann_c.get_html("/leads/funnel").await;
    assert_eq!(table(&doc)[0], "Lead 1 — 100.0%");
    assert_eq!(table(&doc)[1], "Qualified 1 100.0% 100.0%");
    assert_eq!(table(&doc)[2], "Proposal 0 0.0% 0.0%");
}
