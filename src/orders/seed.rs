//! `rapport seed-demo --orders N`: a product catalogue (a few hundred
//! products) and N quotes and orders of about five lines each across the
//! contacts (and their accounts) already there, in every status, numbered
//! as the app numbers them (the counters are moved past the seeded
//! numbers), sent quotes with a link key. Rows go in multi-row INSERTs of
//! thousands, like the contact and deal seeding: 200,000 orders with a
//! million lines take minutes on MariaDB.

use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::domain::{self, DiscountKind, OrderStatus, TaxMode};
use crate::db::schema::{contacts, doc_counters, order_lines, orders, products};
use crate::db::{DbConn, write_tx};
use crate::seed::{insert_rows, inserted_ids};

/// Products in the demo catalogue.
pub const PRODUCTS: usize = 300;

const ITEMS: &[&str] = &[
    "Widget",
    "Gadget",
    "Bracket",
    "Cable",
    "Adapter",
    "Sensor",
    "Valve",
    "Panel",
    "Hinge",
    "Bolt set",
    "Licence",
    "Support hour",
    "Training day",
    "Filter",
    "Pump",
];
const GRADES: &[&str] = &["Basic", "Standard", "Pro", "Max", "Mini", "XL"];
const RATES: &[i32] = &[0, 700, 1300, 2000];

/// Status shares in twentieths: draft, sent, accepted, confirmed,
/// fulfilled, closed, cancelled.
const MIX: &[(OrderStatus, usize)] = &[
    (OrderStatus::Draft, 4),
    (OrderStatus::Sent, 3),
    (OrderStatus::Accepted, 1),
    (OrderStatus::Confirmed, 5),
    (OrderStatus::Fulfilled, 3),
    (OrderStatus::Closed, 3),
    (OrderStatus::Cancelled, 1),
];

fn status_of(k: usize) -> OrderStatus {
    let mut slot = k % 20;
    for (s, n) in MIX {
        if slot < *n {
            return *s;
        }
        slot -= n;
    }
    OrderStatus::Draft
}

/// A catalogue product: (id, price, tax rate, sku, name).
type Item = (i64, i64, i32, String, String);

/// The catalogue, seeded first if it has fewer than `PRODUCTS` products.
fn catalogue(
    c: &mut DbConn,
    rng: &mut StdRng,
    currency: &str,
    base: NaiveDateTime,
) -> QueryResult<Vec<Item>> {
    let have: i64 = products::table.count().get_result(c)?;
    if (have as usize) < PRODUCTS {
        let rows: Vec<_> = (have as usize..PRODUCTS)
            .map(|i| {
                let sku = format!("DEMO-{i:05}");
                let name = format!(
                    "{} {} {}",
                    ITEMS[i % ITEMS.len()],
                    GRADES[(i / ITEMS.len()) % GRADES.len()],
                    i / (ITEMS.len() * GRADES.len()) + 1
                );
                let price = rng.gen_range(1..2_000) * 50;
                (sku, name, price, RATES[i % RATES.len()])
            })
            .collect();
        let values: Vec<_> = rows
            .iter()
            .map(|(sku, name, price, rate)| {
                (
                    (
                        products::sku.eq(sku),
                        products::sku_key.eq(sku.to_lowercase()),
                        products::name.eq(name),
                        products::description.eq(""),
                        products::unit_price_minor.eq(*price),
                        products::currency.eq(currency),
                        products::tax_rate_bp.eq(*rate),
                    ),
                    (
                        products::active.eq(true),
                        products::track_stock.eq(false),
                        products::on_hand.eq(0i64),
                        products::version.eq(1),
                        products::created_at.eq(base),
                        products::updated_at.eq(base),
                    ),
                )
            })
            .collect();
        write_tx(c, |c| insert_rows!(c, products::table, &values))?;
    }
    products::table
        .filter(products::active.eq(true))
        .order(products::id)
        .select((
            products::id,
            products::unit_price_minor,
            products::tax_rate_bp,
            products::sku,
            products::name,
        ))
        .limit(2_000)
        .load(c)
}

/// The counter's next value for `kind` in `year` (1 when there is none).
fn counter(c: &mut DbConn, kind: &str, year: i32) -> QueryResult<i64> {
    Ok(doc_counters::table
        .filter(doc_counters::kind.eq(kind))
        .filter(doc_counters::year.eq(year))
        .select(doc_counters::next_value)
        .first(c)
        .optional()?
        .unwrap_or(1))
}

fn set_counter(c: &mut DbConn, kind: &str, year: i32, next: i64) -> QueryResult<()> {
    let n = diesel::update(
        doc_counters::table
            .filter(doc_counters::kind.eq(kind))
            .filter(doc_counters::year.eq(year)),
    )
    .set(doc_counters::next_value.eq(next))
    .execute(c)?;
    if n == 0 {
        diesel::insert_into(doc_counters::table)
            .values((
                doc_counters::kind.eq(kind),
                doc_counters::year.eq(year),
                doc_counters::next_value.eq(next),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// One line's amounts by the rounding rule: (net, tax, total).
fn line_amounts(qty: i64, price: i64, rate: i32) -> (i64, i64, i64) {
    let net = qty * price;
    let tax = (net * i64::from(rate) + 5_000) / 10_000;
    (net, tax, net + tax)
}

/// Seeds `count` documents; returns how many orders and lines were made.
pub fn seed_orders(
    c: &mut DbConn,
    rng: &mut StdRng,
    count: usize,
    base: NaiveDateTime,
) -> QueryResult<(usize, usize)> {
    let ws = crate::settings::repo::get(c)?;
    let currency = ws.currency.clone();
    let catalogue = catalogue(c, rng, &currency, base)?;
    // Customers: up to 50,000 contacts with their accounts and owners.
    let customers: Vec<(i64, Option<i64>, i64)> = contacts::table
        .order(contacts::id)
        .select((contacts::id, contacts::account_id, contacts::owner_id))
        .limit(50_000)
        .load(c)?;
    if customers.is_empty() || catalogue.is_empty() || count == 0 {
        return Ok((0, 0));
    }
    let year = base.year();
    let mut next_quote = counter(c, "quote", year)?;
    let mut next_order = counter(c, "order", year)?;
    let valid = domain::valid_until(base.date(), domain::QUOTE_VALID_DAYS);
    let (mut made, mut lines_made) = (0usize, 0usize);
    // 27 columns a row: 1,000 orders stay under SQLite's 32,766 variables.
    while made < count {
        let batch = 1_000.min(count - made);
        let mut docs = Vec::with_capacity(batch);
        for k in 0..batch {
            let i = made + k;
            let status = status_of(i);
            let (contact, account, owner) = customers[rng.gen_range(0..customers.len())];
            let created = base - Duration::minutes(((count - i) as i64) * 5 + rng.gen_range(0..5));
            let n_lines = rng.gen_range(1..=9usize);
            let lines: Vec<_> = (0..n_lines)
                .map(|_| {
                    let p = &catalogue[rng.gen_range(0..catalogue.len())];
                    let qty = rng.gen_range(1..=10i64);
                    (p.clone(), qty, line_amounts(qty, p.1, p.2))
                })
                .collect();
            let quote_number = (status != OrderStatus::Draft).then(|| {
                next_quote += 1;
                domain::number(&ws.quote_prefix, year, next_quote - 1)
            });
            let order_number = status.is_order().then(|| {
                next_order += 1;
                domain::number(&ws.order_prefix, year, next_order - 1)
            });
            let link_key = (status == OrderStatus::Sent).then(super::quote_link::new_link_key);
            docs.push((
                status,
                contact,
                account,
                owner,
                created,
                lines,
                quote_number,
                order_number,
                link_key,
            ));
        }
        let values: Vec<_> = docs
            .iter()
            .map(|d| {
                let subtotal: i64 = d.5.iter().map(|l| l.2.0).sum();
                let tax: i64 = d.5.iter().map(|l| l.2.1).sum();
                (
                    (
                        orders::quote_number.eq(&d.6),
                        orders::order_number.eq(&d.7),
                        orders::status.eq(d.0),
                        orders::cancel_reason.eq((d.0 == OrderStatus::Cancelled).then_some("Demo")),
                        orders::contact_id.eq(Some(d.1)),
                        orders::account_id.eq(d.2),
                        orders::owner_id.eq(d.3),
                        orders::currency.eq(&currency),
                        orders::tax_mode.eq(TaxMode::Exclusive),
                        orders::discount_kind.eq(DiscountKind::None),
                        orders::discount_value.eq(0i64),
                        orders::shipping_minor.eq(0i64),
                        orders::shipping_tax_bp.eq(0),
                    ),
                    (
                        orders::subtotal_minor.eq(subtotal),
                        orders::discount_minor.eq(0i64),
                        orders::tax_minor.eq(tax),
                        orders::total_minor.eq(subtotal + tax),
                        orders::notes.eq(""),
                        orders::version.eq(1),
                        orders::confirmed_at.eq(d.0.is_order().then_some(d.4)),
                        orders::created_at.eq(d.4),
                        orders::updated_at.eq(d.4),
                        orders::link_key.eq(&d.8),
                        orders::valid_until.eq(d.8.as_ref().map(|_| valid)),
                    ),
                )
            })
            .collect();
        lines_made += write_tx(c, |c| -> QueryResult<usize> {
            insert_rows!(c, orders::table, &values)?;
            // Read back: on Galera one statement's ids step by more than one.
            let ids = inserted_ids(c, "orders", values.len())?;
            let mut rows = Vec::with_capacity(batch * 5);
            for (d, order_id) in docs.iter().zip(&ids) {
                for (pos, (p, qty, (net, tax, total))) in d.5.iter().enumerate() {
                    rows.push((
                        (
                            order_lines::order_id.eq(*order_id),
                            order_lines::position.eq(pos as i32),
                            order_lines::product_id.eq(Some(p.0)),
                            order_lines::sku.eq(&p.3),
                            order_lines::name.eq(&p.4),
                            order_lines::unit_price_minor.eq(p.1),
                            order_lines::tax_rate_bp.eq(p.2),
                        ),
                        (
                            order_lines::quantity_milli.eq(qty * 1000),
                            order_lines::discount_kind.eq(DiscountKind::None),
                            order_lines::discount_value.eq(0i64),
                            order_lines::net_minor.eq(*net),
                            order_lines::tax_minor.eq(*tax),
                            order_lines::total_minor.eq(*total),
                        ),
                    ));
                }
            }
            let mut n = 0;
            // 13 columns a line: 2,000 lines a statement.
            for chunk in rows.chunks(2_000) {
                n += insert_rows!(c, order_lines::table, chunk)?;
            }
            Ok(n)
        })?;
        made += batch;
    }
    write_tx(c, |c| {
        set_counter(c, "quote", year, next_quote)?;
        set_counter(c, "order", year, next_order)?;
        // The rows above went in directly: the list's totals count them here.
        super::tallies::rebuild(c)
    })?;
    Ok((made, lines_made))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_covers_every_status_in_twenty() {
        let seen: Vec<OrderStatus> = (0..20).map(status_of).collect();
        for s in OrderStatus::ALL {
            assert!(seen.contains(s), "{s:?}");
        }
        assert_eq!(MIX.iter().map(|m| m.1).sum::<usize>(), 20);
    }

    #[test]
    fn line_tax_rounds_half_up() {
        assert_eq!(line_amounts(1, 35, 700), (35, 2, 37));
        assert_eq!(line_amounts(3, 1000, 1300), (3000, 390, 3390));
    }
}
