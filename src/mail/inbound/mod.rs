//! Incoming mail: customer messages to the support address open tickets, and
//! replies to ticket emails thread back into their ticket.
//!
//! Two ways in, the same path after: an IMAP mailbox polled by the job
//! workers (`imap`, when `RAPPORT_IMAP_URL` is set) and `rapport
//! receive-mail`, which an MTA pipes one message into. Both hand the raw
//! bytes to [`receive`]: parse (`parse`), drop automatic mail (RFC 3834:
//! auto-replies and bounces neither open tickets nor get answered), then in
//! one write transaction record the message's id in `inbound_mail` and give
//! it to the tickets module. The id's row is the "once": an IMAP message
//! fetched twice (a crash before it was flagged \Seen, two instances
//! polling one mailbox) or piped twice by a retrying MTA hits the primary
//! key and is skipped, and the ticket change commits or rolls back with it.

pub mod imap;
pub mod parse;
pub mod pipe;

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::inbound_mail;
use crate::db::{DbConn, now, write_tx};
use crate::error::AppError;

pub use parse::{ParseError, parse};

/// A customer's message as the tickets module needs it.
#[derive(Clone, Debug, Default)]
pub struct InboundMessage {
    pub from_email: String,
    pub from_name: Option<String>,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    /// `<id@host>`; made from a hash of the bytes when the message has none.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// To, Cc and Delivered-To addresses: a signed reply address
    /// (`support+<token>@…`) is among them when the customer answered one.
    pub recipients: Vec<String>,
    pub attachments: Vec<Attachment>,
    /// Attachments not kept (name, size in bytes): over the size or count limit.
    pub dropped_attachments: Vec<(String, usize)>,
    /// Set when a machine sent it (and it must be ignored).
    pub automatic: Option<Automatic>,
}

impl InboundMessage {
    /// The `+tag` parts of the recipient addresses, where a signed reply
    /// address carries its token.
    pub fn plus_tags(&self) -> impl Iterator<Item = &str> {
        self.recipients.iter().filter_map(|r| {
            let local = r.split('@').next()?;
            local
                .split_once('+')
                .map(|(_, tag)| tag)
                .filter(|t| !t.is_empty())
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Kinds of machine-sent mail (RFC 3834 and bounce conventions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Automatic {
    /// `Auto-Submitted:` other than `no`.
    AutoSubmitted,
    /// Vacation or list mail: `Precedence: bulk|junk|list`, `X-Autoreply`.
    AutoReply,
    /// A delivery report: `multipart/report`, an empty envelope sender,
    /// MAILER-DAEMON or postmaster.
    Bounce,
}

/// What incoming mail may weigh.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub message_bytes: usize,
    pub attachment_bytes: usize,
    pub attachments: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            message_bytes: 30 * 1024 * 1024,
            attachment_bytes: 10 * 1024 * 1024,
            attachments: 20,
        }
    }
}

/// What became of one received message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Opened a ticket or added to one (its id).
    Ticket(i64),
    /// Machine-sent; nothing done.
    Ignored(Automatic),
    /// Already received earlier; nothing done again.
    Duplicate,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Ticket(_) => "ticket",
            Outcome::Ignored(Automatic::AutoSubmitted) => "auto-submitted",
            Outcome::Ignored(Automatic::AutoReply) => "auto-reply",
            Outcome::Ignored(Automatic::Bounce) => "bounce",
            Outcome::Duplicate => "duplicate",
        }
    }
}

/// Why a message was not taken. `Unreadable` is for good (the MTA bounces
/// it, IMAP flags it and moves on); `Failed` is worth trying again.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("unreadable message: {0}")]
    Unreadable(#[from] ParseError),
    #[error(transparent)]
    Failed(#[from] AppError),
}

/// Where a customer's message goes: the tickets module's
/// `open_or_append`, called inside the receiving transaction; it returns the
/// ticket's id. (A parameter, so mail does not depend on tickets.)
pub type Sink =
    std::sync::Arc<dyn Fn(&mut DbConn, &InboundMessage) -> Result<i64, AppError> + Send + Sync>;

/// Takes one raw message: parse, ignore machines, then once per message id
/// hand it to `sink`.
pub fn receive(
    conn: &mut DbConn,
    raw: &[u8],
    limits: &Limits,
    sink: &Sink,
) -> Result<Outcome, ReceiveError> {
    let message = parse(raw, limits)?;
    let key = hex::encode(Sha256::digest(message.message_id.as_bytes()));
    let outcome = write_tx(conn, |conn| -> Result<Outcome, AppError> {
        let fresh = diesel::insert_into(inbound_mail::table)
            .values((
                inbound_mail::message_key.eq(&key),
                inbound_mail::message_id.eq(truncate(&message.message_id, 250)),
                inbound_mail::from_addr.eq(truncate(&message.from_email, 250)),
                inbound_mail::received_at.eq(now()),
                inbound_mail::outcome.eq("pending"),
            ))
            .execute(conn);
        match fresh {
            Ok(_) => {}
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => return Ok(Outcome::Duplicate),
            Err(e) => return Err(e.into()),
        }
        let outcome = match message.automatic {
            Some(kind) => Outcome::Ignored(kind),
            None => Outcome::Ticket(sink(conn, &message)?),
        };
        let ticket = match outcome {
            Outcome::Ticket(id) => Some(id),
            _ => None,
        };
        diesel::update(inbound_mail::table.find(&key))
            .set((
                inbound_mail::outcome.eq(outcome.as_str()),
                inbound_mail::ticket_id.eq(ticket),
            ))
            .execute(conn)?;
        Ok(outcome)
    })?;
    match outcome {
        Outcome::Ignored(kind) => {
            tracing::info!(from = %message.from_email, ?kind, "automatic mail ignored")
        }
        Outcome::Duplicate => {
            tracing::info!(message_id = %message.message_id, "mail already received")
        }
        Outcome::Ticket(id) => tracing::info!(ticket = id, "mail received"),
    }
    Ok(outcome)
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

#[cfg(test)]
mod tests;
