//! Integration tests over HTTP against the spawned app. One binary (see
//! ARCHITECTURE.md §8); the backend is chosen by RAPPORT_TEST_BACKEND.

mod helpers;

mod auth;
mod setup;
