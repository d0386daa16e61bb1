//! Contact search: each word of the query must start a word of the
//! contact's first or last name, email address, company name or phone
//! number; CJK text matches by character pairs (`crate::search::tokens`).

use diesel::prelude::*;

use super::repo::Visible;
use crate::db::DbConn;
use crate::db::schema::contacts;
use crate::filter_by_plan;
use crate::search::{self, Kind, MAX_TERMS, prefix_ids, prefix_subquery};
use crate::web::list::Plan;

/// Search words, resolved: the ids matching every selective word (None when
/// no word was selective), and the words too common for an id set, applied
/// as subqueries.
#[derive(Debug, Default)]
pub struct Search {
    pub ids: Option<Vec<i64>>,
    pub dense: Vec<String>,
}

impl Search {
    /// How many contacts match, when the id set alone decides it.
    pub fn known_count(&self) -> Option<i64> {
        match (&self.ids, self.dense.is_empty()) {
            (Some(ids), true) => Some(ids.len() as i64),
            _ => None,
        }
    }
}

/// Candidates per word beyond which the word is applied as a subquery.
const TERM_CAP: i64 = 5_000;

/// Resolves each query prefix to the ids of the contacts having a term that
/// starts with it: one range scan of `search_terms` per word, on both
/// backends, intersected here.
pub fn resolve_terms(conn: &mut DbConn, terms: &[String]) -> QueryResult<Search> {
    let mut out = Search::default();
    let prefixes = search::tokens::query_prefixes(&terms.join(" "), MAX_TERMS);
    if prefixes.is_empty() && !terms.is_empty() {
        // Only punctuation was typed ("%", "--"): nothing can match it.
        out.ids = Some(Vec::new());
    }
    for prefix in prefixes {
        let ids = prefix_ids(conn, Kind::Contact, &prefix, TERM_CAP)?;
        if ids.len() as i64 > TERM_CAP {
            out.dense.push(prefix);
            continue;
        }
        out.ids = Some(match out.ids.take() {
            None => ids,
            Some(prev) => prev
                .into_iter()
                .filter(|id| ids.binary_search(id).is_ok())
                .collect(),
        });
    }
    Ok(out)
}

/// Under `Plan::Walk` (many matches) the id list is compared as `+id`, so
/// the planner walks the sort's index testing ids (and stops after a page)
/// instead of turning the list into primary-key lookups plus a sort.
pub(super) fn searched(mut q: Visible, search: &Search, plan: Plan) -> Visible {
    use diesel::sql_types::BigInt;
    for prefix in &search.dense {
        q = q.filter(contacts::id.eq_any(prefix_subquery(Kind::Contact, prefix)));
    }
    if let Some(ids) = &search.ids {
        filter_by_plan!(q, plan, contacts::id, "contacts.id": BigInt, |c| c.eq_any(ids.clone()));
    }
    q
}
