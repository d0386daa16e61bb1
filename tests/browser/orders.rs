//! The order journey, JavaScript on and off: a quote with three lines
//! picked through the product search, a quantity changed and the totals
//! following (live with htmx; on save without), the quote saved and
//! confirmed into a numbered order, then its printable page.

use crate::harness::{Browser, browse, spawn_app};

impl Browser {
    /// The values of the product search's options.
    async fn value_of_options(&self) -> Vec<String> {
        let v = self
            .c
            .execute(
                "return Array.from(document.querySelectorAll('#product-options option')).map(o => o.value);",
                vec![],
            )
            .await
            .unwrap_or_default();
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Three products: 10.00 at 13 %, 2.50 at 13 % and 0.35 at 7 %.
const PRODUCTS: &str = "INSERT INTO products (sku, sku_key, name, description, unit_price_minor, currency, \
     tax_rate_bp, active, track_stock, on_hand, version, created_at, updated_at) VALUES \
     ('WID-10', 'wid-10', 'Widget', '', 1000, 'USD', 1300, TRUE, TRUE, 50, 1, '{now}', '{now}'), \
     ('GAD-25', 'gad-25', 'Gadget', '', 250, 'USD', 1300, TRUE, FALSE, 0, 1, '{now}', '{now}'), \
     ('BOLT-1', 'bolt-1', 'Bolt', '', 35, 'USD', 700, TRUE, FALSE, 0, 1, '{now}', '{now}');";

async fn pick(b: &Browser, js: bool, line: usize, typed: &str, sku: &str, name: &str) {
    let field = format!("#sku_{line}");
    if !js {
        b.fill(&field, sku).await;
        return;
    }
    // Search as you type: the options list fills from the server. (Typed
    // into the empty field without clearing it: a clear is a change, and a
    // change redraws the editor.)
    b.find(&field).await.send_keys(typed).await.expect("type");
    b.wait(&format!("options for “{typed}”"), async || {
        let opts = b.value_of_options().await;
        opts.iter().any(|o| o == sku).then_some(())
    })
    .await;
    b.assert_quiet_console().await;
    b.find(&field)
        .await
        .send_keys(&sku[typed.len()..])
        .await
        .expect("type the rest");
    {
        // Leaving the field picks the product: the line shows its name.
        b.find(&field)
            .await
            .send_keys("\u{e004}")
            .await
            .expect("tab out");
        let row = format!("#line-{line} .line-name");
        b.wait(&format!("{name} on line {line}"), async || {
            let t = b.texts(&row).await;
            t.iter().any(|t| t.contains(name)).then_some(())
        })
        .await;
    }
}

async fn order_journey(js: bool) {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, js).await;
    let tag = format!(
        "{}-{}",
        if js { "js-on" } else { "js-off" },
        app.db.backend()
    );
    b.first_run_setup().await;
    let now = chrono::Utc::now()
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    app.sql(&PRODUCTS.replace("{now}", &now));
    b.create_contact("Cora", "Customer", "cora@test.example", "Northwind")
        .await;

    b.goto("/orders").await;
    b.click_link("New quote").await;
    b.wait_path("to be /orders/new", |p| p == "/orders/new")
        .await;
    b.fill("#contact", "cora@test.example").await;
    pick(&b, js, 0, "WID", "WID-10", "Widget").await;
    pick(&b, js, 1, "GAD", "GAD-25", "Gadget").await;
    pick(&b, js, 2, "BOLT", "BOLT-1", "Bolt").await;
    if js {
        // 1 × 10.00 + 1 × 2.50 + 1 × 0.35 = 12.85; tax 1.30 + 0.33 + 0.02.
        b.wait_texts("#grand-total", &["$14.50"]).await;
        // A quantity changed: the totals follow as one types (select
        // the 1 and type over it).
        b.find("#qty_0")
            .await
            .send_keys("\u{e009}a\u{e000}3")
            .await
            .expect("type a quantity");
        // 30.00 + 2.50 + 0.35 = 32.85; tax 3.90 + 0.33 + 0.02 = 4.25.
        b.wait_texts("#grand-total", &["$37.10"]).await;
        b.wait_texts("#amount_0", &["$30.00"]).await;
    } else {
        b.fill("#qty_0", "3").await;
        b.fill("#qty_1", "1").await;
        b.fill("#qty_2", "1").await;
        // Without JavaScript "Add line" gives the form back with a fourth line.
        b.click_button("Add line").await;
        b.wait("a fourth line", async || {
            (b.texts("tr.line").await.len() == 4).then_some(())
        })
        .await;
        assert_eq!(b.text("#grand-total").await, "$37.10");
    }
    b.screenshots(&format!("order-editor-{tag}")).await;
    b.find("#save-order").await.click().await.expect("save");
    let url = b
        .wait_path("to be the quote's page", |p| {
            p.strip_prefix("/orders/")
                .is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
        })
        .await;
    assert_eq!(b.text("#doc-total").await, "$37.10");
    assert_eq!(b.text("#order-status").await, "Draft quote");

    b.click_button("Confirm order").await;
    b.wait_texts("#order-status", &["Confirmed order"]).await;
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(b.text("#order-number").await, format!("SO-{year}-000001"));
    assert_eq!(b.url().await.path(), url.path());
    b.screenshots(&format!("order-{tag}")).await;

    b.click_link("Printable version").await;
    b.wait_path("to be the printable page", |p| p.ends_with("/print"))
        .await;
    assert_eq!(b.text("#print-number").await, format!("SO-{year}-000001"));
    assert_eq!(b.text("#doc-total").await, "$37.10");
    assert!(b.texts("nav").await.is_empty(), "no app chrome");
    b.screenshots(&format!("order-print-{tag}")).await;
    b.assert_quiet_console().await;
}

#[tokio::test]
async fn order_journey_with_javascript() {
    order_journey(true).await;
}

#[tokio::test]
async fn order_journey_without_javascript() {
    order_journey(false).await;
}

/// A quote sent to its customer: the staff page shows the customer link;
/// the public page (no app chrome) accepts with a typed name and then says
/// it is accepted. JavaScript off: the page is a plain form.
async fn quote_acceptance(js: bool) {
    let app = spawn_app().await;
    let (_driver, b) = browse(&app, js).await;
    let tag = format!(
        "{}-{}",
        if js { "js-on" } else { "js-off" },
        app.db.backend()
    );
    b.first_run_setup().await;
    let now = chrono::Utc::now()
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    app.sql(&PRODUCTS.replace("{now}", &now));
    b.create_contact("Cora", "Customer", "cora@test.example", "Northwind")
        .await;
    b.goto("/orders/new").await;
    b.fill("#contact", "cora@test.example").await;
    pick(&b, js, 0, "WID", "WID-10", "Widget").await;
    b.fill("#qty_0", "2").await;
    b.find("#save-order").await.click().await.expect("save");
    b.wait_path("to be the quote's page", |p| {
        p.strip_prefix("/orders/")
            .is_some_and(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_digit()))
    })
    .await;
    b.click_button("Send to customer").await;
    b.wait_texts("#order-status", &["Quote sent"]).await;
    let link = b.text("#public-link").await;
    b.screenshots(&format!("quote-sent-{tag}")).await;
    let path = &link[link.find("/q/").expect("a /q/ link")..];
    b.goto(path).await;
    assert!(
        b.texts("nav.topbar, .topbar").await.is_empty(),
        "no app chrome"
    );
    assert_eq!(b.text("#doc-total").await, "$22.60");
    b.screenshots(&format!("quote-public-{tag}")).await;
    b.fill("#accept-name", "Cora Customer").await;
    b.click_button("Accept quote").await;
    b.wait_texts(
        "#quote-state",
        &["This quote has been accepted. Thank you!"],
    )
    .await;
    b.screenshots(&format!("quote-accepted-{tag}")).await;
    b.assert_quiet_console().await;
}

#[tokio::test]
async fn a_customer_accepts_a_sent_quote_with_javascript() {
    quote_acceptance(true).await;
}

#[tokio::test]
async fn a_customer_accepts_a_sent_quote_without_javascript() {
    quote_acceptance(false).await;
}
