//! Account queries. Every read goes through `visible`, which applies the
//! viewer's record scope (through the account's owner), like contacts.

use chrono::NaiveDateTime;
use diesel::dsl::{IntoBoxed, LeftJoin, sql};
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::domain::{AccountInput, Filters, ListOptions, Size, Sort};
use crate::auth::policy::{Scope, Viewer};
use crate::db::schema::{accounts, activities, contacts, tasks, users};
use crate::db::{Backend, DbConn, Dialect, dialect, last_insert_id, now};
use crate::domain::ids::{AccountId, UserId};
use crate::filter_by_plan;
use crate::search;
use crate::web::list::{self, FilterSet, Key, Keyed, Plan};

/// LEFT join to the owner (who always exists): an inner join lets MariaDB
/// start from users and sort every account (see docs/benchmarks.md).
pub type Visible = IntoBoxed<'static, LeftJoin<accounts::table, users::table>, Backend>;

/// Accounts joined with their owner, filtered to the viewer's scope.
pub fn visible(viewer: &Viewer) -> Visible {
    let q = accounts::table.left_join(users::table).into_boxed();
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
) -> QueryResult<Option<(AccountId, String)>> {
    visible(viewer)
        .filter(accounts::name.eq(name))
        .order(accounts::id.asc())
        .select((accounts::id, accounts::name))
        .first(conn)
        .optional()
}

/// An account with just a name, as created from a contact's company field or an import.
pub fn insert_named(conn: &mut DbConn, name: &str, owner_id: UserId) -> QueryResult<AccountId> {
    let t = now();
    diesel::insert_into(accounts::table)
        .values((
            accounts::name.eq(name),
            accounts::owner_id.eq(owner_id),
            accounts::created_at.eq(t),
            accounts::updated_at.eq(t),
        ))
        .execute(conn)?;
    indexed(conn)
}

/// The id of the account just inserted, with its search terms written.
fn indexed(conn: &mut DbConn) -> QueryResult<AccountId> {
    let id = last_insert_id(conn)?;
    search::index::reindex_accounts(conn, &[id])?;
    Ok(AccountId::new(id))
}

/// The visible account of that name, or a new one owned by `owner_id`.
pub fn find_or_create(
    conn: &mut DbConn,
    viewer: &Viewer,
    name: &str,
    owner_id: UserId,
) -> QueryResult<AccountId> {
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

/// Each word of the query must start a word of the name, domain, city or
/// phone (CJK by character pairs): one indexed subquery of `search_terms`
/// per word.
fn searched(mut q: Visible, terms: &[String], plan: Plan, d: Dialect) -> Visible {
    use diesel::sql_types::BigInt;
    let prefixes = search::tokens::query_prefixes(&terms.join(" "), search::MAX_TERMS);
    if prefixes.is_empty() && !terms.is_empty() {
        // Only punctuation was typed: nothing can match it.
        return q.filter(accounts::id.lt(0));
    }
    for (i, prefix) in prefixes.iter().enumerate() {
        filter_by_plan!(q, plan.for_word(i), d, accounts::id, "accounts.id": BigInt, |c| c
            .eq_any(search::prefix_subquery(search::Kind::Account, prefix)));
    }
    q
}

fn filtered(mut q: Visible, f: &Filters, plan: Plan, d: Dialect) -> Visible {
    use diesel::sql_types::{BigInt, Nullable};
    if let Some(owner) = f.owner {
        filter_by_plan!(q, plan, d, accounts::owner_id, "accounts.owner_id": BigInt, |c| c.eq(owner));
    }
    if let Some(industry) = &f.industry {
        filter_by_plan!(q, plan, d, accounts::industry, "accounts.industry": Nullable<Text>, |c| c
            .eq(industry.clone()));
    }
    if let Some(city) = &f.city {
        filter_by_plan!(q, plan, d, accounts::city, "accounts.city": Nullable<Text>, |c| c
            .eq(city.clone()));
    }
    if let Some(tag) = &f.tag {
        filter_by_plan!(q, plan, d, accounts::id.nullable(), "accounts.id": Nullable<BigInt>, |c| c
            .eq_any(crate::tags::tagged_accounts(tag)));
    }
    q
}

fn listed(viewer: &Viewer, opts: &ListOptions, plan: Plan, d: Dialect) -> Visible {
    // Searched words mostly start the names the matches sort by (see
    // contacts::repo::list_page): only recency sorts walk for a search.
    let search_plan = match opts.sort {
        Sort::Updated | Sort::Created => plan,
        _ => Plan::Narrow,
    };
    filtered(
        searched(visible(viewer), &opts.terms, search_plan, d),
        &opts.filters,
        plan,
        d,
    )
}

#[derive(Queryable, Debug, Clone)]
pub struct AccountRow {
    pub id: i64,
    pub name: String,
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub phone: Option<String>,
    pub city: Option<String>,
    pub updated_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub owner_name: Option<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = accounts, check_for_backend(crate::db::MultiBackend))]
pub struct AccountDetail {
    pub id: AccountId,
    pub name: String,
    pub domain: Option<String>,
    pub industry: Option<String>,
    pub size: Option<Size>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub owner_id: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The owner always exists; the join is LEFT (see `visible`).
    #[diesel(select_expression = users::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::name>)]
    pub owner_name: Option<String>,
}

/// How many accounts match, up to the list's cap.
pub fn count_capped(conn: &mut DbConn, viewer: &Viewer, opts: &ListOptions) -> QueryResult<i64> {
    // Seeing every account, unfiltered, one word: its terms alone count
    // the matches (the index holds exactly the existing accounts).
    let words = search::tokens::query_prefixes(&opts.terms.join(" "), search::MAX_TERMS);
    if let (Scope::All, true, [word]) = (viewer.scope, opts.filters.is_empty(), words.as_slice()) {
        let ids = search::prefix_subquery(search::Kind::Account, word).distinct();
        return list::count_capped(conn, ids);
    }
    let q = listed(viewer, opts, Plan::Narrow, dialect(conn));
    list::count_capped(conn, q.select(accounts::id))
}

/// The page the options point at (`ListOptions::finish` trims and orders it).
pub fn list(
    conn: &mut DbConn,
    viewer: &Viewer,
    opts: &ListOptions,
    plan: Plan,
) -> QueryResult<Vec<AccountRow>> {
    let mut q = listed(viewer, opts, plan, dialect(conn));
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    q.order(sql::<Text>(&opts.order_sql()))
        .select((
            accounts::id,
            accounts::name,
            accounts::domain,
            accounts::industry,
            accounts::phone,
            accounts::city,
            accounts::updated_at,
            accounts::created_at,
            users::name.nullable(),
        ))
        .offset(opts.offset())
        .limit(opts.fetch())
        .load(conn)
}

impl Keyed<Sort> for AccountRow {
    fn id(&self) -> i64 {
        self.id
    }

    fn keys(&self, sort: Sort) -> Vec<Key> {
        vec![match sort {
            Sort::Name => (&self.name).into(),
            Sort::Industry => (&self.industry).into(),
            Sort::City => (&self.city).into(),
            Sort::Updated => self.updated_at.into(),
            Sort::Created => self.created_at.into(),
        }]
    }
}

pub fn get(
    conn: &mut DbConn,
    viewer: &Viewer,
    id: AccountId,
) -> QueryResult<Option<AccountDetail>> {
    visible(viewer)
        .filter(accounts::id.eq(id))
        .select(AccountDetail::as_select())
        .first(conn)
        .optional()
}

/// The columns the account form writes (insert or update).
type Fields<'a> = (
    diesel::dsl::Eq<accounts::name, &'a String>,
    diesel::dsl::Eq<accounts::domain, Option<&'a str>>,
    diesel::dsl::Eq<accounts::industry, &'a Option<String>>,
    diesel::dsl::Eq<accounts::size, Option<Size>>,
    diesel::dsl::Eq<accounts::phone, &'a Option<String>>,
    diesel::dsl::Eq<accounts::address, &'a Option<String>>,
    diesel::dsl::Eq<accounts::city, &'a Option<String>>,
    diesel::dsl::Eq<accounts::country, &'a Option<String>>,
    diesel::dsl::Eq<accounts::owner_id, UserId>,
);

fn fields(input: &AccountInput, owner_id: UserId) -> Fields<'_> {
    (
        accounts::name.eq(&input.name),
        accounts::domain.eq(input.domain.as_ref().map(|d| d.as_str())),
        accounts::industry.eq(&input.industry),
        accounts::size.eq(input.size),
        accounts::phone.eq(&input.phone),
        accounts::address.eq(&input.address),
        accounts::city.eq(&input.city),
        accounts::country.eq(&input.country),
        accounts::owner_id.eq(owner_id),
    )
}

pub fn insert(conn: &mut DbConn, input: &AccountInput, owner_id: UserId) -> QueryResult<AccountId> {
    let t = now();
    diesel::insert_into(accounts::table)
        .values((
            fields(input, owner_id),
            accounts::created_at.eq(t),
            accounts::updated_at.eq(t),
        ))
        .execute(conn)?;
    indexed(conn)
}

pub fn update(
    conn: &mut DbConn,
    id: AccountId,
    input: &AccountInput,
    owner_id: UserId,
) -> QueryResult<usize> {
    let n = diesel::update(accounts::table.find(id))
        .set((fields(input, owner_id), accounts::updated_at.eq(now())))
        .execute(conn)?;
    // Its contacts carry the company name in their terms too.
    search::index::reindex_accounts(conn, &[id.get()])?;
    Ok(n)
}

/// Another account (any owner) with this name, ignoring `except`.
pub fn find_by_name(
    conn: &mut DbConn,
    name: &str,
    except: Option<AccountId>,
) -> QueryResult<Option<AccountId>> {
    let mut q = accounts::table
        .filter(accounts::name.eq(name))
        .select(accounts::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(accounts::id.ne(id));
    }
    q.order(accounts::id.asc()).first(conn).optional()
}

/// Deletes the account. Its contacts stay (their `account_id` becomes NULL
/// by the foreign key); entries and tasks that belong to one of those
/// contacts are detached first, so only the account's own notes and tasks
/// go with it.
pub fn delete(conn: &mut DbConn, id: AccountId) -> QueryResult<usize> {
    crate::records::keep_deal_links(conn, crate::records::RecordRef::Account(id))?;
    diesel::update(
        activities::table
            .filter(activities::account_id.eq(id))
            .filter(activities::contact_id.is_not_null()),
    )
    .set(activities::account_id.eq(None::<AccountId>))
    .execute(conn)?;
    diesel::update(
        tasks::table
            .filter(tasks::account_id.eq(id))
            .filter(tasks::contact_id.is_not_null()),
    )
    .set(tasks::account_id.eq(None::<AccountId>))
    .execute(conn)?;
    let members: Vec<i64> = contacts::table
        .filter(contacts::account_id.eq(id))
        .select(contacts::id)
        .load(conn)?;
    search::index::remove(conn, search::Kind::Account, &[id.get()])?;
    let n = diesel::delete(accounts::table.find(id)).execute(conn)?;
    // They no longer have a company to be found by.
    search::index::reindex_contacts(conn, &members)?;
    Ok(n)
}

pub fn touch(conn: &mut DbConn, id: AccountId) -> QueryResult<usize> {
    diesel::update(accounts::table.find(id))
        .set(accounts::updated_at.eq(now()))
        .execute(conn)
}

/// The distinct values of `$col` among the viewer's accounts, in order: a
/// walk of the (owner_id, $col) or ($col) index, with no join to users.
macro_rules! distinct_values {
    ($conn:expr, $viewer:expr, $col:expr) => {{
        let mut q = accounts::table
            .filter($col.is_not_null())
            .select($col)
            .distinct()
            .order($col.asc())
            .limit(200)
            .into_boxed();
        if let Some(owners) = crate::staff::repo::visible_owner_ids($conn, $viewer)? {
            q = q.filter(accounts::owner_id.eq_any(owners));
        }
        let rows: Vec<Option<String>> = q.load($conn)?;
        Ok(rows.into_iter().flatten().collect())
    }};
}

/// Distinct cities of visible accounts, for the filter menu.
pub fn cities(conn: &mut DbConn, viewer: &Viewer) -> QueryResult<Vec<String>> {
    distinct_values!(conn, viewer, accounts::city)
}

/// Distinct industries of visible accounts, for the filter menu and the form.
pub fn industries(conn: &mut DbConn, viewer: &Viewer) -> QueryResult<Vec<String>> {
    distinct_values!(conn, viewer, accounts::industry)
}
