use askama::Template;

use super::repo::{self, Job};
use crate::mail::outbox::OutboxRow;
use crate::web::Chrome;

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

    pub fn label(&self, status: &str) -> &'static str {
        status_label(status)
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        repo::QUEUED => "Queued",
        repo::RUNNING => "Running",
        repo::DONE => "Done",
        repo::FAILED => "Failed",
        _ => "Unknown",
    }
}

const TIME: &str = "%Y-%m-%d %H:%M:%S";

impl Job {
    /// The time that matters in the job's status (UTC).
    pub fn shown_time(&self) -> String {
        let t = match self.status.as_str() {
            repo::QUEUED => Some(self.run_at),
            repo::RUNNING => self.locked_until,
            repo::DONE => self.finished_at,
            _ => Some(self.updated_at),
        };
        t.map(|t| t.format(TIME).to_string()).unwrap_or_default()
    }

    /// The worker of a running job, else the last error (if any).
    pub fn detail(&self) -> String {
        match (self.status.as_str(), &self.locked_by, &self.last_error) {
            (repo::RUNNING, Some(worker), _) => format!("worker {worker}"),
            (repo::DONE, _, _) => String::new(),
            (_, _, Some(e)) => e.clone(),
            _ => String::new(),
        }
    }
}
