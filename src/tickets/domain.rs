//! Ticket vocabularies and the pure rules: priorities, statuses (which of
//! them pause the SLA clock), message kinds, the SLA clock itself over a
//! business-hours calendar, and the CSAT figure. No database here.

use chrono::{Duration, NaiveDateTime};

use crate::domain::WorkCalendar;
use crate::i18n::key;

crate::text_enum! {
    /// How urgent a ticket is.
    pub enum Priority {
        Low = "low",
        Normal = "normal",
        High = "high",
        Urgent = "urgent",
    }
}

impl Priority {
    pub fn label_key(self) -> &'static str {
        match self {
            Priority::Low => key("tickets-priority-low"),
            Priority::Normal => key("tickets-priority-normal"),
            Priority::High => key("tickets-priority-high"),
            Priority::Urgent => key("tickets-priority-urgent"),
        }
    }
}

crate::text_enum! {
    /// Where a ticket stands.
    pub enum Status {
        New = "new",
        Open = "open",
        /// Waiting for the customer: the SLA clock is paused.
        Pending = "pending",
        /// Waiting for someone else: the SLA clock is paused.
        OnHold = "on_hold",
        Solved = "solved",
        Closed = "closed",
    }
}

impl Status {
    pub fn label_key(self) -> &'static str {
        match self {
            Status::New => key("tickets-status-new"),
            Status::Open => key("tickets-status-open"),
            Status::Pending => key("tickets-status-pending"),
            Status::OnHold => key("tickets-status-on-hold"),
            Status::Solved => key("tickets-status-solved"),
            Status::Closed => key("tickets-status-closed"),
        }
    }

    /// The SLA clock runs in this status.
    pub fn clock_runs(self) -> bool {
        matches!(self, Status::New | Status::Open)
    }

    /// Still to be worked on (the queue's views).
    pub fn is_active(self) -> bool {
        !matches!(self, Status::Solved | Status::Closed)
    }

    /// The statuses an agent may set by hand from `self`.
    pub fn offered(self) -> Vec<Status> {
        match self {
            Status::Closed => Vec::new(),
            _ => [
                Status::Open,
                Status::Pending,
                Status::OnHold,
                Status::Solved,
                Status::Closed,
            ]
            .into_iter()
            .filter(|s| *s != self)
            .collect(),
        }
    }
}

crate::text_enum! {
    /// What a message on a ticket is.
    pub enum MessageKind {
        /// An agent's answer, emailed to the requester and on their page.
        PublicReply = "public_reply",
        /// For agents only: never emailed, never on the customer's page.
        InternalNote = "internal_note",
        /// Written by the customer (email, the public form, their page).
        CustomerMessage = "customer_message",
    }
}

impl MessageKind {
    pub fn label_key(self) -> &'static str {
        match self {
            MessageKind::PublicReply => key("tickets-kind-reply"),
            MessageKind::InternalNote => key("tickets-kind-note"),
            MessageKind::CustomerMessage => key("tickets-kind-customer"),
        }
    }

    /// Shown to the customer.
    pub fn is_public(self) -> bool {
        !matches!(self, MessageKind::InternalNote)
    }
}

/// The SLA targets of a ticket, in business minutes (`None`: no target).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Targets {
    pub first_response: Option<i32>,
    pub resolution: Option<i32>,
}

/// A ticket's SLA clock as stored: minutes used while it ran, the start of
/// the running stretch (`None` while paused or stopped) and whether the
/// first response was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    pub targets: Targets,
    pub first_response_used: i32,
    pub resolution_used: i32,
    pub running_since: Option<NaiveDateTime>,
    pub responded: bool,
}

/// The due times a clock gives (`None`: paused, met or no target).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Due {
    pub first_response: Option<NaiveDateTime>,
    pub resolution: Option<NaiveDateTime>,
}

impl Due {
    /// The nearer of the two: what the queue orders by.
    pub fn next(&self) -> Option<NaiveDateTime> {
        match (self.first_response, self.resolution) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

fn minutes(d: Duration) -> i32 {
    i32::try_from(d.num_minutes()).unwrap_or(i32::MAX)
}

/// `start` plus `minutes` business minutes on `cal` (`None` when the
/// calendar has no working time).
pub fn add_business_minutes(
    cal: &WorkCalendar,
    start: NaiveDateTime,
    minutes: i64,
) -> Option<NaiveDateTime> {
    cal.add(start, Duration::minutes(minutes))
}

/// Business minutes between two moments.
pub fn business_minutes_between(cal: &WorkCalendar, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
    cal.between(from, to).num_minutes()
}

impl Clock {
    /// A new ticket's clock, running from `now`.
    pub fn start(targets: Targets, now: NaiveDateTime) -> Clock {
        Clock {
            targets,
            first_response_used: 0,
            resolution_used: 0,
            running_since: Some(now),
            responded: false,
        }
    }

    /// The clock stopped at `now` (paused or solved): the minutes run since
    /// it started are added to what was used.
    pub fn stop(self, cal: &WorkCalendar, now: NaiveDateTime) -> Clock {
        let Some(since) = self.running_since else {
            return self;
        };
        let ran = minutes(cal.between(since, now));
        Clock {
            first_response_used: if self.responded {
                self.first_response_used
            } else {
                self.first_response_used.saturating_add(ran)
            },
            resolution_used: self.resolution_used.saturating_add(ran),
            running_since: None,
            ..self
        }
    }

    /// The clock running again from `now` (if it already runs, unchanged).
    pub fn resume(self, now: NaiveDateTime) -> Clock {
        Clock {
            running_since: self.running_since.or(Some(now)),
            ..self
        }
    }

    /// The first response was given at `now`: its minutes are final.
    pub fn responded(self, cal: &WorkCalendar, now: NaiveDateTime) -> Clock {
        if self.responded {
            return self;
        }
        let used = match self.running_since {
            Some(since) => self
                .first_response_used
                .saturating_add(minutes(cal.between(since, now))),
            None => self.first_response_used,
        };
        Clock {
            first_response_used: used,
            responded: true,
            ..self
        }
    }

    /// The due times while the clock runs: what is left of each target
    /// added in business time to the start of the running stretch.
    pub fn due(&self, cal: &WorkCalendar) -> Due {
        let Some(since) = self.running_since else {
            return Due::default();
        };
        let left = |target: Option<i32>, used: i32| {
            target.and_then(|t| add_business_minutes(cal, since, i64::from(t - used).max(0)))
        };
        Due {
            first_response: if self.responded {
                None
            } else {
                left(self.targets.first_response, self.first_response_used)
            },
            resolution: left(self.targets.resolution, self.resolution_used),
        }
    }
}

/// How close a ticket is to its SLA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    Breached,
    /// Due within the warning window (`SOON_MINUTES`).
    Soon,
    Ok,
    /// No running due time.
    None,
}

/// "Breaching soon": due within this many minutes of wall time.
pub const SOON_MINUTES: i64 = 60;

pub fn urgency(due: Option<NaiveDateTime>, now: NaiveDateTime) -> Urgency {
    match due {
        None => Urgency::None,
        Some(d) if d <= now => Urgency::Breached,
        Some(d) if d - now <= Duration::minutes(SOON_MINUTES) => Urgency::Soon,
        Some(_) => Urgency::Ok,
    }
}

/// A rating counts as satisfied from 4 of 5 ("good" is stored as 5, "bad"
/// as 1).
pub fn is_satisfied(score: i32) -> bool {
    score >= 4
}

/// CSAT: satisfied ÷ responses × 100, rounded to a whole percent; `None`
/// without responses.
pub fn csat(scores: &[i32]) -> Option<u32> {
    if scores.is_empty() {
        return None;
    }
    let satisfied = scores.iter().filter(|s| is_satisfied(**s)).count() as u64;
    let total = scores.len() as u64;
    Some(((satisfied * 200 + total) / (2 * total)) as u32)
}

#[cfg(test)]
#[path = "domain_tests.rs"]
mod tests;
