//! `/tickets/calendars` (ManageTickets): the business-hours calendars SLA
//! policies count in: name, IANA zone, working days, working hours and
//! holidays. Edits save over the version the form was drawn at; a
//! calendar a policy uses is not deleted. A change applies to new tickets
//! and to an open ticket's due times the next time they are computed
//! (status change, first reply) — see docs/tickets.md.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::setup::{answer, refusal};
use super::setup_forms::{self as forms, CalendarForm, WEEKDAYS};
use super::setup_repo::{self as repo, Calendar, Holiday, Outcome};
use crate::db::write_tx;
use crate::domain::ids::CalendarId;
use crate::error::{AppError, AppResult};
use crate::i18n::{key, set_flash};
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, html, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

#[derive(Template)]
#[template(path = "tickets/calendars.html")]
pub struct CalendarsPage {
    pub chrome: Chrome,
    pub calendars: Vec<Calendar>,
    pub form: CalendarForm,
    pub errors: FieldErrors,
    pub zones: &'static [chrono_tz::Tz],
    pub weekdays: [(u8, &'static str); 7],
}

#[derive(Template)]
#[template(path = "tickets/calendar.html")]
pub struct CalendarPage {
    pub chrome: Chrome,
    pub cal: Calendar,
    pub form: CalendarForm,
    pub errors: FieldErrors,
    pub holidays: Vec<Holiday>,
    pub holiday_day: String,
    pub holiday_name: String,
    /// The policies that use it.
    pub users: Vec<String>,
    pub notice: Option<String>,
    pub zones: &'static [chrono_tz::Tz],
    pub weekdays: [(u8, &'static str); 7],
}

impl CalendarsPage {
    /// The working days in the viewer's words ("Mon Tue Wed").
    pub fn day_labels(&self, cal: &Calendar) -> String {
        let days = forms::days_of(&cal.working_days);
        WEEKDAYS
            .iter()
            .filter(|(d, _)| days.contains(d))
            .map(|(_, k)| self.chrome.locale.t(k))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What an edit page shows besides the stored calendar.
struct Edit {
    form: Option<CalendarForm>,
    errors: FieldErrors,
    holiday: (String, String),
    notice: Option<String>,
}

impl Edit {
    fn fresh() -> Edit {
        Edit {
            form: None,
            errors: FieldErrors::new(),
            holiday: (String::new(), String::new()),
            notice: None,
        }
    }
}

fn stored_form(cal: &Calendar) -> CalendarForm {
    CalendarForm {
        name: cal.name.clone(),
        zone: cal.zone.clone(),
        days: forms::days_of(&cal.working_days),
        day_start: cal.day_start.clone(),
        day_end: cal.day_end.clone(),
    }
}

fn edit_page(
    c: &mut crate::db::DbConn,
    user: &CurrentUser,
    id: CalendarId,
    edit: Edit,
) -> AppResult<CalendarPage> {
    let cal = repo::calendar(c, id)?.ok_or(AppError::NotFound)?;
    Ok(CalendarPage {
        chrome: Chrome::new(user, Section::Tickets),
        form: edit.form.unwrap_or_else(|| stored_form(&cal)),
        errors: edit.errors,
        holidays: repo::holidays(c, id)?,
        holiday_day: edit.holiday.0,
        holiday_name: edit.holiday.1,
        users: repo::calendar_users(c, id)?,
        notice: edit.notice,
        zones: &chrono_tz::TZ_VARIANTS,
        weekdays: WEEKDAYS,
        cal,
    })
}

fn list_page(
    c: &mut crate::db::DbConn,
    user: &CurrentUser,
    form: CalendarForm,
    errors: FieldErrors,
) -> AppResult<CalendarsPage> {
    Ok(CalendarsPage {
        chrome: Chrome::new(user, Section::Tickets),
        calendars: repo::calendars(c)?,
        form,
        errors,
        zones: &chrono_tz::TZ_VARIANTS,
        weekdays: WEEKDAYS,
    })
}

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| list_page(c, &u, CalendarForm::blank(), FieldErrors::new()))
        .await?;
    page(&view)
}

/// `POST /tickets/calendars`: a new calendar; its page follows (holidays).
pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let form = CalendarForm::from_params(&body);
    let u = user.clone();
    let answer = state
        .db(move |c| {
            let input = match form.check(&u.locale) {
                Ok(v) => v,
                Err(errors) => return Ok(Err(list_page(c, &u, form, errors)?)),
            };
            match write_tx(c, |c| repo::insert_calendar(c, &input))? {
                Ok(id) => Ok(Ok(id)),
                Err(_) => {
                    let mut errors = FieldErrors::new();
                    errors.add("name", u.locale.t("tickets-setup-error-name-taken"));
                    Ok(Err(list_page(c, &u, form, errors)?))
                }
            }
        })
        .await?;
    match answer {
        Ok(id) => {
            set_flash(&session, key("tickets-setup-flash-saved"));
            Ok(after_post(htmx, &format!("/tickets/calendars/{id}")))
        }
        Err(view) => html(StatusCode::UNPROCESSABLE_ENTITY, &view),
    }
}

pub async fn edit(
    user: CurrentUser,
    state: State,
    path: web::Path<CalendarId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let view = state
        .db(move |c| edit_page(c, &u, id, Edit::fresh()))
        .await?;
    page(&view)
}

/// `POST /tickets/calendars/{id}`: saved over the version the form showed;
/// a change meanwhile comes back (409) with the values kept.
pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<CalendarId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = CalendarForm::from_params(&body);
    let version = forms::version(&body);
    let u = user.clone();
    let done = state
        .db(move |c| {
            repo::calendar(c, id)?.ok_or(AppError::NotFound)?;
            let input = match form.check(&u.locale) {
                Ok(v) => v,
                Err(errors) => {
                    let edit = Edit {
                        form: Some(form),
                        errors,
                        ..Edit::fresh()
                    };
                    return Ok(Err((
                        StatusCode::UNPROCESSABLE_ENTITY,
                        edit_page(c, &u, id, edit)?,
                    )));
                }
            };
            let outcome = write_tx(c, |c| repo::update_calendar(c, id, version, &input))?;
            let Some((status, errors, notice)) = refusal(outcome, &u.locale, "name") else {
                return Ok(Ok(()));
            };
            let edit = Edit {
                form: Some(form),
                errors,
                notice,
                ..Edit::fresh()
            };
            Ok(Err((status, edit_page(c, &u, id, edit)?)))
        })
        .await?;
    let flash = key("tickets-setup-flash-saved");
    answer(
        done,
        &session,
        htmx,
        flash,
        &format!("/tickets/calendars/{id}"),
    )
}

/// `POST /tickets/calendars/{id}/delete`: refused (409, with the policies
/// named) while a policy uses it.
pub async fn delete(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<CalendarId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let done = state
        .db(
            move |c| match write_tx(c, |c| repo::delete_calendar(c, id))? {
                Outcome::Done => Ok(Ok(())),
                Outcome::InUse => {
                    let edit = Edit {
                        notice: Some(u.locale.t("tickets-setup-error-calendar-in-use")),
                        ..Edit::fresh()
                    };
                    Ok(Err((StatusCode::CONFLICT, edit_page(c, &u, id, edit)?)))
                }
                _ => Err(AppError::NotFound),
            },
        )
        .await?;
    let flash = key("tickets-setup-flash-deleted");
    answer(done, &session, htmx, flash, "/tickets/calendars")
}

/// `POST /tickets/calendars/{id}/holidays`: a day off (one per date).
pub async fn add_holiday(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<CalendarId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let typed = (
        body.get("holiday_day")
            .trim()
            .chars()
            .take(20)
            .collect::<String>(),
        body.get("holiday_name")
            .trim()
            .chars()
            .take(forms::NAME_MAX + 1)
            .collect::<String>(),
    );
    let u = user.clone();
    let done = state
        .db(move |c| {
            repo::calendar(c, id)?.ok_or(AppError::NotFound)?;
            let errors = match forms::holiday(&body, &u.locale) {
                Ok((day, name)) => match write_tx(c, |c| repo::add_holiday(c, id, day, &name))? {
                    Outcome::Done => return Ok(Ok(())),
                    _ => {
                        let mut e = FieldErrors::new();
                        e.add(
                            "holiday_day",
                            u.locale.t("tickets-setup-error-holiday-taken"),
                        );
                        e
                    }
                },
                Err(e) => e,
            };
            let edit = Edit {
                errors,
                holiday: typed,
                ..Edit::fresh()
            };
            let view = edit_page(c, &u, id, edit)?;
            Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, view)))
        })
        .await?;
    let flash = key("tickets-setup-flash-holiday-added");
    answer(
        done,
        &session,
        htmx,
        flash,
        &format!("/tickets/calendars/{id}#holidays"),
    )
}

/// `POST /tickets/calendars/{id}/holidays/delete` (`holiday`: its id).
pub async fn remove_holiday(
    _user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<CalendarId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let holiday = body.id("holiday").ok_or(AppError::NotFound)?;
    state
        .db(move |c| {
            repo::calendar(c, id)?.ok_or(AppError::NotFound)?;
            match write_tx(c, |c| repo::remove_holiday(c, id, holiday))? {
                0 => Err(AppError::NotFound),
                _ => Ok(()),
            }
        })
        .await?;
    set_flash(&session, key("tickets-setup-flash-holiday-removed"));
    Ok(after_post(
        htmx,
        &format!("/tickets/calendars/{id}#holidays"),
    ))
}
