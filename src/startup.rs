//! Building the application: database, pool, middleware stack and routes.

use std::net::TcpListener;

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::config::Config;
use crate::db::{self, DbConn, Pool};
use crate::error::{AppError, AppResult};
use crate::mail::Mailer;
use crate::web::routing::RouteDef;
use crate::{accounts, admin, auth, contacts, imports, ops, saved_views, tasks};
use auth::throttle::Throttle;

/// Shared by every worker.
pub struct AppState {
    pub pool: Pool,
    pub config: Config,
    pub throttle: Throttle,
    pub mailer: Mailer,
}

impl AppState {
    /// Runs one unit of blocking database work on actix's blocking pool.
    pub async fn db<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(String),
    #[error("mail: {0}")]
    Mail(#[from] crate::mail::MailError),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// Every route of the app, for the authorisation matrix test and the docs.
pub fn all_routes() -> Vec<RouteDef> {
    [
        ops::ROUTES,
        auth::ROUTES,
        contacts::ROUTES,
        imports::ROUTES,
        accounts::ROUTES,
        tasks::ROUTES,
        admin::ROUTES,
        saved_views::ROUTES,
    ]
    .concat()
}

/// Creates the database if needed and applies pending migrations.
pub fn prepare_database(config: &Config) -> Result<usize, StartupError> {
    db::ensure_database(&config.database).map_err(|e| StartupError::Database(e.to_string()))?;
    let mut conn =
        db::connect(&config.database).map_err(|e| StartupError::Database(e.to_string()))?;
    let applied =
        db::run_migrations(&mut conn).map_err(|e| StartupError::Database(e.to_string()))?;
    // A database from before search terms existed gets them once.
    if let Some(n) = crate::search::index::build_if_missing(&mut conn)
        .map_err(|e| StartupError::Database(e.to_string()))?
    {
        tracing::info!(records = n, "search terms built");
    }
    Ok(applied)
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Migrates, binds (port 0 picks a free port, as the tests do) and builds
    /// the server; `run_until_stopped` drives it.
    pub fn build(config: Config) -> Result<Application, StartupError> {
        // A bad mail setting stops start-up with a clear message, not a later send.
        let mailer = Mailer::from_config(&config)?;
        let applied = prepare_database(&config)?;
        if applied > 0 {
            tracing::info!(applied, "database migrations applied");
        }
        let listener = TcpListener::bind(&config.bind).map_err(|source| StartupError::Bind {
            addr: config.bind.clone(),
            source,
        })?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        let pool = db::build_pool(
            &config.database,
            config.db_pool_size,
            config.db_checkout_timeout,
        );
        let workers = config.workers;
        let key = Key::derive_from(&config.secret_key);
        let secure = config.secure_cookies();
        let state = web::Data::new(AppState {
            pool,
            config,
            throttle: Throttle::default(),
            mailer,
        });
        let server = HttpServer::new(move || {
            let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name("rapport_session".into())
                .cookie_secure(secure)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .cookie_content_security(CookieContentSecurity::Private)
                .session_lifecycle(BrowserSession::default())
                .build();
            App::new()
                .app_data(state.clone())
                .app_data(form_config())
                .app_data(query_config())
                .app_data(path_config())
                .configure(ops::routes)
                .configure(auth::routes)
                // Imports first: its fixed paths (/contacts/import…) must win over /contacts/{id}.
                .configure(imports::routes)
                .configure(contacts::routes)
                .configure(accounts::routes)
                .configure(tasks::routes)
                .configure(admin::routes)
                .configure(saved_views::routes)
                .default_service(web::to(crate::web::frame::not_found))
                .wrap(from_fn(crate::web::csrf::verify))
                .wrap(session)
                .wrap(from_fn(crate::web::frame::frame))
                .wrap(TracingLogger::default())
        })
        .workers(workers)
        .listen(listener)
        .map_err(|source| StartupError::Bind {
            addr: format!("port {port}"),
            source,
        })?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn form_config() -> web::FormConfig {
    use actix_web::error::UrlencodedError as E;
    web::FormConfig::default()
        .limit(crate::web::csrf::FORM_LIMIT)
        .error_handler(|err, _req| match err {
            E::Overflow { .. } => actix_web::error::ErrorPayloadTooLarge("form too large"),
            E::ContentType => actix_web::error::ErrorUnsupportedMediaType("expected a form"),
            other => AppError::BadRequest(format!("The form could not be read ({other}).")).into(),
        })
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|_err, _req| {
        AppError::BadRequest("The address contains parameters Rapport cannot read.".into()).into()
    })
}

fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req| AppError::NotFound.into())
}
