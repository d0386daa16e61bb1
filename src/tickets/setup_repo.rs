//! Reads and writes of the ticket setup: work calendars and their
//! holidays, SLA policies with their per-priority targets, canned
//! responses. An edit is one conditional UPDATE on the version the form was
//! drawn at; a delete of a calendar or policy still in use is one
//! conditional DELETE (`NOT EXISTS` a user of it), so a policy or queue
//! taking it up meanwhile is never left pointing nowhere.

use chrono::NaiveDate;
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use super::domain::Priority;
use super::setup_forms::{CalendarInput, PolicyInput};
use crate::db::schema::{
    calendar_holidays, canned_responses, sla_policies, sla_targets, ticket_queues, work_calendars,
};
use crate::db::{DbConn, last_insert_id, now};
use crate::domain::ids::{CalendarId, CannedId, SlaPolicyId};

/// What a save or delete came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// The row changed since the form was drawn (or is gone).
    Stale,
    /// Still used (by a policy, a queue): not deleted.
    InUse,
    /// The name (or holiday day) is taken.
    Taken,
}

fn unique(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// A conditional UPDATE's answer: its one row, or none (changed or gone).
fn one_row(n: usize) -> Outcome {
    if n == 1 {
        Outcome::Done
    } else {
        Outcome::Stale
    }
}

/// `Ok(Taken)` for a unique violation, else the error.
fn or_taken(r: QueryResult<Outcome>) -> QueryResult<Outcome> {
    match r {
        Err(e) if unique(&e) => Ok(Outcome::Taken),
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Calendars.

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = work_calendars, check_for_backend(crate::db::MultiBackend))]
pub struct Calendar {
    pub id: CalendarId,
    pub name: String,
    pub zone: String,
    pub working_days: String,
    pub day_start: String,
    pub day_end: String,
    pub version: i32,
}

#[derive(Queryable, Clone, Debug)]
pub struct Holiday {
    pub id: i64,
    pub day: NaiveDate,
    pub name: String,
}

pub fn calendars(c: &mut DbConn) -> QueryResult<Vec<Calendar>> {
    work_calendars::table
        .select(Calendar::as_select())
        .order((work_calendars::name.asc(), work_calendars::id.asc()))
        .load(c)
}

pub fn calendar(c: &mut DbConn, id: CalendarId) -> QueryResult<Option<Calendar>> {
    work_calendars::table
        .find(id)
        .select(Calendar::as_select())
        .first(c)
        .optional()
}

pub fn holidays(c: &mut DbConn, id: CalendarId) -> QueryResult<Vec<Holiday>> {
    calendar_holidays::table
        .filter(calendar_holidays::calendar_id.eq(id))
        .select((
            calendar_holidays::id,
            calendar_holidays::day,
            calendar_holidays::name,
        ))
        .order(calendar_holidays::day.asc())
        .load(c)
}

/// The names of the policies that use the calendar.
pub fn calendar_users(c: &mut DbConn, id: CalendarId) -> QueryResult<Vec<String>> {
    sla_policies::table
        .filter(sla_policies::calendar_id.eq(id))
        .select(sla_policies::name)
        .order(sla_policies::name.asc())
        .load(c)
}

pub fn insert_calendar(
    c: &mut DbConn,
    v: &CalendarInput,
) -> QueryResult<Result<CalendarId, Outcome>> {
    let done = diesel::insert_into(work_calendars::table)
        .values((
            work_calendars::name.eq(&v.name),
            work_calendars::zone.eq(&v.zone),
            work_calendars::working_days.eq(&v.working_days),
            work_calendars::day_start.eq(&v.day_start),
            work_calendars::day_end.eq(&v.day_end),
            work_calendars::created_at.eq(now()),
        ))
        .execute(c);
    match done {
        Ok(_) => Ok(Ok(CalendarId::new(last_insert_id(c)?))),
        Err(e) if unique(&e) => Ok(Err(Outcome::Taken)),
        Err(e) => Err(e),
    }
}

pub fn update_calendar(
    c: &mut DbConn,
    id: CalendarId,
    version: i32,
    v: &CalendarInput,
) -> QueryResult<Outcome> {
    or_taken(
        diesel::update(
            work_calendars::table
                .filter(work_calendars::id.eq(id))
                .filter(work_calendars::version.eq(version)),
        )
        .set((
            work_calendars::name.eq(&v.name),
            work_calendars::zone.eq(&v.zone),
            work_calendars::working_days.eq(&v.working_days),
            work_calendars::day_start.eq(&v.day_start),
            work_calendars::day_end.eq(&v.day_end),
            work_calendars::version.eq(work_calendars::version + 1),
        ))
        .execute(c)
        .map(one_row),
    )
}

/// Deletes the calendar unless a policy uses it (its holidays go with it).
pub fn delete_calendar(c: &mut DbConn, id: CalendarId) -> QueryResult<Outcome> {
    let used = sla_policies::table.filter(sla_policies::calendar_id.eq(id));
    let n = diesel::delete(
        work_calendars::table
            .filter(work_calendars::id.eq(id))
            .filter(not(exists(used))),
    )
    .execute(c)?;
    if n == 1 {
        return Ok(Outcome::Done);
    }
    Ok(match calendar(c, id)? {
        Some(_) => Outcome::InUse,
        None => Outcome::Stale,
    })
}

pub fn add_holiday(
    c: &mut DbConn,
    id: CalendarId,
    day: NaiveDate,
    name: &str,
) -> QueryResult<Outcome> {
    or_taken(
        diesel::insert_into(calendar_holidays::table)
            .values((
                calendar_holidays::calendar_id.eq(id),
                calendar_holidays::day.eq(day),
                calendar_holidays::name.eq(name),
            ))
            .execute(c)
            .map(|_| Outcome::Done),
    )
}

pub fn remove_holiday(c: &mut DbConn, id: CalendarId, holiday: i64) -> QueryResult<usize> {
    diesel::delete(
        calendar_holidays::table
            .filter(calendar_holidays::id.eq(holiday))
            .filter(calendar_holidays::calendar_id.eq(id)),
    )
    .execute(c)
}

// ---------------------------------------------------------------------------
// SLA policies.

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = sla_policies, check_for_backend(crate::db::MultiBackend))]
pub struct Policy {
    pub id: SlaPolicyId,
    pub name: String,
    pub calendar_id: Option<i64>,
    pub version: i32,
}

/// A policy with its targets (priority, first response, resolution).
#[derive(Clone, Debug)]
pub struct PolicyRow {
    pub p: Policy,
    pub targets: Vec<(Priority, i32, i32)>,
    pub calendar_name: Option<String>,
}

impl PolicyRow {
    pub fn target(&self, p: &Priority) -> Option<(i32, i32)> {
        self.targets
            .iter()
            .find(|(q, _, _)| q == p)
            .map(|(_, f, r)| (*f, *r))
    }
}

/// Every policy with its targets and calendar name (three queries).
pub fn policies(c: &mut DbConn) -> QueryResult<Vec<PolicyRow>> {
    let list: Vec<Policy> = sla_policies::table
        .select(Policy::as_select())
        .order((sla_policies::name.asc(), sla_policies::id.asc()))
        .load(c)?;
    let targets: Vec<(i64, Priority, i32, i32)> = sla_targets::table
        .select((
            sla_targets::policy_id,
            sla_targets::priority,
            sla_targets::first_response_minutes,
            sla_targets::resolution_minutes,
        ))
        .load(c)?;
    let names: Vec<(i64, String)> = work_calendars::table
        .select((work_calendars::id, work_calendars::name))
        .load(c)?;
    Ok(list
        .into_iter()
        .map(|p| {
            let mut own: Vec<(Priority, i32, i32)> = targets
                .iter()
                .filter(|t| t.0 == p.id.get())
                .map(|t| (t.1, t.2, t.3))
                .collect();
            own.sort_by_key(|t| Priority::ALL.iter().position(|p| *p == t.0));
            let calendar_name = p
                .calendar_id
                .and_then(|id| names.iter().find(|(n, _)| *n == id).map(|(_, s)| s.clone()));
            PolicyRow {
                p,
                targets: own,
                calendar_name,
            }
        })
        .collect())
}

pub fn policy(c: &mut DbConn, id: SlaPolicyId) -> QueryResult<Option<PolicyRow>> {
    Ok(policies(c)?.into_iter().find(|r| r.p.id == id))
}

/// The names of the queues that use the policy.
pub fn policy_users(c: &mut DbConn, id: SlaPolicyId) -> QueryResult<Vec<String>> {
    ticket_queues::table
        .filter(ticket_queues::sla_policy_id.eq(id))
        .select(ticket_queues::name)
        .order(ticket_queues::name.asc())
        .load(c)
}

fn replace_targets(c: &mut DbConn, id: SlaPolicyId, v: &PolicyInput) -> QueryResult<()> {
    diesel::delete(sla_targets::table.filter(sla_targets::policy_id.eq(id))).execute(c)?;
    for (p, first, res) in &v.targets {
        diesel::insert_into(sla_targets::table)
            .values((
                sla_targets::policy_id.eq(id),
                sla_targets::priority.eq(*p),
                sla_targets::first_response_minutes.eq(*first),
                sla_targets::resolution_minutes.eq(*res),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// A new policy and its targets (inside the caller's transaction).
pub fn insert_policy(c: &mut DbConn, v: &PolicyInput) -> QueryResult<Result<SlaPolicyId, Outcome>> {
    let done = diesel::insert_into(sla_policies::table)
        .values((
            sla_policies::name.eq(&v.name),
            sla_policies::calendar_id.eq(v.calendar_id),
            sla_policies::created_at.eq(now()),
        ))
        .execute(c);
    match done {
        Ok(_) => {
            let id = SlaPolicyId::new(last_insert_id(c)?);
            replace_targets(c, id, v)?;
            Ok(Ok(id))
        }
        Err(e) if unique(&e) => Ok(Err(Outcome::Taken)),
        Err(e) => Err(e),
    }
}

/// Name, calendar and targets from `version` (inside the caller's
/// transaction: the targets are replaced only when the row was ours).
pub fn update_policy(
    c: &mut DbConn,
    id: SlaPolicyId,
    version: i32,
    v: &PolicyInput,
) -> QueryResult<Outcome> {
    let n = diesel::update(
        sla_policies::table
            .filter(sla_policies::id.eq(id))
            .filter(sla_policies::version.eq(version)),
    )
    .set((
        sla_policies::name.eq(&v.name),
        sla_policies::calendar_id.eq(v.calendar_id),
        sla_policies::version.eq(sla_policies::version + 1),
    ))
    .execute(c);
    match n {
        Ok(1) => {
            replace_targets(c, id, v)?;
            Ok(Outcome::Done)
        }
        Ok(_) => Ok(Outcome::Stale),
        Err(e) if unique(&e) => Ok(Outcome::Taken),
        Err(e) => Err(e),
    }
}

/// Deletes the policy unless a queue uses it (its targets go with it).
pub fn delete_policy(c: &mut DbConn, id: SlaPolicyId) -> QueryResult<Outcome> {
    let used = ticket_queues::table.filter(ticket_queues::sla_policy_id.eq(id));
    let n = diesel::delete(
        sla_policies::table
            .filter(sla_policies::id.eq(id))
            .filter(not(exists(used))),
    )
    .execute(c)?;
    if n == 1 {
        return Ok(Outcome::Done);
    }
    Ok(match policy(c, id)? {
        Some(_) => Outcome::InUse,
        None => Outcome::Stale,
    })
}

// ---------------------------------------------------------------------------
// Canned responses.

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = canned_responses, check_for_backend(crate::db::MultiBackend))]
pub struct Canned {
    pub id: CannedId,
    pub title: String,
    pub body: String,
    pub version: i32,
}

pub fn canned_list(c: &mut DbConn) -> QueryResult<Vec<Canned>> {
    canned_responses::table
        .select(Canned::as_select())
        .order((canned_responses::title.asc(), canned_responses::id.asc()))
        .load(c)
}

/// (id, title) for the reply box's select.
pub fn canned_titles(c: &mut DbConn) -> QueryResult<Vec<(CannedId, String)>> {
    canned_responses::table
        .select((canned_responses::id, canned_responses::title))
        .order((canned_responses::title.asc(), canned_responses::id.asc()))
        .load(c)
}

pub fn canned(c: &mut DbConn, id: CannedId) -> QueryResult<Option<Canned>> {
    canned_responses::table
        .find(id)
        .select(Canned::as_select())
        .first(c)
        .optional()
}

pub fn insert_canned(c: &mut DbConn, title: &str, body: &str) -> QueryResult<Outcome> {
    let at = now();
    or_taken(
        diesel::insert_into(canned_responses::table)
            .values((
                canned_responses::title.eq(title),
                canned_responses::body.eq(body),
                canned_responses::created_at.eq(at),
                canned_responses::updated_at.eq(at),
            ))
            .execute(c)
            .map(|_| Outcome::Done),
    )
}

pub fn update_canned(
    c: &mut DbConn,
    id: CannedId,
    version: i32,
    title: &str,
    body: &str,
) -> QueryResult<Outcome> {
    or_taken(
        diesel::update(
            canned_responses::table
                .filter(canned_responses::id.eq(id))
                .filter(canned_responses::version.eq(version)),
        )
        .set((
            canned_responses::title.eq(title),
            canned_responses::body.eq(body),
            canned_responses::updated_at.eq(now()),
            canned_responses::version.eq(canned_responses::version + 1),
        ))
        .execute(c)
        .map(one_row),
    )
}

pub fn delete_canned(c: &mut DbConn, id: CannedId) -> QueryResult<usize> {
    diesel::delete(canned_responses::table.find(id)).execute(c)
}

/// A requester's first and last name and address, for merge fields.
pub fn requester_names(
    c: &mut DbConn,
    id: crate::domain::ids::ContactId,
) -> QueryResult<(String, String, Option<String>)> {
    use crate::db::schema::contacts;
    contacts::table
        .find(id)
        .select((contacts::first_name, contacts::last_name, contacts::email))
        .first(c)
}
