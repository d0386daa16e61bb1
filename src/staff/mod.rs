//! Staff users, teams and role settings: the data the auth and admin modules share.

pub mod assign;
pub mod list;
pub mod models;
pub mod repo;
