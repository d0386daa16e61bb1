//! The Insights journey with JavaScript on: the dashboard draws its charts,
//! a chart's figures table opens from its toggle, the owner filter narrows
//! the figures, the revenue figure clicks through to the orders behind
//! it; an admin sets a rep's target and the default commission plan, the
//! rep's bar against target lists his orders, and the commission report
//! shows his attainment and commission. Screenshots at desktop and phone
//! width.

use crate::harness::{PASSWORD, browse, spawn_app};

#[tokio::test]
async fn insights_journey() {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, true).await;
    let backend = app.db.backend();
    b.first_run_setup().await;

    // A second seller, so the owner filter has a choice.
    b.goto("/admin/users/new").await;
    b.fill("#name", "Sam Sales").await;
    b.fill("#email", "sam@test.example").await;
    b.find("#role")
        .await
        .select_by_value("sales")
        .await
        .expect("pick role");
    b.fill("#password", PASSWORD).await;
    b.fill("#password_confirm", PASSWORD).await;
    b.click_button("Create user").await;
    b.wait_path("to be /admin/users", |p| p == "/admin/users")
        .await;

    // Orders this month: 120.00 and 80.00 by the admin (user 1), 45.50 by
    // Sam (user 2), one per customer.
    let now = chrono::Utc::now()
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let mut sql = String::new();
    for (i, (owner, total)) in [(1, 12_000), (1, 8_000), (2, 4_550)].iter().enumerate() {
        sql.push_str(&format!(
            "INSERT INTO contacts (first_name, last_name, owner_id, lifecycle, consent, created_at, updated_at) \
             VALUES ('Buyer', 'N{i}', {owner}, 'prospect', 'never_asked', '{now}', '{now}');\n\
             INSERT INTO orders (order_number, status, contact_id, owner_id, currency, tax_mode, discount_kind, \
             discount_value, shipping_minor, shipping_tax_bp, subtotal_minor, discount_minor, tax_minor, total_minor, \
             notes, version, confirmed_at, created_at, updated_at) VALUES ('SO-{i}', 'confirmed', \
             (SELECT MAX(id) FROM contacts), {owner}, 'USD', 'exclusive', 'none', 0, 0, 0, {total}, 0, 0, {total}, '', 1, \
             '{now}', '{now}', '{now}');\n"
        ));
    }
    app.sql(&sql);

    b.click_link("Insights").await;
    b.wait_path("to be /insights", |p| p == "/insights").await;
    assert_eq!(b.heading().await, "Insights");
    b.find("#revenue-by-month svg rect").await;
    b.find("#new-returning svg").await;
    assert_eq!(b.text(".figure-revenue dd").await, "$245.50");
    b.screenshots(&format!("insights-{backend}")).await;

    // The figures table behind the toggle (a <details>, no script needed).
    let table = b.find("#revenue-by-month .chart-table table").await;
    assert!(
        !table.is_displayed().await.expect("shown?"),
        "closed at first"
    );
    b.find("#revenue-by-month .chart-table summary")
        .await
        .click()
        .await
        .expect("open the table");
    assert!(table.is_displayed().await.expect("shown?"), "open now");
    let rows = b.texts("#revenue-by-month .chart-table tbody tr").await;
    assert_eq!(rows.len(), 12, "a row per month: {rows:?}");
    assert!(
        rows.last().is_some_and(|r| r.ends_with("$245.50")),
        "{rows:?}"
    );

    // Targets: Sam's 100.00 this month, the default plan 10 %.
    b.goto("/admin/targets").await;
    b.fill("#amount-user-2", "100").await;
    b.click_button_in("row-user-2", "Save target").await;
    b.wait("the saved target", async || {
        let v = b.find("#amount-user-2").await.prop("value").await.ok()??;
        (v == "100.00").then_some(())
    })
    .await;
    b.fill("#rate-default", "10").await;
    b.find("#row-default form.plan-form button")
        .await
        .click()
        .await
        .expect("save the default plan");
    b.wait("the saved plan", async || {
        let v = b.find("#rate-default").await.prop("value").await.ok()??;
        (v == "10").then_some(())
    })
    .await;
    b.screenshots(&format!("targets-{backend}")).await;

    // Sam's revenue bar against his target lists the order behind it.
    b.goto("/insights").await;
    assert_eq!(b.text(".figure-attainment dd").await, "45.5%");
    b.find("#attainment svg a[href*='owner=2'] rect")
        .await
        .click()
        .await
        .expect("click Sam's bar");
    b.wait_path("to be /orders", |p| p == "/orders").await;
    let orders = b.texts("table.list tbody tr").await;
    assert_eq!(orders.len(), 1, "Sam's order only: {orders:?}");
    assert!(orders[0].contains("SO-2"), "{orders:?}");

    // The commission report: Sam 45.50 of 100.00, 10 % = 4.55.
    b.goto("/insights/commission").await;
    let sam = b.texts("#rep-2 td").await;
    assert_eq!(
        sam[1..],
        ["$45.50", "$100.00", "45.5%", "10% (default plan)", "$4.55"],
        "{sam:?}"
    );
    b.screenshots(&format!("commission-{backend}")).await;
    b.goto("/insights").await;

    // Only Sam's figures.
    b.find("#insights-owner")
        .await
        .select_by_value("2")
        .await
        .expect("pick Sam");
    b.click_button("Show").await;
    b.wait("the owner filter", async || {
        let url = b.c.current_url().await.ok()?;
        url.query_pairs()
            .any(|(k, v)| k == "owner" && v == "2")
            .then_some(())
    })
    .await;
    assert_eq!(b.text(".figure-revenue dd").await, "$45.50");
    assert_eq!(b.text(".figure-orders dd").await, "1");
    b.screenshots(&format!("insights-owner-{backend}")).await;

    // The number leads to the order behind it.
    b.find(".figure-revenue a")
        .await
        .click()
        .await
        .expect("click the revenue");
    b.wait_path("to be /orders", |p| p == "/orders").await;
    let orders = b.texts("table.list tbody tr").await;
    assert_eq!(orders.len(), 1, "Sam's order only: {orders:?}");
    assert!(orders[0].contains("SO-2"), "{orders:?}");

    b.assert_quiet_console().await;
    b.c.close().await.expect("close the browser session");
}
