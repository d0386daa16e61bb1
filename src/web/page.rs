//! What every staff page's layout needs (lists: see `web::list`).

use crate::auth::policy::Action;
use crate::web::CurrentUser;

/// Layout data: who is signed in, which nav section is active, the CSRF
/// token for forms and htmx, and a one-time flash message.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub user_name: String,
    pub role_label: &'static str,
    pub csrf: String,
    pub flash: Option<String>,
    pub section: &'static str,
    pub show_admin: bool,
}

impl Chrome {
    pub fn new(user: &CurrentUser, section: &'static str) -> Chrome {
        Chrome {
            user_name: user.name.clone(),
            role_label: user.role.label(),
            csrf: user.csrf.clone(),
            flash: user.flash.clone(),
            section,
            show_admin: user.can(Action::ManageUsers),
        }
    }

    /// `hx-headers` value for <body>: htmx sends the token on every request.
    pub fn hx_headers(&self) -> String {
        format!(r#"{{"X-CSRF-Token": "{}"}}"#, self.csrf)
    }
}
