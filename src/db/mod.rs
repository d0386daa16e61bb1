//! Database access: one connection type over MySQL/MariaDB and SQLite, the pool,
//! migrations and the few statements that differ per backend.

mod backend;
mod migrate;
mod pool;
pub mod schema;
pub mod text_enum;

use diesel::mysql::MysqlConnection;
use diesel::sqlite::SqliteConnection;

pub use backend::{
    Dialect, TX_ATTEMPTS, TxError, dialect, is_retryable, last_insert_id, no_semijoin, note_write,
    sum_bigint, unindexed, write_tx, writes,
};
pub use migrate::{ensure_database, run_migrations, run_migrations_before};
pub use pool::{DbUrl, ManagedConn, Manager, build_pool, connect, redact};

/// A connection to whichever backend the URL named.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Mysql(MysqlConnection),
    Sqlite(SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// The backend type diesel generates for `DbConn` (for boxed queries).
pub type Backend = <DbConn as diesel::Connection>::Backend;

/// Now, in UTC, at the microsecond precision both backends store.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let t = chrono::Utc::now().naive_utc();
    t.with_nanosecond(t.nanosecond() / 1_000 * 1_000)
        .unwrap_or(t)
}

/// A LIKE pattern matching values that start with `term` (indexable on
/// both backends), with `\` escaping `%`, `_` and `\`.
pub fn prefix_pattern(term: &str) -> String {
    let mut p = contains_pattern(term);
    p.remove(0);
    p
}

/// A LIKE pattern matching `term` anywhere, with `\` escaping `%`, `_` and `\`.
pub fn contains_pattern(term: &str) -> String {
    let mut p = String::with_capacity(term.len() + 2);
    p.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}
