//! What the POST benchmarks (`bench_moves`, `bench_recalc`) share: each
//! client's tally of round trips, and the one-line summary `bench/run.sh`
//! reads (`… N req/s, p50 X ms, p99 Y ms, failed F`).

use std::time::Duration;

/// One client's round trips: how long each took, and how many failed.
#[derive(Default)]
pub struct Tally {
    pub latencies: Vec<Duration>,
    pub failed: usize,
}

impl Tally {
    /// Waits for every client and adds up their tallies.
    pub async fn gather(tasks: Vec<tokio::task::JoinHandle<Tally>>) -> Result<Tally, String> {
        let mut all = Tally::default();
        for t in tasks {
            let t = t.await.map_err(|e| e.to_string())?;
            all.latencies.extend(t.latencies);
            all.failed += t.failed;
        }
        all.latencies.sort();
        Ok(all)
    }

    /// "N in Ts, R req/s, p50 X ms, p99 Y ms, failed F" (after `gather`).
    pub fn summary(&self, elapsed: f64) -> String {
        format!(
            "{} in {:.1}s: {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms, failed {}",
            self.latencies.len(),
            elapsed,
            self.latencies.len() as f64 / elapsed,
            percentile(&self.latencies, 0.50),
            percentile(&self.latencies, 0.99),
            self.failed
        )
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}
