//! The audit log: who created, changed or deleted what, and when. Written in
//! the same transaction as the change it describes.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::schema::{audit_log, users};
use crate::db::{DbConn, now};

const SUMMARY_MAX_CHARS: usize = 500;

crate::text_enum! {
    /// What was done (`audit_log.action`).
    pub enum AuditAction {
        Create = "create",
        Update = "update",
        Delete = "delete",
        Export = "export",
        Import = "import",
        Merge = "merge",
        PasswordChange = "password_change",
        PasswordReset = "password_reset",
        SessionsRevoked = "sessions_revoked",
        Setup = "setup",
    }
}

crate::text_enum! {
    /// What it was done to (`audit_log.entity`).
    pub enum AuditEntity {
        User = "user",
        Team = "team",
        Role = "role",
        Contact = "contact",
        Account = "account",
        Import = "import",
    }
}

pub struct Entry {
    pub actor: Option<i64>,
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: Option<i64>,
    pub summary: String,
}

pub fn record(conn: &mut DbConn, e: Entry) -> QueryResult<()> {
    let summary: String = e.summary.chars().take(SUMMARY_MAX_CHARS).collect();
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(e.actor),
            audit_log::action.eq(e.action),
            audit_log::entity.eq(e.entity),
            audit_log::entity_id.eq(e.entity_id),
            audit_log::summary.eq(summary),
            audit_log::created_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_log, check_for_backend(crate::db::MultiBackend))]
pub struct AuditRow {
    pub id: i64,
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: Option<i64>,
    pub summary: String,
    pub created_at: NaiveDateTime,
    #[diesel(select_expression = users::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::name>)]
    pub actor_name: Option<String>,
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    audit_log::table.select(count_star()).get_result(conn)
}

/// Newest first.
pub fn page(conn: &mut DbConn, offset: i64, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .left_join(users::table)
        .order((audit_log::created_at.desc(), audit_log::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}
