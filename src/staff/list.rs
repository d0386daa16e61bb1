//! The admin user list: its orders and filters (`web::list`).

use crate::auth::policy::Role;
use crate::web::list::{Col, FilterSet, NoFilters, Params};

crate::sort_keys! {
    /// The orders of the admin user list.
    pub enum UserSort: "users.id", default Name {
        /// Active users first, then by name.
        Name: "name", asc, [Col::int("CASE WHEN users.active THEN 0 ELSE 1 END"), Col::text("users.name")];
        Email: "email", asc, [Col::text("users.email")];
        Role: "role", asc, [Col::text("users.role")];
        LastLogin: "last_login", desc, [Col::time("users.last_login_at").nullable()];
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserFilters {
    pub role: Option<Role>,
    /// Some(true): active only; Some(false): deactivated only.
    pub active: Option<bool>,
    pub team: Option<i64>,
}

impl FilterSet for UserFilters {
    fn parse(p: &Params) -> UserFilters {
        UserFilters {
            role: Role::parse(p.get("role").trim()),
            active: match p.get("status").trim() {
                "active" => Some(true),
                "deactivated" => Some(false),
                _ => None,
            },
            team: p.id("team"),
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(r) = self.role {
            out.push(("role", r.as_str().to_string()));
        }
        if let Some(a) = self.active {
            out.push((
                "status",
                if a { "active" } else { "deactivated" }.to_string(),
            ));
        }
        if let Some(t) = self.team {
            out.push(("team", t.to_string()));
        }
        out
    }
}

pub type UserListOptions = crate::web::list::ListOptions<UserSort, UserFilters>;

crate::sort_keys! {
    /// The admin team list, by name (`uq_teams_name`).
    pub enum TeamSort: "teams.id", default Name {
        Name: "name", asc, [Col::text("teams.name")];
    }
}

pub type TeamListOptions = crate::web::list::ListOptions<TeamSort, NoFilters>;
