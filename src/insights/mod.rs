//! Insights (`/insights`): the CRM's metrics over the viewer's records —
//! revenue, new and returning customers, CLV, churn, retention cohorts,
//! lifecycle stages, the pipeline's forecast against actual, win rate,
//! deal size, cycle length, funnel and lost reasons, targets, attainment
//! and commission — as server-rendered
//! charts with their tables and CSV exports. docs/insights.md.

mod admin;
pub mod domain;
mod handlers;
pub mod job;
pub mod page;
pub mod recommend;
pub mod repo;
pub mod sections;
pub mod segments;
pub mod settings;
pub mod targets;
mod views;

use crate::auth::policy::Action::{InsightsRead, ManageSettings};
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/insights" => Staff(InsightsRead), handlers::show;
    GET "/insights/export" => Staff(InsightsRead), handlers::export;
    GET "/admin/insights" => Staff(ManageSettings), admin::show;
    POST "/admin/insights" => Staff(ManageSettings), admin::save;
    POST "/admin/insights/run" => Staff(ManageSettings), admin::run;
    GET "/insights/commission" => Staff(InsightsRead), targets::report_page::show;
    GET "/insights/commission/export" => Staff(InsightsRead), targets::report_page::export;
    GET "/admin/targets" => Staff(ManageSettings), targets::admin::show;
    POST "/admin/targets" => Staff(ManageSettings), targets::admin::save_target;
    POST "/admin/targets/plan" => Staff(ManageSettings), targets::admin::save_plan;
    POST "/admin/targets/copy" => Staff(ManageSettings), targets::admin::copy_previous;
}
