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
    // Written past the app: the list's totals count it again.
    rapport::orders::tallies::rebuild(&mut app.conn()).expect("recount");
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

/// The numbers shown in the list for a search.
async fn found(c: &Client, q: &str) -> Vec<String> {
    let (status, doc) = c
        .get_html(&format!(
            "/orders?q={}",
            percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC)
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{q}");
    let mut rows = texts(&doc, ".orders-table tbody tr td:first-child");
    rows.sort();
    rows
}

#[tokio::test]
async fn the_order_list_finds_orders_by_number_and_customer_name() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let cora_id = app
        .create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    app.create_contact(&mut admin, "Dan", "Buyer", "dan@test.example")
        .await;
    product(&app, &mut admin, "A-1", "10.00", "0", None).await;
    let cora = quote(&mut admin, "cora@test.example", &[("A-1", "1", "")]).await;
    let dan = quote(&mut admin, "dan@test.example", &[("A-1", "2", "")]).await;
    let draft = |id: i64| format!("#{id}");

    // A draft has no number yet: found by its customer's names.
    assert_eq!(found(&admin, "cora").await, [draft(cora)]);
    assert_eq!(found(&admin, "BUY").await, [draft(dan)]);
    assert_eq!(found(&admin, "cora buyer").await, Vec::<String>::new());
    assert_eq!(found(&admin, "%").await, Vec::<String>::new());

    // Sent, it has a quote number; confirmed, an order number as well.
    for to in ["send", "accept", "confirm"] {
        assert_eq!(
            step(&app, &mut admin, cora, to, &[]).await.status(),
            StatusCode::SEE_OTHER,
            "{to}"
        );
    }
    let (_, number, _, _) = state(&app, cora);
    let number = number.expect("order number");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(number, format!("SO-{year}-000001"));
    assert_eq!(found(&admin, &number).await, [number.as_str()]);
    assert_eq!(found(&admin, "so").await, [number.as_str()]);
    // The sequence alone, with or without its zeros.
    assert_eq!(found(&admin, "000001").await, [number.as_str()]);
    assert_eq!(found(&admin, "1").await, [number.as_str()]);
    // The quote number still finds the order it became.
    assert_eq!(
        found(&admin, &format!("QT-{year}-000001")).await,
        [number.as_str()]
    );

    // Renaming the customer renames what finds the order.
    let res = admin
        .post(
            &format!("/contacts/{cora_id}"),
            &[
                ("first_name", "Cora"),
                ("last_name", "Merchant"),
                ("email", "cora@test.example"),
                ("account_name", "Zeta Trading"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(found(&admin, "merchant").await, [number.as_str()]);
    assert_eq!(found(&admin, "customer").await, Vec::<String>::new());
    // An order of an account follows the account's name.
    let account: i64 = rapport::db::schema::contacts::table
        .find(cora_id)
        .select(rapport::db::schema::contacts::account_id)
        .first::<Option<i64>>(&mut app.conn())
        .expect("contact")
        .expect("account");
    diesel::update(orders::table.find(dan))
        .set(orders::account_id.eq(Some(account)))
        .execute(&mut app.conn())
        .expect("arrange");
    let res = admin
        .post(
            &format!("/accounts/{account}"),
            &[("name", "Omega Trading")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // (Cora's order names her, not the company she joined after it.)
    assert_eq!(found(&admin, "omega").await, [draft(dan)]);
    assert_eq!(found(&admin, "zeta").await, Vec::<String>::new());
}

#[tokio::test]
async fn the_order_list_totals_follow_every_change() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    product(&app, &mut admin, "A-1", "10.00", "0", None).await;
    quote(&mut admin, "cora@test.example", &[("A-1", "1", "")]).await;
    let (_, totals) = listed(&admin, "").await;
    assert_eq!(totals, ["$10.00 (1 document)"]);
    // Kept briefly for the next viewer, but never past a write.
    quote(&mut admin, "cora@test.example", &[("A-1", "3", "")]).await;
    let (rows, totals) = listed(&admin, "").await;
    assert_eq!(rows.len(), 2);
    assert_eq!(totals, ["$40.00 (2 documents)"]);
}

/// Every tally row that counts something, in key order.
type TallyRow = (String, NaiveDate, i64, String, String, i64, i64);

fn tally_rows(app: &TestApp) -> Vec<TallyRow> {
    use rapport::db::schema::order_tallies as t;
    t::table
        .filter(t::documents.ne(0).or(t::total_minor.ne(0)))
        .order((t::basis, t::day, t::owner_id, t::status, t::currency))
        .select((
            t::basis,
            t::day,
            t::owner_id,
            t::status,
            t::currency,
            t::documents,
            t::total_minor,
        ))
        .load(&mut app.conn())
        .expect("tallies")
}

#[tokio::test]
async fn the_totals_kept_at_each_write_equal_a_recount() {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    app.create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    product(&app, &mut admin, "A-1", "10.00", "0", None).await;
    let a = quote(&mut admin, "cora@test.example", &[("A-1", "1", "")]).await;
    let b = quote(&mut admin, "cora@test.example", &[("A-1", "2", "")]).await;
    let c = quote(&mut admin, "cora@test.example", &[("A-1", "4", "")]).await;
    // An edit moves the amount: $20 → $50.
    let mut form = quote_form("cora@test.example", &[("A-1", "5", "")], &key());
    form.push(("version".into(), state(&app, b).3.to_string()));
    let res = post_pairs(&mut admin, &format!("/orders/{b}"), &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // A goes all the way to fulfilled; C is sent, then cancelled.
    for to in ["send", "accept", "confirm", "fulfil"] {
        let res = step(&app, &mut admin, a, to, &[]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{to}");
    }
    assert_eq!(
        step(&app, &mut admin, c, "send", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        step(&app, &mut admin, c, "cancel", &[("reason", "Too dear")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let (_, totals) = listed(&admin, "").await;
    assert_eq!(totals, ["$100.00 (3 documents)"]);
    let (_, totals) = listed(&admin, "status=draft").await;
    assert_eq!(totals, ["$50.00 (1 document)"]);
    let (_, totals) = listed(&admin, "status=fulfilled").await;
    assert_eq!(totals, ["$10.00 (1 document)"]);
    let (_, totals) = listed(&admin, "status=cancelled").await;
    assert_eq!(totals, ["$40.00 (1 document)"]);
    // Confirmed today: revenue of today (the insights click-through).
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().expect("tomorrow");
    let (_, totals) = listed(
        &admin,
        &format!("revenue=1&since={today}T00:00&until={tomorrow}T00:00"),
    )
    .await;
    assert_eq!(totals, ["$10.00 (1 document)"]);
    let (_, totals) = listed(&admin, &format!("from={today}&to={today}")).await;
    assert_eq!(totals, ["$100.00 (3 documents)"]);

    // What every write kept is what counting all orders again gives.
    let kept = tally_rows(&app);
    assert!(
        kept.iter().any(|r| r.0 == "confirmed"),
        "the confirmation day is kept: {kept:?}"
    );
    rapport::orders::tallies::rebuild(&mut app.conn()).expect("recount");
    assert_eq!(tally_rows(&app), kept);
}

/// An app with its administrator (client, user id) and one contact, Cora.
async fn with_cora() -> (TestApp, Client, i64, i64) {
    let app = spawn().await;
    let mut admin = app.setup_admin().await;
    let admin_id = app.user_id(ADMIN_EMAIL);
    let cora = app
        .create_contact(&mut admin, "Cora", "Customer", "cora@test.example")
        .await;
    (app, admin, admin_id, cora)
}

#[tokio::test]
async fn date_totals_add_the_partial_utc_days_of_the_viewer_s_zone() {
    let (app, _admin, admin_id, cora) = with_cora().await;
    // Shanghai is UTC+8: its 1 March starts at 28 February 16:00 UTC.
    let ids: Vec<i64> = (0..5).map(|_| insert_order(&app, admin_id, cora)).collect();
    arrange(&app, ids[0], "draft", 100, "USD", at(2026, 2, 28, 15)); // 23:30 on 28 Feb there
    arrange(&app, ids[1], "draft", 200, "USD", at(2026, 2, 28, 16)); // 00:30 on 1 Mar there
    arrange(&app, ids[2], "confirmed", 400, "USD", at(2026, 3, 10, 8));
    arrange(&app, ids[3], "draft", 800, "USD", at(2026, 3, 31, 15)); // 23:30 on 31 Mar there
    arrange(&app, ids[4], "draft", 1600, "USD", at(2026, 3, 31, 16)); // 1 Apr there
    let shanghai = crate::i18n::user_with(&app, ADMIN_EMAIL, "en", "Asia/Shanghai").await;
    let (rows, totals) = listed(&shanghai, "from=2026-03-01&to=2026-03-31").await;
    assert_eq!(rows.len(), 3);
    assert_eq!(totals, ["$14.00 (3 documents)"]);
    let (_, totals) = listed(&shanghai, "to=2026-02-28").await;
    assert_eq!(totals, ["$1.00 (1 document)"]);
    let (_, totals) = listed(&shanghai, "from=2026-03-10&to=2026-03-10&status=confirmed").await;
    assert_eq!(totals, ["$4.00 (1 document)"]);
    // In UTC the same days hold other orders.
    let utc = crate::i18n::user_with(&app, ADMIN_EMAIL, "en", "UTC").await;
    let (_, totals) = listed(&utc, "from=2026-03-01&to=2026-03-31").await;
    assert_eq!(totals, ["$28.00 (3 documents)"]);
}

#[tokio::test]
async fn a_search_matching_too_many_to_sum_asks_to_narrow_it() {
    let (app, admin, admin_id, cora) = with_cora().await;
    for _ in 0..1_001 {
        insert_order(&app, admin_id, cora);
    }
    let (_, doc) = admin.get_html("/orders?q=cora").await;
    assert!(!texts(&doc, "#totals-unsummed").is_empty());
    assert!(texts(&doc, "#list-totals .list-total").is_empty());
    assert_eq!(texts(&doc, "#orders-export").len(), 1, "still exportable");
    // Without the search the tallies answer at once.
    let (_, totals) = listed(&admin, "").await;
    assert_eq!(totals.len(), 1);
    assert!(totals[0].starts_with("$1,001.00"), "{totals:?}");
}
