//! The close-month board: open deals by expected close month (overdue, no
//! date, this month and five more, later) with totals and weighted values;
//! a card moved to another month keeps its day (the month's last day when
//! shorter, or for a deal without a date), with a version check (409, no
//! lost update) and a timeline entry; scope on the board and the move.

use chrono::{Datelike, Months, NaiveDate};

use super::*;
use rapport::db::schema::activities;

const BOARD: &str = "/leads/forecast/board?pipeline=1";

fn month_key(m: NaiveDate) -> String {
    m.format("%Y-%m").to_string()
}

fn column(key: &str) -> String {
    format!(r#"section.month-column[data-drop="{key}"]"#)
}

fn close_of(app: &TestApp, deal: i64) -> (Option<NaiveDate>, i32) {
    deals::table
        .find(deal)
        .select((deals::expected_close, deals::version))
        .first(&mut app.conn())
        .expect("deal")
}

async fn move_month(c: &mut Client, deal: i64, month: &str, version: i32) -> reqwest::Response {
    let v = version.to_string();
    c.post(
        &format!("/leads/{deal}/close-month"),
        &[("month", month), ("version", &v), ("back", BOARD)],
    )
    .await
}

#[tokio::test]
async fn deals_sit_in_their_close_month_with_weighted_totals() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let qualified = stage_id(&app, "pipeline-default-stage-qualified");
    let won = stage_id(&app, "pipeline-default-stage-won");
    let m0 = this_month();
    let m1 = m0.checked_add_months(Months::new(1)).expect("month");
    let later = m0.checked_add_months(Months::new(6)).expect("month");

    let a = insert_deal(&app, "This month", me, lead, 10_001, None);
    close_on(&app, a, m0);
    let b = insert_deal(&app, "Also this month", me, qualified, 3, None);
    close_on(&app, b, m0 + chrono::Duration::days(2));
    let c = insert_deal(&app, "Next month", me, lead, 50_000, Some(50));
    close_on(&app, c, m1);
    let late = insert_deal(&app, "Late", me, qualified, 1_000, None);
    close_on(&app, late, m0 - chrono::Duration::days(1));
    insert_deal(&app, "Undated", me, lead, 700, None);
    let far = insert_deal(&app, "Far", me, lead, 100, None);
    close_on(&app, far, later);
    let closed = insert_deal(&app, "Closed", me, lead, 99_999, None);
    close_on(&app, closed, m0);
    diesel::update(deals::table.find(closed))
        .set((deals::stage_id.eq(won), deals::status.eq("won")))
        .execute(&mut app.conn())
        .expect("won");

    let (status, doc) = admin.get_html(BOARD).await;
    assert_eq!(status, StatusCode::OK);
    let keys: Vec<String> = {
        let css = Selector::parse("section.month-column").expect("css");
        doc.select(&css)
            .filter_map(|e| e.value().attr("data-drop").map(str::to_string))
            .collect()
    };
    let mut want = vec!["overdue".to_string(), "none".into()];
    want.extend((0..6).map(|i| month_key(m0.checked_add_months(Months::new(i)).expect("m"))));
    want.push("later".into());
    assert_eq!(keys, want);
    let titles = |key: &str| texts(&doc, &format!("{} li.deal-card .deal-title", column(key)));
    assert_eq!(
        titles(&month_key(m0)),
        vec!["This month", "Also this month"]
    );
    assert_eq!(titles(&month_key(m1)), vec!["Next month"]);
    assert_eq!(titles("overdue"), vec!["Late"]);
    assert_eq!(titles("none"), vec!["Undated"]);
    assert_eq!(titles("later"), vec!["Far"]);
    // This month: $100.04, weighted 10,001 × 10 % + 3 × 25 % = 1,000.85 → $10.01.
    let head = column(&month_key(m0));
    assert_eq!(text_of(&doc, &format!("{head} .count")), "2");
    assert_eq!(text_of(&doc, &format!("{head} .total")), "$100.04");
    assert_eq!(text_of(&doc, &format!("{head} .weighted")), "$10.01");
    // A card's weighted value: its own 50 % of $500.00.
    assert_eq!(
        text_of(&doc, &format!("#deal-{c} .deal-weighted")),
        "Weighted $250.00"
    );
    // Closed deals are not on it.
    assert!(texts(&doc, &format!("#deal-{closed}")).is_empty());
}

#[tokio::test]
async fn a_month_move_keeps_the_day_is_recorded_and_never_lost() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "boss@test.example", "admin", None)
        .await;
    let mut boss = app.login("boss@test.example").await;
    let me = app.user_id(ADMIN_EMAIL);
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let m0 = this_month();
    let m2 = m0.checked_add_months(Months::new(2)).expect("month");
    let deal = insert_deal(&app, "Slipping", me, lead, 1_000, None);
    let day = m0.with_day(15).expect("15th");
    close_on(&app, deal, day);

    // Without JavaScript: 303 back to the month board.
    let res = move_month(&mut admin, deal, &month_key(m2), 1).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), BOARD);
    assert_eq!(
        close_of(&app, deal),
        (Some(m2.with_day(15).expect("15th")), 2)
    );
    let entries: Vec<String> = activities::table
        .filter(activities::deal_id.eq(deal))
        .filter(activities::kind.eq("close_date"))
        .select(activities::kind)
        .load(&mut app.conn())
        .expect("entries");
    assert_eq!(entries.len(), 1);
    let (_, page) = admin.get_html(&format!("/leads/{deal}")).await;
    let note = format!(
        "Expected close moved from {} to {}.",
        day.format("%Y-%m-%d"),
        m2.with_day(15).expect("15th").format("%Y-%m-%d")
    );
    assert!(
        texts(&page, ".timeline .subject").contains(&note),
        "{:?}",
        texts(&page, ".timeline .subject")
    );

    // The boss moves it from the same (now stale) version: 409 with the
    // fresh board and a message; the first move stands.
    let res = move_month(&mut boss, deal, &month_key(m0), 1).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let doc = html(res).await;
    assert!(!texts(&doc, "#board .error-box").is_empty());
    assert_eq!(
        texts(
            &doc,
            &format!("{} li.deal-card .deal-title", column(&month_key(m2)))
        ),
        vec!["Slipping"]
    );
    assert_eq!(close_of(&app, deal).1, 2);

    // With htmx, from the fresh version: the board comes back with the card
    // in its new column; "no date" clears the date.
    let res = admin
        .post_htmx(
            &format!("/leads/{deal}/close-month"),
            &[("month", "none"), ("version", "2"), ("back", BOARD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    assert_eq!(
        texts(
            &doc,
            &format!("{} li.deal-card .deal-title", column("none"))
        ),
        vec!["Slipping"]
    );
    assert_eq!(close_of(&app, deal), (None, 3));
    // A deal without a date moved to a month takes its last day.
    let res = move_month(&mut admin, deal, &month_key(m0), 3).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let last = m0
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .expect("last day");
    assert_eq!(close_of(&app, deal), (Some(last), 4));
    // A month not on the board is refused (422) and changes nothing.
    let past = month_key(m0 - chrono::Duration::days(1));
    let res = move_month(&mut admin, deal, &past, 4).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(close_of(&app, deal), (Some(last), 4));
}

#[tokio::test]
async fn two_month_moves_from_one_version_give_one_success_and_one_conflict() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "boss@test.example", "admin", None)
        .await;
    let mut boss = app.login("boss@test.example").await;
    let me = app.user_id(ADMIN_EMAIL);
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let deal = insert_deal(&app, "Contested", me, lead, 1_000, None);
    let m0 = this_month();
    let (k1, k2) = (
        month_key(m0.checked_add_months(Months::new(1)).expect("m")),
        month_key(m0.checked_add_months(Months::new(3)).expect("m")),
    );
    let (a, b) = tokio::join!(
        move_month(&mut admin, deal, &k1, 1),
        move_month(&mut boss, deal, &k2, 1)
    );
    let mut statuses = vec![a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let (date, version) = close_of(&app, deal);
    assert_eq!(version, 2);
    let winner = if a.status() == StatusCode::SEE_OTHER {
        &k1
    } else {
        &k2
    };
    assert_eq!(date.map(month_key).as_ref(), Some(winner));
    let entries: i64 = activities::table
        .filter(activities::deal_id.eq(deal))
        .filter(activities::kind.eq("close_date"))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(entries, 1);
}

#[tokio::test]
async fn the_month_board_and_its_moves_keep_to_the_viewers_scope() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let ann = app
        .create_user(&mut admin, "ann@test.example", "sales", None)
        .await;
    let bob = app
        .create_user(&mut admin, "bob@test.example", "sales", None)
        .await;
    let mut bob_c = app.login("bob@test.example").await;
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let m0 = this_month();
    let anns = insert_deal(&app, "Ann's deal", ann, lead, 70_000, None);
    close_on(&app, anns, m0);
    let bobs = insert_deal(&app, "Bob's deal", bob, lead, 100, None);
    close_on(&app, bobs, m0);

    let (_, doc) = bob_c.get_html(BOARD).await;
    let head = column(&month_key(m0));
    assert_eq!(
        texts(&doc, &format!("{head} li.deal-card .deal-title")),
        vec!["Bob's deal"]
    );
    assert_eq!(text_of(&doc, &format!("{head} .count")), "1");
    assert_eq!(text_of(&doc, &format!("{head} .total")), "$1.00");
    let next = month_key(m0.checked_add_months(Months::new(1)).expect("m"));
    let res = move_month(&mut bob_c, anns, &next, 1).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(close_of(&app, anns), (Some(m0), 1));
    let res = move_month(&mut bob_c, bobs, &next, 1).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
