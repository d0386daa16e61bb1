//! Turning templates into responses, and the redirects that follow a POST.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use crate::error::AppResult;
use crate::web::Htmx;

pub fn html<T: Template>(status: StatusCode, t: &T) -> AppResult<HttpResponse> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(t.render()?))
}

pub fn page<T: Template>(t: &T) -> AppResult<HttpResponse> {
    html(StatusCode::OK, t)
}

/// Validation failed: the form comes back with the user's values and the
/// messages beside the fields (htmx swaps 422 in place).
pub fn invalid<T: Template>(t: &T) -> AppResult<HttpResponse> {
    html(StatusCode::UNPROCESSABLE_ENTITY, t)
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

/// After a successful POST: 303 for a plain form, a client-side redirect for htmx.
pub fn after_post(htmx: Htmx, location: &str) -> HttpResponse {
    if htmx.request {
        HttpResponse::Ok()
            .insert_header(("HX-Redirect", location))
            .finish()
    } else {
        see_other(location)
    }
}

/// After a record form saved: the flash says "created" for a new record and
/// "saved" for an edit (`flashes`: the two message keys), then the record's
/// page as `after_post` goes there.
pub fn after_save(
    session: &actix_session::Session,
    htmx: Htmx,
    is_new: bool,
    flashes: (&'static str, &'static str),
    location: &str,
) -> HttpResponse {
    let (created, saved) = flashes;
    crate::i18n::set_flash(session, if is_new { created } else { saved });
    after_post(htmx, location)
}
