//! What every record type shares: one timeline (notes, calls, meetings and
//! system events), tasks and tags attach to any record through a
//! [`RecordRef`]. A new record type (deals, orders, tickets, campaigns)
//! plugs in by adding a variant here, a column in `links.rs`'s tables and an
//! implementation of [`RecordType`] in its own module, not by copying.
//!
//! Storage: one nullable foreign key per record type in `activities`,
//! `tasks` and `record_tags` (see migration `2026-11-27-000002_any_record`
//! for why), mapped from a `RecordRef` only in [`links`].

pub mod forms;
pub mod handlers;
pub mod links;
pub mod save;
pub mod timeline;
pub mod views;

use std::future::Future;

use actix_web::HttpResponse;

use crate::auth::policy::{Action, Viewer};
use crate::db::DbConn;
use crate::domain::ids::{AccountId, ContactId, DealId, Id, OrderId, TicketId, of};
use crate::error::AppResult;
use crate::web::state::AppState;
use crate::web::{CurrentUser, Section};

pub use handlers::{add_activity, delete};
pub use links::Links;

crate::text_enum! {
    /// The kinds of record things attach to (stored in `activities.ref_type`).
    pub enum RecordKind {
        Contact = "contact",
        Account = "account",
        Deal = "deal",
        Order = "order",
        Ticket = "ticket",
    }
}

impl RecordKind {
    /// The URL collection of the kind: `/contacts/7`.
    pub fn collection(self) -> &'static str {
        match self {
            RecordKind::Contact => "contacts",
            RecordKind::Account => "accounts",
            RecordKind::Deal => "leads",
            RecordKind::Order => "orders",
            RecordKind::Ticket => "tickets",
        }
    }

    /// The record of this kind with this plain id.
    pub fn of(self, id: i64) -> RecordRef {
        match self {
            RecordKind::Contact => RecordRef::Contact(ContactId::new(id)),
            RecordKind::Account => RecordRef::Account(AccountId::new(id)),
            RecordKind::Deal => RecordRef::Deal(DealId::new(id)),
            RecordKind::Order => RecordRef::Order(OrderId::new(id)),
            RecordKind::Ticket => RecordRef::Ticket(TicketId::new(id)),
        }
    }

    /// The part of the app its pages belong to.
    pub fn section(self) -> Section {
        match self {
            RecordKind::Contact => Section::Contacts,
            RecordKind::Account => Section::Accounts,
            RecordKind::Deal => Section::Leads,
            RecordKind::Order => Section::Orders,
            RecordKind::Ticket => Section::Tickets,
        }
    }
}

/// One record of any type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordRef {
    Contact(ContactId),
    Account(AccountId),
    Deal(DealId),
    Order(OrderId),
    Ticket(TicketId),
}

impl RecordRef {
    pub fn kind(self) -> RecordKind {
        match self {
            RecordRef::Contact(_) => RecordKind::Contact,
            RecordRef::Account(_) => RecordKind::Account,
            RecordRef::Deal(_) => RecordKind::Deal,
            RecordRef::Order(_) => RecordKind::Order,
            RecordRef::Ticket(_) => RecordKind::Ticket,
        }
    }

    /// The plain id within its kind.
    pub fn raw_id(self) -> i64 {
        match self {
            RecordRef::Contact(id) => id.get(),
            RecordRef::Account(id) => id.get(),
            RecordRef::Deal(id) => id.get(),
            RecordRef::Order(id) => id.get(),
            RecordRef::Ticket(id) => id.get(),
        }
    }

    /// The record's page.
    pub fn href(self) -> String {
        format!("/{}/{}", self.kind().collection(), self.raw_id())
    }
}

impl From<ContactId> for RecordRef {
    fn from(id: ContactId) -> Self {
        RecordRef::Contact(id)
    }
}

impl From<DealId> for RecordRef {
    fn from(id: DealId) -> Self {
        RecordRef::Deal(id)
    }
}

impl From<OrderId> for RecordRef {
    fn from(id: OrderId) -> Self {
        RecordRef::Order(id)
    }
}

impl From<TicketId> for RecordRef {
    fn from(id: TicketId) -> Self {
        RecordRef::Ticket(id)
    }
}

impl From<AccountId> for RecordRef {
    fn from(id: AccountId) -> Self {
        RecordRef::Account(id)
    }
}

/// What the shared handlers need from a record type's own module. It is
/// implemented on the id marker type (`of::Contact` …), so a route names
/// the handler as `records::add_activity::<of::Contact>`.
pub trait RecordType: Sized + 'static {
    /// Who may log on the record's timeline.
    const WRITE: Action;

    fn record(id: Id<Self>) -> RecordRef;

    /// The records a new entry on this one is filed under (a contact's
    /// entries are filed under its account too), or `None` when the viewer
    /// cannot see the record.
    fn filing(c: &mut DbConn, viewer: &Viewer, id: Id<Self>) -> AppResult<Option<Links>>;

    /// Marks the record as changed now.
    fn touch(c: &mut DbConn, id: Id<Self>) -> AppResult<()>;

    /// The audit log's record type, the list a deletion returns to and the
    /// message it leaves there (`records::delete`).
    const AUDIT: crate::audit::AuditEntity;
    const LIST_PATH: &'static str;
    const DELETED: &'static str;

    /// How the audit log names the record, or `None` when the viewer cannot
    /// see it.
    fn describe(c: &mut DbConn, viewer: &Viewer, id: Id<Self>) -> AppResult<Option<String>>;

    /// Deletes the record with what goes with it (inside the caller's
    /// transaction).
    fn delete(c: &mut DbConn, id: Id<Self>) -> AppResult<()>;

    /// The record's full page with the timeline's log form re-shown
    /// (values kept, error beside it): the 422 answer without JavaScript.
    fn invalid_log(
        state: &actix_web::web::Data<AppState>,
        user: &CurrentUser,
        id: Id<Self>,
        log: views::LogForm,
    ) -> impl Future<Output = AppResult<HttpResponse>>;
}

/// Moves the timeline, tasks and tags of `from` to `to`, a record of the
/// same kind (a merge); entries keep their other links.
pub fn reassign(c: &mut DbConn, from: RecordRef, to: RecordRef) -> diesel::QueryResult<()> {
    links::activities::reassign(c, from, to)?;
    links::tasks::reassign(c, from, to)?;
    crate::tags::reassign(c, from, to)?;
    // The deals, orders and tickets of a merged contact or account follow
    // it (deleting the merged record would otherwise clear or cascade them).
    use crate::db::schema::{deals, orders, ticket_messages, tickets};
    use diesel::prelude::*;
    match (from, to) {
        (RecordRef::Contact(f), RecordRef::Contact(t)) => {
            diesel::update(deals::table.filter(deals::contact_id.eq(f)))
                .set(deals::contact_id.eq(t))
                .execute(c)?;
            diesel::update(orders::table.filter(orders::contact_id.eq(f)))
                .set(orders::contact_id.eq(t))
                .execute(c)?;
            diesel::update(tickets::table.filter(tickets::requester_id.eq(f)))
                .set(tickets::requester_id.eq(t))
                .execute(c)?;
            diesel::update(ticket_messages::table.filter(ticket_messages::author_contact_id.eq(f)))
                .set(ticket_messages::author_contact_id.eq(t))
                .execute(c)?;
        }
        (RecordRef::Account(f), RecordRef::Account(t)) => {
            diesel::update(deals::table.filter(deals::account_id.eq(f)))
                .set(deals::account_id.eq(t))
                .execute(c)?;
            diesel::update(orders::table.filter(orders::account_id.eq(f)))
                .set(orders::account_id.eq(t))
                .execute(c)?;
            diesel::update(tickets::table.filter(tickets::account_id.eq(f)))
                .set(tickets::account_id.eq(t))
                .execute(c)?;
        }
        _ => {}
    }
    Ok(())
}

/// Before a contact or account is deleted: entries and tasks of a deal or
/// an order filed under it stay on the deal or order (the cascade would
/// delete them).
pub fn keep_deal_links(conn: &mut DbConn, record: RecordRef) -> diesel::QueryResult<()> {
    use crate::db::schema::{activities, tasks};
    use diesel::prelude::*;
    match record {
        RecordRef::Contact(id) => {
            diesel::update(
                activities::table
                    .filter(activities::contact_id.eq(id))
                    .filter(
                        activities::deal_id
                            .is_not_null()
                            .or(activities::order_id.is_not_null())
                            .or(activities::ticket_id.is_not_null()),
                    ),
            )
            .set(activities::contact_id.eq(None::<ContactId>))
            .execute(conn)?;
            diesel::update(
                tasks::table.filter(tasks::contact_id.eq(id)).filter(
                    tasks::deal_id
                        .is_not_null()
                        .or(tasks::order_id.is_not_null())
                        .or(tasks::ticket_id.is_not_null()),
                ),
            )
            .set(tasks::contact_id.eq(None::<ContactId>))
            .execute(conn)?;
        }
        RecordRef::Account(id) => {
            diesel::update(
                activities::table
                    .filter(activities::account_id.eq(id))
                    .filter(
                        activities::deal_id
                            .is_not_null()
                            .or(activities::order_id.is_not_null())
                            .or(activities::ticket_id.is_not_null()),
                    ),
            )
            .set(activities::account_id.eq(None::<AccountId>))
            .execute(conn)?;
            diesel::update(
                tasks::table.filter(tasks::account_id.eq(id)).filter(
                    tasks::deal_id
                        .is_not_null()
                        .or(tasks::order_id.is_not_null())
                        .or(tasks::ticket_id.is_not_null()),
                ),
            )
            .set(tasks::account_id.eq(None::<AccountId>))
            .execute(conn)?;
        }
        RecordRef::Deal(_) | RecordRef::Order(_) | RecordRef::Ticket(_) => {}
    }
    Ok(())
}

/// Record types implement `RecordType` in their own modules; these name them.
pub type ContactRecord = of::Contact;
pub type AccountRecord = of::Account;
pub type DealRecord = of::Deal;
pub type OrderRecord = of::Order;
pub type TicketRecord = of::Ticket;
