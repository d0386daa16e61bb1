//! Contact search: each word must start a first or last name, an email
//! address or the company name (or a phone number, for words with digits).

use diesel::prelude::*;

use super::repo::Visible;
use crate::db::schema::{accounts, contacts};
use crate::db::{DbConn, prefix_pattern};

/// Search words, resolved: the ids matching every selective word (None when
/// no word was selective), and the LIKE patterns of words too common for an
/// id set, applied as filters.
#[derive(Debug, Default)]
pub struct Search {
    pub ids: Option<Vec<i64>>,
    pub likes: Vec<String>,
}

impl Search {
    /// How many contacts match, when the id set alone decides it.
    pub fn known_count(&self) -> Option<i64> {
        match (&self.ids, self.likes.is_empty()) {
            (Some(ids), true) => Some(ids.len() as i64),
            _ => None,
        }
    }
}

/// Candidates per word beyond which the word is applied as a LIKE filter.
const TERM_CAP: i64 = 5_000;

/// Each search word must start a first or last name, an email address or
/// the company name (or a phone number, for words with digits). Words are
/// resolved to id sets by index range scans on each column — cheap on both
/// backends, where an OR across columns (and a company subquery) would make
/// MariaDB scan the whole table (see docs/benchmarks.md).
pub fn resolve_terms(conn: &mut DbConn, terms: &[String]) -> QueryResult<Search> {
    let mut out = Search::default();
    for term in terms {
        let p = prefix_pattern(term);
        // diesel binds an ESCAPE character as a parameter, and SQLite then
        // scans the whole index instead of a range: words without wildcard
        // characters (nearly all) go without ESCAPE.
        let plain = !term.contains(['%', '_', '\\']);
        let by = |c: &mut DbConn, col: &str| -> QueryResult<Vec<i64>> {
            let q = contacts::table.select(contacts::id).limit(TERM_CAP + 1);
            match (col, plain) {
                ("first", true) => q.filter(contacts::first_name.like(&p)).load(c),
                ("first", false) => q.filter(contacts::first_name.like(&p).escape('\\')).load(c),
                ("last", true) => q.filter(contacts::last_name.like(&p)).load(c),
                ("last", false) => q.filter(contacts::last_name.like(&p).escape('\\')).load(c),
                ("email", true) => q.filter(contacts::email.like(&p)).load(c),
                ("email", false) => q.filter(contacts::email.like(&p).escape('\\')).load(c),
                (_, true) => q.filter(contacts::phone.like(&p)).load(c),
                (_, false) => q.filter(contacts::phone.like(&p).escape('\\')).load(c),
            }
        };
        let mut sets = vec![by(conn, "first")?, by(conn, "last")?, by(conn, "email")?];
        if term.chars().any(|c| c.is_ascii_digit()) {
            sets.push(by(conn, "phone")?);
        }
        let companies: Vec<i64> = if plain {
            accounts::table
                .filter(accounts::name.like(&p))
                .select(accounts::id)
                .limit(TERM_CAP + 1)
                .load(conn)?
        } else {
            accounts::table
                .filter(accounts::name.like(&p).escape('\\'))
                .select(accounts::id)
                .limit(TERM_CAP + 1)
                .load(conn)?
        };
        let mut too_many = companies.len() as i64 > TERM_CAP;
        if !companies.is_empty() && !too_many {
            sets.push(
                contacts::table
                    .filter(contacts::account_id.eq_any(&companies))
                    .select(contacts::id)
                    .limit(TERM_CAP + 1)
                    .load(conn)?,
            );
        }
        too_many |= sets.iter().any(|s| s.len() as i64 > TERM_CAP);
        let mut ids: Vec<i64> = sets.concat();
        ids.sort_unstable();
        ids.dedup();
        if too_many || ids.len() as i64 > TERM_CAP {
            out.likes.push(p);
        } else {
            out.ids = Some(match out.ids.take() {
                None => ids,
                Some(prev) => prev
                    .into_iter()
                    .filter(|id| ids.binary_search(id).is_ok())
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// Above this many matches, a page sorted by recency is read by walking the
/// `updated_at` index and testing ids (stops after a page), instead of
/// fetching and sorting every match.
const DENSE: usize = 500;

/// `walk_recent`: the query reads one page ordered by `updated_at`.
pub(super) fn searched(mut q: Visible, search: &Search, walk_recent: bool) -> Visible {
    // Words too common for an id set: the slow but exact path.
    for p in &search.likes {
        let company = diesel::alias!(accounts as company);
        let companies = company
            .filter(company.field(accounts::name).like(p.clone()).escape('\\'))
            .select(company.field(accounts::id).nullable());
        q = q.filter(
            contacts::first_name
                .like(p.clone())
                .escape('\\')
                .or(contacts::last_name.like(p.clone()).escape('\\'))
                .or(contacts::email
                    .assume_not_null()
                    .like(p.clone())
                    .escape('\\'))
                .or(contacts::phone
                    .assume_not_null()
                    .like(p.clone())
                    .escape('\\'))
                .or(contacts::account_id.eq_any(companies).assume_not_null()),
        );
    }
    if let Some(ids) = &search.ids {
        q = if walk_recent && ids.len() > DENSE {
            // `+id` (a no-op on both backends) keeps the planner from
            // turning the id list into primary-key lookups plus a sort.
            q.filter(
                diesel::dsl::sql::<diesel::sql_types::BigInt>("+contacts.id").eq_any(ids.clone()),
            )
        } else {
            q.filter(contacts::id.eq_any(ids.clone()))
        };
    }
    q
}
