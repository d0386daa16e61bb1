//! Admin: staff users. Role changes, deactivation and password resets end
//! the user's sessions (epoch bump); the last active admin cannot be removed.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::forms::{PasswordResetForm, UserForm, ValidUser};
use super::views::{UserFormPage, UsersPage};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::auth::policy::Role;
use crate::auth::{forms::check_new_password, password};
use crate::db::{DbConn, now, write_tx};
use crate::domain::ids::{TeamId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Locale, StoredMessage, key};
use crate::staff::list::UserListOptions;
use crate::staff::models::{NewUser, Team, UserChanges};
use crate::staff::repo;
use crate::web::Section;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{invalid, page, see_other};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx};

type State = web::Data<AppState>;

const LAST_ADMIN: &str = key("error-last-admin");

pub async fn index() -> HttpResponse {
    see_other("/admin/users")
}

pub async fn list(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = UserListOptions::parse(&query)?;
    let (opts, users, pager, teams) = state
        .db(move |c| {
            let counted = repo::count_users_listed(c, &opts)?;
            let (opts, users, pager) = opts.load(counted, |o| repo::list_users(c, o))?;
            Ok((opts, users, pager, repo::list_teams(c)?))
        })
        .await?;
    let view = UsersPage::new(&user, &opts, pager, users, teams);
    if htmx.fragment() {
        page(&view.as_results())
    } else {
        page(&view)
    }
}

fn form_page(
    user: &CurrentUser,
    user_id: Option<UserId>,
    form: UserForm,
    errors: FieldErrors,
    teams: Vec<Team>,
) -> UserFormPage {
    UserFormPage {
        chrome: Chrome::new(user, Section::Admin),
        user_id,
        form,
        errors,
        teams,
        password_errors: FieldErrors::new(),
    }
}

pub async fn new_form(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let teams = state.db(|c| Ok(repo::list_teams(c)?)).await?;
    let form = UserForm {
        role: "sales".into(),
        active: Some("on".into()),
        ..UserForm::default()
    };
    page(&form_page(&user, None, form, FieldErrors::new(), teams))
}

enum Outcome {
    Saved,
    Invalid(FieldErrors, Vec<Team>),
}

/// The form checked against the database (teams, unique email); the teams
/// come back either way for re-rendering.
type Checked = Result<(ValidUser, Vec<Team>), (FieldErrors, Vec<Team>)>;

fn validate(
    c: &mut DbConn,
    form: &UserForm,
    is_new: bool,
    editing: Option<i64>,
    l: &Locale,
) -> AppResult<Checked> {
    let teams = repo::list_teams(c)?;
    let ids: Vec<i64> = teams.iter().map(|t| t.id.get()).collect();
    let mut valid = form.validate(is_new, &ids, l);
    if let Ok(v) = &valid
        && let Some(other) = repo::find_by_email(c, v.email.as_str())?
        && Some(other.id.get()) != editing
    {
        let mut e = FieldErrors::new();
        e.add("email", l.t("error-email-taken"));
        valid = Err(e);
    }
    Ok(match valid {
        Ok(v) => Ok((v, teams)),
        Err(e) => Err((e, teams)),
    })
}

pub async fn create(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<UserForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let hash = match password::check_policy(&form.password) {
        Ok(()) => {
            let p = form.password.clone();
            Some(
                web::block(move || password::hash(&p))
                    .await?
                    .map_err(|e| AppError::unexpected(e.to_string()))?,
            )
        }
        Err(_) => None,
    };
    let (f, actor, locale) = (form.clone(), user.id, user.locale);
    let outcome = state
        .db(move |c| {
            let (v, _) = match validate(c, &f, true, None, &locale)? {
                Ok(ok) => ok,
                Err((e, teams)) => return Ok(Outcome::Invalid(e, teams)),
            };
            let hash =
                hash.ok_or_else(|| AppError::unexpected("validated password without hash"))?;
            write_tx(c, |c| {
                let t = now();
                let id = repo::insert_user(
                    c,
                    &NewUser {
                        email: v.email.as_str(),
                        name: &v.name,
                        password_hash: &hash,
                        role: v.role,
                        team_id: v.team_id.map(TeamId::new),
                        active: true,
                        session_epoch: 0,
                        created_at: t,
                        updated_at: t,
                    },
                )?;
                audit::record(
                    c,
                    Entry {
                        actor: Some(actor),
                        action: AuditAction::Create,
                        entity: AuditEntity::User,
                        entity_id: Some(id.get()),
                        summary: StoredMessage::new(key("audit-user-created"))
                            .text("name", v.name.as_str())
                            .text("email", v.email.as_str())
                            .label("role", v.role.label_key()),
                    },
                )?;
                Ok(Outcome::Saved)
            })
        })
        .await?;
    match outcome {
        Outcome::Saved => {
            i18n::set_flash(&session, key("flash-user-created"));
            Ok(see_other("/admin/users"))
        }
        Outcome::Invalid(errors, teams) => {
            let form = UserForm {
                password: String::new(),
                password_confirm: String::new(),
                ..form
            };
            invalid(&form_page(&user, None, form, errors, teams))
        }
    }
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<UserId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (target, teams) = state
        .db(move |c| {
            Ok((
                repo::get_user(c, id)?.ok_or(AppError::NotFound)?,
                repo::list_teams(c)?,
            ))
        })
        .await?;
    let form = UserForm {
        name: target.name,
        email: target.email,
        role: target.role.as_str().into(),
        team_id: target.team_id.map(|t| t.to_string()).unwrap_or_default(),
        active: target.active.then(|| "on".to_string()),
        ..UserForm::default()
    };
    page(&form_page(&user, Some(id), form, FieldErrors::new(), teams))
}

pub async fn update(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<UserId>,
    form: web::Form<UserForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let (f, actor, locale) = (form.clone(), user.id, user.locale);
    let outcome = state
        .db(move |c| {
            let before = repo::get_user(c, id)?.ok_or(AppError::NotFound)?;
            let (v, teams) = match validate(c, &f, false, Some(id.get()), &locale)? {
                Ok(ok) => ok,
                Err((e, teams)) => return Ok(Outcome::Invalid(e, teams)),
            };
            write_tx(c, |c| {
                let was_admin = before.role == Role::Admin && before.active;
                let stays_admin = v.role == Role::Admin && v.active;
                if was_admin && !stays_admin && repo::count_active_admins(c)? <= 1 {
                    let mut e = FieldErrors::new();
                    e.add(
                        if v.active { "role" } else { "active" },
                        locale.t(LAST_ADMIN),
                    );
                    return Ok(Outcome::Invalid(e, teams.clone()));
                }
                let end_sessions = before.role != v.role
                    || before.active != v.active
                    || before.team_id != v.team_id.map(TeamId::new);
                repo::update_user(
                    c,
                    id,
                    &UserChanges {
                        email: v.email.as_str(),
                        name: &v.name,
                        role: v.role,
                        team_id: v.team_id.map(TeamId::new),
                        active: v.active,
                        updated_at: now(),
                    },
                    end_sessions,
                )?;
                let mut changes = Vec::new();
                if before.role != v.role {
                    changes.push(
                        StoredMessage::new(key("audit-user-role-changed"))
                            .label("before", before.role.label_key())
                            .label("after", v.role.label_key()),
                    );
                }
                if before.active != v.active {
                    changes.push(StoredMessage::new(if v.active {
                        key("audit-user-reactivated")
                    } else {
                        key("audit-user-deactivated")
                    }));
                }
                if before.team_id != v.team_id.map(TeamId::new) {
                    changes.push(StoredMessage::new(key("audit-user-team-changed")));
                }
                if before.email != v.email.as_str() || before.name != v.name {
                    changes.push(StoredMessage::new(key("audit-user-name-changed")));
                }
                audit::record(
                    c,
                    Entry {
                        actor: Some(actor),
                        action: AuditAction::Update,
                        entity: AuditEntity::User,
                        entity_id: Some(id.get()),
                        summary: StoredMessage::new(key("audit-user-updated"))
                            .text("name", v.name.as_str())
                            .text("email", v.email.as_str())
                            .message(
                                "changes",
                                StoredMessage::list(key("audit-list"), changes).unwrap_or_else(
                                    || StoredMessage::new(key("audit-user-no-changes")),
                                ),
                            ),
                    },
                )?;
                Ok(Outcome::Saved)
            })
        })
        .await?;
    match outcome {
        Outcome::Saved => {
            i18n::set_flash(&session, key("flash-user-saved"));
            Ok(see_other("/admin/users"))
        }
        Outcome::Invalid(errors, teams) => {
            invalid(&form_page(&user, Some(id), form, errors, teams))
        }
    }
}

pub async fn reset_password(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<UserId>,
    form: web::Form<PasswordResetForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let target = state
        .db(move |c| Ok(repo::get_user(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    check_new_password(
        &form.password,
        &form.password_confirm,
        ("password", &mut errors),
        &user.locale,
    );
    if !errors.is_empty() {
        let teams = state.db(|c| Ok(repo::list_teams(c)?)).await?;
        let edit = UserForm {
            name: target.name,
            email: target.email,
            role: target.role.as_str().into(),
            team_id: target.team_id.map(|t| t.to_string()).unwrap_or_default(),
            active: target.active.then(|| "on".to_string()),
            ..UserForm::default()
        };
        let mut view = form_page(&user, Some(id), edit, FieldErrors::new(), teams);
        view.password_errors = errors;
        return invalid(&view);
    }
    let p = form.password;
    let hash = web::block(move || password::hash(&p))
        .await?
        .map_err(|e| AppError::unexpected(e.to_string()))?;
    let actor = user.id;
    state
        .db(move |c| {
            write_tx(c, |c| {
                repo::set_password(c, id, &hash)?;
                audit::record(
                    c,
                    Entry {
                        actor: Some(actor),
                        action: AuditAction::PasswordReset,
                        entity: AuditEntity::User,
                        entity_id: Some(id.get()),
                        summary: StoredMessage::new(key("audit-user-password-reset"))
                            .text("email", target.email.as_str()),
                    },
                )?;
                Ok(())
            })
        })
        .await?;
    i18n::set_flash(&session, key("flash-user-password-reset"));
    Ok(see_other(&format!("/admin/users/{id}/edit")))
}

pub async fn revoke_sessions(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<UserId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = user.id;
    state
        .db(move |c| {
            let target = repo::get_user(c, id)?.ok_or(AppError::NotFound)?;
            write_tx(c, |c| {
                repo::bump_epoch(c, id)?;
                audit::record(
                    c,
                    Entry {
                        actor: Some(actor),
                        action: AuditAction::SessionsRevoked,
                        entity: AuditEntity::User,
                        entity_id: Some(id.get()),
                        summary: StoredMessage::new(key("audit-user-sessions-revoked"))
                            .text("email", target.email.as_str()),
                    },
                )?;
                Ok(())
            })
        })
        .await?;
    if id.get() == user.id {
        session.purge();
        return Ok(see_other("/login"));
    }
    i18n::set_flash(&session, key("flash-user-sessions-revoked"));
    Ok(see_other(&format!("/admin/users/{id}/edit")))
}
