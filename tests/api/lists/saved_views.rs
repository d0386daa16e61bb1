//! Saved views: save the current list (checked and made canonical), find it
//! pinned above the list, open it, rename, unpin and delete it; others see
//! it only when it is shared with their team, and never change it.

use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::helpers::*;

/// The pinned views above a list: (name, href, current).
fn pinned(doc: &Html) -> Vec<(String, String, bool)> {
    let sel = Selector::parse("#results nav.views a:not(.manage)").expect("selector");
    doc.select(&sel)
        .map(|a| {
            (
                a.text().collect::<String>().trim().to_string(),
                a.value().attr("href").unwrap_or_default().to_string(),
                a.value().attr("aria-current") == Some("page"),
            )
        })
        .collect()
}

/// The id of the view named `name` on the views page.
async fn view_id(client: &Client, name: &str) -> Option<i64> {
    let (_, doc) = client.get_html("/views").await;
    let sel = Selector::parse("table.views-table tbody tr").expect("selector");
    doc.select(&sel)
        .find(|tr| tr.text().collect::<String>().contains(name))
        .and_then(|tr| tr.value().id()?.strip_prefix("view-")?.parse().ok())
}

#[tokio::test]
async fn a_view_is_saved_pinned_opened_renamed_and_deleted() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Ada", "Lovelace", "ada@views.example")
        .await;

    // The query is checked and kept canonical: no cursor, no page, no junk.
    let res = admin
        .post(
            "/views",
            &[
                ("list", "contacts"),
                (
                    "query",
                    "lifecycle=loyal&sort=name&dir=asc&per_page=50&page=3&after=00&junk=1",
                ),
                ("name", "  Loyal by name "),
                ("pinned", "on"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let href = "/contacts?lifecycle=loyal&sort=name&dir=asc&per_page=50";
    assert_eq!(location(&res), href);

    let (_, doc) = admin.get_html("/contacts").await;
    assert_eq!(
        pinned(&doc),
        vec![("Loyal by name".to_string(), href.to_string(), false)]
    );
    let (status, doc) = admin.get_html(href).await;
    assert_eq!(status, StatusCode::OK);
    assert!(pinned(&doc)[0].2, "the open view is marked current");
    assert_eq!(
        texts(&doc, "select[name=per_page] option[selected]"),
        vec!["50"]
    );
    // The bar comes with htmx fragments too (it is inside #results).
    let res = admin.get_htmx("/contacts?q=ada").await;
    let frag = Html::parse_fragment(&res.text().await.expect("body"));
    assert_eq!(pinned(&frag).len(), 1);
    assert!(
        texts(&frag, "input[name=query]").is_empty()
            || frag
                .select(&Selector::parse("input[name=query]").expect("selector"))
                .any(|i| i.value().attr("value") == Some("q=ada&sort=updated&dir=desc")),
        "the save form keeps the current query"
    );

    // Invalid: 422 with the message beside the field, nothing saved.
    let res = admin
        .post(
            "/views",
            &[("list", "contacts"), ("query", "sort=name"), ("name", "  ")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, "#view-name-error"),
        vec!["Give the view a name."]
    );
    for form in [
        [("list", "orders"), ("query", "sort=name"), ("name", "Odd")],
        [
            ("list", "contacts"),
            ("query", &"q=x".repeat(700)),
            ("name", "Odd"),
        ],
        [
            ("list", "contacts"),
            ("query", "sort=name"),
            ("name", &"n".repeat(101)),
        ],
    ] {
        let res = admin.post("/views", &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
    }
    assert_eq!(view_id(&admin, "Odd").await, None);

    // Rename and unpin: gone from the bar, still on the views page.
    let id = view_id(&admin, "Loyal by name").await.expect("listed");
    let res = admin
        .post(&format!("/views/{id}"), &[("name", "Loyal ones")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/views?list=contacts");
    let (_, doc) = admin.get_html("/contacts").await;
    assert!(pinned(&doc).is_empty());
    assert_eq!(view_id(&admin, "Loyal ones").await, Some(id));
    let res = admin.post(&format!("/views/{id}"), &[("name", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(
        texts(&doc, &format!("#view-{id}-name-error")),
        vec!["Give the view a name."]
    );

    let res = admin.post(&format!("/views/{id}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(view_id(&admin, "Loyal ones").await, None);
    let res = admin.post(&format!("/views/{id}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Accounts take views too.
    let res = admin
        .post(
            "/views",
            &[
                ("list", "accounts"),
                ("query", "sort=city&dir=desc"),
                ("name", "By city"),
                ("pinned", "on"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/accounts?sort=city&dir=desc");
    let (_, doc) = admin.get_html("/accounts").await;
    assert_eq!(pinned(&doc).len(), 1);
    let (_, doc) = admin.get_html("/contacts").await;
    assert!(pinned(&doc).is_empty(), "only the list's own views");
}

#[tokio::test]
async fn views_are_private_unless_shared_and_only_the_owner_changes_them() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let east = app.create_team(&mut admin, "East").await;
    let west = app.create_team(&mut admin, "West").await;
    app.create_user(&mut admin, "rep@test.example", "sales", Some(east))
        .await;
    app.create_user(&mut admin, "boss@test.example", "manager", Some(east))
        .await;
    app.create_user(&mut admin, "far@test.example", "sales", Some(west))
        .await;
    let mut rep = app.login("rep@test.example").await;
    let mut boss = app.login("boss@test.example").await;
    let mut far = app.login("far@test.example").await;

    for (name, shared) in [("Mine only", false), ("For the team", true)] {
        let mut form = vec![
            ("list", "contacts"),
            ("query", "sort=email&dir=asc"),
            ("name", name),
            ("pinned", "on"),
        ];
        if shared {
            form.push(("shared", "on"));
        }
        let res = rep.post("/views", &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let private = view_id(&rep, "Mine only").await.expect("own view");
    let shared = view_id(&rep, "For the team").await.expect("own view");
    let (_, doc) = rep.get_html("/contacts").await;
    assert_eq!(pinned(&doc).len(), 2);

    // A team mate sees the shared one (marked), not the private one.
    let (_, doc) = boss.get_html("/contacts").await;
    let names: Vec<String> = pinned(&doc).into_iter().map(|v| v.0).collect();
    assert_eq!(names.len(), 1);
    assert!(names[0].starts_with("For the team") && names[0].contains("team"));
    assert_eq!(view_id(&boss, "For the team").await, Some(shared));
    assert_eq!(view_id(&boss, "Mine only").await, None);
    let (_, doc) = boss.get_html("/views").await;
    assert!(
        texts(&doc, &format!("#view-{shared} form")).is_empty(),
        "no rename or delete form for someone else's view"
    );
    // Someone in another team, and the admin, see neither.
    for who in [&far, &admin] {
        let (_, doc) = who.get_html("/contacts").await;
        assert!(pinned(&doc).is_empty());
        assert_eq!(view_id(who, "For the team").await, None);
    }
    // Nobody but the owner renames or deletes: 404, and nothing changes.
    for who in [&mut boss, &mut far, &mut admin] {
        for id in [private, shared] {
            let res = who
                .post(&format!("/views/{id}"), &[("name", "Hijacked")])
                .await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND);
            let res = who.post(&format!("/views/{id}/delete"), &[]).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND);
        }
    }
    assert_eq!(view_id(&rep, "Mine only").await, Some(private));
    assert_eq!(view_id(&rep, "For the team").await, Some(shared));
    assert_eq!(view_id(&rep, "Hijacked").await, None);

    // Unsharing takes it away from the team.
    let res = rep
        .post(
            &format!("/views/{shared}"),
            &[("name", "For the team"), ("pinned", "on")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(view_id(&boss, "For the team").await, None);
}
