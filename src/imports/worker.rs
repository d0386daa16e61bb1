//! Running an import: a background thread per import (never inside a
//! request), rows in batches of `BATCH`, each batch one write transaction
//! that also advances the import's counts. A crash loses at most the batch
//! in flight, which rolled back; the import resumes from `processed_rows`,
//! and the counts only move if nobody else moved them (`repo::advance`),
//! so no row is applied twice.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use super::batch::{Context, Stop, apply};
use super::csvsafe::Rows;
use super::mapping;
use super::repo::{self, Import, OnMatch};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::auth::policy::{Action, Viewer};
use crate::db::{DbConn, Pool, now, write_tx};
use crate::domain::ids::UserId;
use crate::error::AppError;
use crate::staff;

/// Rows per write transaction.
pub const BATCH: usize = 500;
/// A running import not advanced for this long has lost its worker.
pub const STALL_SECS: i64 = 60;

/// Where an import's file is kept (decoded to UTF-8, as uploaded otherwise).
pub fn file_path(data_dir: &Path, id: i64) -> PathBuf {
    data_dir.join("imports").join(format!("{id}.csv"))
}

/// Imports with a worker in this process, by data directory and id (one
/// process may serve several apps, as the tests do).
static ACTIVE: Mutex<BTreeSet<(PathBuf, i64)>> = Mutex::new(BTreeSet::new());

struct Registration(PathBuf, i64);

impl Drop for Registration {
    fn drop(&mut self) {
        if let Ok(mut set) = ACTIVE.lock() {
            set.remove(&(self.0.clone(), self.1));
        }
    }
}

pub fn is_active(data_dir: &Path, id: i64) -> bool {
    ACTIVE
        .lock()
        .is_ok_and(|set| set.contains(&(data_dir.to_path_buf(), id)))
}

/// Starts the worker of a running import unless this process has one.
pub fn spawn(pool: Pool, data_dir: PathBuf, id: i64) {
    let key = (data_dir.clone(), id);
    let registered = ACTIVE.lock().is_ok_and(|mut set| set.insert(key.clone()));
    if !registered {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name(format!("import-{id}"))
        .spawn(move || {
            let _registration = Registration(data_dir.clone(), id);
            run(&pool, &data_dir, id);
        });
    if let Err(e) = spawned {
        tracing::error!(import = id, error = %e, "could not start the import worker");
        if let Ok(mut set) = ACTIVE.lock() {
            set.remove(&key);
        }
    }
}

/// Resumes a running import whose worker is gone (the app restarted or
/// crashed): called when its page is looked at, and by `resume_stalled`.
pub fn resume_if_stalled(c: &mut DbConn, pool: &Pool, data_dir: &Path, import: &Import) {
    if import.status != repo::RUNNING || is_active(data_dir, import.id) {
        return;
    }
    let stale_before = now() - chrono::Duration::seconds(STALL_SECS);
    if import.updated_at < stale_before
        && repo::claim_stalled(c, import.id, stale_before).unwrap_or(false)
    {
        tracing::info!(import = import.id, "resuming a stalled import");
        spawn(pool.clone(), data_dir.to_path_buf(), import.id);
    }
}

fn run(pool: &Pool, data_dir: &Path, id: i64) {
    let mut conn = None;
    for _ in 0..10 {
        match pool.get() {
            Ok(c) => {
                conn = Some(c);
                break;
            }
            Err(_) => std::thread::sleep(Duration::from_secs(1)),
        }
    }
    let Some(mut c) = conn else {
        tracing::warn!(
            import = id,
            "no database connection; the import resumes later"
        );
        return;
    };
    let started = std::time::Instant::now();
    match work(&mut c, data_dir, id) {
        Ok(rows) => tracing::info!(
            import = id,
            rows,
            ms = started.elapsed().as_millis() as u64,
            "import finished"
        ),
        Err(Stop::Superseded) => tracing::info!(import = id, "import taken over by another worker"),
        Err(Stop::Db(AppError::Unavailable(e))) => {
            tracing::warn!(import = id, error = %e, "database unavailable; the import resumes later")
        }
        Err(Stop::Db(e)) => {
            tracing::error!(import = id, error = ?e, "import failed");
            fail(&mut c, id, "a database error stopped it");
        }
        Err(Stop::Failed(why)) => fail(&mut c, id, &why),
    }
}

fn fail(c: &mut DbConn, id: i64, why: &str) {
    let message = format!("The import stopped: {why}. The rows before this point were imported.");
    let result = write_tx(c, |c| {
        if repo::finish(c, id, repo::FAILED)? == 1 {
            repo::add_error(c, id, 0, &message)?;
        }
        Ok::<_, diesel::result::Error>(())
    });
    if let Err(e) = result {
        tracing::error!(import = id, error = %e, "could not record the failed import");
    }
}

fn work(c: &mut DbConn, data_dir: &Path, id: i64) -> Result<i64, Stop> {
    let Some(import) = repo::get(c, id)?.filter(|i| i.status == repo::RUNNING) else {
        return Ok(0);
    };
    let Some((user, scope)) = staff::repo::session_user(c, UserId::new(import.user_id))? else {
        return Err(Stop::Failed("the importing user no longer exists".into()));
    };
    let allowed = user.role.can(Action::ContactsImport);
    let (true, true) = (user.active, allowed) else {
        return Err(Stop::Failed(
            "the importing user may no longer import contacts".into(),
        ));
    };
    let text = std::fs::read_to_string(file_path(data_dir, id))
        .map_err(|_| Stop::Failed("the uploaded file is no longer available".into()))?;
    let mut ctx = Context {
        id,
        user_id: user.id.get(),
        viewer: Viewer {
            user_id: user.id.get(),
            team_id: user.team_id.map(|t| t.get()),
            scope,
        },
        update: import.on_match != OnMatch::Skip,
        columns: mapping::from_json(&import.mapping),
        consent_how: format!("Imported from {} by {}", import.file_name, user.name),
        accounts: HashMap::new(),
        tags: HashMap::new(),
    };
    let unreadable = |e: csv::Error| Stop::Failed(format!("the file could not be read ({e})"));
    let mut rows = Rows::new(&text);
    rows.next_row().map_err(unreadable)?; // the header
    let mut processed = 0;
    while processed < import.processed_rows && rows.next_row().map_err(unreadable)?.is_some() {
        processed += 1;
    }
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        batch.clear();
        while batch.len() < BATCH {
            match rows.next_row().map_err(unreadable)? {
                Some(row) => batch.push(row),
                None => break,
            }
        }
        if batch.is_empty() {
            break;
        }
        let tally = write_tx(c, |c| apply(c, &mut ctx, &batch, processed))?;
        processed += tally.processed;
    }
    write_tx(c, |c| {
        if repo::finish(c, id, repo::FINISHED)? == 1
            && let Some(done) = repo::get(c, id)?
        {
            audit::record(
                c,
                Entry {
                    actor: Some(done.user_id),
                    action: AuditAction::Import,
                    entity: AuditEntity::Import,
                    entity_id: Some(id),
                    summary: format!(
                        "{}: {} created, {} updated, {} skipped, {} errors",
                        done.file_name,
                        done.created_count,
                        done.updated_count,
                        done.skipped_count,
                        done.error_count
                    ),
                },
            )?;
        }
        Ok::<_, Stop>(())
    })?;
    Ok(processed)
}
