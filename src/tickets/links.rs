//! A ticket's linked order and account. Agents type the order's number
//! (quote or order number) and the account's name, on the new-ticket form
//! or later on the ticket; both are looked up within what the agent may
//! see. An order brings its account along when none was typed.

use diesel::prelude::*;

use super::write::Refused;
use crate::db::schema::{accounts, orders, tickets};
use crate::db::{DbConn, now};
use crate::domain::ids::{AccountId, OrderId, TicketId, UserId};
use crate::i18n::{Locale, StoredMessage, key};
use crate::records::timeline::{self, ActivityKind, SystemEvent};
use crate::records::{Links, RecordRef};
use crate::web::CurrentUser;
use crate::web::forms::FieldErrors;

/// The links as typed (what the form shows again).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Typed {
    pub order: String,
    pub account: String,
}

impl Typed {
    pub fn from_form(p: &crate::web::list::Params) -> Typed {
        Typed {
            order: p.get("order").trim().chars().take(64).collect(),
            account: p.get("account").trim().chars().take(200).collect(),
        }
    }
}

/// The resolved links.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    pub order: Option<OrderId>,
    pub account: Option<AccountId>,
}

/// Looks the typed links up; a number or name nobody visible has is an
/// error beside its field.
pub fn resolve(
    c: &mut DbConn,
    user: &CurrentUser,
    typed: &Typed,
    errors: &mut FieldErrors,
) -> QueryResult<Resolved> {
    let loc: &Locale = &user.locale;
    let mut out = Resolved::default();
    let mut order_account = None;
    if !typed.order.is_empty() {
        let reach = crate::orders::repo::Reach::of(c, &user.viewer())?;
        let numbers = [typed.order.clone(), typed.order.to_uppercase()];
        let found: Option<(OrderId, Option<AccountId>)> = crate::orders::repo::visible(&reach)
            .filter(
                orders::order_number
                    .eq_any(numbers.clone())
                    .or(orders::quote_number.eq_any(numbers)),
            )
            .order(orders::id.desc())
            .select((orders::id, orders::account_id))
            .first(c)
            .optional()?;
        match found {
            Some((id, account)) => {
                out.order = Some(id);
                order_account = account;
            }
            None => errors.add("order", loc.t("tickets-error-order")),
        }
    }
    if typed.account.is_empty() {
        out.account = order_account;
    } else {
        match crate::accounts::repo::find_visible_by_name(c, &user.viewer(), &typed.account)? {
            Some((id, _)) => out.account = Some(id),
            None => errors.add("account", loc.t("tickets-error-account")),
        }
    }
    Ok(out)
}

/// What the ticket page shows: the order's number and the account's name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    pub order: Option<(OrderId, String)>,
    pub account: Option<(AccountId, String)>,
}

pub fn shown(
    c: &mut DbConn,
    order: Option<OrderId>,
    account: Option<AccountId>,
) -> QueryResult<Shown> {
    let order = match order {
        Some(id) => orders::table
            .find(id)
            .select((orders::id, orders::order_number, orders::quote_number))
            .first::<(OrderId, Option<String>, Option<String>)>(c)
            .optional()?
            .map(|(id, o, q)| (id, o.or(q).unwrap_or_else(|| format!("#{id}")))),
        None => None,
    };
    let account = match account {
        Some(id) => accounts::table
            .find(id)
            .select((accounts::id, accounts::name))
            .first(c)
            .optional()?,
        None => None,
    };
    Ok(Shown { order, account })
}

/// Sets the links from the version the agent saw; the change goes on the
/// ticket's timeline (and on the order's and account's).
pub fn set(
    c: &mut DbConn,
    id: TicketId,
    version: i32,
    to: Resolved,
    author: UserId,
) -> QueryResult<Result<(), Refused>> {
    let n = diesel::update(
        tickets::table
            .filter(tickets::id.eq(id))
            .filter(tickets::version.eq(version)),
    )
    .set((
        tickets::order_id.eq(to.order),
        tickets::account_id.eq(to.account),
        tickets::version.eq(tickets::version + 1),
        tickets::updated_at.eq(now()),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(Err(Refused::Stale));
    }
    let mut links = Links::of(RecordRef::Ticket(id));
    links.order = to.order;
    links.account = to.account;
    timeline::log_event(
        c,
        links,
        &SystemEvent {
            kind: ActivityKind::Ticket,
            message: StoredMessage::new(key("tickets-event-linked")).num("id", id.get()),
            author: Some(author),
            reference: Some(RecordRef::Ticket(id)),
        },
    )?;
    Ok(Ok(()))
}
