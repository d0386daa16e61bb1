//! Orders on a contact's or account's page: the recent documents and the
//! customer's figures — orders, lifetime revenue, average order value and
//! last order date (per currency; confirmed, fulfilled and closed orders
//! count, quotes and cancelled ones do not), within the viewer's scope.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, max, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::domain::OrderStatus;
use super::list::Row;
use super::repo::Reach;
use crate::db::schema::orders;
use crate::db::{DbConn, sum_bigint};
use crate::error::AppResult;
use crate::records::RecordRef;
use crate::web::CurrentUser;

/// Documents the panel lists.
const RECENT: i64 = 10;

/// A customer's order figures in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerStats {
    pub currency: String,
    pub orders: i64,
    pub revenue: i64,
    pub last_order: Option<NaiveDateTime>,
}

impl CustomerStats {
    /// Revenue over orders, rounded half away from zero.
    pub fn average(&self) -> i64 {
        if self.orders == 0 {
            0
        } else {
            crate::domain::pricing::round_div(i128::from(self.revenue), i128::from(self.orders))
                as i64
        }
    }
}

pub struct OrderPanel {
    pub record: RecordRef,
    pub rows: Vec<Row>,
    pub stats: Vec<CustomerStats>,
    pub can_create: bool,
    /// "Customers who bought this also bought" (insights::recommend).
    pub recommended: Vec<crate::insights::recommend::Recommendation>,
}

impl OrderPanel {
    pub fn new_url(&self) -> String {
        match self.record {
            RecordRef::Account(id) => format!("/orders/new?account={id}"),
            RecordRef::Contact(id) => format!("/orders/new?contact={id}"),
            _ => "/orders/new".into(),
        }
    }
}

macro_rules! of_customer {
    ($q:expr, $record:expr) => {
        match $record {
            RecordRef::Contact(id) => $q.filter(orders::contact_id.eq(id)),
            RecordRef::Account(id) => $q.filter(orders::account_id.eq(id)),
            RecordRef::Deal(id) => $q.filter(orders::deal_id.eq(id)),
            RecordRef::Order(id) => $q.filter(orders::id.eq(id)),
            // A ticket is nobody's customer: no orders.
            RecordRef::Ticket(_) => $q.filter(orders::id.is_null()),
        }
    };
}

pub fn panel(c: &mut DbConn, user: &CurrentUser, record: RecordRef) -> AppResult<OrderPanel> {
    let reach = Reach::of(c, &user.viewer())?;
    let rows_q = of_customer!(super::repo::visible(&reach), record);
    let rows: Vec<Row> = rows_q
        .order((orders::created_at.desc(), orders::id.desc()))
        .limit(RECENT)
        .select(super::list::row_columns())
        .load(c)?;
    let counted = OrderStatus::revenue();
    let sum = sum_bigint(c, "orders.total_minor");
    let mut q = orders::table
        .filter(orders::status.eq_any(counted))
        .group_by(orders::currency)
        .select((
            orders::currency,
            count_star(),
            sql::<BigInt>(&sum),
            max(orders::confirmed_at),
        ))
        .into_boxed();
    if let Some(owners) = &reach.0 {
        q = q.filter(orders::owner_id.eq_any(owners.clone()));
    }
    let q = of_customer!(q, record);
    let stats = q
        .order(orders::currency.asc())
        .load::<(String, i64, i64, Option<NaiveDateTime>)>(c)?
        .into_iter()
        .map(|(currency, orders, revenue, last_order)| CustomerStats {
            currency,
            orders,
            revenue,
            last_order,
        })
        .collect();
    let recommended = crate::insights::recommend::for_customer(c, record)?;
    Ok(OrderPanel {
        recommended,
        record,
        rows,
        stats,
        can_create: user.can(crate::auth::policy::Action::OrdersWrite),
    })
}
