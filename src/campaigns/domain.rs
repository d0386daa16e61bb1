//! Campaign vocabularies (typed states) and the pure rules: which state
//! changes are allowed, header values, the deterministic Message-ID, the
//! back-off of temporary failures, the rate limiter's pacing.

use std::time::Duration;

use crate::i18n::key;

crate::text_enum! {
    /// Where a campaign is (`campaigns.status`).
    pub enum Status {
        Draft = "draft",
        /// Launched for later: the audience freezes when the time comes.
        Scheduled = "scheduled",
        /// The audience is frozen in the ledger; lanes are sending.
        Sending = "sending",
        Paused = "paused",
        Cancelled = "cancelled",
        /// Every recipient was sent, failed or skipped.
        Sent = "sent",
    }
}

impl Status {
    pub fn label_key(self) -> &'static str {
        match self {
            Status::Draft => key("campaigns-status-draft"),
            Status::Scheduled => key("campaigns-status-scheduled"),
            Status::Sending => key("campaigns-status-sending"),
            Status::Paused => key("campaigns-status-paused"),
            Status::Cancelled => key("campaigns-status-cancelled"),
            Status::Sent => key("campaigns-status-sent"),
        }
    }

    /// The message and audience may still be edited.
    pub fn is_editable(self) -> bool {
        matches!(self, Status::Draft | Status::Scheduled)
    }
}

crate::text_enum! {
    /// What a person can do to a campaign's state.
    pub enum Command {
        Pause = "pause",
        Resume = "resume",
        Cancel = "cancel",
    }
}

impl Command {
    /// The states the command applies to and the state it leads to: the
    /// conditional UPDATE's `WHERE status IN (from)` and `SET status = to`.
    pub fn transition(self) -> (&'static [Status], Status) {
        match self {
            Command::Pause => (&[Status::Sending], Status::Paused),
            Command::Resume => (&[Status::Paused], Status::Sending),
            Command::Cancel => (
                &[Status::Scheduled, Status::Sending, Status::Paused],
                Status::Cancelled,
            ),
        }
    }
}

crate::text_enum! {
    /// How the body is written (`campaigns.body_format`).
    pub enum BodyFormat {
        Markdown = "markdown",
        Html = "html",
    }
}

crate::text_enum! {
    /// The design around a message's body (`campaigns.layout`), each
    /// responsive: one column that becomes the full width on a phone.
    pub enum EmailLayout {
        /// A white card on a grey page.
        Card = "card",
        /// A coloured band with the company's name above a wide column.
        Newsletter = "newsletter",
        /// No frame: reads like a personal letter.
        Plain = "plain",
    }
}

impl EmailLayout {
    pub fn label_key(self) -> &'static str {
        match self {
            EmailLayout::Card => key("campaigns-layout-card"),
            EmailLayout::Newsletter => key("campaigns-layout-newsletter"),
            EmailLayout::Plain => key("campaigns-layout-plain"),
        }
    }
}

crate::text_enum! {
    /// What a campaign is (`campaigns.kind`).
    pub enum CampaignKind {
        /// A message and nothing more.
        Email = "email",
        /// The message with the 0–10 "would you recommend us" question
        /// under it: eleven signed links, answered on `/nps/{token}`.
        Nps = "nps",
    }
}

impl CampaignKind {
    pub fn label_key(self) -> &'static str {
        match self {
            CampaignKind::Email => key("campaigns-kind-email"),
            CampaignKind::Nps => key("campaigns-kind-nps"),
        }
    }
}

crate::text_enum! {
    /// One recipient's state in the ledger (`campaign_recipients.state`).
    pub enum RecipientState {
        /// Not sent yet (perhaps leased by a lane, or waiting out a back-off).
        Pending = "pending",
        Sent = "sent",
        /// Refused for good (5xx, or too many temporary failures).
        Failed = "failed",
        /// Unsubscribed or bounced after the launch, or the campaign was cancelled.
        Skipped = "skipped",
    }
}

impl RecipientState {
    pub fn label_key(self) -> &'static str {
        match self {
            RecipientState::Pending => key("campaigns-recipient-pending"),
            RecipientState::Sent => key("campaigns-recipient-sent"),
            RecipientState::Failed => key("campaigns-recipient-failed"),
            RecipientState::Skipped => key("campaigns-recipient-skipped"),
        }
    }
}

/// A header value may not carry a line break (header injection).
pub fn is_header_safe(value: &str) -> bool {
    !value.contains(['\r', '\n'])
}

/// The Message-ID of campaign `campaign`'s message to contact `contact`:
/// the same on every attempt, so a message sent twice (a crash between the
/// send and its record) is recognisably one message.
pub fn message_id(campaign: i64, contact: i64, domain: &str) -> String {
    format!("<campaign-{campaign}.contact-{contact}@{domain}>")
}

/// Temporary failures a recipient gets before it counts as failed.
pub const MAX_ATTEMPTS: i32 = 6;

/// The pause after temporary failure number `attempts` (1, 2, …): one
/// minute, doubling, at most an hour.
pub fn retry_after(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 10) as u32;
    Duration::from_secs(60)
        .saturating_mul(1 << doublings)
        .min(Duration::from_secs(3600))
}

/// Spacing between two sends of a lane for `rate` messages a second over
/// `lanes` lanes (0 = as fast as possible).
pub fn send_interval(rate: i32, lanes: u32) -> Option<Duration> {
    if rate <= 0 {
        return None;
    }
    let per_lane = f64::from(rate) / f64::from(lanes.max(1));
    Some(Duration::from_secs_f64(1.0 / per_lane))
}

pub const CONCURRENCY_MAX: i32 = 32;
pub const RATE_MAX: i32 = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_only_move_from_their_states() {
        assert_eq!(Command::Pause.transition().1, Status::Paused);
        assert!(!Command::Resume.transition().0.contains(&Status::Sent));
        assert!(!Command::Cancel.transition().0.contains(&Status::Sent));
        assert!(Command::Cancel.transition().0.contains(&Status::Paused));
    }

    #[test]
    fn message_ids_are_deterministic_per_campaign_and_contact() {
        assert_eq!(message_id(3, 9, "x.example"), message_id(3, 9, "x.example"));
        assert_ne!(
            message_id(3, 9, "x.example"),
            message_id(3, 10, "x.example")
        );
        assert_ne!(message_id(3, 9, "x.example"), message_id(4, 9, "x.example"));
    }

    #[test]
    fn header_values_with_line_breaks_are_refused() {
        assert!(is_header_safe("Hello"));
        assert!(!is_header_safe("Hello\r\nBcc: x@y"));
        assert!(!is_header_safe("a\nb"));
    }

    #[test]
    fn back_off_doubles_to_an_hour() {
        assert_eq!(retry_after(1), Duration::from_secs(60));
        assert_eq!(retry_after(2), Duration::from_secs(120));
        assert_eq!(retry_after(20), Duration::from_secs(3600));
    }

    #[test]
    fn the_rate_is_shared_by_the_lanes() {
        assert_eq!(send_interval(0, 2), None);
        assert_eq!(send_interval(10, 2), Some(Duration::from_millis(200)));
    }
}
