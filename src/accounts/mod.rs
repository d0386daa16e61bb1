//! Accounts: the companies contacts belong to.

pub mod repo;

use crate::route_table;

route_table! {}
