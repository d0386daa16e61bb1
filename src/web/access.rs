//! Route-level access: public, or signed-in staff allowed one action.

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::auth::policy::Action;
use crate::error::AppError;
use crate::web::session::load_current_user;

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
    if let Access::Staff(action) = access {
        let user = match load_current_user(&req).await {
            Ok(u) => u,
            Err(e) => return Ok(req.error_response(e)),
        };
        let allowed = user.role.can(action);
        // Inserted before the check: the refusal page is in the user's language.
        req.extensions_mut().insert(user);
        if !allowed {
            return Ok(req.error_response(AppError::Forbidden));
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
