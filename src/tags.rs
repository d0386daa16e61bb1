//! Tags shared by contacts and accounts: parsed from a comma-separated field,
//! stored once in `tags`, linked through `contact_tags` / `account_tags`.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{account_tags, contact_tags, tags};

pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 50;

/// "VIP, newsletter ,vip" → ["VIP", "newsletter"]: trimmed, unique ignoring case, in order.
pub fn parse(raw: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for t in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(format!("A tag has at most {MAX_TAG_CHARS} characters."));
        }
        if t.chars().any(char::is_control) {
            return Err("Remove line breaks and control characters.".into());
        }
        if !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t.to_string());
        }
    }
    if out.len() > MAX_TAGS {
        return Err(format!("Use at most {MAX_TAGS} tags."));
    }
    Ok(out)
}

/// Ids for these names, creating missing tags. Names match case-insensitively
/// (the column collation does that on both backends).
pub fn ensure(conn: &mut DbConn, names: &[String]) -> QueryResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        let found: Option<i64> = tags::table
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
                crate::db::last_insert_id(conn)?
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

pub fn set_for_contact(conn: &mut DbConn, contact_id: i64, names: &[String]) -> QueryResult<()> {
    let ids = ensure(conn, names)?;
    diesel::delete(contact_tags::table.filter(contact_tags::contact_id.eq(contact_id)))
        .execute(conn)?;
    for id in ids {
        diesel::insert_into(contact_tags::table)
            .values((
                contact_tags::contact_id.eq(contact_id),
                contact_tags::tag_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn set_for_account(conn: &mut DbConn, account_id: i64, names: &[String]) -> QueryResult<()> {
    let ids = ensure(conn, names)?;
    diesel::delete(account_tags::table.filter(account_tags::account_id.eq(account_id)))
        .execute(conn)?;
    for id in ids {
        diesel::insert_into(account_tags::table)
            .values((
                account_tags::account_id.eq(account_id),
                account_tags::tag_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Tag names per contact for a page of contacts, in one query.
pub fn for_contacts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<BTreeMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = contact_tags::table
        .inner_join(tags::table)
        .filter(contact_tags::contact_id.eq_any(ids))
        .order(tags::name.asc())
        .select((contact_tags::contact_id, tags::name))
        .load(conn)?;
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (id, name) in rows {
        out.entry(id).or_default().push(name);
    }
    Ok(out)
}

/// Tag names per account for a page of accounts, in one query.
pub fn for_accounts(conn: &mut DbConn, ids: &[i64]) -> QueryResult<BTreeMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = account_tags::table
        .inner_join(tags::table)
        .filter(account_tags::account_id.eq_any(ids))
        .order(tags::name.asc())
        .select((account_tags::account_id, tags::name))
        .load(conn)?;
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (id, name) in rows {
        out.entry(id).or_default().push(name);
    }
    Ok(out)
}

pub fn find_id(conn: &mut DbConn, name: &str) -> QueryResult<Option<i64>> {
    tags::table
        .filter(tags::name.eq(name))
        .select(tags::id)
        .first(conn)
        .optional()
}

/// Every tag name, for filter menus.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    tags::table
        .order(tags::name.asc())
        .select(tags::name)
        .limit(500)
        .load(conn)
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
