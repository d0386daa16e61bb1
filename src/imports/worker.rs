//! Running an import: a job of kind `import` (never inside a request), rows
//! in batches of `BATCH`, each batch one write transaction that also
//! advances the import's counts. A crash loses at most the batch in flight,
//! which rolled back; the job's lease then runs out, another worker takes
//! it over and resumes from `processed_rows`, and the counts only move if
//! nobody else moved them (`repo::advance`), so no row is applied twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::batch::{Context, Stop, apply};
use super::csvsafe::Rows;
use super::mapping;
use super::repo::{self, Import, OnMatch};
use crate::audit::{self, AuditAction, AuditEntity, Entry};
use crate::auth::policy::{Action, Viewer};
use crate::db::{DbConn, now, write_tx};
use crate::domain::ids::UserId;
use crate::i18n::{Locale, StoredMessage, key};
use crate::jobs::{self, Claim, Job, JobError, JobKind};
use crate::staff;

/// Rows per write transaction.
pub const BATCH: usize = 500;
/// A running import not advanced for this long may have lost its job
/// (it is queued again when its page is looked at, or at start-up).
pub const STALL_SECS: i64 = 60;

/// Where an import's file is kept (decoded to UTF-8, as uploaded otherwise).
pub fn file_path(data_dir: &Path, id: i64) -> PathBuf {
    data_dir.join("imports").join(format!("{id}.csv"))
}

#[derive(Serialize, Deserialize)]
struct Payload {
    import_id: i64,
}

fn job_key(id: i64) -> String {
    format!("import:{id}")
}

/// Queues the job of an import that was just set running (in the same
/// transaction), or of one whose job has gone.
pub fn enqueue(c: &mut DbConn, id: i64) -> diesel::QueryResult<i64> {
    jobs::ensure_queued(c, JobKind::Import, &job_key(id), &Payload { import_id: id })
}

/// Queues a running import's job again if the import has not moved for
/// `STALL_SECS` and its job is not queued or running (rows from before
/// imports ran as jobs, or a job marked done by hand).
pub fn resume_if_stalled(c: &mut DbConn, import: &Import) {
    if import.status != repo::RUNNING {
        return;
    }
    let stale_before = now() - chrono::Duration::seconds(STALL_SECS);
    if import.updated_at < stale_before {
        match enqueue(c, import.id) {
            Ok(_) => tracing::debug!(import = import.id, "stalled import has a job"),
            Err(e) => {
                tracing::warn!(import = import.id, error = %e, "could not queue a stalled import")
            }
        }
    }
}

/// The `import` job.
pub fn run_job(c: &mut DbConn, data_dir: &Path, claim: &Claim, job: &Job) -> Result<(), JobError> {
    let Payload { import_id: id } = jobs::payload(job)?;
    let started = std::time::Instant::now();
    match work(c, data_dir, id, claim) {
        Ok(rows) => {
            tracing::info!(
                import = id,
                rows,
                ms = started.elapsed().as_millis() as u64,
                "import finished"
            );
            Ok(())
        }
        Err(Stop::Superseded) => {
            tracing::info!(import = id, "import taken over by another worker");
            Ok(())
        }
        Err(Stop::Db(e)) if !job.is_last_attempt() => {
            tracing::warn!(import = id, error = ?e, "import interrupted; it resumes later");
            Err(e.into())
        }
        Err(Stop::Db(e)) => {
            tracing::error!(import = id, error = ?e, "import failed");
            fail(c, id, StoredMessage::new(key("import-why-database")));
            Err(e.into())
        }
        Err(Stop::Failed(why)) => {
            // The jobs page shows a job's error as the worker put it.
            let text = why.text_in(&Locale::default());
            fail(c, id, why);
            Err(JobError::Fatal(text))
        }
    }
}

fn fail(c: &mut DbConn, id: i64, why: StoredMessage) {
    let message = StoredMessage::new(key("import-stopped")).message("why", why);
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

fn work(c: &mut DbConn, data_dir: &Path, id: i64, claim: &Claim) -> Result<i64, Stop> {
    let Some(import) = repo::get(c, id)?.filter(|i| i.status == repo::RUNNING) else {
        return Ok(0);
    };
    let Some((user, scope)) = staff::repo::session_user(c, UserId::new(import.user_id))? else {
        return Err(Stop::Failed(StoredMessage::new(key(
            "import-why-user-gone",
        ))));
    };
    let allowed = user.role.can(Action::ContactsImport);
    let (true, true) = (user.active, allowed) else {
        return Err(Stop::Failed(StoredMessage::new(key(
            "import-why-not-allowed",
        ))));
    };
    let text = std::fs::read_to_string(file_path(data_dir, id))
        .map_err(|_| Stop::Failed(StoredMessage::new(key("import-why-file-gone"))))?;
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
        consent_how: StoredMessage::new(key("contacts-consent-imported"))
            .text("file", import.file_name.as_str())
            .text("name", user.name.as_str())
            .to_json(),
        accounts: HashMap::new(),
        tags: HashMap::new(),
    };
    let unreadable = |e: csv::Error| {
        Stop::Failed(StoredMessage::new(key("import-why-unreadable")).text("detail", e.to_string()))
    };
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
        // A retried transaction starts again from the ids known before it
        // (the accounts and tags a rolled-back attempt created are gone).
        let known = (ctx.accounts.clone(), ctx.tags.clone());
        let tally = write_tx(c, |c| {
            (ctx.accounts, ctx.tags) = known.clone();
            apply(c, &mut ctx, &batch, processed)
        })?;
        processed += tally.processed;
        if !claim.renew(c)? {
            return Err(Stop::Superseded);
        }
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
                    summary: StoredMessage::new(key("audit-import-done"))
                        .text("file", done.file_name.as_str())
                        .num("created", done.created_count)
                        .num("updated", done.updated_count)
                        .num("skipped", done.skipped_count)
                        .num("errors", done.error_count),
                },
            )?;
        }
        Ok::<_, Stop>(())
    })?;
    Ok(processed)
}
