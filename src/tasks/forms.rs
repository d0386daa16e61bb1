use chrono::NaiveDate;
use serde::Deserialize;

use super::domain::{TITLE_MAX, parse_due};
use crate::i18n::{Locale, key};
use crate::web::forms::FieldErrors;

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct TaskForm {
    pub title: String,
    /// `YYYY-MM-DD`, from an `<input type=date>`.
    pub due_on: String,
    /// Honoured only for users allowed to assign (ContactsAssign).
    pub assignee_id: String,
    /// Set (hidden) when the task is added from a contact's page.
    pub contact_id: String,
    /// Set (hidden) when the task is added from an account's page.
    pub account_id: String,
    /// Set (hidden) when the task is added from a deal's page.
    pub deal_id: String,
    /// A local path to return to afterwards.
    pub next: String,
}

/// The form's own checks, before the ones that need the database.
#[derive(Clone, Debug)]
pub struct Draft {
    pub title: String,
    pub due_on: NaiveDate,
    pub contact_id: Option<i64>,
    pub account_id: Option<i64>,
    pub deal_id: Option<i64>,
}

/// An optional record id: empty is none; anything else must be an id.
fn record_id(errors: &mut FieldErrors, field: &str, raw: &str, message: &str) -> Option<i64> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.add(field, message);
            None
        }
    }
}

pub const CONTACT_UNSEEN: &str = key("error-task-contact-unseen");
pub const ACCOUNT_UNSEEN: &str = key("error-task-account-unseen");
pub const DEAL_UNSEEN: &str = key("error-task-deal-unseen");

impl TaskForm {
    /// Errors are in the viewer's language (`l`).
    pub fn validate(&self, l: &Locale) -> Result<Draft, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = self.title.trim();
        if title.is_empty() {
            e.add("title", l.t("error-task-title-empty"));
        } else if title.chars().any(char::is_control) {
            e.add("title", l.t("error-task-title-control"));
        } else if title.chars().count() > TITLE_MAX {
            e.add(
                "title",
                l.t_num("error-task-title-long", "max", TITLE_MAX as i64),
            );
        }
        let due_on = parse_due(&self.due_on)
            .map_err(|k| e.add("due_on", l.t(k)))
            .ok();
        let contact_id = record_id(&mut e, "contact_id", &self.contact_id, &l.t(CONTACT_UNSEEN));
        let account_id = record_id(&mut e, "account_id", &self.account_id, &l.t(ACCOUNT_UNSEEN));
        let deal_id = record_id(&mut e, "deal_id", &self.deal_id, &l.t(DEAL_UNSEEN));
        e.into_result()?;
        Ok(Draft {
            title: title.to_string(),
            due_on: due_on.ok_or_else(FieldErrors::new)?,
            contact_id,
            account_id,
            deal_id,
        })
    }

    /// The (contact, account) the form names, where those fields hold ids
    /// (whatever else is wrong with the form, so a failed form keeps its link).
    pub fn record_ids(&self) -> (Option<i64>, Option<i64>) {
        let id = |raw: &str| raw.trim().parse::<i64>().ok().filter(|id| *id > 0);
        (id(&self.contact_id), id(&self.account_id))
    }

    /// The deal the form names, where the field holds an id.
    pub fn deal(&self) -> Option<i64> {
        self.deal_id.trim().parse::<i64>().ok().filter(|id| *id > 0)
    }

    /// The chosen assignee, when the field holds an id.
    pub fn assignee(&self) -> Option<i64> {
        self.assignee_id.trim().parse().ok()
    }
}

/// Completing or reopening: only where to go back to.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct DoneForm {
    pub next: String,
}

/// `/tasks/new?contact=ID` or `?account=ID`: the record to link.
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct NewQuery {
    pub contact: String,
    pub account: String,
    pub deal: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, due: &str) -> TaskForm {
        TaskForm {
            title: title.into(),
            due_on: due.into(),
            ..TaskForm::default()
        }
    }

    #[test]
    fn title_and_due_day_are_required_and_checked() {
        let e = form(" ", "")
            .validate(&Locale::default())
            .expect_err("empty");
        assert!(e.get("title").is_some() && e.get("due_on").is_some());
        let e = form(&"é".repeat(201), "2026-01-01")
            .validate(&Locale::default())
            .expect_err("long");
        assert!(e.get("title").is_some_and(|m| m.contains("200")));
        assert!(
            form(&"é".repeat(200), "2026-01-01")
                .validate(&Locale::default())
                .is_ok()
        );
        let e = form("Call\nback", "2026-01-01")
            .validate(&Locale::default())
            .expect_err("control");
        assert!(e.get("title").is_some());
        let ok = form("  Call back ", "2026-01-31")
            .validate(&Locale::default())
            .expect("valid");
        assert_eq!(ok.title, "Call back");
        assert_eq!((ok.contact_id, ok.account_id), (None, None));
    }

    #[test]
    fn record_ids_must_be_ids() {
        for bad in ["abc", "-1", "0", "1.5", "99999999999999999999"] {
            let f = TaskForm {
                contact_id: bad.into(),
                account_id: bad.into(),
                ..form("Call", "2026-01-01")
            };
            let e = f.validate(&Locale::default()).expect_err(bad);
            assert!(e.get("contact_id").is_some() && e.get("account_id").is_some());
        }
        let f = TaskForm {
            contact_id: " 7 ".into(),
            ..form("Call", "2026-01-01")
        };
        assert_eq!(
            f.validate(&Locale::default()).expect("valid").contact_id,
            Some(7)
        );
    }
}
