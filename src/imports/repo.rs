//! The `imports` and `import_errors` tables.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::contacts::domain::ContactInput;
use crate::db::schema::{contacts, import_errors, imports, record_tags};
use crate::db::{DbConn, last_insert_id, now};
use crate::domain::ids::ContactId;
use crate::i18n::StoredMessage;
use crate::records::{Links, RecordRef, links};

crate::text_enum! {
    /// Where an import is (`imports.status`).
    pub enum ImportStatus {
        /// Uploaded; waiting for the column mapping.
        Mapping = "mapping",
        Running = "running",
        Finished = "finished",
        Failed = "failed",
    }
}

crate::text_enum! {
    /// What to do with a row whose email is already known (`imports.on_match`).
    pub enum OnMatch {
        Update = "update",
        Skip = "skip",
    }
}

pub const MAPPING: ImportStatus = ImportStatus::Mapping;
pub const RUNNING: ImportStatus = ImportStatus::Running;
pub const FINISHED: ImportStatus = ImportStatus::Finished;
pub const FAILED: ImportStatus = ImportStatus::Failed;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = imports)]
pub struct Import {
    pub id: i64,
    pub user_id: i64,
    pub file_name: String,
    pub status: ImportStatus,
    pub mapping: String,
    pub on_match: OnMatch,
    pub total_rows: i64,
    pub processed_rows: i64,
    pub created_count: i64,
    pub updated_count: i64,
    pub skipped_count: i64,
    pub error_count: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

impl Import {
    pub fn is_done(&self) -> bool {
        self.status == FINISHED || self.status == FAILED
    }
}

pub struct NewImport<'a> {
    pub user_id: i64,
    pub file_name: &'a str,
    pub mapping: &'a str,
    pub on_match: OnMatch,
    pub total_rows: i64,
}

pub fn insert(conn: &mut DbConn, n: &NewImport) -> QueryResult<i64> {
    let t = now();
    diesel::insert_into(imports::table)
        .values((
            imports::user_id.eq(n.user_id),
            imports::file_name.eq(n.file_name),
            imports::status.eq(MAPPING),
            imports::mapping.eq(n.mapping),
            imports::on_match.eq(n.on_match),
            imports::total_rows.eq(n.total_rows),
            imports::processed_rows.eq(0),
            imports::created_count.eq(0),
            imports::updated_count.eq(0),
            imports::skipped_count.eq(0),
            imports::error_count.eq(0),
            imports::created_at.eq(t),
            imports::updated_at.eq(t),
        ))
        .execute(conn)?;
    last_insert_id(conn)
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<Import>> {
    imports::table
        .find(id)
        .select(Import::as_select())
        .first(conn)
        .optional()
}

/// Newest first.
pub fn recent_for_user(conn: &mut DbConn, user_id: i64, limit: i64) -> QueryResult<Vec<Import>> {
    imports::table
        .filter(imports::user_id.eq(user_id))
        .order((imports::created_at.desc(), imports::id.desc()))
        .limit(limit)
        .select(Import::as_select())
        .load(conn)
}

/// Saves the mapping while the import waits for it; `start` also sets it running.
pub fn save_mapping(
    conn: &mut DbConn,
    id: i64,
    mapping: &str,
    on_match: OnMatch,
    start: bool,
) -> QueryResult<usize> {
    diesel::update(imports::table.find(id).filter(imports::status.eq(MAPPING)))
        .set((
            imports::mapping.eq(mapping),
            imports::on_match.eq(on_match),
            imports::status.eq(if start { RUNNING } else { MAPPING }),
            imports::updated_at.eq(now()),
        ))
        .execute(conn)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub errors: i64,
}

/// Adds a batch's counts, only if nobody else moved the import on since
/// `from` rows (so two workers can never both apply a batch). Doubles as
/// the heartbeat that tells a stalled import from a running one.
pub fn advance(conn: &mut DbConn, id: i64, from: i64, t: &Tally) -> QueryResult<bool> {
    let n = diesel::update(
        imports::table
            .find(id)
            .filter(imports::status.eq(RUNNING))
            .filter(imports::processed_rows.eq(from)),
    )
    .set((
        imports::processed_rows.eq(imports::processed_rows + t.processed),
        imports::created_count.eq(imports::created_count + t.created),
        imports::updated_count.eq(imports::updated_count + t.updated),
        imports::skipped_count.eq(imports::skipped_count + t.skipped),
        imports::error_count.eq(imports::error_count + t.errors),
        imports::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Takes over a running import nobody has advanced since `stale_before`.
pub fn claim_stalled(conn: &mut DbConn, id: i64, stale_before: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        imports::table
            .find(id)
            .filter(imports::status.eq(RUNNING))
            .filter(imports::updated_at.lt(stale_before)),
    )
    .set(imports::updated_at.eq(now()))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn running_ids(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    imports::table
        .filter(imports::status.eq(RUNNING))
        .select(imports::id)
        .load(conn)
}

pub fn finish(conn: &mut DbConn, id: i64, status: ImportStatus) -> QueryResult<usize> {
    let t = now();
    diesel::update(imports::table.find(id).filter(imports::status.eq(RUNNING)))
        .set((
            imports::status.eq(status),
            imports::updated_at.eq(t),
            imports::finished_at.eq(Some(t)),
        ))
        .execute(conn)
}

/// A row's problem (line 0: the whole import's), kept as a message and
/// worded for whoever reads the report. `message` holds the English text
/// of problems recorded before they were messages; new rows leave it empty.
pub fn add_error(
    conn: &mut DbConn,
    import_id: i64,
    line: i64,
    problem: &StoredMessage,
) -> QueryResult<()> {
    diesel::insert_into(import_errors::table)
        .values((
            import_errors::import_id.eq(import_id),
            import_errors::line_number.eq(line),
            import_errors::message.eq(""),
            import_errors::problem_message.eq(problem.to_json()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A recorded problem: its line, the message, and the old English text.
pub type StoredError = (i64, Option<String>, String);

/// The problems, in file order.
pub fn errors(conn: &mut DbConn, import_id: i64, limit: i64) -> QueryResult<Vec<StoredError>> {
    import_errors::table
        .filter(import_errors::import_id.eq(import_id))
        .order((import_errors::line_number.asc(), import_errors::id.asc()))
        .limit(limit)
        .select((
            import_errors::line_number,
            import_errors::problem_message,
            import_errors::message,
        ))
        .load(conn)
}

/// One multi-row INSERT on either backend (diesel's MultiConnection does
/// not batch; the backends do).
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            DbConn::Mysql(m) => diesel::insert_into($table).values($rows).execute(m),
            DbConn::Sqlite(s) => diesel::insert_into($table).values($rows).execute(s),
        }
    };
}

/// Rows per multi-row statement (well under both backends' bind-parameter limits).
const CHUNK: usize = 500;

pub fn add_errors(
    conn: &mut DbConn,
    import_id: i64,
    errors: &[(i64, StoredMessage)],
) -> QueryResult<()> {
    for chunk in errors.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(line, problem)| {
                (
                    import_errors::import_id.eq(import_id),
                    import_errors::line_number.eq(*line),
                    import_errors::message.eq(""),
                    import_errors::problem_message.eq(Some(problem.to_json())),
                )
            })
            .collect();
        insert_all!(conn, import_errors::table, &rows)?;
    }
    Ok(())
}

/// A validated new contact of an import.
pub struct NewContact {
    pub input: ContactInput,
    pub account_id: Option<i64>,
    /// Consent was set from the file (so when and how are recorded).
    pub consent_set: bool,
}

/// Inserts contacts owned by `owner` in one statement and returns their
/// ids in order. The ids are read back by owner and creation instant above
/// the previous highest id, so nothing assumes consecutive auto-increment
/// values (MySQL's interleaved lock mode, Galera, TiDB).
pub fn insert_contacts(
    conn: &mut DbConn,
    owner: i64,
    new: &[NewContact],
    consent_how: &str,
) -> QueryResult<Vec<i64>> {
    let mut ids = Vec::with_capacity(new.len());
    for chunk in new.chunks(CHUNK) {
        let t = now();
        let before: Option<i64> = contacts::table
            .select(diesel::dsl::max(contacts::id))
            .first(conn)?;
        let rows: Vec<_> = chunk
            .iter()
            .map(|n| {
                let i = &n.input;
                (
                    (
                        contacts::first_name.eq(i.first_name.clone()),
                        contacts::last_name.eq(i.last_name.clone()),
                        contacts::email.eq(i.email.as_ref().map(|e| e.as_str().to_string())),
                        contacts::phone.eq(i.phone.clone()),
                        contacts::title.eq(i.title.clone()),
                        contacts::address.eq(i.address.clone()),
                        contacts::city.eq(i.city.clone()),
                        contacts::country.eq(i.country.clone()),
                        contacts::lifecycle.eq(i.lifecycle.as_str()),
                        contacts::source.eq(i.source.clone()),
                    ),
                    (
                        contacts::consent.eq(i.consent.as_str()),
                        contacts::consent_changed_at.eq(n.consent_set.then_some(t)),
                        contacts::consent_source.eq(n.consent_set.then(|| consent_how.to_string())),
                        contacts::owner_id.eq(owner),
                        contacts::account_id.eq(n.account_id),
                        contacts::created_at.eq(t),
                        contacts::updated_at.eq(t),
                    ),
                )
            })
            .collect();
        insert_all!(conn, contacts::table, &rows)?;
        let got: Vec<i64> = contacts::table
            .filter(contacts::id.gt(before.unwrap_or(0)))
            .filter(contacts::owner_id.eq(owner))
            .filter(contacts::created_at.eq(t))
            .order(contacts::id.asc())
            .select(contacts::id)
            .load(conn)?;
        if got.len() != chunk.len() {
            return Err(diesel::result::Error::RollbackTransaction);
        }
        ids.extend(got);
    }
    Ok(ids)
}

/// Links (contact, tag) pairs in bulk; pairs must be unique.
pub fn link_tags(conn: &mut DbConn, links: &[(i64, i64)]) -> QueryResult<()> {
    for chunk in links.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(contact, tag)| {
                let record = RecordRef::Contact(ContactId::new(*contact));
                (
                    links::record_tags::values(&Links::of(record)),
                    record_tags::tag_id.eq(*tag),
                )
            })
            .collect();
        insert_all!(conn, record_tags::table, &rows)?;
    }
    Ok(())
}
