//! "Fragment or full page?" decided once, from htmx's request headers.

use std::future::{Ready, ready};

use actix_web::http::header::HeaderMap;
use actix_web::{FromRequest, HttpRequest, dev::Payload};

#[derive(Clone, Copy, Debug, Default)]
pub struct Htmx {
    /// The request came from htmx (`HX-Request: true`).
    pub request: bool,
    /// htmx is restoring history after a cache miss and needs the full page.
    pub history_restore: bool,
}

impl Htmx {
    pub fn from_headers(h: &HeaderMap) -> Htmx {
        let flag = |name: &str| h.get(name).is_some_and(|v| v.as_bytes() == b"true");
        Htmx {
            request: flag("hx-request"),
            history_restore: flag("hx-history-restore-request"),
        }
    }

    /// Render only the swapped region.
    pub fn fragment(&self) -> bool {
        self.request && !self.history_restore
    }
}

impl FromRequest for Htmx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Htmx::from_headers(req.headers())))
    }
}
