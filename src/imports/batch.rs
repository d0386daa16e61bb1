//! One batch of an import: its rows matched on email in one query, new
//! contacts inserted together, matches updated or skipped, problems
//! collected, and the import's counts advanced, all in the caller's write
//! transaction.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;

use super::csvsafe::Row;
use super::mapping::Target;
use super::repo::{self, NewContact, Tally};
use super::row::{self, Values};
use crate::auth::policy::Viewer;
use crate::contacts::domain::Consent;
use crate::contacts::repo::ContactDetail;
use crate::db::DbConn;
use crate::db::schema::contacts;
use crate::domain::EmailAddress;
use crate::domain::ids::{AccountId, ContactId, UserId};
use crate::error::AppError;
use crate::i18n::{StoredMessage, key};
use crate::records::RecordKind;
use crate::{accounts, tags};

/// A row whose email belongs to a contact the importer cannot see.
pub fn outside_scope() -> StoredMessage {
    StoredMessage::new(key("error-import-outside-scope"))
}

pub(super) enum Stop {
    /// Another worker advanced the import: this one bows out.
    Superseded,
    /// The import cannot go on; recorded as failed.
    Failed(StoredMessage),
    Db(AppError),
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Stop::Db(e.into())
    }
}

impl crate::db::TxError for Stop {
    fn is_retryable(&self) -> bool {
        matches!(self, Stop::Db(e) if e.is_retryable())
    }
}

/// What a row turns into, and who is importing.
pub(super) struct Context {
    pub(super) id: i64,
    pub(super) user_id: i64,
    pub(super) viewer: Viewer,
    pub(super) update: bool,
    pub(super) columns: Vec<Target>,
    pub(super) consent_how: String,
    /// Account and tag ids by lower-cased name, each looked up once.
    pub(super) accounts: HashMap<String, i64>,
    pub(super) tags: HashMap<String, i64>,
}

/// An email already in the database, as the importer sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    Visible(i64),
    /// Only contacts outside the importer's records have it.
    Hidden,
}

/// What a batch knows about the contacts its emails name.
#[derive(Default)]
pub struct Existing {
    pub matches: HashMap<String, Match>,
    /// The visible ones as read (dropped once the batch changes them).
    details: HashMap<i64, ContactDetail>,
    /// Their tags, when the file has tags (kept up to date by the batch).
    tags: HashMap<i64, Vec<String>>,
}

/// Existing contacts for these (normalised) emails, in one query; the
/// oldest visible contact wins where several share an address.
pub fn existing(c: &mut DbConn, viewer: &Viewer, emails: &[String]) -> Result<Existing, AppError> {
    let mut out = Existing::default();
    if emails.is_empty() {
        return Ok(out);
    }
    let found: Vec<(i64, Option<String>)> = contacts::table
        .filter(contacts::email.eq_any(emails))
        .order(contacts::id.asc())
        .select((contacts::id, contacts::email))
        .load(c)?;
    for (id, email) in found {
        let Some(email) = email.map(|e| e.to_lowercase()) else {
            continue;
        };
        if matches!(out.matches.get(&email), Some(Match::Visible(_))) {
            continue;
        }
        let m = match crate::contacts::repo::get(c, viewer, ContactId::new(id))? {
            Some(detail) => {
                out.details.insert(id, detail);
                Match::Visible(id)
            }
            None => Match::Hidden,
        };
        out.matches.insert(email, m);
    }
    Ok(out)
}

/// The normalised email of a row, when it has a valid one.
pub fn email_of(v: &Values) -> Option<String> {
    v.email
        .as_deref()
        .and_then(|e| EmailAddress::parse(e).ok())
        .map(|e| e.as_str().to_string())
}

/// New contacts of a batch, inserted together (`flush`).
#[derive(Default)]
struct Pending {
    contacts: Vec<NewContact>,
    emails: Vec<Option<String>>,
}

pub(super) fn apply(
    c: &mut DbConn,
    ctx: &mut Context,
    batch: &[Row],
    from: i64,
) -> Result<Tally, Stop> {
    let values: Vec<Values> = batch.iter().map(|r| Values::of(&ctx.columns, r)).collect();
    let mut emails: Vec<String> = values.iter().filter_map(email_of).collect();
    emails.sort();
    emails.dedup();
    let mut known = existing(c, &ctx.viewer, &emails).map_err(Stop::Db)?;
    if ctx.columns.contains(&Target::Tags) {
        let ids: Vec<i64> = known.details.keys().copied().collect();
        let mut current = tags::by_id(c, RecordKind::Contact, &ids)?;
        for id in ids {
            known
                .tags
                .insert(id, current.remove(&id).unwrap_or_default());
        }
    }
    let mut pending = Pending::default();
    let mut errors: Vec<(i64, StoredMessage)> = Vec::new();
    let mut t = Tally::default();
    for (row, v) in batch.iter().zip(&values) {
        t.processed += 1;
        let email = email_of(v);
        // A row repeating an email still waiting to be inserted: insert
        // first, so the row below updates (or skips) it like any other.
        if email.is_some() && pending.emails.contains(&email) {
            flush(c, ctx, &mut pending, &mut known)?;
        }
        let outcome = if v.overflow {
            Err(StoredMessage::new(key("import-row-overflow")))
        } else {
            match email.as_ref().and_then(|e| known.matches.get(e)).copied() {
                Some(Match::Hidden) => Err(outside_scope()),
                Some(Match::Visible(_)) if !ctx.update => {
                    t.skipped += 1;
                    Ok(())
                }
                Some(Match::Visible(id)) => {
                    update_row(c, ctx, &mut known, id, v)?.map(|()| t.updated += 1)
                }
                None => new_row(c, ctx, v)?.map(|n| {
                    pending.contacts.push(n);
                    pending.emails.push(email);
                    t.created += 1;
                }),
            }
        };
        if let Err(message) = outcome {
            t.errors += 1;
            errors.push((row.line, message));
        }
    }
    flush(c, ctx, &mut pending, &mut known)?;
    repo::add_errors(c, ctx.id, &errors)?;
    if !repo::advance(c, ctx.id, from, &t)? {
        return Err(Stop::Superseded);
    }
    Ok(t)
}

/// Row-level problems are `Err(message)`; database errors stop the batch.
type RowResult<T> = Result<Result<T, StoredMessage>, Stop>;

fn account(c: &mut DbConn, ctx: &mut Context, name: &str, owner: i64) -> Result<i64, Stop> {
    let key = name.to_lowercase();
    if let Some(id) = ctx.accounts.get(&key) {
        return Ok(*id);
    }
    let id = accounts::repo::find_or_create(c, &ctx.viewer, name, UserId::new(owner))?.get();
    ctx.accounts.insert(key, id);
    Ok(id)
}

fn tag_id(c: &mut DbConn, ctx: &mut Context, name: &str) -> Result<i64, Stop> {
    let key = name.to_lowercase();
    if let Some(id) = ctx.tags.get(&key) {
        return Ok(*id);
    }
    let id = tags::ensure(c, &[name.to_string()])?
        .first()
        .map(|t| t.get())
        .ok_or(Stop::Db(AppError::unexpected("tag not created")))?;
    ctx.tags.insert(key, id);
    Ok(id)
}

/// Inserts the batch's new contacts and their tags, and makes their emails
/// known to the rows that follow.
fn flush(
    c: &mut DbConn,
    ctx: &mut Context,
    pending: &mut Pending,
    known: &mut Existing,
) -> Result<(), Stop> {
    if pending.contacts.is_empty() {
        return Ok(());
    }
    let ids = repo::insert_contacts(c, ctx.user_id, &pending.contacts, &ctx.consent_how)?;
    crate::search::index::reindex_contacts(c, &ids)?;
    let mut links = BTreeSet::new();
    for (n, id) in pending.contacts.iter().zip(&ids) {
        for name in &n.input.tags {
            links.insert((*id, tag_id(c, ctx, name)?));
        }
    }
    repo::link_tags(c, &links.into_iter().collect::<Vec<_>>())?;
    for (email, id) in pending.emails.iter().zip(&ids) {
        if let Some(e) = email {
            known.matches.insert(e.clone(), Match::Visible(*id));
        }
    }
    pending.contacts.clear();
    pending.emails.clear();
    Ok(())
}

fn new_row(c: &mut DbConn, ctx: &mut Context, v: &Values) -> RowResult<NewContact> {
    let input = match v.new_contact().validate(&crate::i18n::Locale::default()) {
        Ok(i) => i,
        Err(e) => return Ok(Err(row::problem(&e))),
    };
    let account_id = match &input.account_name {
        Some(name) => Some(account(c, ctx, name, ctx.user_id)?),
        None => None,
    };
    Ok(Ok(NewContact {
        consent_set: input.consent != Consent::NeverAsked,
        input,
        account_id,
    }))
}

fn update_row(
    c: &mut DbConn,
    ctx: &mut Context,
    known: &mut Existing,
    id: i64,
    v: &Values,
) -> RowResult<()> {
    let current = match known.details.remove(&id) {
        Some(d) => d,
        None => match crate::contacts::repo::get(c, &ctx.viewer, ContactId::new(id))? {
            Some(d) => d,
            None => return Ok(Err(outside_scope())),
        },
    };
    let current_tags = match (&v.tags, known.tags.get(&id)) {
        (None, _) => Vec::new(),
        (Some(_), Some(t)) => t.clone(),
        (Some(_), None) => tags::by_id(c, RecordKind::Contact, &[id])?
            .remove(&id)
            .unwrap_or_default(),
    };
    let input = match v
        .onto(&current, &current_tags)
        .validate(&crate::i18n::Locale::default())
    {
        Ok(i) => i,
        Err(e) => return Ok(Err(row::problem(&e))),
    };
    let account = match (&v.company, &input.account_name) {
        (Some(_), Some(name)) => Some(AccountId::new(account(
            c,
            ctx,
            name,
            current.owner_id.get(),
        )?)),
        _ => current.account_id,
    };
    let before = current.consent;
    let how = (input.consent != before).then_some(ctx.consent_how.as_str());
    crate::contacts::repo::update(
        c,
        ContactId::new(id),
        &input,
        current.owner_id,
        account,
        how,
    )?;
    if v.tags.is_some() {
        // Tags are only ever added: link the ones the contact lacks.
        let mut have = BTreeSet::new();
        for name in &current_tags {
            have.insert(tag_id(c, ctx, name)?);
        }
        let mut links = Vec::new();
        for name in &input.tags {
            let tag = tag_id(c, ctx, name)?;
            if have.insert(tag) {
                links.push((id, tag));
            }
        }
        repo::link_tags(c, &links)?;
        known.tags.insert(id, input.tags);
    }
    Ok(Ok(()))
}
