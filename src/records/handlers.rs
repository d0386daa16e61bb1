//! The handlers every record type shares: logging an activity
//! (`POST /{records}/{id}/activities`) and deleting the record
//! (`POST /{records}/{id}/delete`).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::forms::ActivityForm;
use super::timeline::{self, NewEntry};
use super::views::{LogForm, TimelineFragment, TimelinePanel};
use super::{RecordType, links::Links};
use crate::audit::{self, AuditAction, Entry};
use crate::db::write_tx;
use crate::domain::ids::{Id, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key, set_flash};
use crate::web::render::{after_post, html, page, see_other};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx};

/// Entries a record's page shows.
pub const TIMELINE_LIMIT: i64 = 200;

/// Logs a note, call or meeting on the record (and the records it is filed
/// under). With htmx the timeline comes back to replace itself; without,
/// a redirect to the record's timeline, or its page again (422) with the
/// error beside the form.
pub async fn add_activity<R: RecordType>(
    user: CurrentUser,
    state: web::Data<AppState>,
    htmx: Htmx,
    path: web::Path<Id<R>>,
    form: web::Form<ActivityForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let record = R::record(id);
    let form = form.into_inner();
    let checked = form.validate();
    let (viewer, author) = (user.viewer(), UserId::new(user.id));
    let entry = checked
        .as_ref()
        .ok()
        .map(|a| (a.kind, a.subject.clone(), a.body.clone()));
    let entries = state
        .db(move |c| {
            let filing: Links = R::filing(c, &viewer, id)?.ok_or(AppError::NotFound)?;
            if let Some((kind, subject, body)) = entry {
                write_tx(c, |c| {
                    timeline::log(
                        c,
                        &NewEntry {
                            links: filing,
                            kind,
                            subject: subject.as_deref(),
                            body: &body,
                            author: Some(author),
                            reference: None,
                        },
                    )?;
                    R::touch(c, id)
                })?;
            }
            Ok(timeline::of(c, record, TIMELINE_LIMIT)?)
        })
        .await?;
    match checked {
        Ok(_) if !htmx.fragment() => Ok(see_other(&format!("{}#timeline", record.href()))),
        Ok(_) => page(&TimelineFragment {
            chrome: Chrome::new(&user, record.kind().section()),
            timeline: TimelinePanel::new(record, entries, true),
        }),
        Err(message) => {
            let log = LogForm {
                form,
                error: Some(user.locale.message(&message)),
            };
            if htmx.fragment() {
                let mut timeline = TimelinePanel::new(record, entries, true);
                timeline.log = log;
                let fragment = TimelineFragment {
                    chrome: Chrome::new(&user, record.kind().section()),
                    timeline,
                };
                html(StatusCode::UNPROCESSABLE_ENTITY, &fragment)
            } else {
                R::invalid_log(&state, &user, id, log).await
            }
        }
    }
}

/// Deletes a record the viewer can see (404 otherwise), audit-logged in the
/// same transaction, then back to its list with a message.
pub async fn delete<R: RecordType>(
    user: CurrentUser,
    state: web::Data<AppState>,
    htmx: Htmx,
    session: Session,
    path: web::Path<Id<R>>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (viewer, actor) = (user.viewer(), user.id);
    state
        .db(move |c| {
            let summary = R::describe(c, &viewer, id)?.ok_or(AppError::NotFound)?;
            write_tx(c, |c| {
                R::delete(c, id)?;
                let entry = Entry {
                    actor: Some(actor),
                    action: AuditAction::Delete,
                    entity: R::AUDIT,
                    entity_id: Some(id.get()),
                    summary: StoredMessage::new(key("audit-record")).text("name", summary.as_str()),
                };
                audit::record(c, entry)?;
                Ok(())
            })
        })
        .await?;
    set_flash(&session, R::DELETED);
    Ok(after_post(htmx, R::LIST_PATH))
}
