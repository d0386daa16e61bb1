//! The full contact row as the detail page, edit form and export read it,
//! with its owner's and account's names (LEFT joins, see `repo::visible`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{Consent, Lifecycle};
use crate::db::schema::{accounts, contacts, users};
use crate::domain::ids::{AccountId, ContactId, UserId};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = contacts, check_for_backend(crate::db::MultiBackend))]
pub struct ContactDetail {
    pub id: ContactId,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub title: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub lifecycle: Lifecycle,
    pub source: Option<String>,
    pub consent: Consent,
    pub consent_changed_at: Option<NaiveDateTime>,
    pub consent_source: Option<String>,
    pub owner_id: UserId,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Owners always exist (a NOT NULL foreign key); the join is LEFT.
    #[diesel(select_expression = users::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<users::name>)]
    pub owner_name: Option<String>,
    pub account_id: Option<AccountId>,
    #[diesel(select_expression = accounts::name.nullable())]
    #[diesel(select_expression_type = diesel::dsl::Nullable<accounts::name>)]
    pub account_name: Option<String>,
    /// The contact's preferred language (None: the workspace's).
    pub language: Option<String>,
}

impl ContactDetail {
    pub fn owner(&self) -> &str {
        self.owner_name.as_deref().unwrap_or_default()
    }
}
