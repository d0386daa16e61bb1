//! Deals as a record type: what the shared timeline and delete handlers need.

use actix_web::{HttpResponse, web};

use super::{handlers, moves, repo};
use crate::audit::AuditEntity;
use crate::auth::policy::{Action, Viewer};
use crate::db::DbConn;
use crate::domain::ids::{DealId, of};
use crate::error::AppResult;
use crate::i18n::key;
use crate::records::views::LogForm;
use crate::records::{Links, RecordRef, RecordType};
use crate::web::CurrentUser;
use crate::web::render::invalid;
use crate::web::state::AppState;

impl RecordType for of::Deal {
    const WRITE: Action = Action::DealsWrite;

    fn record(id: DealId) -> RecordRef {
        RecordRef::Deal(id)
    }

    /// A deal's entries are filed under its contact and account too.
    fn filing(c: &mut DbConn, viewer: &Viewer, id: DealId) -> AppResult<Option<Links>> {
        Ok(repo::get_for(c, viewer, id)?.map(|d| moves::filing(&d)))
    }

    /// Activity keeps a deal from rotting.
    fn touch(c: &mut DbConn, id: DealId) -> AppResult<()> {
        repo::touch(c, id)?;
        Ok(())
    }

    const AUDIT: AuditEntity = AuditEntity::Deal;
    const LIST_PATH: &'static str = "/leads";
    const DELETED: &'static str = key("deals-flash-deleted");

    fn describe(c: &mut DbConn, viewer: &Viewer, id: DealId) -> AppResult<Option<String>> {
        Ok(repo::get_for(c, viewer, id)?.map(|d| d.title))
    }

    fn delete(c: &mut DbConn, id: DealId) -> AppResult<()> {
        repo::delete(c, id)?;
        Ok(())
    }

    async fn invalid_log(
        state: &web::Data<AppState>,
        user: &CurrentUser,
        id: DealId,
        log: LogForm,
    ) -> AppResult<HttpResponse> {
        let mut view = handlers::load(state, user, id).await?;
        view.timeline.log = log;
        invalid(&view)
    }
}
