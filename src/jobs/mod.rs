//! Durable background jobs in the database (`jobs` table): queued with a
//! kind and a JSON payload, claimed by workers with a lease through one
//! conditional UPDATE, run outside any transaction, retried with
//! exponential back-off up to a limit, then kept as failed with their error.
//! A worker that dies leaves its lease to run out; another then takes the
//! job over. The rules behind this are in docs/concurrency.md.
//!
//! - `enqueue` in the caller's transaction, with the record that needs it;
//! - `handlers` maps each `JobKind` to its code (the one place to add one);
//! - `Runner::run_once` claims and runs a batch (tests call it directly);
//! - `Workers` are the threads `Application::build` starts;
//! - `page` is the admin page `/admin/jobs`.

mod handlers;
mod kind;
pub mod page;
pub mod repo;
mod runner;
mod views;
mod workers;

use diesel::QueryResult;
use serde::Serialize;

use crate::db::{DbConn, now};

pub use kind::{JobKind, MAX_BACKOFF, backoff};
pub use repo::Job;
pub use runner::{Claim, JobEnv, JobError, Runner};
pub use workers::{IDLE, Workers};

/// Queues a job in the caller's transaction; returns its id.
pub fn enqueue(conn: &mut DbConn, kind: JobKind, payload: &impl Serialize) -> QueryResult<i64> {
    repo::insert(conn, kind, &to_json(payload)?, None, now())
}

/// Queues the one job with this key unless it is queued or running already
/// (a finished or failed one runs again); returns its id.
pub fn ensure_queued(
    conn: &mut DbConn,
    kind: JobKind,
    key: &str,
    payload: &impl Serialize,
) -> QueryResult<i64> {
    repo::ensure_queued(conn, kind, key, &to_json(payload)?, now(), now())
}

/// `ensure_queued`, but a job it queues waits `delay` first: the writes
/// that follow within it are seen by the same run (a debounce).
pub fn ensure_queued_after(
    conn: &mut DbConn,
    kind: JobKind,
    key: &str,
    payload: &impl Serialize,
    delay: std::time::Duration,
) -> QueryResult<i64> {
    let now = now();
    let run_at = now + chrono::Duration::from_std(delay).unwrap_or_default();
    repo::ensure_queued(conn, kind, key, &to_json(payload)?, now, run_at)
}

fn to_json(payload: &impl Serialize) -> QueryResult<String> {
    serde_json::to_string(payload).map_err(|e| diesel::result::Error::SerializationError(e.into()))
}

/// Reads a job's payload.
pub fn payload<T: serde::de::DeserializeOwned>(job: &Job) -> Result<T, JobError> {
    serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Fatal(format!("unreadable job payload: {e}")))
}
