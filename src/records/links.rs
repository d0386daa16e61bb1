//! The one place a `RecordRef` becomes columns. `activities`, `tasks` and
//! `record_tags` each have one nullable foreign key per record type; a new
//! record type adds its column to those tables, a field to `Links` and an
//! arm to each `match` below.

use diesel::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable};

use super::RecordRef;
use crate::db::Backend;
use crate::domain::ids::{AccountId, ContactId, DealId, OrderId, TicketId};

/// The records a row is linked to, one optional id per record type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Links {
    pub contact: Option<ContactId>,
    pub account: Option<AccountId>,
    pub deal: Option<DealId>,
    pub order: Option<OrderId>,
    pub ticket: Option<TicketId>,
}

impl Links {
    /// Linked to this record alone.
    pub fn of(r: RecordRef) -> Links {
        Links::default().with(r)
    }

    /// Also linked to `r` (replacing a link of the same type).
    pub fn with(mut self, r: RecordRef) -> Links {
        match r {
            RecordRef::Contact(id) => self.contact = Some(id),
            RecordRef::Account(id) => self.account = Some(id),
            RecordRef::Deal(id) => self.deal = Some(id),
            RecordRef::Order(id) => self.order = Some(id),
            RecordRef::Ticket(id) => self.ticket = Some(id),
        }
        self
    }

    /// Also linked to `r`, when there is one.
    pub fn with_opt(self, r: Option<RecordRef>) -> Links {
        r.map_or(self, |r| self.with(r))
    }

    /// Every linked record, in a fixed order (contact first).
    pub fn records(&self) -> Vec<RecordRef> {
        let mut out = Vec::new();
        out.extend(self.contact.map(RecordRef::Contact));
        out.extend(self.account.map(RecordRef::Account));
        out.extend(self.deal.map(RecordRef::Deal));
        out.extend(self.order.map(RecordRef::Order));
        out.extend(self.ticket.map(RecordRef::Ticket));
        out
    }

    /// The single linked record, for tables where there is exactly one.
    pub fn single(&self) -> Option<RecordRef> {
        match self.records().as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.records().is_empty()
    }
}

/// `is(r)` (the row is linked to `r`) and `values(links)` (the link
/// columns to insert) for one table with the record columns.
macro_rules! record_columns {
    ($table:ident) => {
        pub mod $table {
            use super::*;
            use crate::db::schema::$table as t;

            /// The columns of `links`, for an insert.
            pub type Values = (
                diesel::dsl::Eq<t::contact_id, Option<ContactId>>,
                diesel::dsl::Eq<t::account_id, Option<AccountId>>,
                diesel::dsl::Eq<t::deal_id, Option<DealId>>,
                diesel::dsl::Eq<t::order_id, Option<OrderId>>,
                diesel::dsl::Eq<t::ticket_id, Option<TicketId>>,
            );

            pub fn values(links: &Links) -> Values {
                (
                    t::contact_id.eq(links.contact),
                    t::account_id.eq(links.account),
                    t::deal_id.eq(links.deal),
                    t::order_id.eq(links.order),
                    t::ticket_id.eq(links.ticket),
                )
            }

            /// The row is linked to `r` (for any query whose FROM has the table).
            pub fn is<QS: 'static>(
                r: RecordRef,
            ) -> Box<dyn BoxableExpression<QS, Backend, SqlType = Nullable<Bool>>>
            where
                t::contact_id: SelectableExpression<QS>,
                t::account_id: SelectableExpression<QS>,
                t::deal_id: SelectableExpression<QS>,
                t::order_id: SelectableExpression<QS>,
                t::ticket_id: SelectableExpression<QS>,
            {
                match r {
                    RecordRef::Contact(id) => Box::new(t::contact_id.eq(id)),
                    RecordRef::Account(id) => Box::new(t::account_id.eq(id)),
                    RecordRef::Deal(id) => Box::new(t::deal_id.eq(id)),
                    RecordRef::Order(id) => Box::new(t::order_id.eq(id)),
                    RecordRef::Ticket(id) => Box::new(t::ticket_id.eq(id)),
                }
            }

            /// The row is linked to one of `refs`.
            pub fn is_any<QS: 'static>(
                refs: &[RecordRef],
            ) -> Box<dyn BoxableExpression<QS, Backend, SqlType = Nullable<Bool>>>
            where
                t::contact_id: SelectableExpression<QS>,
                t::account_id: SelectableExpression<QS>,
                t::deal_id: SelectableExpression<QS>,
                t::order_id: SelectableExpression<QS>,
                t::ticket_id: SelectableExpression<QS>,
            {
                let contacts: Vec<ContactId> = refs
                    .iter()
                    .filter_map(|r| match r {
                        RecordRef::Contact(id) => Some(*id),
                        _ => None,
                    })
                    .collect();
                let accounts: Vec<AccountId> = refs
                    .iter()
                    .filter_map(|r| match r {
                        RecordRef::Account(id) => Some(*id),
                        _ => None,
                    })
                    .collect();
                let deals: Vec<DealId> = refs
                    .iter()
                    .filter_map(|r| match r {
                        RecordRef::Deal(id) => Some(*id),
                        _ => None,
                    })
                    .collect();
                let orders: Vec<OrderId> = refs
                    .iter()
                    .filter_map(|r| match r {
                        RecordRef::Order(id) => Some(*id),
                        _ => None,
                    })
                    .collect();
                let tickets: Vec<TicketId> = refs
                    .iter()
                    .filter_map(|r| match r {
                        RecordRef::Ticket(id) => Some(*id),
                        _ => None,
                    })
                    .collect();
                // Only the columns with ids: `account_id IN ()` renders as
                // `1=0`, and `… OR 1=0` keeps SQLite from using the index
                // on the other column (a scan of every tag link per page).
                let mut parts: Vec<
                    Box<dyn BoxableExpression<QS, Backend, SqlType = Nullable<Bool>>>,
                > = Vec::new();
                if !contacts.is_empty() {
                    parts.push(Box::new(t::contact_id.eq_any(contacts)));
                }
                if !accounts.is_empty() {
                    parts.push(Box::new(t::account_id.eq_any(accounts)));
                }
                if !deals.is_empty() {
                    parts.push(Box::new(t::deal_id.eq_any(deals)));
                }
                if !orders.is_empty() {
                    parts.push(Box::new(t::order_id.eq_any(orders)));
                }
                if !tickets.is_empty() {
                    parts.push(Box::new(t::ticket_id.eq_any(tickets)));
                }
                parts
                    .into_iter()
                    .reduce(|a, b| Box::new(a.or(b)))
                    .unwrap_or_else(|| Box::new(t::contact_id.eq_any(Vec::<ContactId>::new())))
            }

            /// Re-links every row linked to `from` to `to` (a record of the
            /// same kind), keeping the row's other links.
            pub fn reassign(
                conn: &mut crate::db::DbConn,
                from: RecordRef,
                to: RecordRef,
            ) -> QueryResult<usize> {
                match (from, to) {
                    (RecordRef::Contact(f), RecordRef::Contact(to)) => {
                        diesel::update(t::table.filter(t::contact_id.eq(f)))
                            .set(t::contact_id.eq(to))
                            .execute(conn)
                    }
                    (RecordRef::Account(f), RecordRef::Account(to)) => {
                        diesel::update(t::table.filter(t::account_id.eq(f)))
                            .set(t::account_id.eq(to))
                            .execute(conn)
                    }
                    (RecordRef::Deal(f), RecordRef::Deal(to)) => {
                        diesel::update(t::table.filter(t::deal_id.eq(f)))
                            .set(t::deal_id.eq(to))
                            .execute(conn)
                    }
                    (RecordRef::Order(f), RecordRef::Order(to)) => {
                        diesel::update(t::table.filter(t::order_id.eq(f)))
                            .set(t::order_id.eq(to))
                            .execute(conn)
                    }
                    (RecordRef::Ticket(f), RecordRef::Ticket(to)) => {
                        diesel::update(t::table.filter(t::ticket_id.eq(f)))
                            .set(t::ticket_id.eq(to))
                            .execute(conn)
                    }
                    _ => Err(super::kinds_differ(from, to)),
                }
            }

            /// The link columns of a row, as read back.
            pub type Columns = (
                t::contact_id,
                t::account_id,
                t::deal_id,
                t::order_id,
                t::ticket_id,
            );

            pub const fn columns() -> Columns {
                (
                    t::contact_id,
                    t::account_id,
                    t::deal_id,
                    t::order_id,
                    t::ticket_id,
                )
            }
        }
    };
}

/// Records of two kinds cannot take each other's place.
fn kinds_differ(from: RecordRef, to: RecordRef) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(
        format!("cannot move links from {from:?} to {to:?}, a record of another kind").into(),
    )
}

record_columns!(activities);
record_columns!(tasks);
record_columns!(record_tags);

/// The link columns of a row as read back (`columns()`).
pub type LinkRow = (
    Option<ContactId>,
    Option<AccountId>,
    Option<DealId>,
    Option<OrderId>,
    Option<TicketId>,
);

impl From<LinkRow> for Links {
    fn from((contact, account, deal, order, ticket): LinkRow) -> Self {
        Links {
            contact,
            account,
            deal,
            order,
            ticket,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_list_their_records() {
        let c = RecordRef::Contact(ContactId::new(3));
        let a = RecordRef::Account(AccountId::new(4));
        assert_eq!(Links::of(c).single(), Some(c));
        let both = Links::of(c).with(a);
        assert_eq!(both.records(), vec![c, a]);
        assert_eq!(both.single(), None);
        assert!(Links::default().is_empty());
        assert_eq!(Links::of(a).with_opt(None), Links::of(a));
    }
}
