//! Welcome series (issue 11): N emails with delays, triggered when a
//! contact confirms a sign-up form or enters a segment, sent by the
//! campaign ledger and lanes. Each step is a `campaigns` row
//! (`series_id`, `step_no`, `delay_minutes`; status `sending` while the
//! series is active); entering the series (`enroll`) writes one
//! `series_enrollments` row (UNIQUE series × contact: a contact enters
//! once) and one ledger row per step with its `due_at`, so the engine's
//! claim takes it when its time has come. The `series` job enrols a
//! segment's new members every minute and queues the lanes of steps with
//! due rows. See docs/campaigns.md, "Welcome series".

pub mod domain;
pub mod enroll;
mod forms;
pub mod handlers;
pub mod repo;
mod views;

pub use enroll::{on_signup_confirmed, run_job, tick};
