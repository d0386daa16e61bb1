//! `/tickets/policies` (ManageTickets): SLA policies — a calendar to
//! count business time in and, per priority, the first-response and
//! resolution targets. A ticket copies its targets when it opens, so new
//! targets apply to new tickets; a calendar change reaches open tickets at
//! their next due-time computation (docs/tickets.md). A policy a queue uses
//! is not deleted.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::domain::Priority;
use super::setup::{answer, refusal};
use super::setup_forms::{self as forms, PolicyForm, show_minutes};
use super::setup_repo::{self as repo, Outcome, PolicyRow};
use crate::db::{DbConn, write_tx};
use crate::domain::ids::SlaPolicyId;
use crate::error::{AppError, AppResult};
use crate::i18n::key;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::page;
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

#[derive(Template)]
#[template(path = "tickets/policies.html")]
pub struct PoliciesPage {
    pub chrome: Chrome,
    pub policies: Vec<PolicyRow>,
    /// (id, name) of every calendar.
    pub calendars: Vec<(i64, String)>,
    pub form: PolicyForm,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "tickets/policy.html")]
pub struct PolicyPage {
    pub chrome: Chrome,
    pub row: PolicyRow,
    pub calendars: Vec<(i64, String)>,
    pub form: PolicyForm,
    pub errors: FieldErrors,
    /// The queues that use it.
    pub users: Vec<String>,
    pub notice: Option<String>,
}

impl PoliciesPage {
    /// "4:00 / 40:00" or "—".
    pub fn targets_of(&self, row: &PolicyRow, p: &Priority) -> String {
        row.target(p).map_or("—".into(), |(f, r)| {
            format!("{} / {}", show_minutes(f), show_minutes(r))
        })
    }
}

fn calendars(c: &mut DbConn) -> AppResult<Vec<(i64, String)>> {
    Ok(repo::calendars(c)?
        .into_iter()
        .map(|k| (k.id.get(), k.name))
        .collect())
}

fn list_page(
    c: &mut DbConn,
    user: &CurrentUser,
    form: PolicyForm,
    errors: FieldErrors,
) -> AppResult<PoliciesPage> {
    Ok(PoliciesPage {
        chrome: Chrome::new(user, Section::Tickets),
        policies: repo::policies(c)?,
        calendars: calendars(c)?,
        form,
        errors,
    })
}

fn edit_page(
    c: &mut DbConn,
    user: &CurrentUser,
    id: SlaPolicyId,
    form: Option<PolicyForm>,
    errors: FieldErrors,
    notice: Option<String>,
) -> AppResult<PolicyPage> {
    let row = repo::policy(c, id)?.ok_or(AppError::NotFound)?;
    Ok(PolicyPage {
        chrome: Chrome::new(user, Section::Tickets),
        form: form.unwrap_or_else(|| PolicyForm::of(&row.p.name, row.p.calendar_id, &row.targets)),
        calendars: calendars(c)?,
        users: repo::policy_users(c, id)?,
        row,
        errors,
        notice,
    })
}

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| list_page(c, &u, PolicyForm::blank(), FieldErrors::new()))
        .await?;
    page(&view)
}

/// `POST /tickets/policies`: a new policy with its targets.
pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let form = PolicyForm::from_params(&body);
    let u = user.clone();
    let done = state
        .db(move |c| {
            let known: Vec<i64> = calendars(c)?.into_iter().map(|k| k.0).collect();
            let input = match form.check(&u.locale, &known) {
                Ok(v) => v,
                Err(errors) => {
                    let view = list_page(c, &u, form, errors)?;
                    return Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, view)));
                }
            };
            let inserted = write_tx(c, |c| repo::insert_policy(c, &input))?;
            let outcome = inserted.err().unwrap_or(Outcome::Done);
            let Some((status, errors, _)) = refusal(outcome, &u.locale, "name") else {
                return Ok(Ok(()));
            };
            Ok(Err((status, list_page(c, &u, form, errors)?)))
        })
        .await?;
    let flash = key("tickets-setup-flash-saved");
    answer(done, &session, htmx, flash, "/tickets/policies")
}

pub async fn edit(
    user: CurrentUser,
    state: State,
    path: web::Path<SlaPolicyId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let view = state
        .db(move |c| edit_page(c, &u, id, None, FieldErrors::new(), None))
        .await?;
    page(&view)
}

/// `POST /tickets/policies/{id}`: name, calendar and targets over the
/// version the form showed (409 with the values kept after a change).
pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<SlaPolicyId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = PolicyForm::from_params(&body);
    let version = forms::version(&body);
    let u = user.clone();
    let done = state
        .db(move |c| {
            repo::policy(c, id)?.ok_or(AppError::NotFound)?;
            let known: Vec<i64> = calendars(c)?.into_iter().map(|k| k.0).collect();
            let input = match form.check(&u.locale, &known) {
                Ok(v) => v,
                Err(errors) => {
                    let view = edit_page(c, &u, id, Some(form), errors, None)?;
                    return Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, view)));
                }
            };
            let outcome = write_tx(c, |c| repo::update_policy(c, id, version, &input))?;
            let Some((status, errors, notice)) = refusal(outcome, &u.locale, "name") else {
                return Ok(Ok(()));
            };
            let view = edit_page(c, &u, id, Some(form), errors, notice)?;
            Ok(Err((status, view)))
        })
        .await?;
    let flash = key("tickets-setup-flash-saved");
    answer(done, &session, htmx, flash, "/tickets/policies")
}

/// `POST /tickets/policies/{id}/delete`: refused (409, with the queues
/// named) while a queue uses it.
pub async fn delete(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<SlaPolicyId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let done = state
        .db(
            move |c| match write_tx(c, |c| repo::delete_policy(c, id))? {
                Outcome::Done => Ok(Ok(())),
                Outcome::InUse => {
                    let notice = Some(u.locale.t("tickets-setup-error-policy-in-use"));
                    let view = edit_page(c, &u, id, None, FieldErrors::new(), notice)?;
                    Ok(Err((StatusCode::CONFLICT, view)))
                }
                _ => Err(AppError::NotFound),
            },
        )
        .await?;
    let flash = key("tickets-setup-flash-deleted");
    answer(done, &session, htmx, flash, "/tickets/policies")
}
