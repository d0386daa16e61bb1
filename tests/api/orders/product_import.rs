//! Product CSV import: columns recognised by name (English or Chinese),
//! upsert by SKU whatever its case (empty cells keep values), every row
//! checked by the product form's rules and refused rows reported by line
//! and field; a file without a SKU column is refused with a page.

use super::*;
use crate::import_export::{multipart_body, multipart_type};
use rapport::db::schema::products as p;

async fn import(c: &mut Client, csv: &str) -> reqwest::Response {
    c.refresh_csrf("/products/import").await;
    let token = c.csrf.clone().unwrap_or_default();
    c.http
        .post(c.url("/products/import"))
        .header("content-type", multipart_type())
        .body(multipart_body(
            &token,
            "products.csv",
            csv.as_bytes(),
            "update",
        ))
        .send()
        .await
        .expect("upload")
}

fn product_row(app: &TestApp, sku: &str) -> (String, i64, i32, bool, i64, i32) {
    p::table
        .filter(p::sku.eq(sku))
        .select((
            p::name,
            p::unit_price_minor,
            p::tax_rate_bp,
            p::track_stock,
            p::on_hand,
            p::version,
        ))
        .first(&mut app.conn())
        .expect("product")
}

#[tokio::test]
async fn a_product_csv_creates_and_updates_by_sku_and_reports_bad_rows() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    product(&app, &mut admin, "A-1", "10.00", "13", None).await;
    let (status, doc) = admin.get_html("/products").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&doc, "#products-import").len(), 1);

    let csv = "SKU,Name,Unit price,Currency,Tax rate,Active,Track stock,On hand,Colour\r\n\
               a-1,,12.50,,,,,,blue\r\n\
               B-2,Bolt,0.35,USD,7,yes,yes,40,red\r\n\
               C-3,Cable,abc,USD,13,yes,no,,\r\n\
               D-4,Drill,5,USD,13,maybe,,,\r\n\
               ,No SKU,1,USD,0,,,,\r\n";
    let res = import(&mut admin, csv).await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc = html(res).await;
    assert_eq!(text(&doc, "#import-created"), "1");
    assert_eq!(text(&doc, "#import-updated"), "1");
    assert_eq!(text(&doc, "#import-errors"), "3");
    let problems = texts(&doc, "#import-problems li");
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("Line 4:") && problems[0].contains("price: Give an amount"));
    assert!(problems[1].starts_with("Line 5:") && problems[1].contains("active: Write yes or no."));
    assert!(problems[2].starts_with("Line 6:") && problems[2].contains("sku: Give a SKU"));

    // The known SKU (another case) took the price and kept the rest.
    let (name, price, tax, _, _, version) = product_row(&app, "A-1");
    assert_eq!((name.as_str(), price, tax, version), ("A-1", 1250, 1300, 2));
    let (name, price, tax, tracked, on_hand, _) = product_row(&app, "B-2");
    assert_eq!(
        (name.as_str(), price, tax, tracked, on_hand),
        ("Bolt", 35, 700, true, 40)
    );
    let refused: i64 = p::table
        .filter(p::sku.eq_any(["C-3", "D-4"]))
        .count()
        .get_result(&mut app.conn())
        .expect("count");
    assert_eq!(refused, 0);

    // Chinese headers; the workspace's currency by default.
    let res = import(&mut admin, "货号,名称,单价,税率\nE-5,扳手,9.90,13\n").await;
    assert_eq!(res.status(), StatusCode::OK);
    let (name, price, tax, ..) = product_row(&app, "E-5");
    assert_eq!((name.as_str(), price, tax), ("扳手", 990, 1300));

    // No SKU column: refused with a page, nothing imported.
    let res = import(&mut admin, "Name,Price\nWidget,1\n").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let doc = html(res).await;
    assert_eq!(text(&doc, "#upload-error"), "The file needs a SKU column.");
    // Not a CSV at all.
    let res = import(&mut admin, "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
