//! The signed-in user. The session cookie (encrypted, HttpOnly) holds the user
//! id, the user's session epoch, the CSRF token and two timestamps; every
//! request re-reads the user row, so deactivation, a password or role change
//! and "log out everywhere" (which all bump the epoch) end other sessions on
//! their next request, and the idle and absolute timeouts are enforced here.

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::auth::policy::{Action, Role, Scope, Viewer};
use crate::db::PooledConn;
use crate::domain::ids::UserId;
use crate::error::{AppError, AppResult};
use crate::staff;
use crate::web::state::AppState;

pub const USER_ID: &str = "uid";
pub const EPOCH: &str = "epoch";
pub const SEEN_AT: &str = "seen";
pub const AUTH_AT: &str = "auth_at";
pub const FLASH: &str = "flash";

/// How often the "last seen" stamp is rewritten (each rewrite re-sends the cookie).
const SEEN_GRANULARITY_SECS: i64 = 60;

#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team_id: Option<i64>,
    pub scope: Scope,
    pub csrf: String,
    pub flash: Option<String>,
    /// Their language and zone (own setting, else the workspace's).
    pub locale: crate::i18n::Locale,
}

impl CurrentUser {
    pub fn can(&self, action: Action) -> bool {
        self.role.can(action)
    }

    /// Who is looking, for the record-scope filters in the repositories.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            user_id: self.id,
            team_id: self.team_id,
            scope: self.scope,
        }
    }
}

/// Starts a signed-in session: a fresh cookie state and a fresh CSRF token.
pub fn sign_in(session: &Session, user_id: i64, epoch: i64) -> AppResult<()> {
    let now = chrono::Utc::now().timestamp();
    // clear + renew (not purge: a purged session ignores later inserts).
    session.clear();
    session.renew();
    session.insert(USER_ID, user_id)?;
    session.insert(EPOCH, epoch)?;
    session.insert(SEEN_AT, now)?;
    session.insert(AUTH_AT, now)?;
    crate::web::csrf::rotate(session)?;
    Ok(())
}

/// Keeps this session valid after its user's epoch moved (password change,
/// "sign out everywhere else"): other sessions end, this one and its open
/// tabs (same CSRF token) go on.
pub fn keep_after_epoch_bump(session: &Session, epoch: i64) -> AppResult<()> {
    session.insert(EPOCH, epoch)?;
    Ok(())
}

pub fn set_flash(session: &Session, message: impl Into<String>) {
    // A lost flash message is cosmetic; never fail the request for it.
    let _ = session.insert(FLASH, message.into());
}

/// Used by the access middleware; the result is cached in request extensions.
/// The connection that read the user comes back too, to be lent to the handler.
pub async fn load_current_user(req: &ServiceRequest) -> AppResult<(CurrentUser, PooledConn)> {
    let session = req.get_session();
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| AppError::unexpected("application state missing"))?
        .clone();
    let Some(user_id) = session.get::<i64>(USER_ID)? else {
        return Err(AppError::Unauthenticated);
    };
    let now = chrono::Utc::now().timestamp();
    let seen = session.get::<i64>(SEEN_AT)?.unwrap_or(0);
    let auth_at = session.get::<i64>(AUTH_AT)?.unwrap_or(0);
    let idle = state.config.session_idle.as_secs() as i64;
    let absolute = state.config.session_absolute.as_secs() as i64;
    if now - seen > idle || now - auth_at > absolute {
        session.purge();
        return Err(AppError::Unauthenticated);
    }
    let epoch = session.get::<i64>(EPOCH)?.unwrap_or(-1);
    let (row, conn) = state
        .db_keep(move |c| Ok(staff::repo::request_user(c, UserId::new(user_id))?))
        .await?;
    let Some((user, scope, locale)) = row else {
        session.purge();
        return Err(AppError::Unauthenticated);
    };
    // An unknown stored role or scope fails the read itself (db::text_enum).
    let role = user.role;
    if !user.active || user.session_epoch != epoch {
        session.purge();
        return Err(AppError::Unauthenticated);
    }
    if now - seen >= SEEN_GRANULARITY_SECS {
        session.insert(SEEN_AT, now)?;
    }
    crate::i18n::remember(&session, locale);
    let csrf = crate::web::csrf::token(&session)?;
    let flash = session
        .remove_as::<String>(FLASH)
        .and_then(Result::ok)
        .map(|f| locale.flash(&f));
    let current = CurrentUser {
        id: user.id.get(),
        name: user.name,
        email: user.email,
        role,
        team_id: user.team_id.map(|t| t.get()),
        scope,
        csrf,
        flash,
        locale,
    };
    Ok((current, conn))
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    /// Only routes declared `Access::Staff` have a user; anywhere else this is
    /// a wiring mistake, answered as "not signed in" rather than a panic.
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<CurrentUser>()
                .cloned()
                .ok_or(AppError::Unauthenticated),
        )
    }
}
