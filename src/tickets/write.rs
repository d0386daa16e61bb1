//! Ticket writes that are not messages: opening a ticket, status changes
//! (which stop, resume and re-time the SLA clock), assignment by hand,
//! round robin and "Take next". Every change is a conditional UPDATE with
//! an affected-rows check (docs/concurrency.md): no row is locked across
//! anything, and two agents can never both get a ticket.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::Rng;

use super::domain::{Clock, Due, MessageKind, Priority, Status};
use super::repo::{self, Queue, Ticket};
use crate::db::schema::{ticket_messages, ticket_queues, tickets};
use crate::db::{DbConn, last_insert_id, now, write_tx};
use crate::domain::ids::{ContactId, QueueId, TicketId, TicketMessageId, UserId};
use crate::error::{AppError, AppResult};
use crate::i18n::{StoredMessage, key};
use crate::records::timeline::{self, ActivityKind, SystemEvent};
use crate::records::{Links, RecordRef};

/// A fresh random link key (revoking it revokes the ticket's links).
pub fn new_link_key() -> String {
    let bytes: [u8; 16] = rand::thread_rng().r#gen();
    hex::encode(bytes)
}

/// An event on the ticket's own timeline (status, assignment, move, take).
fn ticket_event(
    c: &mut DbConn,
    id: TicketId,
    message: StoredMessage,
    author: Option<UserId>,
) -> QueryResult<()> {
    let event = SystemEvent {
        kind: ActivityKind::Ticket,
        message,
        author,
        reference: None,
    };
    timeline::log_event(c, Links::of(RecordRef::Ticket(id)), &event).map(|_| ())
}

/// What the due columns become for a clock.
fn due_values(clock: &Clock, due: &Due) -> DueCols {
    (
        tickets::first_response_used.eq(clock.first_response_used),
        tickets::resolution_used.eq(clock.resolution_used),
        tickets::clock_started_at.eq(clock.running_since),
        tickets::first_response_due.eq(due.first_response),
        tickets::resolution_due.eq(due.resolution),
        tickets::sla_due.eq(due.next()),
    )
}

type DueCols = (
    diesel::dsl::Eq<tickets::first_response_used, i32>,
    diesel::dsl::Eq<tickets::resolution_used, i32>,
    diesel::dsl::Eq<tickets::clock_started_at, Option<NaiveDateTime>>,
    diesel::dsl::Eq<tickets::first_response_due, Option<NaiveDateTime>>,
    diesel::dsl::Eq<tickets::resolution_due, Option<NaiveDateTime>>,
    diesel::dsl::Eq<tickets::sla_due, Option<NaiveDateTime>>,
);

/// A ticket to open.
pub struct NewTicket<'a> {
    pub subject: &'a str,
    pub requester: ContactId,
    pub queue: &'a Queue,
    pub priority: Option<Priority>,
    pub body: &'a str,
    /// Who wrote the first message: an agent (staff form) or the customer.
    pub kind: MessageKind,
    pub author: Option<UserId>,
    pub message_id: Option<&'a str>,
    /// The order and account it is about (staff form), if any.
    pub links: super::links::Resolved,
}

/// Opens a ticket with its first message (inside the caller's
/// transaction); the event goes on the ticket's and the contact's
/// timelines. Returns the ticket and its first message.
pub fn open(c: &mut DbConn, t: &NewTicket) -> AppResult<(TicketId, TicketMessageId)> {
    let at = now();
    let priority = t.priority.unwrap_or(t.queue.default_priority);
    let targets = repo::targets(c, t.queue, priority)?;
    let cal = repo::calendar(c, t.queue.id)?;
    let clock = Clock::start(targets, at);
    let due = clock.due(&cal);
    diesel::insert_into(tickets::table)
        .values((
            tickets::subject.eq(t.subject),
            tickets::requester_id.eq(t.requester),
            tickets::queue_id.eq(t.queue.id),
            tickets::priority.eq(priority),
            tickets::status.eq(Status::New),
            tickets::first_response_target.eq(targets.first_response),
            tickets::resolution_target.eq(targets.resolution),
            due_values(&clock, &due),
            tickets::link_key.eq(new_link_key()),
            tickets::order_id.eq(t.links.order),
            tickets::account_id.eq(t.links.account),
            tickets::created_at.eq(at),
            tickets::updated_at.eq(at),
        ))
        .execute(c)?;
    let id = TicketId::new(last_insert_id(c)?);
    crate::search::index::reindex_tickets(c, &[id.get()])?;
    let author_contact = (t.kind == MessageKind::CustomerMessage).then_some(t.requester);
    let msg = insert_message(
        c,
        id,
        t.kind,
        t.author,
        author_contact,
        t.body,
        t.message_id,
        None,
    )?;
    timeline::log_event(
        c,
        Links {
            order: t.links.order,
            account: t.links.account,
            ..Links::of(RecordRef::Ticket(id)).with(RecordRef::Contact(t.requester))
        },
        &SystemEvent {
            kind: ActivityKind::Ticket,
            message: StoredMessage::new(key("tickets-event-opened"))
                .num("id", id.get())
                .text("subject", t.subject),
            author: t.author,
            reference: Some(RecordRef::Ticket(id)),
        },
    )?;
    if t.queue.auto_assign {
        round_robin(c, t.queue.id, id)?;
    }
    Ok((id, msg))
}

#[allow(clippy::too_many_arguments)]
pub fn insert_message(
    c: &mut DbConn,
    ticket: TicketId,
    kind: MessageKind,
    author: Option<UserId>,
    author_contact: Option<ContactId>,
    body: &str,
    message_id: Option<&str>,
    outbox_job: Option<i64>,
) -> QueryResult<TicketMessageId> {
    diesel::insert_into(ticket_messages::table)
        .values((
            ticket_messages::ticket_id.eq(ticket),
            ticket_messages::kind.eq(kind),
            ticket_messages::author_id.eq(author),
            ticket_messages::author_contact_id.eq(author_contact),
            ticket_messages::body.eq(body),
            ticket_messages::message_id.eq(message_id),
            ticket_messages::outbox_job_id.eq(outbox_job),
            ticket_messages::created_at.eq(now()),
        ))
        .execute(c)?;
    Ok(TicketMessageId::new(last_insert_id(c)?))
}

/// Why a change did not happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Someone changed the ticket since the page was drawn.
    Stale,
    /// Not a change allowed from the ticket's status.
    NotAllowed,
}

/// Moves a ticket to `to` from the version the agent saw: the SLA clock
/// stops (pending, on hold, solved, closed) or resumes (open) and the due
/// times are recomputed; recorded on the timeline. Inside the caller's
/// transaction.
pub fn set_status(
    c: &mut DbConn,
    t: &Ticket,
    version: i32,
    to: Status,
    author: Option<UserId>,
) -> AppResult<Result<(), Refused>> {
    if !t.status.offered().contains(&to) {
        return Ok(Err(Refused::NotAllowed));
    }
    let at = now();
    let cal = repo::calendar(c, t.queue_id)?;
    let clock = if to.clock_runs() {
        t.clock().resume(at)
    } else {
        t.clock().stop(&cal, at)
    };
    let due = clock.due(&cal);
    let solved_at = match to {
        Status::Solved | Status::Closed => t.solved_at.or(Some(at)),
        _ => None,
    };
    let n = diesel::update(
        tickets::table
            .filter(tickets::id.eq(t.id))
            .filter(tickets::version.eq(version))
            .filter(tickets::status.eq(t.status)),
    )
    .set((
        tickets::status.eq(to),
        due_values(&clock, &due),
        tickets::solved_at.eq(solved_at),
        tickets::version.eq(tickets::version + 1),
        tickets::updated_at.eq(at),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(Err(Refused::Stale));
    }
    ticket_event(
        c,
        t.id,
        StoredMessage::new(key("tickets-event-status"))
            .label("before", t.status.label_key())
            .label("after", to.label_key()),
        author,
    )?;
    Ok(Ok(()))
}

/// Moves a ticket to another queue and/or priority from the version the
/// agent saw. The targets become the new queue's policy's for the new
/// priority; the minutes already used stay. A running clock closes its
/// stretch on the old queue's calendar and runs on from now on the new
/// one, so no minute is counted twice or lost; the due times follow.
pub fn retriage(
    c: &mut DbConn,
    t: &Ticket,
    version: i32,
    queue: &Queue,
    priority: Priority,
    author: Option<UserId>,
) -> AppResult<Result<(), Refused>> {
    let at = now();
    let old_cal = repo::calendar(c, t.queue_id)?;
    let was = t.clock();
    let mut clock = was.stop(&old_cal, at);
    clock.targets = repo::targets(c, queue, priority)?;
    if was.running_since.is_some() {
        clock = clock.resume(at);
    }
    let due = clock.due(&repo::calendar(c, queue.id)?);
    let n = diesel::update(
        tickets::table
            .filter(tickets::id.eq(t.id))
            .filter(tickets::version.eq(version)),
    )
    .set((
        tickets::queue_id.eq(queue.id),
        tickets::priority.eq(priority),
        tickets::first_response_target.eq(clock.targets.first_response),
        tickets::resolution_target.eq(clock.targets.resolution),
        due_values(&clock, &due),
        tickets::version.eq(tickets::version + 1),
        tickets::updated_at.eq(at),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(Err(Refused::Stale));
    }
    ticket_event(
        c,
        t.id,
        StoredMessage::new(key("tickets-event-triaged"))
            .text("queue", queue.name.as_str())
            .label("priority", priority.label_key()),
        author,
    )?;
    Ok(Ok(()))
}

/// Assigns (or unassigns) a ticket from the version the agent saw.
pub fn assign(
    c: &mut DbConn,
    t: &Ticket,
    version: Option<i32>,
    to: Option<UserId>,
    author: Option<UserId>,
) -> AppResult<Result<(), Refused>> {
    let mut q = diesel::update(tickets::table)
        .filter(tickets::id.eq(t.id))
        .into_boxed();
    if let Some(v) = version {
        q = q.filter(tickets::version.eq(v));
    }
    let n = q
        .set((
            tickets::assignee_id.eq(to),
            tickets::version.eq(tickets::version + 1),
            tickets::updated_at.eq(now()),
        ))
        .execute(c)?;
    if n == 0 {
        return Ok(Err(Refused::Stale));
    }
    let name = match to {
        Some(u) => crate::staff::repo::get_user(c, u)?
            .map(|u| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    ticket_event(
        c,
        t.id,
        if to.is_some() {
            StoredMessage::new(key("tickets-event-assigned")).text("name", name.as_str())
        } else {
            StoredMessage::new(key("tickets-event-unassigned"))
        },
        author,
    )?;
    Ok(Ok(()))
}

/// How many candidates one look at the queue reads: more than the agents
/// of one server who may press at the same moment.
const CANDIDATES: i64 = 32;
/// Looks at the queue before giving up when every candidate was taken.
const ROUNDS: usize = 8;

/// The tickets a Take next of this process is claiming right now. Agents
/// pressing at the same moment on one server each try a different
/// candidate instead of all queueing on the most urgent row (each waiting
/// for the winner's commit, then racing again for the next): with 16
/// agents that contention cut the claims per second by half. This is only
/// a hint: the conditional UPDATE still decides every claim, and agents on
/// other servers may still race for a row.
static IN_FLIGHT: std::sync::LazyLock<std::sync::Mutex<HashSet<TicketId>>> =
    std::sync::LazyLock::new(Default::default);

/// A candidate this thread is claiming (out of `IN_FLIGHT` when dropped).
struct Attempt(TicketId);

impl Attempt {
    /// The first candidate not tried yet and not being claimed by another
    /// Take next of this process.
    fn first_free(candidates: &[TicketId], tried: &HashSet<TicketId>) -> Option<Attempt> {
        let mut busy = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
        let id = *candidates
            .iter()
            .find(|id| !tried.contains(id) && !busy.contains(id))?;
        busy.insert(id);
        Some(Attempt(id))
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        IN_FLIGHT
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.0);
    }
}

/// "Take next": the most urgent unassigned open ticket of `queues` (all
/// queues when empty) becomes `user`'s. Each candidate is claimed with
/// `UPDATE tickets SET assignee_id = ?, version = version + 1 WHERE id = ?
/// AND take_rank IS NOT NULL` (still unassigned and new or open); 0 rows
/// means another agent was quicker (or it was solved meanwhile), so the
/// next candidate is tried (skipping those another agent of this server
/// is claiming, `IN_FLIGHT`). The claim and its "assigned to" timeline
/// entry are one `write_tx`, so a take is recorded exactly once and a
/// conflict (on Galera: a certification failure at commit) is retried as a
/// whole; the retry finds the ticket taken. No lock is held between
/// candidates.
pub fn take_next(
    c: &mut DbConn,
    user: UserId,
    queues: &[QueueId],
) -> QueryResult<Option<TicketId>> {
    let name = crate::staff::repo::get_user(c, user)?
        .map(|u| u.name)
        .unwrap_or_default();
    let mut tried = HashSet::new();
    for round in 0..ROUNDS {
        // `take_rank` is set exactly on the unassigned new and open
        // tickets (by the database, from the row): the candidates are the
        // first entries of its index, the most urgent, then the oldest.
        let mut q = tickets::table
            .filter(tickets::take_rank.is_not_null())
            .select(tickets::id)
            .order((tickets::take_rank.asc(), tickets::id.asc()))
            .limit(CANDIDATES)
            .into_boxed();
        if !queues.is_empty() {
            q = q.filter(tickets::queue_id.eq_any(queues.to_vec()));
        }
        let candidates: Vec<TicketId> = q.load(c)?;
        if candidates.is_empty() {
            return Ok(None);
        }
        while let Some(attempt) = Attempt::first_free(&candidates, &tried) {
            tried.insert(attempt.0);
            if write_tx(c, |c| claim(c, attempt.0, user, &name))? {
                return Ok(Some(attempt.0));
            }
        }
        // Every candidate was taken or is being claimed: the claims in
        // flight commit within milliseconds; look again after them.
        std::thread::sleep(std::time::Duration::from_millis(2 << round.min(4)));
    }
    Ok(None)
}

/// One candidate of Take next: true if it became `user`'s (and the
/// timeline says so), false if another agent had it first.
fn claim(c: &mut DbConn, id: TicketId, user: UserId, name: &str) -> QueryResult<bool> {
    // Still takeable (unassigned, new or open) at the moment of the claim.
    let n = diesel::update(
        tickets::table
            .filter(tickets::id.eq(id))
            .filter(tickets::take_rank.is_not_null()),
    )
    .set((
        tickets::assignee_id.eq(Some(user)),
        tickets::version.eq(tickets::version + 1),
        tickets::updated_at.eq(now()),
    ))
    .execute(c)?;
    if n == 0 {
        return Ok(false);
    }
    ticket_event(
        c,
        id,
        StoredMessage::new(key("tickets-event-assigned")).text("name", name),
        Some(user),
    )?;
    Ok(true)
}

/// The member after `last` in id order, wrapping around.
pub fn next_member(members: &[UserId], last: Option<UserId>) -> Option<UserId> {
    let first = *members.first()?;
    Some(match last {
        Some(l) => members.iter().copied().find(|m| *m > l).unwrap_or(first),
        None => first,
    })
}

/// Round robin: the queue's cursor moves from the member read to the next
/// by a conditional UPDATE (0 rows: another ticket moved it first; read
/// again), then the ticket is given to that member.
pub fn round_robin(
    c: &mut DbConn,
    queue: QueueId,
    ticket: TicketId,
) -> QueryResult<Option<UserId>> {
    let members = repo::members(c, queue)?;
    for _ in 0..ROUNDS {
        let last: Option<i64> = ticket_queues::table
            .find(queue)
            .select(ticket_queues::rr_last_user_id)
            .first(c)?;
        let Some(next) = next_member(&members, last.map(UserId::new)) else {
            return Ok(None);
        };
        let mut cursor = diesel::update(ticket_queues::table)
            .filter(ticket_queues::id.eq(queue))
            .into_boxed();
        cursor = match last {
            Some(l) => cursor.filter(ticket_queues::rr_last_user_id.eq(l)),
            None => cursor.filter(ticket_queues::rr_last_user_id.is_null()),
        };
        let moved = cursor
            .set(ticket_queues::rr_last_user_id.eq(Some(next.get())))
            .execute(c)?;
        if moved == 1 {
            diesel::update(
                tickets::table
                    .filter(tickets::id.eq(ticket))
                    .filter(tickets::assignee_id.is_null()),
            )
            .set(tickets::assignee_id.eq(Some(next)))
            .execute(c)?;
            return Ok(Some(next));
        }
    }
    Ok(None)
}

/// A requester found by address, or created (owned by the first admin).
pub fn find_or_create_contact(c: &mut DbConn, email: &str, name: &str) -> AppResult<ContactId> {
    use crate::contacts::domain::Lifecycle;
    find_or_create_by_email(c, email, name, "support", Lifecycle::NewCustomer, None)
}

/// The contact with this address, or a new one named after `name` (else
/// the address's local part), owned by the first admin, consent not asked:
/// for people who write in (support) or sign up (campaign sign-up pages).
pub fn find_or_create_by_email(
    c: &mut DbConn,
    email: &str,
    name: &str,
    source: &str,
    lifecycle: crate::contacts::domain::Lifecycle,
    language: Option<crate::i18n::Lang>,
) -> AppResult<ContactId> {
    if let Some(id) = crate::contacts::repo::find_by_email(c, email, None)? {
        return Ok(id);
    }
    use crate::contacts::domain::{Consent, ContactInput};
    let address = crate::domain::EmailAddress::parse(email)
        .map_err(|_| AppError::refused("error-email-invalid"))?;
    let name = name.trim();
    let (first, last) = match name.rsplit_once(' ') {
        Some((f, l)) => (f.trim().to_string(), l.trim().to_string()),
        None if !name.is_empty() => (name.to_string(), String::new()),
        None => (
            address.as_str().split('@').next().unwrap_or("").to_string(),
            String::new(),
        ),
    };
    let owner = first_admin(c)?;
    let input = ContactInput {
        first_name: first.chars().take(100).collect(),
        last_name: last.chars().take(100).collect(),
        email: Some(address),
        phone: None,
        title: None,
        account_name: None,
        address: None,
        city: None,
        country: None,
        lifecycle,
        source: Some(source.into()),
        consent: Consent::NeverAsked,
        language,
        tags: Vec::new(),
    };
    let id = crate::contacts::repo::insert(c, &input, owner, None, None)?;
    if language.is_some() {
        crate::contacts::repo::set_language(c, id, language)?;
    }
    Ok(id)
}

fn first_admin(c: &mut DbConn) -> AppResult<UserId> {
    use crate::db::schema::users;
    users::table
        .filter(users::active.eq(true))
        .order((users::role.eq("admin").desc(), users::id.asc()))
        .select(users::id)
        .first::<UserId>(c)
        .optional()?
        .ok_or_else(|| AppError::refused("tickets-error-no-staff"))
}
