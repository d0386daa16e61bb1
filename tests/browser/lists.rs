//! The list journey, with JavaScript on (htmx swaps) and off (plain GET
//! forms and links): filter and sort, save the view, find it pinned, open
//! it, show 50 rows a page, page forward by keyset and back.

use crate::harness::{browse, spawn_app};

/// 120 contacts, 60 of them loyal: with 50 a page, two pages.
const SEEDED: usize = 120;

async fn list_journey(js: bool) {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, js).await;
    let tag = format!(
        "{}-{}",
        if js { "js-on" } else { "js-off" },
        app.db.backend()
    );
    b.first_run_setup().await;
    app.seed_contacts(SEEDED);

    // Filter to loyal customers and sort by name.
    b.goto("/contacts").await;
    b.find("select[name=lifecycle]")
        .await
        .select_by_value("loyal")
        .await
        .expect("pick a stage");
    if !js {
        b.click_button("Search").await;
    }
    b.wait("the loyal customers", async || {
        let url = b.c.current_url().await.ok()?;
        url.query_pairs()
            .any(|(k, v)| k == "lifecycle" && v == "loyal")
            .then_some(())
    })
    .await;
    b.click_link("Name").await;
    b.wait("the list sorted by name", async || {
        let rows = b.contact_rows().await;
        (rows.first().map(String::as_str) == Some("Person 000 Loyal")).then_some(())
    })
    .await;
    assert_eq!(
        b.contact_rows().await.len(),
        25,
        "25 rows a page by default"
    );

    // Save it as a pinned view.
    b.find("details.save-view summary")
        .await
        .click()
        .await
        .expect("open");
    b.fill("#view-name", "Loyal by name").await;
    b.click_button("Save view").await;
    b.wait_texts("#alerts .flash", &["View saved."]).await;
    let saved = b.url().await;
    let query: Vec<(String, String)> = saved.query_pairs().into_owned().collect();
    assert!(
        query.contains(&("lifecycle".into(), "loyal".into()))
            && query.contains(&("sort".into(), "name".into()))
            && query.contains(&("dir".into(), "asc".into())),
        "the view's address: {saved}"
    );
    b.wait_texts("nav.views a[aria-current=page]", &["Loyal by name"])
        .await;

    // From the plain list, the pinned view opens it.
    b.goto("/contacts").await;
    assert_eq!(b.contact_rows().await.len(), 25);
    b.click_link("Loyal by name").await;
    b.wait("the saved view", async || {
        let rows = b.contact_rows().await;
        (rows.first().map(String::as_str) == Some("Person 000 Loyal")).then_some(())
    })
    .await;
    assert_eq!(
        b.url().await.query(),
        saved.query(),
        "the view's own address"
    );
    b.screenshots(&format!("list-view-{tag}")).await;

    // 50 rows a page.
    b.find("select[name=per_page]")
        .await
        .select_by_value("50")
        .await
        .expect("pick a page size");
    if !js {
        b.click_button("Search").await;
    }
    b.wait("50 rows", async || {
        (b.contact_rows().await.len() == 50).then_some(())
    })
    .await;
    let url = b.url().await;
    assert!(
        url.query_pairs().any(|(k, v)| k == "per_page" && v == "50"),
        "{url}"
    );
    let first_page = b.contact_rows().await;
    assert_eq!(
        first_page.last().map(String::as_str),
        Some("Person 098 Loyal")
    );

    // Next page by keyset, and back.
    if js {
        b.mark_page().await;
    }
    b.click_link("Next →").await;
    b.wait("the second page", async || {
        let rows = b.contact_rows().await;
        (rows.len() == 10 && rows[0] == "Person 100 Loyal").then_some(())
    })
    .await;
    let url = b.url().await;
    assert!(
        url.query_pairs().any(|(k, _)| k == "after"),
        "keyset link: {url}"
    );
    assert!(b.text(".pager").await.contains("Page 2 of 2"));
    assert!(b.text(".pager").await.contains("51–60 of 60"));
    if js {
        assert!(
            b.page_is_marked().await,
            "swapped in by htmx, not a page load"
        );
    }
    b.screenshots(&format!("list-page2-{tag}")).await;
    b.click_link("← Previous").await;
    b.wait("the first page again", async || {
        (b.contact_rows().await == first_page).then_some(())
    })
    .await;
    assert!(b.text(".pager").await.contains("Page 1 of 2"));

    // The views page.
    b.goto("/views?list=contacts").await;
    assert_eq!(b.heading().await, "Saved views");
    b.screenshots(&format!("views-page-{tag}")).await;
    for (path, name) in [
        ("/admin/users", "admin-users"),
        ("/admin/teams", "admin-teams"),
        ("/admin/audit", "admin-audit"),
        ("/tasks", "my-tasks"),
    ] {
        b.goto(path).await;
        b.screenshots(&format!("{name}-{tag}")).await;
    }

    b.assert_quiet_console().await;
    b.c.close().await.expect("close the browser session");
}

#[tokio::test]
async fn list_journey_js_on() {
    list_journey(true).await;
}

#[tokio::test]
async fn list_journey_js_off() {
    list_journey(false).await;
}
