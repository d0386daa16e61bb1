//! Outgoing mail through lettre: SMTP (pooled connections) when
//! `RAPPORT_SMTP_URL` is set, else `.eml` files in `<data>/mail` (zero setup;
//! open them with any mail client). Nothing sends directly: messages go into
//! the `outbox` in the transaction of the change that caused them, and the
//! job workers deliver them.

pub mod bench;
pub mod dkim;
pub mod files;
pub mod inbound;
pub mod outbox;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::PoolConfig;
use lettre::{FileTransport, SmtpTransport, Transport as _};

use crate::config::Config;
use crate::db::DbConn;
use crate::i18n::Locale;

pub use outbox::Email;

/// How long one SMTP conversation may stall before the send fails (and is retried).
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// SMTP connections one instance may hold.
const POOL_MAX: u32 = 2 * outbox::SENDERS as u32
    + crate::campaigns::engine::LANES * crate::campaigns::domain::CONCURRENCY_MAX as u32;

/// Cheap to clone: clones share the SMTP connection pool.
#[derive(Clone)]
pub struct Mailer {
    transport: Carrier,
    /// Signs every message when a DKIM key is configured (`dkim`).
    dkim: Option<Arc<lettre::message::dkim::DkimConfig>>,
}

#[derive(Clone)]
enum Carrier {
    Smtp(Box<SmtpTransport>),
    File(FileTransport, PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("RAPPORT_SMTP_URL is not usable: {0}")]
    Config(String),
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("invalid header {0:?}")]
    Header(String),
    #[error("could not build the message: {0}")]
    Build(String),
    /// Worth trying again later (connection refused, timeout, 4xx).
    #[error("sending failed: {0}")]
    Send(String),
    /// The server refused the message for good (5xx).
    #[error("the mail server refused the message: {0}")]
    Rejected(String),
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, MailError> {
        let dkim = match &config.dkim {
            Some(s) => Some(Arc::new(
                dkim::load(s, &config.mail_from).map_err(MailError::Config)?,
            )),
            None => None,
        };
        let transport = match &config.smtp_url {
            Some(url) => {
                let transport = SmtpTransport::from_url(url)
                    .map_err(|e| MailError::Config(e.to_string()))?
                    .timeout(Some(SMTP_TIMEOUT))
                    // Room for every sender of two outbox workers (outbox::SENDERS)
                    // and of every campaign lane at its highest concurrency;
                    // connections open only when used.
                    .pool_config(PoolConfig::new().max_size(POOL_MAX))
                    .build();
                Carrier::Smtp(Box::new(transport))
            }
            None => {
                let dir = config.data_dir.join("mail");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| MailError::Config(format!("{}: {e}", dir.display())))?;
                Carrier::File(FileTransport::new(&dir), dir)
            }
        };
        Ok(Mailer { transport, dkim })
    }

    /// Where mail goes, for humans ("smtp" or the folder).
    pub fn describe(&self) -> String {
        let signed = if self.dkim.is_some() {
            ", DKIM-signed"
        } else {
            ""
        };
        match &self.transport {
            Carrier::Smtp(_) => format!("SMTP (RAPPORT_SMTP_URL){signed}"),
            Carrier::File(_, dir) => format!(".eml files in {}{signed}", dir.display()),
        }
    }

    /// Sends now; only the outbox worker calls this.
    pub fn send(&self, message: &Message) -> Result<(), MailError> {
        let signed;
        let message = match &self.dkim {
            Some(dkim) => {
                let mut m = message.clone();
                m.sign(dkim);
                signed = m;
                &signed
            }
            None => message,
        };
        match &self.transport {
            Carrier::Smtp(t) => t.send(message).map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    MailError::Rejected(e.to_string())
                } else {
                    MailError::Send(e.to_string())
                }
            }),
            Carrier::File(t, _) => t
                .send(message)
                .map(|_| ())
                .map_err(|e| MailError::Send(e.to_string())),
        }
    }
}

pub(crate) fn mailbox(raw: &str) -> Result<Mailbox, MailError> {
    raw.parse().map_err(|_| MailError::Address(raw.to_string()))
}

/// A short plain-text message proving the mail setup works end to end, in
/// `locale`'s language (the recipient's if they are a user, else the
/// workspace's: `recipient_locale`).
pub fn test_message(config: &Config, to: &str, locale: &Locale) -> Result<Email, MailError> {
    let body = locale.t_str("mail-test-body", "url", &config.base_url);
    Email::new(
        &config.mail_from,
        to,
        &locale.t("mail-test-subject"),
        format!("{}\r\n", body.replace('\n', "\r\n")),
    )
}

/// The language a message to `to` is written in: the user's with that
/// address, else the workspace's.
pub fn recipient_locale(conn: &mut DbConn, to: &str) -> diesel::QueryResult<Locale> {
    let address = mailbox(to).ok().map(|m| m.email.to_string().to_lowercase());
    let user = match address {
        Some(a) => crate::staff::repo::find_by_email(conn, &a)?,
        None => None,
    };
    match user {
        Some(u) => crate::i18n::repo::user_locale(conn, u.id.get()),
        None => crate::i18n::repo::workspace_locale(conn),
    }
}
