//! Contact search: each word of the query must start a word of the
//! contact's first or last name, email address, company name or phone
//! number; CJK text matches by character pairs (`crate::search::tokens`).
//!
//! Each word is a semi-join against `search_terms` in the page's own
//! statement (and in the capped count's), never a list of ids fetched
//! first: the database drives from the terms index, or from the sort's
//! index when the matches are many, and no statement carries thousands of
//! bound ids (docs/benchmarks.md).

use diesel::prelude::*;

use super::repo::Visible;
use crate::db::schema::contacts;
use crate::search::{self, Kind, MAX_TERMS};
use crate::web::list::Plan;

/// The prefixes a query searches for.
#[derive(Debug, Default)]
pub struct Search {
    prefixes: Vec<String>,
    /// Only punctuation was typed ("%", "--"): nothing can match it.
    nothing: bool,
}

impl Search {
    pub fn new(terms: &[String]) -> Search {
        let prefixes = search::tokens::query_prefixes(&terms.join(" "), MAX_TERMS);
        Search {
            nothing: prefixes.is_empty() && !terms.is_empty(),
            prefixes,
        }
    }

    /// The one prefix searched for, when there is exactly one.
    pub fn one_word(&self) -> Option<&str> {
        match self.prefixes.as_slice() {
            [word] => Some(word),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty() && !self.nothing
    }
}

/// One filter per word. Under `Plan::Walk` (many matches) they are
/// written so that the sort's index drives and each row is probed for the
/// word instead of reading every match and sorting (`filter_by_word!`).
pub(super) fn searched(mut q: Visible, search: &Search, plan: Plan) -> Visible {
    if search.nothing {
        return q.filter(contacts::id.lt(0));
    }
    for (i, prefix) in search.prefixes.iter().enumerate() {
        crate::filter_by_word!(
            q,
            plan.for_word(i),
            Kind::Contact,
            prefix,
            contacts::id,
            "contacts.id"
        );
    }
    q
}
