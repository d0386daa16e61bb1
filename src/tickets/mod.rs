//! Ticket queues (`/tickets`): support agents work queues ordered by SLA
//! urgency over business hours, take the next ticket atomically, reply by
//! email (threaded, through the outbox) or note internally; customers
//! read and answer on a signed page without an account, open tickets with
//! the public support form and rate the answer (CSAT); managers watch
//! queue health on a dashboard of weekly charts. Tickets are a
//! record type on the shared timeline. See docs/tickets.md.

mod admin;
mod calendars;
mod canned;
pub mod conversation;
pub mod dashboard;
mod dashboard_page;
pub mod domain;
mod handlers;
pub mod inbound;
pub mod insights;
pub mod links;
pub mod list;
mod policies;
mod public;
pub mod repo;
pub mod seed;
mod setup;
pub mod setup_forms;
pub mod setup_repo;
pub mod stats;
mod views;
pub mod write;

pub use inbound::open_or_append;

use crate::auth::policy::Action::{ManageTickets, TicketsRead, TicketsWrite};
use crate::route_table;
use crate::web::Access::{Public, Staff};

route_table! {
    GET "/tickets" => Staff(TicketsRead), handlers::list;
    POST "/tickets/take" => Staff(TicketsWrite), handlers::take_next;
    POST "/tickets/bulk" => Staff(TicketsWrite), handlers::bulk;
    GET "/tickets/new" => Staff(TicketsWrite), handlers::new_form;
    POST "/tickets" => Staff(TicketsWrite), handlers::create;
    GET "/tickets/dashboard" => Staff(ManageTickets), dashboard_page::show;
    GET "/tickets/queues" => Staff(ManageTickets), admin::list;
    POST "/tickets/queues" => Staff(ManageTickets), admin::create;
    POST "/tickets/queues/{id}" => Staff(ManageTickets), admin::update;
    GET "/tickets/calendars" => Staff(ManageTickets), calendars::list;
    POST "/tickets/calendars" => Staff(ManageTickets), calendars::create;
    GET "/tickets/calendars/{id}" => Staff(ManageTickets), calendars::edit;
    POST "/tickets/calendars/{id}" => Staff(ManageTickets), calendars::update;
    POST "/tickets/calendars/{id}/delete" => Staff(ManageTickets), calendars::delete;
    POST "/tickets/calendars/{id}/holidays" => Staff(ManageTickets), calendars::add_holiday;
    POST "/tickets/calendars/{id}/holidays/delete" => Staff(ManageTickets), calendars::remove_holiday;
    GET "/tickets/policies" => Staff(ManageTickets), policies::list;
    POST "/tickets/policies" => Staff(ManageTickets), policies::create;
    GET "/tickets/policies/{id}" => Staff(ManageTickets), policies::edit;
    POST "/tickets/policies/{id}" => Staff(ManageTickets), policies::update;
    POST "/tickets/policies/{id}/delete" => Staff(ManageTickets), policies::delete;
    GET "/tickets/canned" => Staff(ManageTickets), canned::list;
    POST "/tickets/canned" => Staff(ManageTickets), canned::create;
    GET "/tickets/canned/{id}" => Staff(ManageTickets), canned::edit;
    POST "/tickets/canned/{id}" => Staff(ManageTickets), canned::update;
    POST "/tickets/canned/{id}/delete" => Staff(ManageTickets), canned::delete;
    GET "/tickets/{id}" => Staff(TicketsRead), handlers::show;
    GET "/tickets/{id}/viewers" => Staff(TicketsRead), handlers::viewers;
    POST "/tickets/{id}/messages" => Staff(TicketsWrite), handlers::add_message;
    POST "/tickets/{id}/canned" => Staff(TicketsWrite), canned::insert;
    POST "/tickets/{id}/status" => Staff(TicketsWrite), handlers::set_status;
    POST "/tickets/{id}/assign" => Staff(TicketsWrite), handlers::assign;
    POST "/tickets/{id}/links" => Staff(TicketsWrite), handlers::set_links;
    POST "/tickets/{id}/triage" => Staff(TicketsWrite), handlers::triage;
    GET "/tickets/{id}/attachments/{other}" => Staff(TicketsRead), handlers::attachment;
    GET "/t/{token:[A-Za-z0-9_-]+}" => Public, public::ticket_page;
    POST "/t/{token:[A-Za-z0-9_-]+}" => Public, public::ticket_reply;
    GET "/t/{token:[A-Za-z0-9_-]+}/files/{id}" => Public, public::ticket_file;
    GET "/support" => Public, public::support_form;
    POST "/support" => Public, public::support_submit;
    GET "/csat/{token:[A-Za-z0-9_-]+}" => Public, public::csat_form;
    POST "/csat/{token:[A-Za-z0-9_-]+}" => Public, public::csat_submit;
}
