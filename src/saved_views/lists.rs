//! The lists a view can be saved for, and the query each one accepts.

use diesel::QueryResult;

use super::repo::{self, Viewer};
use crate::auth::policy::Action;
use crate::db::DbConn;
use crate::i18n::key;
use crate::web::list::{FilterSet, ListMeta, ListOptions, Params, SortKey, ViewLink};

pub struct Savable {
    pub meta: &'static ListMeta,
    /// "Contacts", as the views page heads the list's views.
    pub label: &'static str,
    /// Who may save and open views of this list.
    pub read: Action,
    /// The list's canonical form of a query string; None if it is not one.
    pub canonical: fn(&str) -> Option<String>,
}

/// Longest query string a view keeps.
pub const QUERY_MAX: usize = 2_000;

/// Where a page starts is not part of a view: cursors and page numbers go.
fn canonical<S: SortKey, F: FilterSet>(query: &str) -> Option<String> {
    let mut params = Params::from_query(query);
    params
        .0
        .retain(|(k, _)| !matches!(k.as_str(), "after" | "before" | "page"));
    let opts = ListOptions::<S, F>::parse(&params).ok()?;
    Some(opts.view_query()).filter(|q| q.len() <= QUERY_MAX)
}

pub fn all() -> [Savable; 3] {
    use crate::{accounts, contacts, deals};
    [
        Savable {
            meta: &contacts::LIST,
            label: key("views-list-contacts"),
            read: Action::ContactsRead,
            canonical: canonical::<contacts::domain::Sort, contacts::domain::Filters>,
        },
        Savable {
            meta: &accounts::LIST,
            label: key("views-list-accounts"),
            read: Action::AccountsRead,
            canonical: canonical::<accounts::domain::Sort, accounts::domain::Filters>,
        },
        Savable {
            meta: &deals::LIST,
            label: key("views-list-deals"),
            read: Action::DealsRead,
            canonical: canonical::<deals::domain::Sort, deals::domain::Filters>,
        },
    ]
}

pub fn find(key: &str) -> Option<Savable> {
    all().into_iter().find(|s| s.meta.key == key)
}

/// `/contacts?…` for a stored query (checked again), or None.
pub fn href(list: &str, query: &str) -> Option<String> {
    let s = find(list)?;
    (s.canonical)(query).map(|q| format!("{}?{q}", s.meta.base))
}

/// The pinned views the viewer sees above a list.
pub fn bar(c: &mut DbConn, viewer: Viewer, meta: &ListMeta) -> QueryResult<Vec<ViewLink>> {
    Ok(repo::visible(c, viewer, Some(meta.key))?
        .into_iter()
        .filter(|v| v.pinned)
        .filter_map(|v| {
            Some(ViewLink {
                href: href(&v.list, &v.query_string)?,
                team: v.user_id != viewer.user_id,
                id: v.id,
                name: v.name,
                current: false,
            })
        })
        .collect())
}
