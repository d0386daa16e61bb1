//! The workspace's Insights settings: one row (`insight_settings`, id 1),
//! read by every section and the insights job; changed by an admin with a
//! conditional UPDATE on its version (a stale form is a conflict, never a
//! lost update).

use diesel::prelude::*;

use super::domain::Settings;
use crate::db::schema::insight_settings as s;
use crate::db::{DbConn, now};

type Row = (i64, i32, i64, i64, i64, i64, i64, i64);

/// The settings and their version; the defaults when the row is missing.
pub fn get_versioned(c: &mut DbConn) -> QueryResult<(Settings, i64)> {
    let row: Option<Row> = s::table
        .find(1i64)
        .select((
            s::discount_bp,
            s::horizon_years,
            s::churn_days,
            s::margin_bp,
            s::growing_orders,
            s::loyal_orders,
            s::min_support,
            s::version,
        ))
        .first(c)
        .optional()?;
    Ok(match row {
        None => (Settings::default(), 0),
        Some((discount_bp, horizon, churn_days, margin_bp, growing, loyal, support, version)) => (
            Settings {
                discount_bp,
                horizon_years: u32::try_from(horizon).unwrap_or(1),
                churn_days,
                margin_bp,
                growing_orders: growing,
                loyal_orders: loyal,
                min_support: support,
            },
            version,
        ),
    })
}

pub fn get(c: &mut DbConn) -> QueryResult<Settings> {
    Ok(get_versioned(c)?.0)
}

/// Writes the settings if still at `version`; false when someone else
/// saved first.
pub fn update(c: &mut DbConn, v: &Settings, version: i64) -> QueryResult<bool> {
    let n = diesel::update(s::table.find(1i64).filter(s::version.eq(version)))
        .set((
            s::discount_bp.eq(v.discount_bp),
            s::horizon_years.eq(i32::try_from(v.horizon_years).unwrap_or(1)),
            s::churn_days.eq(v.churn_days),
            s::margin_bp.eq(v.margin_bp),
            s::growing_orders.eq(v.growing_orders),
            s::loyal_orders.eq(v.loyal_orders),
            s::min_support.eq(v.min_support),
            s::version.eq(version + 1),
            s::updated_at.eq(now()),
        ))
        .execute(c)?;
    Ok(n == 1)
}
