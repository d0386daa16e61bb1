//! The one timeline panel every record page includes
//! (`templates/partials/_timeline.html`, fed by a `TimelinePanel` field
//! named `timeline` beside the page's `chrome`), and the fragment htmx swaps.

use askama::Template;

use super::RecordRef;
use super::forms::ActivityForm;
use super::timeline::{ActivityKind, TimelineEntry};
use crate::web::Chrome;

/// The log form as last submitted, and what was wrong with it.
#[derive(Clone, Debug, Default)]
pub struct LogForm {
    pub form: ActivityForm,
    pub error: Option<String>,
}

/// A record's timeline with its log form.
#[derive(Clone, Debug)]
pub struct TimelinePanel {
    pub record: RecordRef,
    pub entries: Vec<TimelineEntry>,
    pub log: LogForm,
    /// The viewer may log on this record.
    pub can_log: bool,
}

impl TimelinePanel {
    pub fn new(record: RecordRef, entries: Vec<TimelineEntry>, can_log: bool) -> TimelinePanel {
        TimelinePanel {
            record,
            entries,
            log: LogForm::default(),
            can_log,
        }
    }

    /// Where the log form posts.
    pub fn activity_url(&self) -> String {
        format!("{}/activities", self.record.href())
    }

    pub fn kinds(&self) -> [ActivityKind; 3] {
        ActivityKind::LOGGED
    }

    pub fn kind_checked(&self, k: &ActivityKind) -> bool {
        let chosen = self.log.form.kind.trim();
        chosen == k.as_str() || (chosen.is_empty() && *k == ActivityKind::Note)
    }

    /// The contact an entry was logged on, when that is not this page.
    pub fn other_contact(&self, e: &TimelineEntry) -> Option<(String, String)> {
        let id = e.contact_id?;
        (RecordRef::Contact(id) != self.record)
            .then(|| (format!("/contacts/{id}"), e.contact_name()))
    }
}

/// The timeline alone: the answer to an htmx log.
#[derive(Template)]
#[template(source = "{% include \"partials/_timeline.html\" %}", ext = "html")]
pub struct TimelineFragment {
    pub chrome: Chrome,
    pub timeline: TimelinePanel,
}
