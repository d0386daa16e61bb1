//! The order list (`/orders`) on `web::list`: sorts; filters by status,
//! customer (an account or a contact), owner and creation dates (days in
//! the viewer's zone); search by number or customer name (word prefixes
//! through `search_terms`), within the viewer's scope; the totals of the
//! filtered set per currency (from `tallies` where the filters allow,
//! kept briefly like the board's sums); its CSV export.
//! Insights links here with `revenue=1` (the counted statuses),
//! `since`/`until` (UTC instants `YYYY-MM-DDTHH:MM`, confirmation in
//! `[since, until)`), `owner`, `team` and `currency`.

use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::domain::OrderStatus;
use super::repo::{Joined, Reach, visible};
use super::tallies::{self, Basis};
use crate::db::schema::{accounts, contacts, orders, users};
use crate::db::{DbConn, sum_bigint};
use crate::domain::ids::{AccountId, ContactId, OrderId};
use crate::search::Kind;
use crate::web::list::menus::{self, MenuCache};
use crate::web::list::{self, Col, FilterSet, Key, Keyed, Params, Plan};

crate::sort_keys! {
    /// The orders of the order list.
    pub enum OrderSort: "orders.id", default Created {
        Created: "created", desc, [Col::time("orders.created_at")];
        Updated: "updated", desc, [Col::time("orders.updated_at")];
        Total: "total", desc, [Col::int("orders.total_minor")];
    }
}

/// Whose orders: an account's or a contact's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Customer {
    Account(AccountId),
    Contact(ContactId),
}

impl Customer {
    /// `a12` / `c34` (the filter's value).
    pub fn parse(raw: &str) -> Option<Customer> {
        let t = raw.trim();
        let id = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0);
        match t.split_at_checked(1)? {
            ("a", n) => id(n).map(|n| Customer::Account(AccountId::new(n))),
            ("c", n) => id(n).map(|n| Customer::Contact(ContactId::new(n))),
            _ => None,
        }
    }

    pub fn value(self) -> String {
        match self {
            Customer::Account(a) => format!("a{a}"),
            Customer::Contact(c) => format!("c{c}"),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderFilters {
    pub status: Option<OrderStatus>,
    pub customer: Option<Customer>,
    pub owner: Option<i64>,
    /// Created on or after this day (the viewer's).
    pub from: Option<NaiveDate>,
    /// Created on or before this day (the viewer's).
    pub to: Option<NaiveDate>,
    /// Only orders that count as revenue (confirmed, fulfilled, closed).
    pub revenue: bool,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    pub team: Option<i64>,
    pub currency: Option<String>,
}

use crate::web::list::INSTANT;

fn day(p: &Params, key: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(p.get(key).trim(), "%Y-%m-%d").ok()
}

impl FilterSet for OrderFilters {
    fn parse(p: &Params) -> OrderFilters {
        // `account=` / `contact=` as the customer pages link them.
        let customer = Customer::parse(p.get("customer"))
            .or_else(|| {
                p.id("account")
                    .map(|a| Customer::Account(AccountId::new(a)))
            })
            .or_else(|| {
                p.id("contact")
                    .map(|c| Customer::Contact(ContactId::new(c)))
            });
        OrderFilters {
            status: OrderStatus::parse(p.get("status").trim()),
            customer,
            owner: p.id("owner"),
            from: day(p, "from"),
            to: day(p, "to"),
            revenue: p.get("revenue") == "1",
            since: p.instant("since"),
            until: p.instant("until"),
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
        if let Some(c) = self.customer {
            out.push(("customer", c.value()));
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
        if let Some(d) = self.from {
            out.push(("from", d.to_string()));
        }
        if let Some(d) = self.to {
            out.push(("to", d.to_string()));
        }
        out
    }
}

use crate::i18n::format::day_start_utc as day_start;

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

/// Orders with a number or customer-name word starting with each typed
/// word, written for `plan` (`filter_by_word!`): under `Plan::Walk` (a
/// common word, a customer's name on thousands of orders) the sort's index
/// drives and each order is probed for the word.
fn searched(mut q: Joined, terms: &[String], plan: Plan) -> Joined {
    let Some(prefixes) = crate::search::prefixes_of(terms) else {
        return q.filter(orders::id.lt(OrderId::new(0)));
    };
    for (i, prefix) in prefixes.iter().enumerate() {
        crate::filter_by_word!(
            q,
            plan.for_word(i),
            Kind::Order,
            prefix,
            orders::id,
            "orders.id"
        );
    }
    q
}

/// An instant range `[from, until)` (UTC), open on a side that is None.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Window {
    from: Option<NaiveDateTime>,
    until: Option<NaiveDateTime>,
}

impl Window {
    fn is_open(self) -> bool {
        self.from.is_none() && self.until.is_none()
    }

    /// The UTC days wholly inside the window, as `[first, end)` (unbounded
    /// where None), and the partial days at its edges as windows of their
    /// own; None when no whole day is inside.
    fn split(self) -> Option<(Option<NaiveDate>, Option<NaiveDate>, Vec<Window>)> {
        let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default();
        let first = self.from.map(|t| {
            if t == midnight(t.date()) {
                t.date()
            } else {
                t.date().succ_opt().unwrap_or(t.date())
            }
        });
        let end = self.until.map(|t| t.date());
        if let (Some(a), Some(b)) = (first, end)
            && a >= b
        {
            return None;
        }
        let mut edges = Vec::new();
        if let (Some(from), Some(a)) = (self.from, first)
            && from < midnight(a)
        {
            edges.push(Window {
                from: Some(from),
                until: Some(midnight(a)),
            });
        }
        if let (Some(until), Some(b)) = (self.until, end)
            && until > midnight(b)
        {
            edges.push(Window {
                from: Some(midnight(b)),
                until: Some(until),
            });
        }
        Some((first, end, edges))
    }
}

/// The list's two date filters as instants: creation (`from`/`to`, days
/// in the viewer's zone) and confirmation (`since`/`until`).
#[derive(Clone, Copy, Debug, Default)]
struct Windows {
    created: Window,
    confirmed: Window,
}

fn windows(f: &OrderFilters, tz: Tz) -> Windows {
    Windows {
        created: Window {
            from: f.from.map(|d| day_start(tz, d)),
            until: f.to.and_then(|d| d.succ_opt()).map(|d| day_start(tz, d)),
        },
        confirmed: Window {
            from: f.since,
            until: f.until,
        },
    }
}

fn listed(reach: &Reach, opts: &OrderListOptions, tz: Tz, plan: Plan) -> Joined {
    narrowed(reach, opts, windows(&opts.filters, tz), plan)
}

/// The list's query with its date filters given as `w`.
fn narrowed(reach: &Reach, opts: &OrderListOptions, w: Windows, plan: Plan) -> Joined {
    let mut q = searched(visible(reach), &opts.terms, plan);
    let f = &opts.filters;
    match f.customer {
        Some(Customer::Account(a)) => q = q.filter(orders::account_id.eq(a)),
        Some(Customer::Contact(c)) => q = q.filter(orders::contact_id.eq(c)),
        None => {}
    }
    if let Some(o) = f.owner {
        q = q.filter(orders::owner_id.eq(o));
    }
    if let Some(t) = w.created.from {
        q = q.filter(orders::created_at.ge(t));
    }
    if let Some(t) = w.created.until {
        q = q.filter(orders::created_at.lt(t));
    }
    if let Some(s) = f.status {
        q = q.filter(orders::status.eq(s));
    }
    if f.revenue {
        q = q.filter(orders::status.eq_any(OrderStatus::revenue()));
    }
    if let Some(t) = w.confirmed.from {
        q = q.filter(orders::confirmed_at.ge(t));
    }
    if let Some(t) = w.confirmed.until {
        // An order is confirmed after it was created, so it was also
        // created before `t`: walking the creation index (the list's
        // order) then starts at the period instead of at today (a month
        // of last winter walked 86,000 newer orders for one page).
        q = q
            .filter(orders::confirmed_at.lt(t))
            .filter(orders::created_at.lt(t));
    }
    if let Some(t) = f.team {
        q = q.filter(users::team_id.eq(t));
    }
    if let Some(c) = &f.currency {
        q = q.filter(orders::currency.eq(c.clone()));
    }
    q
}

fn count(c: &mut DbConn, reach: &Reach, opts: &OrderListOptions, tz: Tz) -> QueryResult<i64> {
    // Seeing every order, one word and no filter: counted from its terms.
    if let (None, [word], true) = (
        &reach.0,
        opts.terms.as_slice(),
        opts.filters == OrderFilters::default(),
    ) && let Some([prefix]) = crate::search::prefixes_of(std::slice::from_ref(word)).as_deref()
    {
        return crate::search::index::count_word(c, Kind::Order, prefix);
    }
    list::count_capped(c, listed(reach, opts, tz, Plan::Narrow).select(orders::id))
}

/// The list's capped count of matches (`list::count_capped`) and its
/// totals. Without search words the totals cover exactly the filtered set,
/// so their documents are the count (no query of its own: reading 1,001
/// ids through the joins cost more than the rest of the page); with words
/// the count comes first and decides whether the matches are summed.
pub fn count_and_totals(
    c: &mut DbConn,
    reach: &Reach,
    opts: &OrderListOptions,
    tz: Tz,
) -> QueryResult<(i64, Option<Totals>)> {
    if opts.terms.is_empty() {
        let totals = totals(c, reach, opts, tz, 0)?;
        let documents: i64 = totals.iter().flatten().map(|t| t.1).sum();
        return Ok((documents.min(list::COUNT_CAP + 1), totals));
    }
    let counted = count(c, reach, opts, tz)?;
    Ok((counted, totals(c, reach, opts, tz, counted)?))
}

/// Per currency: (currency, documents, sum of totals).
type Totals = Vec<(String, i64, i64)>;

static TOTALS: LazyLock<MenuCache<Option<Totals>>> = LazyLock::new(menus::sums_cache);

/// The filtered set's grand totals per currency, by currency; None when a
/// search matches more documents than are summed on the fly
/// (`COUNT_CAP`: the list then asks to narrow it). Filters the tallies
/// know (status, owner, team, currency, one date filter) are read from
/// them (`tallies`); a customer's or a search's are summed from the
/// orders. Kept briefly like the board's sums (`menus::SUMS_TTL`), under
/// everything they depend on: reach, filters, words and the viewer's zone.
fn totals(
    c: &mut DbConn,
    reach: &Reach,
    opts: &OrderListOptions,
    tz: Tz,
    counted: i64,
) -> QueryResult<Option<Totals>> {
    let key = format!("{:?}|{:?}|{:?}|{tz:?}", reach.0, opts.filters, opts.terms);
    TOTALS.get_keyed(key, || load_totals(c, reach, opts, tz, counted))
}

fn load_totals(
    c: &mut DbConn,
    reach: &Reach,
    opts: &OrderListOptions,
    tz: Tz,
    counted: i64,
) -> QueryResult<Option<Totals>> {
    let f = &opts.filters;
    let w = windows(f, tz);
    if !opts.terms.is_empty() && counted > list::COUNT_CAP {
        return Ok(None);
    }
    let both_dates = !w.created.is_open() && !w.confirmed.is_open();
    if !opts.terms.is_empty() || f.customer.is_some() || both_dates {
        return summed(c, reach, opts, w).map(Some);
    }
    let statuses = match (f.status, f.revenue) {
        (None, false) => None,
        (Some(s), false) => Some(vec![s]),
        (None, true) => Some(OrderStatus::revenue()),
        (Some(s), true) => Some(
            OrderStatus::revenue()
                .into_iter()
                .filter(|r| *r == s)
                .collect(),
        ),
    };
    let mut ask = tallies::Ask {
        basis: None,
        statuses,
        owner: f.owner,
        reach: reach.0.clone(),
        team: f.team,
        currency: f.currency.clone(),
    };
    let (basis, window) = if !w.created.is_open() {
        (Basis::Created, w.created)
    } else if !w.confirmed.is_open() {
        (Basis::Confirmed, w.confirmed)
    } else {
        return tallies::sums(c, &ask).map(Some);
    };
    // Less than a whole UTC day: the orders themselves are few.
    let Some((first, end, edges)) = window.split() else {
        return summed(c, reach, opts, w).map(Some);
    };
    ask.basis = Some((basis, first, end));
    let mut parts = vec![tallies::sums(c, &ask)?];
    for edge in edges {
        let only = match basis {
            Basis::Confirmed => Windows {
                created: Window::default(),
                confirmed: edge,
            },
            _ => Windows {
                created: edge,
                confirmed: Window::default(),
            },
        };
        parts.push(summed(c, reach, opts, only)?);
    }
    Ok(Some(tallies::merge(parts)))
}

/// The totals summed from the orders the list's query matches with the
/// date filters `w`: one aggregate per currency in use (a workspace has
/// few), each read along `ix_orders_currency_total` or a filter's index.
fn summed(
    c: &mut DbConn,
    reach: &Reach,
    opts: &OrderListOptions,
    w: Windows,
) -> QueryResult<Totals> {
    let sum = sum_bigint(c, "orders.total_minor");
    let currencies = tallies::currencies(c)?;
    let mut out = Vec::with_capacity(currencies.len());
    for currency in currencies {
        let (n, total): (i64, i64) = narrowed(reach, opts, w, Plan::Narrow)
            .filter(orders::currency.eq(currency.clone()))
            .select((count_star(), sql::<BigInt>(&sum)))
            .first(c)?;
        if n > 0 {
            out.push((currency, n, total));
        }
    }
    Ok(out)
}

/// Every row of the filtered list in its order, up to `max` (the export).
pub fn all_matching(
    c: &mut DbConn,
    reach: &Reach,
    opts: &OrderListOptions,
    tz: Tz,
    max: i64,
) -> QueryResult<Vec<Row>> {
    listed(reach, opts, tz, Plan::Narrow)
        .order(diesel::dsl::sql::<diesel::sql_types::Text>(
            &opts.order_sql(),
        ))
        .select(row_columns())
        .limit(max)
        .load(c)
}

/// The list page the options point at; `counted` matches (capped) choose
/// how a searched word is read (`Plan::for_count`).
pub fn load(
    c: &mut DbConn,
    reach: &Reach,
    opts: &OrderListOptions,
    tz: Tz,
    counted: i64,
) -> QueryResult<Vec<Row>> {
    let mut q = listed(reach, opts, tz, Plan::for_count(counted));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    fn window(from: Option<&str>, until: Option<&str>) -> Window {
        Window {
            from: from.map(at),
            until: until.map(at),
        }
    }

    #[test]
    fn a_window_between_midnights_is_whole_days_only() {
        let w = window(Some("2026-03-01 00:00"), Some("2026-04-01 00:00"));
        assert_eq!(
            w.split(),
            Some((Some(day("2026-03-01")), Some(day("2026-04-01")), vec![]))
        );
    }

    #[test]
    fn a_zone_s_days_leave_two_partial_utc_days_at_the_edges() {
        // 1–31 March in Shanghai (UTC+8): from 28 Feb 16:00 to 31 Mar 16:00 UTC.
        let w = window(Some("2026-02-28 16:00"), Some("2026-03-31 16:00"));
        let (first, end, edges) = w.split().expect("whole days inside");
        assert_eq!(
            (first, end),
            (Some(day("2026-03-01")), Some(day("2026-03-31")))
        );
        assert_eq!(
            edges,
            vec![
                window(Some("2026-02-28 16:00"), Some("2026-03-01 00:00")),
                window(Some("2026-03-31 00:00"), Some("2026-03-31 16:00")),
            ]
        );
    }

    #[test]
    fn an_open_side_is_unbounded_days() {
        let (first, end, edges) = window(None, Some("2026-03-05 10:30"))
            .split()
            .expect("days");
        assert_eq!((first, end), (None, Some(day("2026-03-05"))));
        assert_eq!(
            edges,
            vec![window(Some("2026-03-05 00:00"), Some("2026-03-05 10:30"))]
        );
        let (first, end, edges) = window(Some("2026-03-05 10:30"), None)
            .split()
            .expect("days");
        assert_eq!((first, end), (Some(day("2026-03-06")), None));
        assert_eq!(
            edges,
            vec![window(Some("2026-03-05 10:30"), Some("2026-03-06 00:00"))]
        );
    }

    #[test]
    fn less_than_a_whole_day_is_not_split() {
        assert_eq!(
            window(Some("2026-03-05 10:00"), Some("2026-03-06 09:00")).split(),
            None
        );
        assert_eq!(
            window(Some("2026-03-05 10:00"), Some("2026-03-05 11:00")).split(),
            None
        );
    }
}
