//! Administration: users, teams, role scopes, the audit log and background
//! jobs (whose page lives in src/jobs).

mod audit_log;
mod forms;
mod roles;
mod teams;
mod users;
mod views;

use crate::auth::policy::Action::{ManageJobs, ManageRoles, ManageTeams, ManageUsers, ViewAudit};
use crate::jobs::page as jobs;
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/admin" => Staff(ManageUsers), users::index;
    GET "/admin/users" => Staff(ManageUsers), users::list;
    GET "/admin/users/new" => Staff(ManageUsers), users::new_form;
    POST "/admin/users" => Staff(ManageUsers), users::create;
    GET "/admin/users/{id}/edit" => Staff(ManageUsers), users::edit_form;
    POST "/admin/users/{id}" => Staff(ManageUsers), users::update;
    POST "/admin/users/{id}/password" => Staff(ManageUsers), users::reset_password;
    POST "/admin/users/{id}/sessions/revoke" => Staff(ManageUsers), users::revoke_sessions;
    GET "/admin/teams" => Staff(ManageTeams), teams::list;
    POST "/admin/teams" => Staff(ManageTeams), teams::create;
    POST "/admin/teams/{id}" => Staff(ManageTeams), teams::rename;
    POST "/admin/teams/{id}/delete" => Staff(ManageTeams), teams::delete;
    GET "/admin/roles" => Staff(ManageRoles), roles::show;
    POST "/admin/roles" => Staff(ManageRoles), roles::save;
    GET "/admin/audit" => Staff(ViewAudit), audit_log::show;
    GET "/admin/jobs" => Staff(ManageJobs), jobs::show;
    POST "/admin/jobs/{id}/retry" => Staff(ManageJobs), jobs::retry;
}
