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
            .map(|job| {
                let done = crate::imports::run_job(conn, &env.data_dir, claim, job);
                // One duplicates scan per import, whatever it wrote.
                if let Err(e) = crate::db::write_tx(conn, crate::contacts::duplicate_scan::queue) {
                    tracing::warn!(error = %e, "could not queue the duplicates scan");
                }
                done
            })
            .collect(),
        JobKind::Email => crate::mail::outbox::deliver(&env.mailer, conn, jobs),
        JobKind::Duplicates => jobs
            .iter()
            .map(|_| crate::contacts::duplicate_scan::run_job(conn))
            .collect(),
        JobKind::ScoreLeads => jobs
            .iter()
            .map(|_| crate::deals::scoring::run_job(conn, claim))
            .collect(),
        JobKind::Campaign => jobs
            .iter()
            .map(|job| crate::campaigns::engine::run_job(env, conn, job))
            .collect(),
        JobKind::Insights => jobs
            .iter()
            .map(|_| crate::insights::job::run_job(conn))
            .collect(),
        JobKind::Series => jobs
            .iter()
            .map(|job| crate::campaigns::series::run_job(env, conn, job))
            .collect(),
    }
}

/// Once per start, before the first claim: work left behind without a job.
pub(super) fn on_start(_env: &JobEnv, conn: &mut DbConn) {
    crate::imports::resume_stalled(conn);
    crate::campaigns::engine::resume_stalled(conn);
    crate::campaigns::series::enroll::resume_stalled(conn);
    if let Err(e) = crate::contacts::duplicate_scan::queue_if_stale(conn) {
        tracing::warn!(error = %e, "could not check the duplicates scan");
    }
}
