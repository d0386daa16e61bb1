//! Record scope (own / team / all) on the contact list, detail, search and
//! every write: a record outside the viewer's scope is "not found", whatever
//! id is guessed.

use reqwest::StatusCode;

use crate::helpers::*;

struct World {
    app: TestApp,
    admin: Client,
    north_a: i64,
    north_b: i64,
    south: i64,
    south_user: i64,
}

/// North: manager + two reps; South: one rep. Each rep owns one contact.
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
    app.create_user(&mut admin, "mkt@test.example", "marketing", None)
        .await;
    let mut c = app.login("na@test.example").await;
    let north_a = app
        .create_contact(&mut c, "Nora", "Alpha", "nora@a.example")
        .await;
    let mut c = app.login("nb@test.example").await;
    let north_b = app
        .create_contact(&mut c, "Ned", "Bravo", "ned@b.example")
        .await;
    let mut c = app.login("s@test.example").await;
    let south = app
        .create_contact(&mut c, "Sol", "Charlie", "sol@c.example")
        .await;
    World {
        app,
        admin,
        north_a,
        north_b,
        south,
        south_user,
    }
}

async fn listed(c: &Client, query: &str) -> Vec<String> {
    let (status, doc) = c.get_html(&format!("/contacts{query}")).await;
    assert_eq!(status, StatusCode::OK);
    texts(&doc, "#results tbody tr td:first-child a")
}

#[tokio::test]
async fn own_team_and_all_scopes_filter_list_search_and_detail() {
    let w = world().await;
    let rep = w.app.login("na@test.example").await;
    assert_eq!(
        listed(&rep, "").await,
        vec!["Nora Alpha"],
        "sales: own records only"
    );
    assert!(
        listed(&rep, "?q=Ned").await.is_empty(),
        "search stays in scope"
    );
    assert!(listed(&rep, "?q=N").await == vec!["Nora Alpha"]);
    assert_eq!(
        rep.get(&format!("/contacts/{}", w.north_a)).await.status(),
        StatusCode::OK
    );
    for id in [w.north_b, w.south] {
        assert_eq!(
            rep.get(&format!("/contacts/{id}")).await.status(),
            StatusCode::NOT_FOUND,
            "guessing id {id}"
        );
        assert_eq!(
            rep.get(&format!("/contacts/{id}/edit")).await.status(),
            StatusCode::NOT_FOUND
        );
    }
    let htmx = rep
        .get_htmx("/contacts?q=n")
        .await
        .text()
        .await
        .expect("body");
    assert!(
        htmx.contains("Nora Alpha") && !htmx.contains("Ned Bravo") && !htmx.contains("Sol Charlie")
    );

    let mgr = w.app.login("mgr@test.example").await;
    let mut seen = listed(&mgr, "?sort=name&dir=asc").await;
    seen.sort();
    assert_eq!(
        seen,
        vec!["Ned Bravo", "Nora Alpha"],
        "manager: the team's records"
    );
    assert_eq!(
        mgr.get(&format!("/contacts/{}", w.north_b)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        mgr.get(&format!("/contacts/{}", w.south)).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(listed(&mgr, "?q=Sol").await.is_empty());

    let mkt = w.app.login("mkt@test.example").await;
    assert_eq!(listed(&mkt, "").await.len(), 3, "marketing: all records");
    assert_eq!(
        listed(&w.admin, "?q=charlie").await,
        vec!["Sol Charlie"],
        "admin: all records"
    );
}

#[tokio::test]
async fn out_of_scope_writes_are_not_found_and_change_nothing() {
    let w = world().await;
    let mut rep = w.app.login("na@test.example").await;
    let target = w.north_b;
    let res = rep
        .post(
            &format!("/contacts/{target}"),
            &[("first_name", "Hacked"), ("last_name", "X")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = rep
        .post(
            &format!("/contacts/{target}/activities"),
            &[("body", "sneaky")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let mut mgr = w.app.login("mgr@test.example").await;
    let res = mgr
        .post(&format!("/contacts/{}/delete", w.south), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let (status, doc) = w.admin.get_html(&format!("/contacts/{target}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "h1"), vec!["Ned Bravo"]);
    assert!(texts(&doc, "#timeline li.activity").is_empty());
    assert_eq!(
        w.admin
            .get(&format!("/contacts/{}", w.south))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn owners_can_only_be_assigned_within_scope_and_never_by_hidden_fields() {
    let w = world().await;
    // A rep may not assign: a posted owner_id is ignored.
    let mut rep = w.app.login("na@test.example").await;
    let id = w.app.create_contact(&mut rep, "Own", "Er", "").await;
    let res = rep
        .post(
            &format!("/contacts/{id}"),
            &[
                ("first_name", "Own"),
                ("last_name", "Er"),
                ("owner_id", &w.south_user.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        rep.get(&format!("/contacts/{id}")).await.status(),
        StatusCode::OK,
        "still the rep's own"
    );
    let doc = html(rep.get("/contacts/new").await).await;
    assert!(
        texts(&doc, "select#owner_id").is_empty(),
        "no owner field for reps"
    );

    // A team-scoped manager may assign within the team only.
    let mut mgr = w.app.login("mgr@test.example").await;
    let res = mgr
        .post(
            &format!("/contacts/{}", w.north_a),
            &[
                ("first_name", "Nora"),
                ("last_name", "Alpha"),
                ("owner_id", &w.south_user.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!texts(&html(res).await, "#owner_id-error").is_empty());
    let nb = w.app.user_id("nb@test.example");
    let res = mgr
        .post(
            &format!("/contacts/{}", w.north_a),
            &[
                ("first_name", "Nora"),
                ("last_name", "Alpha"),
                ("owner_id", &nb.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let rep_b = w.app.login("nb@test.example").await;
    let mut mine = listed(&rep_b, "").await;
    mine.sort();
    assert_eq!(mine, vec!["Ned Bravo", "Nora Alpha"], "reassigned to rep B");
}

#[tokio::test]
async fn an_admin_changing_a_roles_scope_applies_on_the_next_request() {
    let mut w = world().await;
    let rep = w.app.login("na@test.example").await;
    assert_eq!(listed(&rep, "").await.len(), 1);
    let res = w
        .admin
        .post(
            "/admin/roles",
            &[
                ("scope_manager", "team"),
                ("scope_sales", "team"),
                ("scope_support", "team"),
                ("scope_marketing", "all"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mut seen = listed(&rep, "").await;
    seen.sort();
    assert_eq!(
        seen,
        vec!["Ned Bravo", "Nora Alpha"],
        "sales now see their team"
    );
    let res = w
        .admin
        .post(
            "/admin/roles",
            &[
                ("scope_manager", "team"),
                ("scope_sales", "nonsense"),
                ("scope_support", "team"),
                ("scope_marketing", "all"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
