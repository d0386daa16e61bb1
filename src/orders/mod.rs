//! Quotes and orders (`/orders`): the one-screen line editor with totals
//! recomputed on the server by `domain::pricing`, the status workflow
//! (draft quote → sent → accepted → confirmed → fulfilled → closed, or
//! cancelled), permanent gap-free numbers from a counter row per (kind,
//! year), stock taken at confirmation in the same transaction, duplicate
//! submit protection by a one-time form key, and a printable page.
//! Orders are a record type: their events are on the timeline. See
//! docs/orders.md.

mod check;
mod document;
pub mod domain;
mod export;
mod flow;
mod forms;
mod from_deal;
mod handlers;
pub mod idem;
mod list;
mod panel;
mod public;
pub mod quote_link;
pub mod repo;
pub mod seed;
pub mod tallies;
mod views;

pub use from_deal::{WonDeal, draft_from_deal};
pub use panel::{OrderPanel, panel};

use crate::auth::policy::Action::{OrdersRead, OrdersWrite};
use crate::route_table;
use crate::web::Access::{Public, Staff};

route_table! {
    GET "/orders" => Staff(OrdersRead), handlers::list;
    GET "/orders/export.csv" => Staff(OrdersRead), export::orders;
    GET "/orders/new" => Staff(OrdersWrite), handlers::new_form;
    POST "/orders" => Staff(OrdersWrite), handlers::create;
    POST "/orders/recalc" => Staff(OrdersWrite), handlers::recalc;
    GET "/orders/{id}" => Staff(OrdersRead), document::show;
    GET "/orders/{id}/edit" => Staff(OrdersWrite), handlers::edit_form;
    POST "/orders/{id}" => Staff(OrdersWrite), handlers::update;
    POST "/orders/{id}/status" => Staff(OrdersWrite), document::transition;
    GET "/orders/{id}/print" => Staff(OrdersRead), document::print;
    GET "/q/{token:[A-Za-z0-9_-]+}" => Public, public::show;
    POST "/q/{token:[A-Za-z0-9_-]+}" => Public, public::accept;
    GET "/q/{token:[A-Za-z0-9_-]+}/download" => Public, public::download;
}
