//! Likely duplicate contacts (same email, same phone, same name at the same
//! company; found by `duplicate_scan`) and merging two into one with
//! nothing lost.

use diesel::prelude::*;

use super::repo::ContactDetail;
use crate::db::DbConn;
use crate::db::schema::contacts;
use crate::records::RecordRef;
use crate::search;

#[derive(Clone, Debug)]
pub struct Pair {
    /// Why they look alike: a message key.
    pub reason: &'static str,
    pub a: (i64, String),
    pub b: (i64, String),
}

/// The merged contact's field values, each taken from one of the two.
#[derive(Clone, Debug)]
pub struct Merged {
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub account_id: Option<crate::domain::ids::AccountId>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub lifecycle: super::domain::Lifecycle,
    pub source: Option<String>,
    pub consent: super::domain::Consent,
    pub consent_changed_at: Option<chrono::NaiveDateTime>,
    pub consent_source: Option<String>,
    pub owner_id: crate::domain::ids::UserId,
}

/// Moves everything that points at `gone` to `keep` (timeline, tasks and
/// tags through `records::reassign`), writes the chosen fields and deletes
/// `gone`. Add each new table that references contacts (deals, orders,
/// tickets, campaign recipients) here.
pub fn merge(
    conn: &mut DbConn,
    keep: &ContactDetail,
    gone: &ContactDetail,
    m: &Merged,
) -> QueryResult<()> {
    crate::records::reassign(
        conn,
        RecordRef::Contact(gone.id),
        RecordRef::Contact(keep.id),
    )?;
    diesel::delete(contacts::table.find(gone.id)).execute(conn)?;
    diesel::update(contacts::table.find(keep.id))
        .set((
            contacts::first_name.eq(&m.first_name),
            contacts::last_name.eq(&m.last_name),
            contacts::email.eq(&m.email),
            contacts::phone.eq(&m.phone),
            contacts::title.eq(&m.title),
            contacts::account_id.eq(m.account_id),
            contacts::address.eq(&m.address),
            contacts::city.eq(&m.city),
            contacts::country.eq(&m.country),
            contacts::lifecycle.eq(m.lifecycle),
            contacts::source.eq(&m.source),
            contacts::consent.eq(m.consent),
            contacts::consent_changed_at.eq(m.consent_changed_at),
            contacts::consent_source.eq(&m.consent_source),
            contacts::owner_id.eq(m.owner_id),
            contacts::created_at.eq(keep.created_at.min(gone.created_at)),
            contacts::updated_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    search::index::remove(conn, search::Kind::Contact, &[gone.id.get()])?;
    search::index::reindex_contacts(conn, &[keep.id.get()])?;
    super::duplicate_scan::queue(conn)
}
