//! Public sign-up pages with double opt-in (issue 11): staff manage the
//! forms (`admin`), visitors sign up and confirm by the mailed link
//! (`public`); see docs/campaigns.md.

pub mod admin;
pub mod domain;
pub mod public;
pub mod repo;
mod views;
