//! Administration: users, teams, role scopes and the audit log, through the forms.

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn users_are_created_edited_and_protected_from_mistakes() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let team = app.create_team(&mut admin, "Sales East").await;
    let id = app
        .create_user(&mut admin, "rep@test.example", "sales", Some(team))
        .await;
    let (_, doc) = admin.get_html("/admin/users").await;
    let rows = texts(&doc, "tbody tr").join("\n");
    assert!(
        rows.contains("rep@test.example") && rows.contains("Sales East") && rows.contains("Sales"),
        "{rows}"
    );

    // Duplicate email (case-insensitive), weak password, unknown role/team: 422 beside the fields.
    let res = admin
        .post(
            "/admin/users",
            &[
                ("name", "Dup"),
                ("email", "REP@test.example"),
                ("role", "root"),
                ("team_id", "9999"),
                ("password", "12345678"),
                ("password_confirm", "12345678"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    for field in ["role", "team_id", "password"] {
        assert_eq!(
            texts(&doc, &format!("#{field}-error")).len(),
            1,
            "{field} error"
        );
    }
    let res = admin
        .post(
            "/admin/users",
            &[
                ("name", "Dup"),
                ("email", "REP@test.example"),
                ("role", "sales"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        texts(&html(res).await, "#email-error"),
        vec!["Another user already has this email address."]
    );

    // The only admin can neither demote nor deactivate themselves.
    let me = app.user_id(ADMIN_EMAIL);
    let res = admin
        .post(
            &format!("/admin/users/{me}"),
            &[
                ("name", "Ada"),
                ("email", ADMIN_EMAIL),
                ("role", "sales"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&html(res).await, "#role-error")[0].contains("at least one active administrator")
    );
    let res = admin
        .post(
            &format!("/admin/users/{me}"),
            &[("name", "Ada"), ("email", ADMIN_EMAIL), ("role", "admin")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!texts(&html(res).await, "#active-error").is_empty());

    // Password reset: the new one works, the old one no longer does.
    let new_password = "reset-Secret-42";
    let res = admin
        .post(
            &format!("/admin/users/{id}/password"),
            &[
                ("password", new_password),
                ("password_confirm", "different-Secret-42"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = admin
        .post(
            &format!("/admin/users/{id}/password"),
            &[
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut c = app.client();
    assert_eq!(
        c.post(
            "/login",
            &[("email", "rep@test.example"), ("password", PASSWORD)]
        )
        .await
        .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.post(
            "/login",
            &[("email", "rep@test.example"), ("password", new_password)]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );

    // An admin can sign a user out everywhere.
    assert_eq!(c.get("/contacts").await.status(), StatusCode::OK);
    admin
        .post(&format!("/admin/users/{id}/sessions/revoke"), &[])
        .await;
    assert_eq!(c.get("/contacts").await.status(), StatusCode::SEE_OTHER);

    let (_, doc) = admin.get_html("/admin/audit").await;
    let log = texts(&doc, "tbody tr").join("\n");
    for needle in [
        "password_reset",
        "sessions_revoked",
        "rep@test.example",
        "setup",
    ] {
        assert!(log.contains(needle), "audit log mentions {needle}:\n{log}");
    }
}

#[tokio::test]
async fn teams_are_created_renamed_and_deleted() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let north = app.create_team(&mut admin, "North").await;
    let res = admin.post("/admin/teams", &[("name", "north")]).await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "names are unique, case-insensitively"
    );
    assert_eq!(
        texts(&html(res).await, "#team-error"),
        vec!["A team with this name exists already."]
    );
    let res = admin.post("/admin/teams", &[("name", "  ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let member = app
        .create_user(&mut admin, "m@test.example", "manager", Some(north))
        .await;
    let res = admin
        .post(&format!("/admin/teams/{north}"), &[("name", "Northwest")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html("/admin/teams").await;
    let sel = scraper::Selector::parse(&format!("#team-{north}")).expect("selector");
    assert_eq!(
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("Northwest")
    );
    assert!(
        texts(&doc, "tbody tr td:nth-child(2)").contains(&"1".to_string()),
        "one member"
    );

    let res = admin
        .post(&format!("/admin/teams/{north}/delete"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut c = app.conn();
    let user = rapport::staff::repo::get_user(&mut c, rapport::domain::UserId::new(member))
        .expect("query")
        .expect("user kept");
    assert_eq!(user.team_id, None, "members stay, without a team");
    assert_eq!(
        admin
            .post(&format!("/admin/teams/{north}/delete"), &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn role_scopes_show_and_save() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let (_, doc) = admin.get_html("/admin/roles").await;
    let sel = scraper::Selector::parse("#scope_sales option[selected]").expect("selector");
    assert_eq!(
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("own"),
        "sales default to their own records"
    );
    let res = admin
        .post(
            "/admin/roles",
            &[
                ("scope_manager", "all"),
                ("scope_sales", "team"),
                ("scope_support", "own"),
                ("scope_marketing", "team"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html("/admin/roles").await;
    assert_eq!(
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("team")
    );
    let (_, doc) = admin.get_html("/admin/audit").await;
    assert!(
        texts(&doc, "tbody tr")
            .join("\n")
            .contains("Sales record scope: own → team")
    );
}
