//! The campaign editor's form: strings in, a `repo::Draft` out, or the
//! errors beside their fields (a header value with a line break is refused
//! beside its field; templates are parsed so a syntax error shows there).

use super::domain::{
    BodyFormat, CONCURRENCY_MAX, CampaignKind, EmailLayout, RATE_MAX, is_header_safe,
};
use super::render::Prepared;
use super::repo::{Campaign, Draft};
use crate::domain::EmailAddress;
use crate::i18n::Locale;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;

#[derive(Clone, Debug, Default)]
pub struct CampaignForm {
    pub name: String,
    pub segment_id: String,
    pub from_name: String,
    pub from_addr: String,
    pub reply_to: String,
    pub subject: String,
    pub body_format: String,
    pub body: String,
    pub rate_per_sec: String,
    pub concurrency: String,
    /// Checkboxes: `on` when ticked, empty when not.
    pub track_opens: String,
    pub track_clicks: String,
    pub layout: String,
    /// A checkbox: shown on the public archive once sent.
    pub in_archive: String,
    /// `CampaignKind`: a plain email or an NPS survey.
    pub kind: String,
    pub version: String,
}

/// The starting body of a new campaign (one of the layouts' samples).
pub const STARTER_BODY: &str =
    "Hello {{ contact.first_name }},\n\nWrite your message here.\n\n**Rapport**\n";

/// A checkbox's value for the form.
pub fn tick(on: bool) -> String {
    if on { "on".into() } else { String::new() }
}

impl CampaignForm {
    pub fn from_params(p: &Params) -> CampaignForm {
        let g = |k: &str, max: usize| p.get(k).chars().take(max).collect::<String>();
        CampaignForm {
            name: g("name", 300),
            segment_id: g("segment_id", 20),
            from_name: g("from_name", 300),
            from_addr: g("from_addr", 500),
            reply_to: g("reply_to", 500),
            subject: g("subject", 600),
            body_format: g("body_format", 20),
            body: g("body", 200_000),
            rate_per_sec: g("rate_per_sec", 12),
            concurrency: g("concurrency", 12),
            track_opens: g("track_opens", 4),
            track_clicks: g("track_clicks", 4),
            layout: g("layout", 20),
            in_archive: g("in_archive", 4),
            kind: g("kind", 10),
            version: g("version", 12),
        }
    }

    pub fn of(c: &Campaign) -> CampaignForm {
        CampaignForm {
            name: c.name.clone(),
            segment_id: c.segment_id.map(|s| s.to_string()).unwrap_or_default(),
            from_name: c.from_name.clone(),
            from_addr: c.from_addr.clone(),
            reply_to: c.reply_to.clone().unwrap_or_default(),
            subject: c.subject.clone(),
            body_format: c.body_format.clone(),
            body: c.body.clone(),
            rate_per_sec: c.rate_per_sec.to_string(),
            concurrency: c.concurrency.to_string(),
            track_opens: tick(c.track_opens),
            track_clicks: tick(c.track_clicks),
            layout: c.layout.clone(),
            in_archive: tick(c.in_archive),
            kind: c.kind.clone(),
            version: c.version.to_string(),
        }
    }

    /// The draft, if every field holds; `senders` are the addresses a
    /// campaign may be sent from.
    pub fn draft(&self, senders: &[String], l: &Locale) -> Result<Draft, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 200 {
            e.add("name", l.t("campaigns-name-required"));
        }
        let segment_id = match self.segment_id.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    e.add("segment_id", l.t("campaigns-bad-choice"));
                    None
                }
            },
        };
        let sender = check_sender(
            &mut e,
            l,
            senders,
            [&self.from_name, &self.from_addr, &self.reply_to],
        );
        let message = check_message(&mut e, l, &self.subject, &self.body_format, &self.body);
        let number =
            |field: &str, raw: &str, min: i32, max: i32, default: i32, e: &mut FieldErrors| {
                match raw.trim() {
                    "" => default,
                    r => match r.parse::<i32>() {
                        Ok(n) if (min..=max).contains(&n) => n,
                        _ => {
                            e.add(field, l.t("campaigns-bad-number"));
                            default
                        }
                    },
                }
            };
        let rate_per_sec = number("rate_per_sec", &self.rate_per_sec, 0, RATE_MAX, 0, &mut e);
        let concurrency = number(
            "concurrency",
            &self.concurrency,
            1,
            CONCURRENCY_MAX,
            4,
            &mut e,
        );
        let layout = match self.layout.trim() {
            "" => EmailLayout::Card,
            raw => EmailLayout::parse(raw).unwrap_or_else(|| {
                e.add("layout", l.t("campaigns-bad-choice"));
                EmailLayout::Card
            }),
        };
        let kind = match self.kind.trim() {
            "" => CampaignKind::Email,
            raw => CampaignKind::parse(raw).unwrap_or_else(|| {
                e.add("kind", l.t("campaigns-bad-choice"));
                CampaignKind::Email
            }),
        };
        e.into_result()?;
        let Sender {
            from_name,
            from_addr,
            reply_to,
        } = sender;
        let Message {
            subject,
            body_format,
            body,
        } = message;
        Ok(Draft {
            name,
            segment_id,
            from_name,
            from_addr,
            reply_to,
            subject,
            body_format,
            body,
            rate_per_sec,
            concurrency,
            track_opens: !self.track_opens.is_empty(),
            track_clicks: !self.track_clicks.is_empty(),
            layout,
            in_archive: !self.in_archive.is_empty(),
            kind,
        })
    }

    pub fn version(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }
}

pub(super) fn header_error(e: &mut FieldErrors, l: &Locale, field: &str, value: &str) {
    if !is_header_safe(value) {
        e.add(field, l.t("campaigns-line-break"));
    }
}

/// Who a message comes from, checked.
#[derive(Debug, Clone)]
pub struct Sender {
    pub from_name: String,
    pub from_addr: String,
    pub reply_to: Option<String>,
}

/// Checks the sender fields `[from_name, from_addr, reply_to]` (errors
/// under those names): no line breaks, an address of `senders`, a valid
/// reply-to. Shared by the campaign editor and the welcome series'.
pub fn check_sender(
    e: &mut FieldErrors,
    l: &Locale,
    senders: &[String],
    [from_name, from_addr, reply_to]: [&str; 3],
) -> Sender {
    header_error(e, l, "from_name", from_name);
    let from_name = from_name.trim().to_string();
    if from_name.chars().count() > 200 {
        e.add("from_name", l.t("campaigns-too-long"));
    }
    let from_addr = from_addr.trim().to_lowercase();
    if !senders.contains(&from_addr) {
        e.add("from_addr", l.t("campaigns-sender-unknown"));
    }
    header_error(e, l, "reply_to", reply_to);
    let reply_to = match reply_to.trim() {
        "" => None,
        r => match EmailAddress::parse(r) {
            Ok(a) => Some(a.as_str().to_string()),
            Err(_) => {
                if e.get("reply_to").is_none() {
                    e.add("reply_to", l.t("campaigns-bad-email"));
                }
                None
            }
        },
    };
    Sender {
        from_name,
        from_addr,
        reply_to,
    }
}

/// A message's subject and body, checked.
#[derive(Debug, Clone)]
pub struct Message {
    pub subject: String,
    pub body_format: BodyFormat,
    pub body: String,
}

/// Checks a subject and body (errors under `subject` and `body`): no line
/// break in the subject, both present, and both templates parse (a syntax
/// error shows beside its field).
pub fn check_message(
    e: &mut FieldErrors,
    l: &Locale,
    subject: &str,
    body_format: &str,
    body: &str,
) -> Message {
    header_error(e, l, "subject", subject);
    let subject = subject.trim().to_string();
    if (subject.is_empty() || subject.chars().count() > 500) && e.get("subject").is_none() {
        e.add("subject", l.t("campaigns-subject-required"));
    }
    let body_format = BodyFormat::parse(body_format).unwrap_or(BodyFormat::Markdown);
    if body.trim().is_empty() {
        e.add("body", l.t("campaigns-body-required"));
    }
    if e.get("subject").is_none()
        && e.get("body").is_none()
        && let Err(err) = Prepared::new(&subject, body_format, body)
    {
        e.add(
            err.field,
            l.t_str("campaigns-template-error", "error", &err.message),
        );
    }
    Message {
        subject,
        body_format,
        body: body.replace("\r\n", "\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> CampaignForm {
        let mut all = vec![
            ("name", "Spring"),
            ("from_addr", "news@x.example"),
            ("subject", "Hi {{ contact.first_name }}"),
            ("body", "Hello"),
            ("body_format", "markdown"),
        ];
        for (k, v) in pairs {
            all.retain(|(f, _)| f != k);
            all.push((k, v));
        }
        CampaignForm::from_params(&Params(
            all.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ))
    }

    #[test]
    fn a_good_form_is_a_draft() {
        let d = form(&[])
            .draft(&["news@x.example".into()], &Locale::default())
            .unwrap();
        assert_eq!(d.concurrency, 4);
        assert_eq!(d.rate_per_sec, 0);
    }

    #[test]
    fn line_breaks_in_headers_are_refused_beside_the_field() {
        let senders = ["news@x.example".to_string()];
        let mut f = form(&[]);
        f.subject = "Hi\r\nBcc: all@x.example".into();
        f.from_name = "A\nB".into();
        f.reply_to = "a@x.example\r\nCc: b@x.example".into();
        let e = f.draft(&senders, &Locale::default()).unwrap_err();
        for field in ["subject", "from_name", "reply_to"] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn unknown_senders_and_template_errors_are_refused() {
        let e = form(&[("from_addr", "boss@evil.example")])
            .draft(&["news@x.example".into()], &Locale::default())
            .unwrap_err();
        assert!(e.get("from_addr").is_some());
        let mut f = form(&[]);
        f.body = "{% for %}".into();
        let e = f
            .draft(&["news@x.example".into()], &Locale::default())
            .unwrap_err();
        assert!(e.get("body").is_some());
    }
}
