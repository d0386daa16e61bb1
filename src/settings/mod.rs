//! Workspace settings: the company's name and address (for printable
//! documents) and the defaults everyone starts from: language, time zone and
//! currency. Its routes sit in the admin route table (`/admin/settings`).

pub mod forms;
pub mod handlers;
pub mod repo;
mod views;
