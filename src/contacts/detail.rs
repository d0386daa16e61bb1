//! The full contact row as the detail page, edit form and export read it
//! (more columns than diesel's tuple impls name at once, hence the nesting).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::domain::{Consent, Lifecycle};
use crate::db::schema::{accounts, contacts, users};

#[derive(Debug, Clone)]
pub struct ContactDetail {
    pub id: i64,
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
    pub owner_id: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub owner_name: String,
    pub account_id: Option<i64>,
    pub account_name: Option<String>,
}

type DetailColumns = (
    (
        contacts::id,
        contacts::first_name,
        contacts::last_name,
        contacts::email,
        contacts::phone,
        contacts::title,
        contacts::address,
        contacts::city,
        contacts::country,
        contacts::lifecycle,
        contacts::source,
        contacts::consent,
        contacts::consent_changed_at,
        contacts::consent_source,
        contacts::owner_id,
        contacts::created_at,
    ),
    contacts::updated_at,
    diesel::dsl::Nullable<users::name>,
    contacts::account_id,
    diesel::dsl::Nullable<accounts::name>,
);

pub(super) fn detail_columns() -> DetailColumns {
    (
        (
            contacts::id,
            contacts::first_name,
            contacts::last_name,
            contacts::email,
            contacts::phone,
            contacts::title,
            contacts::address,
            contacts::city,
            contacts::country,
            contacts::lifecycle,
            contacts::source,
            contacts::consent,
            contacts::consent_changed_at,
            contacts::consent_source,
            contacts::owner_id,
            contacts::created_at,
        ),
        contacts::updated_at,
        users::name.nullable(),
        contacts::account_id,
        accounts::name.nullable(),
    )
}

pub(super) type DetailTuple = (
    (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Lifecycle,
        Option<String>,
        Consent,
        Option<NaiveDateTime>,
        Option<String>,
        i64,
        NaiveDateTime,
    ),
    NaiveDateTime,
    Option<String>,
    Option<i64>,
    Option<String>,
);

impl From<DetailTuple> for ContactDetail {
    fn from(t: DetailTuple) -> Self {
        let (
            (
                id,
                first_name,
                last_name,
                email,
                phone,
                title,
                address,
                city,
                country,
                lifecycle,
                source,
                consent,
                consent_changed_at,
                consent_source,
                owner_id,
                created_at,
            ),
            updated_at,
            owner_name,
            account_id,
            account_name,
        ) = t;
        ContactDetail {
            id,
            first_name,
            last_name,
            email,
            phone,
            title,
            address,
            city,
            country,
            lifecycle,
            source,
            consent,
            consent_changed_at,
            consent_source,
            owner_id,
            created_at,
            updated_at,
            owner_name: owner_name.unwrap_or_default(),
            account_id,
            account_name,
        }
    }
}
