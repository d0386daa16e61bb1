//! On the contact's and account's pages: the customer's quotes and orders
//! and their figures — orders, lifetime revenue, average order value, last
//! order date — counting confirmed orders only (quotes and cancelled
//! orders are listed, not counted).

use super::*;

#[tokio::test]
async fn a_customers_page_shows_its_orders_and_figures() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let cora = app
        .create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    product(&app, &mut admin, "A-1", "10.00", "0", None).await;
    let one = quote(&mut admin, "cora@test.example", &[("A-1", "1", "")]).await;
    let two = quote(&mut admin, "cora@test.example", &[("A-1", "2", "")]).await;
    let quote_only = quote(&mut admin, "cora@test.example", &[("A-1", "9", "")]).await;
    let cancelled = quote(&mut admin, "cora@test.example", &[("A-1", "5", "")]).await;
    for id in [one, two, cancelled] {
        assert_eq!(
            step(&app, &mut admin, id, "confirm", &[]).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        step(
            &app,
            &mut admin,
            cancelled,
            "cancel",
            &[("reason", "Duplicate")]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );

    let (_, doc) = admin.get_html(&format!("/contacts/{cora}")).await;
    assert_eq!(text(&doc, "#orders .stat-orders"), "2");
    assert_eq!(text(&doc, "#orders .stat-revenue"), "$30.00");
    assert_eq!(text(&doc, "#orders .stat-average"), "$15.00");
    assert!(!text(&doc, "#orders .stat-last").is_empty());
    assert_eq!(
        texts(&doc, "#orders li").len(),
        4,
        "quotes and cancelled ones are listed"
    );
    let (_, doc) = admin.get_html(&format!("/orders/{quote_only}")).await;
    assert_eq!(text(&doc, "#order-status"), "Draft quote");
}
