//! Finding likely duplicate contacts (same email, same phone, same name at
//! the same company) and merging two into one with nothing lost.

use std::collections::{BTreeMap, BTreeSet};

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::repo::{ContactDetail, visible};
use crate::auth::policy::Viewer;
use crate::db::DbConn;
use crate::db::schema::contacts;
use crate::i18n::key;
use crate::records::RecordRef;
use crate::search;

/// Pairs to show per rule.
const PER_RULE: i64 = 50;

#[derive(Clone, Debug)]
pub struct Pair {
    /// Why they look alike: a message key.
    pub reason: &'static str,
    pub a: (i64, String),
    pub b: (i64, String),
}

fn name(first: &str, last: &str) -> String {
    super::views::full_name(first, last)
}

/// Turns groups of ids sharing a key into neighbouring pairs (a–b, b–c …).
fn pairs_of(reason: &'static str, rows: Vec<(String, i64, String, String)>) -> Vec<Pair> {
    let mut groups: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for (key, id, first, last) in rows {
        groups
            .entry(key.to_lowercase())
            .or_default()
            .push((id, name(&first, &last)));
    }
    groups
        .into_values()
        .flat_map(|members| {
            members
                .windows(2)
                .map(|w| Pair {
                    reason,
                    a: w[0].clone(),
                    b: w[1].clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Values of `$col` held by more than one contact (of `owners`, when set),
/// at most `PER_RULE` of them, read off the column's index.
macro_rules! shared_values {
    ($conn:expr, $owners:expr, $col:expr) => {{
        let mut q = contacts::table
            .filter($col.is_not_null())
            .group_by($col)
            .having(count_star().gt(1))
            .select($col)
            .limit(PER_RULE)
            .into_boxed();
        if let Some(ids) = $owners {
            q = q.filter(contacts::owner_id.eq_any(ids.clone()));
        }
        q.load::<Option<String>>($conn)?
            .into_iter()
            .flatten()
            .collect::<Vec<String>>()
    }};
}

/// The visible contacts whose `$col` is one of `$values`, as pairs of `$reason`.
macro_rules! pairs_sharing {
    ($conn:expr, $viewer:expr, $col:expr, $values:expr, $reason:expr) => {{
        let rows: Vec<(Option<String>, i64, String, String)> = visible($viewer)
            .filter($col.eq_any($values))
            .order(contacts::id.asc())
            .select((
                $col,
                contacts::id,
                contacts::first_name,
                contacts::last_name,
            ))
            .load($conn)?;
        pairs_of(
            $reason,
            rows.into_iter()
                .map(|(k, id, f, l)| (k.unwrap_or_default(), id, f, l))
                .collect(),
        )
    }};
}

/// Likely duplicates among the contacts the viewer can see. Each rule is one
/// grouping query that walks an index in its own order (email, phone, and
/// company + last + first name) and one query for the members of the groups.
pub fn find(conn: &mut DbConn, viewer: &Viewer) -> QueryResult<Vec<Pair>> {
    let mut out = Vec::new();
    let owners = crate::staff::repo::visible_owner_ids(conn, viewer)?;

    let emails = shared_values!(conn, &owners, contacts::email);
    out.extend(pairs_sharing!(
        conn,
        viewer,
        contacts::email,
        &emails,
        key("contacts-same-email")
    ));
    let phones = shared_values!(conn, &owners, contacts::phone);
    out.extend(pairs_sharing!(
        conn,
        viewer,
        contacts::phone,
        &phones,
        key("contacts-same-phone")
    ));

    // Grouped in the order of ix_contacts_account_name, so no temporary table.
    let mut q = contacts::table
        .filter(contacts::account_id.is_not_null())
        .group_by((
            contacts::account_id,
            contacts::last_name,
            contacts::first_name,
        ))
        .having(count_star().gt(1))
        .select((
            contacts::account_id,
            contacts::last_name,
            contacts::first_name,
        ))
        .limit(PER_RULE)
        .into_boxed();
    if let Some(ids) = &owners {
        q = q.filter(contacts::owner_id.eq_any(ids.clone()));
    }
    let groups: Vec<(Option<i64>, String, String)> = q.load(conn)?;
    // MariaDB groups case-insensitively: members are matched the same way.
    let fold = |account: Option<i64>, last: &str, first: &str| {
        (account, last.to_lowercase(), first.to_lowercase())
    };
    let keys: BTreeSet<_> = groups.iter().map(|(a, l, f)| fold(*a, l, f)).collect();
    let accounts: BTreeSet<i64> = groups.iter().filter_map(|g| g.0).collect();
    let lasts: BTreeSet<&str> = groups.iter().map(|g| g.1.as_str()).collect();
    // One query for every group's members: the company and surname narrow
    // it in SQL, the exact (company, last, first) triple is checked here.
    let rows: Vec<(Option<i64>, String, String, i64)> = visible(viewer)
        .filter(contacts::account_id.eq_any(accounts.into_iter().collect::<Vec<_>>()))
        .filter(contacts::last_name.eq_any(lasts.into_iter().collect::<Vec<_>>()))
        .order(contacts::id.asc())
        .select((
            contacts::account_id,
            contacts::last_name,
            contacts::first_name,
            contacts::id,
        ))
        .load(conn)?;
    out.extend(pairs_of(
        key("contacts-same-name"),
        rows.into_iter()
            .filter(|(account, last, first, _)| keys.contains(&fold(*account, last, first)))
            .map(|(account, last, first, id)| {
                let key = format!("{first}\u{1f}{last}\u{1f}{account:?}");
                (key, id, first, last)
            })
            .collect(),
    ));

    // A pair found by several rules is listed once.
    let mut seen = BTreeSet::new();
    out.retain(|p| seen.insert((p.a.0.min(p.b.0), p.a.0.max(p.b.0))));
    Ok(out)
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
    search::index::reindex_contacts(conn, &[keep.id.get()])
}
