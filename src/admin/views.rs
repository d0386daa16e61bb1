use askama::Template;

use super::forms::UserForm;
use crate::audit::AuditRow;
use crate::audit::list::AuditListOptions;
use crate::auth::policy::{Role, Scope};
use crate::domain::ids::{TeamId, UserId};
use crate::staff::list::UserListOptions;
use crate::staff::models::{Team, TeamRow, UserRow};
use crate::web::forms::FieldErrors;
use crate::web::list::{Column, FilterField, ListMeta, ListState, Pager};
use crate::web::{Chrome, CurrentUser, Section};

pub static USERS: ListMeta = ListMeta {
    key: "users",
    base: "/admin/users",
    search_label: "Search users",
    search_hint: "Search name or email",
    columns: &[
        Column::sorted("Name", "name"),
        Column::sorted("Email", "email"),
        Column::sorted("Role", "role"),
        Column::plain("Team"),
        Column::plain("Status"),
        Column::sorted("Last sign-in", "last_login"),
    ],
    saved_views: false,
};

#[derive(Template)]
#[template(path = "admin/users.html", blocks = ["results"])]
pub struct UsersPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub users: Vec<UserRow>,
}

impl UsersPage {
    pub fn new(
        user: &CurrentUser,
        opts: &UserListOptions,
        pager: Pager,
        users: Vec<UserRow>,
        teams: Vec<Team>,
    ) -> Self {
        let f = &opts.filters;
        let roles = Role::ALL
            .iter()
            .map(|r| (r.as_str().into(), user.locale.t(r.label_key())))
            .collect();
        let statuses = vec![
            ("active".into(), user.locale.t("users-active")),
            ("deactivated".into(), user.locale.t("users-deactivated")),
        ];
        let status = f
            .active
            .map(|a| if a { "active" } else { "deactivated" }.to_string());
        let teams = teams
            .into_iter()
            .map(|t| (t.id.to_string(), t.name))
            .collect();
        let filters = vec![
            FilterField::select(
                "role",
                "Role",
                "Any role",
                roles,
                f.role.map(|r| r.as_str().into()),
            ),
            FilterField::select(
                "team",
                "Team",
                "Any team",
                teams,
                f.team.map(|t| t.to_string()),
            ),
            FilterField::select("status", "Status", "Any status", statuses, status),
        ];
        UsersPage {
            chrome: Chrome::new(user, Section::Admin),
            list: ListState::new(&USERS, opts, pager, filters),
            users,
        }
    }
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

pub static TEAMS: ListMeta = ListMeta {
    key: "teams",
    base: "/admin/teams",
    search_label: "Search teams",
    search_hint: "Search team names",
    columns: &[
        Column::sorted("Name", "name"),
        Column::plain("Members"),
        Column::plain(""),
    ],
    saved_views: false,
};

#[derive(Template)]
#[template(path = "admin/teams.html", blocks = ["results"])]
pub struct TeamsPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub teams: Vec<TeamRow>,
    pub new_name: String,
    pub error: Option<String>,
    /// The team whose rename failed, with its message.
    pub rename_error: Option<(TeamId, String)>,
}

impl TeamsPage {
    /// The new-team form's message, as the form field macro reads it.
    pub fn new_errors(&self) -> FieldErrors {
        let mut e = FieldErrors::new();
        if let Some(m) = &self.error {
            e.add("name", m.clone());
        }
        e
    }

    /// A rename form's message, as the form field macro reads it.
    pub fn rename_errors(&self, id: &TeamId) -> FieldErrors {
        let mut e = FieldErrors::new();
        if let Some((_, m)) = self.rename_error.as_ref().filter(|(t, _)| t == id) {
            e.add("name", m.clone());
        }
        e
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
    /// The scope menus have no messages of their own (`error` heads the form).
    pub fn no_errors(&self) -> FieldErrors {
        FieldErrors::new()
    }

    pub fn scopes(&self) -> &'static [Scope] {
        Scope::ALL
    }
}

pub static AUDIT: ListMeta = ListMeta {
    key: "audit",
    base: "/admin/audit",
    search_label: "",
    search_hint: "",
    columns: &[
        Column::sorted("When (UTC)", "when"),
        Column::plain("Who"),
        Column::plain("Action"),
        Column::plain("Record"),
        Column::plain("Details"),
    ],
    saved_views: false,
};

#[derive(Template)]
#[template(path = "admin/audit.html", blocks = ["results"])]
pub struct AuditPage {
    pub chrome: Chrome,
    pub list: ListState,
    pub rows: Vec<AuditRow>,
}

impl AuditPage {
    pub fn new(
        user: &CurrentUser,
        opts: &AuditListOptions,
        pager: Pager,
        rows: Vec<AuditRow>,
        (entities, actions): (Vec<String>, Vec<String>),
    ) -> Self {
        let f = &opts.filters;
        let filters = vec![
            FilterField::names(
                "entity",
                "Record",
                "Any record",
                &entities,
                f.entity.as_deref(),
            ),
            FilterField::names(
                "action",
                "Action",
                "Any action",
                &actions,
                f.action.as_deref(),
            ),
        ];
        AuditPage {
            chrome: Chrome::new(user, Section::Admin),
            list: ListState::new(&AUDIT, opts, pager, filters),
            rows,
        }
    }
}
