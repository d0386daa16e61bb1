use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::views::AuditPage;
use crate::audit;
use crate::error::AppResult;
use crate::web::Section;
use crate::web::render::page;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Pager};

const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    page: String,
}

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let requested = query.page.trim().parse().ok();
    let (pager, rows) = state
        .db(move |c| {
            let pager = Pager::new(requested, PER_PAGE, audit::count(c)?);
            Ok((pager, audit::page(c, pager.offset(), PER_PAGE)?))
        })
        .await?;
    page(&AuditPage {
        chrome: Chrome::new(&user, Section::Admin),
        rows,
        pager,
    })
}
