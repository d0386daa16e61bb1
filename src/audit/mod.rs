//! The audit log: who created, changed or deleted what, and when. Written in
//! the same transaction as the change it describes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use list::{AuditListOptions, AuditSort};

use crate::db::schema::{audit_log, users};
use crate::db::{DbConn, now};
use crate::i18n::{Locale, StoredMessage, key};
use crate::web::list::{Key, Keyed};

pub mod list;

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
        SettingsChange = "settings_change",
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
        Workspace = "workspace",
        Deal = "deal",
        Pipeline = "pipeline",
        Stage = "stage",
        LostReason = "lost_reason",
        Product = "product",
        Order = "order",
    }
}

impl AuditAction {
    /// The message key of the action's name.
    pub fn label_key(self) -> &'static str {
        match self {
            AuditAction::Create => key("audit-action-create"),
            AuditAction::Update => key("audit-action-update"),
            AuditAction::Delete => key("audit-action-delete"),
            AuditAction::Export => key("audit-action-export"),
            AuditAction::Import => key("audit-action-import"),
            AuditAction::Merge => key("audit-action-merge"),
            AuditAction::PasswordChange => key("audit-action-password_change"),
            AuditAction::PasswordReset => key("audit-action-password_reset"),
            AuditAction::SessionsRevoked => key("audit-action-sessions_revoked"),
            AuditAction::Setup => key("audit-action-setup"),
            AuditAction::SettingsChange => key("audit-action-settings_change"),
        }
    }
}

impl AuditEntity {
    /// The message key of the record type's name.
    pub fn label_key(self) -> &'static str {
        match self {
            AuditEntity::User => key("audit-entity-user"),
            AuditEntity::Team => key("audit-entity-team"),
            AuditEntity::Role => key("audit-entity-role"),
            AuditEntity::Contact => key("audit-entity-contact"),
            AuditEntity::Account => key("audit-entity-account"),
            AuditEntity::Import => key("audit-entity-import"),
            AuditEntity::Workspace => key("audit-entity-workspace"),
            AuditEntity::Deal => key("audit-entity-deal"),
            AuditEntity::Pipeline => key("audit-entity-pipeline"),
            AuditEntity::Stage => key("audit-entity-stage"),
            AuditEntity::LostReason => key("audit-entity-lost_reason"),
            AuditEntity::Product => key("audit-entity-product"),
            AuditEntity::Order => key("audit-entity-order"),
        }
    }
}

pub struct Entry {
    pub actor: Option<i64>,
    pub action: AuditAction,
    pub entity: AuditEntity,
    pub entity_id: Option<i64>,
    /// Worded in the language of whoever reads the log.
    pub summary: StoredMessage,
}

pub fn record(conn: &mut DbConn, e: Entry) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(e.actor),
            audit_log::action.eq(e.action),
            audit_log::entity.eq(e.entity),
            audit_log::entity_id.eq(e.entity_id),
            // `summary` holds the English text of entries written before
            // summaries were messages; new ones keep it empty.
            audit_log::summary.eq(""),
            audit_log::summary_message.eq(e.summary.to_json()),
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
    pub summary_message: Option<String>,
    pub created_at: NaiveDateTime,
    #[diesel(select_expression = users::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::name>)]
    pub actor_name: Option<String>,
}

impl AuditRow {
    /// The summary in the viewer's words.
    pub fn summary_in(&self, locale: &Locale) -> String {
        locale.stored(self.summary_message.as_deref(), &self.summary)
    }
}

/// How many entries match, up to the list's cap.
pub fn count_capped(conn: &mut DbConn, opts: &AuditListOptions) -> QueryResult<i64> {
    crate::web::list::count_capped(conn, listed(opts).select(audit_log::id))
}

type Listed = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::LeftJoin<audit_log::table, users::table>,
    crate::db::Backend,
>;

fn listed(opts: &AuditListOptions) -> Listed {
    let mut q = audit_log::table.left_join(users::table).into_boxed();
    if let Some(e) = &opts.filters.entity {
        q = q.filter(audit_log::entity.eq(e.clone()));
    }
    if let Some(a) = &opts.filters.action {
        q = q.filter(audit_log::action.eq(a.clone()));
    }
    q
}

/// The page the options point at (newest first by default).
pub fn page(conn: &mut DbConn, opts: &AuditListOptions) -> QueryResult<Vec<AuditRow>> {
    let mut q = listed(opts);
    if let Some(after) = opts.keyset() {
        q = q.filter(after);
    }
    q.order(diesel::dsl::sql::<diesel::sql_types::Text>(
        &opts.order_sql(),
    ))
    .offset(opts.offset())
    .limit(opts.fetch())
    .select(AuditRow::as_select())
    .load(conn)
}

/// The record types and actions logged so far, for the filter menus.
pub fn kinds(conn: &mut DbConn) -> QueryResult<(Vec<String>, Vec<String>)> {
    let entities = audit_log::table
        .select(audit_log::entity)
        .distinct()
        .order(audit_log::entity.asc())
        .limit(100)
        .load(conn)?;
    let actions = audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action.asc())
        .limit(100)
        .load(conn)?;
    Ok((entities, actions))
}

impl Keyed<AuditSort> for AuditRow {
    fn id(&self) -> i64 {
        self.id
    }

    fn keys(&self, _: AuditSort) -> Vec<Key> {
        vec![self.created_at.into()]
    }
}
