//! One error type for the whole app. Handlers return `AppError`; the request
//! frame (web::frame) turns it into a friendly page or htmx fragment carrying
//! the request id. The cause is logged here, once, and never shown.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::i18n::{Arg, Message, key};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("missing or wrong CSRF token")]
    CsrfRejected,
    #[error("not signed in")]
    Unauthenticated,
    /// A bad request explained by a message key (`AppError::refused`).
    #[error("bad request: {0:?}")]
    Refused(Message),
    /// The request clashes with the data (a taken name, a gone file),
    /// explained by a message.
    #[error("conflict: {0:?}")]
    Conflict(Message),
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable")]
    Unavailable(#[source] BoxError),
    #[error("unexpected error")]
    Unexpected(#[source] BoxError),
}

/// What the request frame needs to render an error page; attached to the
/// response as an extension because `ResponseError` cannot see the request.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub detail: Option<Message>,
}

/// Marks the redirect of `AppError::Unauthenticated`, which the frame
/// completes with `?next=` (or turns into `HX-Redirect` for htmx).
#[derive(Clone, Copy, Debug)]
pub struct LoginRequired;

impl AppError {
    pub fn unexpected(e: impl Into<BoxError>) -> Self {
        AppError::Unexpected(e.into())
    }

    /// 400 with the message `key`, put into the viewer's words on the page.
    pub fn refused(key: &'static str) -> Self {
        AppError::Refused(Message::Key(key, Vec::new()))
    }

    /// 409 with the message `key`.
    pub fn conflict(key: &'static str) -> Self {
        AppError::Conflict(Message::Key(key, Vec::new()))
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        // A deadlock, lock wait timeout or Galera certification conflict that
        // `db::write_tx` could not get past in its attempts: "busy, try
        // again" (503), never a 500 (docs/scale-out.md).
        if crate::db::is_retryable(&e) {
            return AppError::Unavailable(e.into());
        }
        match e {
            E::NotFound => AppError::NotFound,
            E::DatabaseError(K::UniqueViolation, _) => AppError::conflict(key("error-duplicate")),
            ref lost if connection_lost(lost) => AppError::Unavailable(e.into()),
            other => AppError::Unexpected(other.into()),
        }
    }
}

/// The database went away under the statement — also at COMMIT, where
/// diesel reports the failed commit and the failed rollback after it
/// (`RollbackErrorOnCommit`; a Galera node killed mid-commit): whether the
/// commit took is unknown, so the answer is "try again" (503), not a 500.
fn connection_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind as K, Error as E};
    match e {
        E::DatabaseError(K::ClosedConnection | K::UnableToSendCommand, _) => true,
        E::DatabaseError(_, info) => is_connection_lost(info.message()),
        E::RollbackErrorOnCommit { commit_error, .. } => connection_lost(commit_error),
        _ => false,
    }
}

/// MySQL client errors 2006/2013 ("server has gone away", "lost connection")
/// and SQLite's busy/locked mean "try again later", not a bug.
fn is_connection_lost(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("gone away")
        || m.contains("lost connection")
        || m.contains("can't connect")
        || m.contains("database is locked")
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        AppError::Unavailable(e.into())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Unexpected(e.into())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Unexpected(e.into())
    }
}

impl From<actix_session::SessionInsertError> for AppError {
    fn from(e: actix_session::SessionInsertError) -> Self {
        AppError::Unexpected(e.into())
    }
}

impl From<actix_session::SessionGetError> for AppError {
    fn from(e: actix_session::SessionGetError) -> Self {
        AppError::Unexpected(e.into())
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::SEE_OTHER,
            AppError::Refused(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            AppError::Unexpected(cause) => {
                tracing::error!(error = %cause, cause = ?cause, "request failed")
            }
            AppError::Unavailable(cause) => tracing::warn!(error = %cause, "database unavailable"),
            _ => {}
        }
        if let AppError::Unauthenticated = self {
            // The frame turns this into an HX-Redirect for htmx requests.
            let mut res = HttpResponse::SeeOther()
                .insert_header(("Location", "/login"))
                .finish();
            res.extensions_mut().insert(LoginRequired);
            return res;
        }
        let mut res = HttpResponse::build(status);
        if let AppError::TooManyRequests { retry_after_secs } = self {
            res.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        // Put into words by the request frame, in the viewer's language.
        let detail = match self {
            AppError::Refused(m) | AppError::Conflict(m) => Some(m.clone()),
            AppError::CsrfRejected => Some(Message::Key(key("error-csrf"), vec![])),
            AppError::TooManyRequests { retry_after_secs } => Some(Message::Key(
                key("error-throttled"),
                vec![(
                    "minutes",
                    Arg::Num(i64::try_from(retry_after_secs.div_ceil(60)).unwrap_or(i64::MAX)),
                )],
            )),
            _ => None,
        };
        let mut res = res.finish();
        res.extensions_mut().insert(ErrorInfo { status, detail });
        res
    }
}

pub type AppResult<T> = Result<T, AppError>;
