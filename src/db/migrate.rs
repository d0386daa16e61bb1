//! Embedded, per-backend migrations with identical names (CI checks the lists).

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::mysql::MysqlConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::DbConn;
use super::pool::{DbUrl, redact};

const MYSQL: EmbeddedMigrations = embed_migrations!("migrations/mysql");
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies pending migrations; returns how many ran.
pub fn run_migrations(conn: &mut DbConn) -> Result<usize, BoxError> {
    let applied = match conn {
        DbConn::Mysql(c) => c.run_pending_migrations(MYSQL)?.len(),
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE)?.len(),
    };
    Ok(applied)
}

/// Applies the pending migrations whose names sort before `name`, one by
/// one; returns how many ran. Tests of a data migration use it to write old
/// rows before the migration that moves them runs.
pub fn run_migrations_before(conn: &mut DbConn, name: &str) -> Result<usize, BoxError> {
    fn before<B: diesel::backend::Backend>(
        c: &mut impl MigrationHarness<B>,
        all: EmbeddedMigrations,
        name: &str,
    ) -> Result<usize, BoxError> {
        let mut ran = 0;
        for m in c.pending_migrations(all)? {
            if m.name().to_string().as_str() >= name {
                break;
            }
            c.run_migration(&m)?;
            ran += 1;
        }
        Ok(ran)
    }
    match conn {
        DbConn::Mysql(c) => before(c, MYSQL, name),
        DbConn::Sqlite(c) => before(c, SQLITE, name),
    }
}

/// Creates the database a MySQL URL names if the server lacks it, so a new
/// operator needs only a server and a URL; for SQLite, creates the file's folder.
pub fn ensure_database(url: &DbUrl) -> Result<(), BoxError> {
    match url {
        DbUrl::Sqlite(path) => {
            if let Some(dir) = std::path::Path::new(path).parent()
                && !dir.as_os_str().is_empty()
            {
                crate::private_files::create_missing_dirs(dir)?;
            }
            Ok(())
        }
        DbUrl::Mysql(raw) => {
            let mut parsed = url::Url::parse(raw)?;
            let name = parsed.path().trim_start_matches('/').to_string();
            if name.is_empty() {
                return Err(format!("the MySQL URL names no database: {}", redact(raw)).into());
            }
            if !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
            {
                return Err(format!("unsupported database name {name:?}").into());
            }
            parsed.set_path("/");
            // A failure here (no privilege, say) is not fatal: connecting with
            // the full URL below reports the real problem.
            if let Ok(mut server) = MysqlConnection::establish(parsed.as_str()) {
                let _ = server.batch_execute(&format!(
                    "CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                ));
            }
            Ok(())
        }
    }
}
