//! The parts of the app the top bar links to; a page names the one it
//! belongs to so its link is marked current.

use crate::i18n::key;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Contacts,
    Accounts,
    /// The lead pipeline: board, deal list and deal pages.
    Leads,
    /// Quotes, orders and the product catalogue.
    Orders,
    /// Support tickets and their queues.
    Tickets,
    Tasks,
    /// Segments and campaigns.
    Campaigns,
    Admin,
    /// One's own profile, password and sessions (the name in the top bar).
    Account,
}

/// One link of the main navigation.
pub struct NavLink {
    pub href: &'static str,
    /// A message key.
    pub label: &'static str,
    pub current: bool,
}

impl Section {
    /// The message key of the section's name in the top bar.
    pub fn label_key(self) -> &'static str {
        match self {
            Section::Contacts => key("nav-contacts"),
            Section::Accounts => key("nav-accounts"),
            Section::Leads => key("nav-leads"),
            Section::Orders => key("nav-orders"),
            Section::Tickets => key("nav-tickets"),
            Section::Tasks => key("nav-tasks"),
            Section::Campaigns => key("nav-campaigns"),
            Section::Admin => key("nav-admin"),
            Section::Account => key("account-title"),
        }
    }

    /// The main navigation, with `current` marked; Admin only when shown.
    pub fn main_nav(current: Section, show_admin: bool, show_campaigns: bool) -> Vec<NavLink> {
        let all = [
            (Section::Contacts, "/contacts"),
            (Section::Accounts, "/accounts"),
            (Section::Leads, "/leads"),
            (Section::Orders, "/orders"),
            (Section::Tickets, "/tickets"),
            (Section::Tasks, "/tasks"),
            (Section::Campaigns, "/campaigns"),
            (Section::Admin, "/admin/users"),
        ];
        all.into_iter()
            .filter(|(s, _)| show_admin || *s != Section::Admin)
            .filter(|(s, _)| show_campaigns || *s != Section::Campaigns)
            .map(|(s, href)| NavLink {
                href,
                label: s.label_key(),
                current: s == current,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_is_linked_only_when_shown_and_one_link_is_current() {
        let nav = Section::main_nav(Section::Tasks, false, false);
        assert_eq!(
            nav.iter().map(|l| l.label).collect::<Vec<_>>(),
            [
                "nav-contacts",
                "nav-accounts",
                "nav-leads",
                "nav-orders",
                "nav-tickets",
                "nav-tasks"
            ]
        );
        assert_eq!(nav.iter().filter(|l| l.current).count(), 1);
        assert_eq!(Section::main_nav(Section::Admin, true, false).len(), 7);
        assert_eq!(Section::main_nav(Section::Admin, true, true).len(), 8);
    }
}
