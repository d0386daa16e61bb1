//! Order handlers: the list, the one-screen editor (new, edit, the live
//! recalculation and the no-JS add/remove line), the document page with
//! its status forms, and the printable page.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::check::{Checked, check};
use super::domain::{self, TaxMode};
use super::forms::{LineForm, OrderForm, START_LINES};
use super::idem;
use super::list::{self as order_list, Customer, OrderListOptions};
use super::repo::{self, Order, Reach};
use super::views::{EditorPage, ListChoices, ListPage};
use crate::db::{DbConn, write_tx};
use crate::domain::ids::OrderId;
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key, set_flash};
use crate::records::timeline::{self, ActivityKind, SystemEvent};
use crate::staff::assign::owner_choices;
use crate::web::forms::FieldErrors;
use crate::web::list::Params;
use crate::web::render::{after_post, html, page};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};

type State = web::Data<AppState>;

pub async fn list(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let opts = OrderListOptions::parse(&query)?;
    let u = user.clone();
    let tz = user.locale.tz;
    let (opts, rows, pager, totals, choices) = state
        .db(move |c| {
            let viewer = u.viewer();
            let reach = Reach::of(c, &viewer)?;
            let (counted, totals) = order_list::count_and_totals(c, &reach, &opts, tz)?;
            let choices = ListChoices {
                owners: crate::staff::repo::owner_menu(c, &viewer)?,
                customer: customer_choice(c, &viewer, opts.filters.customer)?,
            };
            let (opts, rows, pager) =
                opts.load(counted, |o| order_list::load(c, &reach, o, tz, counted))?;
            Ok((opts, rows, pager, totals, choices))
        })
        .await?;
    let view = ListPage::new(&user, &opts, pager, rows, totals, choices);
    if htmx.fragment() {
        page(&view.as_results())
    } else {
        page(&view)
    }
}

/// The customer filter's one choice: the chosen account or contact, by
/// name, when the viewer may see it.
fn customer_choice(
    c: &mut DbConn,
    viewer: &crate::auth::policy::Viewer,
    chosen: Option<Customer>,
) -> AppResult<Option<(String, String)>> {
    Ok(match chosen {
        Some(Customer::Account(id)) => crate::accounts::repo::get(c, viewer, id)?
            .map(|a| (Customer::Account(id).value(), a.name.clone())),
        Some(Customer::Contact(id)) => crate::contacts::repo::get(c, viewer, id)?.map(|p| {
            (
                Customer::Contact(id).value(),
                crate::domain::person_name(&p.first_name, &p.last_name),
            )
        }),
        None => None,
    })
}

/// `/orders/new`, for `?contact=` or `?account=` when given.
pub async fn new_form(
    user: CurrentUser,
    state: State,
    query: web::Query<Params>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let view = state
        .db(move |c| {
            let viewer = u.viewer();
            let mut form = OrderForm {
                currency: crate::settings::repo::get(c)?.currency,
                owner_id: u.id.to_string(),
                tax_mode: TaxMode::Exclusive.as_str().into(),
                shipping_tax: "0".into(),
                lines: vec![LineForm::default(); START_LINES],
                idem: idem::new_key(),
                ..OrderForm::default()
            };
            if let Some(id) = crate::domain::ids::ContactId::parse(query.get("contact"))
                && let Some(contact) = crate::contacts::repo::get(c, &viewer, id)?
            {
                form.contact = contact.email.clone().unwrap_or_else(|| id.to_string());
                form.account = contact.account_name.clone().unwrap_or_default();
            }
            if let Some(id) = crate::domain::ids::AccountId::parse(query.get("account"))
                && let Some(account) = crate::accounts::repo::get(c, &viewer, id)?
            {
                form.account = account.name;
            }
            let owners = owner_choices(c, &u)?;
            Ok(EditorPage::new(
                &u,
                None,
                form,
                FieldErrors::new(),
                None,
                owners,
            ))
        })
        .await?;
    page(&view)
}

/// The form's values for a saved document.
fn form_of(o: &Order, lines: &[repo::Line]) -> OrderForm {
    let cur = &o.currency;
    OrderForm {
        contact: o
            .contact_email
            .clone()
            .or_else(|| o.contact_id.map(|id| id.to_string()))
            .unwrap_or_default(),
        account: o.account_name.clone().unwrap_or_default(),
        currency: cur.clone(),
        owner_id: o.owner_id.to_string(),
        tax_mode: o.tax_mode.as_str().into(),
        discount: domain::discount_text(o.discount_kind, o.discount_value, cur),
        shipping: crate::i18n::format::plain_amount(o.shipping_minor, cur),
        shipping_tax: crate::products::domain::percent_text(i64::from(o.shipping_tax_bp)),
        notes: o.notes.clone(),
        lines: lines
            .iter()
            .map(|l| LineForm {
                sku: l.sku.clone(),
                qty: domain::quantity_text(l.quantity_milli),
                price: crate::i18n::format::plain_amount(l.unit_price_minor, cur),
                disc: domain::discount_text(l.discount_kind, l.discount_value, cur),
                pid: l.product_id.map(|p| p.to_string()).unwrap_or_default(),
                name: l.name.clone(),
                tax: crate::products::domain::percent_text(i64::from(l.tax_rate_bp)),
                snap: l.sku.clone(),
            })
            .collect(),
        version: o.version.to_string(),
        idem: idem::new_key(),
        op: String::new(),
        view: String::new(),
    }
}

pub(super) fn editable(c: &mut DbConn, user: &CurrentUser, id: OrderId) -> AppResult<Order> {
    let reach = Reach::of(c, &user.viewer())?;
    repo::get(c, &reach, id)?.ok_or(AppError::NotFound)
}

pub async fn edit_form(
    user: CurrentUser,
    state: State,
    path: web::Path<OrderId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let view = state
        .db(move |c| {
            let o = editable(c, &u, id)?;
            if !o.status.is_editable() {
                return Err(AppError::conflict(key("orders-error-immutable")));
            }
            let lines = repo::lines(c, id)?;
            let mut form = form_of(&o, &lines);
            form.lines.push(LineForm::default());
            let mut checked = check(c, &u, &mut form, Some(o.owner_id.get()))?;
            checked.errors = FieldErrors::new();
            let owners = owner_choices(c, &u)?;
            Ok(EditorPage::new(
                &u,
                Some(id),
                form,
                FieldErrors::new(),
                checked.totals,
                owners,
            ))
        })
        .await?;
    page(&view)
}

/// `POST /orders/recalc`: the form checked and its totals computed, nothing
/// stored. htmx gets the totals (while typing) or the whole line editor
/// (a line added, removed or a product picked); without JavaScript the
/// "add line" and "remove" buttons land here and get the form back whole.
pub async fn recalc(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let mut form = OrderForm::parse(&body);
    let order_id = OrderId::parse(body.get("order_id"));
    form.apply_op();
    let want_totals = form.view == "totals";
    let u = user.clone();
    let mut view = state
        .db(move |c| {
            if let Some(id) = order_id {
                editable(c, &u, id)?;
            }
            let Checked { totals, errors, .. } = check(c, &u, &mut form, None)?;
            // The totals alone (while typing) show no owner menu.
            let owners = if want_totals {
                Vec::new()
            } else {
                owner_choices(c, &u)?
            };
            Ok(EditorPage::new(&u, order_id, form, errors, totals, owners))
        })
        .await?;
    if htmx.fragment() && want_totals {
        view.oob = true;
        page(&view.as_totals())
    } else if htmx.fragment() {
        page(&view.as_editor())
    } else {
        page(&view)
    }
}

/// Saves the editor; a refused form comes back (422) with values kept; a
/// stale edit (409) says so; a replayed form key answers with the document
/// its first submission made.
async fn submit(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    id: Option<OrderId>,
    body: Params,
) -> AppResult<HttpResponse> {
    let mut form = OrderForm::parse(&body);
    let key_raw = idem::parse(&form.idem);
    let u = user.clone();
    let outcome = state
        .db(move |c| {
            let uid = u.id;
            if id.is_none()
                && let Some(k) = &key_raw
                && let Some(done) = idem::find(c, k, uid, "create")?
            {
                return Ok(Ok(OrderId::new(done)));
            }
            let current = match id {
                Some(id) => Some(editable(c, &u, id)?),
                None => None,
            };
            if let Some(o) = &current
                && !o.status.is_editable()
            {
                return Err(AppError::conflict(key("orders-error-immutable")));
            }
            let checked = check(c, &u, &mut form, current.as_ref().map(|o| o.owner_id.get()))?;
            let Some(doc) = checked.doc else {
                let owners = owner_choices(c, &u)?;
                let view = EditorPage::new(&u, id, form, checked.errors, checked.totals, owners);
                return Ok(Err((StatusCode::UNPROCESSABLE_ENTITY, Box::new(view))));
            };
            let saved = write_tx(c, |c| {
                let oid = match (id, form.version()) {
                    (None, _) => repo::insert(c, &doc)?,
                    (Some(id), Some(v)) if repo::update(c, id, v, &doc)? => id,
                    (Some(_), _) => return Ok(None),
                };
                let links = crate::records::Links {
                    contact: doc.contact_id,
                    account: doc.account_id,
                    deal: None,
                    order: Some(oid),
                    ticket: None,
                };
                timeline::log_event(
                    c,
                    links,
                    &SystemEvent {
                        kind: ActivityKind::Order,
                        message: StoredMessage::new(key(if id.is_none() {
                            "orders-event-created"
                        } else {
                            "orders-event-edited"
                        }))
                        .text("number", format!("#{oid}")),
                        author: Some(crate::domain::ids::UserId::new(uid)),
                        reference: None,
                    },
                )?;
                if id.is_none()
                    && let Some(k) = &key_raw
                    && !idem::store(c, k, uid, "create", oid.get())?
                {
                    // Replayed meanwhile: undo ours, answer with the first.
                    return Err(AppError::conflict(key("orders-error-replayed")));
                }
                Ok::<_, AppError>(Some(oid))
            });
            match saved {
                Ok(Some(oid)) => Ok(Ok(oid)),
                Ok(None) => {
                    let mut view = EditorPage::new(
                        &u,
                        id,
                        form,
                        FieldErrors::new(),
                        checked.totals,
                        owner_choices(c, &u)?,
                    );
                    view.notice = Some(u.locale.t("orders-error-conflict"));
                    Ok(Err((StatusCode::CONFLICT, Box::new(view))))
                }
                Err(AppError::Conflict(_)) if key_raw.is_some() => {
                    // The key's first use committed while we worked.
                    let k = key_raw.clone().unwrap_or_default();
                    match idem::find(c, &k, uid, "create")? {
                        Some(done) => Ok(Ok(OrderId::new(done))),
                        None => Err(AppError::conflict(key("orders-error-replayed"))),
                    }
                }
                Err(e) => Err(e),
            }
        })
        .await?;
    match outcome {
        Ok(oid) => {
            set_flash(
                &session,
                key(if id.is_none() {
                    "orders-flash-created"
                } else {
                    "orders-flash-saved"
                }),
            );
            Ok(after_post(htmx, &format!("/orders/{oid}")))
        }
        Err((status, view)) => html(status, &*view),
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
    path: web::Path<OrderId>,
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
