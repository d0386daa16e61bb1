//! What the ticket setup pages (calendars, policies, canned responses)
//! share: how a save that did not take is shown, and the answer to a POST.

use actix_session::Session;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::setup_repo::Outcome;
use crate::error::AppResult;
use crate::i18n::{Locale, set_flash};
use crate::web::Htmx;
use crate::web::forms::FieldErrors;
use crate::web::render::{after_post, html};

/// A refused save: the status, the messages beside fields, a notice.
pub type Refusal = (StatusCode, FieldErrors, Option<String>);

/// What a save that did not take shows: the name taken (422, beside
/// `name_field`) or a change since the form was drawn (409, a notice; the
/// form keeps the admin's values). `None`: it took.
pub fn refusal(outcome: Outcome, loc: &Locale, name_field: &str) -> Option<Refusal> {
    match outcome {
        Outcome::Done => None,
        Outcome::Taken => {
            let mut e = FieldErrors::new();
            e.add(name_field, loc.t("tickets-setup-error-name-taken"));
            Some((StatusCode::UNPROCESSABLE_ENTITY, e, None))
        }
        Outcome::Stale | Outcome::InUse => Some((
            StatusCode::CONFLICT,
            FieldErrors::new(),
            Some(loc.t("tickets-setup-error-stale")),
        )),
    }
}

/// Done: the flash (`flash`, a message key) and on to `location`;
/// refused: the page again with its status.
pub fn answer<T: Template>(
    done: Result<(), (StatusCode, T)>,
    session: &Session,
    htmx: Htmx,
    flash: &'static str,
    location: &str,
) -> AppResult<HttpResponse> {
    match done {
        Ok(()) => {
            set_flash(session, flash);
            Ok(after_post(htmx, location))
        }
        Err((status, view)) => html(status, &view),
    }
}
