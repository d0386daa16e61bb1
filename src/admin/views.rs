use askama::Template;

use super::forms::UserForm;
use crate::audit::list::AuditListOptions;
use crate::audit::{AuditAction, AuditEntity, AuditRow};
use crate::auth::policy::{Role, Scope};
use crate::domain::ids::{TeamId, UserId};
use crate::i18n::key;
use crate::staff::list::UserListOptions;
use crate::staff::models::{Team, TeamRow, UserRow};
use crate::web::forms::FieldErrors;
use crate::web::list::{Column, FilterField, ListMeta, ListState, Pager};
use crate::web::{Chrome, CurrentUser, Section};

pub static USERS: ListMeta = ListMeta {
    key: "users",
    base: "/admin/users",
    search_label: key("users-search"),
    search_hint: key("users-search-hint"),
    columns: &[
        Column::sorted(key("users-col-name"), "name"),
        Column::sorted(key("users-col-email"), "email"),
        Column::sorted(key("users-col-role"), "role"),
        Column::plain(key("users-col-team")),
        Column::plain(key("users-col-status")),
        Column::sorted(key("users-col-last-sign-in"), "last_login"),
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
                key("users-col-role"),
                key("users-any-role"),
                roles,
                f.role.map(|r| r.as_str().into()),
            ),
            FilterField::select(
                "team",
                key("users-col-team"),
                key("users-any-team"),
                teams,
                f.team.map(|t| t.to_string()),
            ),
            FilterField::select(
                "status",
                key("users-col-status"),
                key("users-any-status"),
                statuses,
                status,
            ),
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
    search_label: key("teams-search"),
    search_hint: key("teams-search-hint"),
    columns: &[
        Column::sorted(key("teams-col-name"), "name"),
        Column::plain(key("teams-col-members")),
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
        Column::sorted(key("audit-col-when"), "when"),
        Column::plain(key("audit-col-who")),
        Column::plain(key("audit-col-action")),
        Column::plain(key("audit-col-record")),
        Column::plain(key("audit-col-details")),
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
        // The stored codes, labelled in the viewer's language.
        let label = |code: String, label_key: Option<&'static str>| {
            let text = label_key.map_or_else(|| code.clone(), |k| user.locale.t(k));
            (code, text)
        };
        let entities = entities
            .into_iter()
            .map(|e| {
                let k = AuditEntity::parse(&e).map(AuditEntity::label_key);
                label(e, k)
            })
            .collect();
        let actions = actions
            .into_iter()
            .map(|a| {
                let k = AuditAction::parse(&a).map(AuditAction::label_key);
                label(a, k)
            })
            .collect();
        let filters = vec![
            FilterField::select(
                "entity",
                key("audit-col-record"),
                key("audit-any-record"),
                entities,
                f.entity.clone(),
            ),
            FilterField::select(
                "action",
                key("audit-col-action"),
                key("audit-any-action"),
                actions,
                f.action.clone(),
            ),
        ];
        AuditPage {
            chrome: Chrome::new(user, Section::Admin),
            list: ListState::new(&AUDIT, opts, pager, filters),
            rows,
        }
    }
}
