//! The worker threads `Application::build` starts: each loops over
//! `Runner::run_once`, sleeping briefly when there was nothing to do, until
//! told to stop (it finishes the batch in hand first).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::handlers;
use super::repo;
use super::runner::{JobEnv, Runner};
use crate::db::{now, write_tx};

/// Pause of an idle worker before it looks for work again.
pub const IDLE: Duration = Duration::from_millis(250);
/// Pause after the database failed.
const AFTER_ERROR: Duration = Duration::from_secs(2);
/// How often the first worker deletes old finished jobs.
const PURGE_EVERY: Duration = Duration::from_secs(600);
/// Finished jobs (and their outbox messages) are kept this long.
const KEEP_DONE_DAYS: i64 = 30;

pub struct Workers {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    pub fn start(env: JobEnv, count: usize) -> Workers {
        let stop = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::with_capacity(count);
        for n in 0..count {
            let (env, stop) = (env.clone(), stop.clone());
            match std::thread::Builder::new()
                .name(format!("jobs-{n}"))
                .spawn(move || work(Runner::new(env), n == 0, &stop))
            {
                Ok(t) => threads.push(t),
                Err(e) => tracing::error!(error = %e, "could not start a job worker"),
            }
        }
        Workers { stop, threads }
    }

    /// Stops the workers and waits for the jobs in hand.
    pub fn shutdown(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        // Without waiting: dropped when the server is, possibly on an async thread.
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn work(runner: Runner, first: bool, stop: &AtomicBool) {
    let mut last_purge: Option<Instant> = None;
    let mut started = false;
    while !stop.load(Ordering::Relaxed) {
        if first && !started {
            started = runner.env().pool.get().is_ok_and(|mut c| {
                handlers::on_start(runner.env(), &mut c);
                true
            });
        }
        if first && last_purge.is_none_or(|t| t.elapsed() > PURGE_EVERY) {
            last_purge = Some(Instant::now());
            purge(&runner);
        }
        match runner.run_once() {
            Ok(0) => pause(stop, IDLE),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "job worker could not reach the database");
                pause(stop, AFTER_ERROR);
            }
        }
    }
}

fn purge(runner: &Runner) {
    let before = now() - chrono::Duration::days(KEEP_DONE_DAYS);
    if let Ok(mut c) = runner.env().pool.get() {
        while let Ok(n) = write_tx(&mut c, |c| repo::purge_done(c, before, 1000)) {
            if n == 0 {
                break;
            }
            tracing::info!(deleted = n, "old finished jobs purged");
        }
    }
}

fn pause(stop: &AtomicBool, total: Duration) {
    let step = Duration::from_millis(50);
    let mut slept = Duration::ZERO;
    while slept < total && !stop.load(Ordering::Relaxed) {
        std::thread::sleep(step);
        slept += step;
    }
}
