//! The timeline's log form: a note, call or meeting on any record.

use serde::Deserialize;

use super::timeline::ActivityKind;
use crate::web::forms::optional;

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
    pub fn validate(&self) -> Result<ValidActivity, String> {
        let kind = match self.kind.trim() {
            "" => ActivityKind::Note,
            k => match ActivityKind::parse(k).filter(|k| ActivityKind::LOGGED.contains(k)) {
                Some(k) => k,
                None => return Err("Choose note, call or meeting.".into()),
            },
        };
        let subject = optional(&self.subject);
        if subject
            .as_deref()
            .is_some_and(|s| s.chars().count() > 200 || s.chars().any(char::is_control))
        {
            return Err("A subject is one line of at most 200 characters.".into());
        }
        let body = self.body.trim();
        // A call or meeting may be logged with just its subject ("Called, no answer").
        if body.is_empty() && (kind == ActivityKind::Note || subject.is_none()) {
            return Err("Write something first.".into());
        }
        if body.chars().count() > ACTIVITY_BODY_MAX {
            return Err(format!("At most {ACTIVITY_BODY_MAX} characters."));
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
