//! What every staff page's layout needs, and pagination.

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

/// Offset pagination bounded to sane page numbers.
#[derive(Clone, Copy, Debug)]
pub struct Pager {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
}

impl Pager {
    pub const MAX_PAGE: i64 = 10_000;

    pub fn new(requested: Option<i64>, per_page: i64, total: i64) -> Pager {
        let last = ((total + per_page - 1) / per_page).max(1);
        let page = requested.unwrap_or(1).clamp(1, last.min(Self::MAX_PAGE));
        Pager {
            page,
            per_page,
            total,
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn last_page(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }

    pub fn has_prev(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.last_page()
    }

    pub fn first_row(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.offset() + 1
        }
    }

    pub fn last_row(&self) -> i64 {
        (self.offset() + self.per_page).min(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::Pager;

    #[test]
    fn pages_are_clamped() {
        let p = Pager::new(Some(99), 25, 60);
        assert_eq!((p.page, p.offset(), p.last_page()), (3, 50, 3));
        assert_eq!((p.first_row(), p.last_row()), (51, 60));
        let p = Pager::new(Some(-4), 25, 0);
        assert_eq!(
            (p.page, p.first_row(), p.last_row(), p.has_next()),
            (1, 0, 0, false)
        );
    }
}
