//! The lead pipeline: deals on a board of stages (`/leads`), their list,
//! pages and forms, and moves between stages with optimistic concurrency.
//! Deals are a record type (timeline, tags) like contacts and accounts.

mod board;
pub mod domain;
mod forecast;
mod forecast_page;
mod forms;
pub(crate) mod funnel;
pub(crate) mod funnel_page;
mod handlers;
mod lead;
mod months;
mod months_page;
pub mod moves;
mod quick;
mod record;
pub mod repo;
mod report;
pub(crate) mod save;
pub mod scoring;
mod views;

pub use views::{DealPanel, LIST};

/// Deals a contact's or account's page lists.
const PANEL_LIMIT: i64 = 20;

/// The visible deals of a contact or account, newest first, for its page.
pub fn panel(
    c: &mut crate::db::DbConn,
    user: &crate::web::CurrentUser,
    record: crate::records::RecordRef,
) -> crate::error::AppResult<DealPanel> {
    let reach = repo::Reach::of(c, &user.viewer())?;
    Ok(DealPanel {
        record,
        rows: repo::of_record(c, &reach, record, PANEL_LIMIT)?,
        can_create: user.can(crate::auth::policy::Action::DealsWrite),
    })
}

use crate::auth::policy::Action::{DealsDelete, DealsRead, DealsWrite, RetrainScores};
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/leads" => Staff(DealsRead), handlers::board;
    GET "/leads/list" => Staff(DealsRead), handlers::list;
    GET "/leads/forecast" => Staff(DealsRead), forecast_page::show;
    GET "/leads/funnel" => Staff(DealsRead), funnel_page::show;
    GET "/leads/scoring" => Staff(DealsRead), scoring::page::show;
    POST "/leads/scoring/retrain" => Staff(RetrainScores), scoring::page::retrain;
    GET "/leads/forecast/board" => Staff(DealsRead), months_page::show;
    GET "/leads/stages/{id}" => Staff(DealsRead), handlers::column;
    POST "/leads/stages/{id}/deals" => Staff(DealsWrite), quick::create;
    GET "/leads/new" => Staff(DealsWrite), handlers::new_form;
    GET "/leads/new-lead" => Staff(DealsWrite), lead::new_form;
    POST "/leads/new-lead" => Staff(DealsWrite), lead::create;
    POST "/leads" => Staff(DealsWrite), handlers::create;
    GET "/leads/{id}" => Staff(DealsRead), handlers::show;
    GET "/leads/{id}/edit" => Staff(DealsWrite), handlers::edit_form;
    POST "/leads/{id}" => Staff(DealsWrite), handlers::update;
    POST "/leads/{id}/move" => Staff(DealsWrite), handlers::move_deal;
    POST "/leads/{id}/close-month" => Staff(DealsWrite), months_page::move_deal;
    POST "/leads/{id}/delete" => Staff(DealsDelete), crate::records::delete::<crate::records::DealRecord>;
    POST "/leads/{id}/activities" => Staff(DealsWrite), crate::records::add_activity::<crate::records::DealRecord>;
}
