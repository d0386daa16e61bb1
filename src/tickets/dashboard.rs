//! Queue health (`/tickets/dashboard`): what is open, unassigned and
//! breaching now, and per week — weeks starting Monday in the viewer's
//! time zone — the first response time, the resolution time (both in
//! business minutes, as the SLA counts them), SLA compliance and CSAT;
//! then CSAT and solved tickets per queue and per agent over the period.
//!
//! The weekly figures read only the tickets answered or solved and the
//! ratings given within the period (`ix_tickets_responded`,
//! `ix_tickets_solved`, `ix_csat_created`), never the whole table.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::domain::{SOON_MINUTES, Status, Targets, csat, is_satisfied};
use crate::db::schema::{csat_ratings, tickets};
use crate::db::{DbConn, now};
use crate::domain::ids::{QueueId, UserId};

/// Periods offered, in weeks.
pub const PERIODS: [u32; 3] = [4, 12, 26];
pub const DEFAULT_WEEKS: u32 = 12;

/// The tickets of one queue, or of all.
fn in_queue(queue: Option<QueueId>) -> super::repo::Boxed {
    let q = tickets::table.into_boxed();
    match queue {
        Some(id) => q.filter(tickets::queue_id.eq(id)),
        None => q,
    }
}

/// The figures of this moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Current {
    pub open: i64,
    pub unassigned: i64,
    pub breached: i64,
    pub soon: i64,
}

pub fn current(c: &mut DbConn, queue: Option<QueueId>) -> QueryResult<Current> {
    let at = now();
    let soon = at + Duration::minutes(SOON_MINUTES);
    let active = [Status::New, Status::Open, Status::Pending, Status::OnHold];
    Ok(Current {
        open: in_queue(queue)
            .filter(tickets::status.eq_any(active))
            .select(count_star())
            .first(c)?,
        unassigned: in_queue(queue)
            .filter(tickets::take_rank.is_not_null())
            .select(count_star())
            .first(c)?,
        // Only running clocks have a due time below the far future.
        breached: in_queue(queue)
            .filter(tickets::due_rank.le(at))
            .select(count_star())
            .first(c)?,
        soon: in_queue(queue)
            .filter(tickets::due_rank.gt(at))
            .filter(tickets::due_rank.le(soon))
            .select(count_star())
            .first(c)?,
    })
}

/// The weeks of a period: `count` weeks ending with the current one, in a
/// time zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Weeks {
    pub tz: Tz,
    /// The Monday of each week, oldest first.
    pub starts: Vec<NaiveDate>,
}

impl Weeks {
    pub fn ending(today: NaiveDate, count: u32, tz: Tz) -> Weeks {
        let this = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let starts = (0..i64::from(count.max(1)))
            .rev()
            .map(|k| this - Duration::weeks(k))
            .collect();
        Weeks { tz, starts }
    }

    /// The first instant of the period (UTC).
    pub fn from_utc(&self) -> NaiveDateTime {
        let first = self.starts.first().copied().unwrap_or_default();
        crate::i18n::format::day_start_utc(self.tz, first)
    }

    /// Which week a UTC instant falls in, if any.
    pub fn index(&self, utc: NaiveDateTime) -> Option<usize> {
        let first = *self.starts.first()?;
        let local = utc.and_utc().with_timezone(&self.tz).date_naive();
        let days = (local - first).num_days();
        let i = usize::try_from(days.div_euclid(7)).ok()?;
        (days >= 0 && i < self.starts.len()).then_some(i)
    }
}

/// One week's (or month's) figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Week {
    /// Business minutes to the first public reply, summed, and how many.
    pub response_minutes: i64,
    pub responded: i64,
    /// Business minutes to solve, summed, and how many solved.
    pub resolution_minutes: i64,
    pub solved: i64,
    /// Solved tickets that met every target they had.
    pub met: i64,
    pub scores: Vec<i32>,
}

impl Week {
    pub fn average_response(&self) -> Option<i64> {
        (self.responded > 0).then(|| self.response_minutes / self.responded)
    }

    pub fn average_resolution(&self) -> Option<i64> {
        (self.solved > 0).then(|| self.resolution_minutes / self.solved)
    }

    /// Solved within SLA ÷ solved × 100, rounded.
    pub fn compliance(&self) -> Option<i64> {
        (self.solved > 0).then(|| (self.met * 200 + self.solved) / (2 * self.solved))
    }

    pub fn csat(&self) -> Option<u32> {
        csat(&self.scores)
    }

    /// The average score in hundredths (4.25 → 425), rounded.
    pub fn average_score(&self) -> Option<i64> {
        let n = self.scores.len() as i64;
        let sum: i64 = self.scores.iter().map(|s| i64::from(*s)).sum();
        (n > 0).then(|| (sum * 200 + n) / (2 * n))
    }
}

/// Whether a solved ticket met its SLA: every target it had, within the
/// business minutes its clock used (a ticket never answered counts its
/// first-response minutes up to the solve).
pub fn met_sla(targets: Targets, first_response_used: i32, resolution_used: i32) -> bool {
    targets
        .first_response
        .is_none_or(|t| first_response_used <= t)
        && targets.resolution.is_none_or(|t| resolution_used <= t)
}

type SolvedRow = (Option<NaiveDateTime>, i32, i32, Option<i32>, Option<i32>);

/// Whose tickets a figure counts: one queue or all, and the assignees
/// (`None`: every ticket, unassigned ones too; `Some`: only tickets
/// assigned to them — Insights' owner scope).
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope<'a> {
    pub queue: Option<QueueId>,
    pub assignees: Option<&'a [i64]>,
}

impl Scope<'_> {
    fn tickets(&self) -> super::repo::Boxed {
        let q = in_queue(self.queue);
        match self.assignees {
            Some(ids) => q.filter(tickets::assignee_id.eq_any(ids.to_vec())),
            None => q,
        }
    }
}

/// A time range `[from, until)` (`until` open: up to now) and the bucket
/// (week, month…) an instant falls in.
pub struct Buckets<F: Fn(NaiveDateTime) -> Option<usize>> {
    pub from: NaiveDateTime,
    pub until: Option<NaiveDateTime>,
    pub count: usize,
    pub index: F,
}

/// The period's weeks with their figures.
pub fn weekly(c: &mut DbConn, queue: Option<QueueId>, weeks: &Weeks) -> QueryResult<Vec<Week>> {
    let scope = Scope {
        queue,
        assignees: None,
    };
    let buckets = Buckets {
        from: weeks.from_utc(),
        until: None,
        count: weeks.starts.len(),
        index: |at| weeks.index(at),
    };
    bucketed(c, scope, &buckets)
}

/// Per bucket: first responses, solved tickets and how many met their
/// SLA, and the CSAT ratings given — the weekly dashboard's figures and
/// Insights' months alike.
pub fn bucketed<F: Fn(NaiveDateTime) -> Option<usize>>(
    c: &mut DbConn,
    scope: Scope,
    b: &Buckets<F>,
) -> QueryResult<Vec<Week>> {
    let mut out = vec![Week::default(); b.count];
    let mut responded = scope
        .tickets()
        .filter(tickets::first_responded_at.ge(b.from));
    if let Some(until) = b.until {
        responded = responded.filter(tickets::first_responded_at.lt(until));
    }
    let responded: Vec<(Option<NaiveDateTime>, i32)> = responded
        .select((tickets::first_responded_at, tickets::first_response_used))
        .load(c)?;
    for (at, used) in responded {
        if let Some(w) = at.and_then(|at| (b.index)(at)) {
            out[w].response_minutes += i64::from(used);
            out[w].responded += 1;
        }
    }
    let mut solved = scope.tickets().filter(tickets::solved_at.ge(b.from));
    if let Some(until) = b.until {
        solved = solved.filter(tickets::solved_at.lt(until));
    }
    let solved: Vec<SolvedRow> = solved
        .select((
            tickets::solved_at,
            tickets::first_response_used,
            tickets::resolution_used,
            tickets::first_response_target,
            tickets::resolution_target,
        ))
        .load(c)?;
    for (at, fr, res, fr_target, res_target) in solved {
        if let Some(w) = at.and_then(|at| (b.index)(at)) {
            out[w].resolution_minutes += i64::from(res);
            out[w].solved += 1;
            let targets = Targets {
                first_response: fr_target,
                resolution: res_target,
            };
            out[w].met += i64::from(met_sla(targets, fr, res));
        }
    }
    for (at, score) in ratings(scope, b.from, b.until)
        .select((csat_ratings::created_at, csat_ratings::score))
        .load::<(NaiveDateTime, i32)>(c)?
    {
        if let Some(w) = (b.index)(at) {
            out[w].scores.push(score);
        }
    }
    Ok(out)
}

/// The CSAT ratings given in `[from, until)` within a scope (the rated
/// ticket's queue and assignee).
pub fn ratings(
    scope: Scope,
    from: NaiveDateTime,
    until: Option<NaiveDateTime>,
) -> csat_ratings::BoxedQuery<'static, crate::db::Backend> {
    let mut q = csat_ratings::table
        .filter(csat_ratings::created_at.ge(from))
        .into_boxed();
    if let Some(until) = until {
        q = q.filter(csat_ratings::created_at.lt(until));
    }
    if let Some(id) = scope.queue {
        q = q.filter(csat_ratings::queue_id.eq(id));
    }
    if let Some(ids) = scope.assignees {
        q = q.filter(
            csat_ratings::ticket_id.eq_any(
                tickets::table
                    .filter(tickets::assignee_id.eq_any(ids.to_vec()))
                    .select(tickets::id),
            ),
        );
    }
    q
}

/// CSAT over the period for one queue, agent…: responses and satisfied.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rated {
    pub responses: i64,
    pub satisfied: i64,
}

impl Rated {
    fn add(&mut self, score: i32) {
        self.responses += 1;
        self.satisfied += i64::from(is_satisfied(score));
    }

    /// Satisfied ÷ responses × 100, rounded (as `domain::csat`).
    pub fn percent(&self) -> Option<i64> {
        (self.responses > 0).then(|| (self.satisfied * 200 + self.responses) / (2 * self.responses))
    }
}

/// Per queue and per agent: CSAT of the ratings given in the period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ByWho {
    pub queues: Vec<(QueueId, Rated)>,
    pub agents: Vec<(UserId, Rated)>,
}

fn tally<K: Ord + Copy>(into: &mut Vec<(K, Rated)>, key: K, score: i32) {
    match into.binary_search_by_key(&key, |(k, _)| *k) {
        Ok(i) => into[i].1.add(score),
        Err(i) => {
            let mut r = Rated::default();
            r.add(score);
            into.insert(i, (key, r));
        }
    }
}

pub fn by_who(c: &mut DbConn, queue: Option<QueueId>, since: NaiveDateTime) -> QueryResult<ByWho> {
    let scope = Scope {
        queue,
        assignees: None,
    };
    let q = ratings(scope, since, None).select((
        csat_ratings::queue_id,
        csat_ratings::agent_id,
        csat_ratings::score,
    ));
    let mut out = ByWho::default();
    for (queue, agent, score) in q.load::<(QueueId, Option<UserId>, i32)>(c)? {
        tally(&mut out.queues, queue, score);
        if let Some(a) = agent {
            tally(&mut out.agents, a, score);
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "dashboard_tests.rs"]
mod tests;
