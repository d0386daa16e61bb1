//! Duplicate candidates, computed by a background job rather than on each
//! view of the duplicates page (which grouped every contact per request:
//! 40 ms alone, 0.4–1.2 s p99 with 16 viewers at 100,000 contacts).
//!
//! The `duplicates` job reads every contact once, groups them by the three
//! rules (same email, same phone, same name at the same company) and
//! replaces `duplicate_members`; the page reads those rows, keeps the
//! members the viewer can see and pairs neighbours. Contact writes queue
//! the job with a short delay (`queue`), so a burst of saves or a whole
//! import costs one run; the start-up queues it when the stored result is
//! older than the newest contact change (`queue_if_stale`).

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::duplicates::Pair;
use crate::auth::policy::{Scope, Viewer};
use crate::db::schema::{contacts, duplicate_members, duplicate_scans, users};
use crate::db::{DbConn, now, write_tx};
use crate::i18n::key;
use crate::jobs::{self, JobError, JobKind};

crate::text_enum! {
    /// Why contacts look alike (stored in `duplicate_members.rule`).
    pub enum Rule {
        Email = "email",
        Phone = "phone",
        Name = "name",
    }
}

impl Rule {
    /// The message key of the reason shown beside a pair.
    pub fn reason(self) -> &'static str {
        match self {
            Rule::Email => key("contacts-same-email"),
            Rule::Phone => key("contacts-same-phone"),
            Rule::Name => key("contacts-same-name"),
        }
    }
}

/// The job's dedupe key: at most one scan is queued at a time.
const JOB_KEY: &str = "duplicates";
/// A write queues the scan this long ahead, so the writes that follow it
/// (an import's batches, a user's edits) are seen by the same run.
pub const DELAY: Duration = Duration::from_secs(2);
/// Groups shown per rule on the page.
const PER_RULE: usize = 50;
/// Member rows read per rule for one page view.
const READ_CAP: i64 = 2_000;
/// Rows per INSERT statement.
const CHUNK: usize = 1_000;
/// Passes of one run when contacts keep changing while it reads.
const PASSES: usize = 3;

/// Queues a scan (in the caller's transaction, after a contact write that
/// may make or undo a duplicate). A queued scan absorbs later writes.
pub fn queue(conn: &mut DbConn) -> QueryResult<()> {
    jobs::ensure_queued_after(conn, JobKind::Duplicates, JOB_KEY, &(), DELAY).map(|_| ())
}

/// At start: queues a scan when none has run or contacts changed since.
pub fn queue_if_stale(conn: &mut DbConn) -> QueryResult<bool> {
    let computed = computed_at(conn)?;
    let newest: Option<NaiveDateTime> = contacts::table
        .select(diesel::dsl::max(contacts::updated_at))
        .first(conn)?;
    let stale = match (computed, newest) {
        (None, _) => true,
        (Some(at), Some(newest)) => newest >= at,
        (Some(_), None) => false,
    };
    if stale {
        write_tx(conn, |c| {
            jobs::ensure_queued(c, JobKind::Duplicates, JOB_KEY, &())
        })?;
    }
    Ok(stale)
}

/// When the candidates were last computed.
pub fn computed_at(conn: &mut DbConn) -> QueryResult<Option<NaiveDateTime>> {
    duplicate_scans::table
        .find(1i64)
        .select(duplicate_scans::computed_at)
        .first(conn)
        .optional()
}

/// Whether a scan is queued or running now.
pub fn pending(conn: &mut DbConn) -> QueryResult<bool> {
    Ok(jobs::repo::by_key(conn, JOB_KEY)?
        .is_some_and(|j| j.status == jobs::repo::QUEUED || j.status == jobs::repo::RUNNING))
}

/// How long before a pass a contact write may have begun and still be
/// committing while the pass reads (longer than any contact save).
const RECHECK: chrono::Duration = chrono::Duration::seconds(5);

/// Contacts changed since `since`, with when: what a pass compares before
/// and after it reads (`ix_contacts_updated`; a handful of rows).
fn changed_since(
    conn: &mut DbConn,
    since: NaiveDateTime,
) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    contacts::table
        .filter(contacts::updated_at.ge(since))
        .order(contacts::id.asc())
        .select((contacts::id, contacts::updated_at))
        .load(conn)
}

/// The `duplicates` job: computes the groups, and again when a contact
/// write committed while the pass was reading (that write saw this run as
/// running and queued nothing): the contacts changed shortly before the
/// pass began are listed before and after it, and differ then.
pub fn run_job(conn: &mut DbConn) -> Result<(), JobError> {
    for _ in 0..PASSES {
        let (started, clock) = (now(), std::time::Instant::now());
        let before = changed_since(conn, started - RECHECK)?;
        let groups = compute(conn)?;
        write_tx(conn, |c| store(c, &groups, started))?;
        tracing::info!(
            members = groups.len(),
            ms = clock.elapsed().as_millis() as u64,
            "duplicate candidates computed"
        );
        if changed_since(conn, started - RECHECK)? == before {
            break;
        }
    }
    Ok(())
}

type Member = (Rule, i64, i64);

/// Every group of two or more contacts under each rule, as member rows
/// (rule, group id = first member's id, contact id).
fn compute(conn: &mut DbConn) -> QueryResult<Vec<Member>> {
    type Row = (
        i64,
        Option<String>,
        Option<String>,
        Option<i64>,
        String,
        String,
    );
    let rows: Vec<Row> = contacts::table
        .order(contacts::id.asc())
        .select((
            contacts::id,
            contacts::email,
            contacts::phone,
            contacts::account_id,
            contacts::last_name,
            contacts::first_name,
        ))
        .load(conn)?;
    let mut by: BTreeMap<(Rule, String), Vec<i64>> = BTreeMap::new();
    for (id, email, phone, account, last, first) in rows {
        let email = email.map(|e| e.trim().to_lowercase());
        if let Some(e) = email.filter(|e| !e.is_empty()) {
            by.entry((Rule::Email, e)).or_default().push(id);
        }
        if let Some(p) = phone.filter(|p| !p.trim().is_empty()) {
            by.entry((Rule::Phone, p.to_lowercase()))
                .or_default()
                .push(id);
        }
        if let Some(a) = account {
            let k = format!(
                "{a}\u{1f}{}\u{1f}{}",
                last.to_lowercase(),
                first.to_lowercase()
            );
            by.entry((Rule::Name, k)).or_default().push(id);
        }
    }
    Ok(by
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .flat_map(|((rule, _), ids)| {
            let group = ids[0];
            ids.into_iter().map(move |id| (rule, group, id))
        })
        .collect())
}

/// Multi-row INSERT on the concrete connection (MultiConnection does not batch).
macro_rules! insert_members {
    ($conn:expr, $rows:expr) => {
        match $conn {
            DbConn::Mysql(m) => diesel::insert_into(duplicate_members::table)
                .values($rows)
                .execute(m),
            DbConn::Sqlite(s) => diesel::insert_into(duplicate_members::table)
                .values($rows)
                .execute(s),
        }
    };
}

fn store(conn: &mut DbConn, groups: &[Member], at: NaiveDateTime) -> QueryResult<()> {
    diesel::delete(duplicate_members::table).execute(conn)?;
    // A contact deleted since the reading would fail the foreign key.
    let ids: Vec<i64> = groups.iter().map(|m| m.2).collect();
    let mut alive = std::collections::BTreeSet::new();
    for chunk in ids.chunks(CHUNK) {
        alive.extend(
            contacts::table
                .filter(contacts::id.eq_any(chunk))
                .select(contacts::id)
                .load::<i64>(conn)?,
        );
    }
    let rows: Vec<_> = groups
        .iter()
        .filter(|m| alive.contains(&m.2))
        .map(|(rule, group, id)| {
            (
                duplicate_members::rule.eq(rule.as_str()),
                duplicate_members::group_id.eq(*group),
                duplicate_members::contact_id.eq(*id),
            )
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        insert_members!(conn, chunk)?;
    }
    let n = diesel::update(duplicate_scans::table.find(1i64))
        .set(duplicate_scans::computed_at.eq(at))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(duplicate_scans::table)
            .values((
                duplicate_scans::id.eq(1i64),
                duplicate_scans::computed_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The stored candidates the viewer can see, as neighbouring pairs within
/// each group (a–b, b–c …), at most `PER_RULE` groups per rule; a pair
/// found by several rules is listed once.
pub fn pairs(conn: &mut DbConn, viewer: &Viewer) -> QueryResult<Vec<Pair>> {
    let mut out = Vec::new();
    for rule in Rule::ALL {
        let mut q = duplicate_members::table
            .inner_join(contacts::table.left_join(users::table))
            .filter(duplicate_members::rule.eq(rule.as_str()))
            .into_boxed();
        q = match (viewer.scope, viewer.team_id) {
            (Scope::All, _) => q,
            (Scope::Team, Some(team)) => q.filter(users::team_id.eq(team)),
            _ => q.filter(contacts::owner_id.eq(viewer.user_id)),
        };
        let rows: Vec<(i64, i64, String, String)> = q
            .order((
                duplicate_members::group_id.asc(),
                duplicate_members::contact_id.asc(),
            ))
            .select((
                duplicate_members::group_id,
                contacts::id,
                contacts::first_name,
                contacts::last_name,
            ))
            .limit(READ_CAP)
            .load(conn)?;
        let mut groups: Vec<(i64, Vec<(i64, String)>)> = Vec::new();
        for (group, id, first, last) in rows {
            let member = (id, super::views::full_name(&first, &last));
            match groups.last_mut() {
                Some((g, members)) if *g == group => members.push(member),
                _ => groups.push((group, vec![member])),
            }
        }
        let reason = rule.reason();
        out.extend(
            groups
                .into_iter()
                .filter(|(_, m)| m.len() > 1)
                .take(PER_RULE)
                .flat_map(|(_, members)| {
                    members
                        .windows(2)
                        .map(|w| Pair {
                            reason,
                            a: w[0].clone(),
                            b: w[1].clone(),
                        })
                        .collect::<Vec<_>>()
                }),
        );
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert((p.a.0.min(p.b.0), p.a.0.max(p.b.0))));
    Ok(out)
}
