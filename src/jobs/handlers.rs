//! Every job kind's handler, registered here and nowhere else.

use super::kind::JobKind;
use super::repo::Job;
use super::runner::{Claim, JobEnv, JobError};
use crate::db::DbConn;

/// Runs a claimed batch (all of one kind), outside any transaction (a
/// handler opens its own short write transactions and never holds one
/// across slow I/O); one result per job, in order.
pub(super) fn run(
    env: &JobEnv,
    conn: &mut DbConn,
    claim: &Claim,
    kind: JobKind,
    jobs: &[Job],
) -> Vec<Result<(), JobError>> {
    match kind {
        JobKind::Import => jobs
            .iter()
            .map(|job| crate::imports::run_job(conn, &env.data_dir, claim, job))
            .collect(),
        JobKind::Email => crate::mail::outbox::deliver(&env.mailer, conn, jobs),
    }
}

/// Once per start, before the first claim: work left behind without a job.
pub(super) fn on_start(_env: &JobEnv, conn: &mut DbConn) {
    crate::imports::resume_stalled(conn);
}
