use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn login_and_logout() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "sam@test.example", "sales", None)
        .await;

    let mut sam = app.client();
    let res = sam
        .post(
            "/login",
            &[("email", "SAM@test.example "), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "email is case-insensitive"
    );
    assert_eq!(location(&res), "/contacts");
    assert_eq!(sam.get("/contacts").await.status(), StatusCode::OK);

    sam.refresh_csrf("/account").await;
    let res = sam.post("/logout", &[]).await;
    assert_eq!(location(&res), "/login");
    let res = sam.get("/contacts").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login?next=%2Fcontacts");
}

#[tokio::test]
async fn wrong_password_and_unknown_account_look_the_same() {
    let app = spawn().await;
    let _admin = app.setup_admin().await;
    let mut c = app.client();
    let a = c
        .post(
            "/login",
            &[("email", ADMIN_EMAIL), ("password", "wrong-password-1")],
        )
        .await;
    let b = c
        .post(
            "/login",
            &[
                ("email", "nobody@test.example"),
                ("password", "wrong-password-1"),
            ],
        )
        .await;
    assert_eq!(a.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(b.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        texts(&html(a).await, "#login-error"),
        texts(&html(b).await, "#login-error")
    );
}

#[tokio::test]
async fn login_redirects_back_to_a_local_page_only() {
    let app = spawn().await;
    let _admin = app.setup_admin().await;
    let mut c = app.client();
    let res = c
        .post(
            "/login",
            &[
                ("email", ADMIN_EMAIL),
                ("password", PASSWORD),
                ("next", "/admin/users"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/admin/users");
    let mut c = app.client();
    let res = c
        .post(
            "/login",
            &[
                ("email", ADMIN_EMAIL),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/contacts");
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_client_without_locking_out_the_user() {
    let app = spawn().await;
    let _admin = app.setup_admin().await;
    let mut attacker = app.client();
    for _ in 0..5 {
        let res = attacker
            .post(
                "/login",
                &[("email", ADMIN_EMAIL), ("password", "guess-guess-1")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = attacker
        .post("/login", &[("email", ADMIN_EMAIL), ("password", PASSWORD)])
        .await;
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .expect("header")
        .parse()
        .expect("seconds");
    assert!(retry > 0 && retry <= 15 * 60);

    // The real user, from another address, still gets in.
    let mut real = app.client_from("127.0.0.2");
    let res = real
        .post("/login", &[("email", ADMIN_EMAIL), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn deactivation_ends_the_users_sessions_on_their_next_request() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app
        .create_user(&mut admin, "sue@test.example", "support", None)
        .await;
    let sue = app.login("sue@test.example").await;
    assert_eq!(sue.get("/contacts").await.status(), StatusCode::OK);

    let res = admin
        .post(
            &format!("/admin/users/{id}"),
            &[
                ("name", "Sue"),
                ("email", "sue@test.example"),
                ("role", "support"),
                ("team_id", ""),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "saved without the active box = deactivated"
    );
    let res = sue.get("/contacts").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"));
    let mut again = app.client();
    let res = again
        .post(
            "/login",
            &[("email", "sue@test.example"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "a deactivated user cannot sign in"
    );
}

#[tokio::test]
async fn role_change_password_change_and_logout_everywhere_end_other_sessions() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app
        .create_user(&mut admin, "max@test.example", "sales", None)
        .await;

    // Role change by an admin.
    let max = app.login("max@test.example").await;
    admin
        .post(
            &format!("/admin/users/{id}"),
            &[
                ("name", "Max"),
                ("email", "max@test.example"),
                ("role", "manager"),
                ("team_id", ""),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(max.get("/contacts").await.status(), StatusCode::SEE_OTHER);

    // Own password change: this session stays, the other one ends.
    let mut here = app.login("max@test.example").await;
    let there = app.login("max@test.example").await;
    let new_password = "another-Secret-77";
    let res = here
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new_password),
                ("new_password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(here.get("/contacts").await.status(), StatusCode::OK);
    assert_eq!(there.get("/contacts").await.status(), StatusCode::SEE_OTHER);

    // Log out everywhere else.
    let mut c2 = app.client();
    let res = c2
        .post(
            "/login",
            &[("email", "max@test.example"), ("password", new_password)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    here.refresh_csrf("/account").await;
    let res = here.post("/account/sessions/revoke", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(here.get("/contacts").await.status(), StatusCode::OK);
    assert_eq!(c2.get("/contacts").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn idle_sessions_expire_on_the_server() {
    let app = spawn_with(|c| c.session_idle = Duration::from_secs(2)).await;
    let admin = app.setup_admin().await;
    assert_eq!(admin.get("/contacts").await.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(3_200)).await;
    let res = admin.get("/contacts").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/login"));
}

#[tokio::test]
async fn session_cookie_is_httponly_samesite_lax_and_secure_behind_https() {
    let app = spawn().await;
    let res = app.client().get("/login").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app.client().get("/setup").await;
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_lowercase();
    assert!(
        cookie.contains("httponly") && cookie.contains("samesite=lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("secure"),
        "plain http base URL: no Secure flag"
    );

    let app = spawn_with(|c| c.base_url = "https://crm.example.com".into()).await;
    let res = app.client().get("/setup").await;
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_lowercase();
    assert!(cookie.contains("secure"), "{cookie}");
}

#[tokio::test]
async fn session_is_renewed_at_login() {
    let app = spawn().await;
    let _admin = app.setup_admin().await;
    let mut c = app.client();
    c.refresh_csrf("/login").await;
    let before = c.csrf.clone();
    let res = c
        .post("/login", &[("email", ADMIN_EMAIL), ("password", PASSWORD)])
        .await;
    assert!(
        res.headers().get("set-cookie").is_some(),
        "a new session cookie at login"
    );
    c.refresh_csrf("/account").await;
    assert_ne!(before, c.csrf, "the CSRF token changes at login");
}

/// Two instances on one database (behind a load balancer) count the same
/// failures: the throttle lives in the database (`login_failures`), so three
/// failures on one instance and two on the other block the next attempt on
/// either (docs/scale-out.md).
#[tokio::test]
async fn login_throttling_is_shared_by_instances_on_one_database() {
    let app = spawn().await;
    let _admin = app.setup_admin().await;
    let other =
        rapport::startup::Application::build(test_config(&app.db)).expect("second instance");
    let other_base = format!("http://127.0.0.1:{}", other.port());
    tokio::spawn(other.run_until_stopped());
    let mut on_a = app.client();
    let mut on_b = Client::new(&other_base, None);
    for attempt in 0..rapport::auth::throttle::MAX_FAILURES {
        let c = if attempt % 2 == 0 {
            &mut on_a
        } else {
            &mut on_b
        };
        let res = c
            .post(
                "/login",
                &[("email", ADMIN_EMAIL), ("password", "guess-guess-1")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    for c in [&mut on_a, &mut on_b] {
        let res = c
            .post("/login", &[("email", ADMIN_EMAIL), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    }
    let counted: i32 = {
        use diesel::prelude::*;
        use rapport::db::schema::login_failures;
        login_failures::table
            .select(login_failures::failures)
            .first(&mut app.conn())
            .expect("one counter row")
    };
    assert_eq!(counted, rapport::auth::throttle::MAX_FAILURES as i32);
}
