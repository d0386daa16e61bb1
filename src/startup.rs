//! Building the application: database, pool, middleware stack and routes.

use std::net::TcpListener;
use std::time::Duration;

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::auth::password;
use crate::config::Config;
use crate::db;
use crate::error::AppError;
use crate::i18n::{Arg, Message, key};
use crate::mail::Mailer;
use crate::web::routing::RouteDef;
use crate::web::state::AppState;
use crate::{
    accounts, admin, auth, contacts, deals, imports, jobs, ops, orders, pipelines, products,
    saved_views, tasks, tickets,
};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(String),
    #[error("mail: {0}")]
    Mail(#[from] crate::mail::MailError),
    #[error("could not prepare the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "password hashing does not work ({0}); refusing to start without timing protection for unknown accounts"
    )]
    PasswordHash(String),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
}

/// The route table of every feature module: the one list that both
/// registers the routes and feeds the authorisation matrix. Order does not
/// matter (numeric segments are typed, see web::routing).
pub const MODULES: &[&[RouteDef]] = &[
    ops::ROUTES,
    auth::ROUTES,
    contacts::ROUTES,
    imports::ROUTES,
    accounts::ROUTES,
    tasks::ROUTES,
    deals::ROUTES,
    products::ROUTES,
    orders::ROUTES,
    admin::ROUTES,
    pipelines::ROUTES,
    saved_views::ROUTES,
    tickets::ROUTES,
    crate::segments::ROUTES,
    crate::campaigns::ROUTES,
];

/// Every route of the app, for the authorisation matrix test and the docs.
pub fn all_routes() -> Vec<RouteDef> {
    MODULES.concat()
}

/// Registers every route of `MODULES`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    for route in MODULES.iter().flat_map(|m| m.iter()) {
        (route.register)(cfg);
    }
}

/// How often uploaded import files past their retention are looked for.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(3600);

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

/// The data directory and its folders of customer data, owner-only (0700).
fn prepare_data_dir(config: &Config) -> Result<(), StartupError> {
    let dir = &config.data_dir;
    for path in [
        dir.clone(),
        dir.join("imports"),
        dir.join("mail"),
        dir.join("tickets"),
    ] {
        crate::private_files::dir(&path).map_err(|source| StartupError::DataDir {
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    workers: jobs::Workers,
}

impl Application {
    /// Migrates, binds (port 0 picks a free port, as the tests do) and builds
    /// the server; `run_until_stopped` drives it.
    pub fn build(config: Config) -> Result<Application, StartupError> {
        password::prepare().map_err(|e| StartupError::PasswordHash(e.to_string()))?;
        prepare_data_dir(&config)?;
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
        let job_env = jobs::JobEnv {
            pool: pool.clone(),
            data_dir: config.data_dir.clone(),
            mailer,
            lease: config.job_lease,
            links: crate::signed::PublicLinks::new(&config.secret_key, &config.base_url),
        };
        let job_workers = jobs::Workers::start(job_env, config.job_workers);
        let key = Key::derive_from(&config.secret_key);
        let secure = config.secure_cookies();
        let state = web::Data::new(AppState { pool, config });
        housekeeping(&state);
        let app_state = state.clone();
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
                .configure(routes)
                .default_service(web::to(crate::web::frame::not_found))
                .wrap(from_fn(crate::web::csrf::verify))
                .wrap(from_fn(crate::i18n::recall))
                .wrap(from_fn(crate::web::body_deadline::enforce))
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
        Ok(Application {
            port,
            server,
            state: app_state,
            workers: job_workers,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped, doing the periodic housekeeping meanwhile,
    /// then stops the job workers (after the jobs in hand; dropping the
    /// future stops them without waiting).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let state = self.state;
        let workers = self.workers;
        let periodic = async move {
            let mut every = actix_web::rt::time::interval(HOUSEKEEPING_EVERY);
            every.tick().await; // the first tick is immediate; start-up already did it
            loop {
                every.tick().await;
                let state = state.clone();
                let _ = web::block(move || housekeeping(&state)).await;
            }
        };
        let server = std::pin::pin!(self.server);
        let periodic = std::pin::pin!(periodic);
        let served = match futures_util::future::select(server, periodic).await {
            futures_util::future::Either::Left((served, _)) => served,
            // The housekeeping loop never ends.
            futures_util::future::Either::Right(_) => Ok(()),
        };
        let _ = web::block(move || workers.shutdown()).await;
        served
    }
}

/// Start-up and hourly chores (until the jobs runner takes them over):
/// removing uploaded import files past `RAPPORT_IMPORT_RETENTION_DAYS`, and
/// queuing the daily lead-score run when it is due.
pub fn housekeeping(state: &AppState) {
    let queued = state
        .pool
        .get()
        .map_err(AppError::from)
        .and_then(|mut c| Ok(deals::scoring::queue_if_due(&mut c)?));
    if let Err(e) = queued {
        tracing::warn!(error = %e, "could not queue the lead-score run; will retry");
    }
    let result = state.pool.get().map_err(AppError::from).and_then(|mut c| {
        imports::remove_expired_uploads(
            &mut c,
            &state.config.data_dir,
            state.config.import_retention,
        )
    });
    match result {
        Ok(0) => {}
        Ok(removed) => tracing::info!(removed, "uploaded import files past retention removed"),
        Err(e) => tracing::warn!(error = %e, "import file clean-up failed; will retry"),
    }
    // One-time form keys protect against double submits, not history.
    let purged = state.pool.get().map_err(AppError::from).and_then(|mut c| {
        Ok(crate::db::write_tx(&mut c, |c| {
            orders::idem::purge(c, orders::idem::KEEP_DAYS)
        })?)
    });
    if let Err(e) = purged {
        tracing::warn!(error = %e, "old form keys not purged; will retry");
    }
    // Login failure counters of windows that have ended.
    let purged = state
        .pool
        .get()
        .map_err(AppError::from)
        .and_then(|mut c| Ok(crate::auth::throttle::purge(&mut c, crate::db::now())?));
    if let Err(e) = purged {
        tracing::warn!(error = %e, "old login failure counters not purged; will retry");
    }
}

fn form_config() -> web::FormConfig {
    use actix_web::error::UrlencodedError as E;
    web::FormConfig::default()
        .limit(crate::web::csrf::FORM_LIMIT)
        .error_handler(|err, _req| match err {
            E::Overflow { .. } => actix_web::error::ErrorPayloadTooLarge("form too large"),
            E::ContentType => actix_web::error::ErrorUnsupportedMediaType("expected a form"),
            other => AppError::Refused(Message::Key(
                key("error-form-unreadable"),
                vec![("reason", Arg::Text(other.to_string()))],
            ))
            .into(),
        })
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|_err, _req| AppError::refused(key("error-query-unreadable")).into())
}

fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req| AppError::NotFound.into())
}
