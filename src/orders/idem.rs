//! Duplicate-submit protection: a form carries a one-time key; the first
//! submission stores `key → result` in the same transaction as its work
//! (a unique primary key, so two racing submissions cannot both store
//! it); a replay finds the key and answers with the first result.

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use rand::RngCore;

use crate::db::schema::idempotency_keys as k;
use crate::db::{DbConn, now};

/// How long a used key is remembered (a replay later than this makes a
/// new document again; forms are not kept open for days).
pub const KEEP_DAYS: i64 = 7;

/// A fresh key for a form (128 random bits, hex).
pub fn new_key() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// A posted key, if it looks like one of ours.
pub fn parse(raw: &str) -> Option<String> {
    let t = raw.trim();
    (t.len() == 32 && t.chars().all(|c| c.is_ascii_hexdigit())).then(|| t.to_ascii_lowercase())
}

/// What the key's first use made, when it was this user's for `purpose`.
pub fn find(c: &mut DbConn, key: &str, user: i64, purpose: &str) -> QueryResult<Option<i64>> {
    k::table
        .filter(k::idem_key.eq(key))
        .filter(k::user_id.eq(user))
        .filter(k::purpose.eq(purpose))
        .select(k::result_id)
        .first(c)
        .optional()
}

/// Stores the key's result; false when the key was already used (the
/// caller rolls back and answers with `find`).
pub fn store(
    c: &mut DbConn,
    key: &str,
    user: i64,
    purpose: &str,
    result: i64,
) -> QueryResult<bool> {
    let done = diesel::insert_into(k::table)
        .values((
            k::idem_key.eq(key),
            k::user_id.eq(user),
            k::purpose.eq(purpose),
            k::result_id.eq(result),
            k::created_at.eq(now()),
        ))
        .execute(c);
    match done {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Forgets keys older than `days` (housekeeping).
pub fn purge(c: &mut DbConn, days: i64) -> QueryResult<usize> {
    diesel::delete(k::table.filter(k::created_at.lt(now() - chrono::Duration::days(days))))
        .execute(c)
}
