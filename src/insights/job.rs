//! The `insights` job: from the whole order history (the workspace's main
//! currency, days in the workspace's zone) it derives per contact the
//! lifecycle stage (written to `contacts.lifecycle`, replacing the manual
//! choice for contacts who have ordered), the RFM quintile scores and the
//! order figures (`customer_metrics`), and the co-purchase pairs with at
//! least the minimum support (`co_purchases`). Queued nightly by the
//! housekeeping and on demand; at most one is pending.
//!
//! Resumable by rerunning: every run recomputes from scratch; each batch
//! commits on its own (`write_tx`), rows the run did not rewrite (older
//! `computed_at`) are removed at the end, and the pairs table is replaced
//! per product. A reader sees each contact's row either before or after
//! the run, never half a row.

use std::collections::HashMap;

use chrono::Duration;
use diesel::dsl::max;
use diesel::prelude::*;

use super::domain::{Stage, co_purchases, rfm, stage_of};
use super::repo::{self, Customer};
use crate::db::schema::{
    co_purchases as pairs, contacts, customer_metrics as cm, order_lines, orders,
};
use crate::db::{DbConn, now, write_tx};
use crate::jobs::{self, JobError, JobKind};
use crate::orders::domain::OrderStatus;

pub const JOB_KEY: &str = "insights";
const BATCH: usize = 500;
const EVERY: Duration = Duration::hours(23);

/// Queues a run unless one is queued or running (in the caller's transaction).
pub fn queue(conn: &mut DbConn) -> QueryResult<i64> {
    jobs::ensure_queued(conn, JobKind::Insights, JOB_KEY, &())
}

/// The nightly run: due when the last is over 23 hours old and orders exist.
pub fn queue_if_due(conn: &mut DbConn) -> QueryResult<bool> {
    let last: Option<chrono::NaiveDateTime> = cm::table.select(max(cm::computed_at)).first(conn)?;
    if last.is_some_and(|t| t >= now() - EVERY) {
        return Ok(false);
    }
    // Whether one order counts, not how many (a count read all 200,000).
    let any = orders::table
        .filter(orders::status.eq_any(OrderStatus::revenue()))
        .select(orders::id)
        .first::<i64>(conn)
        .optional()?
        .is_some();
    if any {
        write_tx(conn, queue)?;
        return Ok(true);
    }
    Ok(false)
}

pub fn run_job(conn: &mut DbConn) -> Result<(), JobError> {
    let started = now();
    let ws = crate::settings::repo::get(conn)?;
    let tz = crate::i18n::parse_zone(&ws.time_zone).unwrap_or(chrono_tz::UTC);
    let today = started.and_utc().with_timezone(&tz).date_naive();
    let settings = super::settings::get(conn)?;
    let currency = repo::currencies(conn, None)?
        .into_iter()
        .next()
        .unwrap_or(ws.currency);
    let customers = repo::purchases(conn, None, &currency, tz)?;
    let mut rows: Vec<(i64, Stage, i64, i64, i64)> = customers
        .iter()
        .filter_map(|(who, h)| match who {
            Customer::Contact(id) => {
                let last = h.last()?.day;
                Some((
                    *id,
                    stage_of(h, today, settings.rules()),
                    (today - last).num_days().max(0),
                    h.len() as i64,
                    h.iter().map(|p| p.total).sum(),
                ))
            }
            Customer::Account(_) => None,
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    let scores = rfm(&rows.iter().map(|r| (r.2, r.3, r.4)).collect::<Vec<_>>());
    for (chunk, sc) in rows.chunks(BATCH).zip(scores.chunks(BATCH)) {
        write_tx(conn, |c| {
            let ids: Vec<i64> = chunk.iter().map(|r| r.0).collect();
            diesel::delete(cm::table.filter(cm::contact_id.eq_any(&ids))).execute(c)?;
            // Contacts deleted since the read are skipped.
            let alive: Vec<i64> = contacts::table
                .filter(contacts::id.eq_any(&ids))
                .select(contacts::id)
                .load(c)?;
            for ((id, stage, _, n, revenue), s) in chunk.iter().zip(sc) {
                if !alive.contains(id) {
                    continue;
                }
                diesel::insert_into(cm::table)
                    .values((
                        cm::contact_id.eq(id),
                        cm::stage.eq(stage.as_str()),
                        cm::recency.eq(i32::from(s.recency)),
                        cm::frequency.eq(i32::from(s.frequency)),
                        cm::monetary.eq(i32::from(s.monetary)),
                        cm::rfm.eq(s.code()),
                        cm::orders.eq(n),
                        cm::revenue_minor.eq(revenue),
                        cm::currency.eq(&currency),
                        cm::computed_at.eq(started),
                    ))
                    .execute(c)?;
                diesel::update(
                    contacts::table
                        .filter(contacts::id.eq(id))
                        .filter(contacts::lifecycle.ne(*stage)),
                )
                .set(contacts::lifecycle.eq(*stage))
                .execute(c)?;
            }
            Ok::<_, diesel::result::Error>(())
        })?;
    }
    write_tx(conn, |c| {
        diesel::delete(cm::table.filter(cm::computed_at.lt(started))).execute(c)
    })?;
    store_pairs(conn, settings.min_support)?;
    Ok(())
}

/// Every customer's distinct products, then the pairs with enough support,
/// both directions, replaced product by product.
fn store_pairs(conn: &mut DbConn, min_support: i64) -> QueryResult<()> {
    let bought: Vec<(Option<i64>, Option<i64>, Option<i64>)> = order_lines::table
        .inner_join(orders::table)
        .filter(orders::status.eq_any(OrderStatus::revenue()))
        .filter(order_lines::product_id.is_not_null())
        .select((
            orders::contact_id,
            orders::account_id,
            order_lines::product_id,
        ))
        .distinct()
        .load(conn)?;
    let mut baskets: HashMap<Customer, Vec<i64>> = HashMap::new();
    for (contact, account, product) in bought {
        let who = match (contact, account) {
            (Some(id), _) => Customer::Contact(id),
            (None, Some(id)) => Customer::Account(id),
            _ => continue,
        };
        if let Some(p) = product {
            baskets.entry(who).or_default().push(p);
        }
    }
    let baskets: Vec<Vec<i64>> = baskets.into_values().collect();
    let found = co_purchases(&baskets, min_support.max(1));
    let mut by: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for ((a, b), n) in found {
        by.entry(a).or_default().push((b, n));
        by.entry(b).or_default().push((a, n));
    }
    let stale: Vec<i64> = pairs::table
        .select(pairs::product_id)
        .distinct()
        .load::<i64>(conn)?
        .into_iter()
        .filter(|p| !by.contains_key(p))
        .collect();
    for chunk in stale.chunks(BATCH) {
        write_tx(conn, |c| {
            diesel::delete(pairs::table.filter(pairs::product_id.eq_any(chunk))).execute(c)
        })?;
    }
    let mut products: Vec<(i64, Vec<(i64, i64)>)> = by.into_iter().collect();
    products.sort_by_key(|p| p.0);
    for chunk in products.chunks(50) {
        write_tx(conn, |c| {
            for (p, others) in chunk {
                diesel::delete(pairs::table.filter(pairs::product_id.eq(p))).execute(c)?;
                for (o, n) in others {
                    diesel::insert_into(pairs::table)
                        .values((
                            pairs::product_id.eq(p),
                            pairs::other_id.eq(o),
                            pairs::support.eq(n),
                        ))
                        .execute(c)?;
                }
            }
            Ok::<_, diesel::result::Error>(())
        })?;
    }
    Ok(())
}
