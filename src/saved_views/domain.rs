//! A saved view as submitted, checked.

use serde::Deserialize;

use super::lists::{self, QUERY_MAX};
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;

pub const NAME_MAX: usize = 100;

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct ViewForm {
    /// Which list (`contacts`); only when saving a new view.
    pub list: String,
    /// The list's query string; only when saving a new view.
    pub query: String,
    pub name: String,
    /// Checkboxes: present ("on") when ticked.
    pub pinned: Option<String>,
    pub shared: Option<String>,
}

/// A view ready to store: its name, and for a new view its list and
/// canonical query.
#[derive(Debug, Clone)]
pub struct ValidView {
    pub list: String,
    pub query: String,
    pub name: String,
    pub pinned: bool,
    pub shared: bool,
}

impl ViewForm {
    /// `new`: the list and query are checked too (the user must be allowed
    /// to read the list).
    /// Errors are in the user's language.
    pub fn validate(&self, user: &CurrentUser, new: bool) -> Result<ValidView, FieldErrors> {
        let (mut errors, t) = (FieldErrors::new(), &user.locale);
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", t.t("error-view-name-required"));
        } else if name.chars().count() > NAME_MAX {
            errors.add(
                "name",
                t.t_num("error-view-name-long", "max", NAME_MAX as i64),
            );
        } else if name.chars().any(char::is_control) {
            errors.add("name", t.t("error-view-name-one-line"));
        }
        let mut query = String::new();
        if new {
            match lists::find(self.list.trim()).filter(|l| user.can(l.read)) {
                None => errors.add("list", t.t("error-view-list")),
                Some(l) if self.query.len() > QUERY_MAX => errors.add(
                    "query",
                    t.t_str("error-view-too-long", "list", &t.t(l.label).to_lowercase()),
                ),
                Some(l) => match (l.canonical)(&self.query) {
                    Some(q) => query = q,
                    None => errors.add("query", t.t("error-view-query")),
                },
            }
        }
        errors.into_result()?;
        Ok(ValidView {
            list: self.list.trim().to_string(),
            query,
            name: name.to_string(),
            pinned: self.pinned.is_some(),
            shared: self.shared.is_some(),
        })
    }
}
