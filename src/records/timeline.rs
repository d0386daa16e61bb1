//! The timeline of any record: writing an entry and reading a record's
//! entries, newest first. An entry is filed under every record in its
//! `Links`; a contact's entries carry its account, which is how an
//! account's timeline shows what was logged on its contacts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::RecordRef;
use super::links::{self, Links};
use crate::db::schema::{activities, contacts, users};
use crate::db::{DbConn, last_insert_id, now};
use crate::domain::ids::{ActivityId, ContactId, UserId};
use crate::i18n::{Locale, StoredMessage, key};

crate::text_enum! {
    /// What an entry is: logged by a person (note, call, meeting) or
    /// recorded by Rapport when something happened.
    pub enum ActivityKind {
        Note = "note",
        Call = "call",
        Meeting = "meeting",
        /// An email exchanged with the person (imported or sent).
        Email = "email",
        /// Marketing consent changed.
        Consent = "consent",
        /// Another contact was merged into this one.
        Merge = "merge",
        /// A deal moved to another stage (won, lost, reopened).
        Stage = "stage",
        /// A deal's expected close date moved (the close-month board).
        CloseDate = "close_date",
        /// A quote or order changed status (sent, confirmed, cancelled …).
        Order = "order",
        /// A ticket opened, changed status, priority or assignee.
        Ticket = "ticket",
    }
}

impl ActivityKind {
    /// What a person can log from the timeline's form.
    pub const LOGGED: [ActivityKind; 3] = [
        ActivityKind::Note,
        ActivityKind::Call,
        ActivityKind::Meeting,
    ];

    /// The kind's name, a message key.
    pub fn label_key(self) -> &'static str {
        match self {
            ActivityKind::Note => key("records-kind-note"),
            ActivityKind::Call => key("records-kind-call"),
            ActivityKind::Meeting => key("records-kind-meeting"),
            ActivityKind::Email => key("records-kind-email"),
            ActivityKind::Consent => key("records-kind-consent"),
            ActivityKind::Merge => key("records-kind-merge"),
            ActivityKind::Stage => key("records-kind-stage"),
            ActivityKind::CloseDate => key("records-kind-close-date"),
            ActivityKind::Order => key("records-kind-order"),
            ActivityKind::Ticket => key("records-kind-ticket"),
        }
    }

    /// The kind as an entry's tag on the timeline, a message key.
    pub fn entry_key(self) -> &'static str {
        match self {
            ActivityKind::Note => key("records-entry-note"),
            ActivityKind::Call => key("records-entry-call"),
            ActivityKind::Meeting => key("records-entry-meeting"),
            ActivityKind::Email => key("records-entry-email"),
            ActivityKind::Consent => key("records-entry-consent"),
            ActivityKind::Merge => key("records-entry-merge"),
            ActivityKind::Stage => key("records-entry-stage"),
            ActivityKind::CloseDate => key("records-entry-close-date"),
            ActivityKind::Order => key("records-entry-order"),
            ActivityKind::Ticket => key("records-entry-ticket"),
        }
    }
}

/// One entry to write.
pub struct NewEntry<'a> {
    pub links: Links,
    pub kind: ActivityKind,
    pub subject: Option<&'a str>,
    pub body: &'a str,
    pub author: Option<UserId>,
    /// A record the event is about (a merged contact, say).
    pub reference: Option<RecordRef>,
}

/// Something Rapport records on a timeline when it happens (consent
/// changed, contacts merged, a deal's stage moved): a message key and
/// arguments, worded in the language of whoever reads the timeline.
///
/// ```ignore
/// timeline::log_event(c, Links::of(RecordRef::Contact(id)), &SystemEvent {
///     kind: ActivityKind::Consent,
///     message: StoredMessage::new(key("contacts-consent-changed"))
///         .label("before", before.label_key())
///         .label("after", after.label_key()),
///     author: Some(user_id),
///     reference: None,
/// })?;
/// ```
pub struct SystemEvent {
    pub kind: ActivityKind,
    pub message: StoredMessage,
    /// Who caused it, if a person did.
    pub author: Option<UserId>,
    /// A record the event is about (a merged contact, say).
    pub reference: Option<RecordRef>,
}

/// Writes the entry; it shows on the timeline of every linked record.
pub fn log(conn: &mut DbConn, e: &NewEntry) -> QueryResult<ActivityId> {
    insert(conn, e, None)
}

/// Writes a system event on the timeline of every linked record.
pub fn log_event(conn: &mut DbConn, links: Links, e: &SystemEvent) -> QueryResult<ActivityId> {
    let entry = NewEntry {
        links,
        kind: e.kind,
        subject: None,
        body: "",
        author: e.author,
        reference: e.reference,
    };
    insert(conn, &entry, Some(e.message.to_json()))
}

fn insert(conn: &mut DbConn, e: &NewEntry, message: Option<String>) -> QueryResult<ActivityId> {
    let t = now();
    diesel::insert_into(activities::table)
        .values((
            links::activities::values(&e.links),
            activities::kind.eq(e.kind),
            activities::subject.eq(e.subject),
            activities::body.eq(e.body),
            activities::system_message.eq(message),
            activities::author_id.eq(e.author),
            activities::created_at.eq(t),
            activities::occurred_at.eq(t),
            activities::ref_type.eq(e.reference.map(|r| r.kind())),
            activities::ref_id.eq(e.reference.map(|r| r.raw_id())),
        ))
        .execute(conn)?;
    last_insert_id(conn).map(ActivityId::new)
}

/// One entry as a timeline shows it, with its author and the contact it
/// was logged on (named on other records' timelines).
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = activities, check_for_backend(crate::db::MultiBackend))]
pub struct TimelineEntry {
    pub id: ActivityId,
    pub kind: ActivityKind,
    pub subject: Option<String>,
    pub body: String,
    /// A system event's message (`SystemEvent`), JSON.
    pub system_message: Option<String>,
    pub occurred_at: NaiveDateTime,
    #[diesel(select_expression = users::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::name>)]
    pub author_name: Option<String>,
    pub contact_id: Option<ContactId>,
    #[diesel(select_expression = contacts::first_name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::first_name>)]
    pub contact_first: Option<String>,
    #[diesel(select_expression = contacts::last_name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<contacts::last_name>)]
    pub contact_last: Option<String>,
}

impl TimelineEntry {
    /// The entry's heading in the viewer's words: a system event's
    /// message, else the subject as written (by a person, or in English
    /// by versions before events were messages).
    pub fn subject_in(&self, locale: &Locale) -> Option<String> {
        match self.system_message.as_deref() {
            Some(json) => Some(locale.stored(Some(json), self.subject.as_deref().unwrap_or(""))),
            None => self.subject.clone(),
        }
    }

    /// The contact the entry was logged on, by name.
    pub fn contact_name(&self) -> String {
        crate::domain::person_name(
            self.contact_first.as_deref().unwrap_or(""),
            self.contact_last.as_deref().unwrap_or(""),
        )
    }
}

/// The record's entries, newest first (the caller has checked the viewer
/// can see the record).
pub fn of(conn: &mut DbConn, r: RecordRef, limit: i64) -> QueryResult<Vec<TimelineEntry>> {
    activities::table
        .left_join(users::table)
        .left_join(contacts::table.on(activities::contact_id.eq(contacts::id.nullable())))
        .filter(links::activities::is(r))
        .order((activities::occurred_at.desc(), activities::id.desc()))
        .limit(limit)
        .select(TimelineEntry::as_select())
        .load(conn)
}
