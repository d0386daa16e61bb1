//! Tickets in the cluster load: each client is its own support agent; every
//! round it presses Take next (`POST /tickets/take`) through the balancer,
//! opens the ticket it got and replies to it. Then `check` counts from the
//! database: no ticket went to two agents (every acknowledged take names a
//! distinct ticket, stored with that agent as assignee, with one
//! "assigned" entry on its timeline by that agent), each agent's takes in
//! the stage history are its acknowledged ones plus at most its unanswered
//! ones, and every acknowledged reply is stored once.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use rapport::db::schema::{activities, contacts, ticket_messages, tickets, users};
use rapport::db::{DbConn, Pool, now, write_tx};
use rapport::domain::ids::ContactId;
use rapport::error::AppError;
use rapport::tickets::domain::MessageKind;
use rapport::tickets::{repo, write};

use super::{Checks, Client, Outcome};

/// What one agent's takes and replies came to.
#[derive(Default)]
pub struct Takes {
    /// Tickets an acknowledged take (303 to the ticket) gave this agent.
    pub taken: Vec<i64>,
    /// Takes without an answer, or 503 (maybe made).
    pub unknown: usize,
    /// Takes answered "nothing left" (303 back to the unassigned view).
    pub none_left: usize,
    /// Bodies of acknowledged replies.
    pub replied: Vec<String>,
    /// Bodies of replies without an answer (maybe stored).
    pub replies_unknown: Vec<String>,
    /// Replies refused (409 stale ticket, 422).
    pub replies_refused: usize,
}

impl Takes {
    pub fn merge(&mut self, o: Takes) {
        self.taken.extend(o.taken);
        self.unknown += o.unknown;
        self.none_left += o.none_left;
        self.replied.extend(o.replied);
        self.replies_unknown.extend(o.replies_unknown);
        self.replies_refused += o.replies_refused;
    }
}

/// The agent users the clients sign in as (`agent<n>@cluster.rapport.test`,
/// administrators so the same clients also reach every deal and order),
/// made once; (email, user id) per client.
pub fn agents(pool: &Pool, clients: usize, password: &str) -> Result<Vec<(String, i64)>, String> {
    let mut c = pool.get().map_err(|e| e.to_string())?;
    let hash = rapport::auth::password::hash(password).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for n in 0..clients {
        let email = format!("agent{n}@cluster.rapport.test");
        let id = write_tx(&mut c, |c: &mut DbConn| {
            let found: Option<i64> = users::table
                .filter(users::email.eq(&email))
                .select(users::id)
                .first(c)
                .optional()?;
            if let Some(id) = found {
                return Ok(id);
            }
            let t = now();
            diesel::insert_into(users::table)
                .values((
                    users::email.eq(&email),
                    users::name.eq(format!("Cluster agent {n}")),
                    users::password_hash.eq(&hash),
                    users::role.eq("admin"),
                    users::active.eq(true),
                    users::session_epoch.eq(0_i64),
                    users::created_at.eq(t),
                    users::updated_at.eq(t),
                ))
                .execute(c)?;
            rapport::db::last_insert_id(c)
        })
        .map_err(|e: diesel::result::Error| e.to_string())?;
        out.push((email, id));
    }
    Ok(out)
}

/// Opens `n` new, unassigned tickets in the default queue for the phase
/// (as mail from customers would), 200 to a transaction.
pub fn open_tickets(pool: &Pool, phase: &str, n: usize) -> Result<usize, String> {
    let mut c = pool.get().map_err(|e| e.to_string())?;
    let c: &mut DbConn = &mut c;
    let queue = repo::default_queue(c).map_err(|e| e.to_string())?;
    let requesters: Vec<i64> = contacts::table
        .filter(contacts::email.is_not_null())
        .order(contacts::id.asc())
        .limit(500)
        .select(contacts::id)
        .load(c)
        .map_err(|e| e.to_string())?;
    if requesters.is_empty() {
        return Err("tickets need contacts with an email (seed-demo)".into());
    }
    let mut made = 0;
    for chunk in (0..n).collect::<Vec<_>>().chunks(200) {
        made += write_tx(c, |c: &mut DbConn| -> Result<usize, AppError> {
            for i in chunk {
                let subject = format!("Cluster {phase} ticket {i}");
                write::open(
                    c,
                    &write::NewTicket {
                        subject: &subject,
                        requester: ContactId::new(requesters[i % requesters.len()]),
                        queue: &queue,
                        priority: None,
                        body: "It does not work.",
                        kind: MessageKind::CustomerMessage,
                        author: None,
                        message_id: None,
                        links: Default::default(),
                    },
                )?;
            }
            Ok(chunk.len())
        })
        .map_err(|e| e.to_string())?;
    }
    Ok(made)
}

fn version_in(html: &str) -> Option<i32> {
    let at = html.find("name=\"version\" value=\"")? + "name=\"version\" value=\"".len();
    let end = html[at..].find('"')?;
    html[at..at + end].parse().ok()
}

impl Client {
    /// Take next, then open the ticket and answer the customer.
    pub async fn take_and_reply(&mut self, k: usize) {
        let (o, r) = self.post("ticket-take", "/tickets/take", &[]).await;
        let to = super::location(&r).unwrap_or_default();
        let id = match o {
            Outcome::Done => {
                if let Some(id) = to.strip_prefix("/tickets/").and_then(|s| s.parse().ok()) {
                    self.t.takes.taken.push(id);
                    id
                } else if to.starts_with("/tickets?") {
                    self.t.takes.none_left += 1;
                    return;
                } else {
                    self.t.bad.push(format!("ticket-take: 303 to {to:?}"));
                    return;
                }
            }
            Outcome::Unknown | Outcome::Busy => {
                self.t.takes.unknown += 1;
                return;
            }
            Outcome::Refused => {
                self.t.bad.push("ticket-take: refused".into());
                return;
            }
            Outcome::Bad(_) => return,
        };
        let path = format!("/tickets/{id}");
        let Some(page) = self.get("ticket-page", &path).await else {
            return;
        };
        let Some(version) = version_in(&page) else {
            self.t.bad.push(format!("{path}: no reply form"));
            return;
        };
        let body = format!("Cluster reply {} {} {k}", self.cfg.phase, self.n);
        let form = [
            ("body", body.clone()),
            ("kind", "public_reply".to_string()),
            ("version", version.to_string()),
        ];
        let (o, _) = self
            .post("ticket-reply", &format!("{path}/messages"), &form)
            .await;
        match o {
            Outcome::Done => self.t.takes.replied.push(body),
            Outcome::Unknown | Outcome::Busy => self.t.takes.replies_unknown.push(body),
            Outcome::Refused => self.t.takes.replies_refused += 1,
            Outcome::Bad(_) => {}
        }
    }
}

/// The counts after the phase; `by_agent`: user id -> what its client saw.
pub fn check(
    c: &mut DbConn,
    checks: &mut Checks,
    phase: &str,
    by_agent: &HashMap<i64, Takes>,
    since: NaiveDateTime,
) -> QueryResult<()> {
    let acked: Vec<(i64, i64)> = by_agent
        .iter()
        .flat_map(|(agent, t)| t.taken.iter().map(|id| (*id, *agent)))
        .collect();
    let distinct: HashSet<i64> = acked.iter().map(|(id, _)| *id).collect();
    let unknown: usize = by_agent.values().map(|t| t.unknown).sum();
    let none_left: usize = by_agent.values().map(|t| t.none_left).sum();
    checks.check(
        distinct.len() == acked.len(),
        format!(
            "take-next: {} acknowledged takes by {} agents, {} distinct tickets ({unknown} unanswered, {none_left} found nothing left)",
            acked.len(),
            by_agent.len(),
            distinct.len()
        ),
    );
    let ids: Vec<i64> = distinct.into_iter().collect();
    let mut assignee: HashMap<i64, Option<i64>> = HashMap::new();
    let mut entries: HashMap<i64, Vec<Option<i64>>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, Option<i64>)> = tickets::table
            .filter(tickets::id.eq_any(chunk))
            .select((tickets::id, tickets::assignee_id))
            .load(c)?;
        assignee.extend(rows);
        let rows: Vec<(Option<i64>, Option<i64>)> = activities::table
            .filter(activities::ticket_id.eq_any(chunk))
            .filter(activities::system_message.like("%tickets-event-assigned%"))
            .select((activities::ticket_id, activities::author_id))
            .load(c)?;
        for (t, by) in rows {
            entries.entry(t.unwrap_or(0)).or_default().push(by);
        }
    }
    let wrong: Vec<String> = acked
        .iter()
        .filter_map(|(id, agent)| {
            let stored = assignee.get(id).copied().flatten();
            let logged = entries.get(id).cloned().unwrap_or_default();
            (stored != Some(*agent) || logged != vec![Some(*agent)]).then(|| {
                format!("ticket {id}: taken by {agent}, assignee {stored:?}, assignments on the timeline by {logged:?}")
            })
        })
        .collect();
    checks.check(
        wrong.is_empty(),
        format!(
            "take-next: each taken ticket is its agent's, with one assignment on its timeline ({:?})",
            wrong.iter().take(5).collect::<Vec<_>>()
        ),
    );
    // Every take an agent made in the phase, acknowledged or not.
    let agents: Vec<i64> = by_agent.keys().copied().collect();
    let logged: Vec<Option<i64>> = activities::table
        .filter(activities::author_id.eq_any(&agents))
        .filter(activities::ticket_id.is_not_null())
        .filter(activities::created_at.ge(since))
        .filter(activities::system_message.like("%tickets-event-assigned%"))
        .select(activities::author_id)
        .load(c)?;
    let mut per_agent: HashMap<i64, usize> = HashMap::new();
    for a in logged.into_iter().flatten() {
        *per_agent.entry(a).or_default() += 1;
    }
    let off: Vec<String> = by_agent
        .iter()
        .filter_map(|(a, t)| {
            let n = per_agent.get(a).copied().unwrap_or(0);
            (n < t.taken.len() || n > t.taken.len() + t.unknown).then(|| {
                format!(
                    "agent {a}: {} acknowledged, {} unanswered, {n} on the timeline",
                    t.taken.len(),
                    t.unknown
                )
            })
        })
        .collect();
    checks.check(
        off.is_empty(),
        format!(
            "take-next: every assignment made = an acknowledged take (+ at most the unanswered) ({:?})",
            off.iter().take(5).collect::<Vec<_>>()
        ),
    );

    // Replies: each acknowledged one stored once, none twice.
    let prefix = format!("Cluster reply {phase} %");
    let stored: Vec<String> = ticket_messages::table
        .filter(ticket_messages::body.like(&prefix))
        .select(ticket_messages::body)
        .load(c)?;
    let mut copies: HashMap<&str, usize> = HashMap::new();
    for b in &stored {
        *copies.entry(b.trim()).or_default() += 1;
    }
    let replied: Vec<&String> = by_agent.values().flat_map(|t| &t.replied).collect();
    let maybe: usize = by_agent.values().map(|t| t.replies_unknown.len()).sum();
    let refused: usize = by_agent.values().map(|t| t.replies_refused).sum();
    let missing = replied
        .iter()
        .filter(|b| copies.get(b.as_str()) != Some(&1))
        .count();
    let twice = copies.values().filter(|n| **n > 1).count();
    checks.check(
        missing == 0 && twice == 0 && stored.len() <= replied.len() + maybe,
        format!(
            "ticket replies: {} acknowledged, {} stored ({missing} not exactly once, {twice} twice; {maybe} unanswered, {refused} refused)",
            replied.len(),
            stored.len()
        ),
    );
    Ok(())
}
