//! Integration tests over HTTP against the spawned app. One binary (see
//! ARCHITECTURE.md §8); the backend is chosen by RAPPORT_TEST_BACKEND.

mod helpers;

mod accounts;
mod admin;
mod auth;
mod authz;
mod cli;
mod contacts;
mod csrf;
mod db_down;
mod import_export;
mod lists;
mod malformed;
mod merge;
mod schema;
mod scope;
mod search;
mod setup;
mod tasks;
mod xss;
