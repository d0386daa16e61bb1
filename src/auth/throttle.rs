//! Login throttling keyed by (account, client address): an attacker hammering
//! one account from one address is slowed to 429s, while the real user signing
//! in from elsewhere is unaffected. Kept in memory per instance; see
//! docs/security.md for what that means behind a load balancer.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Bound on remembered keys, so a flood of made-up accounts cannot grow memory.
const MAX_KEYS: usize = 100_000;

/// (account, client address) -> (failures, first failure of the window).
type Failures = HashMap<(String, Option<IpAddr>), (u32, Instant)>;

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<Failures>,
}

impl Throttle {
    /// Seconds to wait if this (account, client) is currently blocked.
    pub fn blocked_for(&self, email: &str, ip: Option<IpAddr>) -> Option<u64> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let (count, since) = map.get(&(email.to_string(), ip))?;
        let elapsed = since.elapsed();
        (*count >= MAX_FAILURES && elapsed < WINDOW).then(|| (WINDOW - elapsed).as_secs().max(1))
    }

    pub fn record_failure(&self, email: &str, ip: Option<IpAddr>) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, (_, since)| since.elapsed() < WINDOW);
        }
        let entry = map
            .entry((email.to_string(), ip))
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    pub fn clear(&self, email: &str, ip: Option<IpAddr>) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&(email.to_string(), ip));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_per_client_only() {
        let t = Throttle::default();
        let a: IpAddr = "10.0.0.1".parse().expect("ip");
        let b: IpAddr = "10.0.0.2".parse().expect("ip");
        for _ in 0..MAX_FAILURES - 1 {
            t.record_failure("x@y.z", Some(a));
        }
        assert!(t.blocked_for("x@y.z", Some(a)).is_none());
        t.record_failure("x@y.z", Some(a));
        assert!(t.blocked_for("x@y.z", Some(a)).is_some());
        assert!(t.blocked_for("x@y.z", Some(b)).is_none());
        assert!(t.blocked_for("other@y.z", Some(a)).is_none());
        t.clear("x@y.z", Some(a));
        assert!(t.blocked_for("x@y.z", Some(a)).is_none());
    }
}
