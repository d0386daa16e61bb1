//! Deleting stages and pipelines: a stage holding deals goes only with a
//! stage of the same outcome to move them to (one transaction, a stage
//! change per deal); a pipeline keeps an open, a won and a lost stage; a
//! pipeline holding deals, or the default one, is refused with a message;
//! every deletion is audited.

use super::*;
use rapport::db::schema::{audit_log, deal_stage_changes};

fn deletions(app: &TestApp, entity: &str) -> i64 {
    audit_log::table
        .filter(audit_log::entity.eq(entity))
        .filter(audit_log::action.eq("delete"))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

#[tokio::test]
async fn a_stage_with_deals_is_deleted_only_by_moving_them() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let qualified = stage_id(&app, "pipeline-default-stage-qualified");
    let won = stage_id(&app, "pipeline-default-stage-won");
    let a = insert_deal(&app, "First", me, qualified, 100, None);
    let b = insert_deal(&app, "Second", me, qualified, 200, None);

    // No stage chosen, or one with another outcome: refused beside the field.
    let w = won.to_string();
    for move_to in ["", w.as_str(), "99999"] {
        let res = admin
            .post(
                &format!("/admin/stages/{qualified}/delete"),
                &[("move_to", move_to)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{move_to}");
        let doc = html(res).await;
        assert!(
            !texts(&doc, &format!("#stage-{qualified}-move-to-error")).is_empty(),
            "{move_to}"
        );
    }
    assert_eq!(deal_state(&app, a), (qualified, "open".into(), 1));

    let l = lead.to_string();
    let res = admin
        .post(
            &format!("/admin/stages/{qualified}/delete"),
            &[("move_to", l.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/pipelines/1");
    for deal in [a, b] {
        assert_eq!(deal_state(&app, deal), (lead, "open".into(), 2));
        let last: (Option<i64>, i64) = deal_stage_changes::table
            .filter(deal_stage_changes::deal_id.eq(deal))
            .order(deal_stage_changes::id.desc())
            .select((
                deal_stage_changes::from_stage_id,
                deal_stage_changes::to_stage_id,
            ))
            .first(&mut app.conn())
            .expect("change");
        assert_eq!(last, (Some(qualified), lead));
    }
    assert_eq!(deletions(&app, "stage"), 1);
    // Gone from the board and the admin page; the deals' history keeps it.
    let (_, doc) = admin.get_html("/leads?pipeline=1").await;
    assert!(texts(&doc, &format!(r#"section[data-stage-id="{qualified}"]"#)).is_empty());
    let head = format!(r#"section.board-column[data-stage-id="{lead}"]"#);
    assert_eq!(text_of(&doc, &format!("{head} .count")), "2");
    let (_, doc) = admin.get_html("/admin/pipelines/1").await;
    assert!(texts(&doc, &format!("#stage-{qualified}-name")).is_empty());
    let (status, page) = admin.get_html(&format!("/leads/{a}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&page, ".stage-history li strong"),
        vec!["Lead", "Qualified"],
        "the move out of the deleted stage, newest first, names it"
    );
    // Deleting it again: not found.
    let res = admin
        .post(
            &format!("/admin/stages/{qualified}/delete"),
            &[("move_to", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Nor can a deal move into it any more.
    let q = qualified.to_string();
    let res = admin
        .post(
            &format!("/leads/{a}/move"),
            &[("stage_id", q.as_str()), ("version", "2")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn an_empty_stage_goes_but_a_pipeline_keeps_open_won_and_lost_stages() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let won = stage_id(&app, "pipeline-default-stage-won");
    let lost = stage_id(&app, "pipeline-default-stage-lost");
    let proposal = stage_id(&app, "pipeline-default-stage-proposal");
    for stage in [won, lost] {
        let res = admin
            .post(&format!("/admin/stages/{stage}/delete"), &[("move_to", "")])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let doc = html(res).await;
        assert_eq!(
            text_of(&doc, &format!("#stage-{stage}-move-to-error")),
            "A pipeline keeps at least one won and one lost stage."
        );
    }
    // An empty open stage needs no target.
    let res = admin
        .post(
            &format!("/admin/stages/{proposal}/delete"),
            &[("move_to", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A new pipeline's only open stage stays.
    let res = admin
        .post(
            "/admin/pipelines",
            &[("name", "Renewals"), ("position", "2")],
        )
        .await;
    let pid: i64 = location(&res)
        .trim_start_matches("/admin/pipelines/")
        .parse()
        .expect("id");
    let (_, doc) = admin.get_html(&format!("/admin/pipelines/{pid}")).await;
    let first: i64 = {
        let css = Selector::parse("form.stage-delete").expect("css");
        let action = doc
            .select(&css)
            .next()
            .and_then(|f| f.value().attr("action"))
            .expect("delete form")
            .to_string();
        action
            .trim_start_matches("/admin/stages/")
            .trim_end_matches("/delete")
            .parse()
            .expect("stage id")
    };
    let res = admin
        .post(&format!("/admin/stages/{first}/delete"), &[("move_to", "")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(deletions(&app, "stage"), 1);
}

#[tokio::test]
async fn a_pipeline_with_deals_or_the_default_is_not_deleted() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let res = admin.post("/admin/pipelines/1/delete", &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!texts(&html(res).await, "#pipeline-1-delete-error").is_empty());

    let res = admin
        .post(
            "/admin/pipelines",
            &[("name", "Renewals"), ("position", "2")],
        )
        .await;
    let pid: i64 = location(&res)
        .trim_start_matches("/admin/pipelines/")
        .parse()
        .expect("id");
    let stage: i64 = rapport::db::schema::pipeline_stages::table
        .filter(rapport::db::schema::pipeline_stages::pipeline_id.eq(pid))
        .select(rapport::db::schema::pipeline_stages::id)
        .first(&mut app.conn())
        .expect("stage");
    // A deal in it: refused with the message beside its row.
    let deal = insert_deal_in(&app, (pid, stage), "Renewal", me, 1, None);
    let res = admin
        .post(&format!("/admin/pipelines/{pid}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        text_of(&html(res).await, &format!("#pipeline-{pid}-delete-error")),
        "This pipeline holds deals. Move them to another pipeline or delete them first."
    );
    diesel::delete(deals::table.find(deal))
        .execute(&mut app.conn())
        .expect("delete the deal");
    let res = admin
        .post(&format!("/admin/pipelines/{pid}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(deletions(&app, "pipeline"), 1);
    let (_, doc) = admin.get_html("/admin/pipelines").await;
    assert!(texts(&doc, &format!("#pipeline-{pid}-name")).is_empty());
    assert_eq!(
        admin.get(&format!("/admin/pipelines/{pid}")).await.status(),
        StatusCode::NOT_FOUND
    );
    // Its name is free again.
    let res = admin
        .post(
            "/admin/pipelines",
            &[("name", "Renewals"), ("position", "2")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
