//! The per-recipient ledger (`campaign_recipients`). A lane takes a batch
//! with one conditional UPDATE that writes its own claim token and a lease
//! end — `… WHERE state = 'pending' AND (lease_until IS NULL OR
//! lease_until < now)` —, reads back the rows that carry its token, and
//! records each result with `WHERE id = ? AND lease_owner = <token> AND
//! state = 'pending'`: a row whose lease another lane took over is never
//! recorded twice. No lock is held across a lease (docs/campaigns.md).
//! A row with a `due_at` (a welcome series step's wait) is claimable only
//! once that time has come (`ix_campaign_recipients_due`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{MAX_ATTEMPTS, RecipientState, retry_after};
use crate::db::schema::{campaign_recipients as cr, contacts};
use crate::db::{DbConn, write_tx};

/// `last_error` is a VARCHAR(1000) on MySQL.
const ERROR_MAX_CHARS: usize = 1000;

const PENDING: &str = "pending";

/// A claimed recipient with what its message merges.
#[derive(Queryable, Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub contact_id: i64,
    pub email: String,
    pub attempts: i32,
    pub first_name: String,
    pub last_name: String,
    pub city: Option<String>,
    pub country: Option<String>,
    pub title: Option<String>,
    pub consent: String,
    /// The contact's language (`en`, `zh-CN`), for the footer's words.
    pub language: Option<String>,
}

/// Takes up to `limit` claimable recipients of `campaign` for `token`
/// until `until`; returns those it got (another lane may take some of
/// the same candidates first: they are simply not ours).
pub fn claim(
    conn: &mut DbConn,
    campaign: i64,
    token: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Claimed>> {
    let candidates: Vec<i64> = cr::table
        .filter(cr::campaign_id.eq(campaign))
        .filter(cr::state.eq(PENDING))
        .filter(cr::lease_until.is_null().or(cr::lease_until.lt(now)))
        .filter(cr::due_at.is_null().or(cr::due_at.le(now)))
        .order(cr::id.asc())
        .limit(limit)
        .select(cr::id)
        .load(conn)?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let taken = write_tx(conn, |c| {
        diesel::update(
            cr::table
                .filter(cr::id.eq_any(&candidates))
                .filter(cr::state.eq(PENDING))
                .filter(cr::lease_until.is_null().or(cr::lease_until.lt(now)))
                .filter(cr::due_at.is_null().or(cr::due_at.le(now))),
        )
        .set((cr::lease_owner.eq(token), cr::lease_until.eq(until)))
        .execute(c)
    })?;
    if taken == 0 {
        return Ok(Vec::new());
    }
    cr::table
        .inner_join(contacts::table)
        .filter(cr::lease_owner.eq(token))
        .filter(cr::state.eq(PENDING))
        .order(cr::id.asc())
        .select((
            cr::id,
            cr::contact_id,
            cr::email,
            cr::attempts,
            contacts::first_name,
            contacts::last_name,
            contacts::city,
            contacts::country,
            contacts::title,
            contacts::consent,
            contacts::language,
        ))
        .load(conn)
}

/// Whether any recipient is still pending (claimable now or later).
pub fn any_pending(conn: &mut DbConn, campaign: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        cr::table
            .filter(cr::campaign_id.eq(campaign))
            .filter(cr::state.eq(PENDING)),
    ))
    .get_result(conn)
}

/// Extends the lease of the token's pending rows; how many it still holds.
pub fn renew(conn: &mut DbConn, token: &str, until: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        cr::table
            .filter(cr::lease_owner.eq(token))
            .filter(cr::state.eq(PENDING)),
    )
    .set(cr::lease_until.eq(until))
    .execute(conn)
}

/// Gives back the token's rows it did not get to (pause, lease running
/// out): claimable again at once.
pub fn release(conn: &mut DbConn, token: &str) -> QueryResult<usize> {
    diesel::update(
        cr::table
            .filter(cr::lease_owner.eq(token))
            .filter(cr::state.eq(PENDING)),
    )
    .set((
        cr::lease_owner.eq(None::<String>),
        cr::lease_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

/// One recipient's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// The server refused for good (5xx): failed, and the address bounced.
    Rejected(String),
    /// Worth another try later (4xx, no connection).
    Temporary(String),
    /// The message could not be built (a template error): failed.
    Broken(String),
    /// Unsubscribed or bounced since the launch: not sent.
    Skipped,
}

fn short(e: &str) -> String {
    e.chars().take(ERROR_MAX_CHARS).collect()
}

/// Records results of the token's rows in one transaction (the lane's
/// group commit); a row the token no longer holds is left alone. Returns
/// the ids it recorded.
pub fn record(
    conn: &mut DbConn,
    token: &str,
    campaign: i64,
    results: &[(Claimed, Outcome)],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    write_tx(conn, |c| {
        let mine = || {
            cr::table
                .filter(cr::lease_owner.eq(token))
                .filter(cr::state.eq(PENDING))
        };
        let sent: Vec<i64> = results
            .iter()
            .filter(|(_, o)| *o == Outcome::Sent)
            .map(|(r, _)| r.id)
            .collect();
        let mut n = 0;
        if !sent.is_empty() {
            n += diesel::update(mine().filter(cr::id.eq_any(&sent)))
                .set((
                    cr::state.eq(RecipientState::Sent.as_str()),
                    cr::sent_at.eq(Some(now)),
                    cr::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(c)?;
        }
        let skipped: Vec<i64> = results
            .iter()
            .filter(|(_, o)| *o == Outcome::Skipped)
            .map(|(r, _)| r.id)
            .collect();
        if !skipped.is_empty() {
            n += diesel::update(mine().filter(cr::id.eq_any(&skipped)))
                .set((
                    cr::state.eq(RecipientState::Skipped.as_str()),
                    cr::lease_until.eq(None::<NaiveDateTime>),
                ))
                .execute(c)?;
        }
        for (r, outcome) in results {
            match outcome {
                Outcome::Sent | Outcome::Skipped => {}
                Outcome::Rejected(e) | Outcome::Broken(e) => {
                    let done = diesel::update(mine().filter(cr::id.eq(r.id)))
                        .set((
                            cr::state.eq(RecipientState::Failed.as_str()),
                            cr::last_error.eq(Some(short(e))),
                            cr::lease_until.eq(None::<NaiveDateTime>),
                        ))
                        .execute(c)?;
                    n += done;
                    if done == 1 && matches!(outcome, Outcome::Rejected(_)) {
                        super::repo::set_consent(
                            c,
                            r.contact_id,
                            crate::contacts::domain::Consent::Bounced,
                            &super::bounce_source(campaign),
                        )?;
                    }
                }
                Outcome::Temporary(e) => {
                    let attempts = r.attempts + 1;
                    let q = diesel::update(mine().filter(cr::id.eq(r.id)));
                    n += if attempts >= MAX_ATTEMPTS {
                        q.set((
                            cr::state.eq(RecipientState::Failed.as_str()),
                            cr::attempts.eq(attempts),
                            cr::last_error.eq(Some(short(e))),
                            cr::lease_until.eq(None::<NaiveDateTime>),
                        ))
                        .execute(c)?
                    } else {
                        let pause = chrono::Duration::from_std(retry_after(attempts))
                            .unwrap_or(chrono::Duration::hours(1));
                        q.set((
                            cr::attempts.eq(attempts),
                            cr::last_error.eq(Some(short(e))),
                            cr::lease_owner.eq(None::<String>),
                            cr::lease_until.eq(Some(now + pause)),
                        ))
                        .execute(c)?
                    };
                }
            }
        }
        Ok(n)
    })
}

/// Sent messages per hour (UTC) of a campaign, for the stats chart.
pub fn sent_times(conn: &mut DbConn, campaign: i64) -> QueryResult<Vec<NaiveDateTime>> {
    cr::table
        .filter(cr::campaign_id.eq(campaign))
        .filter(cr::state.eq(RecipientState::Sent.as_str()))
        .filter(cr::sent_at.is_not_null())
        .select(cr::sent_at.assume_not_null())
        .load(conn)
}

/// Failed recipients with their errors, newest first.
pub fn failures(
    conn: &mut DbConn,
    campaign: i64,
    limit: i64,
) -> QueryResult<Vec<(String, Option<String>)>> {
    cr::table
        .filter(cr::campaign_id.eq(campaign))
        .filter(cr::state.eq(RecipientState::Failed.as_str()))
        .order(cr::id.desc())
        .limit(limit)
        .select((cr::email, cr::last_error))
        .load(conn)
}
