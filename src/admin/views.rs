use askama::Template;

use super::forms::UserForm;
use crate::audit::AuditRow;
use crate::auth::policy::{Role, Scope};
use crate::domain::ids::{TeamId, UserId};
use crate::staff::models::{Team, TeamRow, UserRow};
use crate::web::forms::FieldErrors;
use crate::web::{Chrome, Pager};

#[derive(Template)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    pub chrome: Chrome,
    pub users: Vec<UserRow>,
}

#[derive(Template)]
#[template(path = "admin/user_form.html")]
pub struct UserFormPage {
    pub chrome: Chrome,
    /// None while creating.
    pub user_id: Option<UserId>,
    pub form: UserForm,
    pub errors: FieldErrors,
    pub teams: Vec<Team>,
    pub password_errors: FieldErrors,
}

impl UserFormPage {
    pub fn roles(&self) -> &'static [Role] {
        Role::ALL
    }

    pub fn role_selected(&self, role: &Role) -> bool {
        self.form.role == role.as_str()
    }

    pub fn team_selected(&self, id: &TeamId) -> bool {
        self.form.team() == Some(id.get())
    }
}

pub fn role_label(role: &Role) -> &'static str {
    role.label()
}

#[derive(Template)]
#[template(path = "admin/teams.html")]
pub struct TeamsPage {
    pub chrome: Chrome,
    pub teams: Vec<TeamRow>,
    pub new_name: String,
    pub error: Option<String>,
    /// The team whose rename failed, with its message.
    pub rename_error: Option<(TeamId, String)>,
}

impl TeamsPage {
    pub fn rename_error_for(&self, id: &TeamId) -> Option<&str> {
        self.rename_error
            .as_ref()
            .filter(|(t, _)| t == id)
            .map(|(_, m)| m.as_str())
    }
}

#[derive(Template)]
#[template(path = "admin/roles.html")]
pub struct RolesPage {
    pub chrome: Chrome,
    pub roles: Vec<(Role, Scope)>,
    pub error: Option<String>,
}

impl RolesPage {
    pub fn scopes(&self) -> &'static [Scope] {
        Scope::ALL
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub rows: Vec<AuditRow>,
    pub pager: Pager,
}
