//! Lead scores: the `score_leads` job trains on the won and lost history,
//! stores the model and scores the open deals (the deal that looks like the
//! wins scores higher); with too little history the cards show the stage
//! default and the page says what is missing; retraining is for managers
//! and admins, behind CSRF; a rep sees the scores of their own deals only.

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rapport::db::schema::{activities, deal_stage_changes, deals, jobs, lead_score_models};

use super::*;

fn now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Logs `n` entries of `kind` on the deal, a day before `at`.
fn log(app: &TestApp, deal: i64, kind: &str, n: usize, at: NaiveDateTime) {
    let t = at - chrono::Duration::days(1);
    for _ in 0..n {
        diesel::insert_into(activities::table)
            .values((
                activities::deal_id.eq(Some(deal)),
                activities::kind.eq(kind),
                activities::body.eq("talked"),
                activities::created_at.eq(t),
                activities::occurred_at.eq(t),
            ))
            .execute(&mut app.conn())
            .expect("activity");
    }
}

/// A deal from `source`, created ten days ago, then closed (or left open).
fn deal(app: &TestApp, owner: i64, title: &str, source: &str, outcome: &str) -> i64 {
    let lead = stage_id(app, "pipeline-default-stage-lead");
    let id = insert_deal(app, title, owner, lead, 500_000, None);
    let created = now() - chrono::Duration::days(10);
    let mut c = app.conn();
    diesel::update(deals::table.find(id))
        .set((
            deals::source.eq(source),
            deals::created_at.eq(created),
            deals::stage_entered_at.eq(created),
        ))
        .execute(&mut c)
        .expect("source");
    if outcome != "open" {
        let to = stage_id(app, &format!("pipeline-default-stage-{outcome}"));
        let t = now();
        diesel::update(deals::table.find(id))
            .set((
                deals::stage_id.eq(to),
                deals::status.eq(outcome),
                deals::stage_entered_at.eq(t),
            ))
            .execute(&mut c)
            .expect("close");
        let closed = if outcome == "won" {
            diesel::update(deals::table.find(id))
                .set(deals::won_at.eq(Some(t)))
                .execute(&mut c)
        } else {
            diesel::update(deals::table.find(id))
                .set(deals::lost_at.eq(Some(t)))
                .execute(&mut c)
        };
        closed.expect("closed at");
        diesel::insert_into(deal_stage_changes::table)
            .values((
                deal_stage_changes::deal_id.eq(id),
                deal_stage_changes::from_stage_id.eq(Some(lead)),
                deal_stage_changes::to_stage_id.eq(to),
                deal_stage_changes::changed_at.eq(t),
            ))
            .execute(&mut c)
            .expect("history");
    }
    id
}

/// Runs stored so far.
fn runs(app: &TestApp) -> i64 {
    lead_score_models::table
        .count()
        .get_result(&mut app.conn())
        .expect("runs")
}

/// Waits until the job workers have stored run number `n`.
async fn wait_for_run(app: &TestApp, n: i64) {
    for _ in 0..200 {
        if runs(app) >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the score_leads job did not finish");
}

fn score(app: &TestApp, id: i64) -> Option<i32> {
    deals::table
        .find(id)
        .select(deals::score)
        .first(&mut app.conn())
        .expect("score")
}

/// The badge of a deal's card on the board: (band class, text).
fn badge(doc: &Html, id: i64) -> Option<(String, String)> {
    let sel = Selector::parse(&format!(
        "li#deal-{id} span.badge[class*=badge-score-] span[aria-hidden]"
    ))
    .expect("css");
    let el = doc.select(&sel).next()?;
    let parent = el.parent().and_then(scraper::ElementRef::wrap)?;
    Some((
        parent.value().attr("class").unwrap_or("").to_string(),
        el.text().collect::<String>().trim().to_string(),
    ))
}

#[tokio::test]
async fn the_job_learns_from_the_history_and_scores_open_deals() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    // 44 closed deals: partner deals with calls and meetings mostly won,
    // cold outbound deals without mostly lost (a few exceptions each way).
    for i in 0..44 {
        let busy = i % 2 == 0;
        let won = busy ^ (i % 11 == 0);
        let source = if busy { "partner" } else { "outbound" };
        let id = deal(
            &app,
            me,
            &format!("Past {i}"),
            source,
            if won { "won" } else { "lost" },
        );
        if busy {
            log(&app, id, "call", 3, now());
            log(&app, id, "meeting", 2, now());
        }
    }
    // Logged after it was lost: must not count.
    let late = deal(&app, me, "Lost, then chatted", "outbound", "lost");
    log(&app, late, "call", 9, now() + chrono::Duration::days(3));
    let hot = deal(&app, me, "Hot", "partner", "open");
    log(&app, hot, "call", 3, now());
    log(&app, hot, "meeting", 2, now());
    let cold = deal(&app, me, "Cold", "outbound", "open");

    // No run yet: the fallback, and the stage default on the cards.
    let (status, doc) = admin.get_html("/leads/scoring").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, ".scoring-fallback").len(), 1);
    let (_, board) = admin.get_html("/leads").await;
    assert_eq!(
        badge(&board, hot),
        Some(("badge badge-score-stage".into(), "Stage 10%".into()))
    );

    let res = admin.post("/leads/scoring/retrain", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/leads/scoring");
    wait_for_run(&app, 1).await;

    let (outcome, examples, won, lost, auc, model, scored): (
        String,
        i32,
        i32,
        i32,
        Option<i32>,
        Option<String>,
        i32,
    ) = lead_score_models::table
        .select((
            lead_score_models::outcome,
            lead_score_models::examples,
            lead_score_models::won,
            lead_score_models::lost,
            lead_score_models::auc_bp,
            lead_score_models::model,
            lead_score_models::scored,
        ))
        .first(&mut app.conn())
        .expect("run");
    assert_eq!(outcome, "trained");
    assert_eq!((examples, won, lost), (45, 22, 23));
    let auc = auc.expect("an AUC");
    assert!(auc > 8_000 && auc <= 10_000, "auc {auc}");
    let model: rapport::scoring::Model =
        serde_json::from_str(&model.expect("model JSON")).expect("a model");
    assert_eq!(model.features.len(), 18);
    assert_eq!(scored, 2);

    let (hot_score, cold_score) = (
        score(&app, hot).expect("hot"),
        score(&app, cold).expect("cold"),
    );
    assert!(
        hot_score > 70 && cold_score < 30,
        "hot {hot_score}, cold {cold_score}"
    );
    // Closed deals carry no score.
    assert_eq!(score(&app, late), None);

    let (_, board) = admin.get_html("/leads").await;
    assert_eq!(
        badge(&board, hot),
        Some((
            "badge badge-score-high".into(),
            format!("Score {hot_score}")
        ))
    );
    assert_eq!(
        badge(&board, cold),
        Some((
            "badge badge-score-low".into(),
            format!("Score {cold_score}")
        ))
    );
    let (_, page) = admin.get_html(&format!("/leads/{hot}")).await;
    assert!(
        text_of(&page, ".deal-score").contains(&format!("Score {hot_score}")),
        "{}",
        text_of(&page, ".deal-score")
    );

    let (_, doc) = admin.get_html("/leads/scoring").await;
    assert!(texts(&doc, ".scoring-fallback").is_empty());
    assert_eq!(
        text_of(&doc, ".scoring-history"),
        "45 closed deals (22 won, 23 lost)"
    );
    assert!(text_of(&doc, ".scoring-auc").starts_with("AUC 0."));
    let rows = texts(&doc, "table.scoring-features tbody tr th");
    assert_eq!(rows.len(), 18);
    // Sorted by weight: partner deals and calls raise the chances most,
    // outbound lowers them.
    let effect = |name: &str| {
        let sel = Selector::parse("table.scoring-features tbody tr").expect("css");
        doc.select(&sel)
            .map(|r| r.text().collect::<String>())
            .find(|t| t.contains(name))
            .unwrap_or_default()
    };
    assert!(
        effect("Calls logged").contains("Raises"),
        "{}",
        effect("Calls logged")
    );
    assert!(effect("Source: outbound").contains("Lowers"));
    assert!(
        rows[..4]
            .iter()
            .any(|r| r == "Calls logged" || r == "Source: partner")
    );
    assert_eq!(
        texts(&doc, "#scoring-weights details.chart-table tbody tr").len(),
        18
    );

    // In Chinese too.
    let res = admin
        .post(
            "/account/locale",
            &[("language", "zh-CN"), ("time_zone", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html("/leads/scoring").await;
    assert_eq!(
        text_of(&doc, ".scoring-history"),
        "45 个已结束商机（赢单 22 个，输单 23 个）"
    );
    assert!(texts(&doc, "table.scoring-features tbody tr th").contains(&"通话数量".to_string()));
}

#[tokio::test]
async fn too_little_history_falls_back_to_the_stage_default() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    for i in 0..3 {
        deal(&app, me, &format!("Won {i}"), "partner", "won");
    }
    deal(&app, me, "Lost", "outbound", "lost");
    let open = deal(&app, me, "Open", "website", "open");
    let qualified = stage_id(&app, "pipeline-default-stage-qualified");
    // A score left from an earlier model, on a deal now in Qualified (25%).
    diesel::update(deals::table.find(open))
        .set((
            deals::stage_id.eq(qualified),
            deals::score.eq(Some(90)),
            deals::scored_at.eq(Some(now())),
        ))
        .execute(&mut app.conn())
        .expect("old score");

    let res = admin.post("/leads/scoring/retrain", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    wait_for_run(&app, 1).await;
    let outcome: String = lead_score_models::table
        .select(lead_score_models::outcome)
        .first(&mut app.conn())
        .expect("run");
    assert_eq!(outcome, "too_little");
    assert_eq!(score(&app, open), None, "the old score is cleared");

    let (_, board) = admin.get_html("/leads").await;
    assert_eq!(
        badge(&board, open),
        Some(("badge badge-score-stage".into(), "Stage 25%".into()))
    );
    let (_, page) = admin.get_html(&format!("/leads/{open}")).await;
    assert!(text_of(&page, ".deal-score").contains("Stage 25%"));
    let (_, doc) = admin.get_html("/leads/scoring").await;
    assert!(texts(&doc, "table.scoring-features").is_empty());
    assert_eq!(
        text_of(&doc, ".scoring-have"),
        "Closed deals now: 3 won, 1 lost."
    );
    assert_eq!(
        text_of(&doc, ".scoring-needs"),
        "26 more closed deals needed, including at least 5 more won and 7 more lost."
    );
}

#[tokio::test]
async fn retraining_is_for_managers_and_needs_the_csrf_token() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "rep@test.example", "sales", None)
        .await;
    app.create_user(&mut admin, "boss@test.example", "manager", None)
        .await;
    let queued = || -> i64 {
        jobs::table
            .filter(jobs::kind.eq("score_leads"))
            .count()
            .get_result(&mut app.conn())
            .expect("jobs")
    };

    let mut rep = app.login("rep@test.example").await;
    let (status, doc) = rep.get_html("/leads/scoring").await;
    assert_eq!(status, StatusCode::OK);
    assert!(texts(&doc, "form[action='/leads/scoring/retrain']").is_empty());
    let res = rep.post("/leads/scoring/retrain", &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(queued(), 0);

    let mut boss = app.login("boss@test.example").await;
    let (_, doc) = boss.get_html("/leads/scoring").await;
    assert_eq!(
        texts(&doc, "form[action='/leads/scoring/retrain']").len(),
        1
    );
    // Without the token, and with a wrong one: refused, nothing queued.
    let res = boss
        .post_raw(
            "/leads/scoring/retrain",
            "application/x-www-form-urlencoded",
            Vec::new(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = boss
        .post_raw(
            "/leads/scoring/retrain",
            "application/x-www-form-urlencoded",
            b"_csrf=not-the-token".to_vec(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(queued(), 0);
    let res = boss.post("/leads/scoring/retrain", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(queued(), 1);
}

#[tokio::test]
async fn a_rep_sees_the_scores_of_their_own_deals_only() {
    let (app, _admin, ann, bob, lead) = two_reps().await;
    let anns = insert_deal(&app, "Ann's deal", ann, lead, 100, None);
    let bobs = insert_deal(&app, "Bob's deal", bob, lead, 100, None);
    for (id, s) in [(anns, 83), (bobs, 12)] {
        diesel::update(deals::table.find(id))
            .set((deals::score.eq(Some(s)), deals::scored_at.eq(Some(now()))))
            .execute(&mut app.conn())
            .expect("score");
    }
    let bob_c = app.login("bob@test.example").await;
    let (_, board) = bob_c.get_html("/leads").await;
    assert_eq!(
        badge(&board, bobs),
        Some(("badge badge-score-low".into(), "Score 12".into()))
    );
    assert_eq!(badge(&board, anns), None);
    assert!(!board.root_element().html().contains("Score 83"));
    assert_eq!(
        bob_c.get(&format!("/leads/{anns}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let (_, col) = bob_c.get_html(&format!("/leads/stages/{lead}")).await;
    assert_eq!(badge(&col, anns), None);
    assert_eq!(
        badge(&col, bobs),
        Some(("badge badge-score-low".into(), "Score 12".into()))
    );
}
