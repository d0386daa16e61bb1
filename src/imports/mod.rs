//! Contact import from CSV (upload, column mapping, preview, per-row report,
//! match on email, progress) and CSV export of the filtered contact list.

use crate::route_table;

route_table! {}
