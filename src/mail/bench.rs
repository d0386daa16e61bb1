//! `rapport bench-outbox`: queues a number of messages through the outbox
//! and lets job workers deliver them to the configured SMTP server (a local
//! sink when benchmarking, see bench/outbox.sh), reporting messages per second.

use std::time::{Duration, Instant};

use diesel::prelude::*;

use super::outbox::{self, Email};
use crate::config::Config;
use crate::db::schema::jobs;
use crate::db::{self, write_tx};
use crate::jobs::{JobEnv, Runner, repo};
use crate::mail::Mailer;
use crate::startup::prepare_database;

/// Messages per enqueue transaction.
const PER_TX: usize = 500;

pub fn run(config: &Config, messages: usize, workers: usize) -> Result<String, String> {
    let workers = workers.max(1);
    let mailer = Mailer::from_config(config).map_err(|e| e.to_string())?;
    prepare_database(config).map_err(|e| e.to_string())?;
    let pool = db::build_pool(
        &config.database,
        workers as u32 + 2,
        Duration::from_secs(10),
    );
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let emails: Vec<Email> = (0..messages)
        .map(|i| {
            Email::new(
                &config.mail_from,
                &format!("Bench {i} <bench{i}@bench.rapport.test>"),
                &format!("Benchmark message {i}"),
                format!("Hello {i},\r\n\r\nthis is message {i} of the outbox benchmark.\r\n"),
            )
            .map(|e| {
                e.html(format!(
                    "<p>Hello {i},</p><p>this is message {i} of the outbox benchmark.</p>"
                ))
            })
        })
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let queued_at = Instant::now();
    let mut ids = Vec::with_capacity(messages);
    for chunk in emails.chunks(PER_TX) {
        ids.extend(
            write_tx(&mut conn, |c| {
                chunk
                    .iter()
                    .map(|e| outbox::enqueue(c, e))
                    .collect::<QueryResult<Vec<i64>>>()
            })
            .map_err(|e| e.to_string())?,
        );
    }
    let queue_secs = queued_at.elapsed().as_secs_f64();
    drop(conn);

    let env = JobEnv {
        pool: pool.clone(),
        data_dir: config.data_dir.clone(),
        mailer,
        lease: config.job_lease,
        links: crate::signed::PublicLinks::new(&config.secret_key, &config.base_url),
    };
    let started = Instant::now();
    let threads: Vec<_> = (0..workers)
        .map(|_| {
            let runner = Runner::new(env.clone());
            std::thread::spawn(move || {
                while runner.run_once().map_err(|e| e.to_string())? > 0 {}
                Ok::<_, String>(())
            })
        })
        .collect();
    for t in threads {
        t.join().map_err(|_| "a worker panicked".to_string())??;
    }
    let secs = started.elapsed().as_secs_f64();
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    let mut done = 0;
    for chunk in ids.chunks(1000) {
        done += jobs::table
            .filter(jobs::id.eq_any(chunk))
            .filter(jobs::status.eq(repo::DONE))
            .count()
            .get_result::<i64>(&mut **conn)
            .map_err(|e| e.to_string())?;
    }
    if done != messages as i64 {
        return Err(format!(
            "only {done} of {messages} messages were delivered (see /admin/jobs)"
        ));
    }
    Ok(format!(
        "{messages} messages queued in {queue_secs:.2} s ({:.0}/s); delivered by {workers} worker(s) in {secs:.2} s = {:.0} msg/s",
        messages as f64 / queue_secs,
        messages as f64 / secs
    ))
}
