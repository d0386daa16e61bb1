//! Integration tests over HTTP against the spawned app. One binary (see
//! docs/architecture.md, Tests); the backend is chosen by RAPPORT_TEST_BACKEND.

mod helpers;
mod i18n;
mod i18n_pages;

mod accounts;
mod admin;
mod auth;
mod authz;
mod campaigns;
mod cli;
mod contacts;
mod csrf;
mod data_files;
mod db_down;
mod deals;
mod emails;
mod hardening;
mod imap_server;
mod import_export;
mod inbound_mail;
mod insights;
mod jobs;
mod jobs_import;
mod jobs_tx;
mod lists;
mod mail_files;
mod malformed;
mod merge;
mod orders;
mod outbox;
mod outbox_smtp;
mod pool;
mod records;
mod records_i18n;
mod routes;
mod schema;
mod scope;
mod search;
mod setup;
mod stored_i18n;
mod tasks;
mod tickets;
mod tickets_dashboard;
mod tickets_setup;
mod xss;
