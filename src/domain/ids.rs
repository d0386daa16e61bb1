//! Typed record ids. `Id<T>` is a BIGINT primary key that knows which table
//! it belongs to, so a contact id cannot be passed where an account id is
//! expected. One generic type carries the diesel mapping (MySQL, SQLite and
//! `DbConn`'s `MultiBackend`) for every id; `ContactId`, `AccountId` … are
//! aliases over marker types. In paths and forms an id is its plain number.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::mysql::Mysql;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::BigInt;
use diesel::sqlite::Sqlite;
use diesel::{AsExpression, FromSqlRow};

use crate::db::MultiBackend;

/// The id of a row of the table `T` names.
#[derive(AsExpression, FromSqlRow)]
#[diesel(sql_type = BigInt)]
pub struct Id<T>(i64, PhantomData<fn() -> T>);

impl<T> Id<T> {
    pub const fn new(raw: i64) -> Self {
        Id(raw, PhantomData)
    }

    /// The plain number (for URLs, logs and the audit log).
    pub const fn get(self) -> i64 {
        self.0
    }

    /// A positive number, as ids are; anything else is no id.
    pub fn parse(raw: &str) -> Option<Self> {
        raw.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Id::new)
    }
}

// Written out so they need nothing of the marker type.
impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<T> Eq for Id<T> {}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}
impl<T> Hash for Id<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
impl<T> fmt::Display for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl<T> From<Id<T>> for i64 {
    fn from(id: Id<T>) -> i64 {
        id.0
    }
}

impl<'de, T> serde::Deserialize<'de> for Id<T> {
    /// As the plain number (path segments and form fields parse as i64 does).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        i64::deserialize(d).map(Id::new)
    }
}

impl<T> serde::Serialize for Id<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<T> ToSql<BigInt, Mysql> for Id<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Mysql>) -> serialize::Result {
        <i64 as ToSql<BigInt, Mysql>>::to_sql(&self.0, out)
    }
}

impl<T> ToSql<BigInt, Sqlite> for Id<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        <i64 as ToSql<BigInt, Sqlite>>::to_sql(&self.0, out)
    }
}

impl<T: 'static> ToSql<BigInt, MultiBackend> for Id<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
        out.set_value((BigInt, self));
        Ok(IsNull::No)
    }
}

impl<T> FromSql<BigInt, Mysql> for Id<T> {
    fn from_sql(bytes: <Mysql as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <i64 as FromSql<BigInt, Mysql>>::from_sql(bytes).map(Id::new)
    }
}

impl<T> FromSql<BigInt, Sqlite> for Id<T> {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <i64 as FromSql<BigInt, Sqlite>>::from_sql(bytes).map(Id::new)
    }
}

impl<T: 'static> FromSql<BigInt, MultiBackend> for Id<T> {
    fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        bytes.from_sql::<Self, BigInt>()
    }
}

/// Marker types naming the tables ids belong to.
pub mod of {
    pub enum Contact {}
    pub enum Account {}
    pub enum User {}
    pub enum Team {}
    pub enum Task {}
    pub enum Activity {}
    pub enum Tag {}
    pub enum Import {}
    pub enum Deal {}
    pub enum Pipeline {}
    pub enum Stage {}
    pub enum LostReason {}
    pub enum Product {}
    pub enum Order {}
    pub enum OrderLine {}
    pub enum Ticket {}
    pub enum TicketQueue {}
    pub enum TicketMessage {}
    pub enum WorkCalendar {}
    pub enum SlaPolicy {}
    pub enum CannedResponse {}
}

pub type ContactId = Id<of::Contact>;
pub type AccountId = Id<of::Account>;
pub type UserId = Id<of::User>;
pub type TeamId = Id<of::Team>;
pub type TaskId = Id<of::Task>;
pub type ActivityId = Id<of::Activity>;
pub type TagId = Id<of::Tag>;
pub type ImportId = Id<of::Import>;
pub type DealId = Id<of::Deal>;
pub type PipelineId = Id<of::Pipeline>;
pub type StageId = Id<of::Stage>;
pub type LostReasonId = Id<of::LostReason>;
pub type ProductId = Id<of::Product>;
pub type OrderId = Id<of::Order>;
pub type OrderLineId = Id<of::OrderLine>;
pub type TicketId = Id<of::Ticket>;
pub type QueueId = Id<of::TicketQueue>;
pub type TicketMessageId = Id<of::TicketMessage>;
pub type CalendarId = Id<of::WorkCalendar>;
pub type SlaPolicyId = Id<of::SlaPolicy>;
pub type CannedId = Id<of::CannedResponse>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_positive_numbers_only() {
        assert_eq!(ContactId::parse(" 7 "), Some(ContactId::new(7)));
        for bad in ["", "0", "-1", "x", "1.5", "99999999999999999999"] {
            assert_eq!(ContactId::parse(bad), None, "{bad:?}");
        }
        assert_eq!(AccountId::new(3).to_string(), "3");
        let id: TaskId = serde_json::from_str("12").expect("a number");
        assert_eq!(id.get(), 12);
    }
}
