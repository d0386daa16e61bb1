//! The one log-activity handler, for every record type:
//! `POST /{records}/{id}/activities`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::forms::ActivityForm;
use super::timeline::{self, NewEntry};
use super::views::{LogForm, TimelineFragment, TimelinePanel};
use super::{RecordType, links::Links};
use crate::db::write_tx;
use crate::domain::ids::{Id, UserId};
use crate::error::{AppError, AppResult};
use crate::web::render::{html, page, see_other};
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
