//! The order list (`/orders`) on `web::list`: sorts, the status filter,
//! search by number or customer, within the viewer's scope.

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
}

impl FilterSet for OrderFilters {
    fn parse(p: &Params) -> OrderFilters {
        OrderFilters {
            status: OrderStatus::parse(p.get("status").trim()),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        self.status
            .map(|s| vec![("status", s.as_str().to_string())])
            .unwrap_or_default()
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
    if let Some(s) = opts.filters.status {
        q = q.filter(orders::status.eq(s));
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
