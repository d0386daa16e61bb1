//! Contact import from CSV (upload, column mapping, preview, per-row report,
//! match on email, progress) and CSV export of the filtered contact list.
//!
//! The flow: `upload` keeps the file under `<data_dir>/imports/<id>.csv` and
//! creates the `imports` row (status `mapping`, with guessed columns);
//! `review` shows the mapping and a preview, and starting it queues an
//! `import` job (src/jobs) whose handler, `worker`, applies it in batches.
//! Uploaded files are the owner's only (0600 in a 0700 folder) and are
//! removed `RAPPORT_IMPORT_RETENTION_DAYS` after upload; the import's row
//! and its per-row report stay.

mod batch;
pub mod csvsafe;
mod export;
mod mapping;
pub mod repo;
mod review;
mod row;
mod upload;
mod views;
mod worker;

use crate::auth::policy::Action::{ContactsExport, ContactsImport};
use crate::db::DbConn;
use crate::route_table;
use crate::web::Access::Staff;

pub use export::{EXPORT_MAX, csv_bytes, csv_response};
pub use mapping::{Target, guess};
pub use upload::{
    CsvUpload, LIMIT as UPLOAD_LIMIT, LIMIT_MIB as UPLOAD_LIMIT_MIB, read_csv_upload,
    remove_expired_uploads,
};
pub use worker::{BATCH, STALL_SECS, run_job};

route_table! {
    GET "/contacts/export.csv" => Staff(ContactsExport), export::contacts;
    GET "/contacts/import" => Staff(ContactsImport), upload::form;
    POST "/contacts/import" => Staff(ContactsImport), upload::upload;
    GET "/contacts/import/{id}" => Staff(ContactsImport), review::show;
    POST "/contacts/import/{id}/mapping" => Staff(ContactsImport), review::choose;
    GET "/contacts/import/{id}/report.csv" => Staff(ContactsImport), review::report;
}

/// Queues the jobs of imports left running without one (those not advanced
/// for `STALL_SECS`). Also done whenever an import's page is looked at; the
/// job workers call this once at start.
pub fn resume_stalled(c: &mut DbConn) {
    for id in repo::running_ids(c).unwrap_or_default() {
        if let Ok(Some(import)) = repo::get(c, id) {
            worker::resume_if_stalled(c, &import);
        }
    }
}
