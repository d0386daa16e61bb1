//! Accounts: the companies contacts belong to, with their own timeline.

pub mod domain;
pub mod forms;
mod handlers;
mod record;
pub mod repo;
pub mod save;
mod views;

pub use views::LIST;

use crate::auth::policy::Action::{AccountsDelete, AccountsRead, AccountsWrite};
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/accounts" => Staff(AccountsRead), handlers::list;
    GET "/accounts/new" => Staff(AccountsWrite), handlers::new_form;
    POST "/accounts" => Staff(AccountsWrite), handlers::create;
    GET "/accounts/{id}" => Staff(AccountsRead), handlers::show;
    GET "/accounts/{id}/edit" => Staff(AccountsWrite), handlers::edit_form;
    POST "/accounts/{id}" => Staff(AccountsWrite), handlers::update;
    POST "/accounts/{id}/delete" => Staff(AccountsDelete), crate::records::delete::<crate::records::AccountRecord>;
    POST "/accounts/{id}/activities" => Staff(AccountsWrite), crate::records::add_activity::<crate::records::AccountRecord>;
}
