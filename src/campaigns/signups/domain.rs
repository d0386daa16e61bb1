//! Sign-up forms and sign-ups: the vocabulary and the rules of the admin
//! form (pure, unit-tested).

use crate::i18n::{Lang, Locale};
use crate::web::forms::FieldErrors;
use crate::web::list::Params;

crate::text_enum! {
    /// A sign-up waits for its mailed link, then is confirmed (once).
    pub enum SignupState {
        Pending = "pending",
        Confirmed = "confirmed",
    }
}

/// How long a confirmation link opens its sign-up.
pub const CONFIRM_DAYS: i64 = 7;

/// Slugs the public routes use themselves.
const RESERVED_SLUGS: [&str; 1] = ["confirm"];

pub const TITLE_MAX: usize = 200;
pub const INTRO_MAX: usize = 4_000;
pub const SLUG_MAX: usize = 60;

/// A slug as typed: lower-case letters, digits and single hyphens inside.
pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= SLUG_MAX
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && !RESERVED_SLUGS.contains(&s)
}

/// The admin form as typed (strings), kept to re-render it.
#[derive(Clone, Debug, Default)]
pub struct SignupFormInput {
    pub title: String,
    pub intro: String,
    pub slug: String,
    pub segment_id: String,
    pub tag: String,
    pub language: String,
    pub version: String,
}

/// A valid form, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignupFormDraft {
    pub title: String,
    pub intro: String,
    pub slug: String,
    pub segment_id: Option<i64>,
    pub tag: Option<String>,
    pub language: Lang,
}

fn clip(p: &Params, key: &str, max: usize) -> String {
    p.get(key).chars().take(max + 1).collect()
}

impl SignupFormInput {
    pub fn from_params(p: &Params) -> SignupFormInput {
        SignupFormInput {
            title: clip(p, "title", TITLE_MAX),
            intro: clip(p, "intro", INTRO_MAX),
            slug: clip(p, "slug", SLUG_MAX),
            segment_id: clip(p, "segment_id", 20),
            tag: clip(p, "tag", crate::tags::MAX_TAG_CHARS),
            language: clip(p, "language", 10),
            version: clip(p, "version", 12),
        }
    }

    pub fn version(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }

    /// The draft, or the errors beside their fields. Whether the segment
    /// exists and is a static list, and whether the slug is free, the
    /// handler asks the database.
    pub fn draft(&self, locale: &Locale) -> Result<SignupFormDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", locale.t("campaigns-public-error-title"));
        } else if title.chars().count() > TITLE_MAX || title.chars().any(char::is_control) {
            errors.add("title", locale.t("campaigns-public-error-title-long"));
        }
        if self.intro.chars().count() > INTRO_MAX {
            errors.add("intro", locale.t("campaigns-public-error-intro-long"));
        }
        let slug = self.slug.trim().to_string();
        if !valid_slug(&slug) {
            errors.add("slug", locale.t("campaigns-public-error-slug"));
        }
        let segment_id = match self.segment_id.trim() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.add("segment_id", locale.t("campaigns-public-error-list"));
                    None
                }
            },
        };
        let tag = match crate::tags::parse(self.tag.trim()) {
            Ok(mut tags) if tags.len() <= 1 => tags.pop(),
            Ok(_) => {
                errors.add("tag", locale.t("campaigns-public-error-one-tag"));
                None
            }
            Err(m) => {
                errors.add_message("tag", locale, m);
                None
            }
        };
        if segment_id.is_none() && tag.is_none() && errors.get("segment_id").is_none() {
            errors.add("segment_id", locale.t("campaigns-public-error-target"));
        }
        let language = Lang::parse(self.language.trim());
        if language.is_none() {
            errors.add("language", locale.t("campaigns-public-error-language"));
        }
        errors.into_result()?;
        Ok(SignupFormDraft {
            title: title.to_string(),
            // Browsers send a textarea's lines with CR LF.
            intro: self.intro.replace("\r\n", "\n").trim().to_string(),
            slug,
            segment_id,
            tag,
            language: language.unwrap_or_default(),
        })
    }
}

/// What a visitor typed on the public page.
#[derive(Clone, Debug, Default)]
pub struct SignupInput {
    pub name: String,
    pub email: String,
    pub consent: bool,
}

impl SignupInput {
    pub fn from_params(p: &Params) -> SignupInput {
        SignupInput {
            name: p.text("name", 200).unwrap_or_default(),
            email: p.get("email").trim().chars().take(300).collect(),
            consent: !p.get("consent").is_empty(),
        }
    }

    /// The normalised address, or the errors beside their fields.
    pub fn check(&self, locale: &Locale) -> Result<crate::domain::EmailAddress, FieldErrors> {
        let mut errors = FieldErrors::new();
        let address = crate::domain::EmailAddress::parse(&self.email);
        if let Err(e) = &address {
            errors.add("email", e.text(locale));
        }
        if self.name.chars().any(char::is_control) {
            errors.add("name", locale.t("campaigns-public-error-name"));
        }
        if !self.consent {
            errors.add("consent", locale.t("campaigns-public-error-consent"));
        }
        match address {
            Ok(a) if errors.is_empty() => Ok(a),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs)
    }

    #[test]
    fn slugs_are_plain_lower_case_words() {
        for ok in ["news", "spring-2027", "a", "x1-y2"] {
            assert!(valid_slug(ok), "{ok}");
        }
        for bad in [
            "", "News", "-news", "news-", "a--b", "a b", "a/b", "新闻", "confirm",
        ] {
            assert!(!valid_slug(bad), "{bad}");
        }
        assert!(!valid_slug(&"a".repeat(SLUG_MAX + 1)));
    }

    #[test]
    fn a_form_needs_a_title_a_slug_a_target_and_a_language() {
        let l = Locale::default();
        let e = SignupFormInput::from_params(&params(&[]))
            .draft(&l)
            .unwrap_err();
        for f in ["title", "slug", "segment_id", "language"] {
            assert!(e.get(f).is_some(), "{f}");
        }
        let d = SignupFormInput::from_params(&params(&[
            ("title", " Newsletter "),
            ("slug", "news"),
            ("tag", "newsletter"),
            ("language", "zh-CN"),
        ]))
        .draft(&l)
        .unwrap();
        assert_eq!(d.title, "Newsletter");
        assert_eq!(d.tag.as_deref(), Some("newsletter"));
        assert_eq!(d.segment_id, None);
        assert_eq!(d.language, Lang::ZhCn);
        let e = SignupFormInput::from_params(&params(&[
            ("title", "T"),
            ("slug", "t"),
            ("tag", "a, b"),
            ("segment_id", "x"),
            ("language", "fr"),
        ]))
        .draft(&l)
        .unwrap_err();
        for f in ["tag", "segment_id", "language"] {
            assert!(e.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn a_signup_needs_an_address_and_consent() {
        let l = Locale::default();
        let e = SignupInput::from_params(&params(&[("email", "nope")]))
            .check(&l)
            .unwrap_err();
        assert!(e.get("email").is_some());
        assert!(e.get("consent").is_some());
        let a = SignupInput::from_params(&params(&[
            ("email", " Ada@Example.COM "),
            ("consent", "on"),
        ]))
        .check(&l)
        .unwrap();
        assert_eq!(a.as_str(), "ada@example.com");
    }
}
