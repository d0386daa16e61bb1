//! Product handlers: the catalogue list, the form, and the line editor's
//! search.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::domain::ProductListOptions;
use super::forms::ProductForm;
use super::repo::{self, Refused};
use super::views::{FormPage, ListPage, Options};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::db::write_tx;
use crate::domain::ids::ProductId;
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key};
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_save, html, page};
use crate::web::state::AppState;
use crate::web::{Chrome, CurrentUser, Htmx, Section};

type State = web::Data<AppState>;

pub async fn list(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = ProductListOptions::parse(&query)?;
    let (opts, rows, pager) = state
        .db(move |c| {
            let counted = repo::count_listed(c, &opts)?;
            Ok(opts.load(counted, |o| repo::list(c, o))?)
        })
        .await?;
    let view = ListPage::new(&user, &opts, pager, rows);
    if htmx.fragment() {
        page(&view.as_results())
    } else {
        page(&view)
    }
}

/// `GET /products/search?q=&currency=`: `<option>`s for the line editor's
/// product field (a datalist), matching SKU or name.
pub async fn search(
    user: CurrentUser,
    state: State,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    // `q`, or the line editor's SKU field itself (`sku_N`, sent as is).
    let q = query
        .text("q", 64)
        .or_else(|| {
            query
                .0
                .0
                .iter()
                .find(|(k, v)| k.starts_with("sku_") && !v.trim().is_empty())
                .map(|(_, v)| v.trim().chars().take(64).collect())
        })
        .unwrap_or_default();
    let currency = query.text("currency", 3);
    let products = if q.trim().is_empty() {
        Vec::new()
    } else {
        state
            .db(move |c| Ok(repo::search(c, &q, currency.as_deref(), 12)?))
            .await?
    };
    page(&Options {
        chrome: Chrome::new(&user, Section::Orders),
        products,
    })
}

pub async fn new_form(user: CurrentUser, state: State) -> AppResult<HttpResponse> {
    let currency = state
        .db(|c| Ok(crate::settings::repo::get(c)?.currency))
        .await?;
    let form = ProductForm {
        currency,
        active: Some("on".into()),
        tax_rate: "0".into(),
        on_hand: "0".into(),
        ..ProductForm::default()
    };
    page(&FormPage::new(&user, None, form, FieldErrors::new()))
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<ProductId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = state
        .db(move |c| repo::get(c, id)?.ok_or(AppError::NotFound))
        .await?;
    page(&FormPage::new(
        &user,
        Some(id),
        ProductForm::of(&p),
        FieldErrors::new(),
    ))
}

async fn submit(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: Option<ProductId>,
    form: ProductForm,
) -> AppResult<HttpResponse> {
    let l = user.locale;
    if let Some(id) = id {
        // An unknown product is not found, whatever the form says.
        state
            .db(move |c| repo::get(c, id)?.ok_or(AppError::NotFound))
            .await?;
    }
    let input = match form.check(&l) {
        Ok(input) => input,
        Err(errors) => {
            return html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &FormPage::new(&user, id, form, errors),
            );
        }
    };
    let version = form.version();
    let actor = user.id;
    let saved = state
        .db(move |c| {
            write_tx(c, |c| {
                let done = match (id, version) {
                    (None, _) => repo::insert(c, &input)?,
                    (Some(id), Some(v)) => {
                        repo::get(c, id)?.ok_or(AppError::NotFound)?;
                        repo::update(c, id, v, &input)?.map(|()| id)
                    }
                    (Some(_), None) => Err(Refused::Conflict),
                };
                if let Ok(pid) = done {
                    audit::record(
                        c,
                        Entry {
                            actor: Some(actor),
                            action: if id.is_none() {
                                AuditAction::Create
                            } else {
                                AuditAction::Update
                            },
                            entity: AuditEntity::Product,
                            entity_id: Some(pid.get()),
                            summary: StoredMessage::new(key("audit-product-saved"))
                                .text("sku", &input.sku),
                        },
                    )?;
                }
                Ok::<_, AppError>(done)
            })
        })
        .await?;
    match saved {
        Ok(_) => Ok(after_save(
            &session,
            htmx,
            id.is_none(),
            (key("products-flash-created"), key("products-flash-saved")),
            "/products",
        )),
        Err(why) => {
            let mut errors = FieldErrors::new();
            let (status, field, msg) = match why {
                Refused::DuplicateSku => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "sku",
                    l.t_str("products-error-sku-taken", "sku", form.sku.trim()),
                ),
                Refused::Conflict => (StatusCode::CONFLICT, "name", l.t("products-error-conflict")),
            };
            errors.add(field, msg);
            html(status, &FormPage::new(&user, id, form, errors))
        }
    }
}

pub async fn create(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    form: web::Form<ProductForm>,
) -> AppResult<HttpResponse> {
    submit(user, state, htmx, session, None, form.into_inner()).await
}

pub async fn update(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<ProductId>,
    form: web::Form<ProductForm>,
) -> AppResult<HttpResponse> {
    submit(
        user,
        state,
        htmx,
        session,
        Some(path.into_inner()),
        form.into_inner(),
    )
    .await
}
