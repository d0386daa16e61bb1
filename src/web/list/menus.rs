//! A short-lived cache of reads that cost more than the page they sit on:
//! list filter menus (the cities, industries, tags in use and owners a
//! viewer may pick from), and the pipeline's grouped sums (board column
//! totals, forecast, funnel).
//!
//! On MariaDB the distinct cities and industries of 20,000 accounts took
//! about 30 ms a page view while the rows took 4 ms; the totals of 20,000
//! open deals cost more than the board's cards. Each value is kept under
//! its key (a viewer scope, or a pipeline with its filters and reach) for
//! the cache's time to live, and dropped as soon as this process writes
//! anything (`db::writes`), so a person who adds a city or moves a card
//! sees it at once; a write on another node of a cluster shows within the
//! time to live. List rows and cards themselves are never cached.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::auth::policy::{Scope, Viewer};

pub const MENU_TTL: Duration = Duration::from_secs(10);
/// How long grouped sums (the board's, forecast and funnel, the order
/// list's totals) are kept: dropped at once on any write of this process; a
/// write on another node of a cluster shows within this.
pub const SUMS_TTL: Duration = Duration::from_secs(5);
/// Keys remembered before the oldest are dropped.
const MAX_ENTRIES: usize = 1_000;

thread_local! {
    /// The database the unit of work running on this thread reads
    /// (`AppState::db` sets it): entries are kept per database.
    static DATABASE: Cell<u64> = const { Cell::new(0) };
}

/// Marks the database the work about to run on this thread reads.
pub fn for_database(key: u64) {
    DATABASE.with(|d| d.set(key));
}

struct Entry<V> {
    at: Instant,
    writes: u64,
    value: V,
}

pub struct MenuCache<V> {
    entries: Mutex<HashMap<String, Entry<V>>>,
    /// One gate per key being loaded: the first reader of a missing value
    /// loads it while the others wait for it, instead of all reading the
    /// database at once (a report opened by many at the start of the day).
    loading: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    ttl: Duration,
    /// Dropped on any write of this process (else kept for `ttl` only).
    follows_writes: bool,
}

impl<V: Clone> Default for MenuCache<V> {
    fn default() -> Self {
        MenuCache::with_ttl(MENU_TTL)
    }
}

impl<V: Clone> MenuCache<V> {
    pub fn with_ttl(ttl: Duration) -> Self {
        MenuCache {
            entries: Mutex::new(HashMap::new()),
            loading: Mutex::new(HashMap::new()),
            ttl,
            follows_writes: true,
        }
    }

    /// A cache whose values live `ttl` whatever this process writes: for
    /// figures that change with every write anyway (a sending campaign's
    /// counts), where "at most `ttl` old" is the promise.
    pub fn timed(ttl: Duration) -> Self {
        MenuCache {
            follows_writes: false,
            ..MenuCache::with_ttl(ttl)
        }
    }

    /// The viewer's menu, from the cache while fresh, else from `load`.
    pub fn get<E>(&self, viewer: &Viewer, load: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        self.get_keyed(scope_key(viewer), load)
    }

    /// The value under `key` (which must name everything the value depends
    /// on, the reader's reach included), from the cache while fresh, else
    /// from `load`.
    pub fn get_keyed<E>(&self, key: String, load: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        let key = format!("{}|{key}", DATABASE.with(Cell::get));
        // Counted before the read: a write that commits during `load` makes
        // the stored entry stale at once.
        let writes = crate::db::writes();
        if let Some(v) = self.fresh(&key, writes) {
            return Ok(v);
        }
        let gate = self
            .loading
            .lock()
            .map(|mut l| l.entry(key.clone()).or_default().clone())
            .ok();
        let _turn = gate
            .as_ref()
            .map(|g| g.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        // Another reader may have loaded it while this one waited.
        let writes = crate::db::writes();
        if let Some(v) = self.fresh(&key, writes) {
            return Ok(v);
        }
        let value = load();
        if let (Ok(value), Ok(mut entries)) = (&value, self.entries.lock()) {
            if entries.len() >= MAX_ENTRIES {
                let ttl = self.ttl;
                let follows = self.follows_writes;
                entries.retain(|_, e| e.at.elapsed() < ttl && (!follows || e.writes == writes));
            }
            if entries.len() < MAX_ENTRIES {
                let (at, value) = (Instant::now(), value.clone());
                entries.insert(key.clone(), Entry { at, writes, value });
            }
        }
        if let Ok(mut l) = self.loading.lock() {
            l.remove(&key);
        }
        value
    }

    /// The value under `key` if it was read after the last write and within
    /// the time to live.
    fn fresh(&self, key: &str, writes: u64) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        let e = entries.get(key)?;
        let unchanged = !self.follows_writes || e.writes == writes;
        (unchanged && e.at.elapsed() < self.ttl).then(|| e.value.clone())
    }
}

/// An empty cache of grouped sums, kept for `SUMS_TTL`.
pub fn sums_cache<V: Clone>() -> MenuCache<V> {
    MenuCache::with_ttl(SUMS_TTL)
}

/// Viewers who see the same records share a menu.
fn scope_key(v: &Viewer) -> String {
    match (v.scope, v.team_id) {
        (Scope::All, _) => "all".into(),
        (Scope::Team, Some(team)) => format!("team:{team}"),
        _ => format!("user:{}", v.user_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `db::writes` is one counter for the whole process: the tests that
    /// bump it and those that need it still take turns.
    static WRITES_COUNTER: Mutex<()> = Mutex::new(());

    fn turn() -> std::sync::MutexGuard<'static, ()> {
        WRITES_COUNTER
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn viewer(user_id: i64, team_id: Option<i64>, scope: Scope) -> Viewer {
        Viewer {
            user_id,
            team_id,
            scope,
        }
    }

    #[test]
    fn a_menu_is_loaded_once_per_scope() {
        let _turn = turn();
        let cache: MenuCache<Vec<String>> = MenuCache::default();
        let mut loads = 0;
        let mut load = |v: &Viewer| {
            cache.get(v, || {
                loads += 1;
                Ok::<_, ()>(vec![format!("{}", v.user_id)])
            })
        };
        let admin = viewer(1, None, Scope::All);
        assert_eq!(load(&admin), Ok(vec!["1".to_string()]));
        // Another viewer of everything shares it; an own-records viewer does not.
        assert_eq!(
            load(&viewer(2, None, Scope::All)),
            Ok(vec!["1".to_string()])
        );
        assert_eq!(
            load(&viewer(3, Some(4), Scope::Own)),
            Ok(vec!["3".to_string()])
        );
        assert_eq!(loads, 2);
    }

    #[test]
    fn a_write_of_this_process_drops_what_was_read_before_it() {
        let _turn = turn();
        let cache: MenuCache<u32> = MenuCache::default();
        let mut loads = 0;
        let mut load = |cache: &MenuCache<u32>| {
            cache.get_keyed("pipeline:1".into(), || {
                loads += 1;
                Ok::<_, ()>(loads)
            })
        };
        assert_eq!(load(&cache), Ok(1));
        assert_eq!(load(&cache), Ok(1), "fresh: read from the cache");
        crate::db::note_write();
        assert_eq!(load(&cache), Ok(2), "a write makes it stale");
    }

    #[test]
    fn a_timed_cache_keeps_its_value_through_writes_until_it_expires() {
        let _turn = turn();
        let cache: MenuCache<u32> = MenuCache::timed(Duration::from_millis(200));
        let mut loads = 0;
        let mut load = |cache: &MenuCache<u32>| {
            cache.get_keyed("campaign:1".into(), || {
                loads += 1;
                Ok::<_, ()>(loads)
            })
        };
        assert_eq!(load(&cache), Ok(1));
        crate::db::note_write();
        assert_eq!(load(&cache), Ok(1), "a write does not drop it");
        std::thread::sleep(Duration::from_millis(250));
        assert_eq!(load(&cache), Ok(2), "expired: read again");
    }

    #[test]
    fn an_entry_lives_no_longer_than_its_time_to_live() {
        let cache: MenuCache<u32> = MenuCache::with_ttl(Duration::ZERO);
        let mut loads = 0;
        for _ in 0..2 {
            let _ = cache.get_keyed("k".into(), || {
                loads += 1;
                Ok::<_, ()>(loads)
            });
        }
        assert_eq!(loads, 2);
    }

    #[test]
    fn readers_of_a_missing_value_wait_for_one_load() {
        use std::sync::atomic::{AtomicU32, Ordering};
        let cache: Arc<MenuCache<u32>> = Arc::new(MenuCache::default());
        let loads = Arc::new(AtomicU32::new(0));
        let readers: Vec<_> = (0..8)
            .map(|_| {
                let (cache, loads) = (cache.clone(), loads.clone());
                std::thread::spawn(move || {
                    cache.get_keyed("report".into(), || {
                        loads.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(50));
                        Ok::<_, ()>(7)
                    })
                })
            })
            .collect();
        for r in readers {
            assert_eq!(r.join().expect("reader"), Ok(7));
        }
        // One load (without the gate: eight). A second is possible only if
        // the one other test here that counts a write does so meanwhile.
        let n = loads.load(Ordering::SeqCst);
        assert!(n <= 2, "{n} loads");
    }
}
