//! Segment pages: the list, the form with its live count and sample (htmx
//! asks for the `preview` block as the filter changes), create and edit.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::domain::{Filter, SegmentForm};
use super::repo;
use super::views::{FormPage, ListPage, Preview};
use crate::db::{DbConn, write_tx};
use crate::error::{AppError, AppResult};
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, invalid, page};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};

type State = web::Data<AppState>;

/// Contacts shown as the segment's sample.
const SAMPLE: i64 = 10;

pub async fn list(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let segments = state.db(|c| Ok(repo::list(c)?)).await?;
    page(&ListPage::new(&user, segments))
}

fn preview(c: &mut DbConn, f: &Filter) -> diesel::QueryResult<Preview> {
    Ok(Preview {
        count: repo::count(c, f)?,
        mailable: repo::count_mailable(c, f)?,
        sample: repo::sample(c, f, SAMPLE)?,
    })
}

fn menus(c: &mut DbConn, view: &mut FormPage) -> diesel::QueryResult<()> {
    view.tags = repo::tag_names(c)?;
    view.owners = repo::owners(c)?;
    Ok(())
}

/// The filter a form describes (a static list's addresses looked up).
fn filter_of(
    c: &mut DbConn,
    form: &SegmentForm,
    errors: &mut FieldErrors,
    l: &crate::i18n::Locale,
) -> diesel::QueryResult<Filter> {
    if form.kind == "static" {
        let emails = form.addresses(errors, l);
        Ok(Filter {
            contact_ids: Some(repo::ids_by_email(c, &emails)?),
            ..Filter::default()
        })
    } else {
        let currency = crate::settings::repo::get(c)?.currency;
        Ok(form.rules(errors, l, &currency))
    }
}

/// Renders the form page, or only its preview block for htmx.
async fn form_page(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    id: Option<i64>,
    query: Params,
) -> AppResult<HttpResponse> {
    let typed = SegmentForm::from_params(&query);
    let l = user.locale;
    let view = state
        .db(move |c| {
            let stored = match id {
                Some(id) => Some(repo::get(c, id)?.ok_or(AppError::NotFound)?),
                None => None,
            };
            let form = match (&stored, typed.is_blank()) {
                (Some(s), true) => {
                    let f = s.parsed();
                    let emails = match &f.contact_ids {
                        Some(ids) => repo::emails_of(c, ids)?.join("\n"),
                        None => String::new(),
                    };
                    let currency = crate::settings::repo::get(c)?.currency;
                    SegmentForm::of(&s.name, &f, emails, &currency)
                }
                _ => typed,
            };
            let mut errors = FieldErrors::new();
            let filter = filter_of(c, &form, &mut errors, &l)?;
            let mut view = FormPage::new(&user, id, form);
            menus(c, &mut view)?;
            view.preview = Some(preview(c, &filter)?);
            view.errors = errors;
            Ok(view)
        })
        .await?;
    if htmx.fragment() {
        page(&view.as_preview())
    } else {
        page(&view)
    }
}

pub async fn new_form(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    form_page(user, state, htmx, None, query.into_inner()).await
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    path: web::Path<i64>,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    form_page(
        user,
        state,
        htmx,
        Some(path.into_inner()),
        query.into_inner(),
    )
    .await
}

async fn submit(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: Option<i64>,
    body: Params,
) -> AppResult<HttpResponse> {
    let form = SegmentForm::from_params(&body);
    let l = user.locale;
    let by = user.id;
    let user2 = user.clone();
    let outcome = state
        .db(move |c| {
            if let Some(id) = id {
                repo::get(c, id)?.ok_or(AppError::NotFound)?;
            }
            let mut errors = FieldErrors::new();
            let name = form.checked_name(&mut errors, &l);
            let filter = filter_of(c, &form, &mut errors, &l)?;
            if !errors.is_empty() {
                let mut view = FormPage::new(&user2, id, form);
                menus(c, &mut view)?;
                view.preview = Some(preview(c, &filter)?);
                view.errors = errors;
                return Ok(Err(view));
            }
            let saved = write_tx(c, |c| match id {
                Some(id) => repo::update(c, id, &name, &filter).map(|_| id),
                None => repo::insert(c, &name, &filter, by),
            })?;
            Ok(Ok(saved))
        })
        .await?;
    match outcome {
        Ok(saved) => {
            crate::i18n::set_flash(&session, "segments-saved");
            Ok(after_post(htmx, &format!("/segments/{saved}")))
        }
        Err(view) => invalid(&view),
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
    submit(
        user,
        state,
        htmx,
        session,
        Some(path.into_inner()),
        body.into_inner(),
    )
    .await
}
