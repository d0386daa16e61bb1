//! The month's attainment and commission per rep and team: what the
//! commission report, its CSV and the Insights "performance" section show.
//!
//! Months are the workspace's months (its time zone), not the viewer's:
//! a commission is money paid out and must be the same figure for
//! everyone who looks. Revenue is the counted orders (confirmed,
//! fulfilled, closed) owned by the rep and confirmed in the month; a
//! team's is its current members' revenue.

use std::collections::HashMap;

use chrono::{Months, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::prelude::*;

use super::plan::{Subject, Tiers};
use super::repo;
use crate::db::DbConn;
use crate::db::schema::{teams, users};
use crate::i18n::format::day_start_utc;
use crate::insights::domain::attainment_bp;
use crate::insights::page::encode;

/// One rep's month.
#[derive(Clone, Debug)]
pub struct RepLine {
    pub user_id: i64,
    pub name: String,
    pub team: Option<String>,
    pub revenue: i64,
    pub target: Option<i64>,
    pub attainment_bp: Option<i64>,
    pub plan: Tiers,
    /// The rep has their own plan (else the default holds).
    pub own_plan: bool,
    pub commission: i64,
}

/// One team's month (only for teams whose every member is in reach).
#[derive(Clone, Debug)]
pub struct TeamLine {
    pub team_id: i64,
    pub name: String,
    pub revenue: i64,
    pub target: Option<i64>,
    pub attainment_bp: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct Report {
    pub month: NaiveDate,
    pub currency: String,
    pub zone: Tz,
    pub reps: Vec<RepLine>,
    pub teams: Vec<TeamLine>,
    pub revenue: i64,
    pub commission: i64,
    /// Revenue and target summed over the reps with a target.
    pub targeted: (i64, i64),
}

/// The first day of the month `raw` ("2026-11"), if it is one.
pub fn month_param(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", raw.trim()), "%Y-%m-%d").ok()
}

/// The month as UTC instants `[start, next start)` in `tz`.
pub fn window(tz: Tz, month: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let next = month.checked_add_months(Months::new(1)).unwrap_or(month);
    (day_start_utc(tz, month), day_start_utc(tz, next))
}

/// The workspace's zone and currency (the report's defaults).
pub fn workspace(c: &mut DbConn) -> QueryResult<(Tz, String)> {
    let ws = crate::settings::repo::get(c)?;
    let tz = crate::i18n::parse_zone(&ws.time_zone).unwrap_or(chrono_tz::UTC);
    Ok((tz, ws.currency))
}

impl Report {
    /// The order list behind a rep's revenue (or everyone's in reach).
    pub fn orders_href(&self, owner: Option<i64>) -> String {
        let (from, to) = window(self.zone, self.month);
        let mut p = vec![
            ("revenue", "1".to_string()),
            ("since", from.format("%Y-%m-%dT%H:%M").to_string()),
            ("until", to.format("%Y-%m-%dT%H:%M").to_string()),
            ("currency", self.currency.clone()),
        ];
        if let Some(o) = owner {
            p.push(("owner", o.to_string()));
        }
        format!("/orders?{}", encode(&p))
    }
}

/// The report of `month` in `currency` over the owners in reach (None:
/// everyone). Reps listed: active users in reach, and anyone in reach
/// with revenue or a target that month.
pub fn build(
    c: &mut DbConn,
    owners: Option<&[i64]>,
    month: NaiveDate,
    currency: &str,
) -> QueryResult<Report> {
    let (zone, _) = workspace(c)?;
    let revenue = repo::revenue_by_owner(c, owners, currency, window(zone, month))?;
    let targets = repo::targets(c, month, currency)?;
    let plans = repo::plans(c, month, currency)?;
    let default_plan = plans
        .get(&Subject::Default)
        .map(|p| p.tiers.clone())
        .unwrap_or_default();
    let team_names: HashMap<i64, String> = teams::table
        .select((teams::id, teams::name))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect();
    let people: Vec<(i64, String, Option<i64>, bool)> = users::table
        .order((users::name.asc(), users::id.asc()))
        .select((users::id, users::name, users::team_id, users::active))
        .load(c)?;
    let in_reach = |id: i64| owners.is_none_or(|o| o.contains(&id));
    let mut reps = Vec::new();
    let mut team_revenue: HashMap<i64, i64> = HashMap::new();
    let mut team_whole: HashMap<i64, bool> = HashMap::new();
    for (id, name, team, active) in &people {
        if let Some(t) = team {
            *team_whole.entry(*t).or_insert(true) &= in_reach(*id);
            *team_revenue.entry(*t).or_insert(0) += revenue.get(id).copied().unwrap_or(0);
        }
        let rev = revenue.get(id).copied().unwrap_or(0);
        let target = targets.get(&Subject::User(*id)).map(|t| t.value);
        if !in_reach(*id) || !(*active || rev != 0 || target.is_some()) {
            continue;
        }
        let own = plans
            .get(&Subject::User(*id))
            .map(|p| p.tiers.clone())
            .filter(|t| !t.is_empty());
        let plan = own.clone().unwrap_or_else(|| default_plan.clone());
        reps.push(RepLine {
            user_id: *id,
            name: name.clone(),
            team: team.and_then(|t| team_names.get(&t).cloned()),
            revenue: rev,
            target,
            attainment_bp: target.and_then(|t| attainment_bp(rev, t)),
            commission: plan.commission(rev),
            plan,
            own_plan: own.is_some(),
        });
    }
    let mut teams: Vec<TeamLine> = team_whole
        .into_iter()
        .filter(|(_, whole)| *whole)
        .filter_map(|(id, _)| {
            let name = team_names.get(&id)?.clone();
            let rev = team_revenue.get(&id).copied().unwrap_or(0);
            let target = targets.get(&Subject::Team(id)).map(|t| t.value);
            Some(TeamLine {
                team_id: id,
                name,
                revenue: rev,
                target,
                attainment_bp: target.and_then(|t| attainment_bp(rev, t)),
            })
        })
        .collect();
    teams.sort_by(|a, b| a.name.cmp(&b.name).then(a.team_id.cmp(&b.team_id)));
    let targeted = reps
        .iter()
        .filter_map(|r| r.target.map(|t| (r.revenue, t)))
        .fold((0, 0), |(a, b), (r, t)| (a + r, b + t));
    Ok(Report {
        month,
        currency: currency.to_string(),
        zone,
        revenue: reps.iter().map(|r| r.revenue).sum(),
        commission: reps.iter().map(|r| r.commission).sum(),
        targeted,
        reps,
        teams,
    })
}
