use serde::Deserialize;

use super::domain::{Consent, ContactInput, Lifecycle};
use crate::domain::EmailAddress;
use crate::i18n::{Locale, Message, key};
use crate::records::forms::{line, phone, tags};
use crate::web::forms::{FieldErrors, optional};

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct ContactForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub title: String,
    /// The company: matched to a visible account by name, or created.
    pub account_name: String,
    pub address: String,
    pub city: String,
    pub country: String,
    pub lifecycle: String,
    pub source: String,
    pub consent: String,
    /// Comma-separated.
    pub tags: String,
    /// Honoured only for users allowed to assign owners.
    pub owner_id: String,
    /// Ticked to save despite the duplicate-email warning.
    pub allow_duplicate: String,
    /// `en`, `zh-CN`, or empty (the workspace's).
    pub language: String,
}

impl ContactForm {
    /// Errors come back in `loc`'s language.
    pub fn validate(&self, loc: &Locale) -> Result<ContactInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = |e: &mut FieldErrors, field: &str, value: &str, max: usize| {
            line(loc, e, field, value, max)
        };
        let first_name = text(&mut e, "first_name", &self.first_name, 100).unwrap_or_default();
        let last_name = text(&mut e, "last_name", &self.last_name, 100).unwrap_or_default();
        if first_name.is_empty() && last_name.is_empty() {
            e.add_message("first_name", loc, Message::key(key("contacts-error-name")));
        }
        let email = match optional(&self.email) {
            None => None,
            Some(raw) => EmailAddress::parse(&raw)
                .map_err(|m| e.add_message("email", loc, Message::key(m.0)))
                .ok(),
        };
        let phone = phone(loc, &mut e, &self.phone);
        let title = text(&mut e, "title", &self.title, 100);
        let account_name = text(&mut e, "account_name", &self.account_name, 200);
        let address = text(&mut e, "address", &self.address, 300);
        let city = text(&mut e, "city", &self.city, 100);
        let country = text(&mut e, "country", &self.country, 100);
        let source = text(&mut e, "source", &self.source, 50);
        let lifecycle = match self.lifecycle.trim() {
            "" => Lifecycle::Prospect,
            s => Lifecycle::parse(s).unwrap_or_else(|| {
                e.add_message("lifecycle", loc, Message::key(key("contacts-error-stage")));
                Lifecycle::Prospect
            }),
        };
        let consent = match self.consent.trim() {
            "" => Consent::NeverAsked,
            s => Consent::parse(s).unwrap_or_else(|| {
                e.add_message("consent", loc, Message::key(key("contacts-error-consent")));
                Consent::NeverAsked
            }),
        };
        let tags = tags(loc, &mut e, &self.tags);
        let language = match self.language.trim() {
            "" => None,
            s => {
                let lang = crate::i18n::Lang::parse(s);
                if lang.is_none() {
                    e.add_message("language", loc, Message::key(key("quotes-error-language")));
                }
                lang
            }
        };
        e.into_result()?;
        Ok(ContactInput {
            first_name,
            last_name,
            email,
            phone,
            title,
            account_name,
            address,
            city,
            country,
            lifecycle,
            source,
            consent,
            tags,
            language,
        })
    }

    pub fn allow_duplicate(&self) -> bool {
        !self.allow_duplicate.trim().is_empty()
    }

    pub fn owner(&self) -> Option<i64> {
        self.owner_id.trim().parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(first: &str, last: &str, email: &str, phone: &str) -> ContactForm {
        ContactForm {
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            phone: phone.into(),
            ..ContactForm::default()
        }
    }

    #[test]
    fn requires_a_name_and_checks_fields() {
        let e = form("", " ", "", "")
            .validate(&Locale::default())
            .expect_err("no name");
        assert!(e.get("first_name").is_some());
        let e = form("Ada", "", "nope", "abc")
            .validate(&Locale::default())
            .expect_err("bad");
        assert!(e.get("email").is_some() && e.get("phone").is_some());
        let ok = form(" Ada ", "Lovelace", "ADA@Example.com", "+44 (20) 7946-0958")
            .validate(&Locale::default())
            .expect("valid");
        assert_eq!(ok.first_name, "Ada");
        assert_eq!(
            ok.email.map(|e| e.as_str().to_string()),
            Some("ada@example.com".into())
        );
        assert_eq!(
            (ok.lifecycle, ok.consent),
            (Lifecycle::Prospect, Consent::NeverAsked)
        );
        let e = form(&"x".repeat(101), "", "", "")
            .validate(&Locale::default())
            .expect_err("long");
        assert!(e.get("first_name").is_some());
        let bad = ContactForm {
            lifecycle: "vip".into(),
            consent: "maybe".into(),
            ..form("A", "", "", "")
        };
        let e = bad.validate(&Locale::default()).expect_err("bad enums");
        assert!(e.get("lifecycle").is_some() && e.get("consent").is_some());
    }
}
