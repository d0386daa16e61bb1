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
pub mod menus;
mod options;
mod pager;
mod plan;
mod state;

pub use cursor::Cursor;
pub use keyset::{Col, Key, Pred, count_capped};
pub use options::{FilterSet, Keyed, ListOptions, NoFilters, Params, SortKey};
pub use pager::Pager;
pub use plan::{DENSE, Plan};
pub use state::{Column, FilterField, ListMeta, ListState, ViewLink};

/// The page sizes a user may pick; anything else is the first.
/// How list filters take an instant (UTC): `YYYY-MM-DDTHH:MM`.
pub const INSTANT: &str = "%Y-%m-%dT%H:%M";

pub const PAGE_SIZES: [i64; 3] = [25, 50, 100];
/// Lists count matches up to this many and say "1,000+" beyond.
pub const COUNT_CAP: i64 = 1_000;
/// `page=` (offset paging) stops here; keyset links go on for ever.
pub const MAX_PAGE: i64 = 10_000;
/// Search terms beyond this many are ignored (each adds a filter).
pub const MAX_TERMS: usize = 5;

/// Declares a list's sort keys: each variant's query-string key, natural
/// direction and the columns it orders by; the list's id column breaks ties.
///
/// ```ignore
/// sort_keys! {
///     pub enum Sort: "contacts.id", default Updated {
///         Name: "name", asc, [Col::text("contacts.last_name"), Col::text("contacts.first_name")];
///         Updated: "updated", desc, [Col::time("contacts.updated_at")];
///     }
/// }
/// ```
#[macro_export]
macro_rules! sort_keys {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident: $id:literal, default $default:ident {
            $( $(#[$vmeta:meta])* $variant:ident: $key:literal, $dir:ident, [$($col:expr),+ $(,)?]; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $crate::web::list::SortKey for $name {
            const ALL: &'static [$name] = &[$($name::$variant),+];
            const DEFAULT: $name = $name::$default;
            const ID: &'static str = $id;

            fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)+ }
            }

            fn default_desc(self) -> bool {
                match self { $($name::$variant => stringify!($dir) == "desc",)+ }
            }

            fn columns(self) -> &'static [$crate::web::list::Col] {
                match self {
                    $($name::$variant => {
                        const C: &[$crate::web::list::Col] = &[$($col),+];
                        C
                    })+
                }
            }
        }
    };
}
