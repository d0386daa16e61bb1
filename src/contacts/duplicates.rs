//! Finding likely duplicate contacts (same email, same phone, same name at
//! the same company) and merging two into one with nothing lost.

use std::collections::BTreeMap;

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::repo::{ContactDetail, visible};
use crate::auth::policy::Viewer;
use crate::db::DbConn;
use crate::db::schema::contacts;
use crate::records::RecordRef;

/// Pairs to show per rule.
const PER_RULE: i64 = 50;

#[derive(Clone, Debug)]
pub struct Pair {
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

/// Likely duplicates among the contacts the viewer can see.
pub fn find(conn: &mut DbConn, viewer: &Viewer) -> QueryResult<Vec<Pair>> {
    let mut out = Vec::new();
    let owners = crate::records::owners_in_scope(conn, viewer)?;

    let mut q = contacts::table
        .filter(contacts::email.is_not_null())
        .group_by(contacts::email)
        .having(count_star().gt(1))
        .select(contacts::email)
        .limit(PER_RULE)
        .into_boxed();
    if let Some(ids) = &owners {
        q = q.filter(contacts::owner_id.eq_any(ids.clone()));
    }
    let emails: Vec<String> = q
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    let rows: Vec<(Option<String>, i64, String, String)> = visible(viewer)
        .filter(contacts::email.eq_any(&emails))
        .order(contacts::id.asc())
        .select((
            contacts::email,
            contacts::id,
            contacts::first_name,
            contacts::last_name,
        ))
        .load(conn)?;
    out.extend(pairs_of(
        "Same email",
        rows.into_iter()
            .map(|(k, id, f, l)| (k.unwrap_or_default(), id, f, l))
            .collect(),
    ));

    let mut q = contacts::table
        .filter(contacts::phone.is_not_null())
        .group_by(contacts::phone)
        .having(count_star().gt(1))
        .select(contacts::phone)
        .limit(PER_RULE)
        .into_boxed();
    if let Some(ids) = &owners {
        q = q.filter(contacts::owner_id.eq_any(ids.clone()));
    }
    let phones: Vec<String> = q
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    let rows: Vec<(Option<String>, i64, String, String)> = visible(viewer)
        .filter(contacts::phone.eq_any(&phones))
        .order(contacts::id.asc())
        .select((
            contacts::phone,
            contacts::id,
            contacts::first_name,
            contacts::last_name,
        ))
        .load(conn)?;
    out.extend(pairs_of(
        "Same phone",
        rows.into_iter()
            .map(|(k, id, f, l)| (k.unwrap_or_default(), id, f, l))
            .collect(),
    ));

    let mut q = contacts::table
        .filter(contacts::account_id.is_not_null())
        .group_by((
            contacts::first_name,
            contacts::last_name,
            contacts::account_id,
        ))
        .having(count_star().gt(1))
        .select((
            contacts::first_name,
            contacts::last_name,
            contacts::account_id,
        ))
        .limit(PER_RULE)
        .into_boxed();
    if let Some(ids) = &owners {
        q = q.filter(contacts::owner_id.eq_any(ids.clone()));
    }
    let names: Vec<(String, String, Option<i64>)> = q.load(conn)?;
    for (first, last, account) in names {
        let rows: Vec<(i64, String, String)> = visible(viewer)
            .filter(contacts::first_name.eq(first.clone()))
            .filter(contacts::last_name.eq(last.clone()))
            .filter(contacts::account_id.eq(account))
            .order(contacts::id.asc())
            .select((contacts::id, contacts::first_name, contacts::last_name))
            .load(conn)?;
        let key = format!("{first}\u{1f}{last}\u{1f}{account:?}");
        out.extend(pairs_of(
            "Same name at the same company",
            rows.into_iter()
                .map(|(id, f, l)| (key.clone(), id, f, l))
                .collect(),
        ));
    }

    // A pair found by several rules is listed once.
    let mut seen = std::collections::BTreeSet::new();
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
    Ok(())
}
