//! Pages of sign-up forms: the staff list and editor, the public page
//! (form, thank-you) and the confirmation page.

use askama::Template;

use super::domain::SignupFormInput;
use super::repo::FormRow;
use crate::i18n::{Lang, Locale};
use crate::web::Chrome;
use crate::web::forms::FieldErrors;

#[derive(Template)]
#[template(path = "campaigns/signups/list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub forms: Vec<FormRow>,
    /// `RAPPORT_BASE_URL`, for the public addresses shown.
    pub base_url: String,
}

impl ListPage {
    pub fn target(&self, r: &FormRow) -> String {
        match (&r.segment_name, &r.form.tag) {
            (Some(s), Some(t)) => format!("{s} · #{t}"),
            (Some(s), None) => s.clone(),
            (None, Some(t)) => format!("#{t}"),
            (None, None) => String::new(),
        }
    }

    pub fn language(&self, r: &FormRow) -> String {
        r.form.lang().name()
    }
}

#[derive(Template)]
#[template(path = "campaigns/signups/form.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub form_id: Option<i64>,
    pub form: SignupFormInput,
    pub errors: FieldErrors,
    pub lists: Vec<(i64, String)>,
    pub base_url: String,
}

impl FormPage {
    pub fn action(&self) -> String {
        match self.form_id {
            Some(id) => format!("/campaigns/signups/{id}"),
            None => "/campaigns/signups".into(),
        }
    }

    pub fn list_selected(&self, id: &i64) -> bool {
        self.form.segment_id.trim() == id.to_string()
    }

    pub fn languages(&self) -> Vec<(&'static str, String)> {
        Lang::ALL.iter().map(|l| (l.code(), l.name())).collect()
    }
}

/// `/s/{slug}`: the form, or (`done`) the thank-you page.
#[derive(Template)]
#[template(path = "campaigns/signups/public.html")]
pub struct PublicPage {
    pub locale: Locale,
    pub csrf: String,
    pub slug: String,
    pub title: String,
    pub intro: String,
    /// The visitor's name as typed (`name` would shadow the field macro's own).
    pub full_name: String,
    pub email: String,
    pub consent: bool,
    pub errors: FieldErrors,
    pub done: bool,
}

impl PublicPage {
    /// The intro's paragraphs (blank lines apart), shown as text.
    pub fn paragraphs(&self) -> Vec<&str> {
        self.intro
            .split("\n\n")
            .flat_map(|p| p.split("\r\n\r\n"))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }
}

/// `/s/confirm/{token}`: a button (GET), then done (POST).
#[derive(Template)]
#[template(path = "campaigns/signups/confirm.html")]
pub struct ConfirmPage {
    pub locale: Locale,
    pub token: String,
    pub title: String,
    pub email: String,
    /// Confirmed (now or before).
    pub confirmed: bool,
}
