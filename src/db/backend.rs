//! The only statements that differ between MySQL and SQLite live here.

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::result::Error as DieselError;
use diesel::sql_types::BigInt;

use super::DbConn;

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

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, so two
/// writers queue on the busy timeout instead of one failing with SQLITE_BUSY
/// when it upgrades a read lock; on MySQL it is an ordinary transaction.
pub fn write_tx<T, E>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<DieselError>,
{
    match conn {
        DbConn::Mysql(_) => conn.transaction(f),
        DbConn::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(v) => {
                    if let DbConn::Sqlite(c) = conn {
                        AnsiTransactionManager::commit_transaction(c)?;
                    }
                    Ok(v)
                }
                Err(e) => {
                    if let DbConn::Sqlite(c) = conn {
                        // The original error matters more than a failed rollback.
                        let _ = AnsiTransactionManager::rollback_transaction(c);
                    }
                    Err(e)
                }
            }
        }
    }
}
