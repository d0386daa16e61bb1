//! Keyset ("after") paging: the ORDER BY of a sort key and the WHERE that
//! starts a page just past a row, so page 200 costs what page 1 costs.
//!
//! Both backends sort NULL first ascending (and so last descending); the
//! predicates follow that rule. Each predicate begins with a plain range on
//! the first sort column (`col >= v`), which lets MariaDB walk the column's
//! index instead of reading every row and testing the OR tree.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Text, Timestamp};

use crate::db::Backend;

/// What a sort column holds (how its cursor value is parsed and bound).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Time,
    Date,
    Int,
}

/// One column of a sort key, as SQL (`contacts.last_name`).
#[derive(Clone, Copy, Debug)]
pub struct Col {
    pub sql: &'static str,
    pub kind: Kind,
    pub nullable: bool,
}

impl Col {
    pub const fn text(sql: &'static str) -> Col {
        Col {
            sql,
            kind: Kind::Text,
            nullable: false,
        }
    }
    pub const fn time(sql: &'static str) -> Col {
        Col {
            sql,
            kind: Kind::Time,
            nullable: false,
        }
    }
    pub const fn date(sql: &'static str) -> Col {
        Col {
            sql,
            kind: Kind::Date,
            nullable: false,
        }
    }
    pub const fn int(sql: &'static str) -> Col {
        Col {
            sql,
            kind: Kind::Int,
            nullable: false,
        }
    }
    pub const fn nullable(self) -> Col {
        Col {
            nullable: true,
            ..self
        }
    }
}

/// A sort column's value in one row (what a cursor carries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Null,
    Text(String),
    Time(NaiveDateTime),
    Date(NaiveDate),
    Int(i64),
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key::Text(s.to_string())
    }
}
impl From<&String> for Key {
    fn from(s: &String) -> Key {
        Key::Text(s.clone())
    }
}
impl From<&Option<String>> for Key {
    fn from(s: &Option<String>) -> Key {
        s.as_ref().map_or(Key::Null, |s| Key::Text(s.clone()))
    }
}
impl From<NaiveDateTime> for Key {
    fn from(t: NaiveDateTime) -> Key {
        Key::Time(t)
    }
}
impl From<Option<NaiveDateTime>> for Key {
    fn from(t: Option<NaiveDateTime>) -> Key {
        t.map_or(Key::Null, Key::Time)
    }
}
impl From<i64> for Key {
    fn from(i: i64) -> Key {
        Key::Int(i)
    }
}
impl From<NaiveDate> for Key {
    fn from(d: NaiveDate) -> Key {
        Key::Date(d)
    }
}

/// A boolean SQL condition usable in any list's boxed query.
pub type Pred<QS> = Box<dyn BoxableExpression<QS, Backend, SqlType = Bool>>;

fn raw<QS: 'static>(s: String) -> Pred<QS> {
    Box::new(sql::<Bool>(&s))
}

/// `col <op> value` with the value bound as a parameter.
fn compare<QS: 'static>(col: &Col, op: &str, key: &Key) -> Pred<QS> {
    let lit = sql::<Bool>(&format!("{} {op} ", col.sql));
    match key {
        Key::Text(s) => Box::new(lit.bind::<Text, _>(s.clone())),
        Key::Time(t) => Box::new(lit.bind::<Timestamp, _>(*t)),
        Key::Date(d) => Box::new(lit.bind::<Date, _>(*d)),
        Key::Int(i) => Box::new(lit.bind::<BigInt, _>(*i)),
        Key::Null => raw(format!("{} IS NULL", col.sql)),
    }
}

/// Rows strictly past `key` on this column, in the list's direction.
fn beyond<QS: 'static>(col: &Col, key: &Key, desc: bool) -> Option<Pred<QS>> {
    match (key, desc) {
        (Key::Null, false) => Some(raw(format!("{} IS NOT NULL", col.sql))),
        (Key::Null, true) => None,
        (_, false) => Some(compare(col, ">", key)),
        (_, true) if col.nullable => Some(Box::new(
            compare::<QS>(col, "<", key).or(raw::<QS>(format!("{} IS NULL", col.sql))),
        )),
        (_, true) => Some(compare(col, "<", key)),
    }
}

/// Rows with the same value on this column.
fn same<QS: 'static>(col: &Col, key: &Key) -> Pred<QS> {
    compare(col, "=", key)
}

/// Rows at or past `key` on the first column: the index range.
fn range<QS: 'static>(col: &Col, key: &Key, desc: bool) -> Option<Pred<QS>> {
    match (key, desc) {
        (Key::Null, false) => None,
        (Key::Null, true) => Some(raw(format!("{} IS NULL", col.sql))),
        (_, false) => Some(compare(col, ">=", key)),
        (_, true) if col.nullable => Some(Box::new(
            compare::<QS>(col, "<=", key).or(raw::<QS>(format!("{} IS NULL", col.sql))),
        )),
        (_, true) => Some(compare(col, "<=", key)),
    }
}

/// The rows that come after (`keys`, `id`) when ordered by `cols` then
/// `id_col`, all ascending or all descending.
pub fn after<QS: 'static>(
    cols: &[Col],
    keys: &[Key],
    id_col: &'static str,
    id: i64,
    desc: bool,
) -> Pred<QS> {
    let id_op = if desc { "<" } else { ">" };
    let mut tail: Pred<QS> = compare(
        &Col {
            sql: id_col,
            kind: Kind::Int,
            nullable: false,
        },
        id_op,
        &Key::Int(id),
    );
    for (col, key) in cols.iter().zip(keys).rev() {
        let tied: Pred<QS> = Box::new(same::<QS>(col, key).and(tail));
        tail = match beyond::<QS>(col, key, desc) {
            Some(b) => Box::new(b.or(tied)),
            None => tied,
        };
    }
    match cols
        .first()
        .zip(keys.first())
        .and_then(|(c, k)| range::<QS>(c, k, desc))
    {
        Some(r) => Box::new(r.and(tail)),
        None => tail,
    }
}

/// `ORDER BY` text for the sort columns then the id, all one direction.
pub fn order_by(cols: &[Col], id_col: &str, desc: bool) -> String {
    let dir = if desc { "DESC" } else { "ASC" };
    cols.iter()
        .map(|c| c.sql)
        .chain([id_col])
        .map(|c| format!("{c} {dir}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many rows `ids` (a query selecting ids) returns, counting at most
/// `COUNT_CAP + 1`: an exact count of a large table costs a full scan on
/// every page view, and a list says "1,000+" beyond the cap anyway.
pub fn count_capped<Q>(conn: &mut crate::db::DbConn, ids: Q) -> QueryResult<i64>
where
    Q: diesel::query_dsl::methods::LimitDsl,
    Q::Output: for<'a> diesel::query_dsl::LoadQuery<'a, crate::db::DbConn, i64>,
{
    let found: Vec<i64> = ids.limit(super::COUNT_CAP + 1).load(conn)?;
    Ok(found.len() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_lists_every_column_then_the_id() {
        let cols = [Col::text("t.last"), Col::text("t.first")];
        assert_eq!(
            order_by(&cols, "t.id", true),
            "t.last DESC, t.first DESC, t.id DESC"
        );
    }
}
