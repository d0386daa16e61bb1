//! Load benchmark of "Take next": `agents` threads, each with its own
//! database connection, take tickets as fast as they can until `takes`
//! claims were made (or nothing is left), as `POST /tickets/take` does
//! (`tickets::write::take_next`: candidates by SLA urgency, one
//! conditional UPDATE per candidate, no locks). Before the run the open
//! tickets are made unassigned again. Reports claims per second, the
//! latency of one take (p50, p99) and the double claims found: a ticket
//! returned to two agents, or stored with an assignee other than the one
//! that got it. The issue asks for zero in 10,000 concurrent takes.
//!
//!   cargo run --release --example bench_take_next -- <database url> [agents=16] [takes=10000]
//!
//! Seed first: `rapport seed-demo --contacts 20000 --tickets 100000`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use rapport::db::schema::{tickets, users};
use rapport::db::{DbUrl, connect};
use rapport::domain::ids::{TicketId, UserId};
use rapport::tickets::write::take_next;

fn main() -> Result<(), String> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let Some(db) = a.first() else {
        return Err("usage: bench_take_next <database url> [agents] [takes]".into());
    };
    let agents: usize = a.get(1).and_then(|s| s.parse().ok()).unwrap_or(16).max(1);
    let takes: usize = a.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let url = DbUrl::parse(db)?;
    let mut c = connect(&url).map_err(|e| e.to_string())?;
    let people: Vec<i64> = users::table
        .filter(users::active.eq(true))
        .select(users::id)
        .load(&mut c)
        .map_err(|e| e.to_string())?;
    if people.is_empty() {
        return Err("no users: run rapport seed-demo first".into());
    }
    let freed = diesel::update(tickets::table.filter(tickets::status.eq_any(["new", "open"])))
        .set(tickets::assignee_id.eq(None::<i64>))
        .execute(&mut c)
        .map_err(|e| e.to_string())?;
    println!("{freed} open tickets unassigned; {agents} agents take up to {takes}");

    let left = Arc::new(AtomicUsize::new(takes));
    let barrier = Arc::new(Barrier::new(agents));
    let started = Instant::now();
    let handles: Vec<_> = (0..agents)
        .map(|i| {
            let (url, left, barrier) = (url.clone(), left.clone(), barrier.clone());
            let me = UserId::new(people[i % people.len()]);
            std::thread::spawn(move || -> Result<Vec<(TicketId, i64, Duration)>, String> {
                let mut c = connect(&url).map_err(|e| e.to_string())?;
                let mut got = Vec::new();
                barrier.wait();
                while left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
                {
                    let t = Instant::now();
                    match take_next(&mut c, me, &[]).map_err(|e| e.to_string())? {
                        Some(id) => got.push((id, me.get(), t.elapsed())),
                        None => break,
                    }
                }
                Ok(got)
            })
        })
        .collect();
    let mut claims = Vec::new();
    for h in handles {
        claims.extend(
            h.join()
                .map_err(|_| "an agent thread panicked".to_string())??,
        );
    }
    let secs = started.elapsed().as_secs_f64();
    let mut lat: Vec<Duration> = claims.iter().map(|c| c.2).collect();
    lat.sort();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let mut by_ticket: HashMap<TicketId, i64> = HashMap::new();
    let mut doubles = 0;
    for (id, agent, _) in &claims {
        if by_ticket.insert(*id, *agent).is_some() {
            doubles += 1;
        }
    }
    for (id, agent) in &by_ticket {
        let stored: Option<i64> = tickets::table
            .find(*id)
            .select(tickets::assignee_id)
            .first(&mut c)
            .map_err(|e| e.to_string())?;
        if stored != Some(*agent) {
            doubles += 1;
        }
    }
    println!(
        "{} claims in {secs:.1} s ({:.0}/s); take p50 {:.1} ms, p99 {:.1} ms; double claims: {doubles}",
        claims.len(),
        claims.len() as f64 / secs.max(0.001),
        pct(0.5),
        pct(0.99)
    );
    Ok(())
}
