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
use crate::web::Htmx;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; \
frame-ancestors 'none'";

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
}

#[derive(Template)]
#[template(path = "errors/error.html", block = "alert")]
struct ErrorFragment<'a> {
    status: u16,
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
}

fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "Bad request",
            "The request could not be understood. Check the form and try again.",
        ),
        403 => (
            "Not allowed",
            "You do not have permission to do this. Ask an administrator if you need access.",
        ),
        404 => (
            "Not found",
            "There is nothing here. It may have been deleted, or the address is wrong.",
        ),
        405 => (
            "Not allowed",
            "This address does not accept that kind of request.",
        ),
        408 => (
            "Too slow",
            "What you sent arrived too slowly and was not read. Try again.",
        ),
        409 => (
            "Conflict",
            "Someone else changed this at the same time. Reload and try again.",
        ),
        413 => ("Too large", "What you sent is larger than Rapport accepts."),
        415 => (
            "Unsupported",
            "Rapport cannot read what was sent in that format.",
        ),
        429 => (
            "Slow down",
            "Too many attempts. Wait a little and try again.",
        ),
        503 => (
            "Temporarily unavailable",
            "Rapport cannot reach its database right now. It will recover by itself; try again in a moment.",
        ),
        s if s >= 500 => (
            "Something went wrong",
            "An unexpected error stopped this request. It has been logged.",
        ),
        _ => ("Request failed", "The request could not be completed."),
    }
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
        res = error_page(&res, status, htmx, &request_id);
    }

    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
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
) -> HttpResponse {
    let (title, default_message) = describe(status);
    let detail = res
        .extensions()
        .get::<ErrorInfo>()
        .and_then(|i| i.detail.clone());
    let message = detail.as_deref().unwrap_or(default_message);
    let body = if htmx.fragment() {
        ErrorFragment {
            status: status.as_u16(),
            title,
            message,
            request_id,
        }
        .render()
    } else {
        ErrorPage {
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
