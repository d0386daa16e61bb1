//! The timeline's log form: a note, call or meeting on any record; and the
//! field checks the contact and account forms share.

use serde::Deserialize;

use super::timeline::ActivityKind;
use crate::i18n::{Arg, Locale, Message, key};
use crate::web::forms::{FieldErrors, optional};

/// One line of at most `max` characters; empty becomes None.
pub fn line(
    loc: &Locale,
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
) -> Option<String> {
    if value.chars().any(|c| c.is_control() && c != '\t') {
        errors.add_message(field, loc, Message::key(key("records-error-control")));
    } else if value.trim().chars().count() > max {
        let max = Arg::Num(i64::try_from(max).unwrap_or(i64::MAX));
        let m = Message::Key(key("records-error-max"), vec![("max", max)]);
        errors.add_message(field, loc, m);
    }
    optional(value)
}

/// Phone numbers as people write them: digits, spaces and + - ( ) . x /.
pub fn check_phone(phone: &str) -> bool {
    phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().x/".contains(c))
        && phone.chars().any(|c| c.is_ascii_digit())
}

/// The `phone` field: one line of at most 50 characters that looks like a number.
pub fn phone(loc: &Locale, errors: &mut FieldErrors, value: &str) -> Option<String> {
    let phone = line(loc, errors, "phone", value, 50);
    if phone.as_deref().is_some_and(|p| !check_phone(p)) {
        errors.add_message("phone", loc, Message::key(key("records-error-phone")));
    }
    phone
}

/// The `tags` field (comma-separated).
pub fn tags(loc: &Locale, errors: &mut FieldErrors, value: &str) -> Vec<String> {
    crate::tags::parse(value)
        .map_err(|m| errors.add_message("tags", loc, m))
        .unwrap_or_default()
}

pub const ACTIVITY_BODY_MAX: usize = 10_000;

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub subject: String,
    pub body: String,
}

pub struct ValidActivity {
    pub kind: ActivityKind,
    pub subject: Option<String>,
    pub body: String,
}

impl ActivityForm {
    pub fn validate(&self) -> Result<ValidActivity, Message> {
        let kind = match self.kind.trim() {
            "" => ActivityKind::Note,
            k => match ActivityKind::parse(k).filter(|k| ActivityKind::LOGGED.contains(k)) {
                Some(k) => k,
                None => return Err(Message::key(key("records-error-kind"))),
            },
        };
        let subject = optional(&self.subject);
        if subject
            .as_deref()
            .is_some_and(|s| s.chars().count() > 200 || s.chars().any(char::is_control))
        {
            return Err(Message::key(key("records-error-subject")));
        }
        let body = self.body.trim();
        // A call or meeting may be logged with just its subject ("Called, no answer").
        if body.is_empty() && (kind == ActivityKind::Note || subject.is_none()) {
            return Err(Message::key(key("records-error-empty")));
        }
        if body.chars().count() > ACTIVITY_BODY_MAX {
            return Err(Message::Key(
                key("records-error-body-max"),
                vec![("max", Arg::Num(ACTIVITY_BODY_MAX as i64))],
            ));
        }
        Ok(ValidActivity {
            kind,
            subject,
            body: body.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activities_need_content() {
        let f = |kind: &str, subject: &str, body: &str| ActivityForm {
            kind: kind.into(),
            subject: subject.into(),
            body: body.into(),
        };
        assert!(f("note", "", " ").validate().is_err());
        assert!(f("call", "No answer", "").validate().is_ok());
        assert!(f("call", "", "").validate().is_err());
        assert!(f("fax", "", "x").validate().is_err());
        assert!(
            f("merge", "", "x").validate().is_err(),
            "system events are not logged by hand"
        );
        assert_eq!(
            f("", "", "hi").validate().map(|a| a.kind).ok(),
            Some(ActivityKind::Note)
        );
    }
}
