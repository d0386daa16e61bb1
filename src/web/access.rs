//! Route-level access: public, or signed-in staff allowed one action.

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::auth::policy::Action;
use crate::error::AppError;
use crate::web::chain::{is_safe, pass_on};
use crate::web::session::load_current_user;
use crate::web::state::lend;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (login, setup, health checks, static files).
    Public,
    /// A signed-in, active user whose role grants the action.
    Staff(Action),
}

/// Refusals are answered as responses (not `Err`) so the request frame can
/// render them as pages.
pub async fn enforce<B: MessageBody + 'static>(
    access: Access,
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Access::Staff(action) = access else {
        return pass_on(req, next).await;
    };
    let (user, conn) = match load_current_user(&req).await {
        Ok(u) => u,
        Err(e) => return Ok(req.error_response(e)),
    };
    if !user.role.can(action) {
        return Ok(req.error_response(AppError::Forbidden));
    }
    req.extensions_mut().insert(user);
    let body_read = body_is_read(&req);
    let handler = pass_on(req, next);
    if body_read {
        lend(conn, handler).await
    } else {
        // A body still to come (an upload) may take long: no connection
        // waits idle for it.
        drop(conn);
        handler.await
    }
}

/// True when the request has no body to wait for: no body by method, or a
/// form body the CSRF layer has already read.
fn body_is_read(req: &ServiceRequest) -> bool {
    is_safe(req) || crate::web::csrf::is_urlencoded(req.request())
}
