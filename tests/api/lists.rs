//! The shared list module (src/web/list) over HTTP: keyset paging through
//! every sort key both ways, page sizes, damaged cursors, and saved views.

mod company_sort;
mod keyset;
mod saved_views;

/// A saved view of `user_id`'s, written directly; returns its id.
pub fn saved_view(app: &crate::helpers::TestApp, user_id: i64) -> i64 {
    let view = rapport::saved_views::repo::NewView {
        list: "contacts",
        name: "Target view",
        query_string: "sort=name&dir=asc",
        pinned: true,
        shared: false,
    };
    rapport::saved_views::repo::insert(&mut app.conn(), user_id, &view).expect("view")
}
