//! Status changes, each one `write_tx`: the conditional status UPDATE
//! (version and starting status in the WHERE), the number the step gives
//! (sending: the quote's; confirming: the order's) from the counter row,
//! stock taken on confirmation and given back on cancelling a confirmed
//! order — each a conditional UPDATE with an affected-rows check — and
//! the event on the timeline. Any refusal rolls the whole step back, so a
//! failed confirmation leaves neither a number gap nor stock taken.

use chrono::Datelike;

use super::domain::{self, OrderStatus, Transition};
use super::idem;
use super::quote_link::{self, QuoteMail, QuoteMessage};
use super::repo::{self, LinkChange, Order, StatusChange};
use crate::db::{DbConn, now, write_tx};
use crate::domain::ids::{OrderId, ProductId};
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key};
use crate::records::timeline::{self, ActivityKind, SystemEvent};

/// Why a step did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not allowed from the document's status.
    NotAllowed,
    /// Someone changed the document since the page was drawn.
    Conflict,
    /// Cancelling needs a reason.
    NeedsReason,
    /// Not enough stock of this product (its name and SKU).
    Short(String),
    /// The form's key was used before: its first submission stands.
    Replayed,
}

/// Inside the transaction: the refusal rolls everything back.
enum Fail {
    Refused(Refused),
    Err(AppError),
}

impl From<diesel::result::Error> for Fail {
    fn from(e: diesel::result::Error) -> Self {
        Fail::Err(e.into())
    }
}

impl crate::db::TxError for Fail {
    fn is_retryable(&self) -> bool {
        match self {
            Fail::Err(e) => crate::db::TxError::is_retryable(e),
            Fail::Refused(_) => false,
        }
    }
}

pub struct Step<'a> {
    pub order: &'a Order,
    pub transition: Transition,
    pub version: i32,
    pub reason: Option<String>,
    pub user: i64,
    /// The form's one-time key.
    pub key: Option<String>,
    /// Sending mails the quote's link to its contact (when it has an email).
    pub mail: &'a QuoteMail,
}

/// The quote email for `o`, now numbered `number` with a link under `key`
/// valid through `until`; None when the customer has no email address.
fn quote_email(
    c: &mut DbConn,
    s: &Step,
    number: &str,
    key: &str,
    until: chrono::NaiveDate,
) -> AppResult<Option<(String, crate::mail::Email)>> {
    let o = s.order;
    let Some(to) = o.contact_email.clone().filter(|e| !e.trim().is_empty()) else {
        return Ok(None);
    };
    let locale = quote_link::customer_locale(c, o)?;
    let ws = crate::settings::repo::get(c)?;
    let url = format!(
        "{}/q/{}",
        s.mail.base_url,
        s.mail.token(o.id.get(), key, until)
    );
    let message = QuoteMessage {
        number,
        customer: o.contact_name().unwrap_or_else(|| o.customer()),
        company: &ws.company_name,
        total: locale.money(o.total_minor, &o.currency),
        url: &url,
        valid_until: until,
        locale: &locale,
    };
    let email = message
        .email(&s.mail.from, &to)
        .map_err(|e| AppError::unexpected(e.to_string()))?;
    Ok(Some((to, email)))
}

/// Quantities per tracked product on the document's lines.
fn stock_needs(c: &mut DbConn, id: OrderId) -> AppResult<Vec<(ProductId, i64, String)>> {
    let mut needs: Vec<(ProductId, i64, String)> = Vec::new();
    for l in repo::lines(c, id)? {
        if let Some(pid) = l.product_id {
            let units = domain::stock_units(l.quantity_milli);
            match needs.iter_mut().find(|(p, _, _)| *p == pid) {
                Some(n) => n.1 += units,
                None => needs.push((pid, units, format!("{} ({})", l.name, l.sku))),
            }
        }
    }
    Ok(needs)
}

/// Applies the step; Ok(Err(_)) is a refusal (nothing changed).
pub fn apply(c: &mut DbConn, s: &Step) -> AppResult<Result<OrderStatus, Refused>> {
    let from = s.order.status;
    let Some(to) = domain::next(from, s.transition) else {
        return Ok(Err(Refused::NotAllowed));
    };
    let reason = s.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if s.transition == Transition::Cancel && reason.is_none() {
        return Ok(Err(Refused::NeedsReason));
    }
    let needs = stock_needs(c, s.order.id)?;
    let (qt, so, valid_days) = repo::prefixes(c)?;
    let year = now().year();
    let today = now().date();
    let o = s.order;
    let done = write_tx(c, |c| {
        let mut extra = StatusChange::default();
        if to == OrderStatus::Sent && o.quote_number.is_none() {
            extra.quote_number = Some(domain::number(
                &qt,
                year,
                repo::next_number(c, "quote", year)?,
            ));
        }
        if to == OrderStatus::Sent {
            extra.link = Some(LinkChange::Issue(
                quote_link::new_link_key(),
                domain::valid_until(today, valid_days),
            ));
        }
        if s.transition == Transition::Withdraw {
            extra.link = Some(LinkChange::Revoke);
        }
        if to == OrderStatus::Confirmed {
            extra.order_number = Some(domain::number(
                &so,
                year,
                repo::next_number(c, "order", year)?,
            ));
            extra.confirmed = true;
        }
        if to == OrderStatus::Cancelled {
            extra.cancel_reason = reason.map(str::to_string);
        }
        if !repo::set_status(c, o.id, s.version, from, to, &extra)? {
            return Err(Fail::Refused(Refused::Conflict));
        }
        if to == OrderStatus::Confirmed {
            for (pid, units, label) in &needs {
                if !crate::products::take_stock(c, *pid, *units)? {
                    return Err(Fail::Refused(Refused::Short(label.clone())));
                }
            }
        }
        if to == OrderStatus::Cancelled && from.holds_stock() {
            for (pid, units, _) in &needs {
                crate::products::return_stock(c, *pid, *units)?;
            }
        }
        let number = extra
            .order_number
            .clone()
            .or_else(|| extra.quote_number.clone())
            .unwrap_or_else(|| o.number());
        let mut message = StoredMessage::new(key("orders-event"))
            .text("number", &number)
            .label("from", from.label_key())
            .label("to", to.label_key());
        if s.transition == Transition::Withdraw {
            message = StoredMessage::new(key("quotes-event-withdrawn")).text("number", &number);
        }
        // Sent with a link: the message goes out with the status change,
        // and the event says where to.
        if let Some(LinkChange::Issue(link_key, until)) = &extra.link
            && let Some((address, email)) =
                quote_email(c, s, &number, link_key, *until).map_err(Fail::Err)?
        {
            crate::mail::outbox::enqueue(c, &email)?;
            message = StoredMessage::new(key("quotes-event-mailed"))
                .text("number", &number)
                .text("email", &address);
        }
        if let Some(r) = reason.filter(|_| to == OrderStatus::Cancelled) {
            message = StoredMessage::new(key("orders-event-cancelled"))
                .text("number", &number)
                .text("reason", r);
        }
        timeline::log_event(
            c,
            o.links(),
            &SystemEvent {
                kind: ActivityKind::Order,
                message,
                author: Some(crate::domain::ids::UserId::new(s.user)),
                reference: None,
            },
        )?;
        if let Some(k) = &s.key
            && !idem::store(c, k, s.user, "transition", o.id.get())?
        {
            // The same form was submitted before: its first result stands.
            return Err(Fail::Refused(Refused::Replayed));
        }
        Ok(to)
    });
    match done {
        Ok(to) => Ok(Ok(to)),
        Err(Fail::Refused(r)) => Ok(Err(r)),
        Err(Fail::Err(e)) => Err(e),
    }
}
