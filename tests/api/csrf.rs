//! CSRF on every state-changing route: a missing, wrong or other-session
//! token gets 403 and changes nothing; the right one goes through.

use diesel::dsl::count_star;
use diesel::prelude::*;
use reqwest::StatusCode;

use crate::helpers::*;
use rapport::db::schema::{activities, audit_log, contacts, roles, tasks, teams, users};
use rapport::staff::models::User;

/// A fingerprint of everything a POST could change.
fn snapshot(app: &TestApp) -> String {
    let mut c = app.conn();
    let users: Vec<User> = users::table
        .order(users::id)
        .select(User::as_select())
        .load(&mut c)
        .expect("users");
    let contacts: Vec<(i64, String, String, i64)> = contacts::table
        .order(contacts::id)
        .select((
            contacts::id,
            contacts::first_name,
            contacts::last_name,
            contacts::owner_id,
        ))
        .load(&mut c)
        .expect("contacts");
    let scopes: Vec<(String, String)> = roles::table
        .order(roles::name)
        .select((roles::name, roles::record_scope))
        .load(&mut c)
        .expect("roles");
    let teams: Vec<(i64, String)> = teams::table
        .order(teams::id)
        .select((teams::id, teams::name))
        .load(&mut c)
        .expect("teams");
    let notes: i64 = activities::table
        .select(count_star())
        .first(&mut c)
        .expect("activities");
    let audit: i64 = audit_log::table
        .select(count_star())
        .first(&mut c)
        .expect("audit");
    let tasks: Vec<(i64, String, bool)> = tasks::table
        .order(tasks::id)
        .select((tasks::id, tasks::title, tasks::done_at.is_not_null()))
        .load(&mut c)
        .expect("tasks");
    format!("{users:?}\n{contacts:?}\n{scopes:?}\n{teams:?}\n{tasks:?}\n{notes} {audit}")
}

/// A form that would change something if the token were right.
fn plausible(path: &str) -> Vec<(&'static str, &'static str)> {
    match path {
        "/setup" | "/admin/users" => vec![
            ("name", "Mallory"),
            ("email", "mallory@evil.example"),
            ("role", "admin"),
            ("password", "a-long-Secret-9"),
            ("password_confirm", "a-long-Secret-9"),
        ],
        "/login" => vec![("email", ADMIN_EMAIL), ("password", PASSWORD)],
        "/contacts" => vec![("first_name", "Forged"), ("last_name", "Contact")],
        "/tasks" => vec![("title", "Forged task"), ("due_on", "2030-01-01")],
        "/admin/teams" => vec![("name", "Forged team")],
        "/admin/roles" => vec![
            ("scope_manager", "all"),
            ("scope_sales", "all"),
            ("scope_support", "all"),
            ("scope_marketing", "own"),
        ],
        "/account/password" => vec![
            ("current_password", PASSWORD),
            ("new_password", "forged-Secret-77"),
            ("new_password_confirm", "forged-Secret-77"),
        ],
        p if p.ends_with("/password") => vec![
            ("password", "forged-Secret-77"),
            ("password_confirm", "forged-Secret-77"),
        ],
        p if p.ends_with("/activities") => vec![("body", "forged note")],
        p if p.starts_with("/admin/users/") => vec![
            ("name", "Renamed"),
            ("email", "renamed@test.example"),
            ("role", "admin"),
        ],
        p if p.starts_with("/admin/teams/") => vec![("name", "Renamed team")],
        p if p.starts_with("/contacts/") => {
            vec![("first_name", "Renamed"), ("last_name", "Contact")]
        }
        _ => vec![],
    }
}

#[tokio::test]
async fn every_unsafe_route_refuses_missing_wrong_and_foreign_tokens() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let team = app.create_team(&mut admin, "Blue").await;
    let user = app
        .create_user(&mut admin, "victim@test.example", "sales", Some(team))
        .await;
    let contact = app
        .create_contact(&mut admin, "Grace", "Hopper", "grace@test.example")
        .await;
    let task = crate::tasks::insert_task(
        &app,
        crate::tasks::Seed::new("Victim's task", app.user_id(ADMIN_EMAIL)),
    );
    let mut other = app.login("victim@test.example").await;
    other.refresh_csrf("/account").await;
    let foreign = other.csrf.clone().expect("other session's token");
    let before = snapshot(&app);

    let mut checked = 0;
    for route in rapport::startup::all_routes() {
        // Unsafe routes a signed link token authenticates instead (RFC 8058
        // one-click unsubscribe): tested in campaigns::send.
        if route.method == "GET"
            || rapport::web::csrf::TOKEN_AUTHENTICATED
                .iter()
                .any(|p| route.path.starts_with(p))
        {
            continue;
        }
        let path = route.path.replace(
            "{id}",
            &if route.path.starts_with("/contacts/") {
                contact
            } else if route.path.starts_with("/admin/users/") {
                user
            } else if route.path.starts_with("/tasks/") {
                task
            } else {
                team
            }
            .to_string(),
        );
        let form = plausible(route.path);
        let url = admin.url(&path);
        let attempts = [
            ("missing", admin.http.post(&url).form(&form)),
            ("wrong field", {
                let mut f = form.clone();
                f.push((
                    "_csrf",
                    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                ));
                admin.http.post(&url).form(&f)
            }),
            ("other session's field", {
                let mut f = form.clone();
                f.push(("_csrf", &foreign));
                admin.http.post(&url).form(&f)
            }),
            (
                "wrong htmx header",
                admin
                    .http
                    .post(&url)
                    .header("HX-Request", "true")
                    .header("X-CSRF-Token", "nope")
                    .form(&form),
            ),
            (
                "empty header",
                admin.http.post(&url).header("X-CSRF-Token", "").form(&form),
            ),
        ];
        for (what, request) in attempts {
            let res = request.send().await.expect("send");
            assert_eq!(
                res.status(),
                StatusCode::FORBIDDEN,
                "{} {path} with {what} token",
                route.method
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 5 * 15,
        "all unsafe routes were tried ({checked})"
    );
    assert_eq!(snapshot(&app), before, "nothing changed");
    assert_eq!(
        admin.get("/contacts").await.status(),
        StatusCode::OK,
        "still signed in: logout was refused too"
    );

    // Control: the same request with the right token does go through.
    let res = admin.post("/contacts", &plausible("/contacts")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_ne!(snapshot(&app), before);
}

#[tokio::test]
async fn anonymous_login_without_a_session_token_is_refused() {
    let app = spawn().await;
    let _admin = app.setup_admin().await;
    let c = app.client();
    let res = c
        .http
        .post(c.url("/login"))
        .form(&[("email", ADMIN_EMAIL), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let doc = html(res).await;
    assert!(
        texts(&doc, ".error-box p")
            .iter()
            .any(|t| t.contains("expired"))
    );
    assert_eq!(
        c.get("/contacts").await.status(),
        StatusCode::SEE_OTHER,
        "not signed in"
    );
}
