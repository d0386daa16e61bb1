//! What every staff page's layout needs, and pagination.

use crate::auth::policy::Action;
use crate::web::CurrentUser;
use crate::web::nav::{NavLink, Section};

/// Layout data: who is signed in, which nav section is active, the CSRF
/// token for forms and htmx, and a one-time flash message.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub user_name: String,
    pub role_label: &'static str,
    pub csrf: String,
    pub flash: Option<String>,
    pub section: Section,
    pub show_admin: bool,
}

impl Chrome {
    pub fn new(user: &CurrentUser, section: Section) -> Chrome {
        Chrome {
            user_name: user.name.clone(),
            role_label: user.role.label(),
            csrf: user.csrf.clone(),
            flash: user.flash.clone(),
            section,
            show_admin: user.can(Action::ManageUsers),
        }
    }

    /// The top bar's links, the current one marked.
    pub fn nav(&self) -> Vec<NavLink> {
        Section::main_nav(self.section, self.show_admin)
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

/// Offset pagination bounded to sane page numbers. Totals may be capped
/// (`Pager::capped`): past the cap the pager knows only whether a next page
/// exists, which the caller tells it by fetching one row more than a page.
#[derive(Clone, Copy, Debug)]
pub struct Pager {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    /// `total` is the real count (not capped).
    pub exact: bool,
    /// For capped totals: a row beyond this page exists.
    pub more: bool,
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
            exact: true,
            more: false,
        }
    }

    /// `counted` is a count that stopped at `cap + 1`.
    pub fn capped(requested: Option<i64>, per_page: i64, counted: i64, cap: i64) -> Pager {
        if counted <= cap {
            return Pager::new(requested, per_page, counted);
        }
        let page = requested.unwrap_or(1).clamp(1, Self::MAX_PAGE);
        Pager {
            page,
            per_page,
            total: cap,
            exact: false,
            more: false,
        }
    }

    /// Rows to fetch: a page, plus one to learn whether another follows.
    pub fn fetch(&self) -> i64 {
        self.per_page + 1
    }

    /// Trims the extra row fetched by `fetch` and remembers it existed.
    pub fn take<T>(&mut self, mut rows: Vec<T>) -> Vec<T> {
        self.more = rows.len() as i64 > self.per_page;
        rows.truncate(self.per_page as usize);
        rows
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
        if self.exact {
            self.page < self.last_page()
        } else {
            self.more
        }
    }

    pub fn first_row(&self) -> i64 {
        if self.exact && self.total == 0 {
            0
        } else {
            self.offset() + 1
        }
    }

    pub fn last_row(&self) -> i64 {
        if self.exact {
            (self.offset() + self.per_page).min(self.total)
        } else {
            self.offset() + self.per_page
        }
    }

    /// "320", or "1,000+" when capped.
    pub fn total_label(&self) -> String {
        let n = self.total.to_string();
        let mut grouped = String::new();
        for (i, ch) in n.chars().enumerate() {
            if i > 0 && (n.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        if self.exact {
            grouped
        } else {
            format!("{grouped}+")
        }
    }
}

/// Links and marks for a sortable, filterable list (`/contacts`, `/accounts`).
pub mod sorting {
    /// `{base}?{filters}&sort=…&dir=…[&page=…]`.
    pub fn list_url(base: &str, filters: &str, sort: &str, desc: bool, page: i64) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        s.append_pair("sort", sort);
        s.append_pair("dir", if desc { "desc" } else { "asc" });
        if page > 1 {
            s.append_pair("page", &page.to_string());
        }
        let sep = if filters.is_empty() { "" } else { "&" };
        format!("{base}?{filters}{sep}{}", s.finish())
    }

    /// The arrow shown in the header of the sorted column.
    pub fn mark(current: bool, desc: bool) -> &'static str {
        match (current, desc) {
            (false, _) => "",
            (true, false) => "▲",
            (true, true) => "▼",
        }
    }

    /// The header's `aria-sort` value.
    pub fn aria(current: bool, desc: bool) -> &'static str {
        match (current, desc) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        }
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

    #[test]
    fn capped_totals_page_by_lookahead() {
        let exact = Pager::capped(Some(3), 25, 60, 1000);
        assert!(exact.exact && exact.page == 3 && exact.total_label() == "60");
        let mut p = Pager::capped(Some(200), 25, 1001, 1000);
        assert_eq!((p.page, p.offset(), p.fetch()), (200, 4975, 26));
        let rows = p.take((0..26).collect::<Vec<_>>());
        assert_eq!(
            (rows.len(), p.has_next(), p.total_label()),
            (25, true, "1,000+".to_string())
        );
        p.take(vec![1, 2]);
        assert!(!p.has_next());
        assert_eq!(p.first_row(), 4976);
    }

    #[test]
    fn list_urls_keep_filters() {
        use super::sorting::list_url;
        assert_eq!(
            list_url("/contacts", "", "name", false, 1),
            "/contacts?sort=name&dir=asc"
        );
        assert_eq!(
            list_url("/accounts", "q=a+b", "updated", true, 3),
            "/accounts?q=a+b&sort=updated&dir=desc&page=3"
        );
    }
}
