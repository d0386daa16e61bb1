//! Task queries. Reads join the assignee, contact and account so a list is
//! one query; who may act on a task is decided in `save` (its assignee, or
//! anyone who can see its record).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use diesel::dsl::sql;
use diesel::dsl::{InnerJoin, IntoBoxed, LeftJoin};
use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::domain::{NewTask, PANEL_LIMIT, TaskListOptions, TaskSort};
use crate::auth::policy::Viewer;
use crate::db::schema::{accounts, contacts, deals, tasks, users};
use crate::db::{Backend, DbConn, contains_pattern, last_insert_id, now};
use crate::domain::ids::{AccountId, ContactId, DealId, TaskId, UserId};
use crate::i18n::format::today_in;
use crate::i18n::parse_zone;
use crate::records::{RecordRef, links};
use crate::web::list::{self, Key, Keyed};

/// A task with the names a row shows (read through `joined`).
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = tasks, check_for_backend(crate::db::MultiBackend))]
pub struct TaskRow {
    pub id: TaskId,
    pub title: String,
    pub due_on: NaiveDate,
    pub done_at: Option<NaiveDateTime>,
    pub assignee_id: UserId,
    #[diesel(select_expression = users::name)]
    #[diesel(select_expression_type = users::name)]
    pub assignee_name: String,
    pub contact_id: Option<ContactId>,
    #[diesel(select_expression = contacts::first_name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::first_name>)]
    pub contact_first_name: Option<String>,
    #[diesel(select_expression = contacts::last_name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::last_name>)]
    pub contact_last_name: Option<String>,
    pub account_id: Option<AccountId>,
    #[diesel(select_expression = accounts::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<accounts::name>)]
    pub account_name: Option<String>,
    pub deal_id: Option<DealId>,
    #[diesel(select_expression = deals::title.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<deals::title>)]
    pub deal_title: Option<String>,
    /// The assignee's own zone (None = the workspace's).
    #[diesel(select_expression = users::time_zone)]
    #[diesel(select_expression_type = users::time_zone)]
    pub assignee_time_zone: Option<String>,
    #[diesel(select_expression = sql::<Text>(WORKSPACE_ZONE))]
    #[diesel(select_expression_type = SqlLiteral<Text>)]
    pub workspace_time_zone: String,
}

/// The workspace's zone, beside every row (one scalar subquery, both backends).
const WORKSPACE_ZONE: &str = "COALESCE((SELECT workspace_settings.time_zone FROM workspace_settings WHERE workspace_settings.id = 1), 'UTC')";

impl TaskRow {
    /// The assignee's time zone: their own, else the workspace's, else UTC
    /// (as `i18n::repo::user_locale` decides it).
    pub fn assignee_zone(&self) -> Tz {
        let own = self.assignee_time_zone.as_deref().and_then(parse_zone);
        own.or_else(|| parse_zone(&self.workspace_time_zone))
            .unwrap_or(Tz::UTC)
    }

    /// "Today" for the assignee at the instant `now`: due today / overdue
    /// are decided by this date.
    pub fn assignee_today(&self, now: DateTime<Utc>) -> NaiveDate {
        today_in(self.assignee_zone(), now)
    }
}

type Joined = IntoBoxed<
    'static,
    LeftJoin<
        LeftJoin<LeftJoin<InnerJoin<tasks::table, users::table>, contacts::table>, accounts::table>,
        deals::table,
    >,
    Backend,
>;

/// Tasks with their assignee, contact and account (the joins follow the
/// task's own columns).
fn joined() -> Joined {
    tasks::table
        .inner_join(users::table)
        .left_join(contacts::table)
        .left_join(accounts::table)
        .left_join(deals::table)
        .into_boxed()
}

pub fn get(conn: &mut DbConn, id: TaskId) -> QueryResult<Option<TaskRow>> {
    joined()
        .filter(tasks::id.eq(id))
        .select(TaskRow::as_select())
        .first(conn)
        .optional()
}

/// The open tasks of one person matching the search (ix_tasks_assignee).
fn open_of(assignee_id: UserId, opts: &TaskListOptions) -> Joined {
    let mut q = joined()
        .filter(tasks::assignee_id.eq(assignee_id))
        .filter(tasks::done_at.is_null());
    for term in &opts.terms {
        q = q.filter(tasks::title.like(contains_pattern(term)).escape('\\'));
    }
    q
}

/// How many open tasks match, up to the list's cap.
pub fn count_open(
    conn: &mut DbConn,
    assignee_id: UserId,
    opts: &TaskListOptions,
) -> QueryResult<i64> {
    list::count_capped(conn, open_of(assignee_id, opts).select(tasks::id))
}

/// The page of one person's open tasks the options point at, soonest first.
pub fn open_for_assignee(
    conn: &mut DbConn,
    assignee_id: UserId,
    opts: &TaskListOptions,
) -> QueryResult<Vec<TaskRow>> {
    let mut q = open_of(assignee_id, opts);
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    q.order(sql::<Text>(&opts.order_sql()))
        .offset(opts.offset())
        .limit(opts.fetch())
        .select(TaskRow::as_select())
        .load(conn)
}

impl Keyed<TaskSort> for TaskRow {
    fn id(&self) -> i64 {
        self.id.get()
    }

    fn keys(&self, _: TaskSort) -> Vec<Key> {
        vec![self.due_on.into()]
    }
}

/// Tasks of one person done at or after `since`, latest first.
pub fn done_since(
    conn: &mut DbConn,
    assignee_id: UserId,
    since: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<TaskRow>> {
    joined()
        .filter(tasks::assignee_id.eq(assignee_id))
        .filter(tasks::done_at.ge(since))
        .order((tasks::done_at.desc(), tasks::id.desc()))
        .limit(limit)
        .select(TaskRow::as_select())
        .load(conn)
}

/// Open tasks linked to a record, soonest first (for its page; the caller
/// has already checked the viewer can see the record).
pub fn open_for(conn: &mut DbConn, record: RecordRef) -> QueryResult<Vec<TaskRow>> {
    joined()
        .filter(links::tasks::is(record))
        .filter(tasks::done_at.is_null())
        .order((tasks::due_on.asc(), tasks::id.asc()))
        .limit(PANEL_LIMIT)
        .select(TaskRow::as_select())
        .load(conn)
}

/// The account's name, if the viewer's record scope reaches it.
pub fn visible_account_name(
    conn: &mut DbConn,
    viewer: &Viewer,
    account_id: AccountId,
) -> QueryResult<Option<String>> {
    crate::accounts::repo::visible(viewer)
        .filter(accounts::id.eq(account_id))
        .select(accounts::name)
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConn, t: &NewTask) -> QueryResult<TaskId> {
    let at = now();
    diesel::insert_into(tasks::table)
        .values((
            tasks::title.eq(&t.title),
            tasks::due_on.eq(t.due_on),
            tasks::assignee_id.eq(t.assignee_id),
            links::tasks::values(&t.links),
            tasks::created_by.eq(Some(t.created_by)),
            tasks::created_at.eq(at),
            tasks::updated_at.eq(at),
        ))
        .execute(conn)?;
    last_insert_id(conn).map(TaskId::new)
}

/// Marks an open task done (a done one keeps the time it was done).
pub fn complete(conn: &mut DbConn, id: TaskId) -> QueryResult<usize> {
    let at = now();
    diesel::update(tasks::table.find(id).filter(tasks::done_at.is_null()))
        .set((tasks::done_at.eq(Some(at)), tasks::updated_at.eq(at)))
        .execute(conn)
}

pub fn reopen(conn: &mut DbConn, id: TaskId) -> QueryResult<usize> {
    diesel::update(tasks::table.find(id).filter(tasks::done_at.is_not_null()))
        .set((
            tasks::done_at.eq(None::<NaiveDateTime>),
            tasks::updated_at.eq(now()),
        ))
        .execute(conn)
}
