//! Synchronizer-token CSRF protection for every unsafe method, login and
//! logout included. The token lives in the session; forms send it as the
//! hidden `_csrf` field, htmx as the `X-CSRF-Token` header (set on <body>),
//! multipart forms in the query string. Anything else gets 403 before a
//! handler runs, so nothing changes.

use actix_session::{Session, SessionExt};
use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::BytesMut;
use futures_util::StreamExt;
use rand::RngCore;

use crate::error::AppError;
use crate::web::forms::is_utf8_form;

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

fn from_query(req: &ServiceRequest) -> Option<String> {
    form_field(req.query_string().as_bytes())
}

fn form_field(body: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned())
}

fn is_urlencoded(req: &ServiceRequest) -> bool {
    req.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Errors are answered here as responses (not `Err`), so the request frame
/// outside can still render them as pages.
pub async fn verify(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let expected = req.get_session().get::<String>(SESSION_KEY).ok().flatten();
    let mut presented = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| from_query(&req));
    // Form bodies are read here once: for the token when it is not in a
    // header, and to refuse bodies that are not valid UTF-8.
    let mut form_ok = true;
    if is_urlencoded(&req) {
        let mut payload = req.take_payload();
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => return Ok(req.error_response(e)),
            };
            if body.len() + chunk.len() > FORM_LIMIT {
                return Ok(
                    req.error_response(actix_web::error::ErrorPayloadTooLarge("form too large"))
                );
            }
            body.extend_from_slice(&chunk);
        }
        let body = body.freeze();
        form_ok = is_utf8_form(&body);
        if presented.is_none() {
            presented = form_field(&body);
        }
        req.set_payload(body.into());
    }
    let genuine = matches!((&expected, &presented), (Some(e), Some(p)) if constant_time_eq(e.as_bytes(), p.as_bytes()));
    if !genuine {
        return Ok(req.error_response(AppError::CsrfRejected));
    }
    if !form_ok {
        return Ok(req.error_response(AppError::BadRequest(
            "The form contains bytes that are not valid text (UTF-8). Nothing was saved.".into(),
        )));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
