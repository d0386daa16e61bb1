//! One list page for every record list (contacts, accounts, tasks, admin).
//!
//! A list declares its sort keys (`SortKey`: the SQL columns each orders
//! by), its filters (`FilterSet`: how they read from and write to the query
//! string), its columns and filter menus (`ListMeta`, `FilterField`), and
//! its query. This module does the rest: parsing the query string into
//! `ListOptions`, the page size (25 / 50 / 100), keyset paging with an
//! opaque cursor (`after=` / `before=`), bounded offset paging for `page=`,
//! capped counts ("1,000+"), and the sort, page and filter links
//! (`ListState`) that `templates/partials/_list.html` renders.

mod cursor;
pub mod keyset;
mod options;
mod pager;
mod state;

pub use cursor::Cursor;
pub use keyset::{Col, Key, Pred};
pub use options::{FilterSet, Keyed, ListOptions, Params, SortKey};
pub use pager::Pager;
pub use state::{Column, FilterField, ListMeta, ListState, ViewLink};

/// The page sizes a user may pick; anything else is the first.
pub const PAGE_SIZES: [i64; 3] = [25, 50, 100];
/// Lists count matches up to this many and say "1,000+" beyond.
pub const COUNT_CAP: i64 = 1_000;
/// `page=` (offset paging) stops here; keyset links go on for ever.
pub const MAX_PAGE: i64 = 10_000;
/// Search terms beyond this many are ignored (each adds a filter).
pub const MAX_TERMS: usize = 5;
