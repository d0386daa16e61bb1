//! `campaign_senders`: added by staff, verified by the mailed link.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{NewSender, RESEND_AFTER_SECS};
use crate::db::schema::{campaign_senders, users};
use crate::db::{DbConn, last_insert_id};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = campaign_senders)]
pub struct Sender {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub verified_at: Option<NaiveDateTime>,
    pub mailed_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

impl Sender {
    pub fn verified(&self) -> bool {
        self.verified_at.is_some()
    }
}

/// A row of the list: the sender and who added it.
#[derive(Debug, Clone)]
pub struct SenderRow {
    pub sender: Sender,
    pub added_by: Option<String>,
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<SenderRow>> {
    let rows: Vec<(Sender, Option<String>)> = campaign_senders::table
        .left_join(users::table)
        .order(campaign_senders::email.asc())
        .limit(500)
        .select((Sender::as_select(), users::name.nullable()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(sender, added_by)| SenderRow { sender, added_by })
        .collect())
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<Sender>> {
    campaign_senders::table
        .find(id)
        .select(Sender::as_select())
        .first(conn)
        .optional()
}

/// The verified addresses, for the editors' sender menu.
pub fn verified_emails(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    campaign_senders::table
        .filter(campaign_senders::verified_at.is_not_null())
        .order(campaign_senders::email.asc())
        .select(campaign_senders::email)
        .load(conn)
}

pub fn email_taken(conn: &mut DbConn, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        campaign_senders::table.filter(campaign_senders::email.eq(email)),
    ))
    .get_result(conn)
}

pub fn insert(conn: &mut DbConn, s: &NewSender, by: i64, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(campaign_senders::table)
        .values((
            campaign_senders::name.eq(&s.name),
            campaign_senders::email.eq(&s.email),
            campaign_senders::mailed_at.eq(now),
            campaign_senders::created_by.eq(Some(by)),
            campaign_senders::created_at.eq(now),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

/// Claims the right to mail a new link: true if the sender is unverified
/// and its last link went out at least `RESEND_AFTER_SECS` ago (one
/// conditional UPDATE, so two clicks at once mail one link).
pub fn claim_resend(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let before = now - chrono::Duration::seconds(RESEND_AFTER_SECS);
    let n = diesel::update(
        campaign_senders::table
            .find(id)
            .filter(campaign_senders::verified_at.is_null())
            .filter(campaign_senders::mailed_at.le(before)),
    )
    .set(campaign_senders::mailed_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Marks the sender verified if it still has this address; false if it was
/// already verified (or is gone).
pub fn verify(conn: &mut DbConn, id: i64, email: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        campaign_senders::table
            .find(id)
            .filter(campaign_senders::email.eq(email))
            .filter(campaign_senders::verified_at.is_null()),
    )
    .set(campaign_senders::verified_at.eq(Some(now)))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(campaign_senders::table.find(id)).execute(conn)? == 1)
}
