//! Segments in SQL: `matching` turns a filter into a boxed query over
//! `contacts` (tags, lifecycle, consent, place, owner, created date, order
//! facts, or a static list), which the count, the sample and a campaign's
//! audience freeze (`campaigns::repo::freeze`) all use.

use chrono::{NaiveDateTime, NaiveTime};
use diesel::dsl::{count_star, exists};
use diesel::prelude::*;

use super::domain::Filter;
use crate::db::schema::{contacts, customer_metrics, orders, segments, tags, users};
use crate::db::{Backend, DbConn, last_insert_id, now};
use crate::orders::domain::OrderStatus;

pub type Matching = contacts::BoxedQuery<'static, Backend>;

/// The contacts a filter matches (every contact the filter names, whatever
/// its consent: the sender adds "subscribed, with an address").
pub fn matching(f: &Filter) -> Matching {
    let mut q = contacts::table.into_boxed();
    if let Some(ids) = &f.contact_ids {
        return q.filter(contacts::id.eq_any(ids.clone()));
    }
    if let Some(tag) = &f.tag {
        q = q.filter(
            contacts::id
                .nullable()
                .eq_any(crate::tags::tagged_contacts(tag)),
        );
    }
    if let Some(l) = f.lifecycle() {
        q = q.filter(contacts::lifecycle.eq(l.as_str()));
    }
    if let Some(c) = f.consent() {
        q = q.filter(contacts::consent.eq(c.as_str()));
    }
    if let Some(city) = &f.city {
        q = q.filter(contacts::city.eq(city.clone()));
    }
    if let Some(country) = &f.country {
        q = q.filter(contacts::country.eq(country.clone()));
    }
    if let Some(owner) = f.owner_id {
        q = q.filter(contacts::owner_id.eq(owner));
    }
    if let Some(from) = f.created_from {
        q = q.filter(contacts::created_at.ge(from.and_time(NaiveTime::MIN)));
    }
    if let Some(to) = f.created_to
        && let Some(next) = to.succ_opt()
    {
        q = q.filter(contacts::created_at.lt(next.and_time(NaiveTime::MIN)));
    }
    order_facts(q, f, now())
}

/// The order facts of a filter, each one clause: a recent order over
/// `orders`, total spent over the per-contact order figures.
fn order_facts(mut q: Matching, f: &Filter, now: NaiveDateTime) -> Matching {
    if let Some(minor) = f.spent_at_least_minor {
        q = q.filter(exists(
            customer_metrics::table
                .filter(customer_metrics::contact_id.eq(contacts::id))
                .filter(customer_metrics::revenue_minor.ge(minor)),
        ));
    }
    if let Some(days) = f.ordered_within_days {
        let since = now - chrono::Duration::days(days);
        let counted: Vec<&'static str> = OrderStatus::ALL
            .iter()
            .filter(|s| s.is_order() && **s != OrderStatus::Cancelled)
            .map(|s| s.as_str())
            .collect();
        q = q.filter(exists(
            orders::table
                .filter(orders::contact_id.eq(contacts::id.nullable()))
                .filter(orders::status.eq_any(counted))
                .filter(orders::confirmed_at.ge(since)),
        ));
    }
    q
}

/// How many contacts match.
pub fn count(conn: &mut DbConn, f: &Filter) -> QueryResult<i64> {
    matching(f).select(count_star()).first(conn)
}

/// How many matching contacts a campaign would mail now (subscribed, with
/// an address).
pub fn count_mailable(conn: &mut DbConn, f: &Filter) -> QueryResult<i64> {
    matching(f)
        .filter(contacts::consent.eq(crate::contacts::domain::Consent::Subscribed.as_str()))
        .filter(contacts::email.is_not_null())
        .select(count_star())
        .first(conn)
}

/// A few matching contacts, for the form's sample.
#[derive(Queryable, Debug, Clone)]
pub struct SampleRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub consent: String,
}

pub fn sample(conn: &mut DbConn, f: &Filter, limit: i64) -> QueryResult<Vec<SampleRow>> {
    matching(f)
        .order(contacts::id.asc())
        .limit(limit)
        .select((
            contacts::id,
            contacts::first_name,
            contacts::last_name,
            contacts::email,
            contacts::consent,
        ))
        .load(conn)
}

/// The ids of the contacts with these addresses (a static list).
pub fn ids_by_email(conn: &mut DbConn, emails: &[String]) -> QueryResult<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in emails.chunks(500) {
        out.extend(
            contacts::table
                .filter(contacts::email.eq_any(chunk))
                .select(contacts::id)
                .load::<i64>(conn)?,
        );
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The addresses of a static list's contacts (to show it again).
pub fn emails_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<String>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            contacts::table
                .filter(contacts::id.eq_any(chunk))
                .filter(contacts::email.is_not_null())
                .select(contacts::email.assume_not_null())
                .load::<String>(conn)?,
        );
    }
    out.sort();
    Ok(out)
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = segments)]
pub struct Segment {
    pub id: i64,
    pub name: String,
    pub filter: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Segment {
    pub fn parsed(&self) -> Filter {
        Filter::from_json(&self.filter)
    }
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<Segment>> {
    segments::table
        .order((segments::name.asc(), segments::id.asc()))
        .limit(500)
        .select(Segment::as_select())
        .load(conn)
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<Segment>> {
    segments::table
        .find(id)
        .select(Segment::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConn, name: &str, f: &Filter, by: i64) -> QueryResult<i64> {
    let t = now();
    diesel::insert_into(segments::table)
        .values((
            segments::name.eq(name),
            segments::filter.eq(f.to_json()),
            segments::created_by.eq(by),
            segments::created_at.eq(t),
            segments::updated_at.eq(t),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

pub fn update(conn: &mut DbConn, id: i64, name: &str, f: &Filter) -> QueryResult<bool> {
    let n = diesel::update(segments::table.find(id))
        .set((
            segments::name.eq(name),
            segments::filter.eq(f.to_json()),
            segments::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Active users, for the owner menu.
pub fn owners(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    users::table
        .filter(users::active.eq(true))
        .order(users::name.asc())
        .select((users::id, users::name))
        .load(conn)
}

/// Tag names A→Z, for the tag menu.
pub fn tag_names(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    tags::table
        .order(tags::name.asc())
        .limit(500)
        .select(tags::name)
        .load(conn)
}
