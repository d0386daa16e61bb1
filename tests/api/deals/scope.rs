//! Record scope on every deal read and write: a rep sees and moves only
//! their own deals (own scope); others' are "not found", on the board, the
//! column pages, the list, the deal page and the move.

use super::*;

#[tokio::test]
async fn a_rep_cannot_see_or_move_another_reps_deal() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let team = app.create_team(&mut admin, "Sales").await;
    let ann = app
        .create_user(&mut admin, "ann@test.example", "sales", Some(team))
        .await;
    let bob = app
        .create_user(&mut admin, "bob@test.example", "sales", Some(team))
        .await;
    let mut bob_c = app.login("bob@test.example").await;
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let qualified = stage_id(&app, "pipeline-default-stage-qualified");
    let anns = insert_deal(&app, "Ann's deal", ann, lead, 70_000, None);
    let bobs = insert_deal(&app, "Bob's deal", bob, lead, 100, None);

    let (_, doc) = bob_c.get_html("/leads").await;
    assert_eq!(texts(&doc, "li.deal-card .deal-title"), vec!["Bob's deal"]);
    let head = format!(r#"section.board-column[data-stage-id="{lead}"]"#);
    assert_eq!(text_of(&doc, &format!("{head} .count")), "1");
    assert_eq!(text_of(&doc, &format!("{head} .total")), "$1.00");
    let (_, col) = bob_c.get_html(&format!("/leads/stages/{lead}")).await;
    assert_eq!(texts(&col, "li.deal-card .deal-title"), vec!["Bob's deal"]);
    let (_, list) = bob_c.get_html("/leads/list").await;
    assert_eq!(texts(&list, "table.deals-table tbody tr").len(), 1);

    for path in [format!("/leads/{anns}"), format!("/leads/{anns}/edit")] {
        assert_eq!(
            bob_c.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let q = qualified.to_string();
    let res = bob_c
        .post(
            &format!("/leads/{anns}/move"),
            &[("stage_id", q.as_str()), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = bob_c
        .post(
            &format!("/leads/{anns}"),
            &[("title", "Mine now"), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = bob_c
        .post(
            &format!("/leads/{anns}/activities"),
            &[("kind", "note"), ("body", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(deal_state(&app, anns), (lead, "open".into(), 1));
    // Nor link a task to it.
    let anns_s = anns.to_string();
    let res = bob_c
        .post(
            "/tasks",
            &[
                ("title", "Steal"),
                ("due_on", "2030-01-01"),
                ("deal_id", anns_s.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bob_c.get(&format!("/tasks/new?deal={anns}")).await.status(),
        StatusCode::NOT_FOUND
    );

    // Bob's own deal moves; the manager (team scope) sees both.
    let res = bob_c
        .post(
            &format!("/leads/{bobs}/move"),
            &[("stage_id", q.as_str()), ("version", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.create_user(&mut admin, "max@test.example", "manager", Some(team))
        .await;
    let max = app.login("max@test.example").await;
    let (_, doc) = max.get_html("/leads").await;
    assert_eq!(texts(&doc, "li.deal-card").len(), 2);
    let (_, doc) = max.get_html(&format!("/leads?owner={ann}")).await;
    assert_eq!(texts(&doc, "li.deal-card .deal-title"), vec!["Ann's deal"]);
}
