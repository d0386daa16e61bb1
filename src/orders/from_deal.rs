//! A won deal's draft quote: one line with the deal's title and value, for
//! the deal's contact and account, owned by the deal's owner. One quote per
//! deal (`uq_orders_deal`): winning it again after a reopen makes none.

use diesel::prelude::*;

use super::domain::{DiscountKind, TaxMode};
use super::repo::{self, Doc, NewLine};
use crate::db::DbConn;
use crate::db::schema::orders;
use crate::domain::ids::{AccountId, ContactId, DealId, OrderId, UserId};
use crate::i18n::{StoredMessage, key};
use crate::records::timeline::{self, ActivityKind, SystemEvent};

/// What the quote takes from the deal.
pub struct WonDeal<'a> {
    pub id: DealId,
    pub title: &'a str,
    pub contact_id: Option<ContactId>,
    pub account_id: Option<AccountId>,
    pub owner_id: UserId,
    pub value_minor: i64,
    pub currency: &'a str,
}

/// Drafts the quote inside the caller's transaction; None when the deal
/// has no customer, a negative value, or already has its quote.
pub fn draft_from_deal(c: &mut DbConn, d: &WonDeal, by: UserId) -> QueryResult<Option<OrderId>> {
    if d.contact_id.is_none() && d.account_id.is_none() || d.value_minor < 0 {
        return Ok(None);
    }
    let has_one: i64 = orders::table
        .filter(orders::deal_id.eq(Some(d.id)))
        .count()
        .get_result(c)?;
    if has_one > 0 {
        return Ok(None);
    }
    let doc = Doc {
        contact_id: d.contact_id,
        account_id: d.account_id,
        owner_id: d.owner_id.get(),
        currency: d.currency.to_string(),
        tax_mode: TaxMode::Exclusive,
        discount_kind: DiscountKind::None,
        discount_value: 0,
        shipping_minor: 0,
        shipping_tax_bp: 0,
        subtotal_minor: d.value_minor,
        discount_minor: 0,
        tax_minor: 0,
        total_minor: d.value_minor,
        notes: String::new(),
        lines: vec![NewLine {
            product_id: None,
            sku: String::new(),
            name: d.title.chars().take(200).collect(),
            unit_price_minor: d.value_minor,
            tax_rate_bp: 0,
            quantity_milli: 1000,
            discount_kind: DiscountKind::None,
            discount_value: 0,
            net_minor: d.value_minor,
            tax_minor: 0,
            total_minor: d.value_minor,
        }],
    };
    let id = repo::insert(c, &doc)?;
    diesel::update(orders::table.find(id))
        .set(orders::deal_id.eq(Some(d.id)))
        .execute(c)?;
    let links = crate::records::Links {
        contact: d.contact_id,
        account: d.account_id,
        deal: Some(d.id),
        order: Some(id),
        ticket: None,
    };
    timeline::log_event(
        c,
        links,
        &SystemEvent {
            kind: ActivityKind::Order,
            message: StoredMessage::new(key("orders-event-from-deal"))
                .text("number", format!("#{id}"))
                .text("title", d.title),
            author: Some(by),
            reference: None,
        },
    )?;
    Ok(Some(id))
}
