//! Synchronizer-token CSRF protection for every unsafe method, login and
//! logout included. The token lives in the session; forms send it as the
//! hidden `_csrf` field (in a multipart form, its first field), htmx as the
//! `X-CSRF-Token` header (set on <body>). Never in the address: a token in a
//! query string would land in access logs and Referer headers, so it is not
//! accepted there. Anything else gets 403 before a handler runs, so nothing
//! changes.

use actix_session::{Session, SessionExt};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{HttpMessage, HttpRequest};
use futures_util::StreamExt;
use rand::RngCore;

use crate::error::AppError;
use crate::i18n::key;
use crate::web::chain::{is_safe, pass_on};
use crate::web::forms::is_utf8_form;
use crate::web::multipart_token;

pub const FIELD: &str = "_csrf";
pub const HEADER: &str = "x-csrf-token";
const SESSION_KEY: &str = "csrf";
/// Form bodies larger than this are refused before parsing (413).
pub const FORM_LIMIT: usize = 256 * 1024;

fn new_token() -> String {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

/// The session's token, created on first use.
pub fn token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session.get::<String>(SESSION_KEY)? {
        return Ok(t);
    }
    rotate(session)
}

/// A new token (at sign-in, so a token seen before login is worthless after).
pub fn rotate(session: &Session) -> Result<String, AppError> {
    let t = new_token();
    session.insert(SESSION_KEY, t.clone())?;
    Ok(t)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn form_field(body: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned())
}

/// The media type without parameters, lower-cased (media types are
/// case-insensitive: `Application/X-WWW-Form-Urlencoded` is a form too).
fn essence(req: &HttpRequest) -> Option<String> {
    req.mime_type()
        .ok()
        .flatten()
        .map(|m| m.essence_str().to_ascii_lowercase())
}

/// An urlencoded form body, however its `Content-Type` is spelled.
pub fn is_urlencoded(req: &HttpRequest) -> bool {
    essence(req).as_deref() == Some("application/x-www-form-urlencoded")
}

fn multipart_boundary(req: &HttpRequest) -> Option<String> {
    let mime = req.mime_type().ok().flatten()?;
    if !mime
        .essence_str()
        .eq_ignore_ascii_case("multipart/form-data")
    {
        return None;
    }
    mime.get_param("boundary").map(|b| b.as_str().to_string())
}

/// Reads the urlencoded body (up to FORM_LIMIT), puts it back for the
/// handler, and returns it.
async fn read_form(req: &mut ServiceRequest) -> Result<Bytes, actix_web::Error> {
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > FORM_LIMIT {
            return Err(actix_web::error::ErrorPayloadTooLarge("form too large"));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    req.set_payload(body.clone().into());
    Ok(body)
}

/// Public routes whose signed link token authenticates the POST instead
/// of a session: a campaign's unsubscribe link, which mail providers POST
/// for one-click unsubscribe (RFC 8058) without any cookie. The handler
/// verifies the token (else 404) and the POST only ever unsubscribes.
/// Likewise a recipient's preference page (`/p/`: unsubscribe, subscribe
/// again, language) and a sign-up's confirmation (`/s/confirm/`), opened
/// from a mail in a browser that may hold no session: the signed token is
/// the authority, and it names the one contact the POST may change. And
/// an NPS answer's comment (`/nps/`): the token names the one answer. And
/// a campaign sender's confirmation (`/senders/verify/`), opened from the
/// mail sent to that address: the token names the one sender.
pub const TOKEN_AUTHENTICATED: [&str; 5] =
    ["/u/", "/p/", "/s/confirm/", "/nps/", "/senders/verify/"];

fn is_token_authenticated(path: &str) -> bool {
    TOKEN_AUTHENTICATED.iter().any(|p| path.starts_with(p))
}

/// Errors are answered here as responses (not `Err`), so the request frame
/// outside can still render them as pages.
pub async fn verify(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if is_safe(&req) {
        return pass_on(req, next).await;
    }
    let token_authenticated = is_token_authenticated(req.path());
    let expected = req.get_session().get::<String>(SESSION_KEY).ok().flatten();
    let mut presented = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // Form bodies are read here once: for the token when it is not in a
    // header, and to refuse bodies that are not valid UTF-8.
    let mut form_ok = true;
    if is_urlencoded(req.request()) {
        let body = match read_form(&mut req).await {
            Ok(b) => b,
            Err(e) => return Ok(req.error_response(e)),
        };
        form_ok = is_utf8_form(&body);
        if presented.is_none() {
            presented = form_field(&body);
        }
    } else if presented.is_none()
        && let Some(boundary) = multipart_boundary(req.request())
    {
        presented = match multipart_token::first_field(&mut req, &boundary).await {
            Ok(t) => t,
            Err(e) => return Ok(req.error_response(e)),
        };
    }
    let genuine = matches!((&expected, &presented), (Some(e), Some(p)) if constant_time_eq(e.as_bytes(), p.as_bytes()));
    if !genuine && !token_authenticated {
        return Ok(req.error_response(AppError::CsrfRejected));
    }
    if !form_ok {
        return Ok(req.error_response(AppError::refused(key("error-form-not-utf8"))));
    }
    pass_on(req, next).await
}
