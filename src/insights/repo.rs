//! The reads behind Insights, each narrowed to the owners the viewer may
//! see (their record scope narrowed by the owner/team filter): counted
//! orders (confirmed, fulfilled, closed) per customer, open deals by stage,
//! deals closed in the period, their lost reasons, the stage history for
//! the funnel, and expected versus won value by month.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::domain::{History, Purchase};
use crate::db::schema::{deal_stage_changes, deals, orders};
use crate::db::{DbConn, sum_bigint};
use crate::deals::domain::DealStatus;
use crate::domain::ids::{DealId, StageId};
use crate::orders::domain::OrderStatus;

/// Whose figures: `None` is everyone's, else these owners'.
pub type Owners<'a> = Option<&'a [i64]>;

/// Who bought: the contact, else the account of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Customer {
    Contact(i64),
    Account(i64),
}

impl Customer {
    pub fn href(&self) -> String {
        match self {
            Customer::Contact(id) => format!("/contacts/{id}"),
            Customer::Account(id) => format!("/accounts/{id}"),
        }
    }
}

fn counted() -> Vec<OrderStatus> {
    OrderStatus::revenue()
}

macro_rules! owned_by {
    ($q:expr, $col:expr, $owners:expr) => {
        match $owners {
            None => $q,
            Some(o) => $q.filter($col.eq_any(o.to_vec())),
        }
    };
}

/// The names of these customers (contacts "First Last", accounts by
/// name): two reads by primary key.
pub fn customer_names(c: &mut DbConn, who: &[Customer]) -> QueryResult<HashMap<Customer, String>> {
    use crate::db::schema::{accounts, contacts};
    let (mut people, mut companies) = (Vec::new(), Vec::new());
    for w in who {
        match w {
            Customer::Contact(id) => people.push(*id),
            Customer::Account(id) => companies.push(*id),
        }
    }
    let mut out = HashMap::new();
    if !people.is_empty() {
        let rows: Vec<(i64, String, String)> = contacts::table
            .filter(contacts::id.eq_any(&people))
            .select((contacts::id, contacts::first_name, contacts::last_name))
            .load(c)?;
        for (id, first, last) in rows {
            let name = crate::domain::person_name(&first, &last);
            out.insert(Customer::Contact(id), name);
        }
    }
    if !companies.is_empty() {
        let rows: Vec<(i64, String)> = accounts::table
            .filter(accounts::id.eq_any(&companies))
            .select((accounts::id, accounts::name))
            .load(c)?;
        for (id, name) in rows {
            out.insert(Customer::Account(id), name);
        }
    }
    Ok(out)
}

/// The currencies of counted orders, most orders first: read from the
/// order tallies (`orders::tallies`, kept as orders change), not by
/// grouping every order (0.4–0.8 s at 200,000 orders).
pub fn currencies(c: &mut DbConn, owners: Owners) -> QueryResult<Vec<String>> {
    let ask = crate::orders::tallies::Ask {
        statuses: Some(counted()),
        reach: owners.map(<[i64]>::to_vec),
        ..Default::default()
    };
    let mut rows = crate::orders::tallies::sums(c, &ask)?;
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Every counted order in `currency`, per customer, as days in `tz`,
/// oldest first. Orders without contact or account are left out.
pub fn purchases(
    c: &mut DbConn,
    owners: Owners,
    currency: &str,
    tz: Tz,
) -> QueryResult<HashMap<Customer, History>> {
    let q = orders::table
        .filter(orders::status.eq_any(counted()))
        .filter(orders::currency.eq(currency))
        .select((
            orders::contact_id,
            orders::account_id,
            orders::confirmed_at,
            orders::total_minor,
        ))
        .into_boxed();
    type Row = (Option<i64>, Option<i64>, Option<NaiveDateTime>, i64);
    let rows: Vec<Row> = owned_by!(q, orders::owner_id, owners).load(c)?;
    let mut out: HashMap<Customer, History> = HashMap::new();
    for (contact, account, confirmed, total) in rows {
        let who = match (contact, account) {
            (Some(id), _) => Customer::Contact(id),
            (None, Some(id)) => Customer::Account(id),
            (None, None) => continue,
        };
        // Every counted order has been confirmed; one without the time
        // (none should exist) cannot be placed in a month.
        let Some(at) = confirmed else { continue };
        let day = at.and_utc().with_timezone(&tz).date_naive();
        out.entry(who).or_default().push(Purchase { day, total });
    }
    for h in out.values_mut() {
        h.sort_by_key(|p| p.day);
    }
    Ok(out)
}

/// Open deals of a pipeline in `currency`: (stage, count, value).
pub fn open_by_stage(
    c: &mut DbConn,
    owners: Owners,
    pipeline: i64,
    currency: &str,
) -> QueryResult<Vec<(StageId, i64, i64)>> {
    let sum = sum_bigint(c, "deals.value_minor");
    let q = deals::table
        .filter(deals::pipeline_id.eq(pipeline))
        .filter(deals::status.eq(DealStatus::Open))
        .filter(deals::currency.eq(currency))
        .group_by(deals::stage_id)
        .select((deals::stage_id, count_star(), sql::<BigInt>(&sum)))
        .into_boxed();
    owned_by!(q, deals::owner_id, owners).load(c)
}

/// A deal closed (won or lost) in the period.
#[derive(Queryable, Clone, Debug)]
pub struct Closed {
    pub status: DealStatus,
    pub value_minor: i64,
    pub currency: String,
    pub created_at: NaiveDateTime,
    pub won_at: Option<NaiveDateTime>,
    pub lost_at: Option<NaiveDateTime>,
    pub lost_reason_id: Option<i64>,
    pub expected_close: Option<NaiveDate>,
    pub probability: Option<i32>,
    pub stage_id: StageId,
}

/// Deals of a pipeline won or lost between `from` and `to` (UTC).
pub fn closed(
    c: &mut DbConn,
    owners: Owners,
    pipeline: i64,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<Closed>> {
    let q = deals::table
        .filter(deals::pipeline_id.eq(pipeline))
        .filter(
            deals::won_at
                .ge(from)
                .and(deals::won_at.lt(to))
                .or(deals::lost_at.ge(from).and(deals::lost_at.lt(to))),
        )
        .select((
            deals::status,
            deals::value_minor,
            deals::currency,
            deals::created_at,
            deals::won_at,
            deals::lost_at,
            deals::lost_reason_id,
            deals::expected_close,
            deals::probability,
            deals::stage_id,
        ))
        .into_boxed();
    owned_by!(q, deals::owner_id, owners).load(c)
}

/// An expected close, value, own probability and stage.
pub type Expected = (Option<NaiveDate>, i64, Option<i32>, StageId);

/// Deals of a pipeline expected to close between `from` and `to` (days),
/// in `currency`: (expected close, value, own probability, stage).
pub fn expected(
    c: &mut DbConn,
    owners: Owners,
    pipeline: i64,
    currency: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<Expected>> {
    let q = deals::table
        .filter(deals::pipeline_id.eq(pipeline))
        .filter(deals::currency.eq(currency))
        .filter(deals::expected_close.ge(from))
        .filter(deals::expected_close.lt(to))
        .select((
            deals::expected_close,
            deals::value_minor,
            deals::probability,
            deals::stage_id,
        ))
        .into_boxed();
    owned_by!(q, deals::owner_id, owners).load(c)
}

/// Every (deal, stage it moved to) of the pipeline's deals created in the
/// period — the funnel's input (`deals::funnel::steps`).
pub fn stage_history(
    c: &mut DbConn,
    owners: Owners,
    pipeline: i64,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<(DealId, StageId)>> {
    let q = deal_stage_changes::table
        .inner_join(deals::table)
        .filter(deals::pipeline_id.eq(pipeline))
        .filter(deals::created_at.ge(from))
        .filter(deals::created_at.lt(to))
        .select((deal_stage_changes::deal_id, deal_stage_changes::to_stage_id))
        .distinct()
        .into_boxed();
    owned_by!(q, deals::owner_id, owners).load(c)
}
