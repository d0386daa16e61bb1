//! Pipelines and their stages, and the lost-reason catalogue: what the lead
//! board is made of. Admins shape them under /admin; `repo` is read by the
//! deals module.

mod delete;
pub mod domain;
mod forms;
mod handlers;
pub mod repo;
mod views;

use crate::auth::policy::Action::ManagePipelines;
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/admin/pipelines" => Staff(ManagePipelines), handlers::pipelines;
    POST "/admin/pipelines" => Staff(ManagePipelines), handlers::create_pipeline;
    GET "/admin/pipelines/{id}" => Staff(ManagePipelines), handlers::stages;
    POST "/admin/pipelines/{id}" => Staff(ManagePipelines), handlers::update_pipeline;
    POST "/admin/pipelines/{id}/stages" => Staff(ManagePipelines), handlers::create_stage;
    POST "/admin/stages/{id}" => Staff(ManagePipelines), handlers::update_stage;
    POST "/admin/stages/{id}/delete" => Staff(ManagePipelines), delete::delete_stage;
    POST "/admin/pipelines/{id}/delete" => Staff(ManagePipelines), delete::delete_pipeline;
    GET "/admin/lost-reasons" => Staff(ManagePipelines), handlers::reasons;
    POST "/admin/lost-reasons" => Staff(ManagePipelines), handlers::create_reason;
    POST "/admin/lost-reasons/{id}" => Staff(ManagePipelines), handlers::update_reason;
}
