//! The `jobs` table. Every state change is one conditional UPDATE whose
//! affected-row count says whether it happened (docs/concurrency.md): a
//! claim only takes jobs nobody holds, and a result is only written by the
//! worker that still holds the job's lease (`locked_by` is its claim token).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::kind::JobKind;
use crate::db::schema::jobs;
use crate::db::{DbConn, last_insert_id, write_tx};

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
pub const STATUSES: [&str; 4] = [QUEUED, RUNNING, FAILED, DONE];

/// `jobs.last_error` is a VARCHAR(1000) on MySQL.
const ERROR_MAX_CHARS: usize = 1000;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

impl Job {
    pub fn job_kind(&self) -> Option<JobKind> {
        JobKind::parse(&self.kind)
    }

    /// The message key of the job's kind.
    pub fn kind_label(&self) -> &'static str {
        self.job_kind()
            .map_or(crate::i18n::key("job-status-unknown"), JobKind::label_key)
    }

    /// This run is the last one the job gets.
    pub fn is_last_attempt(&self) -> bool {
        self.attempts >= self.max_attempts
    }
}

pub fn insert(
    conn: &mut DbConn,
    kind: JobKind,
    payload: &str,
    dedupe_key: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    insert_at(conn, kind, payload, dedupe_key, now, now)
}

/// `insert`, due at `run_at`.
fn insert_at(
    conn: &mut DbConn,
    kind: JobKind,
    payload: &str,
    dedupe_key: Option<&str>,
    now: NaiveDateTime,
    run_at: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(jobs::table)
        .values((
            jobs::kind.eq(kind.as_str()),
            jobs::payload.eq(payload),
            jobs::dedupe_key.eq(dedupe_key),
            jobs::status.eq(QUEUED),
            jobs::attempts.eq(0),
            jobs::max_attempts.eq(kind.max_attempts()),
            jobs::run_at.eq(run_at),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<Job>> {
    jobs::table
        .find(id)
        .select(Job::as_select())
        .first(conn)
        .optional()
}

pub fn by_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<Job>> {
    jobs::table
        .filter(jobs::dedupe_key.eq(key))
        .select(Job::as_select())
        .first(conn)
        .optional()
}

/// Makes sure the job with this key will run: inserts it, or queues it again
/// if it has finished or failed; a queued or running one is left alone.
pub fn ensure_queued(
    conn: &mut DbConn,
    kind: JobKind,
    key: &str,
    payload: &str,
    now: NaiveDateTime,
    run_at: NaiveDateTime,
) -> QueryResult<i64> {
    match by_key(conn, key)? {
        None => match insert_at(conn, kind, payload, Some(key), now, run_at) {
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                // Someone else inserted it just now: theirs will run.
                Ok(by_key(conn, key)?.map_or(0, |j| j.id))
            }
            other => other,
        },
        Some(job) => {
            if job.status == DONE || job.status == FAILED {
                requeue(conn, job.id, &[DONE, FAILED], now, run_at)?;
            }
            Ok(job.id)
        }
    }
}

/// Queues a finished or failed job again with a fresh set of attempts.
fn requeue(
    conn: &mut DbConn,
    id: i64,
    from: &[&str],
    now: NaiveDateTime,
    run_at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(jobs::table.find(id).filter(jobs::status.eq_any(from)))
        .set((
            jobs::status.eq(QUEUED),
            jobs::attempts.eq(0),
            jobs::run_at.eq(run_at),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::locked_by.eq(None::<String>),
            jobs::finished_at.eq(None::<NaiveDateTime>),
            jobs::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// The admin's "retry now" of a failed job.
pub fn retry_failed(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    requeue(conn, id, &[FAILED], now, now)
}

/// Takes up to `limit` due jobs of `kind` for the claim `token` until
/// `until`: jobs whose lease ran out first (their worker died), then queued
/// ones by due time. Candidates are read, then taken by one conditional
/// UPDATE that repeats every condition, so a job another worker took in
/// between is simply not updated; the rows carrying our token are ours.
pub fn claim(
    conn: &mut DbConn,
    kind: JobKind,
    token: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Job>> {
    // Another worker may take the same candidates first; then look again.
    for _ in 0..3 {
        let mut ids: Vec<i64> = jobs::table
            .filter(jobs::kind.eq(kind.as_str()))
            .filter(jobs::status.eq(RUNNING))
            .filter(jobs::run_at.le(now))
            .filter(jobs::locked_until.lt(now))
            .order(jobs::run_at.asc())
            .limit(limit)
            .select(jobs::id)
            .load(conn)?;
        if (ids.len() as i64) < limit {
            ids.extend(
                jobs::table
                    .filter(jobs::kind.eq(kind.as_str()))
                    .filter(jobs::status.eq(QUEUED))
                    .filter(jobs::run_at.le(now))
                    .order((jobs::run_at.asc(), jobs::id.asc()))
                    .limit(limit - ids.len() as i64)
                    .select(jobs::id)
                    .load::<i64>(conn)?,
            );
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        if write_tx(conn, |c| take(c, &ids, true, token, now, until))? > 0 {
            return jobs::table
                .filter(jobs::id.eq_any(&ids))
                .filter(jobs::locked_by.eq(token))
                .order(jobs::id.asc())
                .select(Job::as_select())
                .load(conn);
        }
    }
    Ok(Vec::new())
}

/// Takes one job now, due or not (but never one another worker holds).
pub fn claim_one(
    conn: &mut DbConn,
    id: i64,
    token: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Option<Job>> {
    if write_tx(conn, |c| take(c, &[id], false, token, now, until))? == 0 {
        return Ok(None);
    }
    get(conn, id)
}

/// The claim itself: `UPDATE … WHERE id IN (…) AND status … AND
/// (locked_until IS NULL OR locked_until < now)`; returns the rows taken.
/// Callers run it (and every result write) in `write_tx`, so a deadlock
/// between two claims is retried rather than failing the worker's round.
fn take(
    conn: &mut DbConn,
    ids: &[i64],
    due_only: bool,
    token: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<usize> {
    let mut q = diesel::update(jobs::table)
        .filter(jobs::id.eq_any(ids))
        .filter(jobs::status.eq_any([QUEUED, RUNNING]))
        .filter(jobs::locked_until.is_null().or(jobs::locked_until.lt(now)))
        .into_boxed();
    if due_only {
        q = q.filter(jobs::run_at.le(now));
    }
    q.set((
        jobs::status.eq(RUNNING),
        jobs::locked_by.eq(token),
        jobs::locked_until.eq(until),
        jobs::attempts.eq(jobs::attempts + 1),
        jobs::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Renews the lease of every job of the claim; 0 means it was lost.
pub fn renew(conn: &mut DbConn, token: &str, until: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        jobs::table
            .filter(jobs::locked_by.eq(token))
            .filter(jobs::status.eq(RUNNING)),
    )
    .set(jobs::locked_until.eq(until))
    .execute(conn)
}

/// Marks jobs of the claim done; returns how many it still held.
pub fn complete(
    conn: &mut DbConn,
    ids: &[i64],
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::update(
        jobs::table
            .filter(jobs::id.eq_any(ids))
            .filter(jobs::locked_by.eq(token))
            .filter(jobs::status.eq(RUNNING)),
    )
    .set((
        jobs::status.eq(DONE),
        jobs::locked_until.eq(None::<NaiveDateTime>),
        jobs::updated_at.eq(now),
        jobs::finished_at.eq(Some(now)),
    ))
    .execute(conn)
}

/// Records a failed run: queued again at `retry_at`, or failed for good
/// when there is none. False if the lease was lost meanwhile.
pub fn record_failure(
    conn: &mut DbConn,
    id: i64,
    token: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let error: String = error.chars().take(ERROR_MAX_CHARS).collect();
    let target = jobs::table
        .find(id)
        .filter(jobs::locked_by.eq(token))
        .filter(jobs::status.eq(RUNNING));
    let n = match retry_at {
        Some(at) => diesel::update(target)
            .set((
                jobs::status.eq(QUEUED),
                jobs::run_at.eq(at),
                jobs::locked_until.eq(None::<NaiveDateTime>),
                jobs::locked_by.eq(None::<String>),
                jobs::last_error.eq(Some(error)),
                jobs::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                jobs::status.eq(FAILED),
                jobs::locked_until.eq(None::<NaiveDateTime>),
                jobs::last_error.eq(Some(error)),
                jobs::updated_at.eq(now),
                jobs::finished_at.eq(Some(now)),
            ))
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// Queues a job of the claim again at `run_at` without counting the run
/// as an attempt (`JobError::Continue`); false if the lease was lost.
pub fn continue_at(
    conn: &mut DbConn,
    id: i64,
    token: &str,
    run_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        jobs::table
            .find(id)
            .filter(jobs::locked_by.eq(token))
            .filter(jobs::status.eq(RUNNING)),
    )
    .set((
        jobs::status.eq(QUEUED),
        jobs::run_at.eq(run_at),
        jobs::attempts.eq(jobs::attempts - 1),
        jobs::locked_until.eq(None::<NaiveDateTime>),
        jobs::locked_by.eq(None::<String>),
        jobs::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Newest first.
pub fn with_status(conn: &mut DbConn, status: &str, limit: i64) -> QueryResult<Vec<Job>> {
    jobs::table
        .filter(jobs::status.eq(status))
        .order((jobs::updated_at.desc(), jobs::id.desc()))
        .limit(limit)
        .select(Job::as_select())
        .load(conn)
}

/// How many jobs are in each status.
pub fn counts(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    jobs::table
        .group_by(jobs::status)
        .select((jobs::status, diesel::dsl::count_star()))
        .load(conn)
}

/// Deletes up to `limit` jobs done before `before` (with their outbox
/// messages); returns how many.
pub fn purge_done(conn: &mut DbConn, before: NaiveDateTime, limit: i64) -> QueryResult<usize> {
    let ids: Vec<i64> = jobs::table
        .filter(jobs::status.eq(DONE))
        .filter(jobs::updated_at.lt(before))
        .order(jobs::updated_at.asc())
        .limit(limit)
        .select(jobs::id)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(0);
    }
    diesel::delete(jobs::table.filter(jobs::id.eq_any(&ids))).execute(conn)
}
