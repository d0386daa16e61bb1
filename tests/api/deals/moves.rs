//! Moves: each recorded in the stage history and on the timeline; a stale
//! version is a conflict (409 with the fresh board), never a lost update;
//! lost needs a reason; won and lost set their dates; reopening clears
//! them; rotting follows the later of stage entry and last activity.

use super::*;
use rapport::db::schema::{activities, deal_stage_changes, deals};

fn history(app: &TestApp, deal: i64) -> Vec<(Option<i64>, i64)> {
    deal_stage_changes::table
        .filter(deal_stage_changes::deal_id.eq(deal))
        .order(deal_stage_changes::id.asc())
        .select((
            deal_stage_changes::from_stage_id,
            deal_stage_changes::to_stage_id,
        ))
        .load(&mut app.conn())
        .expect("history")
}

async fn move_to(
    c: &mut Client,
    deal: i64,
    stage: i64,
    version: i32,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let (stage, version) = (stage.to_string(), version.to_string());
    let mut form = vec![
        ("stage_id", stage.as_str()),
        ("version", version.as_str()),
        ("back", "/leads?pipeline=1"),
    ];
    form.extend_from_slice(extra);
    c.post(&format!("/leads/{deal}/move"), &form).await
}

#[tokio::test]
async fn every_move_is_recorded_in_the_history_and_on_the_timeline() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let s: Vec<i64> = stages(&app).iter().map(|s| s.0).collect();
    let deal = insert_deal(&app, "Moving", me, s[0], 1_000, None);
    assert_eq!(history(&app, deal), vec![(None, s[0])]);

    let res = move_to(&mut admin, deal, s[1], 1, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/leads?pipeline=1");
    assert_eq!(deal_state(&app, deal), (s[1], "open".into(), 2));
    // With htmx: the two columns it changed come back at once, with their
    // totals, to be swapped in by id; the rest of the board stays.
    let res = admin
        .post_htmx(
            &format!("/leads/{deal}/move"),
            &[
                ("stage_id", &s[2].to_string()),
                ("version", "2"),
                ("back", "/leads"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers().get("hx-reswap").and_then(|v| v.to_str().ok()),
        Some("none")
    );
    let doc = html(res).await;
    let columns = texts(&doc, "section.board-column[hx-swap-oob] h2");
    assert_eq!(columns.len(), 2, "{columns:?}");
    for (stage, count) in [(s[1], "0"), (s[2], "1")] {
        assert_eq!(
            text_of(&doc, &format!("section#column-{stage}[hx-swap-oob] .count")),
            count
        );
    }
    assert!(texts(&doc, "#board").is_empty());
    assert!(text_of(&doc, &format!("#column-{} .cards", s[2])).contains("Moving"));
    assert_eq!(
        history(&app, deal),
        vec![(None, s[0]), (Some(s[0]), s[1]), (Some(s[1]), s[2])]
    );
    let entries: i64 = activities::table
        .filter(activities::deal_id.eq(deal))
        .filter(activities::kind.eq("stage"))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(entries, 2);
    let (_, page) = admin.get_html(&format!("/leads/{deal}")).await;
    assert_eq!(texts(&page, ".stage-history li").len(), 3);
    // A system event, worded for the reader (stage names from the catalogue).
    assert!(
        texts(&page, ".timeline .subject")
            .iter()
            .any(|b| b == "Moved from Qualified to Proposal."),
        "{:?}",
        texts(&page, ".timeline .subject")
    );
    let res = admin
        .post(
            "/account/locale",
            &[("language", "zh-CN"), ("time_zone", "Asia/Shanghai")],
        )
        .await;
    assert!(res.status().is_redirection());
    let (_, page) = admin.get_html(&format!("/leads/{deal}")).await;
    assert!(
        texts(&page, ".timeline .subject")
            .iter()
            .any(|b| b == "从 已确认 移至 方案。"),
        "{:?}",
        texts(&page, ".timeline .subject")
    );
}

#[tokio::test]
async fn two_moves_from_the_same_version_give_one_success_and_one_conflict() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    // A second admin: both see every deal.
    app.create_user(&mut admin, "boss@test.example", "admin", None)
        .await;
    let mut boss = app.login("boss@test.example").await;
    let me = app.user_id(ADMIN_EMAIL);
    let s: Vec<i64> = stages(&app).iter().map(|s| s.0).collect();
    let deal = insert_deal(&app, "Contested", me, s[0], 1_000, None);

    let (a, b) = tokio::join!(
        move_to(&mut admin, deal, s[1], 1, &[]),
        move_to(&mut boss, deal, s[2], 1, &[])
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let (winner, loser) = if a.status() == StatusCode::SEE_OTHER {
        (s[1], b)
    } else {
        (s[2], a)
    };
    // No lost update: the deal is where the one success put it, once.
    assert_eq!(deal_state(&app, deal), (winner, "open".into(), 2));
    assert_eq!(history(&app, deal).len(), 2);
    // The conflict explains itself above the fresh board.
    let doc = html(loser).await;
    assert!(text_of(&doc, ".error-box").contains("changed this deal"));
    let card = Selector::parse(&format!(r#"li.deal-card[data-deal-id="{deal}"]"#)).expect("sel");
    let fresh = doc.select(&card).next().expect("card on the fresh board");
    assert_eq!(fresh.value().attr("data-version"), Some("2"));
    assert_eq!(
        fresh.value().attr("data-stage-id"),
        Some(winner.to_string().as_str())
    );

    // An edit drawn from the old version is a conflict too: the form comes
    // back with the deal as it is now.
    let res = boss
        .post(
            &format!("/leads/{deal}"),
            &[
                ("title", "Renamed from a stale form"),
                ("account", ""),
                ("contact", ""),
                ("currency", "USD"),
                ("source", "other"),
                ("version", "1"),
            ],
        )
        .await;
    // No party: refused for that first (422), nothing written.
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let account = app.create_account(&mut admin, "Stale Ltd", &[]).await;
    let _ = account;
    let res = boss
        .post(
            &format!("/leads/{deal}"),
            &[
                ("title", "Renamed from a stale form"),
                ("account", "Stale Ltd"),
                ("currency", "USD"),
                ("source", "other"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let doc = html(res).await;
    assert!(text_of(&doc, "#title-error").contains("changed this deal"));
    let title: String = deals::table
        .find(deal)
        .select(deals::title)
        .first(&mut app.conn())
        .expect("title");
    assert_eq!(title, "Contested");

    // With htmx the same: 409, the board fragment and the message.
    let res = admin
        .post_htmx(
            &format!("/leads/{deal}/move"),
            &[("stage_id", &s[3].to_string()), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = res.text().await.expect("body");
    assert!(body.contains(r#"id="board""#) && !body.contains("<html"));
    assert!(body.contains("changed this deal"));
    assert_eq!(deal_state(&app, deal).2, 2);
}

#[tokio::test]
async fn lost_needs_a_reason_won_and_lost_set_dates_and_reopening_clears_them() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let s = stages(&app);
    let (lead, won, lost) = (s[0].0, s[4].0, s[5].0);
    let deal = insert_deal(&app, "Maybe", me, lead, 1_000, None);

    // From the board without a reason: refused, nothing written.
    let res = move_to(&mut admin, deal, lost, 1, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&html(res).await, ".error-box").contains("reason"));
    assert_eq!(deal_state(&app, deal), (lead, "open".into(), 1));
    // From the deal's page: the lost form again with the error beside it.
    let res = admin
        .post(
            &format!("/leads/{deal}/move"),
            &[
                ("stage_id", &lost.to_string()),
                ("version", "1"),
                ("lost_reason_id", "999"),
                ("back", &format!("/leads/{deal}")),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(!texts(&doc, "#lost-reason-error").is_empty());
    assert_eq!(deal_state(&app, deal).2, 1);

    let res = move_to(
        &mut admin,
        deal,
        lost,
        1,
        &[
            ("lost_reason_id", "1"),
            ("lost_note", "Went with the cheaper offer"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row: (String, Option<i64>, Option<String>, bool, bool) = deals::table
        .find(deal)
        .select((
            deals::status,
            deals::lost_reason_id,
            deals::lost_note,
            deals::lost_at.is_not_null(),
            deals::won_at.is_not_null(),
        ))
        .first(&mut app.conn())
        .expect("deal");
    assert_eq!(
        row,
        (
            "lost".into(),
            Some(1),
            Some("Went with the cheaper offer".into()),
            true,
            false
        )
    );
    let (_, page) = admin.get_html(&format!("/leads/{deal}")).await;
    assert!(page.html().contains("Price"));

    // Reopen into an open stage: status open, lost fields cleared.
    let res = move_to(&mut admin, deal, lead, 2, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row: (String, Option<i64>, bool) = deals::table
        .find(deal)
        .select((
            deals::status,
            deals::lost_reason_id,
            deals::lost_at.is_not_null(),
        ))
        .first(&mut app.conn())
        .expect("deal");
    assert_eq!(row, ("open".into(), None, false));

    let res = move_to(&mut admin, deal, won, 3, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row: (String, bool) = deals::table
        .find(deal)
        .select((deals::status, deals::won_at.is_not_null()))
        .first(&mut app.conn())
        .expect("deal");
    assert_eq!(row, ("won".into(), true));

    // A stage of another pipeline, or no stage at all, is refused.
    let res = move_to(&mut admin, deal, 9_999, 4, &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = admin
        .post(&format!("/leads/{deal}/move"), &[("stage_id", "x")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(deal_state(&app, deal), (won, "won".into(), 4));
}

#[tokio::test]
async fn a_deal_rots_after_its_stage_allowance_without_a_move_or_activity() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let s: Vec<i64> = stages(&app).iter().map(|s| s.0).collect();
    // Lead rots after 14 days.
    let deal = insert_deal(&app, "Forgotten", me, s[0], 1_000, None);
    let fresh = insert_deal(&app, "Fresh", me, s[0], 1_000, None);
    let old = rapport::db::now() - chrono::Duration::days(20);
    diesel::update(deal_stage_changes::table.filter(deal_stage_changes::deal_id.eq(deal)))
        .set(deal_stage_changes::changed_at.eq(old))
        .execute(&mut app.conn())
        .expect("history back-dated");
    diesel::update(deals::table.find(deal))
        .set(deals::stage_entered_at.eq(old))
        .execute(&mut app.conn())
        .expect("entry back-dated");
    let stale = |doc: &Html| texts(doc, "li.deal-card.stale .deal-title");

    let (_, doc) = admin.get_html("/leads").await;
    assert_eq!(stale(&doc), vec!["Forgotten"]);
    assert!(doc.html().contains("20 days in stage"));
    let (_, page) = admin.get_html(&format!("/leads/{deal}")).await;
    assert!(!texts(&page, ".badge-stale").is_empty());
    let _ = fresh;

    // Activity renews it …
    let res = admin
        .post(
            &format!("/leads/{deal}/activities"),
            &[("kind", "call"), ("body", "Called back.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html("/leads").await;
    assert!(stale(&doc).is_empty());

    // … and so does a move (days in stage start again from the history).
    diesel::update(deals::table.find(deal))
        .set(deals::last_activity_at.eq(Some(old)))
        .execute(&mut app.conn())
        .expect("activity back-dated");
    let (_, doc) = admin.get_html("/leads").await;
    assert_eq!(stale(&doc), vec!["Forgotten"]);
    let version = deal_state(&app, deal).2;
    let res = move_to(&mut admin, deal, s[1], version, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html("/leads").await;
    assert!(stale(&doc).is_empty());
    let last: chrono::NaiveDateTime = deal_stage_changes::table
        .filter(deal_stage_changes::deal_id.eq(deal))
        .order(deal_stage_changes::id.desc())
        .select(deal_stage_changes::changed_at)
        .first(&mut app.conn())
        .expect("last change");
    let entered: chrono::NaiveDateTime = deals::table
        .find(deal)
        .select(deals::stage_entered_at)
        .first(&mut app.conn())
        .expect("entered");
    assert_eq!(
        last, entered,
        "days in stage count from the last stage change"
    );
}
