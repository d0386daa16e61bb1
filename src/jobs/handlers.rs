//! Every job kind's handler, registered here and nowhere else.

use super::kind::JobKind;
use super::repo::Job;
use super::runner::{Claim, JobEnv, JobError};
use crate::db::DbConn;

/// Runs one claimed job, outside any transaction (a handler opens its own
/// short write transactions and never holds one across slow I/O).
pub(super) fn run(
    env: &JobEnv,
    conn: &mut DbConn,
    claim: &Claim,
    job: &Job,
) -> Result<(), JobError> {
    match job.job_kind() {
        Some(JobKind::Import) => crate::imports::run_job(conn, &env.data_dir, claim, job),
        Some(JobKind::Email) => crate::mail::outbox::deliver(&env.mailer, conn, job),
        None => Err(JobError::Fatal(format!("unknown job kind {:?}", job.kind))),
    }
}

/// Once per start, before the first claim: work left behind without a job.
pub(super) fn on_start(_env: &JobEnv, conn: &mut DbConn) {
    crate::imports::resume_stalled(conn);
}
