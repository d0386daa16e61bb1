use askama::Template;
use chrono::NaiveDateTime;

use super::forms::SettingsForm;
use crate::i18n::Lang;
use crate::i18n::format::CURRENCIES;
use crate::web::Chrome;
use crate::web::forms::FieldErrors;

#[derive(Template)]
#[template(path = "settings/workspace.html")]
pub struct SettingsPage {
    pub chrome: Chrome,
    pub form: SettingsForm,
    pub errors: FieldErrors,
    /// Shown above the form when someone else saved first.
    pub conflict: bool,
    pub updated_at: NaiveDateTime,
    pub languages: [Lang; 2],
    pub zones: &'static [chrono_tz::Tz],
    pub currencies: &'static [(&'static str, &'static str, u32)],
}

impl SettingsPage {
    pub fn new(
        chrome: Chrome,
        form: SettingsForm,
        errors: FieldErrors,
        updated_at: NaiveDateTime,
    ) -> Self {
        SettingsPage {
            chrome,
            form,
            errors,
            conflict: false,
            updated_at,
            languages: Lang::ALL,
            zones: &chrono_tz::TZ_VARIANTS,
            currencies: CURRENCIES,
        }
    }
}
