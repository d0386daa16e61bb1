//! Contact queries. Every read goes through `visible`, which applies the
//! viewer's record scope, so a record outside it is simply not found.

use chrono::NaiveDateTime;
use diesel::dsl::{InnerJoin, IntoBoxed, count_star};
use diesel::prelude::*;

use super::domain::{ContactInput, ListOptions, Sort};
use crate::auth::policy::{Scope, Viewer};
use crate::db::schema::{activities, contacts, users};
use crate::db::{Backend, DbConn, contains_pattern, last_insert_id, now};

type Visible = IntoBoxed<'static, InnerJoin<contacts::table, users::table>, Backend>;

/// Contacts joined with their owner, filtered to the viewer's scope.
fn visible(viewer: &Viewer) -> Visible {
    let q = contacts::table.inner_join(users::table).into_boxed();
    match (viewer.scope, viewer.team_id) {
        (Scope::All, _) => q,
        (Scope::Team, Some(team)) => q.filter(users::team_id.eq(team)),
        _ => q.filter(contacts::owner_id.eq(viewer.user_id)),
    }
}

fn searched(mut q: Visible, terms: &[String]) -> Visible {
    for term in terms {
        let p = contains_pattern(term);
        q = q.filter(
            contacts::first_name
                .like(p.clone())
                .escape('\\')
                .or(contacts::last_name.like(p.clone()).escape('\\'))
                .or(contacts::email
                    .assume_not_null()
                    .like(p.clone())
                    .escape('\\'))
                .or(contacts::phone
                    .assume_not_null()
                    .like(p.clone())
                    .escape('\\'))
                .or(contacts::company_name
                    .assume_not_null()
                    .like(p)
                    .escape('\\')),
        );
    }
    q
}

#[derive(Queryable, Debug, Clone)]
pub struct ContactRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company_name: Option<String>,
    pub updated_at: NaiveDateTime,
    pub owner_name: String,
}

#[derive(Queryable, Debug, Clone)]
pub struct ContactDetail {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company_name: Option<String>,
    pub owner_id: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub owner_name: String,
}

#[derive(Queryable, Debug, Clone)]
pub struct ActivityRow {
    pub id: i64,
    pub kind: String,
    pub body: String,
    pub created_at: NaiveDateTime,
    pub author_name: String,
}

pub fn count(conn: &mut DbConn, viewer: &Viewer, opts: &ListOptions) -> QueryResult<i64> {
    searched(visible(viewer), &opts.terms)
        .select(count_star())
        .get_result(conn)
}

pub fn list(
    conn: &mut DbConn,
    viewer: &Viewer,
    opts: &ListOptions,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<ContactRow>> {
    let q = searched(visible(viewer), &opts.terms);
    let q = match (opts.sort, opts.desc) {
        (Sort::Name, false) => q.order((contacts::last_name.asc(), contacts::first_name.asc())),
        (Sort::Name, true) => q.order((contacts::last_name.desc(), contacts::first_name.desc())),
        (Sort::Company, false) => q.order(contacts::company_name.asc()),
        (Sort::Company, true) => q.order(contacts::company_name.desc()),
        (Sort::Email, false) => q.order(contacts::email.asc()),
        (Sort::Email, true) => q.order(contacts::email.desc()),
        (Sort::Updated, false) => q.order(contacts::updated_at.asc()),
        (Sort::Updated, true) => q.order(contacts::updated_at.desc()),
        (Sort::Created, false) => q.order(contacts::created_at.asc()),
        (Sort::Created, true) => q.order(contacts::created_at.desc()),
    };
    // The id breaks ties, so paging is stable.
    let q = if opts.desc {
        q.then_order_by(contacts::id.desc())
    } else {
        q.then_order_by(contacts::id.asc())
    };
    q.select((
        contacts::id,
        contacts::first_name,
        contacts::last_name,
        contacts::email,
        contacts::phone,
        contacts::company_name,
        contacts::updated_at,
        users::name,
    ))
    .offset(offset)
    .limit(limit)
    .load(conn)
}

pub fn get(conn: &mut DbConn, viewer: &Viewer, id: i64) -> QueryResult<Option<ContactDetail>> {
    visible(viewer)
        .filter(contacts::id.eq(id))
        .select((
            contacts::id,
            contacts::first_name,
            contacts::last_name,
            contacts::email,
            contacts::phone,
            contacts::company_name,
            contacts::owner_id,
            contacts::created_at,
            contacts::updated_at,
            users::name,
        ))
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConn, input: &ContactInput, owner_id: i64) -> QueryResult<i64> {
    let t = now();
    diesel::insert_into(contacts::table)
        .values((
            contacts::first_name.eq(&input.first_name),
            contacts::last_name.eq(&input.last_name),
            contacts::email.eq(input.email.as_ref().map(|e| e.as_str())),
            contacts::phone.eq(&input.phone),
            contacts::company_name.eq(&input.company_name),
            contacts::owner_id.eq(owner_id),
            contacts::created_at.eq(t),
            contacts::updated_at.eq(t),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

pub fn update(
    conn: &mut DbConn,
    id: i64,
    input: &ContactInput,
    owner_id: i64,
) -> QueryResult<usize> {
    diesel::update(contacts::table.find(id))
        .set((
            contacts::first_name.eq(&input.first_name),
            contacts::last_name.eq(&input.last_name),
            contacts::email.eq(input.email.as_ref().map(|e| e.as_str())),
            contacts::phone.eq(&input.phone),
            contacts::company_name.eq(&input.company_name),
            contacts::owner_id.eq(owner_id),
            contacts::updated_at.eq(now()),
        ))
        .execute(conn)
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<usize> {
    diesel::delete(contacts::table.find(id)).execute(conn)
}

pub fn touch(conn: &mut DbConn, id: i64) -> QueryResult<usize> {
    diesel::update(contacts::table.find(id))
        .set(contacts::updated_at.eq(now()))
        .execute(conn)
}

/// Newest first.
pub fn timeline(conn: &mut DbConn, contact_id: i64, limit: i64) -> QueryResult<Vec<ActivityRow>> {
    activities::table
        .inner_join(users::table)
        .filter(activities::contact_id.eq(contact_id))
        .order((activities::created_at.desc(), activities::id.desc()))
        .limit(limit)
        .select((
            activities::id,
            activities::kind,
            activities::body,
            activities::created_at,
            users::name,
        ))
        .load(conn)
}

pub fn add_activity(
    conn: &mut DbConn,
    contact_id: i64,
    kind: &str,
    body: &str,
    author_id: i64,
) -> QueryResult<i64> {
    diesel::insert_into(activities::table)
        .values((
            activities::contact_id.eq(contact_id),
            activities::kind.eq(kind),
            activities::body.eq(body),
            activities::author_id.eq(author_id),
            activities::created_at.eq(now()),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}
