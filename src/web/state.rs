//! The state every worker shares, and the one way handlers reach the
//! database: `state.db(|conn| …)`, a unit of blocking work on actix's
//! blocking pool.
//!
//! One checkout per request: the access check (web::access) checks out a
//! connection to load the signed-in user and then lends it to the handler
//! for the rest of the request, so the page's own work does not wait for a
//! second checkout. The loan is a task-local slot around the handler;
//! outside it (public routes, background threads) `db` checks out as usual.

use std::cell::Cell;
use std::future::Future;

use actix_web::web;

use crate::config::Config;
use crate::db::{DbConn, Pool, PooledConn};
use crate::error::{AppError, AppResult};

/// Shared by every worker.
pub struct AppState {
    pub pool: Pool,
    pub config: Config,
}

tokio::task_local! {
    /// The connection lent to the request being handled, while it is idle.
    static LENT: Cell<Option<PooledConn>>;
}

impl AppState {
    /// A number naming this app's database, for the read caches.
    fn database_key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.config.database.hash(&mut h);
        h.finish()
    }

    /// Runs one unit of blocking database work on actix's blocking pool.
    pub async fn db<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        let lent = LENT.try_with(Cell::take).ok().flatten();
        let (conn, result) = self.run(lent, f).await?;
        // Back into the slot for the request's next unit of work; outside a
        // loan (or if it broke), dropping it returns it to the pool.
        if !conn.is_marked_broken() {
            let _ = LENT.try_with(move |slot| slot.set(Some(conn)));
        }
        result
    }

    /// Like `db`, on a new checkout that is handed back with the result
    /// (for the access check, which lends it to the handler).
    pub async fn db_keep<T, F>(&self, f: F) -> AppResult<(T, PooledConn)>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        let (conn, result) = self.run(None, f).await?;
        Ok((result?, conn))
    }

    async fn run<T, F>(
        &self,
        lent: Option<PooledConn>,
        f: F,
    ) -> AppResult<(PooledConn, AppResult<T>)>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        let database = self.database_key();
        web::block(move || {
            // Cached reads belong to this database (several apps, each with
            // its own database, share a process in the tests).
            crate::web::list::menus::for_database(database);
            let mut conn = match lent {
                Some(c) => c,
                None => pool.get()?,
            };
            let result = f(&mut conn);
            // The connection may be dead (server gone, connection lost): the
            // pool closes it on return rather than handing it out again.
            // (A deadlock is "unavailable" too, but its connection is fine.)
            if let Err(e @ AppError::Unavailable(_)) = &result
                && !crate::db::TxError::is_retryable(e)
            {
                conn.mark_broken();
            }
            Ok((conn, result))
        })
        .await?
    }
}

/// Runs `handler` with `conn` lent to its `AppState::db` calls; the
/// connection returns to the pool when the handler has answered.
pub async fn lend<F: Future>(conn: PooledConn, handler: F) -> F::Output {
    LENT.scope(Cell::new(Some(conn)), handler).await
}
