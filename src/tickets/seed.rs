//! `rapport seed-demo --tickets N`: N tickets over the seeded contacts with
//! five messages each on average, in multi-row inserts of 1,000 (tickets
//! read back by their random link keys, never by assuming consecutive ids).
//! Statuses, priorities, assignees and due times are spread so the queue's
//! views, Take next and the breaching view have realistic work.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::domain::{MessageKind, Priority, Status};
use super::repo;
use super::write::new_link_key;
use crate::db::schema::{contacts, csat_ratings, ticket_messages, tickets, users};
use crate::db::{DbConn, now};

const BATCH: usize = 1_000;
const SUBJECTS: &[&str] = &[
    "Cannot sign in",
    "Invoice missing",
    "Refund request",
    "Order arrived damaged",
    "How do I export my data?",
    "Password reset mail never came",
    "Wrong delivery address",
    "Question about pricing",
];

/// Seeds `n` tickets; returns (tickets, messages).
pub fn run(c: &mut DbConn, n: usize) -> QueryResult<(usize, usize)> {
    let requesters: Vec<i64> = contacts::table
        .select(contacts::id)
        .order(contacts::id.asc())
        .limit(20_000)
        .load(c)?;
    if requesters.is_empty() || n == 0 {
        return Ok((0, 0));
    }
    let agents: Vec<i64> = users::table
        .filter(users::active.eq(true))
        .select(users::id)
        .load(c)?;
    let queue = repo::default_queue(c)?;
    let mut targets = Vec::new();
    for p in Priority::ALL.iter().copied() {
        targets.push((p, repo::targets(c, &queue, p)?));
    }
    let target_of = |p: Priority| {
        targets
            .iter()
            .find(|(q, _)| *q == p)
            .map(|(_, t)| *t)
            .unwrap_or_default()
    };
    let mut rng = StdRng::seed_from_u64(0x71c7);
    let base = now();
    let (mut made, mut messages) = (0, 0);
    while made < n {
        let batch = BATCH.min(n - made);
        let rows: Vec<_> = (0..batch)
            .map(|k| {
                let i = made + k;
                let created = base - Duration::minutes((i as i64) * 2 + rng.gen_range(0..2));
                let status = match rng.gen_range(0..10) {
                    0..=2 => Status::New,
                    3..=4 => Status::Open,
                    5 => Status::Pending,
                    6 => Status::OnHold,
                    7..=8 => Status::Solved,
                    _ => Status::Closed,
                };
                let priority = Priority::ALL[rng.gen_range(0..Priority::ALL.len())];
                let assignee = (status != Status::New && !agents.is_empty())
                    .then(|| agents[rng.gen_range(0..agents.len())]);
                let due: Option<NaiveDateTime> = status
                    .clock_runs()
                    .then(|| base + Duration::minutes(rng.gen_range(-600..3000)));
                // Answered tickets have a first response, solved ones a
                // resolution time, so the queue dashboard has its weeks.
                let response = rng.gen_range(5..480);
                let responded = (status != Status::New)
                    .then(|| (created + Duration::minutes(i64::from(response))).min(base));
                let resolution = response + rng.gen_range(30..4000);
                let solved = (!status.is_active())
                    .then(|| (created + Duration::minutes(i64::from(resolution))).min(base));
                let rating = solved.filter(|_| rng.gen_bool(0.4)).map(|at| {
                    (
                        if rng.gen_bool(0.8) { 5 } else { 1 },
                        at + Duration::hours(1),
                    )
                });
                (
                    SUBJECTS[rng.gen_range(0..SUBJECTS.len())],
                    requesters[rng.gen_range(0..requesters.len())],
                    status,
                    priority,
                    assignee,
                    due,
                    created,
                    new_link_key(),
                    (responded, response, solved, resolution, rating),
                )
            })
            .collect();
        let values: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    tickets::subject.eq(r.0),
                    tickets::requester_id.eq(r.1),
                    tickets::queue_id.eq(queue.id),
                    tickets::priority.eq(r.3),
                    tickets::status.eq(r.2),
                    tickets::assignee_id.eq(r.4),
                    tickets::clock_started_at.eq(r.5.map(|_| r.6)),
                    tickets::resolution_due.eq(r.5),
                    tickets::sla_due.eq(r.5),
                    tickets::first_response_target.eq(target_of(r.3).first_response),
                    tickets::resolution_target.eq(target_of(r.3).resolution),
                    tickets::first_responded_at.eq(r.8.0),
                    tickets::first_response_used.eq(if r.8.0.is_some() { r.8.1 } else { 0 }),
                    tickets::solved_at.eq(r.8.2),
                    tickets::resolution_used.eq(if r.8.2.is_some() { r.8.3 } else { 0 }),
                    tickets::link_key.eq(&r.7),
                    tickets::created_at.eq(r.6),
                    tickets::updated_at.eq(r.6),
                )
            })
            .collect();
        crate::seed::insert_rows!(&mut *c, tickets::table, &values)?;
        let keys: Vec<&str> = rows.iter().map(|r| r.7.as_str()).collect();
        let ids: Vec<(i64, String, NaiveDateTime)> = tickets::table
            .filter(tickets::link_key.eq_any(&keys))
            .select((tickets::id, tickets::link_key, tickets::created_at))
            .load(c)?;
        let seeded: Vec<i64> = ids.iter().map(|(id, _, _)| *id).collect();
        crate::search::index::reindex_tickets(c, &seeded)?;
        let by_key: std::collections::HashMap<&str, _> =
            rows.iter().map(|r| (r.7.as_str(), r)).collect();
        let ratings: Vec<_> = ids
            .iter()
            .filter_map(|(id, key, _)| {
                let r = by_key.get(key.as_str())?;
                let (score, at) = r.8.4?;
                Some((
                    csat_ratings::ticket_id.eq(*id),
                    csat_ratings::queue_id.eq(queue.id),
                    csat_ratings::agent_id.eq(r.4),
                    csat_ratings::score.eq(score),
                    csat_ratings::comment.eq(""),
                    csat_ratings::created_at.eq(at),
                ))
            })
            .collect();
        if !ratings.is_empty() {
            crate::seed::insert_rows!(&mut *c, csat_ratings::table, &ratings)?;
        }
        let mut msgs = Vec::new();
        for (id, _, created) in &ids {
            for m in 0..rng.gen_range(1..=9) {
                let kind = match m % 3 {
                    0 => MessageKind::CustomerMessage,
                    1 => MessageKind::PublicReply,
                    _ => MessageKind::InternalNote,
                };
                msgs.push((
                    ticket_messages::ticket_id.eq(*id),
                    ticket_messages::kind.eq(kind),
                    ticket_messages::body
                        .eq("Thanks for writing in. Could you send the order number?"),
                    ticket_messages::created_at.eq(*created + Duration::minutes(m * 7)),
                ));
            }
        }
        for chunk in msgs.chunks(BATCH) {
            crate::seed::insert_rows!(&mut *c, ticket_messages::table, chunk)?;
        }
        messages += msgs.len();
        made += batch;
    }
    // Fresh planner statistics after a bulk load.
    let analyze = match c {
        DbConn::Mysql(_) => "ANALYZE TABLE tickets, ticket_messages, csat_ratings, search_terms",
        DbConn::Sqlite(_) => "ANALYZE",
    };
    diesel::sql_query(analyze).execute(c)?;
    Ok((made, messages))
}
