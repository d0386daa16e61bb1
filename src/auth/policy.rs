//! Who may do what, decided here and nowhere else. Roles grant actions;
//! each role's record scope (own / team / all, set by an admin) filters
//! which records every query of a module returns.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Manager,
    Sales,
    Support,
    Marketing,
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
    /// One's own tasks, and tasks on records one can see.
    Tasks,
    ManageUsers,
    ManageTeams,
    ManageRoles,
    ViewAudit,
    /// See background jobs and the mail outbox; retry failed jobs.
    ManageJobs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    Own,
    Team,
    All,
}

/// Whose records a query may return.
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    pub user_id: i64,
    pub team_id: Option<i64>,
    pub scope: Scope,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Manager,
        Role::Sales,
        Role::Support,
        Role::Marketing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Sales => "sales",
            Role::Support => "support",
            Role::Marketing => "marketing",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Manager => "Manager",
            Role::Sales => "Sales",
            Role::Support => "Support",
            Role::Marketing => "Marketing",
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
                    | Tasks
            ),
            Role::Sales | Role::Support => matches!(
                action,
                OwnAccount | ContactsRead | ContactsWrite | AccountsRead | AccountsWrite | Tasks
            ),
        }
    }
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Own, Scope::Team, Scope::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Own => "own",
            Scope::Team => "team",
            Scope::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Scope::Own => "Own records",
            Scope::Team => "Team's records",
            Scope::All => "All records",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_administer() {
        for role in Role::ALL {
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
    }

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Scope::parse("team"), Some(Scope::Team));
    }
}
