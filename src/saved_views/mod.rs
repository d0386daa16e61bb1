//! Saved views: a user names the current filtered, sorted list, pins it
//! above the list, shares it with their team, renames or deletes it. A view
//! keeps its list's canonical query string, checked when saved and again
//! whenever it is shown (`lists::canonical`). A user sees their own views
//! and the views their team mates share; only the owner changes one.

mod domain;
mod handlers;
mod lists;
pub mod repo;
mod views;

pub use lists::bar;

use crate::auth::policy::Action::OwnAccount;
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/views" => Staff(OwnAccount), handlers::index;
    POST "/views" => Staff(OwnAccount), handlers::create;
    POST "/views/{id}" => Staff(OwnAccount), handlers::update;
    POST "/views/{id}/delete" => Staff(OwnAccount), handlers::delete;
}
