//! The catalogue: SKUs unique whatever their case (a clear error beside
//! the field), bad values refused beside their fields, the list's search
//! and filter, the line editor's option list, stale edits refused.

use super::*;

#[tokio::test]
async fn skus_are_unique_whatever_their_case_and_bad_values_stay_in_the_form() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let id = product(&app, &mut admin, "WID-1", "12.50", "13", Some(5)).await;

    let res = admin
        .post(
            "/products",
            &[
                ("sku", "wid-1"),
                ("name", "Other"),
                ("price", "1"),
                ("currency", "USD"),
                ("tax_rate", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert!(
        text(&doc, "#sku-error").contains("wid-1"),
        "{}",
        text(&doc, "#sku-error")
    );
    assert_eq!(
        doc.select(&Selector::parse("#name").expect("css"))
            .next()
            .and_then(|e| e.value().attr("value")),
        Some("Other"),
        "the values are kept"
    );

    let res = admin
        .post(
            "/products",
            &[
                ("sku", "has space"),
                ("name", ""),
                ("price", "-1"),
                ("currency", "XXX"),
                ("tax_rate", "101"),
                ("on_hand", "-3"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    for f in ["sku", "name", "price", "currency", "tax_rate", "on_hand"] {
        assert!(
            !text(&doc, &format!("#{f}-error")).is_empty(),
            "error beside {f}"
        );
    }

    // A stale edit is refused with the fresh values; a fresh one saves.
    let form = |v: &'static str| {
        vec![
            ("sku", "WID-1"),
            ("name", "Widget"),
            ("price", "13"),
            ("currency", "USD"),
            ("tax_rate", "13"),
            ("active", "on"),
            ("track_stock", "on"),
            ("on_hand", "5"),
            ("version", v),
        ]
    };
    assert_eq!(
        admin
            .post(&format!("/products/{id}"), &form("1"))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        admin
            .post(&format!("/products/{id}"), &form("1"))
            .await
            .status(),
        StatusCode::CONFLICT
    );

    // The list finds it by SKU or name; the filter hides it once retired.
    product(&app, &mut admin, "GAD-2", "3", "0", None).await;
    let (_, doc) = admin.get_html("/products?q=wid").await;
    assert_eq!(
        texts(&doc, "table.products-table tbody tr td code"),
        vec!["WID-1"]
    );
    let (_, doc) = admin.get_html("/products?sort=price").await;
    assert_eq!(
        texts(&doc, "table.products-table tbody tr td code"),
        vec!["GAD-2", "WID-1"]
    );
    let (_, doc) = admin.get_html("/products?status=inactive").await;
    assert!(texts(&doc, "table.products-table tbody tr").is_empty());

    // The line editor's search: options, no JSON; the SKU field's name is accepted too.
    let res = admin.get("/products/search?sku_0=widg&currency=USD").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.expect("body");
    assert!(body.contains(r#"<option value="WID-1">"#), "{body}");
    assert!(!body.contains("GAD-2"));
}

#[tokio::test]
async fn only_admins_and_managers_keep_the_catalogue_but_everyone_searches_it() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    product(&app, &mut admin, "P-1", "1", "0", None).await;
    app.create_user(&mut admin, "rep@test.example", "sales", None)
        .await;
    let mut rep = app.login("rep@test.example").await;
    assert_eq!(rep.get("/products").await.status(), StatusCode::OK);
    assert_eq!(
        rep.get("/products/search?q=P-1").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        rep.get("/products/new").await.status(),
        StatusCode::FORBIDDEN
    );
    let res = rep
        .post(
            "/products",
            &[
                ("sku", "X"),
                ("name", "X"),
                ("price", "1"),
                ("currency", "USD"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
