//! The authorisation matrix: every route × {anonymous, each role, a
//! deactivated user}. The expectations are written here independently of the
//! app's route table, and a route missing from this matrix fails the test.

use std::collections::{BTreeSet, HashMap};

use reqwest::StatusCode;

use crate::helpers::*;

const ANON: &str = "anonymous";
const DEACTIVATED: &str = "deactivated";
const ROLES: [&str; 5] = ["admin", "manager", "sales", "support", "marketing"];

/// Who may use a route. `Public`: everyone, signed in or not.
#[derive(Clone, Copy)]
enum Who {
    Public,
    Roles(&'static [&'static str]),
}

const EVERY_ROLE: Who = Who::Roles(&ROLES);
const ADMIN: Who = Who::Roles(&["admin"]);
const MANAGERS: Who = Who::Roles(&["admin", "manager"]);
const IMPORTERS: Who = Who::Roles(&["admin", "manager", "marketing"]);
const SELLERS: Who = Who::Roles(&["admin", "manager", "sales"]);
const MARKETERS: Who = Who::Roles(&["admin", "marketing"]);
const TICKET_READERS: Who = Who::Roles(&["admin", "manager", "sales", "support"]);
const AGENTS: Who = Who::Roles(&["admin", "manager", "support"]);
const INSIGHTS: Who = Who::Roles(&["admin", "manager", "sales", "marketing"]);

const MATRIX: &[(&str, &str, Who)] = &[
    ("GET", "/healthz", Who::Public),
    ("GET", "/readyz", Who::Public),
    ("GET", "/static/{path:.*}", Who::Public),
    ("GET", "/", Who::Public),
    ("GET", "/setup", Who::Public),
    ("POST", "/setup", Who::Public),
    ("GET", "/login", Who::Public),
    ("POST", "/login", Who::Public),
    ("POST", "/logout", Who::Public),
    ("GET", "/account", EVERY_ROLE),
    ("POST", "/account/password", EVERY_ROLE),
    ("POST", "/account/locale", EVERY_ROLE),
    ("POST", "/account/sessions/revoke", EVERY_ROLE),
    ("GET", "/contacts", EVERY_ROLE),
    ("GET", "/contacts/new", EVERY_ROLE),
    ("GET", "/contacts/account-suggestions", EVERY_ROLE),
    ("POST", "/contacts", EVERY_ROLE),
    ("GET", "/contacts/{id}", EVERY_ROLE),
    ("GET", "/contacts/{id}/edit", EVERY_ROLE),
    ("POST", "/contacts/{id}", EVERY_ROLE),
    ("POST", "/contacts/{id}/delete", MANAGERS),
    ("POST", "/contacts/{id}/activities", EVERY_ROLE),
    // -- accounts (src/accounts)
    ("GET", "/accounts", EVERY_ROLE),
    ("GET", "/accounts/new", EVERY_ROLE),
    ("POST", "/accounts", EVERY_ROLE),
    ("GET", "/accounts/{id}", EVERY_ROLE),
    ("GET", "/accounts/{id}/edit", EVERY_ROLE),
    ("POST", "/accounts/{id}", EVERY_ROLE),
    ("POST", "/accounts/{id}/activities", EVERY_ROLE),
    ("POST", "/accounts/{id}/delete", MANAGERS),
    // -- tasks (src/tasks)
    ("GET", "/tasks", EVERY_ROLE),
    ("GET", "/tasks/new", EVERY_ROLE),
    ("POST", "/tasks", EVERY_ROLE),
    ("POST", "/tasks/{id}/complete", EVERY_ROLE),
    ("POST", "/tasks/{id}/reopen", EVERY_ROLE),
    // -- the lead pipeline (src/deals)
    ("GET", "/leads", EVERY_ROLE),
    ("GET", "/leads/list", EVERY_ROLE),
    ("GET", "/leads/forecast", EVERY_ROLE),
    ("GET", "/leads/forecast/board", EVERY_ROLE),
    ("GET", "/leads/funnel", EVERY_ROLE),
    ("GET", "/leads/scoring", EVERY_ROLE),
    ("POST", "/leads/scoring/retrain", MANAGERS),
    ("GET", "/leads/stages/{id}", EVERY_ROLE),
    ("POST", "/leads/stages/{id}/deals", EVERY_ROLE),
    ("GET", "/leads/new-lead", EVERY_ROLE),
    ("POST", "/leads/new-lead", EVERY_ROLE),
    ("GET", "/leads/new", EVERY_ROLE),
    ("POST", "/leads", EVERY_ROLE),
    ("GET", "/leads/{id}", EVERY_ROLE),
    ("GET", "/leads/{id}/edit", EVERY_ROLE),
    ("POST", "/leads/{id}", EVERY_ROLE),
    ("POST", "/leads/{id}/move", EVERY_ROLE),
    ("POST", "/leads/{id}/close-month", EVERY_ROLE),
    ("POST", "/leads/{id}/activities", EVERY_ROLE),
    ("POST", "/leads/{id}/delete", MANAGERS),
    // -- pipelines, stages, lost reasons (src/pipelines)
    ("GET", "/admin/pipelines", ADMIN),
    ("POST", "/admin/pipelines", ADMIN),
    ("GET", "/admin/pipelines/{id}", ADMIN),
    ("POST", "/admin/pipelines/{id}", ADMIN),
    ("POST", "/admin/pipelines/{id}/stages", ADMIN),
    ("POST", "/admin/stages/{id}", ADMIN),
    ("POST", "/admin/stages/{id}/delete", ADMIN),
    ("POST", "/admin/pipelines/{id}/delete", ADMIN),
    ("GET", "/admin/lost-reasons", ADMIN),
    ("POST", "/admin/lost-reasons", ADMIN),
    ("POST", "/admin/lost-reasons/{id}", ADMIN),
    // -- the product catalogue (src/products)
    ("GET", "/products", EVERY_ROLE),
    ("GET", "/products/search", EVERY_ROLE),
    ("GET", "/products/new", MANAGERS),
    ("GET", "/products/import", MANAGERS),
    ("POST", "/products/import", MANAGERS),
    ("POST", "/products", MANAGERS),
    ("GET", "/products/{id}/edit", MANAGERS),
    ("POST", "/products/{id}", MANAGERS),
    // -- quotes and orders (src/orders)
    // -- insights (src/insights)
    ("GET", "/insights", INSIGHTS),
    ("GET", "/insights/export", INSIGHTS),
    ("GET", "/admin/insights", ADMIN),
    ("POST", "/admin/insights", ADMIN),
    ("POST", "/admin/insights/run", ADMIN),
    ("GET", "/insights/commission", INSIGHTS),
    ("GET", "/insights/commission/export", INSIGHTS),
    ("GET", "/admin/targets", ADMIN),
    ("POST", "/admin/targets", ADMIN),
    ("POST", "/admin/targets/plan", ADMIN),
    ("POST", "/admin/targets/copy", ADMIN),
    ("GET", "/orders", EVERY_ROLE),
    ("GET", "/orders/export.csv", EVERY_ROLE),
    ("GET", "/orders/new", SELLERS),
    ("POST", "/orders", SELLERS),
    ("POST", "/orders/recalc", SELLERS),
    ("GET", "/orders/{id}", EVERY_ROLE),
    ("GET", "/orders/{id}/edit", SELLERS),
    ("POST", "/orders/{id}", SELLERS),
    ("POST", "/orders/{id}/status", SELLERS),
    ("GET", "/orders/{id}/print", EVERY_ROLE),
    // The public quote page: anyone with a valid link (this one is not).
    ("GET", "/q/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("POST", "/q/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("GET", "/q/{token:[A-Za-z0-9_-]+}/download", Who::Public),
    // -- tickets (src/tickets); customer pages are public behind signed tokens
    ("GET", "/tickets", TICKET_READERS),
    ("POST", "/tickets/take", AGENTS),
    ("POST", "/tickets/bulk", AGENTS),
    ("GET", "/tickets/new", AGENTS),
    ("POST", "/tickets", AGENTS),
    ("GET", "/tickets/dashboard", MANAGERS),
    ("GET", "/tickets/queues", MANAGERS),
    ("POST", "/tickets/queues", MANAGERS),
    ("POST", "/tickets/queues/{id}", MANAGERS),
    ("GET", "/tickets/calendars", MANAGERS),
    ("POST", "/tickets/calendars", MANAGERS),
    ("GET", "/tickets/calendars/{id}", MANAGERS),
    ("POST", "/tickets/calendars/{id}", MANAGERS),
    ("POST", "/tickets/calendars/{id}/delete", MANAGERS),
    ("POST", "/tickets/calendars/{id}/holidays", MANAGERS),
    ("POST", "/tickets/calendars/{id}/holidays/delete", MANAGERS),
    ("GET", "/tickets/policies", MANAGERS),
    ("POST", "/tickets/policies", MANAGERS),
    ("GET", "/tickets/policies/{id}", MANAGERS),
    ("POST", "/tickets/policies/{id}", MANAGERS),
    ("POST", "/tickets/policies/{id}/delete", MANAGERS),
    ("GET", "/tickets/canned", MANAGERS),
    ("POST", "/tickets/canned", MANAGERS),
    ("GET", "/tickets/canned/{id}", MANAGERS),
    ("POST", "/tickets/canned/{id}", MANAGERS),
    ("POST", "/tickets/canned/{id}/delete", MANAGERS),
    ("GET", "/tickets/{id}", TICKET_READERS),
    ("GET", "/tickets/{id}/viewers", TICKET_READERS),
    ("POST", "/tickets/{id}/messages", AGENTS),
    ("POST", "/tickets/{id}/canned", AGENTS),
    ("POST", "/tickets/{id}/links", AGENTS),
    ("POST", "/tickets/{id}/triage", AGENTS),
    ("POST", "/tickets/{id}/status", AGENTS),
    ("POST", "/tickets/{id}/assign", AGENTS),
    ("GET", "/tickets/{id}/attachments/{other}", TICKET_READERS),
    ("GET", "/t/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("POST", "/t/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("GET", "/t/{token:[A-Za-z0-9_-]+}/files/{id}", Who::Public),
    ("GET", "/support", Who::Public),
    ("POST", "/support", Who::Public),
    ("GET", "/csat/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("POST", "/csat/{token:[A-Za-z0-9_-]+}", Who::Public),
    // -- import and export (src/imports)
    ("GET", "/contacts/export.csv", IMPORTERS),
    ("GET", "/contacts/import", IMPORTERS),
    ("POST", "/contacts/import", IMPORTERS),
    ("GET", "/contacts/import/{id}", IMPORTERS),
    ("POST", "/contacts/import/{id}/mapping", IMPORTERS),
    ("GET", "/contacts/import/{id}/report.csv", IMPORTERS),
    // -- duplicates and merge
    ("GET", "/contacts/duplicates", MANAGERS),
    ("GET", "/contacts/{id}/merge/{other}", MANAGERS),
    ("POST", "/contacts/{id}/merge/{other}", MANAGERS),
    ("GET", "/admin", ADMIN),
    ("GET", "/admin/users", ADMIN),
    ("GET", "/admin/users/new", ADMIN),
    ("POST", "/admin/users", ADMIN),
    ("GET", "/admin/users/{id}/edit", ADMIN),
    ("POST", "/admin/users/{id}", ADMIN),
    ("POST", "/admin/users/{id}/password", ADMIN),
    ("POST", "/admin/users/{id}/sessions/revoke", ADMIN),
    ("GET", "/admin/teams", ADMIN),
    ("POST", "/admin/teams", ADMIN),
    ("POST", "/admin/teams/{id}", ADMIN),
    ("POST", "/admin/teams/{id}/delete", ADMIN),
    ("GET", "/admin/roles", ADMIN),
    ("POST", "/admin/roles", ADMIN),
    ("GET", "/admin/audit", ADMIN),
    // -- saved views of lists (src/saved_views): one's own, or one's team's
    ("GET", "/views", EVERY_ROLE),
    ("POST", "/views", EVERY_ROLE),
    ("POST", "/views/{id}", EVERY_ROLE),
    ("POST", "/views/{id}/delete", EVERY_ROLE),
    ("GET", "/admin/jobs", ADMIN),
    ("GET", "/admin/mail", ADMIN),
    ("GET", "/admin/mail/{file:[A-Za-z0-9_-]+}", ADMIN),
    ("GET", "/admin/mail/{file:[A-Za-z0-9_-]+}/raw", ADMIN),
    ("POST", "/admin/jobs/{id}/retry", ADMIN),
    ("GET", "/admin/settings", ADMIN),
    ("POST", "/admin/settings", ADMIN),
    // -- segments and campaigns (src/segments, src/campaigns)
    ("GET", "/segments", MARKETERS),
    ("GET", "/segments/new", MARKETERS),
    ("POST", "/segments", MARKETERS),
    ("GET", "/segments/{id}", MARKETERS),
    ("POST", "/segments/{id}", MARKETERS),
    ("GET", "/campaigns", MARKETERS),
    ("GET", "/campaigns/signups", MARKETERS),
    ("GET", "/campaigns/signups/new", MARKETERS),
    ("POST", "/campaigns/signups", MARKETERS),
    ("GET", "/campaigns/signups/{id}", MARKETERS),
    ("POST", "/campaigns/signups/{id}", MARKETERS),
    ("POST", "/campaigns/signups/{id}/active", MARKETERS),
    ("GET", "/campaigns/senders", MARKETERS),
    ("POST", "/campaigns/senders", MARKETERS),
    ("POST", "/campaigns/senders/{id}/resend", MARKETERS),
    ("POST", "/campaigns/senders/{id}/delete", MARKETERS),
    ("GET", "/campaigns/series", MARKETERS),
    ("GET", "/campaigns/series/new", MARKETERS),
    ("POST", "/campaigns/series", MARKETERS),
    ("GET", "/campaigns/series/{id}", MARKETERS),
    ("GET", "/campaigns/series/{id}/edit", MARKETERS),
    ("POST", "/campaigns/series/{id}", MARKETERS),
    ("POST", "/campaigns/series/{id}/activate", MARKETERS),
    ("POST", "/campaigns/series/{id}/pause", MARKETERS),
    ("GET", "/campaigns/series/{id}/steps/new", MARKETERS),
    ("POST", "/campaigns/series/{id}/steps", MARKETERS),
    ("GET", "/campaigns/series/{id}/steps/{other}", MARKETERS),
    ("POST", "/campaigns/series/{id}/steps/{other}", MARKETERS),
    (
        "POST",
        "/campaigns/series/{id}/steps/{other}/delete",
        MARKETERS,
    ),
    (
        "POST",
        "/campaigns/series/{id}/steps/{other}/move",
        MARKETERS,
    ),
    ("GET", "/campaigns/new", MARKETERS),
    ("POST", "/campaigns", MARKETERS),
    ("GET", "/campaigns/{id}", MARKETERS),
    ("GET", "/campaigns/{id}/edit", MARKETERS),
    ("POST", "/campaigns/{id}", MARKETERS),
    ("GET", "/campaigns/{id}/progress", MARKETERS),
    ("GET", "/campaigns/{id}/stats", MARKETERS),
    ("GET", "/campaigns/{id}/preview/message", MARKETERS),
    ("GET", "/campaigns/{id}/preview", MARKETERS),
    ("POST", "/campaigns/{id}/test", MARKETERS),
    ("POST", "/campaigns/{id}/launch", MARKETERS),
    ("POST", "/campaigns/{id}/pause", MARKETERS),
    ("POST", "/campaigns/{id}/resume", MARKETERS),
    ("POST", "/campaigns/{id}/cancel", MARKETERS),
    // Recipients' pages behind signed links (token-authenticated).
    ("GET", "/u/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("POST", "/u/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("GET", "/w/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("GET", "/nps/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("POST", "/nps/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("GET", "/o/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("GET", "/archive", Who::Public),
    ("GET", "/archive/{id}", Who::Public),
    ("GET", "/c/{token:[A-Za-z0-9_-]+}/{link}", Who::Public),
    ("GET", "/p/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("POST", "/p/{token:[A-Za-z0-9_-]+}", Who::Public),
    // Public sign-up pages and their double opt-in (src/campaigns/signups).
    ("GET", "/s/confirm/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("POST", "/s/confirm/{token:[A-Za-z0-9_-]+}", Who::Public),
    ("GET", "/s/{slug:[a-z0-9-]+}", Who::Public),
    ("POST", "/s/{slug:[a-z0-9-]+}", Who::Public),
    // A campaign sender's confirmation link (src/campaigns/senders).
    ("GET", "/senders/verify/{token:[A-Za-z0-9_-]+}", Who::Public),
    (
        "POST",
        "/senders/verify/{token:[A-Za-z0-9_-]+}",
        Who::Public,
    ),
];

#[tokio::test]
async fn every_route_is_in_the_matrix_and_the_matrix_names_only_real_routes() {
    let app: BTreeSet<(String, String)> = rapport::startup::all_routes()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let matrix: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = app.difference(&matrix).collect();
    let stale: Vec<_> = matrix.difference(&app).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the authorisation matrix: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "matrix rows for routes that do not exist: {stale:?}"
    );
}

struct Fixture {
    contact: i64,
    user: i64,
    team: i64,
    account: i64,
    task: i64,
    /// A second contact: the other side of a merge.
    other_contact: i64,
    /// An import of the admin's (others who may import get 404).
    import: i64,
    /// A deal of the admin's.
    deal: i64,
    product: i64,
    /// A draft quote of the admin's.
    order: i64,
}

fn concrete(path: &str, f: &Fixture) -> String {
    // The default pipeline, its first stage and first lost reason (migration rows).
    let id = if [
        "/leads/stages/",
        "/admin/stages/",
        "/admin/pipelines/",
        "/admin/lost-reasons/",
    ]
    .iter()
    .any(|p| path.starts_with(p))
    {
        1
    } else if path.starts_with("/leads/") {
        f.deal
    } else if path.starts_with("/products/") {
        f.product
    } else if path.starts_with("/orders/") {
        f.order
    } else if path.starts_with("/accounts/") {
        f.account
    } else if path.starts_with("/tasks/") {
        f.task
    } else if path.starts_with("/contacts/import/") {
        f.import
    } else if path.starts_with("/contacts/") {
        f.contact
    } else if path.starts_with("/admin/users/") {
        f.user
    } else {
        f.team
    };
    path.replace("{path:.*}", "css/app.css")
        .replace(rapport::signed::TOKEN_PARAM, &"A".repeat(43))
        .replace("{id}", &id.to_string())
        .replace("{other}", &f.other_contact.to_string())
        .replace("{token:[A-Za-z0-9_-]+}", "c2lnbmVkLXRva2Vu")
        .replace("{slug:[a-z0-9-]+}", "no-such-form")
        .replace("{file:[A-Za-z0-9_-]+}", "no-such-file")
        .replace("{link}", "1")
}

#[tokio::test]
async fn every_route_admits_exactly_the_principals_the_matrix_names() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let team = app.create_team(&mut admin, "Matrix team").await;
    let mut sessions: HashMap<&str, Client> = HashMap::new();
    for role in ROLES.iter().skip(1) {
        app.create_user(
            &mut admin,
            &format!("{role}@test.example"),
            role,
            Some(team),
        )
        .await;
        sessions.insert(role, app.login(&format!("{role}@test.example")).await);
    }
    let gone = app
        .create_user(&mut admin, "gone@test.example", "sales", Some(team))
        .await;
    let mut deactivated = app.login("gone@test.example").await;
    let res = admin
        .post(
            &format!("/admin/users/{gone}"),
            &[
                ("name", "Gone"),
                ("email", "gone@test.example"),
                ("role", "sales"),
                ("team_id", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The deactivated user's browser still holds a valid-looking token.
    deactivated.refresh_csrf("/login").await;
    let target = app
        .create_user(&mut admin, "target@test.example", "sales", Some(team))
        .await;
    let contact = app
        .create_contact(&mut admin, "Matrix", "Contact", "matrix@test.example")
        .await;
    // Deleting a team signs its members out; the routes act on an empty one.
    let empty_team = app.create_team(&mut admin, "Empty team").await;
    // An account and a task owned by the admin (everyone may reach the
    // routes; scope then answers 404 for records outside it, never 403).
    let mut conn = app.conn();
    let admin_id = app.user_id(ADMIN_EMAIL);
    let account = rapport::accounts::repo::insert_named(
        &mut conn,
        "Matrix Ltd",
        rapport::domain::UserId::new(admin_id),
    )
    .expect("account")
    .get();
    let task = {
        use diesel::prelude::*;
        use rapport::db::schema::tasks;
        let t = rapport::db::now();
        diesel::insert_into(tasks::table)
            .values((
                tasks::title.eq("Matrix follow-up"),
                tasks::due_on.eq(t.date()),
                tasks::assignee_id.eq(admin_id),
                tasks::contact_id.eq(Some(contact)),
                tasks::created_by.eq(Some(admin_id)),
                tasks::created_at.eq(t),
                tasks::updated_at.eq(t),
            ))
            .execute(&mut conn)
            .expect("task");
        rapport::db::last_insert_id(&mut conn).expect("task id")
    };
    let fixture = Fixture {
        contact,
        user: target,
        team: empty_team,
        account,
        task,
        other_contact: app.create_contact(&mut admin, "Matrix", "Twin", "").await,
        import: crate::import_export::insert_import(&app, admin_id, "finished"),
        deal: crate::deals::insert_deal(&app, "Matrix deal", admin_id, 1, 100, None),
        product: crate::orders::insert_product(&app, "MATRIX-1"),
        order: crate::orders::insert_order(&app, admin_id, contact),
    };
    sessions.insert("admin", admin);
    sessions.insert(DEACTIVATED, deactivated);
    let mut anon = app.client();
    anon.refresh_csrf("/login").await;
    sessions.insert(ANON, anon);

    let mut failures = Vec::new();
    for (method, pattern, who) in MATRIX {
        // Logging out is checked with throwaway sessions below.
        if *pattern == "/logout" {
            continue;
        }
        let path = concrete(pattern, &fixture);
        // The admin goes last: their allowed POSTs change data others would see.
        for principal in [
            ANON,
            "manager",
            "sales",
            "support",
            "marketing",
            DEACTIVATED,
            "admin",
        ] {
            let client = sessions.get_mut(principal).expect("session");
            let res = if *method == "GET" {
                client.get(&path).await
            } else {
                client.post(&path, &[]).await
            };
            let status = res.status();
            let to_login = status == StatusCode::SEE_OTHER && location(&res).starts_with("/login");
            let allowed = match who {
                Who::Public => true,
                Who::Roles(roles) => roles.contains(&principal),
            };
            let ok = if status.is_server_error() {
                false
            } else if allowed {
                status != StatusCode::FORBIDDEN && (!to_login || matches!(who, Who::Public))
            } else if principal == ANON || principal == DEACTIVATED {
                to_login
            } else {
                status == StatusCode::FORBIDDEN
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {principal}: {status} {}",
                    location(&res)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation matrix violations:\n{}",
        failures.join("\n")
    );

    // POST /logout works for anyone and ends the session.
    let mut c = app.login("sales@test.example").await;
    let res = c.post("/logout", &[]).await;
    assert_eq!(location(&res), "/login");
    assert_eq!(c.get("/contacts").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn forbidden_is_a_friendly_page_and_an_htmx_fragment_for_htmx() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_user(&mut admin, "rep@test.example", "sales", None)
        .await;
    let rep = app.login("rep@test.example").await;
    let res = rep.get("/admin/users").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("x-request-id").is_some());
    let doc = html(res).await;
    assert_eq!(texts(&doc, "h1"), vec!["Not allowed"]);
    assert!(
        texts(&doc, ".error-box code").len() == 1,
        "the page shows a request id"
    );

    let res = rep.get_htmx("/admin/users").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.headers()["hx-retarget"], "#alerts");
    let body = res.text().await.expect("body");
    assert!(!body.contains("<html"), "a fragment, not a page");
    assert!(body.contains("Not allowed"));

    // Anonymous htmx requests are sent to the login page by htmx itself.
    let res = app.client().get_htmx("/contacts").await;
    assert_eq!(res.headers()["hx-redirect"], "/login?next=%2Fcontacts");
}
