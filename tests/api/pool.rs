//! The connection pool: one checkout serves the access check and the
//! handler's work; a connection that failed as "unavailable", or was left in
//! a transaction, is closed instead of being handed out again.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use diesel::connection::{Connection, SimpleConnection, TransactionManager};
use rapport::auth::throttle::Throttle;
use rapport::db::{DbConn, Manager};
use rapport::error::AppError;
use rapport::mail::Mailer;
use rapport::web::state::{AppState, lend};

use crate::helpers::*;

#[derive(Default, Clone)]
struct Counts {
    checkouts: Arc<AtomicUsize>,
    closed: Arc<AtomicUsize>,
}

impl std::fmt::Debug for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.checkouts(), self.closed())
    }
}

impl Counts {
    fn checkouts(&self) -> usize {
        self.checkouts.load(Ordering::SeqCst)
    }
    fn closed(&self) -> usize {
        self.closed.load(Ordering::SeqCst)
    }
}

impl r2d2::HandleEvent for Counts {
    fn handle_checkout(&self, _: r2d2::event::CheckoutEvent) {
        self.checkouts.fetch_add(1, Ordering::SeqCst);
    }
    fn handle_release(&self, _: r2d2::event::ReleaseEvent) {
        self.closed.fetch_add(1, Ordering::SeqCst);
    }
}

fn state(db: &TestDb, counts: &Counts) -> AppState {
    let config = test_config(db);
    rapport::startup::prepare_database(&config).expect("migrate");
    let pool = r2d2::Pool::builder()
        .max_size(2)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(2))
        .test_on_check_out(true)
        .event_handler(Box::new(counts.clone()))
        .build(Manager::new(config.database.clone()))
        .expect("pool");
    AppState {
        pool,
        mailer: Mailer::from_config(&config).expect("mailer"),
        config,
        throttle: Throttle::default(),
    }
}

fn select_one(c: &mut DbConn) -> Result<(), AppError> {
    Ok(c.batch_execute("SELECT 1")?)
}

#[tokio::test]
async fn a_request_checks_out_once_for_the_user_and_the_page() {
    let db = TestDb::new();
    let counts = Counts::default();
    let state = state(&db, &counts);
    // The access check reads the user and keeps the connection ...
    let ((), conn) = state.db_keep(select_one).await.expect("user");
    assert_eq!(counts.checkouts(), 1);
    // ... and lends it to the handler, whatever number of units it runs.
    lend(conn, async {
        state.db(select_one).await.expect("page");
        state.db(select_one).await.expect("more");
    })
    .await;
    assert_eq!(counts.checkouts(), 1, "{counts:?}");
    // Without a loan (a public route, a background task) each unit checks out.
    state.db(select_one).await.expect("public");
    assert_eq!(counts.checkouts(), 2, "{counts:?}");
}

#[tokio::test]
async fn broken_connections_are_closed_not_reused() {
    let db = TestDb::new();
    let counts = Counts::default();
    let state = state(&db, &counts);
    state.db(select_one).await.expect("fine");
    assert_eq!(counts.closed(), 0);
    // Work that found the database gone: its connection is dropped.
    let lost = state
        .db(|_| -> Result<(), AppError> { Err(AppError::Unavailable("connection lost".into())) })
        .await;
    assert!(matches!(lost, Err(AppError::Unavailable(_))));
    assert_eq!(counts.closed(), 1, "{counts:?}");
    // Work that left a transaction open: likewise.
    state
        .db(|c| {
            <DbConn as Connection>::TransactionManager::begin_transaction(c)?;
            Ok(())
        })
        .await
        .expect("begin");
    assert_eq!(counts.closed(), 2, "{counts:?}");
    // A lent connection that broke is not lent again.
    let ((), conn) = state.db_keep(select_one).await.expect("user");
    lend(conn, async {
        let _ = state
            .db(|_| -> Result<(), AppError> { Err(AppError::Unavailable("gone".into())) })
            .await;
        state.db(select_one).await.expect("a fresh connection");
    })
    .await;
    assert_eq!(counts.closed(), 3, "{counts:?}");
    state.db(select_one).await.expect("the pool recovers");
}
