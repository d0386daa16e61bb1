use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::domain::{ContactInput, ListOptions, PAGE_SIZE};
use super::forms::{ContactForm, ListQuery, NoteForm};
use super::repo;
use super::views::{FormPage, ListPage, ShowPage, full_name};
use crate::audit::{self, Entry};
use crate::auth::policy::Action;
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::staff;
use crate::startup::AppState;
use crate::web::forms::FieldErrors;
use crate::web::render::{after_post, html, invalid, page, see_other};
use crate::web::session::set_flash;
use crate::web::{Chrome, CurrentUser, Htmx, Pager};

type State = web::Data<AppState>;

const TIMELINE_LIMIT: i64 = 200;

pub async fn list(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let opts = ListOptions::parse(&query.q, &query.sort, &query.dir, &query.page);
    let viewer = user.viewer();
    let o = opts.clone();
    let (pager, rows) = state
        .db(move |c| {
            let total = repo::count(c, &viewer, &o)?;
            let pager = Pager::new(o.page, PAGE_SIZE, total);
            let rows = repo::list(c, &viewer, &o, pager.offset(), pager.per_page)?;
            Ok((pager, rows))
        })
        .await?;
    let view = ListPage {
        chrome: Chrome::new(&user, "contacts"),
        opts,
        pager,
        rows,
        can_create: user.can(Action::ContactsWrite),
    };
    if htmx.fragment() {
        page(&view.as_results())
    } else {
        page(&view)
    }
}

/// Owners the user may choose from (empty when they may not assign).
fn owner_choices(c: &mut DbConn, user: &CurrentUser) -> AppResult<Vec<(i64, String)>> {
    if user.can(Action::ContactsAssign) {
        Ok(staff::repo::assignable_users(c, &user.viewer())?)
    } else {
        Ok(Vec::new())
    }
}

fn form_page(
    user: &CurrentUser,
    title: String,
    action: String,
    cancel_url: String,
    form: ContactForm,
    errors: FieldErrors,
    owners: Vec<(i64, String)>,
) -> FormPage {
    FormPage {
        chrome: Chrome::new(user, "contacts"),
        title,
        action,
        cancel_url,
        form,
        errors,
        can_assign: !owners.is_empty(),
        owners,
    }
}

pub async fn new_form(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let u = user.clone();
    let owners = state.db(move |c| owner_choices(c, &u)).await?;
    let form = ContactForm {
        owner_id: user.id.to_string(),
        ..ContactForm::default()
    };
    page(&form_page(
        &user,
        "New contact".into(),
        "/contacts".into(),
        "/contacts".into(),
        form,
        FieldErrors::new(),
        owners,
    ))
}

/// The owner a save may set: the chosen one if the user may assign and the
/// choice is within their reach, else `fallback`. Fields a user cannot see
/// cannot be set by posting them.
fn resolve_owner(
    c: &mut DbConn,
    user: &CurrentUser,
    form: &ContactForm,
    fallback: i64,
    errors: &mut FieldErrors,
) -> AppResult<i64> {
    if !user.can(Action::ContactsAssign) {
        return Ok(fallback);
    }
    if form.owner_id.trim().is_empty() {
        return Ok(fallback);
    }
    let Some(chosen) = form.owner() else {
        errors.add("owner_id", "Choose an owner from the list.");
        return Ok(fallback);
    };
    let allowed = staff::repo::assignable_users(c, &user.viewer())?;
    if allowed.iter().any(|(id, _)| *id == chosen) {
        Ok(chosen)
    } else {
        errors.add("owner_id", "Choose an owner from the list.");
        Ok(fallback)
    }
}

enum Saved {
    Done(i64),
    Invalid(FieldErrors, Vec<(i64, String)>),
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    form: web::Form<ContactForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (u, f) = (user.clone(), form.clone());
    let outcome = state
        .db(move |c| {
            let mut errors = FieldErrors::new();
            let input = f.validate().map_err(|e| errors = e).ok();
            let owner = resolve_owner(c, &u, &f, u.id, &mut errors)?;
            let Some(input) = input.filter(|_| errors.is_empty()) else {
                return Ok(Saved::Invalid(errors, owner_choices(c, &u)?));
            };
            write_tx(c, |c| {
                let id = repo::insert(c, &input, owner)?;
                audit::record(c, entry(&u, "create", id, &input))?;
                Ok(Saved::Done(id))
            })
        })
        .await?;
    match outcome {
        Saved::Done(id) => {
            set_flash(&session, "Contact created.");
            Ok(after_post(htmx, &format!("/contacts/{id}")))
        }
        Saved::Invalid(errors, owners) => invalid(&form_page(
            &user,
            "New contact".into(),
            "/contacts".into(),
            "/contacts".into(),
            form,
            errors,
            owners,
        )),
    }
}

fn entry<'a>(user: &CurrentUser, action: &'a str, id: i64, input: &ContactInput) -> Entry<'a> {
    Entry {
        actor: Some(user.id),
        action,
        entity: "contact",
        entity_id: Some(id),
        summary: format!(
            "{} {}",
            full_name(&input.first_name, &input.last_name),
            input
                .email
                .as_ref()
                .map(|e| format!("<{}>", e.as_str()))
                .unwrap_or_default()
        ),
    }
}

fn show_page(
    user: &CurrentUser,
    contact: repo::ContactDetail,
    timeline: Vec<repo::ActivityRow>,
    note_body: String,
    note_error: Option<String>,
) -> ShowPage {
    ShowPage {
        chrome: Chrome::new(user, "contacts"),
        contact,
        timeline,
        note_body,
        note_error,
        can_edit: user.can(Action::ContactsWrite),
        can_delete: user.can(Action::ContactsDelete),
    }
}

async fn load(
    state: &State,
    user: &CurrentUser,
    id: i64,
) -> AppResult<(repo::ContactDetail, Vec<repo::ActivityRow>)> {
    let viewer = user.viewer();
    state
        .db(move |c| {
            let contact = repo::get(c, &viewer, id)?.ok_or(AppError::NotFound)?;
            let timeline = repo::timeline(c, id, TIMELINE_LIMIT)?;
            Ok((contact, timeline))
        })
        .await
}

pub async fn show(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (contact, timeline) = load(&state, &user, path.into_inner()).await?;
    page(&show_page(&user, contact, timeline, String::new(), None))
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (viewer, u) = (user.viewer(), user.clone());
    let (contact, owners) = state
        .db(move |c| {
            let contact = repo::get(c, &viewer, id)?.ok_or(AppError::NotFound)?;
            Ok((contact, owner_choices(c, &u)?))
        })
        .await?;
    let form = ContactForm {
        first_name: contact.first_name,
        last_name: contact.last_name,
        email: contact.email.unwrap_or_default(),
        phone: contact.phone.unwrap_or_default(),
        company_name: contact.company_name.unwrap_or_default(),
        owner_id: contact.owner_id.to_string(),
    };
    page(&form_page(
        &user,
        "Edit contact".into(),
        format!("/contacts/{id}"),
        format!("/contacts/{id}"),
        form,
        FieldErrors::new(),
        owners,
    ))
}

pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
    form: web::Form<ContactForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let (u, f) = (user.clone(), form.clone());
    let outcome = state
        .db(move |c| {
            let viewer = u.viewer();
            let current = repo::get(c, &viewer, id)?.ok_or(AppError::NotFound)?;
            let mut errors = FieldErrors::new();
            let input = f.validate().map_err(|e| errors = e).ok();
            let owner = resolve_owner(c, &u, &f, current.owner_id, &mut errors)?;
            let Some(input) = input.filter(|_| errors.is_empty()) else {
                return Ok(Saved::Invalid(errors, owner_choices(c, &u)?));
            };
            write_tx(c, |c| {
                // Re-checked inside the transaction: it may have been deleted meanwhile.
                if repo::update(c, id, &input, owner)? == 0 {
                    return Err(AppError::NotFound);
                }
                audit::record(c, entry(&u, "update", id, &input))?;
                Ok(Saved::Done(id))
            })
        })
        .await?;
    match outcome {
        Saved::Done(id) => {
            set_flash(&session, "Contact saved.");
            Ok(after_post(htmx, &format!("/contacts/{id}")))
        }
        Saved::Invalid(errors, owners) => invalid(&form_page(
            &user,
            "Edit contact".into(),
            format!("/contacts/{id}"),
            format!("/contacts/{id}"),
            form,
            errors,
            owners,
        )),
    }
}

pub async fn delete(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    state
        .db(move |c| {
            let contact = repo::get(c, &u.viewer(), id)?.ok_or(AppError::NotFound)?;
            write_tx(c, |c| {
                repo::delete(c, id)?;
                audit::record(
                    c,
                    Entry {
                        actor: Some(u.id),
                        action: "delete",
                        entity: "contact",
                        entity_id: Some(id),
                        summary: format!(
                            "{} {}",
                            contact.name(),
                            contact.email.map(|e| format!("<{e}>")).unwrap_or_default()
                        ),
                    },
                )?;
                Ok(())
            })
        })
        .await?;
    set_flash(&session, "Contact deleted.");
    Ok(after_post(htmx, "/contacts"))
}

pub async fn add_note(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    path: web::Path<i64>,
    form: web::Form<NoteForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.into_inner();
    let checked = form.validate();
    let (viewer, author, body) = (user.viewer(), user.id, checked.clone().ok());
    let (contact, timeline) = state
        .db(move |c| {
            let contact = repo::get(c, &viewer, id)?.ok_or(AppError::NotFound)?;
            if let Some(body) = body {
                write_tx(c, |c| {
                    repo::add_activity(c, id, "note", &body, author)?;
                    repo::touch(c, id)?;
                    Ok::<_, AppError>(())
                })?;
            }
            Ok((contact, repo::timeline(c, id, TIMELINE_LIMIT)?))
        })
        .await?;
    match checked {
        Ok(_) if htmx.fragment() => {
            page(&show_page(&user, contact, timeline, String::new(), None).as_timeline())
        }
        Ok(_) => Ok(see_other(&format!("/contacts/{id}#timeline"))),
        Err(message) => {
            let view = show_page(&user, contact, timeline, form.body, Some(message));
            if htmx.fragment() {
                html(
                    actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                    &view.as_timeline(),
                )
            } else {
                invalid(&view)
            }
        }
    }
}
