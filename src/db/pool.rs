//! r2d2 pool with a connection manager that picks the backend from the URL
//! scheme itself: SQLite would otherwise accept any string as a file name.

use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel::r2d2::R2D2Connection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};

use super::{DbConn, Pool};

/// The URL a connection is made from. Its `Debug` hides the password.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum DbUrl {
    Mysql(String),
    Sqlite(String),
}

impl DbUrl {
    /// `mysql://…` (MariaDB too) or `sqlite://path` / `sqlite:path`; anything else is refused.
    pub fn parse(url: &str) -> Result<DbUrl, String> {
        if url.starts_with("mysql://") || url.starts_with("mariadb://") {
            let url = url.replacen("mariadb://", "mysql://", 1);
            return Ok(DbUrl::Mysql(url));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("the sqlite URL names no file".into());
            }
            return Ok(DbUrl::Sqlite(path.to_string()));
        }
        Err(format!(
            "unsupported database URL (expected mysql://… or sqlite://…): {}",
            redact(url)
        ))
    }

    pub fn is_mysql(&self) -> bool {
        matches!(self, DbUrl::Mysql(_))
    }
}

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbUrl::Mysql(u) => f.debug_tuple("Mysql").field(&redact(u)).finish(),
            DbUrl::Sqlite(p) => f.debug_tuple("Sqlite").field(p).finish(),
        }
    }
}

/// Hides a password in a URL before it reaches a log line or error message.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(_) => url.to_string(),
        // Unparseable: hide whatever could be credentials (before the last '@').
        Err(_) => match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                format!("{}***{}", &url[..scheme + 3], &url[at..])
            }
            _ => url.to_string(),
        },
    }
}

#[derive(Debug, Clone)]
pub struct Manager {
    url: DbUrl,
}

impl Manager {
    pub fn new(url: DbUrl) -> Self {
        Manager { url }
    }
}

pub fn connect(url: &DbUrl) -> Result<DbConn, ConnectionError> {
    match url {
        DbUrl::Mysql(u) => {
            let mut c = MysqlConnection::establish(u)?;
            c.batch_execute(
                "SET time_zone = '+00:00', \
                 sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', \
                 NAMES utf8mb4 COLLATE utf8mb4_unicode_ci",
            )
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConn::Mysql(c))
        }
        DbUrl::Sqlite(path) => {
            // Created (or tightened) to owner-only before SQLite opens it; its
            // WAL and SHM files take the database file's mode.
            crate::private_files::restrict_sqlite(path)
                .map_err(|e| ConnectionError::BadConnection(format!("{path}: {e}")))?;
            let mut c = SqliteConnection::establish(path)?;
            // Reads through a memory map (no pread and copy per page missed
            // in the connection's own cache, which is small by default) and
            // sorts in memory: a search reading 2,500 scattered contacts
            // spent most of its time in page reads without them.
            c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                 PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -8000; \
                 PRAGMA temp_store = MEMORY;",
            )
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConn::Sqlite(c))
        }
    }
}

/// A pooled connection and what the pool needs to know about it. Derefs to
/// `DbConn`, so `&mut pooled` is used wherever a `&mut DbConn` is wanted.
pub struct ManagedConn {
    conn: DbConn,
    broken: bool,
    returned_at: Instant,
}

impl ManagedConn {
    /// Work on this connection failed as "database unavailable" (connection
    /// lost, server gone): the pool discards it instead of handing it out again.
    pub fn mark_broken(&mut self) {
        self.broken = true;
        note_broken();
    }

    pub fn is_marked_broken(&self) -> bool {
        self.broken
    }
}

impl Deref for ManagedConn {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        &self.conn
    }
}

impl DerefMut for ManagedConn {
    fn deref_mut(&mut self) -> &mut DbConn {
        &mut self.conn
    }
}

/// When a connection of this process last failed as "unavailable", in
/// milliseconds after `EPOCH`. A database node that dies (a Galera node
/// killed behind HAProxy) breaks every connection to it at once: after the
/// first failure, each connection returned before it is tested with a
/// `SELECT 1` before it is handed out again, so one dead connection costs
/// one failed request, not one per pooled connection (docs/scale-out.md).
static LAST_BROKEN: AtomicU64 = AtomicU64::new(0);
static EPOCH: OnceLock<Instant> = OnceLock::new();

fn millis(at: Instant) -> u64 {
    let epoch = *EPOCH.get_or_init(Instant::now);
    // +1: 0 means "never".
    at.saturating_duration_since(epoch).as_millis() as u64 + 1
}

fn note_broken() {
    LAST_BROKEN.fetch_max(millis(Instant::now()), Ordering::Relaxed);
}

/// A connection failed after `returned` (or in the same millisecond).
fn broken_since(returned: Instant) -> bool {
    let last = LAST_BROKEN.load(Ordering::Relaxed);
    last != 0 && last >= millis(returned)
}

/// A connection back in the pool for less than this is handed out again
/// without a `SELECT 1` round trip: under load (the case that matters) no
/// checkout pays for a test, while one that sat idle — through a database
/// restart, say — is still checked before use.
pub const CHECK_AFTER_IDLE: Duration = Duration::from_secs(10);

impl r2d2::ManageConnection for Manager {
    type Connection = ManagedConn;
    type Error = ConnectionError;

    fn connect(&self) -> Result<ManagedConn, ConnectionError> {
        Ok(ManagedConn {
            conn: connect(&self.url)?,
            broken: false,
            returned_at: Instant::now(),
        })
    }

    fn is_valid(&self, conn: &mut ManagedConn) -> Result<(), ConnectionError> {
        if conn.returned_at.elapsed() < CHECK_AFTER_IDLE && !broken_since(conn.returned_at) {
            return Ok(());
        }
        conn.conn
            .batch_execute("SELECT 1")
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    /// Called when a connection is returned: one marked broken, or left in an
    /// open or failed transaction, is closed rather than reused.
    fn has_broken(&self, conn: &mut ManagedConn) -> bool {
        conn.returned_at = Instant::now();
        conn.broken || conn.conn.is_broken()
    }
}

/// The checkout timeout is short on purpose: with the database down a page
/// answers 503 in about two seconds instead of hanging (r2d2's default is 30 s).
pub fn build_pool(url: &DbUrl, max_size: u32, checkout_timeout: Duration) -> Pool {
    r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(checkout_timeout)
        // `is_valid` above: a real test only after an idle spell.
        .test_on_check_out(true)
        .build_unchecked(Manager::new(url.clone()))
}
