//! The order list's filters (status, customer, owner, creation days),
//! its totals per currency over the filtered set, and the CSV export of
//! the filtered list.

use super::*;
use chrono::NaiveDate;
use rapport::db::schema::orders;

fn at(y: i32, m: u32, d: u32, h: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|d| d.and_hms_opt(h, 30, 0))
        .expect("time")
}

fn arrange(
    app: &TestApp,
    id: i64,
    status: &str,
    total: i64,
    currency: &str,
    created: chrono::NaiveDateTime,
) {
    diesel::update(orders::table.find(id))
        .set((
            orders::status.eq(status),
            orders::total_minor.eq(total),
            orders::currency.eq(currency),
            orders::created_at.eq(created),
        ))
        .execute(&mut app.conn())
        .expect("arrange");
}

async fn listed(c: &Client, query: &str) -> (Vec<String>, Vec<String>) {
    let (status, doc) = c.get_html(&format!("/orders?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}");
    (
        texts(&doc, ".orders-table tbody tr td:first-child"),
        texts(&doc, "#list-totals .list-total"),
    )
}

#[tokio::test]
async fn the_order_list_filters_totals_and_exports_the_filtered_set() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let sales = app
        .create_user(&mut admin, "sam@test.example", "sales", None)
        .await;
    let admin_id = app.user_id(ADMIN_EMAIL);
    let cora = app
        .create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    let dan = app
        .create_contact(&mut admin, "Dan", "Buyer", "dan@test.example")
        .await;
    let o1 = insert_order(&app, admin_id, cora);
    let o2 = insert_order(&app, admin_id, dan);
    let o3 = insert_order(&app, sales, cora);
    arrange(&app, o1, "confirmed", 1000, "USD", at(2026, 1, 10, 10));
    arrange(&app, o2, "draft", 2500, "EUR", at(2026, 2, 1, 0));
    arrange(&app, o3, "confirmed", 700, "USD", at(2026, 2, 15, 23));
    let n = |id: i64| format!("#{id}");

    let (rows, totals) = listed(&admin, "").await;
    assert_eq!(rows.len(), 3);
    assert_eq!(totals, ["€25.00 (1 document)", "$17.00 (2 documents)"]);

    let (rows, totals) = listed(&admin, "status=confirmed").await;
    assert_eq!(rows, [n(o3), n(o1)]);
    assert_eq!(totals, ["$17.00 (2 documents)"]);

    let (rows, totals) = listed(&admin, &format!("customer=c{cora}")).await;
    assert_eq!(rows, [n(o3), n(o1)]);
    assert_eq!(totals, ["$17.00 (2 documents)"]);
    // The menu names the chosen customer.
    let (_, doc) = admin.get_html(&format!("/orders?customer=c{cora}")).await;
    assert_eq!(
        texts(&doc, "select[name=customer] option[selected]"),
        ["Cora Customer"]
    );
    let (rows, _) = listed(&admin, &format!("contact={dan}")).await;
    assert_eq!(rows, [n(o2)]);

    let (rows, totals) = listed(&admin, &format!("owner={sales}")).await;
    assert_eq!(rows, [n(o3)]);
    assert_eq!(totals, ["$7.00 (1 document)"]);

    // Days are whole days: the 15th includes its last hour.
    let (rows, _) = listed(&admin, "from=2026-02-01&to=2026-02-15").await;
    assert_eq!(rows, [n(o3), n(o2)]);
    let (rows, _) = listed(&admin, "to=2026-01-31").await;
    assert_eq!(rows, [n(o1)]);
    let (rows, totals) = listed(&admin, "from=2026-03-01").await;
    assert!(rows.is_empty() && totals.is_empty());
    // Nonsense in a filter is ignored, not an error.
    let (rows, _) = listed(&admin, "from=yesterday&customer=x1&owner=abc").await;
    assert_eq!(rows.len(), 3);

    // The export link carries the filters; the file has the filtered rows.
    let (_, doc) = admin.get_html("/orders?status=confirmed&sort=total").await;
    let sel = Selector::parse("#orders-export").expect("selector");
    let href = doc
        .select(&sel)
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("export link")
        .to_string();
    assert!(
        href.contains("status=confirmed") && href.contains("sort=total"),
        "{href}"
    );
    let res = admin.get(&href).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    let body = res.text().await.expect("csv");
    let lines: Vec<&str> = body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{body}");
    assert!(lines[0].starts_with("number,quote_number,order_number,status"));
    assert!(
        lines[1].contains("confirmed") && lines[1].contains(",10.00,"),
        "{body}"
    );
    assert!(lines[2].contains(",7.00,"), "{body}");

    // The sales rep sees (and totals, and exports) only their own.
    let rep = app.login("sam@test.example").await;
    let (rows, totals) = listed(&rep, "").await;
    assert_eq!(rows, [n(o3)]);
    assert_eq!(totals, ["$7.00 (1 document)"]);
    let body = rep
        .get("/orders/export.csv")
        .await
        .text()
        .await
        .expect("csv");
    assert_eq!(body.lines().count(), 2);
}
