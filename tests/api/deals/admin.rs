//! The admin's pipeline, stage and lost-reason forms: errors beside the
//! fields (422, values kept), audit entries, and the board following them.

use super::*;
use rapport::db::schema::audit_log;

fn audit_count(app: &TestApp, entity: &str) -> i64 {
    audit_log::table
        .filter(audit_log::entity.eq(entity))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

#[tokio::test]
async fn stage_forms_validate_beside_the_fields_and_changes_are_audited() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let (status, doc) = admin.get_html("/admin/pipelines/1").await;
    assert_eq!(status, StatusCode::OK);
    // Stored under catalogue keys, shown in the viewer's language.
    assert!(texts(&doc, "h1")[0].contains("New business"));
    let lead = stage_id(&app, "pipeline-default-stage-lead");

    let bad = [
        ("name", ""),
        ("position", "x"),
        ("probability", "140"),
        ("rot_after_days", "0"),
        ("outcome", "maybe"),
    ];
    let res = admin.post(&format!("/admin/stages/{lead}"), &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    for f in ["name", "position", "probability", "rot", "outcome"] {
        assert!(
            !texts(&doc, &format!("#stage-{lead}-{f}-error")).is_empty(),
            "error beside {f}"
        );
    }
    let kept = Selector::parse(&format!("#stage-{lead}-probability")).expect("sel");
    assert_eq!(
        doc.select(&kept)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("140")
    );

    // Renaming and re-weighting works; the unchanged name keeps its key.
    let res = admin
        .post(
            &format!("/admin/stages/{lead}"),
            &[
                ("name", "Lead"),
                ("position", "1"),
                ("probability", "15"),
                ("rot_after_days", ""),
                ("outcome", "open"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let row = stages(&app)
        .into_iter()
        .find(|s| s.0 == lead)
        .expect("stage");
    assert_eq!((row.1.as_str(), row.2), ("pipeline-default-stage-lead", 15));
    assert_eq!(audit_count(&app, "stage"), 1);

    // A stage holding deals keeps its outcome.
    insert_deal(&app, "Held", app.user_id(ADMIN_EMAIL), lead, 1, None);
    let res = admin
        .post(
            &format!("/admin/stages/{lead}"),
            &[
                ("name", "Lead"),
                ("position", "1"),
                ("probability", "15"),
                ("outcome", "won"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!texts(&html(res).await, &format!("#stage-{lead}-outcome-error")).is_empty());

    // A new pipeline gets a first stage and its own board.
    let res = admin
        .post(
            "/admin/pipelines",
            &[("name", "Renewals"), ("position", "2")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = location(&res);
    let pid: i64 = page
        .trim_start_matches("/admin/pipelines/")
        .parse()
        .expect("id");
    let res = admin
        .post(
            "/admin/pipelines",
            &[("name", "Renewals"), ("position", "3")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!texts(&html(res).await, "#pipeline-new-name-error").is_empty());
    let res = admin
        .post(
            &format!("/admin/pipelines/{pid}/stages"),
            &[
                ("name", "Up for renewal"),
                ("position", "2"),
                ("probability", "60"),
                ("outcome", "open"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, board) = admin.get_html(&format!("/leads?pipeline={pid}")).await;
    assert_eq!(texts(&board, "h1"), vec!["Renewals"]);
    assert_eq!(texts(&board, "section.board-column").len(), 2);
    assert_eq!(audit_count(&app, "pipeline"), 1);

    // Lost reasons: add one, retire another (no longer offered nor accepted).
    let res = admin
        .post(
            "/admin/lost-reasons",
            &[("name", "Budget cut"), ("position", "6")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin.post("/admin/lost-reasons", &[("name", " ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = admin
        .post(
            "/admin/lost-reasons/1",
            &[("name", "Price"), ("position", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let deal = insert_deal(&app, "Priced out", app.user_id(ADMIN_EMAIL), lead, 1, None);
    let lost = stage_id(&app, "pipeline-default-stage-lost").to_string();
    let res = admin
        .post(
            &format!("/leads/{deal}/move"),
            &[
                ("stage_id", lost.as_str()),
                ("version", "1"),
                ("lost_reason_id", "1"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an inactive reason"
    );
    let (_, page) = admin.get_html(&format!("/leads/{deal}")).await;
    let options = texts(&page, "#lost-reason option");
    assert!(options.contains(&"Budget cut".to_string()));
    assert!(!options.contains(&"Price".to_string()));
    assert_eq!(audit_count(&app, "lost_reason"), 2);
}
