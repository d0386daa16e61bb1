//! Admin handlers: pipelines, their stages, lost reasons. A refused form
//! comes back (422) on its page with the values kept and errors beside the
//! fields; every change is audit-logged in its transaction.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::forms::{PipelineForm, ReasonForm, StageForm};
use super::repo::{self, NewStage};
use super::views::{PipelinesPage, ReasonsPage, Refused, StagesPage};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::{DbConn, write_tx};
use crate::domain::ids::{LostReasonId, PipelineId, StageId};
use crate::error::{AppError, AppResult};
use crate::i18n::{Locale, StoredMessage, key, set_flash};
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;
use crate::web::render::{invalid, page, see_other};
use crate::web::state::AppState;

type State = web::Data<AppState>;

pub(super) fn log(
    c: &mut DbConn,
    actor: i64,
    action: AuditAction,
    entity: AuditEntity,
    id: i64,
    name: &str,
) -> AppResult<()> {
    audit::record(
        c,
        Entry {
            actor: Some(actor),
            action,
            entity,
            entity_id: Some(id),
            summary: StoredMessage::new(key("audit-record")).text("name", name),
        },
    )?;
    Ok(())
}

/// The name to store: the current one (a catalogue key, say) when the form
/// sent it back unchanged as shown, else what was typed.
fn kept_name(loc: &Locale, current: &str, posted: &str) -> String {
    if loc.stored_name(current) == posted {
        current.to_string()
    } else {
        posted.to_string()
    }
}

/// The page, as a 422 when it shows a refused form.
fn shown<T: askama::Template>(view: &T, refused: bool) -> AppResult<HttpResponse> {
    if refused { invalid(view) } else { page(view) }
}

async fn pipelines_view(
    user: &CurrentUser,
    state: &State,
    refused: Option<Refused<PipelineForm>>,
) -> AppResult<HttpResponse> {
    let all = state.db(|c| Ok(repo::all(c)?)).await?;
    let failed = refused.is_some();
    let view = PipelinesPage::new(user, &all, refused);
    shown(&view, failed)
}

pub async fn pipelines(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    pipelines_view(&user, &state, None).await
}

pub async fn create_pipeline(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<PipelineForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let refuse = |errors| Refused {
        id: None,
        form: form.clone(),
        errors,
    };
    let valid = match form.validate(&user.locale) {
        Ok(v) => v,
        Err(e) => return pipelines_view(&user, &state, Some(refuse(e))).await,
    };
    let (actor, first) = (user.id, user.locale.t("pipelines-first-stage"));
    let created = state
        .db(move |c| {
            write_tx(c, |c| {
                if repo::name_taken(c, &valid.name, None)? {
                    return Ok(None);
                }
                let id = repo::insert(c, &valid.name, valid.position, &first)?;
                if valid.is_default {
                    repo::update(c, id, &valid.name, valid.position, true)?;
                }
                log(
                    c,
                    actor,
                    AuditAction::Create,
                    AuditEntity::Pipeline,
                    id.get(),
                    &valid.name,
                )?;
                Ok::<_, AppError>(Some(id))
            })
        })
        .await?;
    match created {
        Some(id) => {
            set_flash(&session, key("pipelines-flash-created"));
            Ok(see_other(&format!("/admin/pipelines/{id}")))
        }
        None => {
            let mut e = FieldErrors::new();
            e.add("name", user.locale.t("pipelines-error-name-taken"));
            pipelines_view(&user, &state, Some(refuse(e))).await
        }
    }
}

pub async fn update_pipeline(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<PipelineId>,
    form: web::Form<PipelineForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let refuse = |errors| Refused {
        id: Some(id.get()),
        form: form.clone(),
        errors,
    };
    let current = state
        .db(move |c| Ok(repo::one(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let valid = match form.validate(&user.locale) {
        Ok(v) => v,
        Err(e) => return pipelines_view(&user, &state, Some(refuse(e))).await,
    };
    let name = kept_name(&user.locale, &current.name, &valid.name);
    // The default stays the default until another is chosen.
    let default = valid.is_default || current.is_default;
    let actor = user.id;
    let saved = state
        .db(move |c| {
            write_tx(c, |c| {
                if repo::name_taken(c, &name, Some(id))? {
                    return Ok(false);
                }
                if repo::update(c, id, &name, valid.position, default)? == 0 {
                    return Err(AppError::NotFound);
                }
                log(
                    c,
                    actor,
                    AuditAction::Update,
                    AuditEntity::Pipeline,
                    id.get(),
                    &name,
                )?;
                Ok(true)
            })
        })
        .await?;
    if !saved {
        let mut e = FieldErrors::new();
        e.add("name", user.locale.t("pipelines-error-name-taken"));
        return pipelines_view(&user, &state, Some(refuse(e))).await;
    }
    set_flash(&session, key("pipelines-flash-saved"));
    Ok(see_other("/admin/pipelines"))
}

async fn stages_view(
    user: &CurrentUser,
    state: &State,
    id: PipelineId,
    refused: Option<Refused<StageForm>>,
) -> AppResult<HttpResponse> {
    let p = state
        .db(move |c| Ok(repo::one(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let failed = refused.is_some();
    let view = StagesPage::new(user, &p, refused);
    shown(&view, failed)
}

pub async fn stages(
    user: CurrentUser,
    state: State,
    path: web::Path<PipelineId>,
) -> AppResult<HttpResponse> {
    stages_view(&user, &state, path.into_inner(), None).await
}

pub async fn create_stage(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<PipelineId>,
    form: web::Form<StageForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let exists = state.db(move |c| Ok(repo::one(c, id)?.is_some())).await?;
    if !exists {
        return Err(AppError::NotFound);
    }
    let valid = match form.validate(&user.locale) {
        Ok(v) => v,
        Err(errors) => {
            let refused = Refused {
                id: None,
                form,
                errors,
            };
            return stages_view(&user, &state, id, Some(refused)).await;
        }
    };
    let actor = user.id;
    state
        .db(move |c| {
            write_tx(c, |c| {
                let stage = NewStage {
                    pipeline_id: id,
                    name: valid.name.clone(),
                    position: valid.position,
                    probability: valid.probability,
                    rot_after_days: valid.rot_after_days,
                    outcome: valid.outcome,
                };
                let sid = repo::insert_stage(c, &stage)?;
                log(
                    c,
                    actor,
                    AuditAction::Create,
                    AuditEntity::Stage,
                    sid.get(),
                    &valid.name,
                )
            })
        })
        .await?;
    set_flash(&session, key("pipelines-flash-stage-saved"));
    Ok(see_other(&format!("/admin/pipelines/{id}")))
}

pub async fn update_stage(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<StageId>,
    form: web::Form<StageForm>,
) -> AppResult<HttpResponse> {
    let sid = path.into_inner();
    let form = form.into_inner();
    let (current, pipeline, in_use) = state
        .db(move |c| {
            let Some(stage) = repo::stage(c, sid)? else {
                return Err(AppError::NotFound);
            };
            let pipeline = repo::one(c, stage.pipeline_id)?.ok_or(AppError::NotFound)?;
            let in_use = repo::stage_in_use(c, sid)?;
            Ok((stage, pipeline, in_use))
        })
        .await?;
    let pid = pipeline.id;
    let refuse = |errors| Refused {
        id: Some(sid.get()),
        form: form.clone(),
        errors,
    };
    let valid = match form.validate(&user.locale) {
        Ok(v) => v,
        Err(e) => return stages_view(&user, &state, pid, Some(refuse(e))).await,
    };
    let mut errors = FieldErrors::new();
    if valid.outcome != current.outcome {
        if in_use {
            errors.add("outcome", user.locale.t("pipelines-error-outcome-in-use"));
        } else if current.is_open() && pipeline.open_stages().count() == 1 {
            errors.add("outcome", user.locale.t("pipelines-error-last-open"));
        }
    }
    if !errors.is_empty() {
        return stages_view(&user, &state, pid, Some(refuse(errors))).await;
    }
    let name = kept_name(&user.locale, &current.name, &valid.name);
    let actor = user.id;
    state
        .db(move |c| {
            write_tx(c, |c| {
                let stage = NewStage {
                    pipeline_id: pid,
                    name: name.clone(),
                    position: valid.position,
                    probability: valid.probability,
                    rot_after_days: valid.rot_after_days,
                    outcome: valid.outcome,
                };
                if repo::update_stage(c, sid, &stage)? == 0 {
                    return Err(AppError::NotFound);
                }
                log(
                    c,
                    actor,
                    AuditAction::Update,
                    AuditEntity::Stage,
                    sid.get(),
                    &name,
                )
            })
        })
        .await?;
    set_flash(&session, key("pipelines-flash-stage-saved"));
    Ok(see_other(&format!("/admin/pipelines/{pid}")))
}

async fn reasons_view(
    user: &CurrentUser,
    state: &State,
    refused: Option<Refused<ReasonForm>>,
) -> AppResult<HttpResponse> {
    let all = state.db(|c| Ok(repo::reasons(c, false)?)).await?;
    let failed = refused.is_some();
    let view = ReasonsPage::new(user, &all, refused);
    shown(&view, failed)
}

pub async fn reasons(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    reasons_view(&user, &state, None).await
}

pub async fn create_reason(
    user: CurrentUser,
    state: State,
    session: Session,
    form: web::Form<ReasonForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let valid = match form.validate(&user.locale) {
        Ok(v) => v,
        Err(errors) => {
            let refused = Refused {
                id: None,
                form,
                errors,
            };
            return reasons_view(&user, &state, Some(refused)).await;
        }
    };
    let actor = user.id;
    state
        .db(move |c| {
            write_tx(c, |c| {
                let id = repo::insert_reason(c, &valid.name, valid.position)?;
                log(
                    c,
                    actor,
                    AuditAction::Create,
                    AuditEntity::LostReason,
                    id.get(),
                    &valid.name,
                )
            })
        })
        .await?;
    set_flash(&session, key("pipelines-flash-reason-saved"));
    Ok(see_other("/admin/lost-reasons"))
}

pub async fn update_reason(
    user: CurrentUser,
    state: State,
    session: Session,
    path: web::Path<LostReasonId>,
    form: web::Form<ReasonForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let current = state
        .db(move |c| Ok(repo::reasons(c, false)?.into_iter().find(|r| r.id == id)))
        .await?
        .ok_or(AppError::NotFound)?;
    let valid = match form.validate(&user.locale) {
        Ok(v) => v,
        Err(errors) => {
            let refused = Refused {
                id: Some(id.get()),
                form,
                errors,
            };
            return reasons_view(&user, &state, Some(refused)).await;
        }
    };
    let name = kept_name(&user.locale, &current.name, &valid.name);
    let actor = user.id;
    state
        .db(move |c| {
            write_tx(c, |c| {
                repo::update_reason(c, id, &name, valid.position, valid.active)?;
                log(
                    c,
                    actor,
                    AuditAction::Update,
                    AuditEntity::LostReason,
                    id.get(),
                    &name,
                )
            })
        })
        .await?;
    set_flash(&session, key("pipelines-flash-reason-saved"));
    Ok(see_other("/admin/lost-reasons"))
}
