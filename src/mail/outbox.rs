//! The mail outbox: `enqueue` stores a message (with an `email` job) in the
//! caller's transaction, so it exists exactly when the change that caused it
//! was committed; a job worker delivers it later with `deliver`, outside any
//! transaction, retried with back-off while the server is unreachable. The
//! job's status is the message's status.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use rand::Rng;

use super::{MailError, Mailer, mailbox};
use crate::db::schema::{jobs, mail_outbox};
use crate::db::{DbConn, now};
use crate::jobs::{Job, JobError, JobKind};

/// Headers the message sets itself; `Email::header` refuses them.
const OWN_HEADERS: [&str; 8] = [
    "from",
    "to",
    "subject",
    "message-id",
    "date",
    "content-type",
    "content-transfer-encoding",
    "mime-version",
];

const ADDRESS_MAX_CHARS: usize = 400;
const SUBJECT_MAX_CHARS: usize = 500;

/// A message ready for the outbox; addresses and headers already checked.
#[derive(Clone, Debug)]
pub struct Email {
    from: String,
    to: String,
    subject: String,
    text: String,
    html: Option<String>,
    headers: Vec<(String, String)>,
    message_id: String,
}

impl Email {
    pub fn new(
        from: &str,
        to: &str,
        subject: &str,
        text: impl Into<String>,
    ) -> Result<Email, MailError> {
        let sender = mailbox(from)?;
        mailbox(to)?;
        // The outbox columns' sizes (MySQL VARCHAR(400) / VARCHAR(500)).
        for address in [from, to] {
            if address.chars().count() > ADDRESS_MAX_CHARS {
                return Err(MailError::Address(address.to_string()));
            }
        }
        if subject.contains(['\r', '\n']) || subject.chars().count() > SUBJECT_MAX_CHARS {
            return Err(MailError::Header("Subject".into()));
        }
        Ok(Email {
            from: from.to_string(),
            to: to.to_string(),
            subject: subject.to_string(),
            text: text.into(),
            html: None,
            headers: Vec::new(),
            message_id: new_message_id(&sender),
        })
    }

    /// An HTML alternative to the text body.
    pub fn html(mut self, html: impl Into<String>) -> Email {
        self.html = Some(html.into());
        self
    }

    /// A further header (`List-Unsubscribe`, `In-Reply-To` …).
    pub fn header(mut self, name: &str, value: &str) -> Result<Email, MailError> {
        let token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if !token
            || OWN_HEADERS.contains(&name.to_ascii_lowercase().as_str())
            || value.contains(['\r', '\n'])
        {
            return Err(MailError::Header(name.to_string()));
        }
        self.headers.push((name.to_string(), value.to_string()));
        Ok(self)
    }

    pub fn message_id(&self) -> &str {
        &self.message_id
    }
}

/// `<random@sender's domain>`, unique without asking the database.
fn new_message_id(sender: &Mailbox) -> String {
    let bytes: [u8; 16] = rand::thread_rng().r#gen();
    format!("<{}@{}>", hex::encode(bytes), sender.email.domain())
}

/// Stores the message and its delivery job on the caller's connection: call
/// it inside the write transaction of the change that causes the message.
/// Returns the job's id.
pub fn enqueue(conn: &mut DbConn, email: &Email) -> QueryResult<i64> {
    let job = crate::jobs::enqueue(conn, JobKind::Email, &serde_json::json!({}))?;
    let headers = serde_json::to_string(&email.headers)
        .map_err(|e| diesel::result::Error::SerializationError(e.into()))?;
    diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::job_id.eq(job),
            mail_outbox::message_id.eq(&email.message_id),
            mail_outbox::from_addr.eq(&email.from),
            mail_outbox::to_addr.eq(&email.to),
            mail_outbox::subject.eq(&email.subject),
            mail_outbox::text_body.eq(&email.text),
            mail_outbox::html_body.eq(email.html.as_deref()),
            mail_outbox::headers.eq(headers),
            mail_outbox::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(job)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = mail_outbox)]
struct Stored {
    message_id: String,
    from_addr: String,
    to_addr: String,
    subject: String,
    text_body: String,
    html_body: Option<String>,
    headers: String,
}

impl Stored {
    fn message(self) -> Result<Message, MailError> {
        let mut b = Message::builder()
            .from(mailbox(&self.from_addr)?)
            .to(mailbox(&self.to_addr)?)
            .subject(self.subject)
            .message_id(Some(self.message_id));
        let headers: Vec<(String, String)> =
            serde_json::from_str(&self.headers).map_err(|e| MailError::Build(e.to_string()))?;
        for (name, value) in headers {
            let name =
                HeaderName::new_from_ascii(name).map_err(|e| MailError::Header(e.to_string()))?;
            b = b.raw_header(HeaderValue::new(name, value));
        }
        match self.html_body {
            Some(html) => b.multipart(MultiPart::alternative_plain_html(self.text_body, html)),
            None => b.header(ContentType::TEXT_PLAIN).body(self.text_body),
        }
        .map_err(|e| MailError::Build(e.to_string()))
    }
}

/// Messages of one batch in flight at once. lettre writes the final
/// `.` of a message in a packet of its own on a socket without TCP_NODELAY,
/// so each message on one connection waits out the server's delayed ACK
/// (40 ms on Linux): throughput comes from several pooled connections.
pub const SENDERS: usize = 16;

/// The `email` jobs of a batch: their messages read in one query, then sent
/// by `SENDERS` threads over the pooled SMTP connections. No transaction is
/// open while the server is talked to; the runner records the results.
pub fn deliver(mailer: &Mailer, conn: &mut DbConn, batch: &[Job]) -> Vec<Result<(), JobError>> {
    let ids: Vec<i64> = batch.iter().map(|j| j.id).collect();
    let mut stored: HashMap<i64, Stored> = match mail_outbox::table
        .filter(mail_outbox::job_id.eq_any(&ids))
        .select((mail_outbox::job_id, Stored::as_select()))
        .load::<(i64, Stored)>(conn)
    {
        Ok(rows) => rows.into_iter().collect(),
        Err(e) => {
            let e = JobError::from(e);
            return batch.iter().map(|_| Err(e.clone())).collect();
        }
    };
    let messages: Vec<Result<Message, JobError>> = batch
        .iter()
        .map(|job| {
            stored
                .remove(&job.id)
                .ok_or_else(|| JobError::Fatal("the message is no longer in the outbox".into()))?
                .message()
                .map_err(|e| JobError::Fatal(e.to_string()))
        })
        .collect();
    let results: Vec<OnceLock<Result<(), JobError>>> =
        messages.iter().map(|_| OnceLock::new()).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..SENDERS.min(messages.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(message) = messages.get(i) else {
                        break;
                    };
                    let sent = message.as_ref().map_err(Clone::clone).and_then(|m| {
                        mailer.send(m).map_err(|e| match e {
                            MailError::Rejected(_) => JobError::Fatal(e.to_string()),
                            other => JobError::Retry(other.to_string()),
                        })
                    });
                    let _ = results[i].set(sent);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|r| {
            r.into_inner()
                .unwrap_or_else(|| Err(JobError::Retry("not sent".into())))
        })
        .collect()
}

/// A message as the admin page lists it, with its delivery status.
#[derive(Queryable, Debug)]
pub struct OutboxRow {
    pub id: i64,
    pub job_id: i64,
    pub to_addr: String,
    pub subject: String,
    pub created_at: NaiveDateTime,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
}

/// Newest first.
pub fn recent(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    mail_outbox::table
        .inner_join(jobs::table)
        .order((mail_outbox::created_at.desc(), mail_outbox::id.desc()))
        .limit(limit)
        .select((
            mail_outbox::id,
            mail_outbox::job_id,
            mail_outbox::to_addr,
            mail_outbox::subject,
            mail_outbox::created_at,
            jobs::status,
            jobs::attempts,
            jobs::last_error,
        ))
        .load(conn)
}
