//! Saved view queries. Reads return the viewer's own views and those their
//! team mates share; writes touch only the viewer's own (`user_id`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{saved_views, users};
use crate::db::{DbConn, last_insert_id, now};

/// Whose views: the user, and their team for shared ones.
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    pub user_id: i64,
    pub team_id: Option<i64>,
}

impl From<&crate::web::CurrentUser> for Viewer {
    fn from(u: &crate::web::CurrentUser) -> Viewer {
        Viewer {
            user_id: u.id,
            team_id: u.team_id,
        }
    }
}

#[derive(Queryable, Debug, Clone)]
pub struct ViewRow {
    pub id: i64,
    pub user_id: i64,
    pub list: String,
    pub name: String,
    pub query_string: String,
    pub pinned: bool,
    pub shared: bool,
    pub updated_at: NaiveDateTime,
    pub owner_name: String,
}

type RowColumns = (
    saved_views::id,
    saved_views::user_id,
    saved_views::list,
    saved_views::name,
    saved_views::query_string,
    saved_views::pinned,
    saved_views::shared,
    saved_views::updated_at,
    users::name,
);

/// The columns of a `ViewRow`.
fn row_columns() -> RowColumns {
    (
        saved_views::id,
        saved_views::user_id,
        saved_views::list,
        saved_views::name,
        saved_views::query_string,
        saved_views::pinned,
        saved_views::shared,
        saved_views::updated_at,
        users::name,
    )
}

pub struct NewView<'a> {
    pub list: &'a str,
    pub name: &'a str,
    pub query_string: &'a str,
    pub pinned: bool,
    pub shared: bool,
}

/// The views `viewer` sees (of one list, or all), by list and name.
pub fn visible(c: &mut DbConn, viewer: Viewer, list: Option<&str>) -> QueryResult<Vec<ViewRow>> {
    let mut q = saved_views::table.inner_join(users::table).into_boxed();
    q = match viewer.team_id {
        Some(team) => q.filter(
            saved_views::user_id
                .eq(viewer.user_id)
                .or(saved_views::shared.eq(true).and(users::team_id.eq(team))),
        ),
        None => q.filter(saved_views::user_id.eq(viewer.user_id)),
    };
    if let Some(list) = list {
        q = q.filter(saved_views::list.eq(list.to_string()));
    }
    q.order((
        saved_views::list.asc(),
        saved_views::name.asc(),
        saved_views::id.asc(),
    ))
    .select(row_columns())
    .limit(200)
    .load(c)
}

/// One of the user's own views.
pub fn own(c: &mut DbConn, user_id: i64, id: i64) -> QueryResult<Option<ViewRow>> {
    saved_views::table
        .inner_join(users::table)
        .filter(saved_views::id.eq(id))
        .filter(saved_views::user_id.eq(user_id))
        .select(row_columns())
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, user_id: i64, v: &NewView) -> QueryResult<i64> {
    let t = now();
    diesel::insert_into(saved_views::table)
        .values((
            saved_views::user_id.eq(user_id),
            saved_views::list.eq(v.list),
            saved_views::name.eq(v.name),
            saved_views::query_string.eq(v.query_string),
            saved_views::pinned.eq(v.pinned),
            saved_views::shared.eq(v.shared),
            saved_views::created_at.eq(t),
            saved_views::updated_at.eq(t),
        ))
        .execute(c)?;
    last_insert_id(c)
}

/// Renames, pins or shares one of the user's views; 0 rows if not theirs.
pub fn update(
    c: &mut DbConn,
    user_id: i64,
    id: i64,
    name: &str,
    pinned: bool,
    shared: bool,
) -> QueryResult<usize> {
    diesel::update(
        saved_views::table
            .filter(saved_views::id.eq(id))
            .filter(saved_views::user_id.eq(user_id)),
    )
    .set((
        saved_views::name.eq(name),
        saved_views::pinned.eq(pinned),
        saved_views::shared.eq(shared),
        saved_views::updated_at.eq(now()),
    ))
    .execute(c)
}

/// Deletes one of the user's views; 0 rows if not theirs.
pub fn delete(c: &mut DbConn, user_id: i64, id: i64) -> QueryResult<usize> {
    diesel::delete(
        saved_views::table
            .filter(saved_views::id.eq(id))
            .filter(saved_views::user_id.eq(user_id)),
    )
    .execute(c)
}
