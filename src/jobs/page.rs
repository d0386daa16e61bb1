//! `/admin/jobs`: what the workers have queued, are running, have given up
//! on (with the error and a "retry now" button) and finished lately, and the
//! mail outbox. Admins only (the admin module's route table).

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::repo;
use super::views::JobsPage;
use crate::db::{now, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::key;
use crate::mail::outbox;
use crate::web::render::{after_post, page};
use crate::web::session::set_flash;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

/// Rows shown per section.
const SHOWN: i64 = 50;

pub async fn show(user: CurrentUser, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let view = state
        .db(move |c| {
            Ok(JobsPage {
                chrome: Chrome::new(&user, Section::Admin),
                counts: repo::counts(c)?,
                failed: repo::with_status(c, repo::FAILED, SHOWN)?,
                running: repo::with_status(c, repo::RUNNING, SHOWN)?,
                queued: repo::with_status(c, repo::QUEUED, SHOWN)?,
                done: repo::with_status(c, repo::DONE, SHOWN)?,
                outbox: outbox::recent(c, SHOWN)?,
            })
        })
        .await?;
    page(&view)
}

/// Queues a failed job again with a fresh set of attempts.
pub async fn retry(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    htmx: Htmx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let queued = state
        .db(move |c| {
            repo::get(c, id)?.ok_or(AppError::NotFound)?;
            Ok(write_tx(c, |c| repo::retry_failed(c, id, now()))?)
        })
        .await?;
    let k = if queued {
        key("flash-job-retried")
    } else {
        key("flash-job-not-failed")
    };
    set_flash(&session, user.locale.t_num(k, "id", id));
    Ok(after_post(htmx, "/admin/jobs"))
}
