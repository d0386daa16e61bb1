//! Contacts: the people a business deals with, their owner and timeline.

mod detail;
pub mod domain;
pub mod duplicate_scan;
mod duplicates;
pub mod forms;
mod handlers;
mod merge;
mod record;
pub mod repo;
pub mod save;
mod search;
mod views;

pub use views::LIST;

use crate::auth::policy::Action::{ContactsDelete, ContactsMerge, ContactsRead, ContactsWrite};
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/contacts" => Staff(ContactsRead), handlers::list;
    GET "/contacts/new" => Staff(ContactsWrite), handlers::new_form;
    GET "/contacts/account-suggestions" => Staff(ContactsWrite), handlers::account_suggestions;
    GET "/contacts/duplicates" => Staff(ContactsMerge), merge::list;
    POST "/contacts" => Staff(ContactsWrite), handlers::create;
    GET "/contacts/{id}" => Staff(ContactsRead), handlers::show;
    GET "/contacts/{id}/edit" => Staff(ContactsWrite), handlers::edit_form;
    POST "/contacts/{id}" => Staff(ContactsWrite), handlers::update;
    POST "/contacts/{id}/delete" => Staff(ContactsDelete), crate::records::delete::<crate::records::ContactRecord>;
    POST "/contacts/{id}/activities" => Staff(ContactsWrite), crate::records::add_activity::<crate::records::ContactRecord>;
    GET "/contacts/{id}/merge/{other}" => Staff(ContactsMerge), merge::form;
    POST "/contacts/{id}/merge/{other}" => Staff(ContactsMerge), merge::submit;
}
