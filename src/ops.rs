//! Health checks and static assets.

use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;

use crate::route_table;
use crate::web::Access::Public;
use crate::web::state::AppState;
use crate::web::static_files;

route_table! {
    GET "/healthz" => Public, healthz;
    GET "/readyz" => Public, readyz;
    GET "/static/{path:.*}" => Public, static_files::serve;
}

/// The process is up.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// The database answers.
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let result = state.db(|c| Ok(c.batch_execute("SELECT 1")?)).await;
    match result {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable")
        }
    }
}
