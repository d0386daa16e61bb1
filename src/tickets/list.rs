//! The queue (`/tickets`) on `web::list`: the views (mine, unassigned,
//! breaching, all active, everything), status, priority and queue
//! filters, search by subject or requester (their words in
//! `search_terms`), sorts — SLA urgency first by default — within the
//! viewer's reach.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{Priority, SOON_MINUTES, Status};
use super::repo::{Reach, visible};
use diesel::sql_types::{Bool, Nullable};

use crate::db::schema::{contacts, csat_ratings, ticket_queues, tickets, users};
use crate::db::{DbConn, now};
use crate::domain::ids::{QueueId, TicketId};
use crate::search::Kind;
use crate::web::list::{self, Col, FilterSet, Key, Keyed, Params, Plan};

crate::sort_keys! {
    /// The orders of the queue. `due`: running due times first (the
    /// nearest first), then tickets whose clock is paused or stopped —
    /// the generated `due_rank` (the due, or the far future), so the
    /// order is one index walk.
    pub enum TicketSort: "tickets.id", default Due {
        Due: "due", asc, [Col::time("tickets.due_rank")];
        Created: "created", desc, [Col::time("tickets.created_at")];
        Updated: "updated", desc, [Col::time("tickets.updated_at")];
    }
}

crate::text_enum! {
    /// The queue's views.
    pub enum View {
        Mine = "mine",
        Unassigned = "unassigned",
        Breaching = "breaching",
        Active = "active",
        All = "all",
    }
}

impl View {
    pub fn label_key(self) -> &'static str {
        use crate::i18n::key;
        match self {
            View::Mine => key("tickets-view-mine"),
            View::Unassigned => key("tickets-view-unassigned"),
            View::Breaching => key("tickets-view-breaching"),
            View::Active => key("tickets-view-active"),
            View::All => key("tickets-view-all"),
        }
    }
}

crate::text_enum! {
    /// Whether a solved ticket met every SLA target it had (`sla=`).
    pub enum SlaOutcome {
        Met = "met",
        Missed = "missed",
    }
}

/// Insights' click-through filters: whose tickets (assignee, team,
/// assigned only), solved or rated within UTC instants, SLA met or missed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Narrowing {
    pub owner: Option<i64>,
    pub team: Option<i64>,
    /// Only tickets with an assignee.
    pub assigned: bool,
    pub solved_since: Option<NaiveDateTime>,
    pub solved_until: Option<NaiveDateTime>,
    /// Tickets rated (CSAT) within these instants.
    pub rated_since: Option<NaiveDateTime>,
    pub rated_until: Option<NaiveDateTime>,
    pub sla: Option<SlaOutcome>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketFilters {
    pub view: Option<View>,
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub queue: Option<QueueId>,
    pub narrowing: Narrowing,
}

const INSTANTS: [&str; 4] = ["solved_since", "solved_until", "rated_since", "rated_until"];

impl FilterSet for TicketFilters {
    fn parse(p: &Params) -> TicketFilters {
        TicketFilters {
            view: View::parse(p.get("view").trim()),
            status: Status::parse(p.get("status").trim()),
            priority: Priority::parse(p.get("priority").trim()),
            queue: QueueId::parse(p.get("queue")),
            narrowing: Narrowing {
                owner: p.id("owner"),
                team: p.id("team"),
                assigned: p.get("assigned") == "1",
                solved_since: p.instant(INSTANTS[0]),
                solved_until: p.instant(INSTANTS[1]),
                rated_since: p.instant(INSTANTS[2]),
                rated_until: p.instant(INSTANTS[3]),
                sla: SlaOutcome::parse(p.get("sla").trim()),
            },
        }
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(v) = self.view {
            out.push(("view", v.as_str().to_string()));
        }
        if let Some(s) = self.status {
            out.push(("status", s.as_str().to_string()));
        }
        if let Some(p) = self.priority {
            out.push(("priority", p.as_str().to_string()));
        }
        if let Some(q) = self.queue {
            out.push(("queue", q.to_string()));
        }
        let n = &self.narrowing;
        if let Some(o) = n.owner {
            out.push(("owner", o.to_string()));
        }
        if let Some(t) = n.team {
            out.push(("team", t.to_string()));
        }
        if n.assigned {
            out.push(("assigned", "1".into()));
        }
        let times = [n.solved_since, n.solved_until, n.rated_since, n.rated_until];
        for (key, t) in INSTANTS.iter().zip(times) {
            if let Some(t) = t {
                out.push((key, t.format(crate::web::list::INSTANT).to_string()));
            }
        }
        if let Some(s) = n.sla {
            out.push(("sla", s.as_str().to_string()));
        }
        out
    }
}

pub type TicketListOptions = list::ListOptions<TicketSort, TicketFilters>;

#[derive(Queryable, Debug, Clone)]
pub struct Row {
    pub id: TicketId,
    pub subject: String,
    pub status: Status,
    pub priority: Priority,
    pub sla_due: Option<NaiveDateTime>,
    pub due_rank: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub requester_first: String,
    pub requester_last: String,
    pub queue_name: String,
    pub assignee_name: Option<String>,
}

impl Row {
    pub fn requester(&self) -> String {
        crate::domain::person_name(&self.requester_first, &self.requester_last)
    }

    /// `breached`, `soon` or "" for the badge.
    pub fn urgency(&self, now: NaiveDateTime) -> &'static str {
        match super::domain::urgency(self.sla_due, now) {
            super::domain::Urgency::Breached => "breached",
            super::domain::Urgency::Soon => "soon",
            _ => "",
        }
    }
}

/// The tickets of the options' view, filters and search words, written
/// for `plan` (`filter_by_word!`): a common word walks the sort's index
/// and probes each ticket for it.
fn listed(reach: &Reach, opts: &TicketListOptions, me: i64, plan: Plan) -> super::repo::Boxed {
    let mut q = visible(reach);
    if !opts.terms.is_empty() {
        let Some(prefixes) = crate::search::prefixes_of(&opts.terms) else {
            return q.filter(tickets::id.lt(TicketId::new(0)));
        };
        for (i, prefix) in prefixes.iter().enumerate() {
            crate::filter_by_word!(
                q,
                plan.for_word(i),
                Kind::Ticket,
                prefix,
                tickets::id,
                "tickets.id"
            );
        }
    }
    let f = &opts.filters;
    let active = [Status::New, Status::Open, Status::Pending, Status::OnHold];
    match f.view {
        Some(View::Mine) => {
            q = q
                .filter(tickets::assignee_id.eq(me))
                .filter(tickets::status.eq_any(active));
        }
        Some(View::Unassigned) => {
            q = q
                .filter(tickets::assignee_id.is_null())
                .filter(tickets::status.eq_any(active));
        }
        Some(View::Breaching) => {
            let soon = now() + chrono::Duration::minutes(SOON_MINUTES);
            q = q.filter(tickets::due_rank.le(soon));
        }
        Some(View::Active) | None => q = q.filter(tickets::status.eq_any(active)),
        Some(View::All) => {}
    }
    if let Some(s) = f.status {
        q = q.filter(tickets::status.eq(s));
    }
    if let Some(p) = f.priority {
        q = q.filter(tickets::priority.eq(p));
    }
    if let Some(id) = f.queue {
        q = q.filter(tickets::queue_id.eq(id));
    }
    narrowed(q, &f.narrowing)
}

/// SQL of `dashboard::met_sla`: every target the ticket had, kept.
fn sla_met()
-> Box<dyn BoxableExpression<tickets::table, crate::db::Backend, SqlType = Nullable<Bool>>> {
    Box::new(
        tickets::first_response_target
            .is_null()
            .or(tickets::first_response_used
                .nullable()
                .le(tickets::first_response_target))
            .and(
                tickets::resolution_target
                    .is_null()
                    .or(tickets::resolution_used
                        .nullable()
                        .le(tickets::resolution_target)),
            ),
    )
}

fn narrowed(mut q: super::repo::Boxed, n: &Narrowing) -> super::repo::Boxed {
    if let Some(o) = n.owner {
        q = q.filter(tickets::assignee_id.eq(o));
    }
    if let Some(t) = n.team {
        q = q.filter(
            tickets::assignee_id.eq_any(
                users::table
                    .filter(users::team_id.eq(t))
                    .select(users::id.nullable()),
            ),
        );
    }
    if n.assigned {
        q = q.filter(tickets::assignee_id.is_not_null());
    }
    if let Some(t) = n.solved_since {
        q = q.filter(tickets::solved_at.ge(t));
    }
    if let Some(t) = n.solved_until {
        q = q.filter(tickets::solved_at.lt(t));
    }
    if n.rated_since.is_some() || n.rated_until.is_some() {
        // (Bounds always: a boxed subquery has no SQL for both backends.)
        let epoch = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let since = n.rated_since.unwrap_or(epoch);
        // About the year 9900: within MySQL's DATETIME.
        let until = n
            .rated_until
            .unwrap_or(epoch + chrono::TimeDelta::days(2_900_000));
        q = q.filter(
            tickets::id.eq_any(
                csat_ratings::table
                    .filter(csat_ratings::created_at.ge(since))
                    .filter(csat_ratings::created_at.lt(until))
                    .select(csat_ratings::ticket_id),
            ),
        );
    }
    match n.sla {
        Some(SlaOutcome::Met) => q.filter(tickets::solved_at.is_not_null()).filter(sla_met()),
        Some(SlaOutcome::Missed) => q
            .filter(tickets::solved_at.is_not_null())
            .filter(diesel::dsl::not(sla_met())),
        None => q,
    }
}

pub fn count(c: &mut DbConn, reach: &Reach, opts: &TicketListOptions, me: i64) -> QueryResult<i64> {
    let mut q = listed(reach, opts, me, Plan::Narrow).select(tickets::id);
    // The active views (the default): ordered by status, MariaDB reads the
    // active statuses' range of `ix_tickets_status_rank`; unordered it
    // scanned that index from its first status (`closed`, 10,000 entries
    // at 100,000 tickets) for the capped count — 4 ms a page, now 1.3.
    // Only then: with another filter (priority, say) the range read tests
    // rows outside its index, and the filter's own plan is cheaper.
    let f = &opts.filters;
    let only_active = f.status.is_none()
        && f.priority.is_none()
        && f.queue.is_none()
        && f.narrowing == Narrowing::default();
    if matches!(f.view, None | Some(View::Active)) && only_active && opts.terms.is_empty() {
        q = q.order(tickets::status.asc());
    }
    list::count_capped(c, q)
}

/// The page the options point at; `counted` matches (capped) choose how a
/// searched word is read (`Plan::for_count`).
pub fn load(
    c: &mut DbConn,
    reach: &Reach,
    opts: &TicketListOptions,
    me: i64,
    counted: i64,
) -> QueryResult<Vec<Row>> {
    let mut q = listed(reach, opts, me, Plan::for_count(counted));
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    let ids: Vec<TicketId> = q
        .order(diesel::dsl::sql::<diesel::sql_types::Text>(
            &opts.order_sql(),
        ))
        .select(tickets::id)
        .offset(opts.offset())
        .limit(opts.fetch())
        .load(c)?;
    // The page's rows with their names, in the page's order.
    let mut rows: Vec<Row> = tickets::table
        .inner_join(contacts::table.on(contacts::id.eq(tickets::requester_id)))
        .inner_join(ticket_queues::table.on(ticket_queues::id.eq(tickets::queue_id)))
        .left_join(users::table.on(users::id.nullable().eq(tickets::assignee_id)))
        .filter(tickets::id.eq_any(&ids))
        .select((
            tickets::id,
            tickets::subject,
            tickets::status,
            tickets::priority,
            tickets::sla_due,
            tickets::due_rank,
            tickets::created_at,
            tickets::updated_at,
            contacts::first_name,
            contacts::last_name,
            ticket_queues::name,
            users::name.nullable(),
        ))
        .load(c)?;
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    Ok(rows)
}

impl Keyed<TicketSort> for Row {
    fn id(&self) -> i64 {
        self.id.get()
    }

    fn keys(&self, sort: TicketSort) -> Vec<Key> {
        match sort {
            TicketSort::Due => vec![self.due_rank.into()],
            TicketSort::Created => vec![self.created_at.into()],
            TicketSort::Updated => vec![self.updated_at.into()],
        }
    }
}
