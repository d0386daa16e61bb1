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
