//! Queries on users, teams and roles. No HTTP here.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::list::{TeamListOptions, TeamSort, UserListOptions, UserSort};
use super::models::{NewUser, Team, TeamRow, User, UserChanges, UserRow};
use crate::auth::policy::{Role, Scope, Viewer};
use crate::db::schema::{roles, teams, users};
use crate::db::{DbConn, last_insert_id, now};
use crate::domain::ids::{TeamId, UserId};
use crate::web::list::{self, Key, Keyed};

pub fn count_users(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.select(count_star()).get_result(conn)
}

/// Serialises first-run setup across concurrent requests: an update on the
/// admin role row takes a row lock on MySQL (SQLite write transactions are
/// already exclusive), so two setup forms cannot both create an admin.
pub fn lock_setup(conn: &mut DbConn) -> QueryResult<()> {
    diesel::update(roles::table.filter(roles::name.eq(Role::Admin)))
        .set(roles::updated_at.eq(roles::updated_at))
        .execute(conn)
        .map(|_| ())
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn get_user(conn: &mut DbConn, id: UserId) -> QueryResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// The names of these users (a report's rows), by id.
pub fn names_of(conn: &mut DbConn, ids: &[UserId]) -> QueryResult<Vec<(UserId, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::name))
        .load(conn)
}

/// The user behind a signed-in request, with their role's record scope and
/// their locale (`i18n::repo::locale_of`): one query on every request.
pub fn request_user(
    conn: &mut DbConn,
    id: UserId,
) -> QueryResult<Option<(User, Scope, crate::i18n::Locale)>> {
    use crate::db::schema::workspace_settings as ws;
    let row: Option<(User, Scope, crate::i18n::repo::LocaleRow)> = users::table
        .inner_join(roles::table.on(roles::name.eq(users::role)))
        .inner_join(ws::table.on(ws::id.eq(crate::i18n::repo::WORKSPACE_ROW)))
        .filter(users::id.eq(id))
        .select((
            User::as_select(),
            roles::record_scope,
            (
                users::language,
                users::time_zone,
                ws::language,
                ws::time_zone,
            ),
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(u, scope, l)| (u, scope, crate::i18n::repo::locale_of(l))))
}

/// The user behind a session, with their role's record scope (one query).
pub fn session_user(conn: &mut DbConn, id: UserId) -> QueryResult<Option<(User, Scope)>> {
    users::table
        .inner_join(roles::table.on(roles::name.eq(users::role)))
        .filter(users::id.eq(id))
        .select((User::as_select(), roles::record_scope))
        .first(conn)
        .optional()
}

pub fn insert_user(conn: &mut DbConn, new: &NewUser) -> QueryResult<UserId> {
    diesel::insert_into(users::table)
        .values(new)
        .execute(conn)?;
    last_insert_id(conn).map(UserId::new)
}

type UserList = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::LeftJoin<users::table, teams::table>,
    crate::db::Backend,
>;

fn users_listed(opts: &UserListOptions) -> UserList {
    let mut q = users::table.left_join(teams::table).into_boxed();
    for term in &opts.terms {
        let p = crate::db::contains_pattern(term);
        q = q.filter(
            users::name
                .like(p.clone())
                .escape('\\')
                .or(users::email.like(p).escape('\\')),
        );
    }
    let f = &opts.filters;
    if let Some(role) = f.role {
        q = q.filter(users::role.eq(role.as_str()));
    }
    if let Some(active) = f.active {
        q = q.filter(users::active.eq(active));
    }
    if let Some(team) = f.team {
        q = q.filter(users::team_id.eq(team));
    }
    q
}

/// How many users match, up to the list's cap.
pub fn count_users_listed(conn: &mut DbConn, opts: &UserListOptions) -> QueryResult<i64> {
    list::count_capped(conn, users_listed(opts).select(users::id))
}

/// The page of the user list the options point at.
pub fn list_users(conn: &mut DbConn, opts: &UserListOptions) -> QueryResult<Vec<UserRow>> {
    let mut q = users_listed(opts);
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    q.order(diesel::dsl::sql::<diesel::sql_types::Text>(
        &opts.order_sql(),
    ))
    .select((
        users::id,
        users::email,
        users::name,
        users::role,
        users::active,
        users::last_login_at,
        teams::name.nullable(),
    ))
    .offset(opts.offset())
    .limit(opts.fetch())
    .load(conn)
}

impl Keyed<UserSort> for UserRow {
    fn id(&self) -> i64 {
        self.id.get()
    }

    fn keys(&self, sort: UserSort) -> Vec<Key> {
        match sort {
            UserSort::Name => vec![i64::from(!self.active).into(), (&self.name).into()],
            UserSort::Email => vec![(&self.email).into()],
            UserSort::Role => vec![self.role.as_str().into()],
            UserSort::LastLogin => vec![self.last_login_at.into()],
        }
    }
}

/// Applies an admin's edit; `end_sessions` bumps the epoch so the user's
/// other sessions end on their next request.
pub fn update_user(
    conn: &mut DbConn,
    id: UserId,
    changes: &UserChanges,
    end_sessions: bool,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(changes)
        .execute(conn)?;
    if end_sessions {
        bump_epoch(conn, id)?;
    }
    Ok(())
}

pub fn set_password(conn: &mut DbConn, id: UserId, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now())))
        .execute(conn)?;
    bump_epoch(conn, id)
}

pub fn bump_epoch(conn: &mut DbConn, id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::session_epoch.eq(users::session_epoch + 1))
        .execute(conn)
        .map(|_| ())
}

pub fn record_login(conn: &mut DbConn, id: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(now()))
        .execute(conn)
        .map(|_| ())
}

pub fn count_active_admins(conn: &mut DbConn) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::active.eq(true))
        .select(count_star())
        .get_result(conn)
}

/// Users a viewer may hand a record to, following their record scope.
pub fn assignable_users(conn: &mut DbConn, viewer: &Viewer) -> QueryResult<Vec<(i64, String)>> {
    let mut q = users::table
        .filter(users::active.eq(true))
        .select((users::id, users::name))
        .order(users::name.asc())
        .into_boxed();
    q = match (viewer.scope, viewer.team_id) {
        (Scope::All, _) => q,
        (Scope::Team, Some(team)) => q.filter(users::team_id.eq(team)),
        _ => q.filter(users::id.eq(viewer.user_id)),
    };
    q.load(conn)
}

static OWNER_MENU: std::sync::LazyLock<crate::web::list::menus::MenuCache<Vec<(i64, String)>>> =
    std::sync::LazyLock::new(Default::default);

/// `assignable_users` for a list's owner filter menu, kept briefly per
/// scope (`web::list::menus`: dropped on any write of this process). Never
/// for checking a choice: that reads the users as they are.
pub fn owner_menu(conn: &mut DbConn, viewer: &Viewer) -> QueryResult<Vec<(i64, String)>> {
    OWNER_MENU.get(viewer, || assignable_users(conn, viewer))
}

pub fn list_teams(conn: &mut DbConn) -> QueryResult<Vec<Team>> {
    teams::table
        .order(teams::name.asc())
        .select(Team::as_select())
        .load(conn)
}

/// Teams with their member counts: two queries, no N+1.
fn teams_listed(opts: &TeamListOptions) -> teams::BoxedQuery<'static, crate::db::Backend> {
    let mut q = teams::table.into_boxed();
    for term in &opts.terms {
        q = q.filter(
            teams::name
                .like(crate::db::contains_pattern(term))
                .escape('\\'),
        );
    }
    q
}

/// How many teams match, up to the list's cap.
pub fn count_teams(conn: &mut DbConn, opts: &TeamListOptions) -> QueryResult<i64> {
    list::count_capped(conn, teams_listed(opts).select(teams::id))
}

/// The page of the team list the options point at, with member counts.
pub fn list_teams_with_counts(
    conn: &mut DbConn,
    opts: &TeamListOptions,
) -> QueryResult<Vec<TeamRow>> {
    let mut q = teams_listed(opts);
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    let teams: Vec<Team> = q
        .order(diesel::dsl::sql::<diesel::sql_types::Text>(
            &opts.order_sql(),
        ))
        .offset(opts.offset())
        .limit(opts.fetch())
        .select(Team::as_select())
        .load(conn)?;
    let ids: Vec<TeamId> = teams.iter().map(|t| t.id).collect();
    let counts: Vec<(Option<i64>, i64)> = users::table
        .filter(users::team_id.eq_any(ids))
        .group_by(users::team_id)
        .select((users::team_id, count_star()))
        .load(conn)?;
    Ok(teams
        .into_iter()
        .map(|team| {
            let members = counts
                .iter()
                .find(|(id, _)| *id == Some(team.id.get()))
                .map_or(0, |(_, n)| *n);
            TeamRow { team, members }
        })
        .collect())
}

impl Keyed<TeamSort> for TeamRow {
    fn id(&self) -> i64 {
        self.team.id.get()
    }

    fn keys(&self, _: TeamSort) -> Vec<Key> {
        vec![(&self.team.name).into()]
    }
}

pub fn get_team(conn: &mut DbConn, id: TeamId) -> QueryResult<Option<Team>> {
    teams::table
        .find(id)
        .select(Team::as_select())
        .first(conn)
        .optional()
}

pub fn team_name_taken(conn: &mut DbConn, name: &str, except: Option<TeamId>) -> QueryResult<bool> {
    let mut q = teams::table
        .filter(teams::name.eq(name))
        .select(count_star())
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(teams::id.ne(id));
    }
    Ok(q.get_result::<i64>(conn)? > 0)
}

pub fn insert_team(conn: &mut DbConn, name: &str) -> QueryResult<TeamId> {
    diesel::insert_into(teams::table)
        .values((teams::name.eq(name), teams::created_at.eq(now())))
        .execute(conn)?;
    last_insert_id(conn).map(TeamId::new)
}

pub fn rename_team(conn: &mut DbConn, id: TeamId, name: &str) -> QueryResult<usize> {
    diesel::update(teams::table.find(id))
        .set(teams::name.eq(name))
        .execute(conn)
}

/// Members keep their accounts and lose the team; team-scoped users among
/// them are signed out so their narrower view applies at once.
pub fn delete_team(conn: &mut DbConn, id: TeamId) -> QueryResult<usize> {
    diesel::update(users::table.filter(users::team_id.eq(id)))
        .set((
            users::team_id.eq(None::<TeamId>),
            users::session_epoch.eq(users::session_epoch + 1),
        ))
        .execute(conn)?;
    diesel::delete(teams::table.find(id)).execute(conn)
}

/// (role name, record scope) for every role.
pub fn role_scopes(conn: &mut DbConn) -> QueryResult<Vec<(Role, Scope)>> {
    roles::table
        .select((roles::name, roles::record_scope))
        .load(conn)
}

pub fn set_role_scope(conn: &mut DbConn, role: Role, scope: Scope) -> QueryResult<usize> {
    diesel::update(roles::table.filter(roles::name.eq(role)))
        .set((roles::record_scope.eq(scope), roles::updated_at.eq(now())))
        .execute(conn)
}

/// Whose records the viewer sees, as owner ids (None: everyone's), for
/// queries that filter by owner on an index instead of joining users.
pub fn visible_owner_ids(conn: &mut DbConn, viewer: &Viewer) -> QueryResult<Option<Vec<i64>>> {
    Ok(match (viewer.scope, viewer.team_id) {
        (Scope::All, _) => None,
        (Scope::Team, Some(team)) => Some(
            users::table
                .filter(users::team_id.eq(team))
                .select(users::id)
                .load(conn)?,
        ),
        _ => Some(vec![viewer.user_id]),
    })
}
