//! Staff pages of welcome series (`/campaigns/series`): the list, the
//! series editor (name, trigger, sender), the series page with its steps
//! and their counts, the step editor, activate and pause (conditional
//! state changes), and adding, removing and reordering steps. Plain forms;
//! errors beside the fields (422); edits carry `version` (409 when stale).

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::domain::{STEPS_MAX, Trigger};
use super::enroll;
use super::forms::{STARTER_BODY, SeriesForm, StepForm};
use super::repo::{self, Series};
use super::views::{FormPage, ListPage, ShowPage, StepPage, StepRow, delay_text};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::set_flash;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, invalid, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

fn url(id: i64) -> String {
    format!("/campaigns/series/{id}")
}

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let rows = state.db(|c| Ok(repo::list(c)?)).await?;
    page(&ListPage {
        chrome: Chrome::new(&user, Section::Campaigns),
        rows,
    })
}

/// The sign-up forms and segments a series may listen to.
type Menus = (Vec<(i64, String)>, Vec<(i64, String)>);

fn menus(c: &mut DbConn) -> diesel::QueryResult<Menus> {
    let forms = crate::campaigns::signups::repo::list(c)?
        .into_iter()
        .map(|r| (r.form.id, r.form.title))
        .collect();
    let segments = crate::segments::repo::list(c)?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok((forms, segments))
}

fn form_page(
    user: &CurrentUser,
    id: Option<i64>,
    form: SeriesForm,
    errors: FieldErrors,
    (forms, segments): Menus,
    senders: Vec<String>,
    locked: bool,
) -> FormPage {
    FormPage {
        chrome: Chrome::new(user, Section::Campaigns),
        series_id: id,
        form,
        errors,
        forms,
        segments,
        senders,
        locked,
    }
}

pub async fn new_form(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let menus = state.db(|c| Ok(menus(c)?)).await?;
    let senders = crate::campaigns::handlers::senders(&state, &user).await?;
    let from_name = crate::mail::mailbox(&state.config.mail_from)
        .ok()
        .and_then(|m| m.name)
        .unwrap_or_default();
    let form = SeriesForm {
        trigger: Trigger::Signup.as_str().into(),
        from_name,
        from_addr: senders.first().cloned().unwrap_or_default(),
        ..SeriesForm::default()
    };
    page(&form_page(
        &user,
        None,
        form,
        FieldErrors::new(),
        menus,
        senders,
        false,
    ))
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (s, menus) = state
        .db(move |c| {
            let s = repo::get(c, id)?.ok_or(AppError::NotFound)?;
            Ok((s, menus(c)?))
        })
        .await?;
    let senders = crate::campaigns::handlers::senders(&state, &user).await?;
    let locked = s.activated_at.is_some();
    page(&form_page(
        &user,
        Some(id),
        SeriesForm::of(&s),
        FieldErrors::new(),
        menus,
        senders,
        locked,
    ))
}

/// Errors only the database knows: the chosen form or segment exists.
fn check_choices(
    c: &mut DbConn,
    d: &repo::SeriesDraft,
    l: &crate::i18n::Locale,
) -> AppResult<FieldErrors> {
    let mut e = FieldErrors::new();
    if let Some(f) = d.signup_form_id
        && crate::campaigns::signups::repo::get(c, f)?.is_none()
    {
        e.add("signup_form_id", l.t("campaigns-bad-choice"));
    }
    if let Some(s) = d.segment_id
        && crate::segments::repo::get(c, s)?.is_none()
    {
        e.add("segment_id", l.t("campaigns-bad-choice"));
    }
    Ok(e)
}

async fn submit(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: Option<i64>,
    body: Params,
) -> AppResult<HttpResponse> {
    let form = SeriesForm::from_params(&body);
    let senders = crate::campaigns::handlers::senders(&state, &user).await?;
    let draft = form.draft(&senders, &user.locale);
    let (by, locale) = (user.id, user.locale);
    let version = form.version();
    let outcome = state
        .db(move |c| {
            let existing = match id {
                Some(id) => Some(repo::get(c, id)?.ok_or(AppError::NotFound)?),
                None => None,
            };
            let locked = existing.as_ref().is_some_and(|s| s.activated_at.is_some());
            let draft = match draft {
                Ok(d) => d,
                Err(e) => return Ok(Err((e, menus(c)?, locked))),
            };
            let errors = if locked {
                FieldErrors::new()
            } else {
                check_choices(c, &draft, &locale)?
            };
            if !errors.is_empty() {
                return Ok(Err((errors, menus(c)?, locked)));
            }
            let saved = write_tx(c, |tx| match &existing {
                Some(s) => Ok(repo::update(tx, s, version.unwrap_or(-1), &draft)?.then_some(s.id)),
                None => repo::insert(tx, &draft, by).map(Some),
            })?;
            Ok(Ok(saved))
        })
        .await?;
    match outcome {
        Ok(Some(saved)) => {
            set_flash(&session, "campaigns-series-saved");
            Ok(after_post(htmx, &url(saved)))
        }
        Ok(None) => Err(AppError::conflict("campaigns-series-changed-meanwhile")),
        Err((errors, menus, locked)) => {
            invalid(&form_page(&user, id, form, errors, menus, senders, locked))
        }
    }
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    submit(user, state, htmx, session, None, body.into_inner()).await
}

pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = Some(path.into_inner());
    submit(user, state, htmx, session, id, body.into_inner()).await
}

fn trigger_of(c: &mut DbConn, s: &Series) -> diesel::QueryResult<(String, String)> {
    Ok(match s.trigger_kind {
        Trigger::Signup => match s.signup_form_id {
            Some(f) => crate::campaigns::signups::repo::get(c, f)?
                .map(|f| (f.title, format!("/campaigns/signups/{}", f.id)))
                .unwrap_or_default(),
            None => Default::default(),
        },
        Trigger::Segment => match s.segment_id {
            Some(id) => crate::segments::repo::get(c, id)?
                .map(|g| (g.name, format!("/segments/{}", g.id)))
                .unwrap_or_default(),
            None => Default::default(),
        },
    })
}

pub async fn show(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let chrome = Chrome::new(&user, Section::Campaigns);
    let view = state
        .db(move |c| {
            let series = repo::get(c, id)?.ok_or(AppError::NotFound)?;
            let steps = repo::steps(c, id)?;
            let ids: Vec<i64> = steps.iter().map(|s| s.id).collect();
            let counts = repo::counts(c, &ids)?;
            let (trigger_name, trigger_link) = trigger_of(c, &series)?;
            let steps = steps
                .into_iter()
                .zip(counts)
                .map(|(step, counts)| StepRow {
                    delay: delay_text(&chrome, step.delay_minutes.unwrap_or(0)),
                    step,
                    counts,
                })
                .collect();
            Ok(ShowPage {
                enrolled: repo::enrolled(c, id)?,
                chrome,
                series,
                trigger_name,
                trigger_link,
                steps,
            })
        })
        .await?;
    page(&view)
}

/// `POST …/activate` and `…/pause`: one conditional state change each.
async fn change(
    state: State,
    htmx: Htmx,
    session: Session,
    id: i64,
    activate: bool,
) -> AppResult<HttpResponse> {
    state
        .db(move |c| {
            let s = repo::get(c, id)?.ok_or(AppError::NotFound)?;
            if activate && repo::steps(c, id)?.is_empty() {
                return Err(AppError::conflict("campaigns-series-no-steps"));
            }
            let moved = write_tx(c, |tx| {
                if activate {
                    enroll::activate(tx, &s)
                } else {
                    enroll::pause(tx, &s)
                }
            })?;
            if moved {
                Ok(())
            } else {
                Err(AppError::conflict("campaigns-cannot-change"))
            }
        })
        .await?;
    set_flash(
        &session,
        if activate {
            "campaigns-series-activated"
        } else {
            "campaigns-series-paused"
        },
    );
    Ok(after_post(htmx, &url(id)))
}

pub async fn activate(
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    change(state, htmx, session, path.into_inner(), true).await
}

pub async fn pause(
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    change(state, htmx, session, path.into_inner(), false).await
}

fn step_page(
    user: &CurrentUser,
    series: Series,
    step: Option<(i64, i32)>,
    form: StepForm,
    errors: FieldErrors,
) -> StepPage {
    StepPage {
        chrome: Chrome::new(user, Section::Campaigns),
        series,
        step_id: step.map(|s| s.0),
        step_no: step.map_or(0, |s| s.1),
        form,
        errors,
    }
}

pub async fn step_new(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let s = state
        .db(move |c| repo::get(c, id)?.ok_or(AppError::NotFound))
        .await?;
    let form = StepForm {
        delay: "1".into(),
        delay_unit: "days".into(),
        body_format: "markdown".into(),
        body: STARTER_BODY.into(),
        ..StepForm::default()
    };
    page(&step_page(&user, s, None, form, FieldErrors::new()))
}

/// The series and one of its steps (404 if the step is another's).
fn load_step(
    c: &mut DbConn,
    id: i64,
    step: i64,
) -> AppResult<(Series, crate::campaigns::repo::Campaign)> {
    let s = repo::get(c, id)?.ok_or(AppError::NotFound)?;
    let st = crate::campaigns::repo::get(c, step)?
        .filter(|st| st.series_id == Some(id))
        .ok_or(AppError::NotFound)?;
    Ok((s, st))
}

pub async fn step_edit(
    user: CurrentUser,
    state: State,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, step) = path.into_inner();
    let (s, st) = state.db(move |c| load_step(c, id, step)).await?;
    let no = st.step_no.unwrap_or(0);
    page(&step_page(
        &user,
        s,
        Some((step, no)),
        StepForm::of(&st),
        FieldErrors::new(),
    ))
}

async fn step_submit(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    (id, step): (i64, Option<i64>),
    body: Params,
) -> AppResult<HttpResponse> {
    let form = StepForm::from_params(&body);
    let draft = form.draft(&user.locale);
    let valid = draft.as_ref().ok().cloned();
    let version = form.version();
    let by = user.id;
    let (s, no, saved) = state
        .db(move |c| {
            let (s, no) = match step {
                Some(step) => {
                    let (s, st) = load_step(c, id, step)?;
                    (s, st.step_no.unwrap_or(0))
                }
                None => (repo::get(c, id)?.ok_or(AppError::NotFound)?, 0),
            };
            let Some(d) = &valid else {
                return Ok((s, no, None));
            };
            if step.is_none() && repo::steps(c, id)?.len() >= STEPS_MAX {
                return Err(AppError::conflict("campaigns-series-too-many-steps"));
            }
            let saved = write_tx(c, |tx| match step {
                Some(step) => repo::update_step(tx, id, step, version.unwrap_or(-1), d),
                None => repo::insert_step(tx, &s, d, by).map(|_| true),
            })?;
            Ok((s, no, Some(saved)))
        })
        .await?;
    match (saved, draft) {
        (Some(true), _) => {
            set_flash(&session, "campaigns-series-step-saved");
            Ok(after_post(htmx, &url(id)))
        }
        (Some(false), _) => Err(AppError::conflict("campaigns-series-changed-meanwhile")),
        (None, Err(errors)) => invalid(&step_page(&user, s, step.map(|st| (st, no)), form, errors)),
        (None, Ok(_)) => Err(AppError::NotFound),
    }
}

pub async fn step_create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    step_submit(user, state, htmx, session, (id, None), body.into_inner()).await
}

pub async fn step_update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<(i64, i64)>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let (id, step) = path.into_inner();
    step_submit(
        user,
        state,
        htmx,
        session,
        (id, Some(step)),
        body.into_inner(),
    )
    .await
}

/// `POST …/steps/{step}/delete`: only a step nobody has entered yet
/// (otherwise 409: its ledger is the record of what was sent).
pub async fn step_delete(
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, step) = path.into_inner();
    state
        .db(move |c| {
            load_step(c, id, step)?;
            if write_tx(c, |tx| repo::delete_step(tx, id, step))? {
                Ok(())
            } else {
                Err(AppError::conflict("campaigns-series-step-has-recipients"))
            }
        })
        .await?;
    set_flash(&session, "campaigns-series-step-removed");
    Ok(after_post(htmx, &url(id)))
}

/// `POST …/steps/{step}/move` (`dir` = `up` | `down`).
pub async fn step_move(
    state: State,
    htmx: Htmx,
    path: web::Path<(i64, i64)>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let (id, step) = path.into_inner();
    let up = match body.get("dir") {
        "up" => true,
        "down" => false,
        _ => return Err(AppError::refused("campaigns-bad-choice")),
    };
    state
        .db(move |c| {
            load_step(c, id, step)?;
            write_tx(c, |tx| repo::move_step(tx, id, step, up))?;
            Ok(())
        })
        .await?;
    Ok(after_post(htmx, &url(id)))
}
