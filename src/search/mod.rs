//! Search over contacts and accounts through one table of terms
//! (`search_terms`), kept by the app in the same transaction as the record:
//! word prefixes for alphabetic text and character pairs for CJK text, the
//! same on MariaDB and SQLite (`tokens` says how text becomes terms).

pub mod index;
pub mod tokens;

pub use index::{Kind, prefix_subquery};

/// Words of a query beyond this many are ignored (each adds a filter).
pub const MAX_TERMS: usize = 5;
