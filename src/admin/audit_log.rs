use actix_web::{HttpResponse, web};

use super::views::AuditPage;
use crate::audit::{self, list::AuditListOptions};
use crate::error::AppResult;
use crate::web::list::Params;
use crate::web::render::page;
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};

pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = AuditListOptions::parse(&query)?;
    let (opts, rows, pager, kinds) = state
        .db(move |c| {
            let counted = audit::count_capped(c, &opts)?;
            let (opts, rows, pager) = opts.load(counted, |o| audit::page(c, o))?;
            Ok((opts, rows, pager, audit::kinds(c)?))
        })
        .await?;
    let view = AuditPage::new(&user, &opts, pager, rows, kinds);
    if htmx.fragment() {
        page(&view.as_results())
    } else {
        page(&view)
    }
}
