//! Order entry over HTTP: the product catalogue, quotes with live totals,
//! the status workflow with numbering and stock, duplicate-submit
//! protection, record scope. Fixtures here; the tests in `orders/`.

mod customer;
mod documents;
mod lists;
mod product_import;
mod products;
mod quotes;
mod races;
mod seed;

use diesel::prelude::*;
pub use reqwest::StatusCode;
pub use scraper::{Html, Selector};

pub use crate::helpers::*;
use rapport::db::schema::{order_lines, orders, products as products_t};

/// A product made through the form (price "12.50" in the workspace
/// currency, tax in percent); returns its id.
pub async fn product(
    app: &TestApp,
    c: &mut Client,
    sku: &str,
    price: &str,
    tax: &str,
    stock: Option<i64>,
) -> i64 {
    let on_hand = stock.unwrap_or(0).to_string();
    let mut form = vec![
        ("sku", sku),
        ("name", sku),
        ("price", price),
        ("currency", "USD"),
        ("tax_rate", tax),
        ("active", "on"),
        ("on_hand", on_hand.as_str()),
    ];
    if stock.is_some() {
        form.push(("track_stock", "on"));
    }
    let res = c.post("/products", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "product {sku} created");
    products_t::table
        .filter(products_t::sku.eq(sku))
        .select(products_t::id)
        .first(&mut app.conn())
        .expect("product id")
}

pub fn on_hand(app: &TestApp, id: i64) -> i64 {
    products_t::table
        .find(id)
        .select(products_t::on_hand)
        .first(&mut app.conn())
        .expect("on hand")
}

/// A fresh one-time form key (32 hex digits).
pub fn key() -> String {
    format!("{:032x}", rand_u128())
}

fn rand_u128() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    t ^ (u128::from(N.fetch_add(1, Ordering::Relaxed)) << 64)
}

/// The form of a quote for `contact` (an email) with `lines` (sku, qty, discount).
pub fn quote_form(
    contact: &str,
    lines: &[(&str, &str, &str)],
    idem: &str,
) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![
        ("contact".into(), contact.into()),
        ("currency".into(), "USD".into()),
        ("tax_mode".into(), "exclusive".into()),
        ("shipping_tax".into(), "0".into()),
        ("idem".into(), idem.into()),
    ];
    for (i, (sku, qty, disc)) in lines.iter().enumerate() {
        f.push((format!("sku_{i}"), (*sku).into()));
        f.push((format!("qty_{i}"), (*qty).into()));
        f.push((format!("disc_{i}"), (*disc).into()));
    }
    f
}

pub async fn post_pairs(
    c: &mut Client,
    path: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post(path, &pairs).await
}

/// Creates a quote through the form; returns its id.
pub async fn quote(c: &mut Client, contact: &str, lines: &[(&str, &str, &str)]) -> i64 {
    let res = post_pairs(c, "/orders", &quote_form(contact, lines, &key())).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "quote created");
    id_in(&location(&res))
}

pub fn id_in(location: &str) -> i64 {
    location
        .trim_start_matches("/orders/")
        .parse()
        .expect("order id in location")
}

/// (status, order number, total, version) of an order.
pub fn state(app: &TestApp, id: i64) -> (String, Option<String>, i64, i32) {
    orders::table
        .find(id)
        .select((
            orders::status,
            orders::order_number,
            orders::total_minor,
            orders::version,
        ))
        .first(&mut app.conn())
        .expect("order")
}

pub fn count_orders(app: &TestApp) -> i64 {
    orders::table
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

pub fn line_count(app: &TestApp, id: i64) -> i64 {
    order_lines::table
        .filter(order_lines::order_id.eq(id))
        .count()
        .get_result(&mut app.conn())
        .expect("count")
}

/// Posts a status change (`to`) with the order's current version.
pub async fn step(
    app: &TestApp,
    c: &mut Client,
    id: i64,
    to: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let v = state(app, id).3.to_string();
    let k = key();
    let mut form = vec![("to", to), ("version", v.as_str()), ("idem", k.as_str())];
    form.extend_from_slice(extra);
    c.post(&format!("/orders/{id}/status"), &form).await
}

pub fn text(doc: &Html, css: &str) -> String {
    texts(doc, css).join(" ")
}

/// A product written straight to the database (untracked, USD 1.00).
pub fn insert_product(app: &TestApp, sku: &str) -> i64 {
    use rapport::products::repo::{ProductInput, insert};
    let input = ProductInput {
        sku: sku.into(),
        name: sku.into(),
        description: String::new(),
        unit_price_minor: 100,
        currency: "USD".into(),
        tax_rate_bp: 0,
        active: true,
        track_stock: false,
        on_hand: 0,
    };
    insert(&mut app.conn(), &input)
        .expect("insert")
        .expect("new sku")
        .get()
}

/// A draft quote of one line written through the app's repo, owned by `owner`.
pub fn insert_order(app: &TestApp, owner: i64, contact: i64) -> i64 {
    use rapport::domain::ids::ContactId;
    use rapport::orders::domain::{DiscountKind, TaxMode};
    use rapport::orders::repo::{Doc, NewLine, insert};
    let doc = Doc {
        contact_id: Some(ContactId::new(contact)),
        account_id: None,
        owner_id: owner,
        currency: "USD".into(),
        tax_mode: TaxMode::Exclusive,
        discount_kind: DiscountKind::None,
        discount_value: 0,
        shipping_minor: 0,
        shipping_tax_bp: 0,
        subtotal_minor: 100,
        discount_minor: 0,
        tax_minor: 0,
        total_minor: 100,
        notes: String::new(),
        lines: vec![NewLine {
            product_id: None,
            sku: "FREE".into(),
            name: "Free text".into(),
            unit_price_minor: 100,
            tax_rate_bp: 0,
            quantity_milli: 1000,
            discount_kind: DiscountKind::None,
            discount_value: 0,
            net_minor: 100,
            tax_minor: 0,
            total_minor: 100,
        }],
    };
    insert(&mut app.conn(), &doc).expect("order").get()
}
