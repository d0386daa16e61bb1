//! The `score_leads` job: train a model on every won and lost deal, then
//! score every open deal with it, a batch at a time; or, with too little
//! history, store why and clear the scores so the cards fall back to the
//! stage's default. Queued nightly by the housekeeping (`queue_if_due`) and
//! on demand from the explanation page (`queue`); at most one is pending.
//!
//! Resumable by rerunning: every run retrains from scratch and rewrites
//! every open deal's score, and each batch commits on its own, so a worker
//! that dies half-way leaves some deals with yesterday's score until the
//! job runs again (its lease ran out, another worker takes it over).

use chrono::Duration;
use diesel::QueryResult;

use super::features::{FEATURES, Progress, example, vector};
use super::repo::{self, NewRun, RunOutcome};
use crate::db::{DbConn, now, write_tx};
use crate::domain::ids::DealId;
use crate::jobs::{self, Claim, JobError, JobKind};
use crate::scoring::{self, TrainError};

/// The job's dedupe key: one run queued or running at a time.
pub const JOB_KEY: &str = "score_leads";
/// Deals read (and scores written) per batch.
const BATCH: i64 = 500;
/// A run is due when the last is older than this (the hourly housekeeping
/// asks, so runs come about once a day).
const EVERY: Duration = Duration::hours(23);

/// Queues a run unless one is queued or running (in the caller's transaction).
pub fn queue(conn: &mut DbConn) -> QueryResult<i64> {
    jobs::ensure_queued(conn, JobKind::ScoreLeads, JOB_KEY, &())
}

/// Whether a run is queued or running now.
pub fn pending(conn: &mut DbConn) -> QueryResult<bool> {
    Ok(jobs::repo::by_key(conn, JOB_KEY)?
        .is_some_and(|j| j.status == jobs::repo::QUEUED || j.status == jobs::repo::RUNNING))
}

/// The nightly run (from the hourly housekeeping): queued when deals have
/// closed and no run happened in the last 23 hours. Nothing to learn from
/// (no deal closed yet) queues nothing.
pub fn queue_if_due(conn: &mut DbConn) -> QueryResult<bool> {
    let due = match repo::latest(conn)? {
        Some(run) => run.trained_at < now() - EVERY,
        None => true,
    };
    if due && repo::any_closed(conn)? {
        write_tx(conn, queue)?;
        return Ok(true);
    }
    Ok(false)
}

/// The job: train, store the run, score the open deals.
pub fn run_job(conn: &mut DbConn, claim: &Claim) -> Result<(), JobError> {
    let (started, clock) = (now(), std::time::Instant::now());
    let progress = Progress::of(&crate::pipelines::repo::all(conn)?);
    let mut examples = Vec::new();
    let mut after: Option<DealId> = None;
    loop {
        let rows = repo::batch(conn, false, after, BATCH)?;
        let Some(last) = rows.last().map(|r| r.0) else {
            break;
        };
        after = Some(last);
        examples.extend(
            rows.iter()
                .filter_map(|(_, f)| example(f, &progress, started)),
        );
    }
    let won = examples.iter().filter(|e| e.won).count();
    let lost = examples.len() - won;
    let model = match scoring::train(&FEATURES, &examples) {
        Ok(m) => Some(m),
        Err(TrainError::TooLittleHistory { .. }) => None,
        Err(e) => return Err(JobError::Fatal(e.to_string())),
    };
    let scored = match &model {
        Some(m) => score_open(conn, claim, m, &progress, started)?,
        None => 0,
    };
    clear(conn, model.is_none())?;
    let json = match &model {
        Some(m) => Some(serde_json::to_string(m).map_err(|e| JobError::Fatal(e.to_string()))?),
        None => None,
    };
    let run = NewRun {
        outcome: if model.is_some() {
            RunOutcome::Trained
        } else {
            RunOutcome::TooLittle
        },
        at: started,
        won,
        lost,
        auc_bp: model.as_ref().map(|m| (m.auc * 10_000.0).round() as i32),
        model: json.as_deref(),
        scored,
    };
    write_tx(conn, |c| repo::insert_run(c, &run))?;
    tracing::info!(
        won,
        lost,
        trained = model.is_some(),
        scored,
        ms = clock.elapsed().as_millis() as u64,
        "lead scores computed"
    );
    Ok(())
}

/// Scores every open deal, a batch per transaction; returns how many.
fn score_open(
    conn: &mut DbConn,
    claim: &Claim,
    model: &scoring::Model,
    progress: &Progress,
    at: chrono::NaiveDateTime,
) -> Result<usize, JobError> {
    let mut after: Option<DealId> = None;
    let mut scored = 0;
    loop {
        let rows = repo::batch(conn, true, after, BATCH)?;
        let Some(last) = rows.last().map(|r| r.0) else {
            break;
        };
        after = Some(last);
        let scores: Vec<(DealId, i32)> = rows
            .iter()
            .map(|(id, f)| (*id, i32::from(model.score(&vector(f, progress, at)))))
            .collect();
        scored += write_tx(conn, |c| repo::write_scores(c, &scores, at))?;
        if !claim.renew(conn)? {
            return Err(JobError::Retry("the lease was taken over".into()));
        }
    }
    Ok(scored)
}

/// Removes scores that no longer hold: closed deals', or all of them when
/// there is no model.
fn clear(conn: &mut DbConn, all: bool) -> Result<(), JobError> {
    loop {
        let ids = repo::scored_to_clear(conn, all, BATCH)?;
        if ids.is_empty() {
            return Ok(());
        }
        write_tx(conn, |c| repo::clear_scores(c, &ids))?;
    }
}
