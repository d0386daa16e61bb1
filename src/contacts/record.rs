//! Contacts as a record type: what the shared timeline handler needs.

use actix_web::{HttpResponse, web};

use super::{handlers, repo};
use crate::audit::AuditEntity;
use crate::auth::policy::{Action, Viewer};
use crate::db::DbConn;
use crate::domain::ids::{ContactId, of};
use crate::error::AppResult;
use crate::i18n::key;
use crate::records::views::LogForm;
use crate::records::{Links, RecordRef, RecordType};
use crate::web::CurrentUser;
use crate::web::render::invalid;
use crate::web::state::AppState;

impl RecordType for of::Contact {
    const WRITE: Action = Action::ContactsWrite;

    fn record(id: ContactId) -> RecordRef {
        RecordRef::Contact(id)
    }

    /// A contact's entries are filed under its account too, so the
    /// account's timeline shows them.
    fn filing(c: &mut DbConn, viewer: &Viewer, id: ContactId) -> AppResult<Option<Links>> {
        Ok(repo::get(c, viewer, id)?.map(|contact| {
            Links::of(RecordRef::Contact(id)).with_opt(contact.account_id.map(RecordRef::Account))
        }))
    }

    fn touch(c: &mut DbConn, id: ContactId) -> AppResult<()> {
        repo::touch(c, id)?;
        Ok(())
    }

    const AUDIT: AuditEntity = AuditEntity::Contact;
    const LIST_PATH: &'static str = "/contacts";
    const DELETED: &'static str = key("contacts-flash-deleted");

    fn describe(c: &mut DbConn, viewer: &Viewer, id: ContactId) -> AppResult<Option<String>> {
        Ok(repo::get(c, viewer, id)?.map(|contact| {
            format!(
                "{} {}",
                contact.name(),
                contact
                    .email
                    .as_ref()
                    .map(|e| format!("<{e}>"))
                    .unwrap_or_default()
            )
        }))
    }

    fn delete(c: &mut DbConn, id: ContactId) -> AppResult<()> {
        repo::delete(c, id)?;
        Ok(())
    }

    async fn invalid_log(
        state: &web::Data<AppState>,
        user: &CurrentUser,
        id: ContactId,
        log: LogForm,
    ) -> AppResult<HttpResponse> {
        let mut view = handlers::load(state, user, id).await?;
        view.timeline.log = log;
        invalid(&view)
    }
}
