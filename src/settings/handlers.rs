use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::forms::SettingsForm;
use super::repo::{self, WorkspaceChanges};
use super::views::SettingsPage;
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::{now, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::{self, StoredMessage, key};
use crate::web::forms::FieldErrors;
use crate::web::nav::Section;
use crate::web::render::{html, invalid, page, see_other};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser};

type State = web::Data<AppState>;

pub async fn show(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let ws = state.db(|c| Ok(repo::get(c)?)).await?;
    page(&SettingsPage::new(
        Chrome::new(&user, Section::Admin),
        SettingsForm::from(&ws),
        FieldErrors::new(),
        ws.updated_at,
    ))
}

pub async fn save(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<SettingsForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let valid = match form.validate(&user.locale) {
        Ok(v) => v,
        Err(errors) => {
            let ws = state.db(|c| Ok(repo::get(c)?)).await?;
            let chrome = Chrome::new(&user, Section::Admin);
            return invalid(&SettingsPage::new(chrome, form, errors, ws.updated_at));
        }
    };
    let actor = user.id;
    let saved = state
        .db(move |c| {
            write_tx(c, |c| {
                let changes = WorkspaceChanges {
                    company_name: &valid.company_name,
                    company_address: &valid.company_address,
                    language: valid.lang.code(),
                    time_zone: valid.tz.name(),
                    currency: &valid.currency,
                    updated_at: now(),
                    quote_prefix: &valid.quote_prefix,
                    order_prefix: &valid.order_prefix,
                    quote_valid_days: valid.quote_valid_days,
                    track_individuals: valid.track_individuals,
                };
                if !repo::update(c, &changes, valid.version)? {
                    return Ok(false);
                }
                audit::record(
                    c,
                    Entry {
                        actor: Some(actor),
                        action: AuditAction::SettingsChange,
                        entity: AuditEntity::Workspace,
                        entity_id: None,
                        summary: StoredMessage::new(key("audit-settings-changed"))
                            .text("language", valid.lang.code())
                            .text("zone", valid.tz.name())
                            .text("currency", valid.currency.as_str()),
                    },
                )?;
                Ok::<_, AppError>(true)
            })
        })
        .await?;
    if !saved {
        // Someone saved first: show their values with the new version.
        let ws = state.db(|c| Ok(repo::get(c)?)).await?;
        let mut page = SettingsPage::new(
            Chrome::new(&user, Section::Admin),
            SettingsForm::from(&ws),
            FieldErrors::new(),
            ws.updated_at,
        );
        page.conflict = true;
        return html(StatusCode::CONFLICT, &page);
    }
    i18n::set_flash(&session, key("flash-settings-saved"));
    Ok(see_other("/admin/settings"))
}
