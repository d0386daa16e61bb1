//! Validation (422 beside the fields, values kept; the duplicate-name
//! warning) and record scope (out-of-scope ids are 404, owners assigned
//! only within reach).

use super::*;

#[tokio::test]
async fn form_errors_come_back_as_422_beside_the_fields_with_the_values_kept() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app.create_account(&mut admin, "Kept Ltd", &[]).await;
    let long_city = "C".repeat(101);
    let form = [
        ("name", "  "),
        ("domain", "http://kept.example"),
        ("size", "huge"),
        ("phone", "call me maybe"),
        ("city", long_city.as_str()),
        ("industry", "Fine"),
    ];
    for path in ["/accounts".to_string(), format!("/accounts/{id}")] {
        for htmx in [false, true] {
            let res = if htmx {
                admin.post_htmx(&path, &form).await
            } else {
                admin.post(&path, &form).await
            };
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "POST {path}"
            );
            let doc = html(res).await;
            let msg = |f: &str| {
                error_beside(&doc, f).unwrap_or_else(|| panic!("POST {path}: no error by #{f}"))
            };
            assert!(msg("name").contains("name"));
            assert!(msg("domain").contains("http://"));
            assert!(msg("size").contains("list"));
            assert!(msg("phone").contains("digits"));
            assert!(msg("city").contains("100"));
            assert!(error_beside(&doc, "industry").is_none());
            assert_eq!(texts(&doc, "p.field-error").len(), 5, "one per field");
            assert_eq!(
                value_of(&doc, "#domain").as_deref(),
                Some("http://kept.example")
            );
            assert_eq!(value_of(&doc, "#phone").as_deref(), Some("call me maybe"));
            assert_eq!(value_of(&doc, "#city").as_deref(), Some(long_city.as_str()));
            assert_eq!(value_of(&doc, "#industry").as_deref(), Some("Fine"));
            assert!(csrf_in(&doc).is_some());
        }
    }
    for bad in ["exa mple.com", "example", "example.com/x", "-x.example"] {
        let res = admin
            .post("/accounts", &[("name", "Bad Domain"), ("domain", bad)])
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let doc = html(res).await;
        assert!(error_beside(&doc, "domain").is_some(), "{bad}");
    }
    let n: i64 = accounts::table
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(n, 1, "nothing saved by invalid forms");
    assert_eq!(
        texts(&admin.get_html(&format!("/accounts/{id}")).await.1, "h1"),
        vec!["Kept Ltd"]
    );

    // Editing an account does not warn about itself.
    let res = admin
        .post(&format!("/accounts/{id}"), &[("name", "Kept Ltd")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A second account of the same name: warned, then saved when ticked.
    let res = admin.post("/accounts", &[("name", "kept ltd")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(
        error_beside(&doc, "name")
            .expect("warning")
            .contains("already")
    );
    let sel = Selector::parse(format!("a[href='/accounts/{id}']").as_str()).expect("selector");
    assert_eq!(doc.select(&sel).count(), 1, "links to the existing one");
    let res = admin
        .post(
            "/accounts",
            &[("name", "kept ltd"), ("allow_duplicate", "1")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Keeping a known duplicate name needs no warning; renaming onto one does.
    let res = admin
        .post(
            &format!("/accounts/{id}"),
            &[("name", "Kept Ltd"), ("city", "Leeds")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let other = app.create_account(&mut admin, "Other Ltd", &[]).await;
    let res = admin
        .post(&format!("/accounts/{other}"), &[("name", "KEPT LTD")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// North: a manager and two reps; South: one rep. Each rep owns one account.
struct World {
    app: TestApp,
    admin: Client,
    north_a: i64,
    north_b: i64,
    south: i64,
    south_user: i64,
}

async fn world() -> World {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let north = app.create_team(&mut admin, "North").await;
    let south_team = app.create_team(&mut admin, "South").await;
    app.create_user(&mut admin, "mgr@test.example", "manager", Some(north))
        .await;
    app.create_user(&mut admin, "na@test.example", "sales", Some(north))
        .await;
    app.create_user(&mut admin, "nb@test.example", "sales", Some(north))
        .await;
    let south_user = app
        .create_user(&mut admin, "s@test.example", "sales", Some(south_team))
        .await;
    let mut c = app.login("na@test.example").await;
    let north_a = app.create_account(&mut c, "Alpha North", &[]).await;
    let mut c = app.login("nb@test.example").await;
    let north_b = app.create_account(&mut c, "Bravo North", &[]).await;
    let mut c = app.login("s@test.example").await;
    let south = app.create_account(&mut c, "Charlie South", &[]).await;
    World {
        app,
        admin,
        north_a,
        north_b,
        south,
        south_user,
    }
}

#[tokio::test]
async fn record_scope_hides_other_reps_accounts_behind_404() {
    let mut w = world().await;
    let mut rep = w.app.login("na@test.example").await;
    assert_eq!(listed(&rep, "").await, vec!["Alpha North"], "own only");
    assert!(
        listed(&rep, "?q=Bravo").await.is_empty(),
        "search stays in scope"
    );
    let body = rep
        .get_htmx("/accounts?q=North")
        .await
        .text()
        .await
        .expect("body");
    assert!(body.contains("Alpha North") && !body.contains("Bravo North"));

    for id in [w.north_b, w.south] {
        for path in [format!("/accounts/{id}"), format!("/accounts/{id}/edit")] {
            assert_eq!(
                rep.get(&path).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let res = rep
            .post(&format!("/accounts/{id}"), &[("name", "Hacked")])
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let res = rep
            .post_htmx(&format!("/accounts/{id}/activities"), &[("body", "sneaky")])
            .await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        // Reps may not delete accounts at all.
        let res = rep.post(&format!("/accounts/{id}/delete"), &[]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    // A rep cannot hand an account to someone else by posting an owner.
    let res = rep
        .post(
            &format!("/accounts/{}", w.north_a),
            &[
                ("name", "Alpha North"),
                ("owner_id", &w.south_user.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        listed(&rep, "").await,
        vec!["Alpha North"],
        "still the rep's"
    );
    let doc = html(rep.get("/accounts/new").await).await;
    assert!(
        texts(&doc, "select#owner_id").is_empty(),
        "no owner field for reps"
    );

    // The manager sees the team's accounts, not the other team's.
    let mut mgr = w.app.login("mgr@test.example").await;
    let mut seen = listed(&mgr, "").await;
    seen.sort();
    assert_eq!(seen, vec!["Alpha North", "Bravo North"]);
    assert_eq!(
        mgr.get(&format!("/accounts/{}", w.north_b)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        mgr.get(&format!("/accounts/{}", w.south)).await.status(),
        StatusCode::NOT_FOUND
    );
    let res = mgr
        .post(&format!("/accounts/{}/delete", w.south), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // ... and may assign within the team only.
    let res = mgr
        .post(
            &format!("/accounts/{}", w.north_a),
            &[
                ("name", "Alpha North"),
                ("owner_id", &w.south_user.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error_beside(&html(res).await, "owner_id").is_some());
    let nb = w.app.user_id("nb@test.example");
    let res = mgr
        .post(
            &format!("/accounts/{}", w.north_a),
            &[("name", "Alpha North"), ("owner_id", &nb.to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(listed(&rep, "").await.is_empty(), "handed to rep B");
    assert_eq!(
        rep.get(&format!("/accounts/{}", w.north_a)).await.status(),
        StatusCode::NOT_FOUND
    );

    // With scope "own", a manager cannot delete a rep's account either.
    let res = w
        .admin
        .post(
            "/admin/roles",
            &[
                ("scope_manager", "own"),
                ("scope_sales", "own"),
                ("scope_support", "own"),
                ("scope_marketing", "all"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = mgr
        .post(&format!("/accounts/{}/delete", w.north_b), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Nothing out of scope changed.
    let (status, doc) = w.admin.get_html(&format!("/accounts/{}", w.north_b)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["Bravo North"]);
    assert!(texts(&doc, "#timeline li.activity").is_empty());
    let (status, doc) = w.admin.get_html(&format!("/accounts/{}", w.south)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["Charlie South"]);
}
