//! Language, time zone and formats for whoever is looking.
//!
//! Messages live in Fluent catalogues (`locales/<lang>/*.ftl`, embedded in the
//! binary); a `Locale` (language + IANA time zone) travels with every page
//! through `Chrome` (or a `locale` field on public pages) and templates call
//! `locale.t(…)` with a message key. See docs/i18n.md.

mod catalogue;
#[cfg(test)]
mod check;
pub mod format;
pub mod negotiate;
pub mod repo;
mod stored;

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

pub use catalogue::Arg;
pub use stored::{StoredArg, StoredMessage};

/// The languages Rapport speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// BCP 47 tag: stored in the database and written to `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == s)
    }

    /// The language's own name ("English", "简体中文").
    pub fn name(self) -> String {
        Locale::new(self, Tz::UTC).t(&format!("language-{}", self.code()))
    }
}

/// Parses an IANA time zone name ("Asia/Shanghai").
pub fn parse_zone(s: &str) -> Option<Tz> {
    s.parse::<Tz>().ok()
}

/// Marks a message key written outside a `t(…)` call, so the catalogue
/// check (i18n::check) sees it: `key("flash-settings-saved")`.
pub const fn key(k: &'static str) -> &'static str {
    k
}

/// A stored name that is a catalogue key (see `Locale::stored_name`).
pub fn is_stored_key(name: &str) -> bool {
    name.contains('-') && !name.contains(' ') && catalogue::has(name)
}

/// Who is looking: their language and time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locale {
    pub lang: Lang,
    pub tz: Tz,
}

impl Default for Locale {
    fn default() -> Self {
        Locale::new(Lang::En, Tz::UTC)
    }
}

impl Locale {
    pub fn new(lang: Lang, tz: Tz) -> Locale {
        Locale { lang, tz }
    }

    pub fn html_lang(&self) -> &'static str {
        self.lang.code()
    }

    /// The message `key` in this language.
    pub fn t(&self, key: &str) -> String {
        catalogue::lookup(self.lang, key, &[])
    }

    /// The message `key` with arguments (`{ $minutes }`, plural selectors).
    pub fn t_args(&self, key: &str, args: &[(&'static str, Arg)]) -> String {
        catalogue::lookup(self.lang, key, args)
    }

    /// The message `key` with one numeric argument, for templates.
    pub fn t_num(&self, key: &str, name: &'static str, value: i64) -> String {
        self.t_args(key, &[(name, Arg::Num(value))])
    }

    /// The message `key` with one text argument, for templates.
    pub fn t_str(&self, key: &str, name: &'static str, value: &str) -> String {
        self.t_args(key, &[(name, Arg::Text(value.to_string()))])
    }

    /// A label that is a message key, or data shown as it is (a list
    /// label that is a name): shared macros take either.
    pub fn text(&self, key_or_text: &str) -> String {
        if catalogue::has(key_or_text) {
            self.t(key_or_text)
        } else {
            key_or_text.to_string()
        }
    }

    /// A name an admin may change that a migration stored as a catalogue
    /// key (the default pipeline's stages, say): in this language until it
    /// is renamed; any other name unchanged.
    pub fn stored_name(&self, name: &str) -> String {
        if is_stored_key(name) {
            self.t(name)
        } else {
            name.to_string()
        }
    }

    /// A whole number with digit grouping ("1,234").
    pub fn number(&self, n: impl AsValue<i64>) -> String {
        format::number(self.lang, n.value())
    }

    /// A flash message as stored in the session: a marked key, or text
    /// already in the words of whoever set it.
    pub fn flash(&self, stored: &str) -> String {
        match stored.strip_prefix(FLASH_KEY_MARK) {
            Some(k) => self.t(k),
            None => stored.to_string(),
        }
    }

    /// A stored UTC time as date and time in this zone and language.
    pub fn datetime(&self, utc: impl AsValue<NaiveDateTime>) -> String {
        format::datetime(self.lang, self.tz, utc.value())
    }

    /// A stored UTC time as the date it is in this zone.
    pub fn date(&self, utc: impl AsValue<NaiveDateTime>) -> String {
        format::date(self.lang, self.tz, utc.value())
    }

    /// A calendar date (due dates) in this language.
    pub fn day(&self, d: impl AsValue<NaiveDate>) -> String {
        format::day(self.lang, d.value())
    }

    /// ISO 8601 with offset, for `<time datetime>`.
    pub fn iso(&self, utc: impl AsValue<NaiveDateTime>) -> String {
        format::iso(self.tz, utc.value())
    }

    /// Today's date in this zone.
    pub fn today(&self) -> NaiveDate {
        format::today_in(self.tz, chrono::Utc::now())
    }

    /// Minor units of `currency` (ISO 4217), formatted for this language.
    pub fn money(&self, minor: impl AsValue<i64>, currency: &str) -> String {
        format::money(self.lang, minor.value(), currency)
    }

    pub fn zone(&self) -> &'static str {
        self.tz.name()
    }
}

/// Why a value is refused, as a message key: shared validators return it
/// and the page puts it into the viewer's words (`Invalid::text`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid(pub &'static str);

impl Invalid {
    pub fn text(self, locale: &Locale) -> String {
        locale.t(self.0)
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(&Locale::default()))
    }
}

/// A message to be put into words later, in the language of whoever sees it
/// (error pages are rendered by the request frame, far from the handler).
#[derive(Clone, Debug)]
pub enum Message {
    Key(&'static str, Vec<(&'static str, Arg)>),
}

impl Message {
    /// A message without arguments.
    pub fn key(k: &'static str) -> Message {
        Message::Key(k, Vec::new())
    }
}

impl Locale {
    pub fn message(&self, m: &Message) -> String {
        let Message::Key(k, args) = m;
        self.t_args(k, args)
    }
}

/// A date or time, or a reference to one however deep: templates pass
/// `&&NaiveDateTime` from loops and `if let`.
pub trait AsValue<T> {
    fn value(&self) -> T;
}

impl AsValue<NaiveDateTime> for NaiveDateTime {
    fn value(&self) -> NaiveDateTime {
        *self
    }
}

impl AsValue<i64> for i64 {
    fn value(&self) -> i64 {
        *self
    }
}

impl AsValue<NaiveDate> for NaiveDate {
    fn value(&self) -> NaiveDate {
        *self
    }
}

impl<T, V: AsValue<T> + ?Sized> AsValue<T> for &V {
    fn value(&self) -> T {
        (**self).value()
    }
}

const FLASH_KEY_MARK: &str = "\u{1}i18n:";

const SESSION_LOCALE: &str = "locale";

/// Keeps the signed-in user's locale in their session cookie, so pages that
/// load no user (an unknown address's 404) still speak their language.
/// Written only when it changed.
pub fn remember(session: &actix_session::Session, locale: Locale) {
    let value = format!("{} {}", locale.lang.code(), locale.tz.name());
    if session
        .get::<String>(SESSION_LOCALE)
        .ok()
        .flatten()
        .as_deref()
        != Some(&value)
    {
        // Cosmetic: a failure only means the browser's language is used there.
        let _ = session.insert(SESSION_LOCALE, value);
    }
}

/// The locale `remember` kept, as `recall` found it in the session.
#[derive(Clone, Copy, Debug)]
pub struct Remembered(pub Locale);

/// Middleware just inside the session layer: copies the remembered locale
/// into the request, where the request frame finds it after the session
/// layer has finished (and taken its state away).
pub async fn recall(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_session::SessionExt;
    use actix_web::HttpMessage;
    let value = req
        .get_session()
        .get::<String>(SESSION_LOCALE)
        .ok()
        .flatten();
    let locale = value.as_deref().and_then(|v| {
        let (lang, zone) = v.split_once(' ')?;
        Some(Locale::new(Lang::parse(lang)?, parse_zone(zone)?))
    });
    if let Some(l) = locale {
        req.extensions_mut().insert(Remembered(l));
    }
    next.call(req).await
}

/// Sets a flash message by key; it is translated when shown, in the
/// language of the page that shows it.
pub fn set_flash(session: &actix_session::Session, key: &'static str) {
    crate::web::session::set_flash(session, format!("{FLASH_KEY_MARK}{key}"));
}
