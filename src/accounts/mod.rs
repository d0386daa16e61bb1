//! Accounts: the companies contacts belong to.

pub mod repo;
