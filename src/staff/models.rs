use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::policy::Role;
use crate::db::schema::{teams, users};
use crate::domain::ids::{TeamId, UserId};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub active: bool,
    pub session_epoch: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
}

#[derive(Insertable, Debug)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub active: bool,
    pub session_epoch: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What an admin may change on a user (the password has its own form).
#[derive(AsChangeset, Debug)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserChanges<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub active: bool,
    pub updated_at: NaiveDateTime,
}

/// A row of the admin users list.
#[derive(Queryable, Debug, Clone)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub last_login_at: Option<NaiveDateTime>,
    pub team_name: Option<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = teams)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct TeamRow {
    pub team: Team,
    pub members: i64,
}
