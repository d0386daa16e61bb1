//! Entering a series, and the `series` job. `enroll` runs in the caller's
//! transaction: it writes the `series_enrollments` rows of contacts not
//! yet in the series and one ledger row per step with its `due_at`. The
//! unique keys (series × contact, campaign × contact) make it idempotent:
//! a contact enters once, so nobody is mailed a step twice, whichever
//! instance or trigger enrols them. Sending is the campaign engine's: a
//! step's lanes claim rows whose time has come (`ledger::claim`).

use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::domain::{BASELINE, SeriesStatus, Trigger, due_times, segment_source, signup_source};
use super::repo::{self, Series};
use crate::campaigns::domain::{RecipientState, Status};
use crate::campaigns::engine;
use crate::contacts::domain::Consent;
use crate::db::schema::{campaign_recipients as cr, contacts, series_enrollments as se};
use crate::db::{DbConn, now, write_tx};
use crate::jobs::{Job, JobEnv, JobError, JobKind};

/// Contacts enrolled per transaction by the job.
const BATCH: i64 = 500;
/// Batches per series per run of the job.
const BATCHES_PER_RUN: usize = 20;
/// The job's pause between runs while a series is active.
pub const EVERY: Duration = Duration::from_secs(60);
/// The one job of kind `series`.
const JOB_KEY: &str = "series";

#[derive(Serialize, Deserialize, Debug, Clone, Copy, Default)]
pub struct Tick {}

/// Queues the series job now unless it is queued or running (in the
/// caller's transaction).
pub fn queue_job(conn: &mut DbConn) -> QueryResult<i64> {
    crate::jobs::ensure_queued(conn, JobKind::Series, JOB_KEY, &Tick {})
}

/// Enrols `contacts` (those with an address) in the series at `t`, in the
/// caller's transaction; returns how many entered. Contacts already in
/// the series are left alone. If another transaction enrolled one of them
/// meanwhile, the unique key refuses the insert and the caller's
/// transaction rolls back (the job tries again on its next run).
pub fn enroll(
    conn: &mut DbConn,
    s: &Series,
    contacts_in: &[i64],
    source: &str,
    t: NaiveDateTime,
) -> QueryResult<usize> {
    if contacts_in.is_empty() {
        return Ok(0);
    }
    let already: Vec<i64> = se::table
        .filter(se::series_id.eq(s.id))
        .filter(se::contact_id.eq_any(contacts_in))
        .select(se::contact_id)
        .load(conn)?;
    let fresh: Vec<(i64, String)> = contacts::table
        .filter(contacts::id.eq_any(contacts_in))
        .filter(contacts::email.is_not_null())
        .select((contacts::id, contacts::email.assume_not_null()))
        .order(contacts::id.asc())
        .load::<(i64, String)>(conn)?
        .into_iter()
        .filter(|(id, _)| !already.contains(id))
        .collect();
    if fresh.is_empty() {
        return Ok(0);
    }
    let rows: Vec<_> = fresh
        .iter()
        .map(|(id, _)| {
            (
                se::series_id.eq(s.id),
                se::contact_id.eq(*id),
                se::source.eq(source),
                se::enrolled_at.eq(t),
            )
        })
        .collect();
    // One multi-row INSERT (per backend: diesel's MultiConnection has none).
    crate::seed::insert_rows!(&mut *conn, se::table, &rows)?;
    let steps = repo::steps(conn, s.id)?;
    let delays: Vec<i32> = steps.iter().map(|c| c.delay_minutes.unwrap_or(0)).collect();
    let mut due_now = Vec::new();
    for (step, due) in steps.iter().zip(due_times(t, &delays)) {
        let rows: Vec<_> = fresh
            .iter()
            .map(|(id, email)| {
                (
                    cr::campaign_id.eq(step.id),
                    cr::contact_id.eq(*id),
                    cr::email.eq(email),
                    cr::state.eq(RecipientState::Pending.as_str()),
                    cr::due_at.eq(Some(due)),
                )
            })
            .collect();
        crate::seed::insert_rows!(&mut *conn, cr::table, &rows)?;
        if due <= t && step.state() == Status::Sending {
            due_now.push(step.id);
        }
    }
    for step in due_now {
        engine::queue_lanes(conn, step, None)?;
    }
    Ok(fresh.len())
}

/// A sign-up of form `form` was confirmed (in the confirmation's
/// transaction): the contact enters every active or paused series that
/// listens to the form. Entering twice changes nothing.
pub fn on_signup_confirmed(conn: &mut DbConn, form: i64, contact: i64) -> QueryResult<usize> {
    let t = now();
    let mut n = 0;
    for s in repo::listening_to_form(conn, form)? {
        n += match enroll(conn, &s, &[contact], &signup_source(form), t) {
            Ok(n) => n,
            // Entered meanwhile (the segment job of another instance):
            // their rows are written by that transaction.
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => 0,
            Err(e) => return Err(e),
        };
    }
    Ok(n)
}

/// Activates a draft or paused series (in the caller's transaction):
/// its steps send again; on the first activation of a segment series the
/// segment's present members are recorded as its baseline (they never
/// enter: only contacts who join the segment later do). The series job
/// is queued. False if the series was neither draft nor paused.
pub fn activate(conn: &mut DbConn, s: &Series) -> QueryResult<bool> {
    let moved = repo::transition(
        conn,
        s.id,
        &[SeriesStatus::Draft, SeriesStatus::Paused],
        SeriesStatus::Active,
        (&[Status::Draft, Status::Paused], Status::Sending),
    )?;
    if !moved {
        return Ok(false);
    }
    let t = now();
    if repo::mark_activated(conn, s.id, t)?
        && s.trigger_kind == Trigger::Segment
        && let Some(segment) = s.segment_id
    {
        baseline(conn, s.id, segment, t)?;
    }
    queue_job(conn)?;
    for step in repo::steps(conn, s.id)? {
        engine::queue_lanes(conn, step.id, None)?;
    }
    Ok(true)
}

/// Pauses an active series: its steps stop sending (their lanes see the
/// state and stop). False if it was not active.
pub fn pause(conn: &mut DbConn, s: &Series) -> QueryResult<bool> {
    repo::transition(
        conn,
        s.id,
        &[SeriesStatus::Active],
        SeriesStatus::Paused,
        (&[Status::Sending], Status::Paused),
    )
}

/// Records every present member of the segment (any consent) as not to be
/// mailed: one INSERT … SELECT.
fn baseline(conn: &mut DbConn, series: i64, segment: i64, t: NaiveDateTime) -> QueryResult<usize> {
    use diesel::sql_types::{BigInt, Text, Timestamp};
    let Some(seg) = crate::segments::repo::get(conn, segment)? else {
        return Ok(0);
    };
    let members = crate::segments::repo::matching(&seg.parsed()).select((
        series.into_sql::<BigInt>(),
        contacts::id,
        BASELINE.into_sql::<Text>(),
        t.into_sql::<Timestamp>(),
    ));
    diesel::insert_into(se::table)
        .values(members)
        .into_columns((se::series_id, se::contact_id, se::source, se::enrolled_at))
        .execute(conn)
}

/// Enrols the segment's subscribed members with an address who are not in
/// the series yet, in batches; returns how many entered.
fn enroll_segment(conn: &mut DbConn, s: &Series) -> QueryResult<usize> {
    let Some(segment) = s.segment_id else {
        return Ok(0);
    };
    let Some(seg) = crate::segments::repo::get(conn, segment)? else {
        return Ok(0);
    };
    let filter = seg.parsed();
    let source = segment_source(segment);
    let mut total = 0;
    for _ in 0..BATCHES_PER_RUN {
        let entered = se::table
            .filter(se::series_id.eq(s.id))
            .select(se::contact_id);
        let candidates: Vec<i64> = crate::segments::repo::matching(&filter)
            .filter(contacts::consent.eq(Consent::Subscribed.as_str()))
            .filter(contacts::email.is_not_null())
            .filter(diesel::dsl::not(contacts::id.eq_any(entered)))
            .order(contacts::id.asc())
            .limit(BATCH)
            .select(contacts::id)
            .load(conn)?;
        if candidates.is_empty() {
            break;
        }
        let t = now();
        let n = match write_tx(conn, |tx| enroll(tx, s, &candidates, &source, t)) {
            Ok(n) => n,
            // Enrolled meanwhile by a sign-up or another instance: the next
            // run reads again.
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => break,
            Err(e) => return Err(e),
        };
        total += n;
        if (candidates.len() as i64) < BATCH {
            break;
        }
    }
    Ok(total)
}

/// One run of the series work: active segment series enrol their new
/// members, and every step of an active series with rows due has its
/// lanes queued. Returns whether a series is active (the job then runs
/// again in a minute). Idempotent: running it twice enrols and sends
/// nobody twice.
pub fn tick(conn: &mut DbConn) -> QueryResult<bool> {
    let active = repo::with_status(conn, &[SeriesStatus::Active])?;
    for s in active.iter().filter(|s| s.trigger_kind == Trigger::Segment) {
        let n = enroll_segment(conn, s)?;
        if n > 0 {
            tracing::info!(series = s.id, entered = n, "contacts entered a series");
        }
    }
    for step in repo::steps_with_due_rows(conn)? {
        write_tx(conn, |tx| engine::queue_lanes(tx, step, None))?;
    }
    Ok(!active.is_empty())
}

/// The `series` job: a tick, then again in a minute while a series is
/// active (activating one queues it again).
pub fn run_job(_env: &JobEnv, conn: &mut DbConn, _job: &Job) -> Result<(), JobError> {
    if tick(conn)? {
        Err(JobError::Continue(EVERY))
    } else {
        Ok(())
    }
}

/// At start: the job runs if any series is active.
pub fn resume_stalled(conn: &mut DbConn) {
    let active = repo::with_status(conn, &[SeriesStatus::Active]);
    match active {
        Ok(a) if !a.is_empty() => {
            if let Err(e) = write_tx(conn, queue_job) {
                tracing::warn!(error = %e, "could not queue the series job");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not look for active series"),
    }
}
