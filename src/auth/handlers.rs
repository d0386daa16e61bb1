use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{self, LocaleForm, LoginForm, NextQuery, PasswordChangeForm, SetupForm};
use super::views::{AccountPage, LoginPage, SetupPage};
use super::{password, throttle};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::auth::policy::Role;
use crate::db::{now, write_tx};
use crate::domain::EmailAddress;
use crate::domain::ids::UserId;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Arg, Lang, Locale, StoredMessage, key, negotiate};
use crate::staff::models::NewUser;
use crate::staff::repo;
use crate::web::Section;
use crate::web::forms::FieldErrors;
use crate::web::render::{html, invalid, page, see_other};
use crate::web::session;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, csrf};

type State = web::Data<AppState>;

pub async fn root(state: State) -> AppResult<HttpResponse> {
    let users = state.db(|c| Ok(repo::count_users(c)?)).await?;
    Ok(see_other(if users == 0 { "/setup" } else { "/contacts" }))
}

/// Users so far, and the language of a page for someone not signed in.
async fn public_start(state: &State, req: &HttpRequest) -> AppResult<(i64, Locale)> {
    let (users, workspace) = state
        .db(|c| Ok((repo::count_users(c)?, i18n::repo::workspace_locale(c)?)))
        .await?;
    Ok((users, negotiate::public_locale(req, workspace)))
}

/// The one-time "create the first administrator" form; gone once anyone exists.
pub async fn setup_form(
    req: HttpRequest,
    state: State,
    session: Session,
) -> AppResult<HttpResponse> {
    let (users, locale) = public_start(&state, &req).await?;
    if users > 0 {
        return Err(AppError::NotFound);
    }
    page(&SetupPage {
        locale,
        csrf: csrf::token(&session)?,
        form: SetupForm::default(),
        errors: FieldErrors::new(),
    })
}

pub async fn setup_submit(
    req: HttpRequest,
    state: State,
    session: Session,
    form: web::Form<SetupForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (users, locale) = public_start(&state, &req).await?;
    let valid = match form.validate(&locale) {
        Ok(v) => v,
        Err(errors) => {
            if users > 0 {
                return Err(AppError::NotFound);
            }
            return invalid(&SetupPage {
                locale,
                csrf: csrf::token(&session)?,
                form,
                errors,
            });
        }
    };
    let hash = web::block(move || password::hash(&valid.password))
        .await?
        .map_err(|e| AppError::unexpected(e.to_string()))?;
    let (email, name) = (valid.email.as_str().to_string(), valid.name);
    let created = state
        .db(move |c| {
            write_tx(c, |c| {
                repo::lock_setup(c)?;
                if repo::count_users(c)? > 0 {
                    return Ok(None);
                }
                let t = now();
                let id = repo::insert_user(
                    c,
                    &NewUser {
                        email: &email,
                        name: &name,
                        password_hash: &hash,
                        role: Role::Admin,
                        team_id: None,
                        active: true,
                        session_epoch: 0,
                        created_at: t,
                        updated_at: t,
                    },
                )?;
                audit::record(
                    c,
                    Entry {
                        actor: Some(id.get()),
                        action: AuditAction::Setup,
                        entity: AuditEntity::User,
                        entity_id: Some(id.get()),
                        summary: StoredMessage::new(key("audit-setup"))
                            .text("email", email.as_str()),
                    },
                )?;
                repo::record_login(c, id)?;
                Ok::<_, AppError>(Some(id))
            })
        })
        .await?;
    let Some(id) = created else {
        return Err(AppError::NotFound);
    };
    session::sign_in(&session, id.get(), 0)?;
    i18n::set_flash(&session, key("flash-welcome"));
    Ok(see_other("/contacts"))
}

pub async fn login_form(
    req: HttpRequest,
    state: State,
    session: Session,
    query: web::Query<NextQuery>,
) -> AppResult<HttpResponse> {
    let (users, locale) = public_start(&state, &req).await?;
    if users == 0 {
        return Ok(see_other("/setup"));
    }
    let next = forms::safe_next(&query.next)
        .unwrap_or_default()
        .to_string();
    page(&LoginPage {
        locale,
        csrf: csrf::token(&session)?,
        form: LoginForm {
            next,
            ..LoginForm::default()
        },
        error: None,
        notice: None,
    })
}

pub async fn login_submit(
    req: HttpRequest,
    state: State,
    session: Session,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let mut form = form.into_inner();
    // The stored form of the address (an IDN domain typed as punycode finds
    // its account too); anything unparseable is looked up as typed.
    let email = EmailAddress::parse(&form.email)
        .map(|e| e.as_str().to_string())
        .unwrap_or_else(|_| form.email.trim().to_lowercase());
    let ip = req.peer_addr().map(|a| a.ip());
    let workspace = state.db(|c| Ok(i18n::repo::workspace_locale(c)?)).await?;
    let locale = negotiate::public_locale(&req, workspace);
    let failed = |form: LoginForm, status: StatusCode, error: &str, session: &Session| {
        html(
            status,
            &LoginPage {
                locale,
                csrf: csrf::token(session)?,
                form: LoginForm {
                    password: String::new(),
                    ..form
                },
                error: Some(error.to_string()),
                notice: None,
            },
        )
    };
    if let Some(wait) = throttle::blocked_for(&state, &email, ip).await? {
        let res = failed(
            form,
            StatusCode::TOO_MANY_REQUESTS,
            &too_many(&locale, wait),
            &session,
        )?;
        return Ok(retry_after(res, wait));
    }
    let lookup = email.clone();
    let user = state
        .db(move |c| Ok(repo::find_by_email(c, &lookup)?))
        .await?;
    let password = std::mem::take(&mut form.password);
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = web::block(move || password::verify(&password, stored.as_deref())).await?;
    let user = match user {
        Some(u) if ok && u.active => u,
        _ => {
            throttle::record_failure(&state, &email, ip).await?;
            return failed(
                form,
                StatusCode::UNAUTHORIZED,
                &locale.t("login-incorrect"),
                &session,
            );
        }
    };
    throttle::clear(&state, &email, ip).await?;
    let id = user.id;
    state
        .db(move |c| Ok(write_tx(c, |c| repo::record_login(c, id))?))
        .await?;
    session::sign_in(&session, user.id.get(), user.session_epoch)?;
    let next = forms::safe_next(&form.next).unwrap_or("/contacts");
    Ok(see_other(next))
}

fn too_many(locale: &Locale, wait_secs: u64) -> String {
    let minutes = i64::try_from(wait_secs.div_ceil(60)).unwrap_or(i64::MAX);
    locale.t_args("login-throttled", &[("minutes", Arg::Num(minutes))])
}

fn retry_after(mut res: HttpResponse, wait_secs: u64) -> HttpResponse {
    res.headers_mut().insert(
        actix_web::http::header::RETRY_AFTER,
        actix_web::http::header::HeaderValue::from(wait_secs),
    );
    res
}

pub async fn logout(session: Session) -> HttpResponse {
    session.purge();
    see_other("/login")
}

/// The account page, with the user's stored choices or the ones just refused.
async fn account_view(
    state: &State,
    user: &CurrentUser,
    prefs: Option<LocaleForm>,
    errors: FieldErrors,
) -> AppResult<AccountPage> {
    let id = user.id;
    let (row, choices, workspace) = state
        .db(move |c| {
            let row = repo::get_user(c, UserId::new(id))?.ok_or(AppError::NotFound)?;
            let choices = i18n::repo::user_choices(c, id)?;
            Ok((row, choices, i18n::repo::workspace_locale(c)?))
        })
        .await?;
    let prefs = prefs.unwrap_or_else(|| LocaleForm {
        language: choices.0.unwrap_or_default(),
        time_zone: choices.1.unwrap_or_default(),
    });
    Ok(AccountPage {
        chrome: Chrome::new(user, Section::Account),
        email: user.email.clone(),
        last_sign_in: row.last_login_at,
        prefs,
        workspace,
        languages: Lang::ALL,
        zones: &chrono_tz::TZ_VARIANTS,
        errors,
    })
}

pub async fn account_page(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    page(&account_view(&state, &user, None, FieldErrors::new()).await?)
}

/// One's own language and time zone.
pub async fn save_locale(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<LocaleForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (lang, tz) = match form.validate(&user.locale) {
        Ok(v) => v,
        Err(errors) => return invalid(&account_view(&state, &user, Some(form), errors).await?),
    };
    let id = user.id;
    state
        .db(move |c| {
            Ok(write_tx(c, |c| {
                i18n::repo::set_user_locale(c, id, lang, tz)
            })?)
        })
        .await?;
    i18n::set_flash(&session, key("flash-preferences-saved"));
    Ok(see_other("/account"))
}

/// Guessing the current password here is throttled exactly like signing in
/// (same counter: this account from this address), so a borrowed session
/// cannot be used to try passwords at full speed.
pub async fn change_password(
    req: HttpRequest,
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<PasswordChangeForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let ip = req.peer_addr().map(|a| a.ip());
    if let Some(wait) = throttle::blocked_for(&state, &user.email, ip).await? {
        let mut errors = FieldErrors::new();
        errors.add("current_password", too_many(&user.locale, wait));
        let page = account_view(&state, &user, None, errors).await?;
        let res = html(StatusCode::TOO_MANY_REQUESTS, &page)?;
        return Ok(retry_after(res, wait));
    }
    let id = user.id;
    let current = state
        .db(move |c| Ok(repo::get_user(c, UserId::new(id))?))
        .await?
        .ok_or(AppError::NotFound)?;
    let given = form.current_password.clone();
    let ok = web::block(move || password::verify(&given, Some(&current.password_hash))).await?;
    let mut errors = FieldErrors::new();
    if ok {
        throttle::clear(&state, &user.email, ip).await?;
    } else {
        throttle::record_failure(&state, &user.email, ip).await?;
        errors.add(
            "current_password",
            user.locale.t("error-not-current-password"),
        );
    }
    forms::check_new_password(
        &form.new_password,
        &form.new_password_confirm,
        ("new_password", &mut errors),
        &user.locale,
    );
    if !errors.is_empty() {
        return invalid(&account_view(&state, &user, None, errors).await?);
    }
    let new_password = form.new_password;
    let hash = web::block(move || password::hash(&new_password))
        .await?
        .map_err(|e| AppError::unexpected(e.to_string()))?;
    let epoch = state
        .db(move |c| {
            write_tx(c, |c| {
                repo::set_password(c, UserId::new(id), &hash)?;
                audit::record(
                    c,
                    Entry {
                        actor: Some(id),
                        action: AuditAction::PasswordChange,
                        entity: AuditEntity::User,
                        entity_id: Some(id),
                        summary: StoredMessage::new(key("audit-own-password-changed")),
                    },
                )?;
                Ok::<_, AppError>(repo::get_user(c, UserId::new(id))?.map(|u| u.session_epoch))
            })
        })
        .await?
        .ok_or(AppError::NotFound)?;
    session::keep_after_epoch_bump(&session, epoch)?;
    i18n::set_flash(&session, key("flash-password-changed"));
    Ok(see_other("/account"))
}

pub async fn revoke_sessions(
    user: CurrentUser,
    state: State,
    session: Session,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let epoch = state
        .db(move |c| {
            write_tx(c, |c| {
                repo::bump_epoch(c, UserId::new(id))?;
                audit::record(
                    c,
                    Entry {
                        actor: Some(id),
                        action: AuditAction::SessionsRevoked,
                        entity: AuditEntity::User,
                        entity_id: Some(id),
                        summary: StoredMessage::new(key("audit-own-sessions-revoked")),
                    },
                )?;
                Ok::<_, AppError>(repo::get_user(c, UserId::new(id))?.map(|u| u.session_epoch))
            })
        })
        .await?
        .ok_or(AppError::NotFound)?;
    session::keep_after_epoch_bump(&session, epoch)?;
    i18n::set_flash(&session, key("flash-sessions-revoked"));
    Ok(see_other("/account"))
}
