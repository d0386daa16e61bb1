//! "Customers who bought this also bought": the co-purchase pairs the
//! insights job stored (`co_purchases`, already above the minimum support),
//! read for the products of an order or of a customer's orders — one
//! grouped query, nothing computed per request.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::db::schema::{co_purchases as pairs, order_lines, orders, products};
use crate::db::{DbConn, sum_bigint};
use crate::orders::domain::OrderStatus;
use crate::records::RecordRef;

/// Products shown at most.
pub const LIMIT: i64 = 5;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommendation {
    pub product_id: i64,
    pub sku: String,
    pub name: String,
    /// Customers who bought it together with one of the products.
    pub support: i64,
}

/// The products most often bought with `bought` (and not among them).
pub fn for_products(c: &mut DbConn, bought: &[i64]) -> QueryResult<Vec<Recommendation>> {
    if bought.is_empty() {
        return Ok(Vec::new());
    }
    let sum = sum_bigint(c, "co_purchases.support");
    let rows: Vec<(i64, String, String, i64)> = pairs::table
        .inner_join(products::table.on(products::id.eq(pairs::other_id)))
        .filter(pairs::product_id.eq_any(bought))
        .filter(pairs::other_id.ne_all(bought))
        .filter(products::active.eq(true))
        .group_by((products::id, products::sku, products::name))
        .select((
            products::id,
            products::sku,
            products::name,
            sql::<BigInt>(&sum),
        ))
        .order((sql::<BigInt>(&sum).desc(), products::id.asc()))
        .limit(LIMIT)
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(product_id, sku, name, support)| Recommendation {
            product_id,
            sku,
            name,
            support,
        })
        .collect())
}

/// For a contact's or account's page: what goes with what they bought.
pub fn for_customer(c: &mut DbConn, record: RecordRef) -> QueryResult<Vec<Recommendation>> {
    let q = order_lines::table
        .inner_join(orders::table)
        .filter(orders::status.eq_any(OrderStatus::revenue()))
        .select(order_lines::product_id)
        .distinct()
        .into_boxed();
    let q = match record {
        RecordRef::Contact(id) => q.filter(orders::contact_id.eq(id)),
        RecordRef::Account(id) => q.filter(orders::account_id.eq(id)),
        _ => return Ok(Vec::new()),
    };
    let bought: Vec<i64> = q.load::<Option<i64>>(c)?.into_iter().flatten().collect();
    for_products(c, &bought)
}
