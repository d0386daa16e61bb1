//! The only statements that differ between MySQL and SQLite live here, with
//! the write transaction every feature uses (retried on deadlocks).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::BigInt;
use rand::Rng;

use super::DbConn;
use crate::error::AppError;

/// Attempts of one write transaction before its deadlock error is returned.
/// Eight: on a Galera cluster a row many write at once (a document counter,
/// the last units of a product) fails certification for all but one writer
/// per round, so a transaction may need several rounds (docs/scale-out.md).
pub const TX_ATTEMPTS: u32 = 8;

/// No new attempt starts once a write transaction has been at it this
/// long: a lock wait timeout (10 s on the cluster, 50 s by default) retried
/// eight times would keep a request hanging for minutes; the user gets a
/// 503 "busy, try again" instead (the cluster run saw a 30 s hang).
pub const TX_BUDGET: Duration = Duration::from_secs(15);

#[derive(QueryableByName)]
struct InsertedId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The id the last INSERT on this connection generated.
pub fn last_insert_id(conn: &mut DbConn) -> QueryResult<i64> {
    let sql = match conn {
        DbConn::Mysql(_) => "SELECT CAST(LAST_INSERT_ID() AS SIGNED) AS id",
        DbConn::Sqlite(_) => "SELECT last_insert_rowid() AS id",
    };
    Ok(diesel::sql_query(sql).get_result::<InsertedId>(conn)?.id)
}

/// The SQL a connection speaks, for the few statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Mysql,
    Sqlite,
}

pub fn dialect(conn: &DbConn) -> Dialect {
    match conn {
        DbConn::Mysql(_) => Dialect::Mysql,
        DbConn::Sqlite(_) => Dialect::Sqlite,
    }
}

/// A list filter's column under `Plan::Walk` on SQLite (docs/lists.md):
/// `+column`, the same value, but an expression no index serves, so the
/// planner walks the sort's index and stops after a page instead of
/// reading every match through the filter's index and sorting them.
pub fn unindexed(column: &str) -> String {
    format!("+{column}")
}

/// What a filter under `Plan::Walk` is OR-ed with on MariaDB: its parser
/// drops a unary plus, and it turns `id IN (subquery)` into a semi-join
/// that reads every match (a tag, a common search word) and sorts them.
/// An IN that is not a top-level AND term is never made a semi-join, so
/// `(id IN (…) OR FALSE)` stays a probe per row while MariaDB walks the
/// sort's index; on a plain comparison the `OR FALSE` folds away and
/// MariaDB chooses as before.
pub fn no_semijoin() -> diesel::expression::SqlLiteral<diesel::sql_types::Bool> {
    diesel::dsl::sql("FALSE")
}

/// `SUM(expr)` as a BIGINT (0 when there are no rows): MariaDB sums
/// integers as DECIMAL, which this cast brings back to a 64-bit integer.
pub fn sum_bigint(conn: &DbConn, expr: &str) -> String {
    match conn {
        DbConn::Mysql(_) => format!("CAST(COALESCE(SUM({expr}), 0) AS SIGNED)"),
        DbConn::Sqlite(_) => format!("COALESCE(SUM({expr}), 0)"),
    }
}

/// An error a write transaction may be retried on as a whole.
pub trait TxError: From<DieselError> {
    /// A deadlock, lock wait timeout or busy database (not a bug in the work).
    fn is_retryable(&self) -> bool;
}

impl TxError for DieselError {
    fn is_retryable(&self) -> bool {
        is_retryable(self)
    }
}

impl TxError for AppError {
    fn is_retryable(&self) -> bool {
        match self {
            AppError::Unexpected(e) | AppError::Unavailable(e) => {
                e.downcast_ref::<DieselError>().is_some_and(is_retryable)
            }
            _ => false,
        }
    }
}

/// MySQL 1213 (deadlock; also a Galera certification conflict), 1205 (lock
/// wait timeout), SQLite's SQLITE_BUSY / SQLITE_LOCKED.
pub fn is_retryable(e: &DieselError) -> bool {
    match e {
        DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        DieselError::DatabaseError(_, info) => {
            let m = info.message().to_ascii_lowercase();
            m.contains("deadlock")
                || m.contains("lock wait timeout")
                || m.contains("database is locked")
                || m.contains("database table is locked")
                || m.contains("database is busy")
        }
        DieselError::RollbackErrorOnCommit { commit_error, .. } => is_retryable(commit_error),
        _ => false,
    }
}

static WRITES: AtomicU64 = AtomicU64::new(0);

/// A number that changes whenever a write transaction of this process
/// starts or ends: what read caches (`web::list::menus`) compare to know
/// that nothing was written here since they read.
pub fn writes() -> u64 {
    WRITES.load(Ordering::Relaxed)
}

/// Counts a write made outside `write_tx` (a cache of reads must not
/// outlive it).
pub fn note_write() {
    WRITES.fetch_add(1, Ordering::Relaxed);
}

/// A write transaction, retried as a whole (up to `TX_ATTEMPTS` times within
/// `TX_BUDGET`, with a short jittered pause) when the database reports a
/// deadlock, a lock wait timeout or a busy file, so `f` must be safe to run
/// again: it may only change captured state it resets at its start. On
/// SQLite it starts with `BEGIN IMMEDIATE`, so two writers queue on the busy
/// timeout instead of one failing when it upgrades a read lock; on MySQL it
/// runs with autocommit off and a guard savepoint (`MYSQL_BEGIN`). Inside
/// another transaction it is a savepoint and not retried (the outer
/// transaction is the unit that can be).
pub fn write_tx<T, E, F>(conn: &mut DbConn, mut f: F) -> Result<T, E>
where
    E: TxError,
    F: FnMut(&mut DbConn) -> Result<T, E>,
{
    let nested = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(E::from)?
        .is_some();
    if nested {
        return conn.transaction(f);
    }
    let mut attempt = 1;
    let started = std::time::Instant::now();
    loop {
        // Counted before and after: a reader that saw the old data before
        // the commit never keeps it past the write (`writes`).
        WRITES.fetch_add(1, Ordering::Relaxed);
        let result = once(conn, &mut f);
        WRITES.fetch_add(1, Ordering::Relaxed);
        if result.is_err() && !repair(conn) {
            // The connection's transaction state is unknown: it is not
            // run again (and the pool discards it).
            return result;
        }
        match result {
            Err(e)
                if attempt < TX_ATTEMPTS && started.elapsed() < TX_BUDGET && e.is_retryable() =>
            {
                tracing::warn!(
                    attempt,
                    "write transaction met a deadlock or lock timeout; retrying"
                );
                std::thread::sleep(pause(attempt));
                attempt += 1;
            }
            done => return done,
        }
    }
}

/// After a failed attempt: true if the connection is outside any
/// transaction and usable. A transaction Galera aborted (a brute-force
/// abort while it waited between statements) answers even its ROLLBACK with
/// a deadlock error, which leaves diesel's transaction manager "broken"
/// although the server has already rolled the transaction back; a plain
/// `ROLLBACK` that succeeds proves the connection clean again, and the
/// manager is reset so the retry can begin a new transaction.
fn repair(conn: &mut DbConn) -> bool {
    let status = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn);
    match status.transaction_depth() {
        Ok(None) => true,
        Ok(Some(_)) => false,
        Err(_) => {
            let rollback = match conn {
                DbConn::Mysql(_) => MYSQL_ROLLBACK,
                DbConn::Sqlite(_) => "ROLLBACK",
            };
            if conn.batch_execute(rollback).is_err() {
                return false;
            }
            *<DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn) =
                diesel::connection::TransactionManagerStatus::default();
            true
        }
    }
}

/// A MySQL write transaction runs with autocommit off and a savepoint taken
/// at its start, released just before its COMMIT. Should the server roll the
/// transaction back without the client seeing it (a Galera brute-force abort
/// whose error was not delivered to the statement that followed it — one
/// acknowledged contact create lost its row while its audit row, written
/// later in the same transaction, committed: docs/scale-out.md), the
/// statements after the rollback do not commit one by one, as they would
/// with autocommit on: they open a new transaction, the release then finds
/// the savepoint gone, that transaction is rolled back and the attempt fails
/// as a conflict, retried whole. Each batch costs what diesel's own BEGIN
/// and COMMIT did (one `batch_execute` each).
const MYSQL_BEGIN: &str = "SET autocommit = 0; BEGIN; SAVEPOINT rapport_tx";
const MYSQL_COMMIT: &str = "RELEASE SAVEPOINT rapport_tx; COMMIT; SET autocommit = 1";
const MYSQL_ROLLBACK: &str = "ROLLBACK; SET autocommit = 1";
const MYSQL_AUTOCOMMIT: &str = "SET autocommit = 1";

/// Commits (or, if `result` is an error, rolls back) a transaction begun
/// with `MYSQL_BEGIN`, and leaves the connection in autocommit mode.
fn finish_mysql<T, E>(c: &mut diesel::MysqlConnection, result: Result<T, E>) -> Result<T, E>
where
    E: TxError,
{
    let failed = match result {
        Ok(v) => match c.batch_execute(MYSQL_COMMIT) {
            Ok(()) => {
                *AnsiTransactionManager::transaction_manager_status_mut(c) =
                    diesel::connection::TransactionManagerStatus::default();
                return Ok(v);
            }
            Err(e) if savepoint_lost(&e) => Err(E::from(rolled_back_unseen())),
            Err(e) => Err(E::from(e)),
        },
        // A statement that failed after an unseen rollback fails for that
        // reason (a foreign key to a row the rollback took away, a
        // conditional UPDATE that found nothing): if the guard savepoint
        // is gone, the run is a conflict to retry, not the error it gave.
        Err(e) if !e.is_retryable() && guard_lost(c) => Err(E::from(rolled_back_unseen())),
        Err(e) => Err(e),
    };
    end_mysql(c, MYSQL_ROLLBACK);
    failed
}

/// Runs `sql` (a rollback and/or autocommit back on); a transaction a
/// Galera abort ended answers its first ROLLBACK with a deadlock error, so
/// it is tried twice. The transaction manager is then outside any
/// transaction, or broken if the connection could not be put right (the
/// pool then discards it).
fn end_mysql(c: &mut diesel::MysqlConnection, sql: &str) {
    use diesel::connection::TransactionManagerStatus;
    let ok = c.batch_execute(sql).is_ok() || c.batch_execute(sql).is_ok();
    *AnsiTransactionManager::transaction_manager_status_mut(c) = if ok {
        TransactionManagerStatus::default()
    } else {
        TransactionManagerStatus::InError
    };
}

/// True if the transaction's guard savepoint is gone (it was rolled back
/// unseen); asked only after a failed run, before its rollback.
fn guard_lost(c: &mut diesel::MysqlConnection) -> bool {
    c.batch_execute("ROLLBACK TO SAVEPOINT rapport_tx")
        .is_err_and(|e| savepoint_lost(&e))
}

/// MySQL 1305: the savepoint `rapport_tx` no longer exists, so the
/// transaction that took it was rolled back before the COMMIT.
fn savepoint_lost(e: &DieselError) -> bool {
    matches!(e, DieselError::DatabaseError(_, info)
        if info.message().contains("rapport_tx") && info.message().contains("does not exist"))
}

/// The error of a transaction the server rolled back unseen: a conflict,
/// so `write_tx` runs it again.
fn rolled_back_unseen() -> DieselError {
    DieselError::DatabaseError(
        DatabaseErrorKind::SerializationFailure,
        Box::new(
            "the write transaction was rolled back by the server before its commit".to_string(),
        ),
    )
}

/// 10, 20, 40, 80, 160 ms (and 160 ms after that), each plus up to as much
/// again at random, so two transactions that deadlocked do not meet again
/// in step.
fn pause(attempt: u32) -> Duration {
    let base = 5u64 << attempt.min(5);
    Duration::from_millis(base + rand::thread_rng().gen_range(0..=base))
}

fn once<T, E, F>(conn: &mut DbConn, f: &mut F) -> Result<T, E>
where
    E: TxError,
    F: FnMut(&mut DbConn) -> Result<T, E>,
{
    if let DbConn::Mysql(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, MYSQL_BEGIN).inspect_err(|_| {
            // The batch may have stopped after switching autocommit off.
            end_mysql(c, MYSQL_AUTOCOMMIT);
        })?;
        let result = f(conn);
        let DbConn::Mysql(c) = conn else {
            return result;
        };
        return finish_mysql(c, result);
    }
    if let DbConn::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    let result = f(conn);
    let DbConn::Sqlite(c) = conn else {
        return result;
    };
    match result {
        Ok(v) => match AnsiTransactionManager::commit_transaction(c) {
            Ok(()) => Ok(v),
            Err(e) => {
                if AnsiTransactionManager::transaction_manager_status_mut(c)
                    .transaction_depth()
                    .is_ok_and(|d| d.is_some())
                {
                    let _ = AnsiTransactionManager::rollback_transaction(c);
                }
                Err(e.into())
            }
        },
        Err(e) => {
            // The original error matters more than a failed rollback.
            let _ = AnsiTransactionManager::rollback_transaction(c);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_error(kind: DatabaseErrorKind, message: &str) -> DieselError {
        DieselError::DatabaseError(kind, Box::new(message.to_string()))
    }

    #[test]
    fn deadlocks_lock_waits_and_busy_files_are_retryable() {
        for e in [
            db_error(
                DatabaseErrorKind::SerializationFailure,
                "Deadlock found when trying to get lock; try restarting transaction",
            ),
            db_error(
                DatabaseErrorKind::Unknown,
                "Lock wait timeout exceeded; try restarting transaction",
            ),
            db_error(DatabaseErrorKind::Unknown, "database is locked"),
            db_error(DatabaseErrorKind::Unknown, "database table is locked"),
        ] {
            assert!(is_retryable(&e), "{e}");
            assert!(AppError::from(e).is_retryable());
        }
        for e in [
            db_error(DatabaseErrorKind::UniqueViolation, "Duplicate entry"),
            db_error(DatabaseErrorKind::Unknown, "Unknown column 'x'"),
            DieselError::NotFound,
        ] {
            assert!(!is_retryable(&e), "{e}");
        }
        assert!(!AppError::conflict("error-duplicate").is_retryable());
    }

    #[test]
    fn a_conflict_past_every_attempt_is_a_503_not_a_500() {
        let e = AppError::from(db_error(
            DatabaseErrorKind::Unknown,
            "Deadlock found when trying to get lock; try restarting transaction",
        ));
        assert!(matches!(e, AppError::Unavailable(_)), "{e:?}");
        assert!(e.is_retryable(), "write_tx still retries it");
        let other = AppError::from(db_error(DatabaseErrorKind::Unknown, "Unknown column 'x'"));
        assert!(matches!(other, AppError::Unexpected(_)));
    }

    #[test]
    fn a_commit_lost_with_its_server_is_a_503_not_a_500() {
        // A Galera node killed while it committed: the COMMIT and the
        // ROLLBACK after it both find the server gone.
        let gone = || db_error(DatabaseErrorKind::Unknown, "Server has gone away");
        let e = AppError::from(DieselError::RollbackErrorOnCommit {
            rollback_error: Box::new(gone()),
            commit_error: Box::new(gone()),
        });
        assert!(matches!(e, AppError::Unavailable(_)), "{e:?}");
        assert!(matches!(
            AppError::from(db_error(
                DatabaseErrorKind::Unknown,
                "Lost connection to server during query"
            )),
            AppError::Unavailable(_)
        ));
        let bug = AppError::from(DieselError::RollbackErrorOnCommit {
            rollback_error: Box::new(gone()),
            commit_error: Box::new(db_error(DatabaseErrorKind::Unknown, "Unknown column 'x'")),
        });
        assert!(matches!(bug, AppError::Unexpected(_)), "{bug:?}");
    }
}
