//! r2d2 pool with a connection manager that picks the backend from the URL
//! scheme itself: SQLite would otherwise accept any string as a file name.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};

use super::{DbConn, Pool};

#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Hides a password in a URL before it reaches a log line or error message.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
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
            let mut c = SqliteConnection::establish(path)?;
            c.batch_execute(
                "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
            .map_err(ConnectionError::CouldntSetupConfiguration)?;
            Ok(DbConn::Sqlite(c))
        }
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConn, ConnectionError> {
        connect(&self.url)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1")
            .map_err(ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// The checkout timeout is short on purpose: with the database down a page
/// answers 503 in about two seconds instead of hanging (r2d2's default is 30 s).
pub fn build_pool(url: &DbUrl, max_size: u32, checkout_timeout: Duration) -> Pool {
    r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(checkout_timeout)
        .build_unchecked(Manager::new(url.clone()))
}
