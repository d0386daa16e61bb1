//! `rapport seed-demo --orders N`: a catalogue and N documents of about
//! five lines each, every status, totals that are the sum of their lines,
//! numbers the app continues after.

use super::*;
use diesel::dsl::count_star;
use rapport::db::schema::{doc_counters, order_lines, orders, products};

#[test]
fn seed_demo_makes_orders_with_lines_that_add_up() {
    let db = TestDb::new();
    let out = crate::cli::rapport(
        &db,
        &["seed-demo", "--contacts", "200", "--orders", "1500"],
        None,
        &[],
    );
    assert!(out.status.success(), "{}", crate::cli::text(&out));
    let mut c = rapport::db::connect(&db.url).expect("connect");
    let n: i64 = orders::table
        .select(count_star())
        .first(&mut c)
        .expect("count");
    assert_eq!(n, 1500);
    let lines: i64 = order_lines::table
        .select(count_star())
        .first(&mut c)
        .expect("count");
    assert!(
        (6_000..=9_000).contains(&lines),
        "about five a document: {lines}"
    );
    let catalogue: i64 = products::table
        .select(count_star())
        .first(&mut c)
        .expect("count");
    assert_eq!(catalogue, 300);
    let statuses: Vec<String> = orders::table
        .select(orders::status)
        .distinct()
        .order(orders::status.asc())
        .load(&mut c)
        .expect("statuses");
    assert_eq!(statuses.len(), 7, "{statuses:?}");
    // Every document's total is the sum of its lines' (no shipping, no
    // order discount in the demo).
    let ids: Vec<(i64, i64)> = orders::table
        .select((orders::id, orders::total_minor))
        .order(orders::id)
        .limit(200)
        .load(&mut c)
        .expect("orders");
    let first: Vec<i64> = ids.iter().map(|x| x.0).collect();
    let line_totals: Vec<(i64, i64)> = order_lines::table
        .filter(order_lines::order_id.eq_any(&first))
        .select((order_lines::order_id, order_lines::total_minor))
        .load(&mut c)
        .expect("lines");
    for (id, total) in ids {
        let sum: i64 = line_totals.iter().filter(|l| l.0 == id).map(|l| l.1).sum();
        assert_eq!(sum, total, "order {id}");
    }
    let quotes: Vec<i64> = doc_counters::table
        .filter(doc_counters::kind.eq("quote"))
        .select(doc_counters::next_value)
        .load(&mut c)
        .expect("counter");
    let numbered: i64 = orders::table
        .filter(orders::quote_number.is_not_null())
        .select(count_star())
        .first(&mut c)
        .expect("count");
    assert_eq!(quotes, vec![numbered + 1]);
}
