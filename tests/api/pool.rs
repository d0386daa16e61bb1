//! The connection pool: one checkout serves the access check and the
//! handler's work; a connection that failed as "unavailable", or was left in
//! a transaction, is closed instead of being handed out again.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::{
    Connection, Instrumentation, InstrumentationEvent, SimpleConnection, TransactionManager,
};
use rapport::db::{DbConn, DbUrl, Manager};
use rapport::error::AppError;
use rapport::web::state::{AppState, lend};

use crate::helpers::*;

/// Databases whose statements are recorded (other tests run alongside).
static WATCHED: Mutex<Option<HashSet<String>>> = Mutex::new(None);
static STATEMENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records the statements of connections to a watched database.
struct Recorder {
    watched: bool,
}

impl Instrumentation for Recorder {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartEstablishConnection { url, .. } => {
                let watched = WATCHED.lock().expect("lock");
                self.watched = watched.as_ref().is_some_and(|w| w.contains(url));
            }
            InstrumentationEvent::StartQuery { query, .. } if self.watched => {
                STATEMENTS.lock().expect("lock").push(query.to_string());
            }
            _ => {}
        }
    }
}

fn recorder() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(Recorder { watched: false }))
}

fn statements() -> Vec<String> {
    std::mem::take(&mut *STATEMENTS.lock().expect("lock"))
}

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
    AppState { pool, config }
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

#[tokio::test]
async fn pages_served_back_to_back_run_no_checkout_test() {
    let db = TestDb::new();
    let url = match &db.url {
        DbUrl::Sqlite(path) => path.clone(),
        DbUrl::Mysql(url) => url.clone(),
    };
    WATCHED
        .lock()
        .expect("lock")
        .get_or_insert_with(HashSet::new)
        .insert(url);
    diesel::connection::set_default_instrumentation(recorder).expect("instrumentation");
    let app = spawn_on(db, |_| {}).await;
    let mut admin = app.setup_admin().await;
    let id = app
        .create_contact(&mut admin, "Pool", "Probe", "pool@test.example")
        .await;
    let pages = [
        "/contacts".to_string(),
        format!("/contacts/{id}"),
        "/tasks".into(),
    ];
    for page in &pages {
        assert_eq!(admin.get(page).await.status(), reqwest::StatusCode::OK);
    }
    for page in &pages {
        let _ = statements();
        const N: usize = 10;
        for _ in 0..N {
            assert_eq!(admin.get(page).await.status(), reqwest::StatusCode::OK);
        }
        let seen = statements();
        let tests: Vec<&String> = seen.iter().filter(|q| q.trim() == "SELECT 1").collect();
        assert!(tests.is_empty(), "{page}: {} checkout tests", tests.len());
        eprintln!("{page}: {} statements per request", seen.len() / N);
    }
}

/// The connection lent to a handler is the one it uses: with a pool of one,
/// a handler that checked out again would wait for itself until the
/// checkout timeout (503).
#[tokio::test]
async fn a_pool_of_one_connection_serves_signed_in_pages_and_forms() {
    let app = spawn_with(|c| c.db_pool_size = 1).await;
    let mut admin = app.setup_admin().await;
    let id = app
        .create_contact(&mut admin, "Single", "Connection", "single@test.example")
        .await;
    for page in [
        "/contacts".to_string(),
        format!("/contacts/{id}"),
        "/tasks".into(),
    ] {
        assert_eq!(
            admin.get(&page).await.status(),
            reqwest::StatusCode::OK,
            "{page}"
        );
    }
    let res = admin
        .post_htmx(
            &format!("/contacts/{id}/activities"),
            &[("kind", "note"), ("body", "Hi")],
        )
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    let upload = crate::import_export::uploaded(&admin, "one.csv", b"Name\nOne\n", "update").await;
    assert_eq!(
        admin
            .get(&format!("/contacts/import/{upload}"))
            .await
            .status(),
        reqwest::StatusCode::OK
    );
}
