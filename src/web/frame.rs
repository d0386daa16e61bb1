//! The outermost layer of every response: security headers, `Vary`, the
//! request id, and friendly error pages (full page, or an htmx fragment aimed
//! at the alert region) in place of bare error bodies.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{ConnectionType, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError};
use askama::Template;

use crate::error::{ErrorInfo, LoginRequired};
use crate::i18n::{self, Locale, key, negotiate};
use crate::web::CurrentUser;
use crate::web::Htmx;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; \
frame-ancestors 'none'";

/// The policy of a whole email shown as its own page (a campaign's full
/// preview, the public archive): its inline styles apply, its images load,
/// and nothing runs (no scripts, `sandbox`), whatever the sanitised body
/// holds.
const MAIL_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src https: http: data:; \
form-action 'none'; base-uri 'none'; frame-ancestors 'none'; sandbox allow-popups allow-popups-to-escape-sandbox";

/// Marks a response that is a whole email document (`MAIL_CSP`).
#[derive(Clone, Copy, Debug)]
pub struct MailDocument;

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage<'a> {
    locale: Locale,
    status: u16,
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
}

#[derive(Template)]
#[template(path = "errors/error.html", block = "alert")]
struct ErrorFragment<'a> {
    locale: Locale,
    status: u16,
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
}

/// Message keys of an error page's title and text.
fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (key("error-400-title"), key("error-400-text")),
        403 => (key("error-403-title"), key("error-403-text")),
        404 => (key("error-404-title"), key("error-404-text")),
        405 => (key("error-405-title"), key("error-405-text")),
        408 => (key("error-408-title"), key("error-408-text")),
        409 => (key("error-409-title"), key("error-409-text")),
        413 => (key("error-413-title"), key("error-413-text")),
        415 => (key("error-415-title"), key("error-415-text")),
        429 => (key("error-429-title"), key("error-429-text")),
        503 => (key("error-503-title"), key("error-503-text")),
        s if s >= 500 => (key("error-500-title"), key("error-500-text")),
        _ => (key("error-other-title"), key("error-other-text")),
    }
}

/// The signed-in user's locale (loaded, or kept in the session), else the
/// browser's language: an error page must not need the database.
fn viewer_locale(req: &actix_web::HttpRequest) -> Locale {
    let loaded = req.extensions().get::<CurrentUser>().map(|u| u.locale);
    loaded
        .or_else(|| req.extensions().get::<i18n::Remembered>().map(|r| r.0))
        .unwrap_or_else(|| negotiate::public_locale(req, Locale::default()))
}

fn login_location(req: &actix_web::HttpRequest) -> String {
    if req.method() == Method::GET && req.path() != "/" {
        let target = match req.query_string() {
            "" => req.path().to_string(),
            q => format!("{}?{}", req.path(), q),
        };
        let next: String = url::form_urlencoded::byte_serialize(target.as_bytes()).collect();
        format!("/login?next={next}")
    } else {
        "/login".to_string()
    }
}

pub async fn frame(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let htmx = Htmx::from_headers(req.headers());
    let request_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string())
        .unwrap_or_default();
    let is_static = req.path().starts_with("/static/");

    // Inner layers answer errors as responses; an `Err` here (from the
    // session layer) cannot be framed without its request, so it passes on.
    let (req, mut res) = next.call(req).await?.map_into_boxed_body().into_parts();

    let status = res.status();
    // Only `AppError::Unauthenticated` carries this marker; a plain redirect
    // to /login (logout, say) passes through untouched.
    let unauthenticated = res.extensions().get::<LoginRequired>().is_some();
    if unauthenticated {
        let location = login_location(&req);
        res = if htmx.request {
            HttpResponse::Ok()
                .insert_header(("HX-Redirect", location))
                .finish()
        } else {
            HttpResponse::SeeOther()
                .insert_header(("Location", location))
                .finish()
        };
    } else if status.as_u16() >= 400 && !is_html(&res) {
        res = error_page(&res, status, htmx, &request_id, viewer_locale(&req));
    }

    let policy = if res.extensions().get::<MailDocument>().is_some() {
        MAIL_CSP
    } else {
        CSP
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.append(header::VARY, HeaderValue::from_static("HX-Request"));
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        h.insert(header::HeaderName::from_static("x-request-id"), v);
    }
    Ok(ServiceResponse::new(req, res))
}

fn is_html(res: &HttpResponse) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn error_page(
    res: &HttpResponse,
    status: StatusCode,
    htmx: Htmx,
    request_id: &str,
    locale: Locale,
) -> HttpResponse {
    let (title_key, text_key) = describe(status);
    let title = &locale.t(title_key);
    let message = &match res
        .extensions()
        .get::<ErrorInfo>()
        .and_then(|i| i.detail.as_ref())
    {
        Some(detail) => locale.message(detail),
        None => locale.t(text_key),
    };
    let body = if htmx.fragment() {
        ErrorFragment {
            locale,
            status: status.as_u16(),
            title,
            message,
            request_id,
        }
        .render()
    } else {
        ErrorPage {
            locale,
            status: status.as_u16(),
            title,
            message,
            request_id,
        }
        .render()
    };
    let mut out = HttpResponse::build(status);
    for (name, value) in res.headers() {
        if name == header::RETRY_AFTER || name == header::ALLOW {
            out.insert_header((name.clone(), value.clone()));
        }
    }
    if htmx.fragment() {
        // Show the error in the page's alert region instead of the swap target.
        out.insert_header(("HX-Retarget", "#alerts"));
        out.insert_header(("HX-Reswap", "innerHTML"));
    }
    let mut page = match body {
        Ok(html) => out.content_type("text/html; charset=utf-8").body(html),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            out.content_type("text/plain; charset=utf-8")
                .body(format!("{title}. Request id: {request_id}"))
        }
    };
    // A layer that left the body unread (408) asked for the connection to close.
    if res.head().connection_type() == ConnectionType::Close {
        page.head_mut().set_connection_type(ConnectionType::Close);
    }
    page
}

/// Requests no route matched.
pub async fn not_found() -> HttpResponse {
    crate::error::AppError::NotFound.error_response()
}
