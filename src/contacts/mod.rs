//! Contacts: the people a business deals with, their owner and timeline.

pub mod domain;
mod forms;
mod handlers;
pub mod repo;
mod save;
mod views;

use crate::auth::policy::Action::{ContactsDelete, ContactsRead, ContactsWrite};
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/contacts" => Staff(ContactsRead), handlers::list;
    GET "/contacts/new" => Staff(ContactsWrite), handlers::new_form;
    GET "/contacts/account-suggestions" => Staff(ContactsWrite), handlers::account_suggestions;
    POST "/contacts" => Staff(ContactsWrite), handlers::create;
    GET "/contacts/{id}" => Staff(ContactsRead), handlers::show;
    GET "/contacts/{id}/edit" => Staff(ContactsWrite), handlers::edit_form;
    POST "/contacts/{id}" => Staff(ContactsWrite), handlers::update;
    POST "/contacts/{id}/delete" => Staff(ContactsDelete), handlers::delete;
    POST "/contacts/{id}/activities" => Staff(ContactsWrite), handlers::add_activity;
}
