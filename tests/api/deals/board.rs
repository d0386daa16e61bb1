//! The board: column counts, totals and weighted totals exact in minor
//! units; columns page with "load more"; deals made through the form.

use super::*;

fn column(doc: &Html, stage: i64, part: &str) -> String {
    text_of(
        doc,
        &format!(r#"section.board-column[data-stage-id="{stage}"] {part}"#),
    )
}

#[tokio::test]
async fn column_headers_count_and_total_exactly_with_the_weighted_value_rounded_once() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let (lead, qualified) = (
        stage_id(&app, "pipeline-default-stage-lead"),
        stage_id(&app, "pipeline-default-stage-qualified"),
    );
    let won = stage_id(&app, "pipeline-default-stage-won");
    // Lead (10 %): $100.01 at the stage's 10 % and $3.00 at its own 50 %.
    insert_deal(&app, "Big one", me, lead, 10_001, None);
    insert_deal(&app, "Small one", me, lead, 300, Some(50));
    // Qualified (25 %): three deals of one cent: 0.75 cents → 1 cent, not 3 × 0.
    for n in 0..3 {
        insert_deal(&app, &format!("Cent {n}"), me, qualified, 1, None);
    }
    let closed = insert_deal(&app, "Closed", me, lead, 5_000, None);
    {
        use rapport::db::schema::deals;
        diesel::update(deals::table.find(closed))
            .set((deals::stage_id.eq(won), deals::status.eq("won")))
            .execute(&mut app.conn())
            .expect("won");
    }

    let (status, doc) = admin.get_html("/leads").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(column(&doc, lead, ".count"), "2");
    assert_eq!(column(&doc, lead, ".total"), "$103.01");
    // 10001 × 10 + 300 × 50 = 115,010 → $11.50 (1,150.1 cents, rounded once).
    assert_eq!(column(&doc, lead, ".weighted"), "$11.50");
    assert_eq!(column(&doc, qualified, ".count"), "3");
    assert_eq!(column(&doc, qualified, ".total"), "$0.03");
    assert_eq!(column(&doc, qualified, ".weighted"), "$0.01");
    assert_eq!(
        texts(
            &doc,
            &format!(r#"section.board-column[data-stage-id="{lead}"] li.deal-card"#)
        )
        .len(),
        2
    );
    // Won deals are a summary, not a column of cards.
    assert_eq!(
        text_of(
            &doc,
            &format!(r#"section.board-outcome[data-stage-id="{won}"] .count"#)
        ),
        "1"
    );
    assert_eq!(
        text_of(
            &doc,
            &format!(r#"section.board-outcome[data-stage-id="{won}"] .total"#)
        ),
        "$50.00"
    );
    // The hooks a drag-and-drop script needs are on every card.
    let sel = Selector::parse("li.deal-card").expect("selector");
    for card in doc.select(&sel) {
        let v = card.value();
        assert!(v.attr("data-deal-id").is_some() && v.attr("data-version") == Some("1"));
        assert!(v.attr("data-stage-id").is_some());
    }

    // Filters narrow the totals too (kept in the URL), and htmx gets the board alone.
    let (_, doc) = admin.get_html("/leads?pipeline=1&q=big").await;
    assert_eq!(column(&doc, lead, ".count"), "1");
    assert_eq!(column(&doc, lead, ".total"), "$100.01");
    assert_eq!(column(&doc, qualified, ".count"), "0");
    assert_eq!(
        column(&doc, qualified, ".total"),
        "—",
        "no currency to write a zero in"
    );
    let res = admin.get_htmx("/leads?q=big").await;
    let body = res.text().await.expect("body");
    assert!(body.contains(r#"id="board""#) && !body.contains("<html"));

    // In Chinese the header and money come from the catalogue and formatter.
    let mut admin = admin;
    let res = admin
        .post(
            "/account/locale",
            &[("language", "zh-CN"), ("time_zone", "Asia/Shanghai")],
        )
        .await;
    assert!(res.status().is_redirection());
    let (_, doc) = admin.get_html("/leads").await;
    assert_eq!(text_of(&doc, "h1"), "新业务");
    assert_eq!(column(&doc, lead, ".total"), "$103.01");
}

#[tokio::test]
async fn a_column_shows_a_page_of_cards_and_loads_more_with_or_without_javascript() {
    let app = spawn().await;
    let admin = app.setup_admin().await;
    let me = app.user_id(ADMIN_EMAIL);
    let proposal = stage_id(&app, "pipeline-default-stage-proposal");
    for n in 0..25 {
        insert_deal(&app, &format!("Deal {n:02}"), me, proposal, 100, None);
    }
    let (_, doc) = admin.get_html("/leads").await;
    let cards = format!(r#"section.board-column[data-stage-id="{proposal}"] li.deal-card"#);
    assert_eq!(texts(&doc, &cards).len(), 20);
    assert_eq!(
        texts(&doc, &format!("{cards} .deal-title"))
            .first()
            .map(String::as_str),
        Some("Deal 24"),
        "newest first"
    );
    let more = Selector::parse("li.load-more a").expect("selector");
    let href = doc
        .select(&more)
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("load more")
        .to_string();
    assert!(href.starts_with(&format!("/leads/stages/{proposal}?")));
    // Without JavaScript: a page of the column's next cards.
    let (status, page) = admin.get_html(&href).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&page, "li.deal-card").len(), 5);
    assert!(texts(&page, "li.load-more").is_empty());
    // With htmx: the cards alone, to append.
    let body = admin.get_htmx(&href).await.text().await.expect("body");
    assert_eq!(body.matches("class=\"deal-card").count(), 5);
    assert!(!body.contains("<html"));
}

#[tokio::test]
async fn a_deal_made_through_the_form_shows_on_the_board_and_its_account_timeline() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let account = app.create_account(&mut admin, "Initech", &[]).await;
    let lead = stage_id(&app, "pipeline-default-stage-lead");
    let form = |title: &'static str| {
        vec![
            ("title", title),
            ("account", "Initech"),
            ("value", "1,250.50"),
            ("currency", "USD"),
            ("source", "referral"),
            ("expected_close", "2027-01-31"),
            ("tags", "hot"),
        ]
    };
    // Refused: no stage, bad value → 422 beside the fields, values kept.
    let mut bad = form("");
    bad[2] = ("value", "12.345");
    let res = admin.post("/leads", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    for f in ["title", "value", "stage_id"] {
        assert!(!texts(&doc, &format!("#{f}-error")).is_empty(), "{f}");
    }
    let lead_s = lead.to_string();
    let mut good = form("Initech renewal");
    good.push(("stage_id", lead_s.as_str()));
    let res = admin.post("/leads", &good).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = location(&res);
    let id: i64 = page.trim_start_matches("/leads/").parse().expect("id");
    let (_, doc) = admin.get_html(&page).await;
    assert_eq!(text_of(&doc, "h1"), "Initech renewal");
    assert_eq!(texts(&doc, ".flash"), vec!["Deal created."]);
    assert!(doc.html().contains("$1,250.50"));
    // 10 % of $1,250.50 = $125.05.
    assert!(doc.html().contains("$125.05"));
    assert_eq!(texts(&doc, ".stage-history li").len(), 1);

    // A note on the deal is filed under its account too.
    let res = admin
        .post(
            &format!("/leads/{id}/activities"),
            &[("kind", "note"), ("body", "Sent the quote.")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, acc) = admin.get_html(&format!("/accounts/{account}")).await;
    assert!(texts(&acc, ".timeline .body").contains(&"Sent the quote.".to_string()));
    // The account's page lists its deals and starts a new one prefilled.
    assert_eq!(texts(&acc, "#deals .deal-list a"), vec!["Initech renewal"]);
    let new = format!("/leads/new?account={account}");
    assert!(acc.html().contains(&format!(r#"href="{new}""#)));
    let (_, form) = admin.get_html(&new).await;
    let account_field = Selector::parse("#account").expect("sel");
    assert_eq!(
        form.select(&account_field)
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("Initech")
    );
    // A task added on the deal's page is linked to the deal.
    let id_s = id.to_string();
    let res = admin
        .post(
            "/tasks",
            &[
                ("title", "Chase the signature"),
                ("due_on", "2030-01-01"),
                ("deal_id", id_s.as_str()),
                ("next", page.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = admin.get_html(&page).await;
    assert!(doc.html().contains("Chase the signature"));
    let (_, tasks) = admin.get_html("/tasks").await;
    assert!(tasks.html().contains(&format!(r#"href="/leads/{id}""#)));
    let (_, board) = admin.get_html("/leads?tag=hot").await;
    assert_eq!(
        texts(&board, "li.deal-card .deal-title"),
        vec!["Initech renewal"]
    );
    let (_, list) = admin.get_html("/leads/list?q=initech").await;
    assert_eq!(texts(&list, "table.deals-table tbody tr").len(), 1);
}
