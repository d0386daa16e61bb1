//! Accounts as a record type: what the shared timeline handler needs.

use actix_web::{HttpResponse, web};

use super::{handlers, repo};
use crate::audit::AuditEntity;
use crate::auth::policy::{Action, Viewer};
use crate::db::DbConn;
use crate::domain::ids::{AccountId, of};
use crate::error::AppResult;
use crate::i18n::key;
use crate::records::views::LogForm;
use crate::records::{Links, RecordRef, RecordType};
use crate::web::CurrentUser;
use crate::web::render::invalid;
use crate::web::state::AppState;

impl RecordType for of::Account {
    const WRITE: Action = Action::AccountsWrite;

    fn record(id: AccountId) -> RecordRef {
        RecordRef::Account(id)
    }

    fn filing(c: &mut DbConn, viewer: &Viewer, id: AccountId) -> AppResult<Option<Links>> {
        Ok(repo::get(c, viewer, id)?.map(|_| Links::of(RecordRef::Account(id))))
    }

    fn touch(c: &mut DbConn, id: AccountId) -> AppResult<()> {
        repo::touch(c, id)?;
        Ok(())
    }

    const AUDIT: AuditEntity = AuditEntity::Account;
    const LIST_PATH: &'static str = "/accounts";
    const DELETED: &'static str = key("accounts-flash-deleted");

    fn describe(c: &mut DbConn, viewer: &Viewer, id: AccountId) -> AppResult<Option<String>> {
        Ok(repo::get(c, viewer, id)?.map(|account| account.name))
    }

    /// Its contacts stay, without a company.
    fn delete(c: &mut DbConn, id: AccountId) -> AppResult<()> {
        repo::delete(c, id)?;
        Ok(())
    }

    async fn invalid_log(
        state: &web::Data<AppState>,
        user: &CurrentUser,
        id: AccountId,
        log: LogForm,
    ) -> AppResult<HttpResponse> {
        let mut view = handlers::load(state, user, id).await?;
        view.timeline.log = log;
        invalid(&view)
    }
}
