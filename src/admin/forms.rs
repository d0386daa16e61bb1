use std::collections::HashMap;

use serde::Deserialize;

use crate::auth::forms::{check_name, check_new_password};
use crate::auth::policy::{Role, Scope};
use crate::domain::EmailAddress;
use crate::i18n::Locale;
use crate::web::forms::FieldErrors;

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct UserForm {
    pub name: String,
    pub email: String,
    pub role: String,
    pub team_id: String,
    /// Checkbox: present when ticked.
    pub active: Option<String>,
    /// New users only.
    pub password: String,
    pub password_confirm: String,
}

pub struct ValidUser {
    pub name: String,
    pub email: EmailAddress,
    pub role: Role,
    pub team_id: Option<i64>,
    pub active: bool,
}

impl UserForm {
    pub fn team(&self) -> Option<i64> {
        self.team_id.trim().parse().ok()
    }

    pub fn is_active(&self) -> bool {
        self.active.is_some()
    }

    /// `known_teams` are the ids a team may be chosen from; errors in `l`'s
    /// language.
    pub fn validate(
        &self,
        is_new: bool,
        known_teams: &[i64],
        l: &Locale,
    ) -> Result<ValidUser, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = check_name(&self.name, &mut errors, l);
        let email = EmailAddress::parse(&self.email)
            .map_err(|m| errors.add("email", m.text(l)))
            .ok();
        let role = Role::parse(self.role.trim());
        if role.is_none() {
            errors.add("role", l.t("error-choose-role"));
        }
        let team_id = match self.team_id.trim() {
            "" => None,
            raw => match raw
                .parse::<i64>()
                .ok()
                .filter(|id| known_teams.contains(id))
            {
                Some(id) => Some(id),
                None => {
                    errors.add("team_id", l.t("error-choose-team"));
                    None
                }
            },
        };
        if is_new {
            check_new_password(
                &self.password,
                &self.password_confirm,
                ("password", &mut errors),
                l,
            );
        }
        errors.into_result()?;
        match (email, role) {
            (Some(email), Some(role)) => Ok(ValidUser {
                name,
                email,
                role,
                team_id,
                active: is_new || self.is_active(),
            }),
            _ => Err(FieldErrors::new()),
        }
    }
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct PasswordResetForm {
    pub password: String,
    pub password_confirm: String,
}

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct TeamForm {
    pub name: String,
}

impl TeamForm {
    /// The error is in `l`'s language.
    pub fn validate(&self, l: &Locale) -> Result<String, String> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(l.t("error-team-name-required"));
        }
        if name.chars().count() > 100 {
            return Err(l.t("error-max-100"));
        }
        if name.chars().any(char::is_control) {
            return Err(l.t("error-no-control-chars"));
        }
        Ok(name.to_string())
    }
}

/// `scope_<role>` fields from the roles page.
pub fn parse_scopes(
    fields: &HashMap<String, String>,
    l: &Locale,
) -> Result<Vec<(Role, Scope)>, String> {
    Role::ALL
        .iter()
        .copied()
        .filter(|r| *r != Role::Admin)
        .map(|role| {
            let key = format!("scope_{}", role.as_str());
            fields
                .get(&key)
                .and_then(|v| Scope::parse(v))
                .map(|s| (role, s))
                .ok_or_else(|| l.t_str("error-choose-scope", "role", &l.t(role.label_key())))
        })
        .collect()
}
