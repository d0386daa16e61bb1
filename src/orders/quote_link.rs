//! A sent quote's public link and the email that carries it.
//!
//! Sending a quote gives it a random link key and a last valid day
//! (`domain::valid_until`); its link is a `signed` token for
//! `Purpose::QuoteView` bound to that key and expiring at the end of that
//! day, so an altered or expired link opens nothing, and withdrawing the
//! quote (which clears the key) revokes every link mailed before. The
//! message goes into the outbox in the transaction of the status change.

use askama::Template;
use chrono::NaiveDate;
use rand::RngCore;

use super::domain::link_expiry;
use super::repo::Order;
use crate::config::Config;
use crate::db::DbConn;
use crate::i18n::{Arg, Lang, Locale};
use crate::mail::{Email, MailError};
use crate::signed::{LinkError, Purpose, Signer, Unverified};

/// What making and mailing links needs from the configuration.
#[derive(Clone, Debug)]
pub struct QuoteMail {
    pub signer: Signer,
    pub base_url: String,
    pub from: String,
}

impl QuoteMail {
    pub fn new(config: &Config) -> QuoteMail {
        QuoteMail {
            signer: Signer::new(&config.secret_key),
            base_url: config.base_url.trim_end_matches('/').to_string(),
            from: config.mail_from.clone(),
        }
    }

    /// The token of document `id` under `key`, valid through `until`.
    pub fn token(&self, id: i64, key: &str, until: NaiveDate) -> String {
        self.signer.sign(
            Purpose::QuoteView,
            id,
            Some(link_expiry(until)),
            key.as_bytes(),
        )
    }

    /// The public address of a sent quote (None unless it has a link).
    pub fn url_of(&self, o: &Order) -> Option<String> {
        let (key, until) = (o.link_key.as_deref()?, o.valid_until?);
        Some(format!(
            "{}/q/{}",
            self.base_url,
            self.token(o.id.get(), key, until)
        ))
    }
}

/// A fresh link key (128 random bits, hex).
pub fn new_link_key() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// The document a token opens, checked against its current link key at
/// `now` (Unix seconds). Every refusal is None (the page answers 404).
pub fn open(
    c: &mut DbConn,
    signer: &Signer,
    token: &str,
    now: i64,
) -> diesel::QueryResult<Option<Order>> {
    let Ok(claim) = Unverified::parse(token) else {
        return Ok(None);
    };
    let Some(o) = super::repo::get_for_link(c, claim.id_to_look_up())? else {
        return Ok(None);
    };
    let Some(key) = o.link_key.clone() else {
        return Ok(None);
    };
    let checked: Result<i64, LinkError> =
        claim.verify(signer, Purpose::QuoteView, key.as_bytes(), now);
    Ok(checked.ok().map(|_| o))
}

/// The language the customer reads: the contact's, else the workspace's
/// (in the workspace's time zone).
pub fn customer_locale(c: &mut DbConn, o: &Order) -> diesel::QueryResult<Locale> {
    let workspace = crate::i18n::repo::workspace_locale(c)?;
    Ok(match o.contact_language.as_deref().and_then(Lang::parse) {
        Some(lang) => Locale::new(lang, workspace.tz),
        None => workspace,
    })
}

/// The message's two bodies (`templates/mail/quote.{txt,html}`).
#[derive(Template)]
#[template(path = "mail/quote.txt")]
struct QuoteText<'a> {
    m: &'a QuoteMessage<'a>,
}

#[derive(Template)]
#[template(path = "mail/quote.html")]
struct QuoteHtml<'a> {
    m: &'a QuoteMessage<'a>,
}

/// What the quote email says, in the customer's words.
pub struct QuoteMessage<'a> {
    pub locale: &'a Locale,
    pub number: &'a str,
    pub customer: String,
    pub company: &'a str,
    pub total: String,
    pub url: &'a str,
    pub valid_until: NaiveDate,
}

impl QuoteMessage<'_> {
    fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    fn greeting(&self) -> String {
        self.locale
            .t_str("quotes-mail-greeting", "name", &self.customer)
    }

    fn intro(&self) -> String {
        self.locale.t_args(
            "quotes-mail-intro",
            &[
                ("number", Arg::from(self.number)),
                ("total", Arg::from(self.total.as_str())),
            ],
        )
    }

    fn valid(&self) -> String {
        self.locale.t_str(
            "quotes-mail-valid",
            "date",
            &self.locale.day(self.valid_until),
        )
    }

    pub fn subject(&self) -> String {
        self.locale.t_args(
            "quotes-mail-subject",
            &[
                ("number", Arg::from(self.number)),
                ("company", Arg::from(self.company)),
            ],
        )
    }

    /// The message to `to`, text and HTML.
    pub fn email(&self, from: &str, to: &str) -> Result<Email, MailError> {
        let text = QuoteText { m: self }
            .render()
            .map_err(|e| MailError::Build(e.to_string()))?;
        let html = QuoteHtml { m: self }
            .render()
            .map_err(|e| MailError::Build(e.to_string()))?;
        Ok(Email::new(from, to, &self.subject(), text.replace('\n', "\r\n"))?.html(html))
    }
}
