//! The order list's totals, kept as orders change (`order_tallies`).
//!
//! At 200,000 orders, summing the filtered set on every list view scanned
//! tens of thousands of rows (all of them for the unfiltered list) while the
//! page itself reads 25 rows from an index. So every write that changes what
//! an order adds to a total (created, edited, moved to another status,
//! confirmed) also moves its count and amount between tally rows, in the
//! order's own transaction: one conditional increment a row, no lock held
//! beyond the transaction (it holds on a multi-primary cluster: two nodes
//! bumping one row is a certification conflict `write_tx` retries).
//!
//! Each order is counted three times: under `Ever` (one row per owner,
//! status and currency: the list without date filters), under `Created`
//! on its UTC creation day and, once confirmed, under `Confirmed` on its UTC
//! confirmation day. A date filter in the viewer's zone is read as the UTC
//! days it covers whole plus its two partial edges from the orders
//! themselves (`list::totals`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use super::domain::OrderStatus;
use crate::db::schema::{order_tallies, orders, users};
use crate::db::{DbConn, sum_bigint};

crate::text_enum! {
    /// Which day an order's tally row is kept under.
    pub enum Basis {
        /// No day (`EVER_DAY`): the totals without date filters.
        Ever = "ever",
        /// The UTC day the document was created.
        Created = "created",
        /// The UTC day the order was confirmed.
        Confirmed = "confirmed",
    }
}

/// The day of every `Ever` row.
pub fn ever_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// What one order adds to the tallies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub owner_id: i64,
    pub status: OrderStatus,
    pub currency: String,
    pub total_minor: i64,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
}

impl Fact {
    /// The (basis, day) rows the order is counted under.
    fn keys(&self) -> Vec<(Basis, NaiveDate)> {
        let mut out = vec![
            (Basis::Ever, ever_day()),
            (Basis::Created, self.created_at.date()),
        ];
        if let Some(t) = self.confirmed_at {
            out.push((Basis::Confirmed, t.date()));
        }
        out
    }
}

/// The order's fact as stored now (our own writes included); with a
/// version, only while the order is still at it.
pub fn fact_of(
    c: &mut DbConn,
    id: crate::domain::ids::OrderId,
    version: Option<i32>,
) -> QueryResult<Option<Fact>> {
    let mut q = orders::table.filter(orders::id.eq(id)).into_boxed();
    if let Some(v) = version {
        q = q.filter(orders::version.eq(v));
    }
    q.select((
        orders::owner_id,
        orders::status,
        orders::currency,
        orders::total_minor,
        orders::created_at,
        orders::confirmed_at,
    ))
    .first::<(
        i64,
        OrderStatus,
        String,
        i64,
        NaiveDateTime,
        Option<NaiveDateTime>,
    )>(c)
    .optional()
    .map(|r| {
        r.map(|r| Fact {
            owner_id: r.0,
            status: r.1,
            currency: r.2,
            total_minor: r.3,
            created_at: r.4,
            confirmed_at: r.5,
        })
    })
}

/// One tally row's key and what to add to it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Delta {
    basis: Basis,
    day: NaiveDate,
    owner_id: i64,
    status: OrderStatus,
    currency: String,
    documents: i64,
    total_minor: i64,
}

/// The increments that take the tallies from `before` to `after` (either
/// absent: the order is new, or gone), rows that net to nothing left out.
fn deltas(before: Option<&Fact>, after: Option<&Fact>) -> Vec<Delta> {
    let mut out: Vec<Delta> = Vec::new();
    let mut add = |f: &Fact, sign: i64| {
        for (basis, day) in f.keys() {
            let found = out.iter_mut().find(|d| {
                d.basis == basis
                    && d.day == day
                    && d.owner_id == f.owner_id
                    && d.status == f.status
                    && d.currency == f.currency
            });
            match found {
                Some(d) => {
                    d.documents += sign;
                    d.total_minor += sign * f.total_minor;
                }
                None => out.push(Delta {
                    basis,
                    day,
                    owner_id: f.owner_id,
                    status: f.status,
                    currency: f.currency.clone(),
                    documents: sign,
                    total_minor: sign * f.total_minor,
                }),
            }
        }
    };
    if let Some(f) = before {
        add(f, -1);
    }
    if let Some(f) = after {
        add(f, 1);
    }
    out.retain(|d| d.documents != 0 || d.total_minor != 0);
    out
}

/// Moves the order's count and amount from what it was (`before`) to what
/// it is (`after`), inside the caller's transaction.
pub fn shift(c: &mut DbConn, before: Option<&Fact>, after: Option<&Fact>) -> QueryResult<()> {
    for d in deltas(before, after) {
        bump(c, &d)?;
    }
    Ok(())
}

/// One conditional increment; the row of a new key is inserted, and losing
/// that insert to another transaction (a unique violation) means the row
/// is there now, so the increment is tried again.
fn bump(c: &mut DbConn, d: &Delta) -> QueryResult<()> {
    for _ in 0..3 {
        let n = diesel::update(
            order_tallies::table
                .filter(order_tallies::basis.eq(d.basis))
                .filter(order_tallies::day.eq(d.day))
                .filter(order_tallies::owner_id.eq(d.owner_id))
                .filter(order_tallies::status.eq(d.status))
                .filter(order_tallies::currency.eq(&d.currency)),
        )
        .set((
            order_tallies::documents.eq(order_tallies::documents + d.documents),
            order_tallies::total_minor.eq(order_tallies::total_minor + d.total_minor),
        ))
        .execute(c)?;
        if n == 1 {
            return Ok(());
        }
        let inserted = diesel::insert_into(order_tallies::table)
            .values((
                order_tallies::basis.eq(d.basis),
                order_tallies::day.eq(d.day),
                order_tallies::owner_id.eq(d.owner_id),
                order_tallies::status.eq(d.status),
                order_tallies::currency.eq(&d.currency),
                order_tallies::documents.eq(d.documents),
                order_tallies::total_minor.eq(d.total_minor),
            ))
            .execute(c);
        match inserted {
            Ok(_) => return Ok(()),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(diesel::result::Error::RollbackTransaction)
}

/// Counts every order again (after a bulk load that wrote orders directly,
/// as `seed-demo` does), in one transaction of the caller's.
pub fn rebuild(c: &mut DbConn) -> QueryResult<()> {
    diesel::delete(order_tallies::table).execute(c)?;
    let day = |col: &str| match c {
        DbConn::Mysql(_) => format!("DATE({col})"),
        DbConn::Sqlite(_) => format!("date({col})"),
    };
    let (created, confirmed) = (day("created_at"), day("confirmed_at"));
    let statements = [
        "INSERT INTO order_tallies (basis, day, owner_id, status, currency, documents, total_minor) \
         SELECT 'ever', '1970-01-01', owner_id, status, currency, COUNT(*), SUM(total_minor) \
         FROM orders GROUP BY owner_id, status, currency"
            .to_string(),
        format!(
            "INSERT INTO order_tallies (basis, day, owner_id, status, currency, documents, total_minor) \
             SELECT 'created', {created}, owner_id, status, currency, COUNT(*), SUM(total_minor) \
             FROM orders GROUP BY {created}, owner_id, status, currency"
        ),
        format!(
            "INSERT INTO order_tallies (basis, day, owner_id, status, currency, documents, total_minor) \
             SELECT 'confirmed', {confirmed}, owner_id, status, currency, COUNT(*), SUM(total_minor) \
             FROM orders WHERE confirmed_at IS NOT NULL GROUP BY {confirmed}, owner_id, status, currency"
        ),
    ];
    for s in statements {
        diesel::sql_query(s).execute(c)?;
    }
    Ok(())
}

/// What the tallies are asked: the list's filters that a tally row knows.
#[derive(Clone, Debug, Default)]
pub struct Ask {
    pub basis: Option<(Basis, Option<NaiveDate>, Option<NaiveDate>)>,
    pub statuses: Option<Vec<OrderStatus>>,
    pub owner: Option<i64>,
    /// The owners the viewer reaches (None: everyone's).
    pub reach: Option<Vec<i64>>,
    pub team: Option<i64>,
    pub currency: Option<String>,
}

/// Per currency: (currency, documents, sum of totals), for the days
/// `[from, until)` of the basis (unbounded where None), or `Ever`.
pub fn sums(c: &mut DbConn, ask: &Ask) -> QueryResult<Vec<(String, i64, i64)>> {
    let (n, total) = (
        sum_bigint(c, "order_tallies.documents"),
        sum_bigint(c, "order_tallies.total_minor"),
    );
    let mut q = order_tallies::table
        .group_by(order_tallies::currency)
        .select((
            order_tallies::currency,
            sql::<BigInt>(&n),
            sql::<BigInt>(&total),
        ))
        .order(order_tallies::currency.asc())
        .into_boxed();
    match &ask.basis {
        None => {
            q = q
                .filter(order_tallies::basis.eq(Basis::Ever))
                .filter(order_tallies::day.eq(ever_day()));
        }
        Some((basis, from, until)) => {
            q = q.filter(order_tallies::basis.eq(*basis));
            if let Some(d) = from {
                q = q.filter(order_tallies::day.ge(*d));
            }
            if let Some(d) = until {
                q = q.filter(order_tallies::day.lt(*d));
            }
        }
    }
    if let Some(s) = &ask.statuses {
        q = q.filter(order_tallies::status.eq_any(s.clone()));
    }
    if let Some(o) = ask.owner {
        q = q.filter(order_tallies::owner_id.eq(o));
    }
    if let Some(owners) = &ask.reach {
        q = q.filter(order_tallies::owner_id.eq_any(owners.clone()));
    }
    if let Some(t) = ask.team {
        q = q.filter(
            order_tallies::owner_id
                .eq_any(users::table.filter(users::team_id.eq(t)).select(users::id)),
        );
    }
    if let Some(cur) = &ask.currency {
        q = q.filter(order_tallies::currency.eq(cur.clone()));
    }
    let rows: Vec<(String, i64, i64)> = q.load(c)?;
    Ok(rows.into_iter().filter(|r| r.1 != 0).collect())
}

/// The currencies orders are kept in, in order.
pub fn currencies(c: &mut DbConn) -> QueryResult<Vec<String>> {
    order_tallies::table
        .filter(order_tallies::basis.eq(Basis::Ever))
        .filter(order_tallies::documents.gt(0))
        .select(order_tallies::currency)
        .distinct()
        .order(order_tallies::currency.asc())
        .load(c)
}

/// Sums of per-currency totals, by currency.
pub fn merge(parts: impl IntoIterator<Item = Vec<(String, i64, i64)>>) -> Vec<(String, i64, i64)> {
    let mut out: Vec<(String, i64, i64)> = Vec::new();
    for part in parts {
        for (cur, n, t) in part {
            match out.iter_mut().find(|r| r.0 == cur) {
                Some(r) => {
                    r.1 += n;
                    r.2 += t;
                }
                None => out.push((cur, n, t)),
            }
        }
    }
    out.retain(|r| r.1 != 0);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
    }

    fn fact(status: OrderStatus, total: i64, confirmed: Option<&str>) -> Fact {
        Fact {
            owner_id: 7,
            status,
            currency: "EUR".into(),
            total_minor: total,
            created_at: at("2026-03-01 23:30"),
            confirmed_at: confirmed.map(at),
        }
    }

    #[test]
    fn a_new_order_is_counted_under_ever_and_its_creation_day() {
        let d = deltas(None, Some(&fact(OrderStatus::Draft, 500, None)));
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.documents == 1 && d.total_minor == 500));
        assert_eq!(d[1].day, NaiveDate::from_ymd_opt(2026, 3, 1).expect("day"));
    }

    #[test]
    fn an_edit_of_the_amount_moves_only_the_difference() {
        let before = fact(OrderStatus::Draft, 500, None);
        let after = fact(OrderStatus::Draft, 800, None);
        let d = deltas(Some(&before), Some(&after));
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.documents == 0 && d.total_minor == 300));
        assert!(deltas(Some(&before), Some(&before)).is_empty());
    }

    #[test]
    fn confirming_moves_the_status_and_adds_the_confirmation_day() {
        let before = fact(OrderStatus::Accepted, 500, None);
        let after = fact(OrderStatus::Confirmed, 500, Some("2026-03-04 08:00"));
        let d = deltas(Some(&before), Some(&after));
        // Out of accepted (ever, created), into confirmed (ever, created, confirmed).
        assert_eq!(d.len(), 5);
        let confirmed: Vec<_> = d.iter().filter(|d| d.basis == Basis::Confirmed).collect();
        assert_eq!(confirmed.len(), 1);
        assert_eq!(
            confirmed[0].day,
            NaiveDate::from_ymd_opt(2026, 3, 4).expect("day")
        );
        let net: i64 = d.iter().map(|d| d.documents).sum();
        assert_eq!(net, 1, "one more row counts it: its confirmation day");
    }

    #[test]
    fn merged_totals_add_up_per_currency() {
        let m = merge([
            vec![("EUR".into(), 2, 100), ("USD".into(), 1, 5)],
            vec![("EUR".into(), 1, 50), ("GBP".into(), 0, 0)],
        ]);
        assert_eq!(m, vec![("EUR".into(), 3, 150), ("USD".into(), 1, 5)]);
    }
}
