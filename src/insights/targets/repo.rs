//! Targets, commission plans and the month's revenue per owner. Every
//! save is one conditional write on the row's `version` (a new row relies
//! on the unique key), so two admins saving the same row never lose one
//! another's change silently: the second gets a conflict.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::BigInt;

use super::plan::{Subject, Tiers};
use crate::db::schema::{commission_plans, orders, sales_targets};
use crate::db::{DbConn, now, sum_bigint};
use crate::orders::domain::OrderStatus;

/// A saved value and the version a form must send back to change it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Versioned<T> {
    pub value: T,
    pub version: i64,
}

/// A plan in force in a month: its tiers, the month it holds from, version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanRow {
    pub tiers: Tiers,
    pub from_month: NaiveDate,
    pub version: i64,
}

/// How a save went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    Done,
    /// Someone changed (or added, or removed) the row since the form was read.
    Conflict,
}

fn saved(rows: usize) -> Saved {
    if rows == 1 {
        Saved::Done
    } else {
        Saved::Conflict
    }
}

fn unique(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// The month's targets in `currency`, by subject.
pub fn targets(
    c: &mut DbConn,
    month: NaiveDate,
    currency: &str,
) -> QueryResult<HashMap<Subject, Versioned<i64>>> {
    let rows: Vec<(String, i64, i64)> = sales_targets::table
        .filter(sales_targets::month.eq(month))
        .filter(sales_targets::currency.eq(currency))
        .select((
            sales_targets::subject,
            sales_targets::amount_minor,
            sales_targets::version,
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, value, version)| Some((Subject::parse(&s)?, Versioned { value, version })))
        .collect())
}

/// Sets, changes (`version` > 0) or removes (`amount` None) a target.
/// `version` 0 means the form saw no target: a row added meanwhile is a
/// conflict, as is removing one that is already gone or changed.
pub fn save_target(
    c: &mut DbConn,
    who: Subject,
    month: NaiveDate,
    currency: &str,
    amount: Option<i64>,
    version: i64,
) -> QueryResult<Saved> {
    let row = sales_targets::table
        .filter(sales_targets::subject.eq(who.key()))
        .filter(sales_targets::month.eq(month))
        .filter(sales_targets::currency.eq(currency))
        .filter(sales_targets::version.eq(version));
    let t = now();
    match (amount, version) {
        (None, 0) => Ok(Saved::Done),
        (None, _) => diesel::delete(row).execute(c).map(saved),
        (Some(a), 0) => {
            let inserted = diesel::insert_into(sales_targets::table)
                .values((
                    sales_targets::subject.eq(who.key()),
                    sales_targets::user_id.eq(who.user_id()),
                    sales_targets::team_id.eq(who.team_id()),
                    sales_targets::month.eq(month),
                    sales_targets::currency.eq(currency),
                    sales_targets::amount_minor.eq(a),
                    sales_targets::version.eq(1),
                    sales_targets::updated_at.eq(t),
                ))
                .execute(c);
            match inserted {
                Err(e) if unique(&e) => Ok(Saved::Conflict),
                other => other.map(saved),
            }
        }
        (Some(a), _) => diesel::update(row)
            .set((
                sales_targets::amount_minor.eq(a),
                sales_targets::version.eq(version + 1),
                sales_targets::updated_at.eq(t),
            ))
            .execute(c)
            .map(saved),
    }
}

/// Copies the targets of the month before into `month` for every subject
/// that has none there yet; returns how many were added. A row someone
/// adds meanwhile wins (the unique key refuses ours, the rest stay).
pub fn copy_targets(
    c: &mut DbConn,
    month: NaiveDate,
    previous: NaiveDate,
    currency: &str,
) -> QueryResult<usize> {
    let before: Vec<(String, Option<i64>, Option<i64>, i64)> = sales_targets::table
        .filter(sales_targets::month.eq(previous))
        .filter(sales_targets::currency.eq(currency))
        .select((
            sales_targets::subject,
            sales_targets::user_id,
            sales_targets::team_id,
            sales_targets::amount_minor,
        ))
        .load(c)?;
    let have = targets(c, month, currency)?;
    let t = now();
    let mut added = 0;
    for (subject, user, team, amount) in before {
        if Subject::parse(&subject).is_none_or(|s| have.contains_key(&s)) {
            continue;
        }
        let r = diesel::insert_into(sales_targets::table)
            .values((
                sales_targets::subject.eq(&subject),
                sales_targets::user_id.eq(user),
                sales_targets::team_id.eq(team),
                sales_targets::month.eq(month),
                sales_targets::currency.eq(currency),
                sales_targets::amount_minor.eq(amount),
                sales_targets::version.eq(1),
                sales_targets::updated_at.eq(t),
            ))
            .execute(c);
        match r {
            Ok(n) => added += n,
            Err(e) if unique(&e) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(added)
}

/// The plan in force in `month` per subject: each subject's latest plan
/// from that month or before. A damaged row counts as no plan.
pub fn plans(
    c: &mut DbConn,
    month: NaiveDate,
    currency: &str,
) -> QueryResult<HashMap<Subject, PlanRow>> {
    let rows: Vec<(String, NaiveDate, String, i64)> = commission_plans::table
        .filter(commission_plans::currency.eq(currency))
        .filter(commission_plans::from_month.le(month))
        .order(commission_plans::from_month.asc())
        .select((
            commission_plans::subject,
            commission_plans::from_month,
            commission_plans::tiers,
            commission_plans::version,
        ))
        .load(c)?;
    let mut out = HashMap::new();
    for (subject, from_month, tiers, version) in rows {
        if let Some(who) = Subject::parse(&subject) {
            let tiers = Tiers::parse(&tiers).unwrap_or_default();
            out.insert(
                who,
                PlanRow {
                    tiers,
                    from_month,
                    version,
                },
            );
        }
    }
    Ok(out)
}

/// Sets the subject's plan from `month` on. `seen` is the plan the form
/// showed (its month and version): when it is from `month` it is changed
/// in place, otherwise a new plan from `month` is added (and a plan added
/// meanwhile is a conflict).
pub fn save_plan(
    c: &mut DbConn,
    who: Subject,
    month: NaiveDate,
    currency: &str,
    tiers: &Tiers,
    seen: Option<(NaiveDate, i64)>,
) -> QueryResult<Saved> {
    let t = now();
    match seen {
        Some((from, version)) if from == month => diesel::update(
            commission_plans::table
                .filter(commission_plans::subject.eq(who.key()))
                .filter(commission_plans::currency.eq(currency))
                .filter(commission_plans::from_month.eq(month))
                .filter(commission_plans::version.eq(version)),
        )
        .set((
            commission_plans::tiers.eq(tiers.stored()),
            commission_plans::version.eq(version + 1),
            commission_plans::updated_at.eq(t),
        ))
        .execute(c)
        .map(saved),
        _ => {
            // The plan the form showed must still be the one in force.
            let current = plans(c, month, currency)?
                .remove(&who)
                .map(|p| (p.from_month, p.version));
            if current != seen {
                return Ok(Saved::Conflict);
            }
            let inserted = diesel::insert_into(commission_plans::table)
                .values((
                    commission_plans::subject.eq(who.key()),
                    commission_plans::user_id.eq(who.user_id()),
                    commission_plans::currency.eq(currency),
                    commission_plans::from_month.eq(month),
                    commission_plans::tiers.eq(tiers.stored()),
                    commission_plans::version.eq(1),
                    commission_plans::updated_at.eq(t),
                ))
                .execute(c);
            match inserted {
                Err(e) if unique(&e) => Ok(Saved::Conflict),
                other => other.map(saved),
            }
        }
    }
}

/// Revenue of counted orders (confirmed, fulfilled, closed) in `currency`
/// confirmed in `[from, to)`, per owner, within `owners` (None: all).
pub fn revenue_by_owner(
    c: &mut DbConn,
    owners: Option<&[i64]>,
    currency: &str,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<HashMap<i64, i64>> {
    let sum = sum_bigint(c, "orders.total_minor");
    let mut q = orders::table
        .filter(orders::status.eq_any(OrderStatus::revenue()))
        .filter(orders::currency.eq(currency))
        .filter(orders::confirmed_at.ge(from))
        .filter(orders::confirmed_at.lt(to))
        .group_by(orders::owner_id)
        .select((orders::owner_id, sql::<BigInt>(&sum)))
        .into_boxed();
    if let Some(o) = owners {
        q = q.filter(orders::owner_id.eq_any(o.to_vec()));
    }
    Ok(q.load::<(i64, i64)>(c)?.into_iter().collect())
}
