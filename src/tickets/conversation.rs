//! Messages on a ticket and the mail they cause. A public reply is
//! committed together with its outbox row (one `write_tx` by the caller);
//! its email carries its own Message-ID (stored on the message, so the
//! customer's answer threads back), In-Reply-To the latest message and
//! References the ticket's thread, and the signed link to the ticket page.
//! Internal notes are never mailed.

use diesel::prelude::*;

use super::domain::{MessageKind, Status};
use super::repo::{self, Ticket};
use super::write::{self, Refused};
use crate::config::Config;
use crate::db::schema::tickets;
use crate::db::{DbConn, now};
use crate::domain::ids::{TicketId, TicketMessageId, UserId};
use crate::error::AppResult;
use crate::i18n::Locale;
use crate::mail::{Email, outbox};
use crate::signed::{Purpose, Signer};

/// What mail needs from the configuration.
#[derive(Clone)]
pub struct MailCtx {
    pub from: String,
    pub base_url: String,
    pub signer: Signer,
}

impl MailCtx {
    pub fn from_config(config: &Config) -> MailCtx {
        MailCtx {
            from: config.mail_from.clone(),
            base_url: config.base_url.trim_end_matches('/').to_string(),
            signer: Signer::new(&config.secret_key),
        }
    }

    /// The customer's page of a ticket: `/t/{token}`.
    pub fn page_link(&self, t: &Ticket) -> String {
        format!("{}{}", self.base_url, page_path(&self.signer, t))
    }

    /// A rating link (`score` 1–5).
    pub fn csat_link(&self, t: &Ticket, score: i32) -> String {
        let token = self
            .signer
            .sign(Purpose::Csat, t.id.get(), None, t.link_key.as_bytes());
        format!("{}/csat/{token}?score={score}", self.base_url)
    }
}

pub fn page_path(signer: &Signer, t: &Ticket) -> String {
    let token = signer.sign(Purpose::TicketPage, t.id.get(), None, t.link_key.as_bytes());
    format!("/t/{token}")
}

/// Longest References header kept (the newest ids).
const REFERENCES_MAX: usize = 20;

/// `[#12] subject` (a reply's subject starts `Re:`).
fn subject_line(t: &Ticket, reply: bool) -> String {
    let s: String = t.subject.chars().take(400).collect();
    if reply {
        format!("Re: [#{}] {s}", t.id)
    } else {
        format!("[#{}] {s}", t.id)
    }
}

fn crlf(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\n', "\r\n")
}

/// Queues an email to the requester on the caller's connection, threaded
/// under the ticket's earlier messages; returns (Message-ID, job id), or
/// None when the requester has no usable address.
fn send_to_requester(
    c: &mut DbConn,
    ctx: &MailCtx,
    t: &Ticket,
    subject: &str,
    text: &str,
) -> AppResult<Option<(String, i64)>> {
    let who = repo::requester(c, t.requester_id)?;
    let Some(to) = who.email else {
        return Ok(None);
    };
    let Ok(mut email) = Email::new(&ctx.from, &to, subject, crlf(text)) else {
        return Ok(None);
    };
    let ids = repo::message_ids(c, t.id)?;
    if let Some(last) = ids.last() {
        email = email
            .header("In-Reply-To", last)
            .map_err(crate::error::AppError::unexpected)?;
        let start = ids.len().saturating_sub(REFERENCES_MAX);
        email = email
            .header("References", &ids[start..].join(" "))
            .map_err(crate::error::AppError::unexpected)?;
    }
    let job = outbox::enqueue(c, &email)?;
    Ok(Some((email.message_id().to_string(), job)))
}

/// What an agent writes on a ticket.
pub struct AgentMessage<'a> {
    pub kind: MessageKind,
    pub body: &'a str,
    /// The version the page was drawn at; `None`: sent over a change.
    pub version: Option<i32>,
    pub author: UserId,
}

/// An agent's reply or internal note, from the version the agent loaded
/// (`None`: they confirmed sending over a change). A public reply is the
/// first response if none was given, and a new ticket becomes open.
pub fn agent_message(
    c: &mut DbConn,
    ctx: &MailCtx,
    locale: &Locale,
    t: &Ticket,
    m: &AgentMessage,
) -> AppResult<Result<TicketMessageId, Refused>> {
    let (kind, body, version, author) = (m.kind, m.body, m.version, m.author);
    let at = now();
    let mut bump = diesel::update(tickets::table)
        .filter(tickets::id.eq(t.id))
        .into_boxed();
    if let Some(v) = version {
        bump = bump.filter(tickets::version.eq(v));
    }
    if bump
        .set((
            tickets::version.eq(tickets::version + 1),
            tickets::updated_at.eq(at),
        ))
        .execute(c)?
        == 0
    {
        return Ok(Err(Refused::Stale));
    }
    if kind != MessageKind::PublicReply {
        let id = write::insert_message(c, t.id, kind, Some(author), None, body, None, None)?;
        return Ok(Ok(id));
    }
    let text = format!(
        "{body}\n\n-- \n{}\n{}\n",
        locale.t("tickets-mail-view"),
        ctx.page_link(t)
    );
    let sent = send_to_requester(c, ctx, t, &subject_line(t, true), &text)?;
    let (mid, job) = sent.map_or((None, None), |(m, j)| (Some(m), Some(j)));
    let id = write::insert_message(c, t.id, kind, Some(author), None, body, mid.as_deref(), job)?;
    if t.first_responded_at.is_none() {
        let cal = repo::calendar(c, t.queue_id)?;
        let clock = t.clock().responded(&cal, at);
        let due = clock.due(&cal);
        diesel::update(tickets::table.filter(tickets::id.eq(t.id)))
            .set((
                tickets::first_responded_at.eq(Some(at)),
                tickets::first_response_used.eq(clock.first_response_used),
                tickets::first_response_due.eq(due.first_response),
                tickets::sla_due.eq(due.next()),
            ))
            .execute(c)?;
    }
    if t.status == Status::New {
        let fresh = repo::get_any(c, t.id)?.ok_or(crate::error::AppError::NotFound)?;
        let _ = write::set_status(c, &fresh, fresh.version, Status::Open, Some(author))?;
    }
    Ok(Ok(id))
}

/// A customer's message on an existing ticket (their page, or mail the
/// inbound side threaded here): a pending or solved ticket opens again.
pub fn customer_message(
    c: &mut DbConn,
    t: &Ticket,
    body: &str,
    message_id: Option<&str>,
) -> AppResult<TicketMessageId> {
    let id = write::insert_message(
        c,
        t.id,
        MessageKind::CustomerMessage,
        None,
        Some(t.requester_id),
        body,
        message_id,
        None,
    )?;
    diesel::update(tickets::table.filter(tickets::id.eq(t.id)))
        .set((
            tickets::version.eq(tickets::version + 1),
            tickets::updated_at.eq(now()),
        ))
        .execute(c)?;
    if matches!(t.status, Status::Pending | Status::Solved) {
        let fresh = repo::get_any(c, t.id)?.ok_or(crate::error::AppError::NotFound)?;
        let _ = write::set_status(c, &fresh, fresh.version, Status::Open, None)?;
    }
    Ok(id)
}

/// "We got your request": the confirmation with the ticket's link.
pub fn confirm_to_requester(
    c: &mut DbConn,
    ctx: &MailCtx,
    locale: &Locale,
    id: TicketId,
) -> AppResult<()> {
    let t = repo::get_any(c, id)?.ok_or(crate::error::AppError::NotFound)?;
    let text = format!(
        "{}\n\n{}\n{}\n",
        locale.t("tickets-mail-received"),
        locale.t("tickets-mail-view"),
        ctx.page_link(&t)
    );
    if let Some((mid, job)) = send_to_requester(c, ctx, &t, &subject_line(&t, false), &text)? {
        // The customer answers the confirmation: its id threads back to
        // the opening message (which came without one of its own).
        use crate::db::schema::ticket_messages;
        let first: Option<TicketMessageId> = ticket_messages::table
            .filter(ticket_messages::ticket_id.eq(t.id))
            .filter(ticket_messages::message_id.is_null())
            .order(ticket_messages::id.asc())
            .select(ticket_messages::id)
            .first(c)
            .optional()?;
        if let Some(first) = first {
            diesel::update(ticket_messages::table.find(first))
                .set((
                    ticket_messages::message_id.eq(Some(mid)),
                    ticket_messages::outbox_job_id.eq(Some(job)),
                ))
                .execute(c)?;
        }
    }
    Ok(())
}

/// On solve: the rating request, one signed link per score.
pub fn ask_for_rating(
    c: &mut DbConn,
    ctx: &MailCtx,
    locale: &Locale,
    id: TicketId,
) -> AppResult<()> {
    let t = repo::get_any(c, id)?.ok_or(crate::error::AppError::NotFound)?;
    let mut text = format!("{}\n\n", locale.t("tickets-mail-rate"));
    for (score, label) in [(5, "tickets-csat-good"), (1, "tickets-csat-bad")] {
        text.push_str(&format!(
            "{}: {}\n",
            locale.t(label),
            ctx.csat_link(&t, score)
        ));
    }
    send_to_requester(c, ctx, &t, &subject_line(&t, true), &text)?;
    Ok(())
}
