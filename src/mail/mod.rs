//! Outgoing mail through lettre: SMTP when `RAPPORT_SMTP_URL` is set, else
//! `.eml` files in `<data>/mail` (zero setup; open them with any mail client).
//! Campaigns and ticket replies will send through an outbox worker built on
//! this; today it serves `rapport send-test-email`, which checks a setup.

use std::path::PathBuf;

use lettre::message::{Mailbox, Message, header::ContentType};
use lettre::{FileTransport, SmtpTransport, Transport};

use crate::config::Config;

pub enum Mailer {
    Smtp(Box<SmtpTransport>),
    File(FileTransport, PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("RAPPORT_SMTP_URL is not usable: {0}")]
    Config(String),
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("sending failed: {0}")]
    Send(String),
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, MailError> {
        match &config.smtp_url {
            Some(url) => {
                let transport = SmtpTransport::from_url(url)
                    .map_err(|e| MailError::Config(e.to_string()))?
                    .build();
                Ok(Mailer::Smtp(Box::new(transport)))
            }
            None => {
                let dir = config.data_dir.join("mail");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| MailError::Config(format!("{}: {e}", dir.display())))?;
                Ok(Mailer::File(FileTransport::new(&dir), dir))
            }
        }
    }

    /// Where mail goes, for humans ("smtp" or the folder).
    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp(_) => "SMTP (RAPPORT_SMTP_URL)".into(),
            Mailer::File(_, dir) => format!(".eml files in {}", dir.display()),
        }
    }

    pub fn send(&self, message: &Message) -> Result<(), MailError> {
        match self {
            Mailer::Smtp(t) => t
                .send(message)
                .map(|_| ())
                .map_err(|e| MailError::Send(e.to_string())),
            Mailer::File(t, _) => t
                .send(message)
                .map(|_| ())
                .map_err(|e| MailError::Send(e.to_string())),
        }
    }
}

fn mailbox(raw: &str) -> Result<Mailbox, MailError> {
    raw.parse().map_err(|_| MailError::Address(raw.to_string()))
}

/// A short plain-text message proving the mail setup works end to end.
pub fn test_message(config: &Config, to: &str) -> Result<Message, MailError> {
    Message::builder()
        .from(mailbox(&config.mail_from)?)
        .to(mailbox(to)?)
        .subject("Rapport test email")
        .header(ContentType::TEXT_PLAIN)
        .body(format!(
            "This is a test email from Rapport at {}.\r\nIf you can read it, outgoing mail works.\r\n",
            config.base_url
        ))
        .map_err(|e| MailError::Build(e.to_string()))
}
