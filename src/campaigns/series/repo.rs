//! Series rows and their steps (`campaigns` rows with `series_id`): the
//! editor's reads and writes (optimistic `version`), the state changes
//! (conditional UPDATEs of the series and its steps together) and the
//! per-step counts of the series page.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::domain::{BASELINE, SeriesStatus, Trigger};
use crate::campaigns::domain::{BodyFormat, RecipientState, Status};
use crate::campaigns::repo::Campaign;
use crate::db::schema::{campaign_recipients as cr, campaigns, series, series_enrollments};
use crate::db::{DbConn, last_insert_id, now};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = series)]
pub struct Series {
    pub id: i64,
    pub name: String,
    pub trigger_kind: Trigger,
    pub signup_form_id: Option<i64>,
    pub segment_id: Option<i64>,
    pub from_name: String,
    pub from_addr: String,
    pub reply_to: Option<String>,
    pub status: SeriesStatus,
    pub activated_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the series editor saves.
#[derive(Debug, Clone)]
pub struct SeriesDraft {
    pub name: String,
    pub trigger: Trigger,
    pub signup_form_id: Option<i64>,
    pub segment_id: Option<i64>,
    pub from_name: String,
    pub from_addr: String,
    pub reply_to: Option<String>,
}

/// What a step's editor saves.
#[derive(Debug, Clone)]
pub struct StepDraft {
    pub delay_minutes: i32,
    pub subject: String,
    pub body_format: BodyFormat,
    pub body: String,
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<Series>> {
    series::table
        .find(id)
        .select(Series::as_select())
        .first(conn)
        .optional()
}

/// A row of the list: the series, its steps and its entered contacts.
#[derive(Debug, Clone)]
pub struct SeriesRow {
    pub series: Series,
    pub steps: i64,
    pub enrolled: i64,
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<SeriesRow>> {
    let all: Vec<Series> = series::table
        .order((series::name.asc(), series::id.asc()))
        .limit(500)
        .select(Series::as_select())
        .load(conn)?;
    let ids: Vec<i64> = all.iter().map(|s| s.id).collect();
    let steps: Vec<(Option<i64>, i64)> = campaigns::table
        .filter(campaigns::series_id.eq_any(&ids))
        .group_by(campaigns::series_id)
        .select((campaigns::series_id, count_star()))
        .load(conn)?;
    let enrolled: Vec<(i64, i64)> = series_enrollments::table
        .filter(series_enrollments::series_id.eq_any(&ids))
        .filter(series_enrollments::source.ne(BASELINE))
        .group_by(series_enrollments::series_id)
        .select((series_enrollments::series_id, count_star()))
        .load(conn)?;
    Ok(all
        .into_iter()
        .map(|s| SeriesRow {
            steps: steps
                .iter()
                .find(|(id, _)| *id == Some(s.id))
                .map_or(0, |(_, n)| *n),
            enrolled: enrolled
                .iter()
                .find(|(id, _)| *id == s.id)
                .map_or(0, |(_, n)| *n),
            series: s,
        })
        .collect())
}

/// The series with this state (the job's and the sign-up's look-ups).
pub fn with_status(conn: &mut DbConn, status: &[SeriesStatus]) -> QueryResult<Vec<Series>> {
    series::table
        .filter(series::status.eq_any(status))
        .order(series::id.asc())
        .select(Series::as_select())
        .load(conn)
}

/// Active or paused series listening to sign-up form `form`.
pub fn listening_to_form(conn: &mut DbConn, form: i64) -> QueryResult<Vec<Series>> {
    series::table
        .filter(series::trigger_kind.eq(Trigger::Signup))
        .filter(series::signup_form_id.eq(form))
        .filter(series::status.eq_any([SeriesStatus::Active, SeriesStatus::Paused]))
        .select(Series::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConn, d: &SeriesDraft, by: i64) -> QueryResult<i64> {
    let t = now();
    diesel::insert_into(series::table)
        .values((
            series::name.eq(&d.name),
            series::trigger_kind.eq(d.trigger),
            series::signup_form_id.eq(d.signup_form_id),
            series::segment_id.eq(d.segment_id),
            series::from_name.eq(&d.from_name),
            series::from_addr.eq(&d.from_addr),
            series::reply_to.eq(d.reply_to.as_deref()),
            series::status.eq(SeriesStatus::Draft),
            series::version.eq(1),
            series::created_by.eq(by),
            series::created_at.eq(t),
            series::updated_at.eq(t),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

/// Saves an edit made from `version`; false if someone saved meanwhile.
/// Once the series has been activated its trigger stays (`keep_trigger`):
/// a segment's baseline was taken for that segment. The steps take the
/// new sender.
pub fn update(conn: &mut DbConn, s: &Series, version: i32, d: &SeriesDraft) -> QueryResult<bool> {
    let keep = s.activated_at.is_some();
    let n = diesel::update(series::table.find(s.id).filter(series::version.eq(version)))
        .set((
            series::name.eq(&d.name),
            series::trigger_kind.eq(if keep { s.trigger_kind } else { d.trigger }),
            series::signup_form_id.eq(if keep {
                s.signup_form_id
            } else {
                d.signup_form_id
            }),
            series::segment_id.eq(if keep { s.segment_id } else { d.segment_id }),
            series::from_name.eq(&d.from_name),
            series::from_addr.eq(&d.from_addr),
            series::reply_to.eq(d.reply_to.as_deref()),
            series::version.eq(series::version + 1),
            series::updated_at.eq(now()),
        ))
        .execute(conn)?;
    if n == 1 {
        diesel::update(campaigns::table.filter(campaigns::series_id.eq(s.id)))
            .set((
                campaigns::name.eq(&d.name),
                campaigns::from_name.eq(&d.from_name),
                campaigns::from_addr.eq(&d.from_addr),
                campaigns::reply_to.eq(d.reply_to.as_deref()),
                campaigns::updated_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(n == 1)
}

/// Moves the series from one of `from` to `to` (one conditional UPDATE);
/// its steps move from `steps_from` to `steps_to` with it. False if the
/// series was in none of `from`.
pub fn transition(
    conn: &mut DbConn,
    id: i64,
    from: &[SeriesStatus],
    to: SeriesStatus,
    steps: (&[Status], Status),
) -> QueryResult<bool> {
    let t = now();
    let n = diesel::update(series::table.find(id).filter(series::status.eq_any(from)))
        .set((
            series::status.eq(to),
            series::version.eq(series::version + 1),
            series::updated_at.eq(t),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    let (steps_from, steps_to) = steps;
    let steps_from: Vec<&str> = steps_from.iter().map(|s| s.as_str()).collect();
    diesel::update(
        campaigns::table
            .filter(campaigns::series_id.eq(id))
            .filter(campaigns::status.eq_any(steps_from)),
    )
    .set((
        campaigns::status.eq(steps_to.as_str()),
        campaigns::version.eq(campaigns::version + 1),
        campaigns::updated_at.eq(t),
    ))
    .execute(conn)?;
    Ok(true)
}

/// Records the first activation; true if this call did.
pub fn mark_activated(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        series::table
            .find(id)
            .filter(series::activated_at.is_null()),
    )
    .set(series::activated_at.eq(Some(at)))
    .execute(conn)?;
    Ok(n == 1)
}

/// The series' steps in order.
pub fn steps(conn: &mut DbConn, id: i64) -> QueryResult<Vec<Campaign>> {
    campaigns::table
        .filter(campaigns::series_id.eq(id))
        .order((campaigns::step_no.asc(), campaigns::id.asc()))
        .select(Campaign::as_select())
        .load(conn)
}

/// The step's campaign status while its series is in `s`.
pub fn step_status(s: SeriesStatus) -> Status {
    match s {
        SeriesStatus::Draft => Status::Draft,
        SeriesStatus::Active => Status::Sending,
        SeriesStatus::Paused => Status::Paused,
    }
}

/// Adds a step at the end; its id.
pub fn insert_step(conn: &mut DbConn, s: &Series, d: &StepDraft, by: i64) -> QueryResult<i64> {
    let last: Option<i32> = campaigns::table
        .filter(campaigns::series_id.eq(s.id))
        .select(diesel::dsl::max(campaigns::step_no))
        .first(conn)?;
    let t = now();
    diesel::insert_into(campaigns::table)
        .values((
            campaigns::name.eq(&s.name),
            campaigns::from_name.eq(&s.from_name),
            campaigns::from_addr.eq(&s.from_addr),
            campaigns::reply_to.eq(s.reply_to.as_deref()),
            campaigns::subject.eq(&d.subject),
            campaigns::body_format.eq(d.body_format.as_str()),
            campaigns::body.eq(&d.body),
            campaigns::status.eq(step_status(s.status).as_str()),
            campaigns::rate_per_sec.eq(0),
            campaigns::concurrency.eq(4),
            campaigns::created_by.eq(by),
            campaigns::created_at.eq(t),
            campaigns::updated_at.eq(t),
            campaigns::started_at.eq(Some(t)),
            campaigns::series_id.eq(Some(s.id)),
            campaigns::step_no.eq(Some(last.unwrap_or(0) + 1)),
            campaigns::delay_minutes.eq(Some(d.delay_minutes)),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

/// Saves a step's edit made from `version`; false if it changed meanwhile.
pub fn update_step(
    conn: &mut DbConn,
    series_id: i64,
    step: i64,
    version: i32,
    d: &StepDraft,
) -> QueryResult<bool> {
    let n = diesel::update(
        campaigns::table
            .find(step)
            .filter(campaigns::series_id.eq(series_id))
            .filter(campaigns::version.eq(version)),
    )
    .set((
        campaigns::subject.eq(&d.subject),
        campaigns::body_format.eq(d.body_format.as_str()),
        campaigns::body.eq(&d.body),
        campaigns::delay_minutes.eq(Some(d.delay_minutes)),
        campaigns::version.eq(campaigns::version + 1),
        campaigns::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Whether anyone has a ledger row of this step (it then stays).
pub fn step_has_recipients(conn: &mut DbConn, step: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        cr::table.filter(cr::campaign_id.eq(step)),
    ))
    .get_result(conn)
}

/// Removes a step nobody has entered yet and closes the gap; false if it
/// was not there (or has recipients).
pub fn delete_step(conn: &mut DbConn, series_id: i64, step: i64) -> QueryResult<bool> {
    if step_has_recipients(conn, step)? {
        return Ok(false);
    }
    let n = diesel::delete(
        campaigns::table
            .find(step)
            .filter(campaigns::series_id.eq(series_id)),
    )
    .execute(conn)?;
    renumber(conn, series_id)?;
    Ok(n == 1)
}

/// Swaps the step with its neighbour (`up`: the one before); false if it
/// has none that way.
pub fn move_step(conn: &mut DbConn, series_id: i64, step: i64, up: bool) -> QueryResult<bool> {
    let ids: Vec<i64> = steps(conn, series_id)?.into_iter().map(|c| c.id).collect();
    let Some(at) = ids.iter().position(|id| *id == step) else {
        return Ok(false);
    };
    let other = if up { at.checked_sub(1) } else { Some(at + 1) };
    let Some(other) = other.filter(|o| *o < ids.len()) else {
        return Ok(false);
    };
    let mut order = ids;
    order.swap(at, other);
    write_order(conn, &order)?;
    Ok(true)
}

fn renumber(conn: &mut DbConn, series_id: i64) -> QueryResult<()> {
    let ids: Vec<i64> = steps(conn, series_id)?.into_iter().map(|c| c.id).collect();
    write_order(conn, &ids)
}

fn write_order(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    for (i, id) in ids.iter().enumerate() {
        diesel::update(campaigns::table.find(id))
            .set((
                campaigns::step_no.eq(Some(i as i32 + 1)),
                campaigns::version.eq(campaigns::version + 1),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// One step's ledger, counted.
#[derive(Debug, Clone, Default)]
pub struct StepCounts {
    /// Contacts who entered while the step existed (ledger rows).
    pub enrolled: i64,
    /// Pending and due now (being sent, or waiting for a lane).
    pub due: i64,
    /// Pending, due later.
    pub waiting: i64,
    pub sent: i64,
    pub failed: i64,
    /// Unsubscribed or bounced before their time.
    pub skipped: i64,
}

/// Counts per step of the series, in the order of `steps`.
pub fn counts(conn: &mut DbConn, steps: &[i64]) -> QueryResult<Vec<StepCounts>> {
    let t = now();
    let by_state: Vec<(i64, String, i64)> = cr::table
        .filter(cr::campaign_id.eq_any(steps))
        .group_by((cr::campaign_id, cr::state))
        .select((cr::campaign_id, cr::state, count_star()))
        .load(conn)?;
    let due: Vec<(i64, i64)> = cr::table
        .filter(cr::campaign_id.eq_any(steps))
        .filter(cr::state.eq(RecipientState::Pending.as_str()))
        .filter(cr::due_at.is_null().or(cr::due_at.le(t)))
        .group_by(cr::campaign_id)
        .select((cr::campaign_id, count_star()))
        .load(conn)?;
    Ok(steps
        .iter()
        .map(|step| {
            let mut c = StepCounts::default();
            for (_, state, n) in by_state.iter().filter(|(id, _, _)| id == step) {
                c.enrolled += n;
                match RecipientState::parse(state) {
                    Some(RecipientState::Pending) => c.waiting += n,
                    Some(RecipientState::Sent) => c.sent += n,
                    Some(RecipientState::Failed) => c.failed += n,
                    Some(RecipientState::Skipped) | None => c.skipped += n,
                }
            }
            c.due = due
                .iter()
                .filter(|(id, _)| id == step)
                .map(|(_, n)| *n)
                .sum();
            c.waiting -= c.due;
            c
        })
        .collect())
}

/// Contacts who entered the series (the baseline not counted).
pub fn enrolled(conn: &mut DbConn, id: i64) -> QueryResult<i64> {
    series_enrollments::table
        .filter(series_enrollments::series_id.eq(id))
        .filter(series_enrollments::source.ne(BASELINE))
        .select(count_star())
        .first(conn)
}

/// Steps of active series with a pending row due now that no lease holds:
/// the lanes the series job queues.
pub fn steps_with_due_rows(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    let t = now();
    let active: Vec<i64> = campaigns::table
        .inner_join(series::table.on(campaigns::series_id.eq(series::id.nullable())))
        .filter(series::status.eq(SeriesStatus::Active))
        .filter(campaigns::status.eq(Status::Sending.as_str()))
        .select(campaigns::id)
        .load(conn)?;
    let mut out = Vec::new();
    for step in active {
        let due: bool = diesel::select(diesel::dsl::exists(
            cr::table
                .filter(cr::campaign_id.eq(step))
                .filter(cr::state.eq(RecipientState::Pending.as_str()))
                .filter(cr::due_at.is_null().or(cr::due_at.le(t)))
                .filter(cr::lease_until.is_null().or(cr::lease_until.lt(t))),
        ))
        .get_result(conn)?;
        if due {
            out.push(step);
        }
    }
    Ok(out)
}
