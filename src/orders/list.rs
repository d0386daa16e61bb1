//! The order list (`/orders`) on `web::list`: sorts, the status filter,
//! search by number or customer, within the viewer's scope. Insights links
//! here with `revenue=1` (the counted statuses), `since`/`until` (UTC
//! instants `YYYY-MM-DDTHH:MM`, confirmation in `[since, until)`), `owner`,
//! `team` and `currency`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::OrderStatus;
use super::repo::{Reach, visible};
use crate::db::schema::{accounts, contacts, orders, users};
use crate::db::{DbConn, contains_pattern};
use crate::domain::ids::OrderId;
use crate::web::list::{self, Col, FilterSet, Key, Keyed, Params};

crate::sort_keys! {
    /// The orders of the order list.
    pub enum OrderSort: "orders.id", default Created {
        Created: "created", desc, [Col::time("orders.created_at")];
        Updated: "updated", desc, [Col::time("orders.updated_at")];
        Total: "total", desc, [Col::int("orders.total_minor")];
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFilters {
    pub status: Option<OrderStatus>,
    /// Only orders that count as revenue (confirmed, fulfilled, closed).
    pub revenue: bool,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    pub owner: Option<i64>,
    pub team: Option<i64>,
    pub currency: Option<String>,
}

const INSTANT: &str = "%Y-%m-%dT%H:%M";

fn instant(p: &Params, key: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(p.get(key).trim(), INSTANT).ok()
}

impl FilterSet for OrderFilters {
    fn parse(p: &Params) -> OrderFilters {
        OrderFilters {
            status: OrderStatus::parse(p.get("status").trim()),
            revenue: p.get("revenue") == "1",
            since: instant(p, "since"),
            until: instant(p, "until"),
            owner: p.id("owner"),
            team: p.id("team"),
            currency: p
                .text("currency", 3)
                .filter(|c| crate::i18n::format::is_currency(c)),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(s) = self.status {
            out.push(("status", s.as_str().to_string()));
        }
        if self.revenue {
            out.push(("revenue", "1".into()));
        }
        if let Some(t) = self.since {
            out.push(("since", t.format(INSTANT).to_string()));
        }
        if let Some(t) = self.until {
            out.push(("until", t.format(INSTANT).to_string()));
        }
        if let Some(o) = self.owner {
            out.push(("owner", o.to_string()));
        }
        if let Some(t) = self.team {
            out.push(("team", t.to_string()));
        }
        if let Some(c) = &self.currency {
            out.push(("currency", c.clone()));
        }
        out
    }
}

pub type OrderListOptions = list::ListOptions<OrderSort, OrderFilters>;

/// One row of the list.
#[derive(Queryable, Debug, Clone)]
pub struct Row {
    pub id: OrderId,
    pub quote_number: Option<String>,
    pub order_number: Option<String>,
    pub status: OrderStatus,
    pub currency: String,
    pub total_minor: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub owner_name: Option<String>,
    pub contact_first: Option<String>,
    pub contact_last: Option<String>,
    pub account_name: Option<String>,
}

impl Row {
    pub fn number(&self) -> String {
        self.order_number
            .clone()
            .or_else(|| self.quote_number.clone())
            .unwrap_or_else(|| format!("#{}", self.id))
    }

    pub fn customer(&self) -> String {
        self.account_name.clone().unwrap_or_else(|| {
            crate::domain::person_name(
                self.contact_first.as_deref().unwrap_or(""),
                self.contact_last.as_deref().unwrap_or(""),
            )
        })
    }
}

/// The columns of a `Row` (the list's and the customer panel's).
pub type RowColumns = (
    orders::id,
    orders::quote_number,
    orders::order_number,
    orders::status,
    orders::currency,
    orders::total_minor,
    orders::created_at,
    orders::updated_at,
    diesel::dsl::Nullable<users::name>,
    diesel::dsl::Nullable<contacts::first_name>,
    diesel::dsl::Nullable<contacts::last_name>,
    diesel::dsl::Nullable<accounts::name>,
);

pub fn row_columns() -> RowColumns {
    (
        orders::id,
        orders::quote_number,
        orders::order_number,
        orders::status,
        orders::currency,
        orders::total_minor,
        orders::created_at,
        orders::updated_at,
        users::name.nullable(),
        contacts::first_name.nullable(),
        contacts::last_name.nullable(),
        accounts::name.nullable(),
    )
}

fn listed(reach: &Reach, opts: &OrderListOptions) -> super::repo::Joined {
    let mut q = visible(reach);
    for term in &opts.terms {
        let p = contains_pattern(term);
        q = q.filter(
            orders::order_number
                .like(p.clone())
                .escape('\\')
                .or(orders::quote_number.like(p.clone()).escape('\\'))
                .or(accounts::name.like(p.clone()).escape('\\'))
                .or(contacts::last_name.like(p).escape('\\')),
        );
    }
    let f = &opts.filters;
    if let Some(s) = f.status {
        q = q.filter(orders::status.eq(s));
    }
    if f.revenue {
        q = q.filter(orders::status.eq_any(OrderStatus::revenue()));
    }
    if let Some(t) = f.since {
        q = q.filter(orders::confirmed_at.ge(t));
    }
    if let Some(t) = f.until {
        q = q.filter(orders::confirmed_at.lt(t));
    }
    if let Some(o) = f.owner {
        q = q.filter(orders::owner_id.eq(o));
    }
    if let Some(t) = f.team {
        q = q.filter(users::team_id.eq(t));
    }
    if let Some(c) = &f.currency {
        q = q.filter(orders::currency.eq(c.clone()));
    }
    q
}

pub fn count(c: &mut DbConn, reach: &Reach, opts: &OrderListOptions) -> QueryResult<i64> {
    list::count_capped(c, listed(reach, opts).select(orders::id))
}

pub fn load(c: &mut DbConn, reach: &Reach, opts: &OrderListOptions) -> QueryResult<Vec<Row>> {
    let mut q = listed(reach, opts);
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    q.order(diesel::dsl::sql::<diesel::sql_types::Text>(
        &opts.order_sql(),
    ))
    .select(row_columns())
    .offset(opts.offset())
    .limit(opts.fetch())
    .load(c)
}

impl Keyed<OrderSort> for Row {
    fn id(&self) -> i64 {
        self.id.get()
    }

    fn keys(&self, sort: OrderSort) -> Vec<Key> {
        match sort {
            OrderSort::Created => vec![self.created_at.into()],
            OrderSort::Updated => vec![self.updated_at.into()],
            OrderSort::Total => vec![self.total_minor.into()],
        }
    }
}
