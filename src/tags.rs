//! Tags of any record: parsed from a comma-separated field, stored once in
//! `tags`, linked through `record_tags` (one row per tag and record; the
//! record columns are mapped in `records::links`).

use std::collections::BTreeMap;

use diesel::dsl::{Eq, Filter, InnerJoin, Select, exists};
use diesel::prelude::*;

use crate::auth::policy::Viewer;
use crate::db::DbConn;
use crate::db::schema::{accounts, contacts, deals, orders, record_tags, tags};
use crate::domain::ids::TagId;
use crate::i18n::{Arg, Message, key};
use crate::records::links::{self, Links};
use crate::records::{RecordKind, RecordRef};

pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 50;
/// Filter menus list at most this many tags.
const MENU_LIMIT: i64 = 500;

/// "VIP, newsletter ,vip" → ["VIP", "newsletter"]: trimmed, unique ignoring case, in order.
pub fn parse(raw: &str) -> Result<Vec<String>, Message> {
    let mut out: Vec<String> = Vec::new();
    for t in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(Message::Key(
                key("records-error-tag-long"),
                vec![("max", Arg::Num(MAX_TAG_CHARS as i64))],
            ));
        }
        if t.chars().any(char::is_control) {
            return Err(Message::key(key("records-error-control")));
        }
        if !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t.to_string());
        }
    }
    if out.len() > MAX_TAGS {
        return Err(Message::Key(
            key("records-error-tags-many"),
            vec![("max", Arg::Num(MAX_TAGS as i64))],
        ));
    }
    Ok(out)
}

/// Ids for these names, creating missing tags. Names match case-insensitively
/// (the column collation does that on both backends).
pub fn ensure(conn: &mut DbConn, names: &[String]) -> QueryResult<Vec<TagId>> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        let found: Option<TagId> = tags::table
            .filter(tags::name.eq(name))
            .select(tags::id)
            .first(conn)
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => {
                diesel::insert_into(tags::table)
                    .values(tags::name.eq(name))
                    .execute(conn)?;
                TagId::new(crate::db::last_insert_id(conn)?)
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Replaces the record's tags with these names.
pub fn set(conn: &mut DbConn, record: RecordRef, names: &[String]) -> QueryResult<()> {
    let ids = ensure(conn, names)?;
    diesel::delete(record_tags::table.filter(links::record_tags::is(record))).execute(conn)?;
    add(conn, record, &ids)
}

fn add(conn: &mut DbConn, record: RecordRef, ids: &[TagId]) -> QueryResult<()> {
    let link = Links::of(record);
    for id in ids {
        diesel::insert_into(record_tags::table)
            .values((
                links::record_tags::values(&link),
                record_tags::tag_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Puts the tag `name` on the record unless it is there already (a
/// sign-up joining its form's tag); creates the tag if needed.
pub fn attach(conn: &mut DbConn, record: RecordRef, name: &str) -> QueryResult<()> {
    let ids = ensure(conn, &[name.to_string()])?;
    let has: Vec<TagId> = record_tags::table
        .filter(links::record_tags::is(record))
        .filter(record_tags::tag_id.eq_any(&ids))
        .select(record_tags::tag_id)
        .load(conn)?;
    let missing: Vec<TagId> = ids.into_iter().filter(|i| !has.contains(i)).collect();
    add(conn, record, &missing)
}

/// Gives `to` every tag of `from` it lacks and drops `from`'s (a merge).
pub fn reassign(conn: &mut DbConn, from: RecordRef, to: RecordRef) -> QueryResult<()> {
    let kept: Vec<TagId> = record_tags::table
        .filter(links::record_tags::is(to))
        .select(record_tags::tag_id)
        .load(conn)?;
    diesel::delete(
        record_tags::table
            .filter(links::record_tags::is(from))
            .filter(record_tags::tag_id.eq_any(kept)),
    )
    .execute(conn)?;
    links::record_tags::reassign(conn, from, to).map(|_| ())
}

/// Tag names of one record, A→Z.
pub fn of(conn: &mut DbConn, record: RecordRef) -> QueryResult<Vec<String>> {
    Ok(of_many(conn, &[record])?
        .remove(&record)
        .unwrap_or_default())
}

/// Tag names per record for a page of records, A→Z, in one query.
pub fn of_many(
    conn: &mut DbConn,
    records: &[RecordRef],
) -> QueryResult<BTreeMap<RecordRef, Vec<String>>> {
    if records.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows: Vec<(crate::records::links::LinkRow, String)> = record_tags::table
        .inner_join(tags::table)
        .filter(links::record_tags::is_any(records))
        .order(tags::name.asc())
        .select((links::record_tags::columns(), tags::name))
        .load(conn)?;
    let mut out: BTreeMap<RecordRef, Vec<String>> = BTreeMap::new();
    for (link, name) in rows {
        if let Some(r) = Links::from(link).single() {
            out.entry(r).or_default().push(name);
        }
    }
    Ok(out)
}

/// Tag names per record id of one kind (list pages key rows by plain id).
pub fn by_id(
    conn: &mut DbConn,
    kind: RecordKind,
    ids: &[i64],
) -> QueryResult<BTreeMap<i64, Vec<String>>> {
    let records: Vec<RecordRef> = ids.iter().map(|id| kind.of(*id)).collect();
    Ok(of_many(conn, &records)?
        .into_iter()
        .map(|(r, names)| (r.raw_id(), names))
        .collect())
}

/// `SELECT <record column> FROM record_tags JOIN tags WHERE name = ?`.
pub type Tagged<C> =
    Select<Filter<InnerJoin<record_tags::table, tags::table>, Eq<tags::name, String>>, C>;

/// Ids of the contacts tagged `name`, as a subquery for list filters
/// (`contacts::id.nullable().eq_any(..)`; a subquery cannot be boxed for
/// the two-backend connection, so each kind names its own).
pub fn tagged_contacts(name: &str) -> Tagged<record_tags::contact_id> {
    record_tags::table
        .inner_join(tags::table)
        .filter(tags::name.eq(name.to_string()))
        .select(record_tags::contact_id)
}

/// Ids of the accounts tagged `name` (see `tagged_contacts`).
pub fn tagged_accounts(name: &str) -> Tagged<record_tags::account_id> {
    record_tags::table
        .inner_join(tags::table)
        .filter(tags::name.eq(name.to_string()))
        .select(record_tags::account_id)
}

/// Ids of the deals tagged `name` (see `tagged_contacts`).
pub fn tagged_deals(name: &str) -> Tagged<record_tags::deal_id> {
    record_tags::table
        .inner_join(tags::table)
        .filter(tags::name.eq(name.to_string()))
        .select(record_tags::deal_id)
}

/// The names of tags on records of `kind` the viewer can see, A→Z, for the
/// list's filter menu: a tag used only on records outside the viewer's
/// scope is not shown.
pub fn in_scope(conn: &mut DbConn, viewer: &Viewer, kind: RecordKind) -> QueryResult<Vec<String>> {
    let owners = crate::staff::repo::visible_owner_ids(conn, viewer)?;
    // Per tag, whether one visible record has it (an EXISTS probe on
    // `ix_record_tags_tag_*`): cheap however many records there are.
    macro_rules! names_on {
        ($records:ident, $column:ident) => {{
            let menu = tags::table
                .select(tags::name)
                .order(tags::name.asc())
                .limit(MENU_LIMIT);
            match owners {
                None => menu
                    .filter(exists(
                        record_tags::table
                            .filter(record_tags::tag_id.eq(tags::id))
                            .filter(record_tags::$column.is_not_null()),
                    ))
                    .load(conn),
                Some(owners) => menu
                    .filter(exists(
                        record_tags::table
                            .inner_join($records::table)
                            .filter(record_tags::tag_id.eq(tags::id))
                            .filter($records::owner_id.eq_any(owners)),
                    ))
                    .load(conn),
            }
        }};
    }
    match kind {
        RecordKind::Contact => names_on!(contacts, contact_id),
        RecordKind::Account => names_on!(accounts, account_id),
        RecordKind::Deal => names_on!(deals, deal_id),
        RecordKind::Order => names_on!(orders, order_id),
        // Tickets have an assignee, not an owner: their tags are one
        // workspace-wide vocabulary.
        RecordKind::Ticket => tags::table
            .select(tags::name)
            .order(tags::name.asc())
            .limit(MENU_LIMIT)
            .filter(exists(
                record_tags::table
                    .filter(record_tags::tag_id.eq(tags::id))
                    .filter(record_tags::ticket_id.is_not_null()),
            ))
            .load(conn),
    }
}

pub fn find_id(conn: &mut DbConn, name: &str) -> QueryResult<Option<TagId>> {
    tags::table
        .filter(tags::name.eq(name))
        .select(tags::id)
        .first(conn)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_trims_and_dedupes() {
        assert_eq!(
            parse(" VIP, newsletter ,vip,, ").expect("ok"),
            vec!["VIP", "newsletter"]
        );
        assert!(parse(&"x".repeat(51)).is_err());
        assert!(parse(&(0..21).map(|i| i.to_string()).collect::<Vec<_>>().join(",")).is_err());
        assert!(parse("").expect("ok").is_empty());
    }
}
