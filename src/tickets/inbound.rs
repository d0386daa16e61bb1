//! The inbound entry point the mail side calls once it has parsed a
//! message: `open_or_append` threads it into the ticket whose messages
//! carry one of its In-Reply-To / References ids, or opens a new ticket in
//! the default queue (requester found or created by address). Attachments
//! are written under the data directory (`tickets/`, owner-only), size
//! limited, and only ever downloaded (never shown inline) by people who
//! may see the ticket.
//!
//! A message delivered twice (same Message-ID) is kept once: the unique
//! index on `ticket_messages.message_id` refuses the second, and the
//! ticket it went to is answered.

use std::path::{Path, PathBuf};

use diesel::prelude::*;
use rand::Rng;

use super::domain::{MessageKind, Status};
use super::repo;
use super::write::{self, NewTicket};
use crate::db::schema::{ticket_attachments, ticket_messages};
use crate::db::{DbConn, now, write_tx};
use crate::domain::ids::TicketId;
use crate::error::{AppError, AppResult};
use crate::mail::inbound::{Attachment, InboundMessage};

const SUBJECT_MAX_CHARS: usize = 400;

/// `<id>`: the form Message-IDs are stored in.
fn bracketed(id: &str) -> Option<String> {
    let id = id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!id.is_empty() && id.len() <= 250 && !id.contains(['<', '>', ' ', '\r', '\n']))
        .then(|| format!("<{id}>"))
}

/// The folder attachments are kept in.
pub fn attachments_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("tickets")
}

/// The text of a message: its plain part, else its HTML reduced to text,
/// with a line for each attachment that was too large to keep.
fn body_of(m: &InboundMessage) -> String {
    let mut body = if m.text_body.trim().is_empty() {
        m.html_body.as_deref().map(html_to_text).unwrap_or_default()
    } else {
        m.text_body.clone()
    };
    for (name, size) in &m.dropped_attachments {
        body.push_str(&format!(
            "\n[{name} ({} KB) was not kept: over the attachment limits]",
            size.div_ceil(1024)
        ));
    }
    body
}

/// Threads `m` into its ticket or opens one; attachments are stored under
/// `data_dir`. Returns the ticket.
pub fn open_or_append(
    conn: &mut DbConn,
    data_dir: &Path,
    m: &InboundMessage,
) -> AppResult<TicketId> {
    let message_id = bracketed(&m.message_id);
    let mut thread: Vec<String> = m.references.iter().filter_map(|r| bracketed(r)).collect();
    thread.extend(m.in_reply_to.as_deref().and_then(bracketed));
    let body = body_of(m);
    let email = crate::domain::EmailAddress::parse(&m.from_email)
        .map_err(|_| AppError::refused("error-email-invalid"))?;
    let subject: String = match m.subject.trim() {
        "" => "(no subject)".to_string(),
        s => s.chars().take(SUBJECT_MAX_CHARS).collect(),
    };
    // Files are written first (outside the transaction, which may run
    // again); the rows that name them are written with the message.
    let files = store_files(data_dir, &m.attachments)?;
    let result = write_tx(conn, |c| {
        if let Some(mid) = &message_id
            && let Some(t) = ticket_of(c, std::slice::from_ref(mid))?
        {
            return Ok((t, None)); // seen before
        }
        let existing = match ticket_of(c, &thread)? {
            Some(id) => repo::get_any(c, id)?.filter(|t| t.status != Status::Closed),
            None => None,
        };
        let (ticket, msg) = match existing {
            Some(t) => {
                let msg =
                    super::conversation::customer_message(c, &t, &body, message_id.as_deref())?;
                (t.id, msg)
            }
            None => {
                let requester = write::find_or_create_contact(
                    c,
                    email.as_str(),
                    m.from_name.as_deref().unwrap_or(""),
                )?;
                let queue = repo::default_queue(c)?;
                write::open(
                    c,
                    &NewTicket {
                        subject: &subject,
                        requester,
                        queue: &queue,
                        priority: None,
                        body: &body,
                        kind: MessageKind::CustomerMessage,
                        author: None,
                        message_id: message_id.as_deref(),
                        links: Default::default(),
                    },
                )?
            }
        };
        for f in &files {
            diesel::insert_into(ticket_attachments::table)
                .values((
                    ticket_attachments::ticket_id.eq(ticket),
                    ticket_attachments::message_id.eq(msg),
                    ticket_attachments::filename.eq(&f.filename),
                    ticket_attachments::content_type.eq(&f.content_type),
                    ticket_attachments::size_bytes.eq(f.size as i64),
                    ticket_attachments::stored_name.eq(&f.stored_name),
                    ticket_attachments::created_at.eq(now()),
                ))
                .execute(c)?;
        }
        Ok::<_, AppError>((ticket, Some(msg)))
    });
    match result {
        Ok((ticket, Some(_))) => Ok(ticket),
        Ok((ticket, None)) => {
            remove_files(data_dir, &files);
            Ok(ticket)
        }
        Err(e) => {
            remove_files(data_dir, &files);
            // The same message delivered twice at once: the other copy won.
            if let Some(mid) = &message_id
                && let Ok(Some(t)) = ticket_of(conn, std::slice::from_ref(mid))
            {
                return Ok(t);
            }
            Err(e)
        }
    }
}

/// Where incoming mail goes (`mail::inbound::receive`): into tickets, with
/// attachments under `data_dir`.
pub fn sink(data_dir: PathBuf) -> crate::mail::inbound::Sink {
    std::sync::Arc::new(move |conn: &mut DbConn, m: &InboundMessage| {
        open_or_append(conn, &data_dir, m).map(|t| t.get())
    })
}

/// The ticket one of `ids` belongs to (the newest message wins).
fn ticket_of(c: &mut DbConn, ids: &[String]) -> QueryResult<Option<TicketId>> {
    if ids.is_empty() {
        return Ok(None);
    }
    ticket_messages::table
        .filter(ticket_messages::message_id.eq_any(ids.to_vec()))
        .order(ticket_messages::id.desc())
        .select(ticket_messages::ticket_id)
        .first(c)
        .optional()
}

struct Stored {
    filename: String,
    content_type: String,
    size: usize,
    stored_name: String,
}

/// Writes the attachments (within `mail::inbound::Limits` already) under
/// random names.
fn store_files(data_dir: &Path, files: &[Attachment]) -> AppResult<Vec<Stored>> {
    let dir = attachments_dir(data_dir);
    let mut out = Vec::new();
    for file in files {
        crate::private_files::dir(&dir).map_err(AppError::unexpected)?;
        let rand: [u8; 16] = rand::thread_rng().r#gen();
        let stored_name = hex::encode(rand);
        crate::private_files::write(&dir.join(&stored_name), &file.bytes)
            .map_err(AppError::unexpected)?;
        let content_type: String = file
            .content_type
            .chars()
            .filter(|c| c.is_ascii_graphic() || *c == ' ')
            .take(100)
            .collect();
        out.push(Stored {
            filename: file.filename.clone(),
            content_type: if content_type.is_empty() {
                "application/octet-stream".into()
            } else {
                content_type
            },
            size: file.bytes.len(),
            stored_name,
        });
    }
    Ok(out)
}

fn remove_files(data_dir: &Path, files: &[Stored]) {
    let dir = attachments_dir(data_dir);
    for f in files {
        let _ = std::fs::remove_file(dir.join(&f.stored_name));
    }
}

/// The path of a stored attachment (its name is ours: hex only).
pub fn stored_path(data_dir: &Path, stored_name: &str) -> Option<PathBuf> {
    stored_name
        .bytes()
        .all(|b| b.is_ascii_hexdigit())
        .then(|| attachments_dir(data_dir).join(stored_name))
}

/// HTML reduced to its text: tags dropped, a few entities decoded (the
/// text is only ever shown escaped).
fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_kept_bracketed() {
        assert_eq!(bracketed("abc@x.example"), Some("<abc@x.example>".into()));
        assert_eq!(
            bracketed(" <abc@x.example> "),
            Some("<abc@x.example>".into())
        );
        assert_eq!(bracketed(""), None);
        assert_eq!(bracketed("a b@x"), None);
    }

    #[test]
    fn html_bodies_become_text() {
        assert_eq!(html_to_text("<p>Hi &amp; <b>bye</b></p>"), "Hi & bye");
    }
}
