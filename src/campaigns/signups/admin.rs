//! Staff pages of sign-up forms (`/campaigns/signups`): the list with each
//! form's public address and its pending and confirmed sign-ups, the
//! editor (title, intro, slug, the static list and/or tag confirmed
//! sign-ups join, the page's language). Edits carry the row's version.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::domain::SignupFormInput;
use super::repo;
use super::views::{FormPage, ListPage};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::i18n::set_flash;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, invalid, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

fn base_url(state: &AppState) -> String {
    state.config.base_url.trim_end_matches('/').to_string()
}

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let forms = state.db(|c| Ok(repo::list(c)?)).await?;
    page(&ListPage {
        chrome: Chrome::new(&user, Section::Campaigns),
        forms,
        base_url: base_url(&state),
    })
}

fn form_page(
    user: &CurrentUser,
    state: &AppState,
    id: Option<i64>,
    form: SignupFormInput,
    errors: FieldErrors,
    lists: Vec<(i64, String)>,
) -> FormPage {
    FormPage {
        chrome: Chrome::new(user, Section::Campaigns),
        form_id: id,
        form,
        errors,
        lists,
        base_url: base_url(state),
    }
}

pub async fn new_form(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let lists = state.db(|c| Ok(repo::static_lists(c)?)).await?;
    let form = SignupFormInput {
        language: user.locale.lang.code().to_string(),
        ..SignupFormInput::default()
    };
    page(&form_page(
        &user,
        &state,
        None,
        form,
        FieldErrors::new(),
        lists,
    ))
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (f, lists) = state
        .db(move |c| {
            let f = repo::get(c, id)?.ok_or(AppError::NotFound)?;
            Ok((f, repo::static_lists(c)?))
        })
        .await?;
    let form = SignupFormInput {
        title: f.title,
        intro: f.intro,
        slug: f.slug,
        segment_id: f.segment_id.map(|s| s.to_string()).unwrap_or_default(),
        tag: f.tag.unwrap_or_default(),
        language: f.language,
        version: f.version.to_string(),
    };
    page(&form_page(
        &user,
        &state,
        Some(id),
        form,
        FieldErrors::new(),
        lists,
    ))
}

/// Checks what only the database knows: the list is a static list, the
/// slug is free. Errors go beside the fields.
fn check_in_db(
    c: &mut DbConn,
    id: Option<i64>,
    segment: Option<i64>,
    slug: &str,
    locale: &crate::i18n::Locale,
) -> AppResult<FieldErrors> {
    let mut errors = FieldErrors::new();
    if let Some(seg) = segment {
        let ok = crate::segments::repo::get(c, seg)?.is_some_and(|s| s.parsed().is_static());
        if !ok {
            errors.add("segment_id", locale.t("campaigns-public-error-list"));
        }
    }
    if repo::slug_taken(c, slug, id)? {
        errors.add("slug", locale.t("campaigns-public-error-slug-taken"));
    }
    Ok(errors)
}

async fn submit(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: Option<i64>,
    body: Params,
) -> AppResult<HttpResponse> {
    let form = SignupFormInput::from_params(&body);
    let draft = form.draft(&user.locale);
    let version = form.version();
    let (by, locale) = (user.id, user.locale);
    let outcome = state
        .db(move |c| {
            if let Some(id) = id {
                repo::get(c, id)?.ok_or(AppError::NotFound)?;
            }
            let draft = match draft {
                Ok(d) => d,
                Err(e) => return Ok(Err((e, repo::static_lists(c)?))),
            };
            let errors = check_in_db(c, id, draft.segment_id, &draft.slug, &locale)?;
            if !errors.is_empty() {
                return Ok(Err((errors, repo::static_lists(c)?)));
            }
            let saved = write_tx(c, |tx| match id {
                Some(id) => Ok(repo::update(tx, id, version.unwrap_or(-1), &draft)?.then_some(id)),
                None => repo::insert(tx, &draft, by).map(Some),
            });
            match saved {
                Ok(saved) => Ok(Ok(saved)),
                // Two forms saved with one slug at once: the unique index
                // keeps the first; the second hears it beside the field.
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                )) => {
                    let mut e = FieldErrors::new();
                    e.add("slug", locale.t("campaigns-public-error-slug-taken"));
                    Ok(Err((e, repo::static_lists(c)?)))
                }
                Err(e) => Err(e.into()),
            }
        })
        .await?;
    match outcome {
        Ok(Some(_)) => {
            set_flash(&session, "campaigns-public-saved");
            Ok(after_post(htmx, "/campaigns/signups"))
        }
        Ok(None) => Err(AppError::conflict("campaigns-public-changed-meanwhile")),
        Err((errors, lists)) => invalid(&form_page(&user, &state, id, form, errors, lists)),
    }
}

/// `POST /campaigns/signups/{id}/active` (`active` = 1 opens, 0 closes).
pub async fn set_active(
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<i64>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let wanted = match body.get("active") {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    };
    let active = state
        .db(move |c| {
            // A form that is not there is 404 whatever the body says.
            repo::get(c, id)?.ok_or(AppError::NotFound)?;
            let active = wanted.ok_or(AppError::refused("campaigns-bad-choice"))?;
            write_tx(c, |tx| repo::set_active(tx, id, active))?;
            Ok(active)
        })
        .await?;
    let flash = if active {
        "campaigns-public-form-opened"
    } else {
        "campaigns-public-form-closed"
    };
    set_flash(&session, flash);
    Ok(after_post(htmx, "/campaigns/signups"))
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
