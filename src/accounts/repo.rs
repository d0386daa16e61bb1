//! Account queries. Every read goes through `visible`, which applies the
//! viewer's record scope (through the account's owner), like contacts.

use diesel::dsl::{InnerJoin, IntoBoxed};
use diesel::prelude::*;

use crate::auth::policy::{Scope, Viewer};
use crate::db::schema::{accounts, users};
use crate::db::{Backend, DbConn, last_insert_id, now};

pub type Visible = IntoBoxed<'static, InnerJoin<accounts::table, users::table>, Backend>;

/// Accounts joined with their owner, filtered to the viewer's scope.
pub fn visible(viewer: &Viewer) -> Visible {
    let q = accounts::table.inner_join(users::table).into_boxed();
    match (viewer.scope, viewer.team_id) {
        (Scope::All, _) => q,
        (Scope::Team, Some(team)) => q.filter(users::team_id.eq(team)),
        _ => q.filter(accounts::owner_id.eq(viewer.user_id)),
    }
}

/// The visible account with exactly this name (case-insensitive), if any.
pub fn find_visible_by_name(
    conn: &mut DbConn,
    viewer: &Viewer,
    name: &str,
) -> QueryResult<Option<(i64, String)>> {
    visible(viewer)
        .filter(accounts::name.eq(name))
        .order(accounts::id.asc())
        .select((accounts::id, accounts::name))
        .first(conn)
        .optional()
}

/// An account with just a name, as created from a contact's company field or an import.
pub fn insert_named(conn: &mut DbConn, name: &str, owner_id: i64) -> QueryResult<i64> {
    let t = now();
    diesel::insert_into(accounts::table)
        .values((
            accounts::name.eq(name),
            accounts::owner_id.eq(owner_id),
            accounts::created_at.eq(t),
            accounts::updated_at.eq(t),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

/// The visible account of that name, or a new one owned by `owner_id`.
pub fn find_or_create(
    conn: &mut DbConn,
    viewer: &Viewer,
    name: &str,
    owner_id: i64,
) -> QueryResult<i64> {
    match find_visible_by_name(conn, viewer, name)? {
        Some((id, _)) => Ok(id),
        None => insert_named(conn, name, owner_id),
    }
}

/// Names starting with `prefix`, for the company field's suggestions.
pub fn suggest(
    conn: &mut DbConn,
    viewer: &Viewer,
    prefix: &str,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let mut pattern = crate::db::contains_pattern(prefix);
    pattern.remove(0);
    visible(viewer)
        .filter(accounts::name.like(pattern).escape('\\'))
        .order(accounts::name.asc())
        .select(accounts::name)
        .limit(limit)
        .load(conn)
}
