//! Ticket reads: one ticket within the viewer's reach, its messages, the
//! queue's calendar and targets, the queues a user works. Writes live in
//! `write.rs` (status, assignment, take next) and `conversation.rs`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use super::domain::{Clock, MessageKind, Priority, Status, Targets};
use crate::auth::policy::Viewer;
use crate::db::DbConn;
use crate::db::schema::{
    calendar_holidays, contacts, jobs, queue_members, sla_targets, ticket_attachments,
    ticket_messages, ticket_queues, tickets, users, work_calendars,
};
use crate::domain::WorkCalendar;
use crate::domain::ids::{
    AccountId, ContactId, OrderId, QueueId, TicketId, TicketMessageId, UserId,
};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = tickets, check_for_backend(crate::db::MultiBackend))]
pub struct Ticket {
    pub id: TicketId,
    pub subject: String,
    pub requester_id: ContactId,
    pub queue_id: QueueId,
    pub priority: Priority,
    pub status: Status,
    pub assignee_id: Option<UserId>,
    pub version: i32,
    pub first_response_target: Option<i32>,
    pub resolution_target: Option<i32>,
    pub first_response_used: i32,
    pub resolution_used: i32,
    pub clock_started_at: Option<NaiveDateTime>,
    pub first_response_due: Option<NaiveDateTime>,
    pub resolution_due: Option<NaiveDateTime>,
    pub sla_due: Option<NaiveDateTime>,
    pub first_responded_at: Option<NaiveDateTime>,
    pub solved_at: Option<NaiveDateTime>,
    pub link_key: String,
    pub order_id: Option<OrderId>,
    pub account_id: Option<AccountId>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Ticket {
    /// Whether the ticket is assigned to user `id`.
    pub fn assigned_to(&self, id: &i64) -> bool {
        self.assignee_id.map(|a| a.get()) == Some(*id)
    }

    pub fn clock(&self) -> Clock {
        Clock {
            targets: Targets {
                first_response: self.first_response_target,
                resolution: self.resolution_target,
            },
            first_response_used: self.first_response_used,
            resolution_used: self.resolution_used,
            running_since: self.clock_started_at,
            responded: self.first_responded_at.is_some(),
        }
    }
}

/// Whose tickets a viewer reaches: every unassigned ticket, and those
/// assigned to the users their scope reaches (`None`: all).
#[derive(Clone, Debug)]
pub struct Reach(pub Option<Vec<i64>>);

impl Reach {
    pub fn of(c: &mut DbConn, viewer: &Viewer) -> QueryResult<Reach> {
        Ok(Reach(crate::staff::repo::visible_owner_ids(c, viewer)?))
    }
}

pub type Boxed = tickets::BoxedQuery<'static, crate::db::Backend>;

/// Tickets within reach.
pub fn visible(reach: &Reach) -> Boxed {
    let q = tickets::table.into_boxed();
    match &reach.0 {
        None => q,
        Some(ids) => q.filter(
            tickets::assignee_id
                .is_null()
                .or(tickets::assignee_id.eq_any(ids.clone())),
        ),
    }
}

pub fn get(c: &mut DbConn, reach: &Reach, id: TicketId) -> QueryResult<Option<Ticket>> {
    visible(reach)
        .filter(tickets::id.eq(id))
        .select(Ticket::as_select())
        .first(c)
        .optional()
}

/// A ticket by id, whoever may see it (public pages, after the signed
/// link was checked; the inbound side).
pub fn get_any(c: &mut DbConn, id: TicketId) -> QueryResult<Option<Ticket>> {
    tickets::table
        .find(id)
        .select(Ticket::as_select())
        .first(c)
        .optional()
}

/// Who asked: name and address of the requester.
#[derive(Clone, Debug)]
pub struct Requester {
    pub id: ContactId,
    pub name: String,
    pub email: Option<String>,
}

pub fn requester(c: &mut DbConn, id: ContactId) -> QueryResult<Requester> {
    let (first, last, email): (String, String, Option<String>) = contacts::table
        .find(id)
        .select((contacts::first_name, contacts::last_name, contacts::email))
        .first(c)?;
    Ok(Requester {
        id,
        name: format!("{first} {last}").trim().to_string(),
        email,
    })
}

#[derive(Queryable, Debug, Clone)]
pub struct Message {
    pub id: TicketMessageId,
    pub kind: MessageKind,
    pub author_id: Option<UserId>,
    pub author_name: Option<String>,
    pub body: String,
    pub message_id: Option<String>,
    pub outbox_status: Option<String>,
    pub created_at: NaiveDateTime,
}

impl Message {
    /// The message key of the email's delivery state (the outbox job's).
    pub fn mail_status_key(&self) -> Option<&'static str> {
        use crate::i18n::key;
        self.outbox_status.as_deref().map(|s| match s {
            crate::jobs::repo::DONE => key("tickets-mail-sent"),
            crate::jobs::repo::FAILED => key("tickets-mail-failed"),
            crate::jobs::repo::RUNNING => key("tickets-mail-sending"),
            _ => key("tickets-mail-queued"),
        })
    }
}

/// The messages of a ticket, oldest first (`public_only`: the customer's view).
pub fn messages(c: &mut DbConn, id: TicketId, public_only: bool) -> QueryResult<Vec<Message>> {
    let mut q = ticket_messages::table
        .left_join(users::table.on(users::id.nullable().eq(ticket_messages::author_id)))
        .left_join(jobs::table.on(jobs::id.nullable().eq(ticket_messages::outbox_job_id)))
        .filter(ticket_messages::ticket_id.eq(id))
        .select((
            ticket_messages::id,
            ticket_messages::kind,
            ticket_messages::author_id,
            users::name.nullable(),
            ticket_messages::body,
            ticket_messages::message_id,
            jobs::status.nullable(),
            ticket_messages::created_at,
        ))
        .order((ticket_messages::created_at.asc(), ticket_messages::id.asc()))
        .into_boxed();
    if public_only {
        q = q.filter(ticket_messages::kind.ne(MessageKind::InternalNote));
    }
    q.load(c)
}

/// The Message-IDs of a ticket's emails, oldest first (for References).
pub fn message_ids(c: &mut DbConn, id: TicketId) -> QueryResult<Vec<String>> {
    Ok(ticket_messages::table
        .filter(ticket_messages::ticket_id.eq(id))
        .filter(ticket_messages::kind.ne(MessageKind::InternalNote))
        .order((ticket_messages::created_at.asc(), ticket_messages::id.asc()))
        .select(ticket_messages::message_id)
        .load::<Option<String>>(c)?
        .into_iter()
        .flatten()
        .collect())
}

#[derive(Queryable, Debug, Clone)]
pub struct Attachment {
    pub id: i64,
    pub message_id: TicketMessageId,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub stored_name: String,
}

pub fn attachments(c: &mut DbConn, id: TicketId) -> QueryResult<Vec<Attachment>> {
    ticket_attachments::table
        .filter(ticket_attachments::ticket_id.eq(id))
        .select((
            ticket_attachments::id,
            ticket_attachments::message_id,
            ticket_attachments::filename,
            ticket_attachments::content_type,
            ticket_attachments::size_bytes,
            ticket_attachments::stored_name,
        ))
        .order(ticket_attachments::id.asc())
        .load(c)
}

pub fn attachment(
    c: &mut DbConn,
    ticket: TicketId,
    id: i64,
) -> QueryResult<Option<(Attachment, MessageKind)>> {
    ticket_attachments::table
        .inner_join(
            ticket_messages::table.on(ticket_messages::id.eq(ticket_attachments::message_id)),
        )
        .filter(ticket_attachments::ticket_id.eq(ticket))
        .filter(ticket_attachments::id.eq(id))
        .select((
            (
                ticket_attachments::id,
                ticket_attachments::message_id,
                ticket_attachments::filename,
                ticket_attachments::content_type,
                ticket_attachments::size_bytes,
                ticket_attachments::stored_name,
            ),
            ticket_messages::kind,
        ))
        .first(c)
        .optional()
}

#[derive(Queryable, Debug, Clone)]
pub struct Queue {
    pub id: QueueId,
    pub name: String,
    pub default_priority: Priority,
    pub sla_policy_id: Option<i64>,
    pub is_default: bool,
    pub auto_assign: bool,
}

type QueueCols = (
    ticket_queues::id,
    ticket_queues::name,
    ticket_queues::default_priority,
    ticket_queues::sla_policy_id,
    ticket_queues::is_default,
    ticket_queues::auto_assign,
);
const QUEUE_COLS: QueueCols = (
    ticket_queues::id,
    ticket_queues::name,
    ticket_queues::default_priority,
    ticket_queues::sla_policy_id,
    ticket_queues::is_default,
    ticket_queues::auto_assign,
);

pub fn queues(c: &mut DbConn) -> QueryResult<Vec<Queue>> {
    ticket_queues::table
        .select(QUEUE_COLS)
        .order(ticket_queues::name.asc())
        .load(c)
}

pub fn queue(c: &mut DbConn, id: QueueId) -> QueryResult<Option<Queue>> {
    ticket_queues::table
        .find(id)
        .select(QUEUE_COLS)
        .first(c)
        .optional()
}

/// The queue new mail and the public form land in (the migration makes
/// one; else the oldest).
pub fn default_queue(c: &mut DbConn) -> QueryResult<Queue> {
    ticket_queues::table
        .select(QUEUE_COLS)
        .order((ticket_queues::is_default.desc(), ticket_queues::id.asc()))
        .first(c)
}

/// The queues a user is a member of.
pub fn my_queues(c: &mut DbConn, user: UserId) -> QueryResult<Vec<QueueId>> {
    queue_members::table
        .filter(queue_members::user_id.eq(user))
        .select(queue_members::queue_id)
        .load(c)
}

pub fn members(c: &mut DbConn, queue: QueueId) -> QueryResult<Vec<UserId>> {
    queue_members::table
        .inner_join(users::table.on(users::id.eq(queue_members::user_id)))
        .filter(queue_members::queue_id.eq(queue))
        .filter(users::active.eq(true))
        .select(queue_members::user_id)
        .order(queue_members::user_id.asc())
        .load(c)
}

/// The SLA targets of `priority` in the queue's policy.
pub fn targets(c: &mut DbConn, queue: &Queue, priority: Priority) -> QueryResult<Targets> {
    let Some(policy) = queue.sla_policy_id else {
        return Ok(Targets::default());
    };
    let row: Option<(i32, i32)> = sla_targets::table
        .filter(sla_targets::policy_id.eq(policy))
        .filter(sla_targets::priority.eq(priority))
        .select((
            sla_targets::first_response_minutes,
            sla_targets::resolution_minutes,
        ))
        .first(c)
        .optional()?;
    Ok(row.map_or(Targets::default(), |(f, r)| Targets {
        first_response: Some(f),
        resolution: Some(r),
    }))
}

fn time_of(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// The business-hours calendar of a queue's policy (round the clock in
/// UTC when it has none).
pub fn calendar(c: &mut DbConn, queue: QueueId) -> QueryResult<WorkCalendar> {
    use crate::db::schema::sla_policies;
    let row: Option<(i64, String, String, String, String)> = ticket_queues::table
        .inner_join(
            sla_policies::table.on(sla_policies::id.nullable().eq(ticket_queues::sla_policy_id)),
        )
        .inner_join(
            work_calendars::table.on(work_calendars::id.nullable().eq(sla_policies::calendar_id)),
        )
        .filter(ticket_queues::id.eq(queue))
        .select((
            work_calendars::id,
            work_calendars::zone,
            work_calendars::working_days,
            work_calendars::day_start,
            work_calendars::day_end,
        ))
        .first(c)
        .optional()?;
    let Some((id, zone, days, start, end)) = row else {
        return Ok(WorkCalendar::always(chrono_tz::UTC));
    };
    let holidays: Vec<NaiveDate> = calendar_holidays::table
        .filter(calendar_holidays::calendar_id.eq(id))
        .select(calendar_holidays::day)
        .load(c)?;
    Ok(build_calendar(&zone, &days, &start, &end, &holidays))
}

/// A calendar from its stored settings; anything unreadable falls back to
/// round the clock in UTC rather than failing a ticket.
pub fn build_calendar(
    zone: &str,
    days: &str,
    start: &str,
    end: &str,
    holidays: &[NaiveDate],
) -> WorkCalendar {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    let (Some(from), Some(to)) = (time_of(start), time_of(end)) else {
        return WorkCalendar::always(tz);
    };
    let mut cal = WorkCalendar::new(tz);
    for d in days
        .split(',')
        .filter_map(|d| d.trim().parse::<usize>().ok())
    {
        if (1..=7).contains(&d) && cal.set_day(d - 1, vec![(from, to)]).is_err() {
            return WorkCalendar::always(tz);
        }
    }
    for h in holidays {
        cal.add_holiday(*h);
    }
    cal
}

/// Users by id, for names on pages.
pub fn user_names(c: &mut DbConn) -> QueryResult<Vec<(UserId, String)>> {
    users::table
        .filter(users::active.eq(true))
        .select((users::id, users::name))
        .order(users::name.asc())
        .load(c)
}
