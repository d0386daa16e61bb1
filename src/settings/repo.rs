//! The workspace's one row of settings.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::workspace_settings as ws;
use crate::i18n::repo::WORKSPACE_ROW as ROW;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = ws)]
pub struct Workspace {
    pub company_name: String,
    pub company_address: String,
    pub language: String,
    pub time_zone: String,
    pub currency: String,
    pub version: i64,
    pub updated_at: NaiveDateTime,
    /// Document number prefixes (quotes, orders): `QT-2026-000001`.
    pub quote_prefix: String,
    pub order_prefix: String,
    /// Days a sent quote stays valid (`orders::domain::valid_until`).
    pub quote_valid_days: i32,
    /// Opens and clicks kept per campaign recipient (else only counted).
    pub track_individuals: bool,
}

#[derive(AsChangeset, Debug)]
#[diesel(table_name = ws)]
pub struct WorkspaceChanges<'a> {
    pub company_name: &'a str,
    pub company_address: &'a str,
    pub language: &'a str,
    pub time_zone: &'a str,
    pub currency: &'a str,
    pub updated_at: NaiveDateTime,
    pub quote_prefix: &'a str,
    pub order_prefix: &'a str,
    pub quote_valid_days: i32,
    pub track_individuals: bool,
}

pub fn get(conn: &mut DbConn) -> QueryResult<Workspace> {
    ws::table
        .find(ROW)
        .select(Workspace::as_select())
        .first(conn)
}

/// Saves the settings if nobody saved since `version` was read; false when
/// someone did (the caller shows their values).
pub fn update(conn: &mut DbConn, changes: &WorkspaceChanges, version: i64) -> QueryResult<bool> {
    let n = diesel::update(ws::table.find(ROW).filter(ws::version.eq(version)))
        .set((changes, ws::version.eq(version + 1)))
        .execute(conn)?;
    Ok(n == 1)
}
