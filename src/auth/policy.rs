//! Who may do what, decided here and nowhere else. Roles grant actions;
//! each role's record scope (own / team / all, set by an admin) filters
//! which records every query of a module returns.

crate::text_enum! {
    /// A user's role (`users.role`, `roles.name`).
    pub enum Role {
        Admin = "admin",
        Manager = "manager",
        Sales = "sales",
        Support = "support",
        Marketing = "marketing",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// One's own profile, password and sessions.
    OwnAccount,
    ContactsRead,
    ContactsWrite,
    ContactsDelete,
    /// Choose or change a contact's owner.
    ContactsAssign,
    /// Find duplicates and merge two contacts into one.
    ContactsMerge,
    /// Bring in contacts from a CSV file.
    ContactsImport,
    /// Download the (scoped) contact list as CSV.
    ContactsExport,
    AccountsRead,
    AccountsWrite,
    AccountsDelete,
    /// The lead pipeline: the board, deal pages and lists.
    DealsRead,
    /// Create, edit and move deals (within the record scope).
    DealsWrite,
    DealsDelete,
    /// Pipelines, their stages and the lost-reason catalogue.
    ManagePipelines,
    /// Retrain the lead-score model now (it also retrains nightly).
    RetrainScores,
    /// The product catalogue and the line editor's product search.
    ProductsRead,
    /// Create and edit products (prices, tax, stock).
    ProductsWrite,
    /// Quotes and orders (within the record scope), their printable pages.
    OrdersRead,
    /// Create, edit, send, confirm and cancel quotes and orders.
    OrdersWrite,
    /// The ticket queue and ticket pages (within the record scope).
    TicketsRead,
    /// Reply, note, assign, take next, change status; open tickets.
    TicketsWrite,
    /// Queues, SLA policies, calendars and canned responses; the queue dashboard.
    ManageTickets,
    /// One's own tasks, and tasks on records one can see.
    Tasks,
    /// Segments and campaigns: build, write, test, send, pause, see stats.
    Campaigns,
    ManageUsers,
    ManageTeams,
    ManageRoles,
    ViewAudit,
    /// See background jobs and the mail outbox; retry failed jobs.
    ManageJobs,
    /// Company details and the workspace's default language, zone, currency.
    ManageSettings,
}

crate::text_enum! {
    /// Whose records a role sees (`roles.record_scope`).
    pub enum Scope {
        Own = "own",
        Team = "team",
        All = "all",
    }
}

/// Whose records a query may return.
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    pub user_id: i64,
    pub team_id: Option<i64>,
    pub scope: Scope,
}

impl Role {
    /// The message key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Admin => crate::i18n::key("role-admin"),
            Role::Manager => crate::i18n::key("role-manager"),
            Role::Sales => crate::i18n::key("role-sales"),
            Role::Support => crate::i18n::key("role-support"),
            Role::Marketing => crate::i18n::key("role-marketing"),
        }
    }

    pub fn can(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Manager => matches!(
                action,
                OwnAccount
                    | ContactsRead
                    | ContactsWrite
                    | ContactsDelete
                    | ContactsAssign
                    | ContactsMerge
                    | ContactsImport
                    | ContactsExport
                    | AccountsRead
                    | AccountsWrite
                    | AccountsDelete
                    | DealsRead
                    | DealsWrite
                    | DealsDelete
                    | RetrainScores
                    | ProductsRead
                    | ProductsWrite
                    | OrdersRead
                    | OrdersWrite
                    | TicketsRead
                    | TicketsWrite
                    | ManageTickets
                    | Tasks
            ),
            Role::Marketing => matches!(
                action,
                OwnAccount
                    | ContactsRead
                    | ContactsWrite
                    | ContactsImport
                    | ContactsExport
                    | AccountsRead
                    | AccountsWrite
                    | DealsRead
                    | DealsWrite
                    | ProductsRead
                    | OrdersRead
                    | Tasks
                    | Campaigns
            ),
            Role::Sales | Role::Support => {
                matches!(
                    action,
                    OwnAccount
                        | ContactsRead
                        | ContactsWrite
                        | AccountsRead
                        | AccountsWrite
                        | DealsRead
                        | DealsWrite
                        | ProductsRead
                        | OrdersRead
                        | TicketsRead
                        | Tasks
                ) || (self == Role::Sales && action == OrdersWrite)
                    || (self == Role::Support && action == TicketsWrite)
            }
        }
    }
}

impl Scope {
    /// The message key of the scope's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Scope::Own => crate::i18n::key("scope-own"),
            Scope::Team => crate::i18n::key("scope-team"),
            Scope::All => crate::i18n::key("scope-all"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_administer() {
        for &role in Role::ALL {
            assert_eq!(role.can(Action::ManageUsers), role == Role::Admin);
            assert!(role.can(Action::ContactsRead));
        }
        assert!(Role::Manager.can(Action::ContactsAssign));
        assert!(!Role::Sales.can(Action::ContactsAssign));
        assert!(!Role::Sales.can(Action::ContactsDelete));
        assert!(
            !Role::Sales.can(Action::ContactsExport),
            "bulk export is not for every rep"
        );
        assert!(Role::Marketing.can(Action::ContactsImport));
        assert!(!Role::Support.can(Action::ContactsMerge));
        // Deals follow contacts: everyone reads and writes, managers delete,
        // only admins shape pipelines.
        for &role in Role::ALL {
            assert_eq!(role.can(Action::DealsRead), role.can(Action::ContactsRead));
            assert_eq!(
                role.can(Action::DealsWrite),
                role.can(Action::ContactsWrite)
            );
            assert_eq!(
                role.can(Action::DealsDelete),
                role.can(Action::ContactsDelete)
            );
            assert_eq!(role.can(Action::ManagePipelines), role == Role::Admin);
        }
    }

    #[test]
    fn products_are_kept_by_managers_and_orders_written_by_sellers() {
        for &role in Role::ALL {
            assert!(role.can(Action::ProductsRead));
            assert!(role.can(Action::OrdersRead));
            assert_eq!(
                role.can(Action::ProductsWrite),
                matches!(role, Role::Admin | Role::Manager)
            );
            assert_eq!(
                role.can(Action::OrdersWrite),
                matches!(role, Role::Admin | Role::Manager | Role::Sales)
            );
        }
    }

    #[test]
    fn support_works_tickets_and_managers_run_the_queues() {
        for &role in Role::ALL {
            assert_eq!(
                role.can(Action::TicketsRead),
                role != Role::Marketing,
                "{role:?}"
            );
            assert_eq!(
                role.can(Action::TicketsWrite),
                matches!(role, Role::Admin | Role::Manager | Role::Support)
            );
            assert_eq!(
                role.can(Action::ManageTickets),
                matches!(role, Role::Admin | Role::Manager)
            );
        }
    }

    #[test]
    fn names_round_trip() {
        for &role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Scope::parse("team"), Some(Scope::Team));
    }
}
