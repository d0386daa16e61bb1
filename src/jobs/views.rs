use askama::Template;

use super::repo::{self, Job};
use crate::i18n::{Arg, Locale, key};
use crate::mail::outbox::OutboxRow;
use crate::web::Chrome;
use chrono::NaiveDateTime;

#[derive(Template)]
#[template(path = "admin/jobs.html")]
pub struct JobsPage {
    pub chrome: Chrome,
    pub counts: Vec<(String, i64)>,
    pub failed: Vec<Job>,
    pub running: Vec<Job>,
    pub queued: Vec<Job>,
    pub done: Vec<Job>,
    pub outbox: Vec<OutboxRow>,
}

impl JobsPage {
    pub fn count(&self, status: &str) -> i64 {
        self.counts
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n)
    }

    pub fn statuses(&self) -> [&'static str; 4] {
        repo::STATUSES
    }

    /// A job's or a message's status in the viewer's language.
    pub fn label(&self, status: &str) -> String {
        self.chrome.locale.t(status_label(status))
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        repo::QUEUED => key("job-status-queued"),
        repo::RUNNING => key("job-status-running"),
        repo::DONE => key("job-status-done"),
        repo::FAILED => key("job-status-failed"),
        _ => key("job-status-unknown"),
    }
}

impl Job {
    /// The time that matters in the job's status.
    pub fn shown_time(&self) -> Option<NaiveDateTime> {
        match self.status.as_str() {
            repo::QUEUED => Some(self.run_at),
            repo::RUNNING => self.locked_until,
            repo::DONE => self.finished_at,
            _ => Some(self.updated_at),
        }
    }

    /// "2 of 5" attempts, in `l`'s language.
    pub fn attempts_text(&self, l: &Locale) -> String {
        l.t_args(
            "jobs-attempts-of",
            &[
                ("attempts", Arg::Num(self.attempts.into())),
                ("max", Arg::Num(self.max_attempts.into())),
            ],
        )
    }

    /// The worker of a running job, else the last error (if any).
    pub fn detail(&self, l: &Locale) -> String {
        match (self.status.as_str(), &self.locked_by, &self.last_error) {
            (repo::RUNNING, Some(worker), _) => l.t_str("jobs-worker", "worker", worker),
            (repo::DONE, _, _) => String::new(),
            (_, _, Some(e)) => e.clone(),
            _ => String::new(),
        }
    }
}
