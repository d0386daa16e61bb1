//! Contact queries. Every read goes through `visible`, which applies the
//! viewer's record scope, so a record outside it is simply not found.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::dsl::{IntoBoxed, LeftJoin, count_star};
use diesel::prelude::*;
use diesel::sql_types::Text;

pub use super::detail::ContactDetail;
use super::domain::{Consent, ContactInput, Filters, Lifecycle, ListOptions, Sort};
pub use super::search::Search;
use super::search::searched;
use crate::auth::policy::{Scope, Viewer};
use crate::db::schema::{accounts, contacts, record_tags, tags, users};
use crate::db::{Backend, DbConn, Dialect, dialect, last_insert_id, now};
use crate::domain::ids::{AccountId, ContactId, UserId};
use crate::filter_by_plan;
use crate::search;
use crate::web::list::{self, FilterSet, Key, Keyed, Plan};

pub(crate) type Visible =
    IntoBoxed<'static, LeftJoin<LeftJoin<contacts::table, users::table>, accounts::table>, Backend>;

/// Contacts joined with their owner and account, filtered to the viewer's
/// scope. Both joins are LEFT: with an inner join MariaDB starts from the
/// small users table and sorts every contact (docs/benchmarks.md).
pub(crate) fn visible(viewer: &Viewer) -> Visible {
    let q = contacts::table
        .left_join(users::table)
        .left_join(accounts::table)
        .into_boxed();
    match (viewer.scope, viewer.team_id) {
        (Scope::All, _) => q,
        (Scope::Team, Some(team)) => q.filter(users::team_id.eq(team)),
        _ => q.filter(contacts::owner_id.eq(viewer.user_id)),
    }
}

fn filtered(mut q: Visible, f: &Filters, plan: Plan, d: Dialect) -> Visible {
    use diesel::sql_types::{BigInt, Nullable, Text};
    if let Some(owner) = f.owner {
        filter_by_plan!(q, plan, d, contacts::owner_id, "contacts.owner_id": BigInt, |c| c.eq(owner));
    }
    if let Some(l) = f.lifecycle {
        filter_by_plan!(q, plan, d, contacts::lifecycle, "contacts.lifecycle": Text, |c| c.eq(l.as_str()));
    }
    if let Some(consent) = f.consent {
        filter_by_plan!(q, plan, d, contacts::consent, "contacts.consent": Text, |c| c
            .eq(consent.as_str()));
    }
    if let Some(city) = &f.city {
        filter_by_plan!(q, plan, d, contacts::city, "contacts.city": Nullable<Text>, |c| c
            .eq(city.clone()));
    }
    if let Some(account) = f.account {
        filter_by_plan!(q, plan, d, contacts::account_id, "contacts.account_id": Nullable<BigInt>, |c| c
            .eq(account));
    }
    if let Some(tag) = &f.tag {
        filter_by_plan!(q, plan, d, contacts::id.nullable(), "contacts.id": Nullable<BigInt>, |c| c
            .eq_any(crate::tags::tagged_contacts(tag)));
    }
    if let Some(rfm) = &f.rfm {
        filter_by_plan!(q, plan, d, contacts::id, "contacts.id": BigInt, |c| c
            .eq_any(crate::insights::segments::rfm_contacts(rfm)));
    }
    q
}

/// The matches, read through the filters' indexes (`Plan::Narrow`).
fn listed(viewer: &Viewer, opts: &ListOptions, search: &Search, d: Dialect) -> Visible {
    filtered(
        searched(visible(viewer), search, Plan::Narrow),
        &opts.filters,
        Plan::Narrow,
        d,
    )
}

#[derive(Queryable, Debug, Clone)]
pub struct ContactRow {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub city: Option<String>,
    pub lifecycle: Lifecycle,
    pub updated_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    /// Owners always exist (a NOT NULL foreign key); the join is LEFT so
    /// MariaDB reads contacts first and walks the updated_at index.
    pub owner_name: Option<String>,
    pub account_id: Option<i64>,
    pub account_name: Option<String>,
}

/// How many contacts match, exactly (cheap with a narrow filter such as an account).
pub fn count(conn: &mut DbConn, viewer: &Viewer, opts: &ListOptions) -> QueryResult<i64> {
    let search = Search::new(&opts.terms);
    listed(viewer, opts, &search, dialect(conn))
        .select(count_star())
        .get_result(conn)
}

/// How many contacts match, up to the list's cap.
pub fn count_capped(
    conn: &mut DbConn,
    viewer: &Viewer,
    opts: &ListOptions,
    search: &Search,
) -> QueryResult<i64> {
    // Seeing every contact: one word alone is counted from its terms, one
    // tag alone from its links (both hold exactly the existing contacts),
    // without a semi-join to `contacts`.
    if viewer.scope == Scope::All {
        let only_tag = opts.filters.tag.as_ref().filter(|_| {
            Filters {
                tag: None,
                ..opts.filters.clone()
            }
            .is_empty()
        });
        match (search.one_word(), only_tag, opts.filters.is_empty()) {
            (Some(word), None, true) => {
                return search::index::count_word(conn, search::Kind::Contact, word);
            }
            (None, Some(tag), _) if search.is_empty() => {
                let ids = record_tags::table
                    .inner_join(tags::table)
                    .filter(tags::name.eq(tag.clone()))
                    .filter(record_tags::contact_id.is_not_null())
                    .select(record_tags::contact_id.assume_not_null());
                return list::count_capped(conn, ids);
            }
            _ => {}
        }
    }
    let q = listed(viewer, opts, search, dialect(conn));
    list::count_capped(conn, q.select(contacts::id))
}

/// A page of the list (search words resolved here).
pub fn list(
    conn: &mut DbConn,
    viewer: &Viewer,
    opts: &ListOptions,
) -> QueryResult<Vec<ContactRow>> {
    let search = Search::new(&opts.terms);
    list_page(conn, viewer, opts, &search, Plan::Narrow)
}

/// The page the options point at (`ListOptions::finish` trims and orders
/// it), with search words already resolved.
pub fn list_page(
    conn: &mut DbConn,
    viewer: &Viewer,
    opts: &ListOptions,
    search: &Search,
    plan: Plan,
) -> QueryResult<Vec<ContactRow>> {
    // Searched words mostly start the names, emails and companies the
    // matches then sort by: walking those indexes would pass every row
    // before the matches. Over time they are spread out, so recency walks.
    let search_plan = match opts.sort {
        Sort::Updated | Sort::Created => plan,
        Sort::Name | Sort::Email | Sort::Company => Plan::Narrow,
    };
    let d = dialect(conn);
    let mut q = filtered(
        searched(visible(viewer), search, search_plan),
        &opts.filters,
        plan,
        d,
    );
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    let order = opts.order_sql();
    // A search sorted by name, email or company reads and sorts all its
    // matches: sort their ids alone (the unused joins fall away), then
    // read the page's rows with their owner and account (a deferred join;
    // docs/benchmarks.md).
    if search_plan == Plan::Narrow && !search.is_empty() {
        let ids: Vec<i64> = q
            .order(sql::<Text>(&order))
            .select(contacts::id)
            .offset(opts.offset())
            .limit(opts.fetch())
            .load(conn)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        return rows_of(
            visible(viewer).filter(contacts::id.eq_any(ids)),
            &order,
            conn,
        );
    }
    rows_of(q.offset(opts.offset()).limit(opts.fetch()), &order, conn)
}

/// The list's columns of the rows `q` selects, in the list's order.
fn rows_of(q: Visible, order: &str, conn: &mut DbConn) -> QueryResult<Vec<ContactRow>> {
    q.order(sql::<Text>(order))
        .select((
            contacts::id,
            contacts::first_name,
            contacts::last_name,
            contacts::email,
            contacts::phone,
            contacts::city,
            contacts::lifecycle,
            contacts::updated_at,
            contacts::created_at,
            users::name.nullable(),
            contacts::account_id,
            accounts::name.nullable(),
        ))
        .load(conn)
}

impl Keyed<Sort> for ContactRow {
    fn id(&self) -> i64 {
        self.id
    }

    fn keys(&self, sort: Sort) -> Vec<Key> {
        match sort {
            Sort::Name => vec![(&self.last_name).into(), (&self.first_name).into()],
            Sort::Company => vec![(&self.account_name).into()],
            Sort::Email => vec![(&self.email).into()],
            Sort::Updated => vec![self.updated_at.into()],
            Sort::Created => vec![self.created_at.into()],
        }
    }
}

/// Every visible contact matching the options, in list order, for export.
pub fn all_matching(
    conn: &mut DbConn,
    viewer: &Viewer,
    opts: &ListOptions,
    limit: i64,
) -> QueryResult<Vec<ContactDetail>> {
    let search = Search::new(&opts.terms);
    listed(viewer, opts, &search, dialect(conn))
        .order((
            contacts::last_name.asc(),
            contacts::first_name.asc(),
            contacts::id.asc(),
        ))
        .select(ContactDetail::as_select())
        .limit(limit)
        .load(conn)
}

pub fn get(
    conn: &mut DbConn,
    viewer: &Viewer,
    id: ContactId,
) -> QueryResult<Option<ContactDetail>> {
    visible(viewer)
        .filter(contacts::id.eq(id))
        .select(ContactDetail::as_select())
        .first(conn)
        .optional()
}

/// The contact's preferred language, as the contact form sets it.
pub fn set_language(
    conn: &mut DbConn,
    id: ContactId,
    language: Option<crate::i18n::Lang>,
) -> QueryResult<usize> {
    diesel::update(contacts::table.find(id))
        .set(contacts::language.eq(language.map(|l| l.code())))
        .execute(conn)
}

/// The columns a contact form writes (insert or update).
type Fields<'a> = (
    diesel::dsl::Eq<contacts::first_name, &'a String>,
    diesel::dsl::Eq<contacts::last_name, &'a String>,
    diesel::dsl::Eq<contacts::email, Option<&'a str>>,
    diesel::dsl::Eq<contacts::phone, &'a Option<String>>,
    diesel::dsl::Eq<contacts::title, &'a Option<String>>,
    diesel::dsl::Eq<contacts::address, &'a Option<String>>,
    diesel::dsl::Eq<contacts::city, &'a Option<String>>,
    diesel::dsl::Eq<contacts::country, &'a Option<String>>,
    diesel::dsl::Eq<contacts::lifecycle, Lifecycle>,
    diesel::dsl::Eq<contacts::source, &'a Option<String>>,
    diesel::dsl::Eq<contacts::consent, Consent>,
    diesel::dsl::Eq<contacts::owner_id, UserId>,
    diesel::dsl::Eq<contacts::account_id, Option<AccountId>>,
);

fn fields(input: &ContactInput, owner_id: UserId, account_id: Option<AccountId>) -> Fields<'_> {
    (
        contacts::first_name.eq(&input.first_name),
        contacts::last_name.eq(&input.last_name),
        contacts::email.eq(input.email.as_ref().map(|e| e.as_str())),
        contacts::phone.eq(&input.phone),
        contacts::title.eq(&input.title),
        contacts::address.eq(&input.address),
        contacts::city.eq(&input.city),
        contacts::country.eq(&input.country),
        contacts::lifecycle.eq(input.lifecycle),
        contacts::source.eq(&input.source),
        contacts::consent.eq(input.consent),
        contacts::owner_id.eq(owner_id),
        contacts::account_id.eq(account_id),
    )
}

pub fn insert(
    conn: &mut DbConn,
    input: &ContactInput,
    owner_id: UserId,
    account_id: Option<AccountId>,
    consent_how: Option<&str>,
) -> QueryResult<ContactId> {
    let t = now();
    diesel::insert_into(contacts::table)
        .values((
            fields(input, owner_id, account_id),
            contacts::consent_changed_at.eq(consent_how.map(|_| t)),
            contacts::consent_source.eq(consent_how),
            contacts::created_at.eq(t),
            contacts::updated_at.eq(t),
        ))
        .execute(conn)?;
    let id = last_insert_id(conn)?;
    search::index::reindex_contacts(conn, &[id])?;
    super::duplicate_scan::queue(conn)?;
    Ok(ContactId::new(id))
}

pub fn update(
    conn: &mut DbConn,
    id: ContactId,
    input: &ContactInput,
    owner_id: UserId,
    account_id: Option<AccountId>,
    consent_how: Option<&str>,
) -> QueryResult<usize> {
    let t = now();
    let n = diesel::update(contacts::table.find(id))
        .set((
            fields(input, owner_id, account_id),
            contacts::updated_at.eq(t),
        ))
        .execute(conn)?;
    if let Some(how) = consent_how {
        diesel::update(contacts::table.find(id))
            .set((
                contacts::consent_changed_at.eq(Some(t)),
                contacts::consent_source.eq(Some(how)),
            ))
            .execute(conn)?;
    }
    search::index::reindex_contacts(conn, &[id.get()])?;
    super::duplicate_scan::queue(conn)?;
    Ok(n)
}

/// Another contact (any owner) with this email, ignoring `except`.
pub fn find_by_email(
    conn: &mut DbConn,
    email: &str,
    except: Option<ContactId>,
) -> QueryResult<Option<ContactId>> {
    let mut q = contacts::table
        .filter(contacts::email.eq(email))
        .select(contacts::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(contacts::id.ne(id));
    }
    q.order(contacts::id.asc()).first(conn).optional()
}

pub fn delete(conn: &mut DbConn, id: ContactId) -> QueryResult<usize> {
    crate::records::keep_deal_links(conn, crate::records::RecordRef::Contact(id))?;
    search::index::remove(conn, search::Kind::Contact, &[id.get()])?;
    diesel::delete(contacts::table.find(id)).execute(conn)
}

pub fn touch(conn: &mut DbConn, id: ContactId) -> QueryResult<usize> {
    diesel::update(contacts::table.find(id))
        .set(contacts::updated_at.eq(now()))
        .execute(conn)
}
