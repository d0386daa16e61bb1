//! Signing in and out, first-run setup, and one's own account.

pub mod forms;
mod handlers;
pub mod password;
pub mod policy;
pub mod throttle;
mod views;

use crate::route_table;
use crate::web::Access::{Public, Staff};
use policy::Action;

route_table! {
    GET "/" => Public, handlers::root;
    GET "/setup" => Public, handlers::setup_form;
    POST "/setup" => Public, handlers::setup_submit;
    GET "/login" => Public, handlers::login_form;
    POST "/login" => Public, handlers::login_submit;
    POST "/logout" => Public, handlers::logout;
    GET "/account" => Staff(Action::OwnAccount), handlers::account_page;
    POST "/account/password" => Staff(Action::OwnAccount), handlers::change_password;
    POST "/account/locale" => Staff(Action::OwnAccount), handlers::save_locale;
    POST "/account/sessions/revoke" => Staff(Action::OwnAccount), handlers::revoke_sessions;
}
