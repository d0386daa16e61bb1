//! Writing and reading `search_terms`. Every change to a contact's name,
//! email, phone or company, and to an account's name, domain, city or
//! phone, re-writes that record's terms in the same transaction
//! (`reindex_contacts`, `reindex_accounts`), so search never sees a stale
//! or half-written record. An order's terms are its numbers and its
//! customer's name: written when it is created, numbered or given another
//! customer (`reindex_orders`), and again when its customer is renamed.
//! A ticket's are its subject and its requester's names and address
//! (`reindex_tickets`, on opening and when the requester changes).

use std::collections::{BTreeMap, BTreeSet};

use diesel::dsl::{Eq, Filter, GtEq, Lt, Select};
use diesel::prelude::*;

use super::tokens::{index_terms, is_cjk, phone_term};
use crate::db::DbConn;
use crate::db::schema::{accounts, contacts, deals, orders, search_terms, tickets};

/// What a term belongs to. Stored as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Contact,
    Account,
    Deal,
    Order,
    Ticket,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Contact => "contact",
            Kind::Account => "account",
            Kind::Deal => "deal",
            Kind::Order => "order",
            Kind::Ticket => "ticket",
        }
    }
}

/// Terms are written in statements of this many rows.
const CHUNK: usize = 2_000;

/// The half-open range of terms starting with `prefix`, as plain
/// comparisons: indexable on both backends, with no LIKE escaping rules.
pub fn prefix_range(prefix: &str) -> (String, String) {
    (prefix.to_string(), format!("{prefix}{}", char::MAX))
}

pub type PrefixSubquery = Select<
    Filter<
        Filter<
            Filter<search_terms::table, Eq<search_terms::record_type, &'static str>>,
            GtEq<search_terms::term, String>,
        >,
        Lt<search_terms::term, String>,
    >,
    search_terms::record_id,
>;

/// The same set as a subquery, for words too common to fetch as ids.
pub fn prefix_subquery(kind: Kind, prefix: &str) -> PrefixSubquery {
    let (lo, hi) = prefix_range(prefix);
    search_terms::table
        .filter(search_terms::record_type.eq(kind.as_str()))
        .filter(search_terms::term.ge(lo))
        .filter(search_terms::term.lt(hi))
        .select(search_terms::record_id)
}

/// How many records of `kind` have a term starting with `word`, counting
/// at most the list's cap (`list::count_capped`): read from the terms'
/// index alone, for a viewer who sees every record and searched one word
/// with no filter (the terms hold exactly the existing records).
pub fn count_word(conn: &mut DbConn, kind: Kind, word: &str) -> QueryResult<i64> {
    crate::web::list::count_capped(conn, prefix_subquery(kind, word).distinct())
}

/// Multi-row INSERT on the concrete connection (MultiConnection does not batch).
macro_rules! insert_terms {
    ($conn:expr, $rows:expr) => {
        match $conn {
            DbConn::Mysql(m) => diesel::insert_into(search_terms::table)
                .values($rows)
                .execute(m),
            DbConn::Sqlite(s) => diesel::insert_into(search_terms::table)
                .values($rows)
                .execute(s),
        }
    };
}

/// Replaces the terms of these records with `terms` (records missing from
/// the map are left without terms: they were deleted).
fn replace(
    conn: &mut DbConn,
    kind: Kind,
    ids: &[i64],
    terms: &BTreeMap<i64, BTreeSet<String>>,
) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        diesel::delete(
            search_terms::table
                .filter(search_terms::record_type.eq(kind.as_str()))
                .filter(search_terms::record_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    let rows: Vec<_> = terms
        .iter()
        .flat_map(|(id, set)| {
            set.iter().map(move |t| {
                (
                    search_terms::record_type.eq(kind.as_str()),
                    search_terms::term.eq(t.as_str()),
                    search_terms::record_id.eq(*id),
                )
            })
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        insert_terms!(conn, chunk)?;
    }
    Ok(())
}

/// A contact's searchable texts: names (and, for CJK names, family name and
/// given name together, so 张伟 is found as a whole), email, company, phone
/// (its groups of digits, and all its digits as one term).
pub fn contact_terms(
    first: &str,
    last: &str,
    email: Option<&str>,
    phone: Option<&str>,
    company: Option<&str>,
) -> BTreeSet<String> {
    let full = (first.chars().chain(last.chars()).any(is_cjk)).then(|| format!("{last}{first}"));
    let mut terms = index_terms(
        [
            Some(first),
            Some(last),
            email,
            company,
            phone,
            full.as_deref(),
        ]
        .into_iter()
        .flatten(),
    );
    terms.extend(phone.and_then(phone_term));
    terms
}

/// An account's searchable texts: name, domain, city, phone.
pub fn account_terms(
    name: &str,
    domain: Option<&str>,
    city: Option<&str>,
    phone: Option<&str>,
) -> BTreeSet<String> {
    let mut terms = index_terms([Some(name), domain, city, phone].into_iter().flatten());
    terms.extend(phone.and_then(phone_term));
    terms
}

/// Re-writes the terms of these deals from their titles.
pub fn reindex_deals(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(i64, String)> = deals::table
            .filter(deals::id.eq_any(chunk))
            .select((deals::id, deals::title))
            .load(conn)?;
        let terms = rows
            .iter()
            .map(|(id, title)| (*id, index_terms([title.as_str()])))
            .collect();
        replace(conn, Kind::Deal, chunk, &terms)?;
    }
    Ok(())
}

type ContactTexts = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Re-writes the terms of these contacts from their current rows, their
/// company sort key (`contacts.company_sort`) and the terms of their
/// orders and tickets (which carry the customer's name).
pub fn reindex_contacts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    index_contacts(conn, ids)?;
    for chunk in ids.chunks(CHUNK) {
        let theirs: Vec<i64> = orders::table
            .filter(orders::contact_id.eq_any(chunk))
            .select(orders::id)
            .load(conn)?;
        reindex_orders(conn, &theirs)?;
        let asked: Vec<i64> = tickets::table
            .filter(tickets::requester_id.eq_any(chunk))
            .select(tickets::id)
            .load(conn)?;
        reindex_tickets(conn, &asked)?;
    }
    Ok(())
}

/// The contacts' own terms and company sort key (`reindex_contacts`
/// without their orders).
fn index_contacts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<ContactTexts> = contacts::table
            .left_join(accounts::table)
            .filter(contacts::id.eq_any(chunk))
            .select((
                contacts::id,
                contacts::first_name,
                contacts::last_name,
                contacts::email,
                contacts::phone,
                accounts::name.nullable(),
            ))
            .load(conn)?;
        let terms = rows
            .iter()
            .map(|(id, first, last, email, phone, company)| {
                let t = contact_terms(
                    first,
                    last,
                    email.as_deref(),
                    phone.as_deref(),
                    company.as_deref(),
                );
                (*id, t)
            })
            .collect();
        replace(conn, Kind::Contact, chunk, &terms)?;
        // The company sort key follows the account name the same way.
        diesel::update(contacts::table.filter(contacts::id.eq_any(chunk)))
            .set(
                contacts::company_sort.eq(accounts::table
                    .filter(accounts::id.nullable().eq(contacts::account_id))
                    .select(accounts::name)
                    .single_value()),
            )
            .execute(conn)?;
    }
    Ok(())
}

/// Re-writes the terms of these accounts, of their contacts (whose
/// company name is part of their terms) and of their orders.
pub fn reindex_accounts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        index_accounts(conn, chunk)?;
        let members: Vec<i64> = contacts::table
            .filter(contacts::account_id.eq_any(chunk))
            .select(contacts::id)
            .load(conn)?;
        index_contacts(conn, &members)?;
        let theirs: Vec<i64> = orders::table
            .filter(
                orders::account_id
                    .eq_any(chunk)
                    .or(orders::contact_id.eq_any(&members)),
            )
            .select(orders::id)
            .load(conn)?;
        reindex_orders(conn, &theirs)?;
    }
    Ok(())
}

/// An order's searchable texts: its quote and order numbers (each number
/// also without its leading zeros, so "123" finds SO-2026-000123) and its
/// customer's names.
pub fn order_terms<'a>(
    numbers: impl IntoIterator<Item = &'a str>,
    customer: impl IntoIterator<Item = &'a str>,
) -> BTreeSet<String> {
    let numbers: Vec<&str> = numbers.into_iter().collect();
    let mut terms = index_terms(numbers.iter().copied());
    let trimmed: Vec<String> = terms
        .iter()
        .filter(|t| t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit()))
        .map(|t| t.trim_start_matches('0').to_string())
        .filter(|t| !t.is_empty())
        .collect();
    terms.extend(trimmed);
    let names: Vec<&str> = customer.into_iter().collect();
    let cjk = names.iter().any(|n| n.chars().any(is_cjk));
    terms.extend(index_terms(names.iter().copied()));
    // A Chinese contact is found by family and given name together, as on
    // the contact list (`contact_terms`).
    if cjk && names.len() >= 2 {
        terms.extend(index_terms([format!("{}{}", names[1], names[0]).as_str()]));
    }
    terms
}

type OrderTexts = (
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Re-writes the terms of these orders from their numbers and customers.
pub fn reindex_orders(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<OrderTexts> = orders::table
            .left_join(contacts::table)
            .left_join(accounts::table)
            .filter(orders::id.eq_any(chunk))
            .select((
                orders::id,
                orders::quote_number,
                orders::order_number,
                contacts::first_name.nullable(),
                contacts::last_name.nullable(),
                accounts::name.nullable(),
            ))
            .load(conn)?;
        let terms = rows
            .iter()
            .map(|(id, quote, order, first, last, account)| {
                let numbers = [quote, order].into_iter().flatten().map(String::as_str);
                let names = [first, last, account]
                    .into_iter()
                    .flatten()
                    .map(String::as_str);
                (*id, order_terms(numbers, names))
            })
            .collect();
        replace(conn, Kind::Order, chunk, &terms)?;
    }
    Ok(())
}

/// A ticket's searchable texts: its subject and its requester's names and
/// address (as the contact list finds them, `contact_terms`).
pub fn ticket_terms(
    subject: &str,
    first: &str,
    last: &str,
    email: Option<&str>,
) -> BTreeSet<String> {
    let mut terms = contact_terms(first, last, email, None, None);
    terms.extend(index_terms([subject]));
    terms
}

type TicketTexts = (i64, String, String, String, Option<String>);

/// Re-writes the terms of these tickets from their subjects and requesters.
pub fn reindex_tickets(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<TicketTexts> = tickets::table
            .inner_join(contacts::table.on(contacts::id.eq(tickets::requester_id)))
            .filter(tickets::id.eq_any(chunk))
            .select((
                tickets::id,
                tickets::subject,
                contacts::first_name,
                contacts::last_name,
                contacts::email,
            ))
            .load(conn)?;
        let terms = rows
            .iter()
            .map(|(id, subject, first, last, email)| {
                (*id, ticket_terms(subject, first, last, email.as_deref()))
            })
            .collect();
        replace(conn, Kind::Ticket, chunk, &terms)?;
    }
    Ok(())
}

/// Drops the terms of deleted records.
pub fn remove(conn: &mut DbConn, kind: Kind, ids: &[i64]) -> QueryResult<()> {
    replace(conn, kind, ids, &BTreeMap::new())
}

/// The next chunk of a table's ids after `after`, in ascending order.
macro_rules! ids_after {
    ($table:ident) => {
        |c: &mut DbConn, after: i64| -> QueryResult<Vec<i64>> {
            $table::table
                .filter($table::id.gt(after))
                .order($table::id.asc())
                .select($table::id)
                .limit(CHUNK as i64)
                .load(c)
        }
    };
}

/// Builds every term from scratch (after a bulk load, or for a database
/// created before search terms existed). Returns the records indexed.
pub fn rebuild(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(search_terms::table).execute(conn)?;
    let accounts = by_id_chunks(conn, ids_after!(accounts), index_accounts)?;
    let contacts = by_id_chunks(conn, ids_after!(contacts), index_contacts)?;
    let orders = by_id_chunks(conn, ids_after!(orders), reindex_orders)?;
    let tickets = by_id_chunks(conn, ids_after!(tickets), reindex_tickets)?;
    Ok(accounts + contacts + orders + tickets + index_all_deals(conn)?)
}

fn index_all_deals(conn: &mut DbConn) -> QueryResult<usize> {
    by_id_chunks(conn, ids_after!(deals), reindex_deals)
}

/// Walks a table's ids in ascending chunks (`next` gives the chunk after an
/// id) and hands each chunk to `each`. Returns how many ids it walked.
fn by_id_chunks(
    conn: &mut DbConn,
    next: impl Fn(&mut DbConn, i64) -> QueryResult<Vec<i64>>,
    each: impl Fn(&mut DbConn, &[i64]) -> QueryResult<()>,
) -> QueryResult<usize> {
    let (mut done, mut after) = (0, 0);
    loop {
        let ids = next(conn, after)?;
        let Some(last) = ids.last().copied() else {
            return Ok(done);
        };
        each(conn, &ids)?;
        done += ids.len();
        after = last;
    }
}

type AccountTexts = (i64, String, Option<String>, Option<String>, Option<String>);

/// The accounts' own terms (`reindex_accounts` without their contacts).
fn index_accounts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    let rows: Vec<AccountTexts> = accounts::table
        .filter(accounts::id.eq_any(ids))
        .select((
            accounts::id,
            accounts::name,
            accounts::domain,
            accounts::city,
            accounts::phone,
        ))
        .load(conn)?;
    let terms = rows
        .iter()
        .map(|(id, name, domain, city, phone)| {
            let t = account_terms(name, domain.as_deref(), city.as_deref(), phone.as_deref());
            (*id, t)
        })
        .collect();
    replace(conn, Kind::Account, ids, &terms)
}

/// Indexes a database whose records have no terms yet (one created before
/// this table existed): called at start-up, cheap when there is nothing to do.
pub fn build_if_missing(conn: &mut DbConn) -> QueryResult<Option<usize>> {
    let has_terms = search_terms::table
        .select(search_terms::record_id)
        .first::<i64>(conn)
        .optional()?
        .is_some();
    let has_records = contacts::table
        .select(contacts::id)
        .first::<i64>(conn)
        .optional()?
        .is_some()
        || accounts::table
            .select(accounts::id)
            .first::<i64>(conn)
            .optional()?
            .is_some();
    if !has_terms && has_records {
        return crate::db::write_tx(conn, rebuild).map(Some);
    }
    // Deals came after contacts and accounts: a database indexed before
    // them gets its deals' terms once.
    let has_deal_terms = has_any(conn, Kind::Deal.as_str())?;
    let has_deals = deals::table
        .select(deals::id)
        .first::<crate::domain::ids::DealId>(conn)
        .optional()?
        .is_some();
    if has_deals && !has_deal_terms {
        return crate::db::write_tx(conn, index_all_deals).map(Some);
    }
    // Orders and tickets came later still: each indexed a chunk per
    // transaction, a large database's being too many for one.
    let later: [(Kind, NextIds, Reindex); 2] = [
        (Kind::Order, ids_after!(orders), reindex_orders),
        (Kind::Ticket, ids_after!(tickets), reindex_tickets),
    ];
    let mut done = 0;
    for (kind, next, each) in later {
        if has_any(conn, kind.as_str())? {
            continue;
        }
        let mut after = 0;
        loop {
            let ids = crate::db::write_tx(conn, |c| {
                let ids = next(c, after)?;
                each(c, &ids)?;
                Ok::<_, diesel::result::Error>(ids)
            })?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            done += ids.len();
            after = last;
        }
    }
    Ok((done > 0).then_some(done))
}

type NextIds = fn(&mut DbConn, i64) -> QueryResult<Vec<i64>>;
type Reindex = fn(&mut DbConn, &[i64]) -> QueryResult<()>;

/// Whether any record of this kind has terms.
fn has_any(conn: &mut DbConn, kind: &'static str) -> QueryResult<bool> {
    Ok(search_terms::table
        .filter(search_terms::record_type.eq(kind))
        .select(search_terms::record_id)
        .first::<i64>(conn)
        .optional()?
        .is_some())
}
