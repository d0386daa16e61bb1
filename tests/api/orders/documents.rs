//! Quotes and orders: totals computed by the one rounding rule and
//! stored; the editor's recalculation (htmx totals, no-JS add/remove
//! line); validation beside the fields; the workflow with numbers, stock
//! and the timeline; confirmed orders refuse edits; record scope; print.

use super::*;
use rapport::db::schema::{activities, order_lines, orders};

#[tokio::test]
async fn a_quote_is_priced_by_the_rounding_rule_and_confirmed_into_a_numbered_order() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    let a = product(&app, &mut admin, "A-1", "10.00", "13", Some(10)).await;
    product(&app, &mut admin, "B-2", "0.35", "7", None).await;
    product(&app, &mut admin, "C-3", "19.99", "13", None).await;

    // 3 × 10.00 = 30.00, less 10% = 27.00, tax 13% = 3.51
    // 1.5 × 0.35 = 0.525 → 0.53 (half away from zero), tax 7% = 0.0371 → 0.04
    // 1 × 19.99 less 5.00 = 14.99, tax 13% = 1.9487 → 1.95
    let id = quote(
        &mut admin,
        "cora@test.example",
        &[
            ("A-1", "3", "10%"),
            ("b-2", "1.5", ""),
            ("C-3", "1", "5.00"),
        ],
    )
    .await;
    let (status, number, total, _) = state(&app, id);
    assert_eq!((status.as_str(), number), ("draft", None));
    assert_eq!(total, 2700 + 351 + 53 + 4 + 1499 + 195);
    let nets: Vec<i64> = order_lines::table
        .filter(order_lines::order_id.eq(id))
        .order(order_lines::position.asc())
        .select(order_lines::net_minor)
        .load(&mut app.conn())
        .expect("lines");
    assert_eq!(nets, vec![2700, 53, 1499]);
    let (_, doc) = admin.get_html(&format!("/orders/{id}")).await;
    assert_eq!(text(&doc, "#doc-total"), "$48.02");

    // Sent: a quote number; confirmed: an order number, stock taken.
    assert_eq!(
        step(&app, &mut admin, id, "send", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        step(&app, &mut admin, id, "confirm", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let year = chrono::Utc::now().format("%Y").to_string();
    let (status, number, _, _) = state(&app, id);
    assert_eq!(status, "confirmed");
    assert_eq!(number, Some(format!("SO-{year}-000001")));
    assert_eq!(on_hand(&app, a), 7);

    // Confirmed: no edits, no editor, not even a recalculated save.
    assert_eq!(
        admin.get(&format!("/orders/{id}/edit")).await.status(),
        StatusCode::CONFLICT
    );
    let mut form = quote_form("cora@test.example", &[("A-1", "1", "")], &key());
    form.push(("version".into(), state(&app, id).3.to_string()));
    assert_eq!(
        post_pairs(&mut admin, &format!("/orders/{id}"), &form)
            .await
            .status(),
        StatusCode::CONFLICT
    );
    assert_eq!(line_count(&app, id), 3);
    // Nor a second confirmation.
    assert_eq!(
        step(&app, &mut admin, id, "confirm", &[]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Cancelling needs a reason and gives the stock back.
    assert_eq!(
        step(&app, &mut admin, id, "cancel", &[]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        step(
            &app,
            &mut admin,
            id,
            "cancel",
            &[("reason", "Customer changed their mind")]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(state(&app, id).0, "cancelled");
    assert_eq!(on_hand(&app, a), 10);

    // Every step is on the order's timeline (and the contact's).
    let kinds: i64 = activities::table
        .filter(activities::order_id.eq(id))
        .filter(activities::kind.eq("order"))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(kinds, 4, "created, sent, confirmed, cancelled");
    let (_, doc) = admin.get_html(&format!("/orders/{id}")).await;
    assert!(text(&doc, "#timeline").contains("Customer changed their mind"));

    // The printable page: the document alone, company details, no chrome.
    let (status, doc) = admin.get_html(&format!("/orders/{id}/print")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text(&doc, "#print-number"), format!("SO-{year}-000001"));
    assert!(texts(&doc, "nav").is_empty());
    assert_eq!(text(&doc, "#doc-total"), "$48.02");
}

#[tokio::test]
async fn the_editor_recalculates_on_the_server_and_refuses_bad_lines_beside_them() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    product(&app, &mut admin, "A-1", "10.00", "13", None).await;

    // htmx while typing: the totals alone.
    let form = quote_form("cora@test.example", &[("A-1", "2", "")], &key());
    let mut pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    pairs.push(("view", "totals"));
    let res = admin.post_htmx("/orders/recalc", &pairs).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    assert_eq!(text(&doc, "#grand-total"), "$22.60");
    assert!(texts(&doc, "form").is_empty(), "a fragment, not the page");

    // Without JavaScript "add line" gives the whole form with one more line,
    // the product's snapshot filled in.
    let mut pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    pairs.push(("op", "add"));
    let res = admin.post("/orders/recalc", &pairs).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    assert_eq!(texts(&doc, "tr.line").len(), 2);
    assert_eq!(
        doc.select(&Selector::parse(r#"input[name="price_0"]"#).expect("css"))
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("10.00")
    );
    assert_eq!(text(&doc, "#grand-total"), "$22.60");

    // Bad lines: 422 with the form, errors beside the fields, nothing stored.
    let before = count_orders(&app);
    let res = post_pairs(
        &mut admin,
        "/orders",
        &quote_form(
            "cora@test.example",
            &[("A-1", "0", ""), ("NOPE", "1", ""), ("A-1", "1", "50.00")],
            &key(),
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(!text(&doc, "#qty_0-error").is_empty());
    assert!(text(&doc, "#sku_1-error").contains("NOPE"));
    assert!(
        !text(&doc, "#disc_2-error").is_empty(),
        "a discount above the line's amount"
    );
    let res = post_pairs(
        &mut admin,
        "/orders",
        &quote_form("", &[("A-1", "1", "")], &key()),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text(&html(res).await, "#account-error").is_empty());
    assert_eq!(count_orders(&app), before);

    // A stale edit is a conflict; a fresh one replaces the lines.
    let id = quote(&mut admin, "cora@test.example", &[("A-1", "1", "")]).await;
    let mut form = quote_form("cora@test.example", &[("A-1", "4", "")], &key());
    form.push(("version".into(), "1".into()));
    assert_eq!(
        post_pairs(&mut admin, &format!("/orders/{id}"), &form)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(state(&app, id).2, 4520);
    assert_eq!(
        post_pairs(&mut admin, &format!("/orders/{id}"), &form)
            .await
            .status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn a_rep_sees_only_the_orders_their_scope_allows() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    product(&app, &mut admin, "A-1", "1", "0", None).await;
    let theirs = quote(&mut admin, "cora@test.example", &[("A-1", "1", "")]).await;
    app.create_user(&mut admin, "rep@test.example", "sales", None)
        .await;
    let mut rep = app.login("rep@test.example").await;
    let (_, doc) = rep.get_html("/orders").await;
    assert!(texts(&doc, "table.orders-table tbody tr").is_empty());
    for path in [
        format!("/orders/{theirs}"),
        format!("/orders/{theirs}/edit"),
        format!("/orders/{theirs}/print"),
    ] {
        assert_eq!(
            rep.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = rep
        .post(
            &format!("/orders/{theirs}/status"),
            &[("to", "cancel"), ("version", "1"), ("reason", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(state(&app, theirs).0, "draft");
    let (_, doc) = admin.get_html("/orders").await;
    assert_eq!(texts(&doc, "table.orders-table tbody tr").len(), 1);
}

#[tokio::test]
async fn an_order_keeps_its_timeline_when_its_contact_is_deleted() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let cora = app
        .create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    product(&app, &mut admin, "A-1", "1", "0", None).await;
    let id = quote(&mut admin, "cora@test.example", &[("A-1", "1", "")]).await;
    assert_eq!(
        step(&app, &mut admin, id, "send", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let res = admin.post(&format!("/contacts/{cora}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let entries = |app: &TestApp| -> i64 {
        activities::table
            .filter(activities::order_id.eq(id))
            .count()
            .get_result(&mut app.conn())
            .expect("count")
    };
    assert_eq!(entries(&app), 2, "created and sent stay on the order");
    // The order lives on without a customer, and its steps are still recorded.
    assert_eq!(
        step(&app, &mut admin, id, "accept", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(entries(&app), 3);
    let (status, doc) = admin.get_html(&format!("/orders/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#timeline li.activity").len(), 3);
}

#[tokio::test]
async fn the_number_prefixes_come_from_the_workspace_settings() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    product(&app, &mut admin, "A-1", "1", "0", None).await;
    let settings = |q: &'static str, o: &'static str, v: &'static str| {
        vec![
            ("company_name", "Northwind"),
            ("company_address", "1 Main St"),
            ("language", "en"),
            ("time_zone", "UTC"),
            ("currency", "USD"),
            ("quote_prefix", q),
            ("order_prefix", o),
            ("version", v),
        ]
    };
    let (_, doc) = admin.get_html("/admin/settings").await;
    let version = doc
        .select(&Selector::parse(r#"input[name="version"]"#).expect("css"))
        .next()
        .and_then(|e| e.value().attr("value"))
        .expect("version")
        .to_string();
    let v: &'static str = Box::leak(version.into_boxed_str());
    let res = admin
        .post("/admin/settings", &settings("A B", "SO", v))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!text(&html(res).await, "#quote_prefix-error").is_empty());
    let res = admin
        .post("/admin/settings", &settings("ANG", "AUF", v))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let id = quote(&mut admin, "cora@test.example", &[("A-1", "1", "")]).await;
    assert_eq!(
        step(&app, &mut admin, id, "send", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        step(&app, &mut admin, id, "confirm", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(state(&app, id).1, Some(format!("AUF-{year}-000001")));
    let (_, doc) = admin.get_html(&format!("/orders/{id}/print")).await;
    assert!(text(&doc, ".company").contains("Northwind"));
    assert!(text(&doc, ".company").contains("1 Main St"));
    let (_, doc) = admin.get_html(&format!("/orders/{id}")).await;
    assert!(text(&doc, "dl.facts").contains(&format!("ANG-{year}-000001")));
}

#[tokio::test]
async fn winning_a_deal_drafts_one_quote_with_its_value() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    let stages = crate::deals::stages(&app);
    let (lead, won) = (stages[0].0.to_string(), stages[4].0.to_string());
    let res = admin
        .post(
            "/leads",
            &[
                ("title", "Fleet renewal"),
                ("contact", "cora@test.example"),
                ("value", "1500.00"),
                ("currency", "USD"),
                ("source", "other"),
                ("stage_id", lead.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let deal: i64 = location(&res)
        .trim_start_matches("/leads/")
        .parse()
        .expect("deal id");
    let quotes = |app: &TestApp| -> Vec<(i64, String, i64)> {
        orders::table
            .filter(orders::deal_id.eq(Some(deal)))
            .select((orders::id, orders::status, orders::total_minor))
            .load(&mut app.conn())
            .expect("orders")
    };
    let win = |v: &'static str| [("stage_id", won.clone()), ("version", v.to_string())];
    let res = admin
        .post(
            &format!("/leads/{deal}/move"),
            &win("1")
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let made = quotes(&app);
    assert_eq!(made.len(), 1);
    assert_eq!((made[0].1.as_str(), made[0].2), ("draft", 150_000));
    let (_, doc) = admin.get_html(&format!("/orders/{}", made[0].0)).await;
    assert!(text(&doc, "table.doc-lines").contains("Fleet renewal"));
    assert!(text(&doc, "#timeline").contains("Fleet renewal"));

    // Reopened and won again: still the one quote.
    let res = admin
        .post(
            &format!("/leads/{deal}/move"),
            &[("stage_id", lead.as_str()), ("version", "2")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = admin
        .post(
            &format!("/leads/{deal}/move"),
            &win("3")
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(quotes(&app).len(), 1);
}
