//! What every staff page's layout needs (lists: see `web::list`).

use crate::auth::policy::Action;
use crate::web::CurrentUser;
use crate::web::nav::{NavLink, Section};

/// Layout data: who is signed in, which nav section is active, the CSRF
/// token for forms and htmx, and a one-time flash message.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub user_name: String,
    /// A message key.
    pub role_label: &'static str,
    pub csrf: String,
    pub flash: Option<String>,
    pub section: Section,
    pub show_admin: bool,
    pub show_campaigns: bool,
    /// The viewer's language and time zone (templates call `chrome.locale.t(…)`).
    pub locale: crate::i18n::Locale,
}

impl Chrome {
    pub fn new(user: &CurrentUser, section: Section) -> Chrome {
        Chrome {
            user_name: user.name.clone(),
            role_label: user.role.label_key(),
            csrf: user.csrf.clone(),
            flash: user.flash.clone(),
            section,
            show_admin: user.can(Action::ManageUsers),
            show_campaigns: user.can(Action::Campaigns),
            locale: user.locale,
        }
    }

    /// The top bar's links, the current one marked.
    pub fn nav(&self) -> Vec<NavLink> {
        Section::main_nav(self.section, self.show_admin, self.show_campaigns)
    }

    /// On one's own account page (the name in the top bar is current).
    pub fn on_own_account(&self) -> bool {
        self.section == Section::Account
    }

    /// `hx-headers` value for <body>: htmx sends the token on every request.
    pub fn hx_headers(&self) -> String {
        format!(r#"{{"X-CSRF-Token": "{}"}}"#, self.csrf)
    }
}
