//! Deleting stages and pipelines (admin). A stage holding deals is deleted
//! only with a stage to move them to — of the same pipeline and outcome, so
//! each deal keeps its status — in one transaction that records a stage
//! change per deal. A pipeline keeps an open stage, and its only won and
//! only lost stage. A pipeline holding deals, the default pipeline and the
//! last one are not deleted. Deleted ones are kept, marked (the history
//! names them); every change is audit-logged in its transaction.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::domain::{DealStatus, Pipeline, Stage};
use super::forms::PipelineForm;
use super::handlers::log;
use super::repo;
use super::views::{PipelinesPage, Refused, StagesPage};
use crate::audit::{AuditAction, AuditEntity};
use crate::db::write_tx;
use crate::domain::ids::{PipelineId, StageId};
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, key, set_flash};
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;
use crate::web::render::{invalid, see_other};
use crate::web::state::AppState;

type State = web::Data<AppState>;

#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct DeleteStageForm {
    /// The stage to move the deleted stage's deals to.
    pub move_to: String,
}

/// Why the stage may not go, or where its deals go: a message beside the
/// form's `move_to`, or the target (None: it holds no deals).
pub fn check_stage(
    loc: &Locale,
    p: &Pipeline,
    stage: &Stage,
    in_use: bool,
    move_to: Option<StageId>,
) -> Result<Option<StageId>, String> {
    let same = p
        .stages
        .iter()
        .filter(|s| s.outcome == stage.outcome)
        .count();
    if same == 1 {
        return Err(match stage.outcome {
            DealStatus::Open => loc.t("pipelines-error-last-open"),
            _ => loc.t("stages-error-last-outcome"),
        });
    }
    if !in_use {
        return Ok(None);
    }
    match move_to.and_then(|id| p.stage(id)) {
        Some(to) if to.id != stage.id && to.outcome == stage.outcome => Ok(Some(to.id)),
        _ => Err(loc.t("stages-error-move-to")),
    }
}

/// `POST /admin/stages/{id}/delete` (`move_to`: where its deals go).
pub async fn delete_stage(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<StageId>,
    form: web::Form<DeleteStageForm>,
) -> AppResult<HttpResponse> {
    let sid = path.into_inner();
    let move_to = StageId::parse(&form.move_to);
    let u = user.clone();
    let outcome = state
        .db(move |c| {
            let stage = repo::stage(c, sid)?.ok_or(AppError::NotFound)?;
            let p = repo::one(c, stage.pipeline_id)?.ok_or(AppError::NotFound)?;
            let in_use = repo::stage_in_use(c, sid)?;
            match check_stage(&u.locale, &p, &stage, in_use, move_to) {
                Err(message) => {
                    let mut view = StagesPage::new(&u, &p, None);
                    let mut errors = FieldErrors::new();
                    errors.add("move_to", message);
                    view.deleting = Some((sid.get(), errors));
                    Ok(Err(view))
                }
                Ok(to) => {
                    write_tx(c, |c| {
                        if repo::delete_stage(c, sid, to, u.id)? == 0 {
                            return Err(AppError::NotFound);
                        }
                        log(
                            c,
                            u.id,
                            AuditAction::Delete,
                            AuditEntity::Stage,
                            sid.get(),
                            &stage.name,
                        )
                    })?;
                    Ok(Ok(p.id))
                }
            }
        })
        .await?;
    match outcome {
        Ok(pid) => {
            set_flash(&session, key("stages-flash-deleted"));
            Ok(see_other(&format!("/admin/pipelines/{pid}")))
        }
        Err(view) => invalid(&view),
    }
}

/// `POST /admin/pipelines/{id}/delete`: refused (422, the message beside
/// its row) while it holds deals, is the default or is the last one.
pub async fn delete_pipeline(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<PipelineId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let outcome = state
        .db(move |c| {
            let all = repo::all(c)?;
            let p = all.iter().find(|p| p.id == id).ok_or(AppError::NotFound)?;
            let why = if p.is_default || all.len() == 1 {
                Some(key("pipelines-error-delete-default"))
            } else if repo::pipeline_in_use(c, id)? {
                Some(key("pipelines-error-delete-in-use"))
            } else {
                None
            };
            if let Some(why) = why {
                let mut errors = FieldErrors::new();
                errors.add("delete", u.locale.t(why));
                let refused = Refused {
                    id: Some(id.get()),
                    form: PipelineForm {
                        name: p.label(&u.locale),
                        position: p.position.to_string(),
                        is_default: p.is_default.then(|| "on".to_string()),
                    },
                    errors,
                };
                return Ok(Err(Box::new(PipelinesPage::new(&u, &all, Some(refused)))));
            }
            let name = p.name.clone();
            write_tx(c, |c| {
                // Deals may have arrived since the check: refuse then too.
                if repo::pipeline_in_use(c, id)? {
                    return Ok(false);
                }
                if repo::delete_pipeline(c, id)? == 0 {
                    return Err(AppError::NotFound);
                }
                log(
                    c,
                    u.id,
                    AuditAction::Delete,
                    AuditEntity::Pipeline,
                    id.get(),
                    &name,
                )?;
                Ok(true)
            })
            .map(|done| Ok(done.then_some(())))
        })
        .await?;
    match outcome {
        Ok(Some(())) => {
            set_flash(&session, key("pipelines-flash-deleted"));
            Ok(see_other("/admin/pipelines"))
        }
        Ok(None) => Err(AppError::conflict(key("pipelines-error-delete-in-use"))),
        Err(view) => invalid(&*view),
    }
}
