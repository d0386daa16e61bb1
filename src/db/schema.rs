//! The one schema both backends share. Kept by hand with portable types only
//! (see ARCHITECTURE.md §3); `tests/api/schema_check.rs` proves both migrated
//! databases match it.

diesel::table! {
    teams (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    roles (name) {
        name -> Text,
        record_scope -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        team_id -> Nullable<BigInt>,
        active -> Bool,
        session_epoch -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        first_name -> Text,
        last_name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        company_name -> Nullable<Text>,
        owner_id -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    activities (id) {
        id -> BigInt,
        contact_id -> BigInt,
        kind -> Text,
        body -> Text,
        author_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        summary -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> teams (team_id));
diesel::joinable!(contacts -> users (owner_id));
diesel::joinable!(activities -> contacts (contact_id));
diesel::joinable!(activities -> users (author_id));
diesel::joinable!(audit_log -> users (actor_id));

diesel::allow_tables_to_appear_in_same_query!(teams, roles, users, contacts, activities, audit_log);
