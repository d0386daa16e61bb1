//! The shared list module (src/web/list) over HTTP: keyset paging through
//! every sort key both ways, page sizes, damaged cursors, and saved views.

mod keyset;
mod saved_views;
