//! One raw RFC 5322 message → an [`InboundMessage`], with the decisions that
//! need only the message itself: is it automatic mail that must not open a
//! ticket (RFC 3834), which ticket does it answer, and which attachments are
//! kept.

use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

use super::{Attachment, Automatic, InboundMessage, Limits};

/// Why a message could not be read at all.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not an email message")]
    NotAMessage,
    #[error("the message has no usable From address")]
    NoSender,
    #[error("the message is larger than {0} bytes")]
    TooLarge(usize),
}

/// Reads a message as delivered (by IMAP or piped by an MTA).
pub fn parse(raw: &[u8], limits: &Limits) -> Result<InboundMessage, ParseError> {
    if raw.len() > limits.message_bytes {
        return Err(ParseError::TooLarge(limits.message_bytes));
    }
    let message = MessageParser::default()
        .parse(raw)
        .filter(|m| !m.headers().is_empty())
        .ok_or(ParseError::NotAMessage)?;
    let from = message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address().map(|e| (e, a.name())))
        .filter(|(e, _)| e.contains('@'))
        .ok_or(ParseError::NoSender)?;
    let header = |name: &str| -> Option<String> {
        message
            .headers_raw()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| unfold(v))
    };
    let message_id = match message.message_id() {
        Some(id) if !id.trim().is_empty() => format!("<{}>", id.trim()),
        // Without one, the same bytes fetched twice must still be one message.
        _ => format!("<{}@rapport.invalid>", hex::encode(Sha256::digest(raw))),
    };
    let in_reply_to = ids(
        message.in_reply_to().as_text_list(),
        message.in_reply_to().as_text(),
    )
    .into_iter()
    .next();
    let references = ids(
        message.references().as_text_list(),
        message.references().as_text(),
    );
    let mut attachments = Vec::new();
    let mut dropped = Vec::new();
    for part in message.attachments() {
        let filename = part
            .attachment_name()
            .map(safe_filename)
            .unwrap_or_else(|| "attachment".into());
        let content_type = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(sub) => format!("{}/{}", c.ctype(), sub),
                None => c.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into());
        let bytes = part.contents();
        if bytes.len() > limits.attachment_bytes || attachments.len() >= limits.attachments {
            dropped.push((filename, bytes.len()));
            continue;
        }
        attachments.push(Attachment {
            filename,
            content_type,
            bytes: bytes.to_vec(),
        });
    }
    let recipients: Vec<String> = message
        .to()
        .into_iter()
        .chain(message.cc())
        .flat_map(|a| a.iter())
        .filter_map(|a| a.address().map(str::to_string))
        .chain(header("Delivered-To"))
        .collect();
    Ok(InboundMessage {
        from_email: from.0.trim().to_string(),
        from_name: from
            .1
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        subject: message.subject().unwrap_or("").trim().to_string(),
        text_body: message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
        html_body: message
            .body_html(0)
            .map(|h| h.into_owned())
            .filter(|_| message.html_body_count() > 0),
        message_id,
        in_reply_to,
        references,
        recipients,
        attachments,
        dropped_attachments: dropped,
        automatic: automatic(
            &header,
            message.return_address(),
            from.0,
            message.content_type(),
        ),
    })
}

/// Message ids as `<id>`, from a header that may hold one or several.
fn ids(list: Option<&[std::borrow::Cow<'_, str>]>, one: Option<&str>) -> Vec<String> {
    let raw: Vec<&str> = match (list, one) {
        (Some(list), _) => list.iter().map(|c| c.as_ref()).collect(),
        (None, Some(one)) => vec![one],
        (None, None) => Vec::new(),
    };
    raw.into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("<{}>", s.trim_matches(['<', '>'])))
        .collect()
}

fn unfold(v: &str) -> String {
    v.split(['\r', '\n'])
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

/// A name safe to show and to send back in a Content-Disposition header:
/// no path, no control characters, not empty, at most 150 characters.
pub fn safe_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(150)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "attachment".into()
    } else {
        cleaned
    }
}

/// RFC 3834 and the conventions around it: mail a machine sent must not
/// open a ticket nor be answered, or two robots mail each other for ever.
fn automatic(
    header: &dyn Fn(&str) -> Option<String>,
    return_path: Option<&str>,
    from: &str,
    content_type: Option<&mail_parser::ContentType<'_>>,
) -> Option<Automatic> {
    let lower = |name: &str| header(name).map(|v| v.to_ascii_lowercase());
    if lower("Auto-Submitted").is_some_and(|v| v.split(';').next().map(str::trim) != Some("no")) {
        return Some(Automatic::AutoSubmitted);
    }
    let bounce_type = content_type.is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case("multipart")
            && c.subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let local = from.split('@').next().unwrap_or("").to_ascii_lowercase();
    // An empty envelope sender (`Return-Path: <>`) is how bounces travel.
    let null_sender = header("Return-Path").is_some_and(|v| v.trim() == "<>")
        || return_path.is_some_and(|r| r.trim().is_empty());
    if bounce_type || null_sender || local == "mailer-daemon" || local == "postmaster" {
        return Some(Automatic::Bounce);
    }
    if lower("Precedence").is_some_and(|v| matches!(v.trim(), "bulk" | "junk" | "list"))
        || lower("X-Autoreply").is_some_and(|v| v.trim() == "yes")
        || header("X-Autorespond").is_some()
    {
        return Some(Automatic::AutoReply);
    }
    None
}
