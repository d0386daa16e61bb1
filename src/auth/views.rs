use askama::Template;

use super::forms::{LoginForm, SetupForm};
use crate::web::Chrome;
use crate::web::forms::FieldErrors;

#[derive(Template)]
#[template(path = "auth/setup.html")]
pub struct SetupPage {
    pub csrf: String,
    pub form: SetupForm,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
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
    pub errors: FieldErrors,
}
