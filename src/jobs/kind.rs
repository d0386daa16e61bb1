//! The kinds of background job, stored as text in `jobs.kind`, with how each
//! is retried and claimed.

use crate::i18n::key;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Apply an uploaded CSV import (payload: `{"import_id": n}`).
    Import,
    /// Deliver one message of the mail outbox (the `mail_outbox` row of the job).
    Email,
    /// Recompute the duplicate contact candidates (`contacts::duplicate_scan`).
    Duplicates,
    /// Retrain the lead-score model and score the open deals
    /// (`deals::scoring::run_job`).
    ScoreLeads,
    /// One lane of a campaign's sending (payload: `{"campaign_id": n,
    /// "lane": k}`): claims ledger batches for a slice, then continues.
    Campaign,
    /// Derive lifecycle stages, RFM scores and co-purchase pairs from the
    /// order history (`insights::job::run_job`).
    Insights,
    /// The welcome series' minute: segment entries enrol, steps with rows
    /// due get their lanes (`campaigns::series::run_job`; one job, key
    /// `series`, continued every minute while a series is active).
    Series,
}

impl JobKind {
    pub const ALL: [JobKind; 7] = [
        JobKind::Import,
        JobKind::Email,
        JobKind::Duplicates,
        JobKind::ScoreLeads,
        JobKind::Campaign,
        JobKind::Insights,
        JobKind::Series,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Import => "import",
            JobKind::Email => "email",
            JobKind::Duplicates => "duplicates",
            JobKind::ScoreLeads => "score_leads",
            JobKind::Campaign => "campaign",
            JobKind::Insights => "insights",
            JobKind::Series => "series",
        }
    }

    pub fn parse(s: &str) -> Option<JobKind> {
        JobKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The message key of the kind's name.
    pub fn label_key(self) -> &'static str {
        match self {
            JobKind::Import => key("job-kind-import"),
            JobKind::Email => key("job-kind-email"),
            JobKind::Duplicates => key("job-kind-duplicates"),
            JobKind::ScoreLeads => key("job-kind-score-leads"),
            JobKind::Campaign => key("job-kind-campaign"),
            JobKind::Insights => key("job-kind-insights"),
            JobKind::Series => key("job-kind-series"),
        }
    }

    /// Runs before the job stays failed with its last error.
    pub fn max_attempts(self) -> i32 {
        match self {
            JobKind::Import => 5,
            // About three hours of an unreachable mail server.
            JobKind::Email => 10,
            JobKind::Duplicates => 5,
            JobKind::ScoreLeads | JobKind::Insights => 3,
            // Only database trouble fails a lane; its slices do not count.
            JobKind::Campaign => 50,
            JobKind::Series => 50,
        }
    }

    /// The pause after the first failed run; it doubles with every further one.
    pub fn first_backoff(self) -> Duration {
        match self {
            JobKind::Import => Duration::from_secs(10),
            JobKind::Email => Duration::from_secs(30),
            JobKind::Duplicates => Duration::from_secs(30),
            JobKind::ScoreLeads | JobKind::Insights => Duration::from_secs(60),
            JobKind::Campaign => Duration::from_secs(5),
            JobKind::Series => Duration::from_secs(30),
        }
    }

    /// Jobs one worker claims at once: many small messages per claim, one
    /// long import (it renews its own lease as it goes).
    pub fn batch(self) -> i64 {
        match self {
            JobKind::Import
            | JobKind::Duplicates
            | JobKind::ScoreLeads
            | JobKind::Campaign
            | JobKind::Insights
            | JobKind::Series => 1,
            JobKind::Email => 100,
        }
    }
}

/// The longest pause between two runs of a job.
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// Pause before run `attempts + 1` of a job that has failed `attempts`
/// times: first, 2×first, 4×first … capped, plus up to a fifth at random
/// so jobs that failed together do not all return together.
pub fn backoff(kind: JobKind, attempts: i32, jitter: f64) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    let base = kind
        .first_backoff()
        .saturating_mul(1u32 << doublings)
        .min(MAX_BACKOFF);
    base + base.mul_f64(jitter.clamp(0.0, 1.0) / 5.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_as_text() {
        for k in JobKind::ALL {
            assert_eq!(JobKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(JobKind::parse("nope"), None);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let k = JobKind::Email;
        assert_eq!(backoff(k, 1, 0.0), Duration::from_secs(30));
        assert_eq!(backoff(k, 2, 0.0), Duration::from_secs(60));
        assert_eq!(backoff(k, 4, 0.0), Duration::from_secs(240));
        assert_eq!(backoff(k, 30, 0.0), MAX_BACKOFF);
        assert_eq!(backoff(k, 1, 1.0), Duration::from_secs(36));
    }
}
