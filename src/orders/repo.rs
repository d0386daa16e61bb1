//! Order queries. Reads are limited to the orders whose owner the viewer's
//! scope reaches (owner ids, as deals do); an out-of-scope id is "not
//! found". Edits and status changes are conditional UPDATEs on the version
//! (and the statuses they start from); numbers come from `doc_counters`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{DiscountKind, OrderStatus, TaxMode};
use super::tallies;
use crate::db::schema::{accounts, contacts, doc_counters, order_lines, orders, users};
use crate::db::{DbConn, last_insert_id, now};
use crate::domain::ids::{AccountId, ContactId, OrderId, OrderLineId, ProductId, UserId};

/// Whose orders a query may return (owner ids; None: everyone's).
#[derive(Clone, Debug)]
pub struct Reach(pub Option<Vec<i64>>);

impl Reach {
    pub fn of(c: &mut DbConn, viewer: &crate::auth::policy::Viewer) -> QueryResult<Reach> {
        Ok(Reach(crate::staff::repo::visible_owner_ids(c, viewer)?))
    }
}

pub type Joined = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::LeftJoin<
        diesel::dsl::LeftJoin<diesel::dsl::LeftJoin<orders::table, users::table>, contacts::table>,
        accounts::table,
    >,
    crate::db::Backend,
>;

pub fn visible(reach: &Reach) -> Joined {
    let q = orders::table
        .left_join(users::table)
        .left_join(contacts::table)
        .left_join(accounts::table)
        .into_boxed();
    match &reach.0 {
        None => q,
        Some(owners) => q.filter(orders::owner_id.eq_any(owners.clone())),
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = orders, check_for_backend(crate::db::MultiBackend))]
pub struct Order {
    pub id: OrderId,
    pub quote_number: Option<String>,
    pub order_number: Option<String>,
    pub status: OrderStatus,
    pub cancel_reason: Option<String>,
    pub contact_id: Option<ContactId>,
    pub account_id: Option<AccountId>,
    pub owner_id: UserId,
    pub currency: String,
    pub tax_mode: TaxMode,
    pub discount_kind: DiscountKind,
    pub discount_value: i64,
    pub shipping_minor: i64,
    pub shipping_tax_bp: i32,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub notes: String,
    pub version: i32,
    pub confirmed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub link_key: Option<String>,
    pub valid_until: Option<chrono::NaiveDate>,
    #[diesel(select_expression = users::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::name>)]
    pub owner_name: Option<String>,
    #[diesel(select_expression = contacts::first_name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::first_name>)]
    pub contact_first: Option<String>,
    #[diesel(select_expression = contacts::last_name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::last_name>)]
    pub contact_last: Option<String>,
    #[diesel(select_expression = contacts::email.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::email>)]
    pub contact_email: Option<String>,
    #[diesel(select_expression = contacts::language.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::language>)]
    pub contact_language: Option<String>,
    #[diesel(select_expression = accounts::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<accounts::name>)]
    pub account_name: Option<String>,
}

impl Order {
    pub fn contact_name(&self) -> Option<String> {
        self.contact_id.map(|_| {
            crate::domain::person_name(
                self.contact_first.as_deref().unwrap_or(""),
                self.contact_last.as_deref().unwrap_or(""),
            )
        })
    }

    /// Who the document is for: the account, else the contact.
    pub fn customer(&self) -> String {
        self.account_name
            .clone()
            .or_else(|| self.contact_name())
            .unwrap_or_default()
    }

    /// The document's number: the order's, else the quote's, else a draft id.
    pub fn number(&self) -> String {
        self.order_number
            .clone()
            .or_else(|| self.quote_number.clone())
            .unwrap_or_else(|| format!("#{}", self.id))
    }

    /// The timeline links of the order: itself and its customer.
    pub fn links(&self) -> crate::records::Links {
        crate::records::Links {
            contact: self.contact_id,
            account: self.account_id,
            deal: None,
            order: Some(self.id),
            ticket: None,
        }
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = order_lines, check_for_backend(crate::db::MultiBackend))]
pub struct Line {
    pub id: OrderLineId,
    pub position: i32,
    pub product_id: Option<ProductId>,
    pub sku: String,
    pub name: String,
    pub unit_price_minor: i64,
    pub tax_rate_bp: i32,
    pub quantity_milli: i64,
    pub discount_kind: DiscountKind,
    pub discount_value: i64,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
}

pub fn get(c: &mut DbConn, reach: &Reach, id: OrderId) -> QueryResult<Option<Order>> {
    visible(reach)
        .filter(orders::id.eq(id))
        .select(Order::as_select())
        .first(c)
        .optional()
}

pub fn lines(c: &mut DbConn, id: OrderId) -> QueryResult<Vec<Line>> {
    order_lines::table
        .filter(order_lines::order_id.eq(id))
        .order((order_lines::position.asc(), order_lines::id.asc()))
        .select(Line::as_select())
        .load(c)
}

/// A checked document ready to store, amounts computed.
#[derive(Clone, Debug)]
pub struct Doc {
    pub contact_id: Option<ContactId>,
    pub account_id: Option<AccountId>,
    pub owner_id: i64,
    pub currency: String,
    pub tax_mode: TaxMode,
    pub discount_kind: DiscountKind,
    pub discount_value: i64,
    pub shipping_minor: i64,
    pub shipping_tax_bp: i32,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub notes: String,
    pub lines: Vec<NewLine>,
}

#[derive(Clone, Debug)]
pub struct NewLine {
    pub product_id: Option<ProductId>,
    pub sku: String,
    pub name: String,
    pub unit_price_minor: i64,
    pub tax_rate_bp: i32,
    pub quantity_milli: i64,
    pub discount_kind: DiscountKind,
    pub discount_value: i64,
    pub net_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
}

macro_rules! doc_values {
    ($d:expr) => {
        (
            orders::contact_id.eq($d.contact_id),
            orders::account_id.eq($d.account_id),
            orders::owner_id.eq($d.owner_id),
            orders::currency.eq(&$d.currency),
            orders::tax_mode.eq($d.tax_mode),
            orders::discount_kind.eq($d.discount_kind),
            orders::discount_value.eq($d.discount_value),
            orders::shipping_minor.eq($d.shipping_minor),
            orders::shipping_tax_bp.eq($d.shipping_tax_bp),
            orders::subtotal_minor.eq($d.subtotal_minor),
            orders::discount_minor.eq($d.discount_minor),
            orders::tax_minor.eq($d.tax_minor),
            orders::total_minor.eq($d.total_minor),
            orders::notes.eq(&$d.notes),
        )
    };
}

pub fn insert(c: &mut DbConn, d: &Doc) -> QueryResult<OrderId> {
    let t = now();
    diesel::insert_into(orders::table)
        .values((
            doc_values!(d),
            orders::status.eq(OrderStatus::Draft),
            orders::version.eq(1),
            orders::created_at.eq(t),
            orders::updated_at.eq(t),
        ))
        .execute(c)?;
    let id = OrderId::new(last_insert_id(c)?);
    insert_lines(c, id, &d.lines)?;
    crate::search::index::reindex_orders(c, &[id.get()])?;
    let fact = tallies::Fact {
        owner_id: d.owner_id,
        status: OrderStatus::Draft,
        currency: d.currency.clone(),
        total_minor: d.total_minor,
        created_at: t,
        confirmed_at: None,
    };
    tallies::shift(c, None, Some(&fact))?;
    Ok(id)
}

fn insert_lines(c: &mut DbConn, id: OrderId, lines: &[NewLine]) -> QueryResult<()> {
    for (i, l) in lines.iter().enumerate() {
        diesel::insert_into(order_lines::table)
            .values((
                order_lines::order_id.eq(id),
                order_lines::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                order_lines::product_id.eq(l.product_id),
                order_lines::sku.eq(&l.sku),
                order_lines::name.eq(&l.name),
                order_lines::unit_price_minor.eq(l.unit_price_minor),
                order_lines::tax_rate_bp.eq(l.tax_rate_bp),
                order_lines::quantity_milli.eq(l.quantity_milli),
                order_lines::discount_kind.eq(l.discount_kind),
                order_lines::discount_value.eq(l.discount_value),
                order_lines::net_minor.eq(l.net_minor),
                order_lines::tax_minor.eq(l.tax_minor),
                order_lines::total_minor.eq(l.total_minor),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// Saves an edit if nobody changed the document since `version` and it is
/// still editable; false otherwise (nothing changed).
pub fn update(c: &mut DbConn, id: OrderId, version: i32, d: &Doc) -> QueryResult<bool> {
    let editable: Vec<OrderStatus> = OrderStatus::ALL
        .iter()
        .copied()
        .filter(|s| s.is_editable())
        .collect();
    // What the document added to the totals, read at the version the edit
    // is conditional on (if it moved on, the update below changes nothing).
    let before = match tallies::fact_of(c, id, Some(version))? {
        Some(f) => f,
        None => return Ok(false),
    };
    let n = diesel::update(
        orders::table
            .filter(orders::id.eq(id))
            .filter(orders::version.eq(version))
            .filter(orders::status.eq_any(editable)),
    )
    .set((
        doc_values!(d),
        orders::version.eq(version + 1),
        orders::updated_at.eq(now()),
    ))
    .execute(c)?;
    if n != 1 {
        return Ok(false);
    }
    diesel::delete(order_lines::table.filter(order_lines::order_id.eq(id))).execute(c)?;
    insert_lines(c, id, &d.lines)?;
    // The customer may have changed.
    crate::search::index::reindex_orders(c, &[id.get()])?;
    let after = tallies::fact_of(c, id, None)?;
    tallies::shift(c, Some(&before), after.as_ref())?;
    Ok(true)
}

/// What a status change writes besides the status.
#[derive(Default, Debug, Clone)]
pub struct StatusChange {
    pub quote_number: Option<String>,
    pub order_number: Option<String>,
    pub cancel_reason: Option<String>,
    pub confirmed: bool,
    pub link: Option<LinkChange>,
}

/// What happens to a quote's public link with a status change.
#[derive(Debug, Clone)]
pub enum LinkChange {
    /// Sent: a new link key, valid until the end of that day.
    Issue(String, chrono::NaiveDate),
    /// Withdrawn: the key is gone, so every link mailed before is refused.
    Revoke,
}

/// Moves the document from `from` (at `version`) to `to`; false when it is
/// no longer there (someone else moved or edited it).
pub fn set_status(
    c: &mut DbConn,
    id: OrderId,
    version: i32,
    from: OrderStatus,
    to: OrderStatus,
    extra: &StatusChange,
) -> QueryResult<bool> {
    let t = now();
    let target = orders::table
        .filter(orders::id.eq(id))
        .filter(orders::version.eq(version))
        .filter(orders::status.eq(from));
    let n = diesel::update(target)
        .set((
            orders::status.eq(to),
            orders::version.eq(version + 1),
            orders::updated_at.eq(t),
        ))
        .execute(c)?;
    if n != 1 {
        return Ok(false);
    }
    if let Some(q) = &extra.quote_number {
        diesel::update(orders::table.find(id))
            .set(orders::quote_number.eq(q))
            .execute(c)?;
    }
    if let Some(o) = &extra.order_number {
        diesel::update(orders::table.find(id))
            .set(orders::order_number.eq(o))
            .execute(c)?;
    }
    if extra.confirmed {
        diesel::update(orders::table.find(id))
            .set(orders::confirmed_at.eq(Some(t)))
            .execute(c)?;
    }
    match &extra.link {
        Some(LinkChange::Issue(k, until)) => {
            diesel::update(orders::table.find(id))
                .set((orders::link_key.eq(k), orders::valid_until.eq(until)))
                .execute(c)?;
        }
        Some(LinkChange::Revoke) => {
            diesel::update(orders::table.find(id))
                .set(orders::link_key.eq(None::<String>))
                .execute(c)?;
        }
        None => {}
    }
    if let Some(r) = &extra.cancel_reason {
        diesel::update(orders::table.find(id))
            .set(orders::cancel_reason.eq(r))
            .execute(c)?;
    }
    if extra.quote_number.is_some() || extra.order_number.is_some() {
        crate::search::index::reindex_orders(c, &[id.get()])?;
    }
    status_moved(c, id, from, extra.confirmed)?;
    Ok(true)
}

/// Moves the document's count from status `from` to the one it has now
/// (and, if it was `confirmed` just now, onto its confirmation day).
fn status_moved(
    c: &mut DbConn,
    id: OrderId,
    from: OrderStatus,
    confirmed: bool,
) -> QueryResult<()> {
    let Some(after) = tallies::fact_of(c, id, None)? else {
        return Ok(());
    };
    let before = tallies::Fact {
        status: from,
        confirmed_at: if confirmed { None } else { after.confirmed_at },
        ..after.clone()
    };
    tallies::shift(c, Some(&before), Some(&after))
}

/// The document `id` whatever its owner, for its public link (which is
/// checked against the document's link key before anything is shown).
pub fn get_for_link(c: &mut DbConn, id: i64) -> QueryResult<Option<Order>> {
    get(c, &Reach(None), OrderId::new(id))
}

/// The customer accepts the quote through its link: only while it is
/// still sent, unchanged since they read it (`version`) and the link they
/// used is the current one. False: nothing changed.
pub fn accept_by_link(
    c: &mut DbConn,
    id: OrderId,
    version: i32,
    link_key: &str,
) -> QueryResult<bool> {
    let n = diesel::update(
        orders::table
            .filter(orders::id.eq(id))
            .filter(orders::version.eq(version))
            .filter(orders::status.eq(OrderStatus::Sent))
            .filter(orders::link_key.eq(link_key)),
    )
    .set((
        orders::status.eq(OrderStatus::Accepted),
        orders::version.eq(version + 1),
        orders::updated_at.eq(now()),
    ))
    .execute(c)?;
    if n == 1 {
        status_moved(c, id, OrderStatus::Sent, false)?;
    }
    Ok(n == 1)
}

/// Takes the next number of `kind` in `year` inside the caller's
/// transaction: one atomic increment of the counter row (which stays
/// locked until the transaction ends, so a rollback gives the number
/// back: gap-free), then the value read back — our own write, visible to
/// us whatever snapshot the transaction reads. The row of a new year is
/// created by an insert; losing that race to another confirmation is a
/// unique violation, after which the increment finds the row.
pub fn next_number(c: &mut DbConn, kind: &str, year: i32) -> QueryResult<i64> {
    for _ in 0..3 {
        let n = diesel::update(
            doc_counters::table
                .filter(doc_counters::kind.eq(kind))
                .filter(doc_counters::year.eq(year)),
        )
        .set(doc_counters::next_value.eq(doc_counters::next_value + 1))
        .execute(c)?;
        if n == 1 {
            let next: i64 = doc_counters::table
                .filter(doc_counters::kind.eq(kind))
                .filter(doc_counters::year.eq(year))
                .select(doc_counters::next_value)
                .first(c)?;
            return Ok(next - 1);
        }
        let inserted = diesel::insert_into(doc_counters::table)
            .values((
                doc_counters::kind.eq(kind),
                doc_counters::year.eq(year),
                doc_counters::next_value.eq(2i64),
            ))
            .execute(c);
        match inserted {
            Ok(_) => return Ok(1),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(diesel::result::Error::RollbackTransaction)
}

/// The workspace's number prefixes (quote, order) and quote validity in days.
pub fn prefixes(c: &mut DbConn) -> QueryResult<(String, String, i32)> {
    let ws = crate::settings::repo::get(c)?;
    Ok((ws.quote_prefix, ws.order_prefix, ws.quote_valid_days))
}
