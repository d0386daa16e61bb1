//! The saved document's pages: the document with its status forms, the
//! status changes themselves, and the printable page.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::domain::{self, DocAmounts, LineAmounts, Transition};
use super::flow::{self, Refused, Step};
use super::handlers::editable;
use super::idem;
use super::quote_link::QuoteMail;
use super::repo::{self, Order};
use super::views::{PrintPage, ShowPage};
use crate::db::DbConn;
use crate::domain::ids::OrderId;
use crate::domain::pricing::TaxLine;
use crate::error::AppResult;
use crate::i18n::{key, set_flash};
use crate::records::RecordRef;
use crate::records::handlers::TIMELINE_LIMIT;
use crate::records::timeline;
use crate::records::views::TimelinePanel;
use crate::web::list::Params;
use crate::web::render::{after_post, html, page};
use crate::web::state::AppState;
use crate::web::{CurrentUser, Htmx};

type State = web::Data<AppState>;

/// The per-rate tax summary of a stored document (recomputed from its
/// stored lines by the same rule that made their amounts).
fn taxes_of(o: &Order, lines: &[repo::Line]) -> Vec<TaxLine> {
    let amounts: Vec<LineAmounts> = lines
        .iter()
        .map(|l| LineAmounts {
            quantity_milli: l.quantity_milli,
            unit_price: l.unit_price_minor,
            discount_kind: l.discount_kind,
            discount_value: l.discount_value,
            tax_rate_bp: i64::from(l.tax_rate_bp),
        })
        .collect();
    let doc = DocAmounts {
        discount_kind: o.discount_kind,
        discount_value: o.discount_value,
        shipping: o.shipping_minor,
        shipping_tax_bp: i64::from(o.shipping_tax_bp),
        mode: o.tax_mode,
    };
    domain::totals(&amounts, &doc)
        .map(|t| t.taxes)
        .unwrap_or_default()
}

/// The printable document in its customer's language.
pub(super) fn printable(c: &mut DbConn, o: Order) -> AppResult<PrintPage> {
    let lines = repo::lines(c, o.id)?;
    let ws = crate::settings::repo::get(c)?;
    Ok(PrintPage {
        locale: super::quote_link::customer_locale(c, &o)?,
        taxes: taxes_of(&o, &lines),
        company_name: ws.company_name,
        company_address: ws.company_address,
        order: o,
        lines,
    })
}

fn show_page(
    c: &mut DbConn,
    user: &CurrentUser,
    mail: &QuoteMail,
    o: Order,
    notice: Option<String>,
) -> AppResult<ShowPage> {
    let lines = repo::lines(c, o.id)?;
    let record = RecordRef::Order(o.id);
    let entries = timeline::of(c, record, TIMELINE_LIMIT)?;
    let products: Vec<i64> = lines
        .iter()
        .filter_map(|l| l.product_id.map(|p| p.get()))
        .collect();
    let recommended = crate::insights::recommend::for_products(c, &products)?;
    Ok(ShowPage {
        recommended,
        chrome: crate::web::Chrome::new(user, crate::web::Section::Orders),
        taxes: taxes_of(&o, &lines),
        transitions: domain::offered(o.status),
        timeline: TimelinePanel::new(record, entries, false),
        notice,
        can_write: user.can(crate::auth::policy::Action::OrdersWrite),
        can_open_ticket: user.can(crate::auth::policy::Action::TicketsWrite),
        idem: idem::new_key(),
        public_link: (o.status == super::domain::OrderStatus::Sent)
            .then(|| mail.url_of(&o))
            .flatten(),
        order: o,
        lines,
    })
}

pub async fn show(
    user: CurrentUser,
    state: State,
    path: web::Path<OrderId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let mail = QuoteMail::new(&state.config);
    let view = state
        .db(move |c| {
            let o = editable(c, &u, id)?;
            show_page(c, &u, &mail, o, None)
        })
        .await?;
    page(&view)
}

/// `POST /orders/{id}/status`: send, accept, confirm, fulfil, close or
/// cancel. Done: 303 to the page. Refused: the page again with the reason
/// (409 stale or short of stock, 422 not allowed or no reason). A replayed
/// form key: 303 to the page, as the first submission answered.
pub async fn transition(
    user: CurrentUser,
    state: State,
    htmx: Htmx,
    session: Session,
    path: web::Path<OrderId>,
    body: web::Form<Params>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let to = Transition::parse(body.get("to").trim());
    let version: Option<i32> = body.get("version").trim().parse().ok();
    let reason = body.text("reason", 1000);
    let key_raw = idem::parse(body.get("idem"));
    let u = user.clone();
    let mail = QuoteMail::new(&state.config);
    let answer = state
        .db(move |c| {
            if let Some(k) = &key_raw
                && idem::find(c, k, u.id, "transition")? == Some(id.get())
            {
                return Ok(Ok(None));
            }
            let o = editable(c, &u, id)?;
            let (Some(to), Some(version)) = (to, version) else {
                let l = u.locale.t("orders-error-not-allowed");
                return Ok(Err((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Box::new(show_page(c, &u, &mail, o, Some(l))?),
                )));
            };
            let step = Step {
                order: &o,
                transition: to,
                version,
                reason: reason.clone(),
                user: u.id,
                key: key_raw.clone(),
                mail: &mail,
            };
            let refused = match flow::apply(c, &step)? {
                Ok(_) => return Ok(Ok(Some(to))),
                Err(r) => r,
            };
            // A double-click: the first confirmation committed while this
            // one waited; its answer stands.
            if let Some(k) = &key_raw
                && idem::find(c, k, u.id, "transition")? == Some(id.get())
            {
                return Ok(Ok(None));
            }
            let l = &u.locale;
            let (status, text) = match refused {
                Refused::NotAllowed => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    l.t("orders-error-not-allowed"),
                ),
                Refused::NeedsReason => {
                    (StatusCode::UNPROCESSABLE_ENTITY, l.t("orders-error-reason"))
                }
                Refused::Conflict | Refused::Replayed => {
                    (StatusCode::CONFLICT, l.t("orders-error-conflict"))
                }
                Refused::Short(p) => (
                    StatusCode::CONFLICT,
                    l.t_str("orders-error-short", "product", &p),
                ),
            };
            let fresh = editable(c, &u, id)?;
            Ok(Err((
                status,
                Box::new(show_page(c, &u, &mail, fresh, Some(text))?),
            )))
        })
        .await?;
    match answer {
        Ok(done) => {
            if let Some(t) = done {
                set_flash(
                    &session,
                    match t {
                        Transition::Confirm => key("orders-flash-confirmed"),
                        Transition::Cancel => key("orders-flash-cancelled"),
                        _ => key("orders-flash-moved"),
                    },
                );
            }
            Ok(after_post(htmx, &format!("/orders/{id}")))
        }
        Err((status, view)) => html(status, &*view),
    }
}

/// `/orders/{id}/print`: the document alone, in the customer's language
/// (the contact's, else the workspace's) and with its company details.
pub async fn print(
    user: CurrentUser,
    state: State,
    path: web::Path<OrderId>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let view = state
        .db(move |c| {
            let o = editable(c, &u, id)?;
            let mut doc = printable(c, o)?;
            // Times in the reader's zone: the one printing it.
            doc.locale.tz = u.locale.tz;
            Ok(doc)
        })
        .await?;
    page(&view)
}
