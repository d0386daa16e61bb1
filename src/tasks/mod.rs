//! Tasks: follow-ups with a due day, an assignee and a linked record;
//! "My tasks" groups them into overdue, today and upcoming.
//!
//! A contact's or account's page shows its open tasks by including
//! `templates/tasks/_panel.html` with a `views::TaskPanel` field named
//! `task_panel` (built from `repo::open_for(record)`).

pub mod domain;
pub mod forms;
mod handlers;
pub mod repo;
pub mod save;
pub mod views;

use crate::auth::policy::Action::Tasks;
use crate::route_table;
use crate::web::Access::Staff;

route_table! {
    GET "/tasks" => Staff(Tasks), handlers::mine;
    GET "/tasks/new" => Staff(Tasks), handlers::new_form;
    POST "/tasks" => Staff(Tasks), handlers::create;
    POST "/tasks/{id}/complete" => Staff(Tasks), handlers::complete;
    POST "/tasks/{id}/reopen" => Staff(Tasks), handlers::reopen;
}
