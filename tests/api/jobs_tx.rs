//! `db::write_tx` retries a whole transaction that met a real deadlock
//! (MariaDB 1213: two connections locking two rows in opposite order) or a
//! busy SQLite file, and both transactions' effects end up committed.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use rapport::db::{DbConn, write_tx};

use crate::helpers::*;

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn add(c: &mut DbConn, row: i64, by: i64) -> QueryResult<usize> {
    diesel::sql_query(format!("UPDATE probe SET n = n + {by} WHERE id = {row}")).execute(c)
}

fn values(c: &mut DbConn) -> Vec<i64> {
    diesel::sql_query("SELECT n FROM probe ORDER BY id")
        .load::<N>(c)
        .expect("probe")
        .into_iter()
        .map(|r| r.n)
        .collect()
}

fn probe_table(app: &TestApp) {
    let ddl = match backend() {
        Backend::Mysql => {
            "CREATE TABLE probe (id BIGINT PRIMARY KEY, n BIGINT NOT NULL) ENGINE=InnoDB"
        }
        Backend::Sqlite => "CREATE TABLE probe (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
    };
    app.conn()
        .batch_execute(&format!(
            "{ddl}; INSERT INTO probe (id, n) VALUES (1, 0), (2, 0);"
        ))
        .expect("probe table");
}

/// Two transactions take rows 1 and 2 in opposite order; the second lock of
/// each waits until both hold their first, so the database must pick a victim.
#[tokio::test]
async fn a_real_deadlock_is_retried_and_both_transactions_commit() {
    if backend() != Backend::Mysql {
        return; // SQLite has no row locks: see the busy-file test below.
    }
    let app = spawn_with(|c| c.job_workers = 0).await;
    probe_table(&app);
    let barrier = Arc::new(Barrier::new(2));
    let threads: Vec<_> = [(1, 2, 1), (2, 1, 10)]
        .into_iter()
        .map(|(first, second, by)| {
            let (mut conn, barrier) = (app.conn(), barrier.clone());
            std::thread::spawn(move || {
                let mut attempts = 0;
                write_tx(&mut conn, |c| {
                    attempts += 1;
                    add(c, first, by)?;
                    if attempts == 1 {
                        barrier.wait();
                    }
                    add(c, second, by)?;
                    Ok::<_, diesel::result::Error>(())
                })
                .expect("committed after a retry");
                attempts
            })
        })
        .collect();
    let attempts: Vec<u32> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    assert_eq!(
        values(&mut app.conn()),
        [11, 11],
        "both transactions' effects"
    );
    assert_eq!(
        attempts.iter().sum::<u32>(),
        3,
        "one was the deadlock victim and ran again: {attempts:?}"
    );
}

/// SQLite: a writer that finds the file locked past its busy timeout retries.
#[tokio::test]
async fn a_busy_database_is_retried_and_both_transactions_commit() {
    let app = spawn_with(|c| c.job_workers = 0).await;
    probe_table(&app);
    let mut holder = app.conn();
    let mut waiter = app.conn();
    if let DbConn::Sqlite(_) = waiter {
        // Give up on the lock quickly, so the retry is what waits.
        waiter
            .batch_execute("PRAGMA busy_timeout = 50")
            .expect("pragma");
    } else {
        waiter
            .batch_execute("SET SESSION innodb_lock_wait_timeout = 1")
            .expect("lock wait");
    }
    let locked = Arc::new(Barrier::new(2));
    let l = locked.clone();
    let hold = if backend() == Backend::Mysql {
        1500
    } else {
        150
    };
    let holding = std::thread::spawn(move || {
        write_tx(&mut holder, |c| {
            add(c, 1, 1)?;
            l.wait();
            std::thread::sleep(Duration::from_millis(hold));
            add(c, 2, 1)
        })
        .expect("holder commits");
    });
    locked.wait();
    let started = std::time::Instant::now();
    let mut attempts = 0;
    // Without the retry this fails with "database is locked" (SQLite, at
    // BEGIN IMMEDIATE, before the closure runs) or 1205 (MariaDB, inside it).
    write_tx(&mut waiter, |c| {
        attempts += 1;
        add(c, 1, 10)?;
        add(c, 2, 10)
    })
    .expect("committed after retries");
    holding.join().expect("holder");
    assert!(
        started.elapsed() >= Duration::from_millis(hold / 2),
        "it waited for the holder"
    );
    if backend() == Backend::Mysql {
        assert_eq!(attempts, 2, "the lock wait timeout was retried");
    }
    assert_eq!(values(&mut app.conn()), [11, 11]);
}

/// A Galera node aborts a waiting transaction and then answers even its
/// ROLLBACK with a deadlock error, which leaves diesel's transaction
/// manager "broken". `write_tx` repairs the connection (a plain ROLLBACK,
/// then a fresh state) and runs the transaction again instead of failing
/// on the broken manager (a 500 before, seen on the cluster test).
#[tokio::test]
async fn a_transaction_left_broken_by_an_aborted_rollback_is_run_again() {
    use diesel::connection::{Connection, TransactionManager, TransactionManagerStatus};
    let app = spawn().await;
    probe_table(&app);
    let mut c = app.conn();
    let mut runs = 0;
    let result = write_tx(&mut c, |c| {
        runs += 1;
        add(c, 1, 1)?;
        if runs == 1 {
            *<DbConn as Connection>::TransactionManager::transaction_manager_status_mut(c) =
                TransactionManagerStatus::InError;
            return Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::SerializationFailure,
                Box::new("Deadlock found when trying to get lock".to_string()),
            ));
        }
        Ok(())
    });
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(runs, 2);
    assert_eq!(
        values(&mut c)[0],
        1,
        "the first run rolled back, the second committed"
    );
}

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = BigInt)]
    autocommit_on: i64,
}

/// The server rolls a transaction back and the client does not see it (a
/// Galera brute-force abort whose error was not delivered — once, on the
/// cluster test, a contact create lost its row but kept its audit row). The
/// statements after the rollback must not commit on their own: nothing of
/// the first run stays, the second run commits whole, and the connection is
/// back in autocommit mode afterwards.
#[tokio::test]
async fn a_transaction_rolled_back_unseen_keeps_nothing_and_runs_again() {
    if backend() != Backend::Mysql {
        return; // SQLite reports every rollback to the statement that caused it.
    }
    let app = spawn_with(|c| c.job_workers = 0).await;
    probe_table(&app);
    let mut c = app.conn();
    let mut runs = 0;
    write_tx(&mut c, |c| {
        runs += 1;
        add(c, 1, 1)?;
        if runs == 1 {
            // What the server did behind the client's back.
            c.batch_execute("ROLLBACK")?;
        }
        add(c, 2, 1)?;
        Ok::<_, diesel::result::Error>(())
    })
    .expect("committed on the second run");
    assert_eq!(runs, 2, "the lost first run was detected and run again");
    assert_eq!(
        values(&mut app.conn()),
        [1, 1],
        "neither half of the first run stayed; the second run committed whole"
    );
    let autocommit = diesel::sql_query("SELECT CAST(@@autocommit AS SIGNED) AS autocommit_on")
        .get_result::<Flag>(&mut c)
        .expect("autocommit");
    assert_eq!(
        autocommit.autocommit_on, 1,
        "the connection is in autocommit mode again"
    );
    // A failed transaction also leaves it in autocommit mode.
    let failed = write_tx(&mut c, |c| {
        add(c, 1, 100)?;
        Err::<(), _>(diesel::result::Error::NotFound)
    });
    assert!(failed.is_err());
    let autocommit = diesel::sql_query("SELECT CAST(@@autocommit AS SIGNED) AS autocommit_on")
        .get_result::<Flag>(&mut c)
        .expect("autocommit");
    assert_eq!(autocommit.autocommit_on, 1);
    assert_eq!(
        values(&mut app.conn()),
        [1, 1],
        "the failed one rolled back"
    );

    // A statement failing because of the unseen rollback (the cluster run
    // saw a foreign key to an order the rollback took away) is a conflict
    // to retry, not the error it gave (a 500).
    let mut runs = 0;
    write_tx(&mut c, |c| {
        runs += 1;
        add(c, 1, 1)?;
        if runs == 1 {
            c.batch_execute("ROLLBACK")?;
            return Err(diesel::result::Error::NotFound);
        }
        add(c, 2, 1)
    })
    .expect("committed on the second run");
    assert_eq!(runs, 2);
    assert_eq!(values(&mut app.conn()), [2, 2]);
    // An error of a run whose transaction is intact stays that error.
    let mut runs = 0;
    let refused = write_tx(&mut c, |c| {
        runs += 1;
        add(c, 1, 1)?;
        Err::<(), _>(diesel::result::Error::NotFound)
    });
    assert!(matches!(refused, Err(diesel::result::Error::NotFound)));
    assert_eq!(runs, 1);
    assert_eq!(values(&mut app.conn()), [2, 2]);
}
