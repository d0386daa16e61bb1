use askama::Template;
use chrono::NaiveDateTime;

use super::forms::{LocaleForm, LoginForm, SetupForm};
use crate::i18n::{Lang, Locale};
use crate::web::Chrome;
use crate::web::forms::FieldErrors;

#[derive(Template)]
#[template(path = "auth/setup.html")]
pub struct SetupPage {
    pub locale: Locale,
    pub csrf: String,
    pub form: SetupForm,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub locale: Locale,
    pub csrf: String,
    pub form: LoginForm,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/account.html")]
pub struct AccountPage {
    pub chrome: Chrome,
    pub email: String,
    pub last_sign_in: Option<NaiveDateTime>,
    /// The user's own choices ("" = the workspace's).
    pub prefs: LocaleForm,
    /// What "workspace default" currently means.
    pub workspace: Locale,
    pub languages: [Lang; 2],
    pub zones: &'static [chrono_tz::Tz],
    pub errors: FieldErrors,
}
