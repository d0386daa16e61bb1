use serde::Deserialize;

use crate::auth::password;
use crate::domain::EmailAddress;
use crate::i18n::Locale;
use crate::web::forms::FieldErrors;

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct SetupForm {
    pub name: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
}

pub struct ValidSetup {
    pub name: String,
    pub email: EmailAddress,
    pub password: String,
}

/// Checks a person's name; errors in `l`'s language.
pub fn check_name(name: &str, errors: &mut FieldErrors, l: &Locale) -> String {
    let name = name.trim();
    if name.is_empty() {
        errors.add("name", l.t("error-name-required"));
    } else if name.chars().count() > 100 {
        errors.add("name", l.t("error-max-100"));
    } else if name.chars().any(char::is_control) {
        errors.add("name", l.t("error-no-control-chars"));
    }
    name.to_string()
}

/// Checks a new password and its confirmation, adding errors under `field`
/// in `l`'s language.
pub fn check_new_password(
    password: &str,
    confirm: &str,
    (field, errors): (&str, &mut FieldErrors),
    l: &Locale,
) {
    if let Err(why) = password::check_policy(password) {
        errors.add(field, why.text(l));
    } else if password != confirm {
        errors.add(&format!("{field}_confirm"), l.t("error-passwords-differ"));
    }
}

impl SetupForm {
    pub fn validate(&self, l: &Locale) -> Result<ValidSetup, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = check_name(&self.name, &mut errors, l);
        let email = EmailAddress::parse(&self.email)
            .map_err(|m| errors.add("email", m.text(l)))
            .ok();
        check_new_password(
            &self.password,
            &self.password_confirm,
            ("password", &mut errors),
            l,
        );
        errors.into_result()?;
        Ok(ValidSetup {
            name,
            email: email.ok_or_else(FieldErrors::new)?,
            password: self.password.clone(),
        })
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
}

/// Only same-site paths are followed after login (no open redirect).
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2000;
    ok.then_some(next)
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct PasswordChangeForm {
    pub current_password: String,
    pub new_password: String,
    pub new_password_confirm: String,
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next("/contacts?q=a"), Some("/contacts?q=a"));
        assert_eq!(safe_next("//evil.example"), None);
        assert_eq!(safe_next("https://evil.example"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(safe_next(""), None);
    }
}

/// One's own language and time zone; empty means "the workspace's".
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct LocaleForm {
    pub language: String,
    pub time_zone: String,
}

impl LocaleForm {
    /// Checked choices (None = follow the workspace); messages in `loc`'s language.
    #[allow(clippy::type_complexity)]
    pub fn validate(
        &self,
        loc: &crate::i18n::Locale,
    ) -> Result<(Option<crate::i18n::Lang>, Option<chrono_tz::Tz>), FieldErrors> {
        use crate::i18n::{Lang, parse_zone};
        let mut errors = FieldErrors::new();
        let lang = match self.language.trim() {
            "" => None,
            code => Lang::parse(code).or_else(|| {
                errors.add("language", loc.t("error-choose-language"));
                None
            }),
        };
        let tz = match self.time_zone.trim() {
            "" => None,
            name => parse_zone(name).or_else(|| {
                errors.add("time_zone", loc.t("error-choose-time-zone"));
                None
            }),
        };
        errors.into_result()?;
        Ok((lang, tz))
    }
}
