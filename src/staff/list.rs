//! The admin user list: its orders and filters (`web::list`).

use crate::auth::policy::Role;
use crate::web::list::{Col, FilterSet, Params, SortKey};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserSort {
    /// Active users first, then by name.
    Name,
    Email,
    Role,
    LastLogin,
}

impl SortKey for UserSort {
    const ALL: &'static [UserSort] = &[
        UserSort::Name,
        UserSort::Email,
        UserSort::Role,
        UserSort::LastLogin,
    ];
    const DEFAULT: UserSort = UserSort::Name;
    const ID: &'static str = "users.id";

    fn key(self) -> &'static str {
        match self {
            UserSort::Name => "name",
            UserSort::Email => "email",
            UserSort::Role => "role",
            UserSort::LastLogin => "last_login",
        }
    }

    fn default_desc(self) -> bool {
        self == UserSort::LastLogin
    }

    fn columns(self) -> &'static [Col] {
        const NAME: [Col; 2] = [
            Col::int("CASE WHEN users.active THEN 0 ELSE 1 END"),
            Col::text("users.name"),
        ];
        const EMAIL: [Col; 1] = [Col::text("users.email")];
        const ROLE: [Col; 1] = [Col::text("users.role")];
        const LAST: [Col; 1] = [Col::time("users.last_login_at").nullable()];
        match self {
            UserSort::Name => &NAME,
            UserSort::Email => &EMAIL,
            UserSort::Role => &ROLE,
            UserSort::LastLogin => &LAST,
        }
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
