//! Segments (`/segments`): saved filters over contacts — tags, lifecycle,
//! consent, city and country, owner, created date and order facts — or
//! static lists of addresses, evaluated in SQL (`repo::matching`) with a
//! live count and sample as the filter is edited. Campaigns freeze a
//! segment's subscribed contacts into their ledger at launch.

pub mod domain;
mod handlers;
pub mod repo;
mod views;

use crate::auth::policy::Action::Campaigns;
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/segments" => Staff(Campaigns), handlers::list;
    GET "/segments/new" => Staff(Campaigns), handlers::new_form;
    POST "/segments" => Staff(Campaigns), handlers::create;
    GET "/segments/{id}" => Staff(Campaigns), handlers::edit_form;
    POST "/segments/{id}" => Staff(Campaigns), handlers::update;
}
