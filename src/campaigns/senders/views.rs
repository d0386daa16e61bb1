//! Pages of senders: the staff list with its add form, and the public
//! confirmation page.

use askama::Template;

use super::domain::SenderInput;
use super::repo::SenderRow;
use crate::i18n::Locale;
use crate::web::Chrome;
use crate::web::forms::FieldErrors;

#[derive(Template)]
#[template(path = "campaigns/senders/list.html")]
pub struct ListPage {
    pub chrome: Chrome,
    pub senders: Vec<SenderRow>,
    pub form: SenderInput,
    pub errors: FieldErrors,
}

/// `/senders/verify/{token}`: a button (GET), then done (POST).
#[derive(Template)]
#[template(path = "campaigns/senders/verify.html")]
pub struct VerifyPage {
    pub locale: Locale,
    pub token: String,
    pub name: String,
    pub email: String,
    /// Verified (now or before).
    pub verified: bool,
}

impl VerifyPage {
    pub fn question(&self) -> String {
        use crate::i18n::Arg;
        self.locale.t_args(
            "campaigns-senders-verify-question",
            &[
                ("email", Arg::Text(self.email.clone())),
                ("name", Arg::Text(self.name.clone())),
            ],
        )
    }
}
