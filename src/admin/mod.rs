//! Administration: users, teams, role scopes, the audit log, background
//! jobs (whose page lives in src/jobs) and the mail folder (`mail`).

mod audit_log;
mod forms;
mod mail;
mod roles;
mod teams;
mod users;
mod views;

use crate::auth::policy::Action::{
    ManageJobs, ManageRoles, ManageSettings, ManageTeams, ManageUsers, ViewAudit,
};
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
    GET "/admin/mail" => Staff(ManageJobs), mail::list;
    GET "/admin/mail/{file:[A-Za-z0-9_-]+}" => Staff(ManageJobs), mail::show;
    GET "/admin/mail/{file:[A-Za-z0-9_-]+}/raw" => Staff(ManageJobs), mail::download;
    POST "/admin/jobs/{id}/retry" => Staff(ManageJobs), jobs::retry;
    GET "/admin/settings" => Staff(ManageSettings), crate::settings::handlers::show;
    POST "/admin/settings" => Staff(ManageSettings), crate::settings::handlers::save;
}
