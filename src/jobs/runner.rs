//! One worker's loop body: claim due jobs with a lease, run each through its
//! handler outside any transaction, then write the results only where the
//! lease is still ours. `run_once` is what the worker threads call and what
//! tests call to drive jobs without sleeping.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use rand::Rng;

use super::handlers;
use super::kind::{JobKind, backoff};
use super::repo::{self, Job};
use crate::db::{DbConn, Pool, now, write_tx};
use crate::error::AppError;
use crate::mail::Mailer;

/// What handlers need from the application.
#[derive(Clone)]
pub struct JobEnv {
    pub pool: Pool,
    pub data_dir: PathBuf,
    pub mailer: Mailer,
    /// How long a claim holds its jobs unless renewed.
    pub lease: Duration,
    /// Signed public links (unsubscribe, web version) in mailed messages.
    pub links: crate::signed::PublicLinks,
}

/// Why a run did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// Worth another run after the back-off (unreachable server, lost database).
    Retry(String),
    /// Another run cannot help: the job fails now, with this error.
    Fatal(String),
    /// Not a failure: the job did a slice of long work and wants to run
    /// again after this pause (a campaign lane between slices, so one long
    /// job never holds a worker for good and a shutdown waits one slice at
    /// most). The attempt is not counted.
    Continue(Duration),
}

impl From<diesel::result::Error> for JobError {
    fn from(e: diesel::result::Error) -> Self {
        JobError::Retry(format!("database: {e}"))
    }
}

impl From<AppError> for JobError {
    fn from(e: AppError) -> Self {
        JobError::Retry(match &e {
            AppError::Unexpected(cause) | AppError::Unavailable(cause) => format!("{e}: {cause}"),
            other => other.to_string(),
        })
    }
}

/// The jobs taken by one claim, under one token.
pub struct Claim {
    pub token: String,
    lease: Duration,
}

impl Claim {
    fn until(&self) -> NaiveDateTime {
        now() + chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::seconds(60))
    }

    /// Renews the lease of the claim's jobs; false if another worker has
    /// taken them over (this worker must then stop and write nothing).
    pub fn renew(&self, conn: &mut DbConn) -> diesel::QueryResult<bool> {
        let until = self.until();
        Ok(write_tx(conn, |c| repo::renew(c, &self.token, until))? > 0)
    }
}

pub struct Runner {
    env: JobEnv,
    worker: String,
    claims: AtomicU64,
}

impl Runner {
    pub fn new(env: JobEnv) -> Runner {
        let tag: u32 = rand::thread_rng().r#gen();
        Runner {
            env,
            worker: format!("{}-{:08x}", std::process::id(), tag),
            claims: AtomicU64::new(0),
        }
    }

    pub fn env(&self) -> &JobEnv {
        &self.env
    }

    fn new_claim(&self) -> Claim {
        let n = self.claims.fetch_add(1, Ordering::Relaxed);
        Claim {
            token: format!("{}:{n}", self.worker),
            lease: self.env.lease,
        }
    }

    /// Claims and runs the due jobs of every kind (a batch of each);
    /// returns how many ran.
    pub fn run_once(&self) -> Result<usize, AppError> {
        let mut conn = self.env.pool.get()?;
        let mut ran = 0;
        for kind in JobKind::ALL {
            let claim = self.new_claim();
            let t = now();
            let jobs = repo::claim(
                &mut conn,
                kind,
                &claim.token,
                t,
                claim.until(),
                kind.batch(),
            )?;
            ran += jobs.len();
            self.run_claimed(&mut conn, &claim, kind, jobs)?;
        }
        Ok(ran)
    }

    /// Runs one job now, whether due or not, unless another worker holds
    /// it; returns its row afterwards (None: no such job).
    pub fn run_job(&self, id: i64) -> Result<Option<Job>, AppError> {
        let mut conn = self.env.pool.get()?;
        let claim = self.new_claim();
        if let Some(job) = repo::claim_one(&mut conn, id, &claim.token, now(), claim.until())?
            && let Some(kind) = job.job_kind()
        {
            self.run_claimed(&mut conn, &claim, kind, vec![job])?;
        }
        Ok(repo::get(&mut conn, id)?)
    }

    fn run_claimed(
        &self,
        conn: &mut DbConn,
        claim: &Claim,
        kind: JobKind,
        jobs: Vec<Job>,
    ) -> Result<(), AppError> {
        if jobs.is_empty() {
            return Ok(());
        }
        let started = Instant::now();
        let outcomes = std::thread::scope(|s| {
            // Renews the claim's lease while the batch runs, however slow
            // the handler (on a connection of its own).
            let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
            s.spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = done_rx.recv_timeout(claim.lease / 3) {
                    if let Ok(mut c) = self.env.pool.get() {
                        let _ = claim.renew(&mut c);
                    }
                }
            });
            let outcomes = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                handlers::run(&self.env, conn, claim, kind, &jobs)
            }))
            .unwrap_or_else(|_| vec![Err(JobError::Retry("the job panicked".into())); jobs.len()]);
            drop(done_tx);
            outcomes
        });
        let (ok, failures): (Vec<_>, Vec<_>) = jobs
            .iter()
            .zip(outcomes)
            .partition(|(_, outcome)| outcome.is_ok());
        let (again, failures): (Vec<_>, Vec<_>) = failures
            .into_iter()
            .partition(|(_, outcome)| matches!(outcome, Err(JobError::Continue(_))));
        for (job, outcome) in &again {
            if let Err(JobError::Continue(pause)) = outcome {
                let t = now();
                let at = t + chrono::Duration::from_std(*pause).unwrap_or_default();
                write_tx(conn, |c| repo::continue_at(c, job.id, &claim.token, at, t))?;
            }
        }
        let done: Vec<i64> = ok.iter().map(|(job, _)| job.id).collect();
        // Successes first, retried on deadlocks: a result lost here would
        // send the batch again.
        let t = now();
        let written = write_tx(conn, |c| repo::complete(c, &done, &claim.token, t))?;
        let mut first_error = None;
        for (job, outcome) in &failures {
            if let Err(e) = outcome {
                let message = self.record_failure(conn, claim, job, e.clone())?;
                first_error.get_or_insert(message);
            }
        }
        // One line per batch: an unreachable mail server fails them all alike.
        if let Some(first) = first_error {
            tracing::warn!(kind = kind.as_str(), failed = failures.len(), of = jobs.len(), error = %first, "jobs failed (see /admin/jobs)");
        }
        tracing::debug!(
            kind = kind.as_str(),
            jobs = jobs.len(),
            done = written,
            ms = started.elapsed().as_millis() as u64,
            "batch run"
        );
        if written < done.len() {
            tracing::warn!(
                lost = done.len() - written,
                "jobs finished after their lease was taken over"
            );
        }
        Ok(())
    }

    fn record_failure(
        &self,
        conn: &mut DbConn,
        claim: &Claim,
        job: &Job,
        e: JobError,
    ) -> Result<String, AppError> {
        let t = now();
        let (message, retry_at) = match e {
            JobError::Fatal(m) => (m, None),
            JobError::Continue(pause) => (format!("continues in {pause:?}"), None),
            JobError::Retry(m) if job.is_last_attempt() => (m, None),
            JobError::Retry(m) => {
                let kind = job.job_kind().unwrap_or(JobKind::Email);
                let pause = backoff(kind, job.attempts, rand::thread_rng().r#gen());
                let pause = chrono::Duration::from_std(pause).unwrap_or(chrono::Duration::hours(1));
                (m, Some(t + pause))
            }
        };
        match retry_at {
            Some(at) => {
                tracing::debug!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %message, retry_at = %at, "job failed; retrying later")
            }
            None => {
                tracing::error!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %message, "job failed for good")
            }
        }
        if !write_tx(conn, |c| {
            repo::record_failure(c, job.id, &claim.token, &message, retry_at, t)
        })? {
            tracing::warn!(job = job.id, "job failed after its lease was taken over");
        }
        Ok(message)
    }
}
