//! The account list (search, filters, sort, pages; fragment or full page)
//! and the detail page with its contacts and timeline.

use super::*;

#[tokio::test]
async fn list_searches_filters_sorts_and_pages_as_fragment_or_full_page() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    for i in 0..28 {
        app.create_account(
            &mut admin,
            &format!("Company {i:02}"),
            &[
                ("domain", &format!("company{i:02}.example")),
                ("city", if i % 2 == 0 { "Paris" } else { "Lyon" }),
                ("industry", if i < 3 { "Retail" } else { "Software" }),
            ],
        )
        .await;
    }
    let team = app.create_team(&mut admin, "Sales").await;
    app.create_user(&mut admin, "rep@test.example", "sales", Some(team))
        .await;
    let rep_id = app.user_id("rep@test.example");
    app.create_account(
        &mut admin,
        "Zenith Widgets",
        &[
            ("phone", "+33 1 23 45 67 89"),
            ("city", "Marseille"),
            ("tags", "vip"),
            ("owner_id", &rep_id.to_string()),
        ],
    )
    .await;
    app.create_account(&mut admin, "Acme 100% Ltd", &[("tags", "vip")])
        .await;

    let res = admin.get("/accounts").await;
    assert!(
        res.headers()
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap_or("").contains("HX-Request"))
    );
    let doc = html(res).await;
    assert_eq!(texts(&doc, "#results tbody tr").len(), 25, "25 a page");
    assert!(texts(&doc, ".pager").join(" ").contains("1–25 of 30"));
    assert_eq!(
        texts(&doc, "#results tbody tr td:first-child a")
            .first()
            .map(String::as_str),
        Some("Acme 100% Ltd"),
        "newest first by default"
    );
    assert!(
        !texts(&doc, "form.searchbar select[name=industry] option").is_empty(),
        "the full page has the filter menus"
    );

    // Sorting and pages, with plain links.
    let (_, doc) = admin.get_html("/accounts?sort=name&dir=asc&page=2").await;
    assert_eq!(
        texts(&doc, "#results tbody tr td:first-child a"),
        vec![
            "Company 24",
            "Company 25",
            "Company 26",
            "Company 27",
            "Zenith Widgets"
        ]
    );
    assert!(texts(&doc, ".pager").join(" ").contains("Page 2 of 2"));
    let (_, doc) = admin.get_html("/accounts?sort=name&dir=desc").await;
    assert_eq!(
        texts(&doc, "#results tbody tr td:first-child a")
            .first()
            .map(String::as_str),
        Some("Zenith Widgets")
    );
    let sel = Selector::parse("th a[href*='sort=name']").expect("selector");
    let link = doc.select(&sel).next().expect("name header link");
    assert!(
        link.value()
            .attr("href")
            .unwrap_or_default()
            .contains("dir=asc"),
        "the header toggles direction"
    );
    let (_, doc) = admin.get_html("/accounts?sort=city&dir=desc").await;
    assert_eq!(
        texts(&doc, "#results tbody tr td:nth-child(4)")
            .first()
            .map(String::as_str),
        Some("Paris")
    );
    let (_, doc) = admin.get_html("/accounts?page=999").await;
    assert!(texts(&doc, ".pager").join(" ").contains("Page 2 of 2"));

    // Search across name, domain, city and phone; every word must match.
    assert_eq!(listed(&admin, "?q=zenith").await, vec!["Zenith Widgets"]);
    assert_eq!(
        listed(&admin, "?q=company07.example").await,
        vec!["Company 07"]
    );
    assert_eq!(listed(&admin, "?q=marseille").await, vec!["Zenith Widgets"]);
    assert_eq!(listed(&admin, "?q=45+67").await, vec!["Zenith Widgets"]);
    assert_eq!(listed(&admin, "?q=company+paris").await.len(), 14);
    assert_eq!(
        listed(&admin, "?q=100%25").await,
        vec!["Acme 100% Ltd"],
        "wildcards are literal"
    );
    assert!(listed(&admin, "?q=%25%25").await.is_empty());
    let (_, doc) = admin.get_html("/accounts?q=nothing-like-this").await;
    assert!(
        texts(&doc, ".empty")
            .join(" ")
            .contains("No accounts match")
    );

    // Filters: owner, tag, industry, city, combined.
    assert_eq!(
        listed(&admin, &format!("?owner={rep_id}")).await,
        vec!["Zenith Widgets"]
    );
    let mut vip = listed(&admin, "?tag=vip&sort=name&dir=asc").await;
    vip.sort();
    assert_eq!(vip, vec!["Acme 100% Ltd", "Zenith Widgets"]);
    assert_eq!(
        listed(&admin, "?industry=Retail&sort=name&dir=asc").await,
        vec!["Company 00", "Company 01", "Company 02"]
    );
    assert_eq!(
        listed(&admin, "?industry=Retail&city=Lyon").await,
        vec!["Company 01"]
    );
    let (_, doc) = admin.get_html("/accounts?city=Lyon&sort=name").await;
    assert!(texts(&doc, ".pager").join(" ").contains("of 14"));
    let sel = Selector::parse(".pager a[rel=next], th a").expect("selector");
    assert!(
        doc.select(&sel).all(|a| a
            .value()
            .attr("href")
            .unwrap_or_default()
            .contains("city=Lyon")),
        "sort links keep the filters"
    );

    // Search-as-you-type: htmx gets only the results region.
    let res = admin.get_htmx("/accounts?q=company0").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.expect("body");
    assert!(
        body.trim_start().starts_with("<div id=\"results\">"),
        "{}",
        &body[..80.min(body.len())]
    );
    let frag = Html::parse_fragment(&body);
    assert_eq!(texts(&frag, "tbody tr").len(), 10);
    assert!(
        texts(&frag, "select").is_empty(),
        "no filter menus in the fragment"
    );
    // htmx history restore needs the full page.
    let res = admin
        .http
        .get(admin.url("/accounts?q=zen"))
        .header("HX-Request", "true")
        .header("HX-History-Restore-Request", "true")
        .send()
        .await
        .expect("get");
    assert!(res.text().await.expect("body").contains("<html"));
}

#[tokio::test]
async fn the_detail_page_shows_its_contacts_and_its_timeline() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = app.create_account(&mut admin, "Hopper Navy", &[]).await;
    let other = app.create_account(&mut admin, "Other Co", &[]).await;
    let grace = app
        .create_contact(&mut admin, "Grace", "Hopper", "grace@navy.example")
        .await;
    let res = admin
        .post(
            &format!("/contacts/{grace}"),
            &[
                ("first_name", "Grace"),
                ("last_name", "Hopper"),
                ("email", "grace@navy.example"),
                ("account_name", "Hopper Navy"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    app.create_contact(&mut admin, "Elsewhere", "Person", "")
        .await;
    admin
        .post(
            &format!("/contacts/{grace}/activities"),
            &[
                ("kind", "meeting"),
                ("subject", "Compiler demo"),
                ("body", ""),
            ],
        )
        .await;
    admin
        .post(
            &format!("/accounts/{id}/activities"),
            &[("body", "Budget approved.")],
        )
        .await;
    admin
        .post(
            &format!("/accounts/{other}/activities"),
            &[("body", "Not ours.")],
        )
        .await;

    let (status, doc) = admin.get_html(&format!("/accounts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&doc, "#contacts tbody td:first-child a"),
        vec!["Grace Hopper"]
    );
    let sel = Selector::parse("#contacts tbody a[href]").expect("selector");
    assert_eq!(
        doc.select(&sel).next().and_then(|a| a.value().attr("href")),
        Some(format!("/contacts/{grace}").as_str())
    );
    assert_eq!(
        texts(&doc, "#timeline li.activity p.body"),
        vec!["Budget approved."],
        "the account's own entry"
    );
    assert_eq!(
        texts(&doc, "#timeline li.activity p.subject"),
        vec!["Compiler demo"],
        "the contact's meeting shows on the company's timeline"
    );
    assert_eq!(
        texts(&doc, "#timeline li.kind-meeting .meta a"),
        vec!["Grace Hopper"],
        "with the contact it was logged on"
    );
    assert!(texts(&doc, "#contacts a[href^='/contacts?account=']").is_empty());
    // The account's own entries are not on the contact's timeline.
    let (_, doc) = admin.get_html(&format!("/contacts/{grace}")).await;
    assert_eq!(texts(&doc, "#timeline li.activity").len(), 1);

    // Past 50 contacts the page links to the filtered contact list.
    for i in 0..51 {
        admin
            .post(
                "/contacts",
                &[
                    ("first_name", &format!("Sailor{i:02}")),
                    ("account_name", "Hopper Navy"),
                ],
            )
            .await;
    }
    let (_, doc) = admin.get_html(&format!("/accounts/{id}")).await;
    assert_eq!(texts(&doc, "#contacts tbody tr").len(), 50);
    assert_eq!(texts(&doc, "#contacts h2"), vec!["Contacts (52)"]);
    let sel = Selector::parse("#contacts p a").expect("selector");
    let all = doc.select(&sel).next().expect("link to all contacts");
    assert_eq!(
        all.value().attr("href"),
        Some(format!("/contacts?account={id}").as_str())
    );
    let (_, doc) = admin.get_html(&format!("/contacts?account={id}")).await;
    assert!(texts(&doc, ".pager").join(" ").contains("of 52"));
}
