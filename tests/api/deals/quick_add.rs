//! Quick-add in a board column: the deal lands in that column's stage,
//! owned by the user, in the workspace's currency by default; the board
//! comes back with the card and the new totals (htmx) or by a redirect
//! that keeps the filters (no JS); a refused form is shown again in its
//! column with the errors beside the fields (422) and nothing written.

use super::*;

fn deals_titled(app: &TestApp, title: &str) -> Vec<(i64, i64, i64, String, i64)> {
    deals::table
        .filter(deals::title.eq(title))
        .select((
            deals::stage_id,
            deals::owner_id,
            deals::value_minor,
            deals::currency,
            deals::pipeline_id,
        ))
        .load(&mut app.conn())
        .expect("deals")
}

#[tokio::test]
async fn a_quick_add_lands_in_its_column_and_the_totals_follow() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let qualified = stage_id(&app, "pipeline-default-stage-qualified");
    insert_deal(&app, "Already here", me, qualified, 10_000, None);
    let col = format!(r#"section.board-column[data-stage-id="{qualified}"]"#);

    // Every open column has the form, with the workspace's currency chosen.
    let (_, doc) = admin.get_html("/leads?pipeline=1&source=other").await;
    let forms = texts(&doc, "form.quick-add button");
    assert_eq!(forms.len(), 4, "one per open stage");
    let chosen =
        Selector::parse(&format!("#quick-{qualified}-currency option[selected]")).expect("css");
    assert_eq!(
        doc.select(&chosen)
            .next()
            .and_then(|o| o.value().attr("value")),
        Some("USD")
    );

    // Without JavaScript: 303 back to the board with its filters.
    let back = "/leads?pipeline=1&q=Gizmo";
    let res = admin
        .post(
            &format!("/leads/stages/{qualified}/deals"),
            &[
                ("title", "Gizmo order"),
                ("value", "1,250.50"),
                ("currency", "USD"),
                ("back", back),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), back);
    assert_eq!(
        deals_titled(&app, "Gizmo order"),
        vec![(qualified, me, 125_050, "USD".into(), 1)]
    );
    let (_, doc) = admin.get_html(back).await;
    assert_eq!(
        texts(&doc, &format!("{col} li.deal-card .deal-title")),
        vec!["Gizmo order"]
    );

    // With htmx: the fresh board at once, the card in its column and the
    // header's count and total changed.
    let res = admin
        .post_htmx(
            &format!("/leads/stages/{qualified}/deals"),
            &[
                ("title", "Widget"),
                ("value", "0.50"),
                ("currency", "USD"),
                ("back", "/leads?pipeline=1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    // The board alone (no page around it), as the form's hx-target wants.
    assert_eq!(texts(&doc, "div#board").len(), 1);
    assert!(texts(&doc, "form.board-filters").is_empty());
    assert_eq!(text_of(&doc, &format!("{col} .count")), "3");
    assert_eq!(text_of(&doc, &format!("{col} .total")), "$1,351.00");
    assert!(
        texts(&doc, &format!("{col} li.deal-card .deal-title")).contains(&"Widget".to_string())
    );
    // Owned by the user, in the column's pipeline: a stage change recorded.
    let widget = deals_titled(&app, "Widget");
    assert_eq!(widget, vec![(qualified, me, 50, "USD".into(), 1)]);
}

#[tokio::test]
async fn a_refused_quick_add_comes_back_in_its_column_and_writes_nothing() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let won = stage_id(&app, "pipeline-default-stage-won");
    let bad = [
        ("title", ""),
        ("value", "12.345"),
        ("currency", "USD"),
        ("back", "/leads?pipeline=1"),
    ];
    for htmx in [false, true] {
        let path = format!("/leads/stages/{lead}/deals");
        let res = if htmx {
            admin.post_htmx(&path, &bad).await
        } else {
            admin.post(&path, &bad).await
        };
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "htmx {htmx}"
        );
        let doc = html(res).await;
        for f in ["title", "value"] {
            assert!(
                !texts(&doc, &format!("#quick-{lead}-{f}-error")).is_empty(),
                "error beside {f} (htmx {htmx})"
            );
        }
        let kept = Selector::parse(&format!("#quick-{lead}-value")).expect("css");
        assert_eq!(
            doc.select(&kept)
                .next()
                .and_then(|e| e.value().attr("value")),
            Some("12.345")
        );
    }
    // A currency that is none, too.
    let res = admin
        .post(
            &format!("/leads/stages/{lead}/deals"),
            &[("title", "Odd"), ("value", "1"), ("currency", "XXQ")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let count: i64 = deals::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(count, 0);
    // Only open columns take new deals; an unknown stage is not found.
    let ok = [("title", "Closed?"), ("value", "1"), ("currency", "USD")];
    let res = admin.post(&format!("/leads/stages/{won}/deals"), &ok).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = admin.post("/leads/stages/99999/deals", &ok).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_quick_add_returns_only_to_pipeline_pages() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let res = admin
        .post(
            &format!("/leads/stages/{lead}/deals"),
            &[
                ("title", "Elsewhere"),
                ("value", "1"),
                ("currency", "EUR"),
                ("back", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/leads");
    assert_eq!(deals_titled(&app, "Elsewhere")[0].3, "EUR");
}

#[tokio::test]
async fn a_quick_add_may_name_who_the_deal_is_with() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let contact = app
        .create_contact(&mut admin, "Grace", "Hopper", "grace@navy.example")
        .await;
    let res = admin.post("/accounts", &[("name", "Navy Labs")]).await;
    let account: i64 = location(&res)
        .trim_start_matches("/accounts/")
        .parse()
        .expect("account id");
    let path = format!("/leads/stages/{lead}/deals");
    for (title, party) in [
        ("With Grace", "grace@navy.example"),
        ("With Navy", "Navy Labs"),
    ] {
        let res = admin
            .post(
                &path,
                &[
                    ("title", title),
                    ("value", "1"),
                    ("currency", "USD"),
                    ("party", party),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{party}");
    }
    let parties: Vec<(String, Option<i64>, Option<i64>)> = deals::table
        .order(deals::id.asc())
        .select((deals::title, deals::contact_id, deals::account_id))
        .load(&mut app.conn())
        .expect("deals");
    assert_eq!(
        parties,
        vec![
            ("With Grace".into(), Some(contact), None),
            ("With Navy".into(), None, Some(account)),
        ]
    );
    // Someone unknown: the error beside the field, nothing written.
    let res = admin
        .post(
            &path,
            &[
                ("title", "Ghost"),
                ("value", "1"),
                ("currency", "USD"),
                ("party", "Nobody Ltd"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(!texts(&doc, &format!("#quick-{lead}-party-error")).is_empty());
    let count: i64 = deals::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(count, 2);
}
