//! Login throttling keyed by (account, client address): an attacker hammering
//! one account from one address is slowed to 429s, while the real user signing
//! in from elsewhere is unaffected.
//!
//! The counters live in the database (`login_failures`), not in one
//! instance's memory, so several instances behind a load balancer count the
//! same failures (docs/scale-out.md). One row per (key, fixed window of
//! `WINDOW`): a failure raises it with a conditional `UPDATE … SET failures =
//! failures + 1`, or inserts the window's first row; two instances inserting
//! it at once meet on the primary key and the loser updates instead. The key
//! is a SHA-256 of account and address, so the table holds no typed address.

use std::net::IpAddr;
use std::time::Duration;

use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use sha2::{Digest, Sha256};

use crate::db::schema::login_failures;
use crate::db::{DbConn, now, write_tx};
use crate::error::AppResult;
use crate::web::state::AppState;

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// The stored key of (account, client address).
pub fn stored_key(email: &str, ip: Option<IpAddr>) -> String {
    let ip = ip.map(|a| a.to_string()).unwrap_or_default();
    hex::encode(Sha256::digest(format!("{email}|{ip}").as_bytes()))
}

/// The start of the window `at` falls in, and the seconds left in it.
fn window(at: chrono::NaiveDateTime) -> (i64, u64) {
    let secs = at.and_utc().timestamp();
    let len = WINDOW.as_secs() as i64;
    let start = secs - secs.rem_euclid(len);
    (start, (start + len - secs).max(1) as u64)
}

/// Seconds to wait if this key is blocked at `at`.
pub fn blocked_at(
    conn: &mut DbConn,
    key: &str,
    at: chrono::NaiveDateTime,
) -> QueryResult<Option<u64>> {
    let (start, left) = window(at);
    let failures: Option<i32> = login_failures::table
        .find((key, start))
        .select(login_failures::failures)
        .first(conn)
        .optional()?;
    Ok(failures
        .is_some_and(|n| n >= MAX_FAILURES as i32)
        .then_some(left))
}

/// Counts one failure of this key at `at` (one write transaction, retried).
pub fn fail_at(conn: &mut DbConn, key: &str, at: chrono::NaiveDateTime) -> QueryResult<()> {
    let (start, _) = window(at);
    write_tx(conn, |c| {
        let raised = diesel::update(login_failures::table.find((key, start)))
            .set((
                login_failures::failures.eq(login_failures::failures + 1),
                login_failures::updated_at.eq(at),
            ))
            .execute(c)?;
        if raised == 1 {
            return Ok(());
        }
        let inserted = diesel::insert_into(login_failures::table)
            .values((
                login_failures::throttle_key.eq(key),
                login_failures::window_start.eq(start),
                login_failures::failures.eq(1),
                login_failures::updated_at.eq(at),
            ))
            .execute(c);
        match inserted {
            // Another instance counted this window's first failure meanwhile:
            // a deadlock-class error makes write_tx run all of this again.
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                Err(DieselError::DatabaseError(
                    DatabaseErrorKind::SerializationFailure,
                    Box::new("login_failures: window inserted concurrently".to_string()),
                ))
            }
            other => other.map(|_| ()),
        }
    })
}

/// Forgets this key's failures (a successful sign-in).
pub fn clear_key(conn: &mut DbConn, key: &str) -> QueryResult<()> {
    write_tx(conn, |c| {
        diesel::delete(login_failures::table.filter(login_failures::throttle_key.eq(key)))
            .execute(c)
            .map(|_| ())
    })
}

/// Removes windows that ended before `at` (housekeeping).
pub fn purge(conn: &mut DbConn, at: chrono::NaiveDateTime) -> QueryResult<usize> {
    let (start, _) = window(at);
    write_tx(conn, |c| {
        diesel::delete(login_failures::table.filter(login_failures::window_start.lt(start)))
            .execute(c)
    })
}

/// Seconds to wait if this (account, client) is currently blocked.
pub async fn blocked_for(
    state: &AppState,
    email: &str,
    ip: Option<IpAddr>,
) -> AppResult<Option<u64>> {
    let k = stored_key(email, ip);
    state.db(move |c| Ok(blocked_at(c, &k, now())?)).await
}

/// `Err(TooManyRequests)` while this (key, client) is blocked: the guard
/// of a public form counted per client address (support, sign-up pages).
pub async fn refuse_if_blocked(state: &AppState, key: &str, ip: Option<IpAddr>) -> AppResult<()> {
    match blocked_for(state, key, ip).await? {
        Some(wait) => Err(crate::error::AppError::TooManyRequests {
            retry_after_secs: wait,
        }),
        None => Ok(()),
    }
}

pub async fn record_failure(state: &AppState, email: &str, ip: Option<IpAddr>) -> AppResult<()> {
    let k = stored_key(email, ip);
    state.db(move |c| Ok(fail_at(c, &k, now())?)).await
}

pub async fn clear(state: &AppState, email: &str, ip: Option<IpAddr>) -> AppResult<()> {
    let k = stored_key(email, ip);
    state.db(move |c| Ok(clear_key(c, &k)?)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_per_account_and_client_and_hide_both() {
        let a: IpAddr = "10.0.0.1".parse().expect("ip");
        let b: IpAddr = "10.0.0.2".parse().expect("ip");
        let k = stored_key("x@y.z", Some(a));
        assert_eq!(k.len(), 64);
        assert!(!k.contains("x@y.z"));
        assert_ne!(k, stored_key("x@y.z", Some(b)));
        assert_ne!(k, stored_key("other@y.z", Some(a)));
        assert_eq!(k, stored_key("x@y.z", Some(a)));
    }

    #[test]
    fn windows_are_fixed_and_the_wait_is_what_is_left() {
        let at = chrono::DateTime::from_timestamp(900 * 1000 + 60, 0)
            .expect("time")
            .naive_utc();
        assert_eq!(window(at), (900 * 1000, 840));
    }
}
