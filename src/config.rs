//! Configuration from the environment, with zero-setup defaults: an SQLite file
//! and a file mail transport under the data directory, and a generated secret key.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rand::RngCore;

use crate::db::{DbUrl, redact};

/// Fewer bytes than this in `RAPPORT_SECRET_KEY` is refused.
pub const MIN_SECRET_KEY_BYTES: usize = 32;

/// Its `Debug` shows no secret: not the key, nor a password in the
/// database or SMTP URL.
#[derive(Clone)]
pub struct Config {
    pub database: DbUrl,
    pub bind: String,
    pub data_dir: PathBuf,
    pub secret_key: Vec<u8>,
    pub base_url: String,
    pub smtp_url: Option<String>,
    /// The From of outgoing mail.
    pub mail_from: String,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub db_pool_size: u32,
    pub db_checkout_timeout: Duration,
    pub workers: usize,
    /// Background job worker threads (0: this instance runs no jobs).
    pub job_workers: usize,
    /// How long a claimed job is reserved before another worker may take it.
    pub job_lease: Duration,
    /// Uploaded import files are deleted this long after upload (the
    /// import's report rows stay in the database).
    pub import_retention: Duration,
    /// The support mailbox polled for incoming mail (`RAPPORT_IMAP_URL`).
    pub imap: Option<crate::mail::inbound::imap::Mailbox>,
    /// How often it is polled (`RAPPORT_IMAP_POLL_SECS`, default 30).
    pub imap_poll: Duration,
    /// DKIM signing of outgoing mail (`RAPPORT_DKIM_KEY`, `_SELECTOR`, `_DOMAIN`).
    pub dkim: Option<crate::mail::dkim::DkimSettings>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database", &self.database)
            .field("bind", &self.bind)
            .field("data_dir", &self.data_dir)
            .field(
                "secret_key",
                &format_args!("<{} bytes, hidden>", self.secret_key.len()),
            )
            .field("base_url", &self.base_url)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact))
            .field("mail_from", &self.mail_from)
            .field("session_idle", &self.session_idle)
            .field("session_absolute", &self.session_absolute)
            .field("db_pool_size", &self.db_pool_size)
            .field("db_checkout_timeout", &self.db_checkout_timeout)
            .field("workers", &self.workers)
            .field("import_retention", &self.import_retention)
            .field("job_workers", &self.job_workers)
            .field("job_lease", &self.job_lease)
            .field("imap", &self.imap)
            .field("imap_poll", &self.imap_poll)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
    #[error("could not use the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn minutes(name: &str, default: u64) -> Result<Duration, ConfigError> {
    positive(name, default, 60, "minutes")
}

fn positive(name: &str, default: u64, unit_secs: u64, unit: &str) -> Result<Duration, ConfigError> {
    match var(name) {
        None => Ok(Duration::from_secs(default * unit_secs)),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|m| *m > 0)
            .and_then(|m| m.checked_mul(unit_secs))
            .map(Duration::from_secs)
            .ok_or_else(|| {
                ConfigError::Invalid(format!("{name} must be a positive number of {unit}"))
            }),
    }
}

/// Default of `RAPPORT_IMPORT_RETENTION_DAYS`.
pub const IMPORT_RETENTION_DAYS: u64 = 30;

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let data_dir = PathBuf::from(var("RAPPORT_DATA_DIR").unwrap_or_else(|| "./data".into()));
        crate::private_files::dir(&data_dir).map_err(|source| ConfigError::DataDir {
            path: data_dir.clone(),
            source,
        })?;
        let database_url = var("RAPPORT_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("rapport.db").display()));
        let database = DbUrl::parse(&database_url).map_err(ConfigError::Invalid)?;
        let secret_key = match var("RAPPORT_SECRET_KEY") {
            Some(k) => check_secret(k.into_bytes())?,
            None => load_or_create_secret(&data_dir)?,
        };
        let bind = var("RAPPORT_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let base_url = var("RAPPORT_BASE_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_string();
        url::Url::parse(&base_url)
            .map_err(|e| ConfigError::Invalid(format!("RAPPORT_BASE_URL is not a URL: {e}")))?;
        let db_pool_size = match var("RAPPORT_DB_POOL_SIZE") {
            None => 16,
            Some(v) => v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                ConfigError::Invalid("RAPPORT_DB_POOL_SIZE must be a positive integer".into())
            })?,
        };
        let job_workers = match var("RAPPORT_JOB_WORKERS") {
            None => 2,
            Some(v) => v.parse().map_err(|_| {
                ConfigError::Invalid("RAPPORT_JOB_WORKERS must be a whole number".into())
            })?,
        };
        let job_lease = positive("RAPPORT_JOB_LEASE_SECS", 60, 1, "seconds")?;
        Ok(Config {
            database,
            bind,
            data_dir,
            secret_key,
            base_url,
            smtp_url: var("RAPPORT_SMTP_URL"),
            mail_from: var("RAPPORT_MAIL_FROM")
                .unwrap_or_else(|| "Rapport <rapport@localhost>".into()),
            session_idle: minutes("RAPPORT_SESSION_IDLE_MINUTES", 30)?,
            session_absolute: minutes("RAPPORT_SESSION_MAX_MINUTES", 12 * 60)?,
            db_pool_size,
            db_checkout_timeout: Duration::from_secs(2),
            workers: match var("RAPPORT_WORKERS") {
                None => std::thread::available_parallelism().map_or(2, |n| n.get()),
                Some(v) => v.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    ConfigError::Invalid("RAPPORT_WORKERS must be a positive integer".into())
                })?,
            },
            import_retention: positive(
                "RAPPORT_IMPORT_RETENTION_DAYS",
                IMPORT_RETENTION_DAYS,
                24 * 3600,
                "days",
            )?,
            job_workers,
            job_lease,
            imap: var("RAPPORT_IMAP_URL")
                .map(|u| crate::mail::inbound::imap::Mailbox::parse(&u))
                .transpose()
                .map_err(|e| ConfigError::Invalid(format!("RAPPORT_IMAP_URL: {e}")))?,
            imap_poll: positive("RAPPORT_IMAP_POLL_SECS", 30, 1, "seconds")?,
            dkim: var("RAPPORT_DKIM_KEY").map(|key| crate::mail::dkim::DkimSettings {
                key_file: key.into(),
                selector: var("RAPPORT_DKIM_SELECTOR").unwrap_or_else(|| "rapport".into()),
                domain: var("RAPPORT_DKIM_DOMAIN"),
            }),
        })
    }

    /// Cookies get `Secure` when the public address is https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

fn check_secret(key: Vec<u8>) -> Result<Vec<u8>, ConfigError> {
    if key.len() < MIN_SECRET_KEY_BYTES {
        return Err(ConfigError::Invalid(format!(
            "RAPPORT_SECRET_KEY is too short: use at least {MIN_SECRET_KEY_BYTES} bytes (e.g. `openssl rand -hex 32`)"
        )));
    }
    Ok(key)
}

/// Reads `<data>/secret.key`, or writes a new random one readable by the owner only.
fn load_or_create_secret(dir: &Path) -> Result<Vec<u8>, ConfigError> {
    let path = dir.join("secret.key");
    let io = |source| ConfigError::DataDir {
        path: path.clone(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(existing) => check_secret(existing.trim().as_bytes().to_vec()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut raw = [0u8; 64];
            rand::rngs::OsRng.fill_bytes(&mut raw);
            let key = hex::encode(raw);
            crate::private_files::create_new(&path, key.as_bytes()).map_err(io)?;
            Ok(key.into_bytes())
        }
        Err(e) => Err(io(e)),
    }
}
