//! Search over contacts and accounts through one table of terms
//! (`search_terms`), kept by the app in the same transaction as the record:
//! word prefixes for alphabetic text and character pairs for CJK text, the
//! same on MariaDB and SQLite (`tokens` says how text becomes terms).

pub mod index;
pub mod tokens;

pub use index::{Kind, prefix_subquery};

/// Words of a query beyond this many are ignored (each adds a filter).
pub const MAX_TERMS: usize = 5;

/// The prefixes typed words search for (`tokens::query_prefixes`), or None
/// when only punctuation was typed ("%", "--"): nothing can match that.
pub fn prefixes_of(terms: &[String]) -> Option<Vec<String>> {
    let prefixes = tokens::query_prefixes(&terms.join(" "), MAX_TERMS);
    (prefixes.is_empty() == terms.is_empty()).then_some(prefixes)
}
