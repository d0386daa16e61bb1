//! Rapport: an open-source CRM for small and mid-sized businesses.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod contacts;
pub mod db;
pub mod domain;
pub mod error;
pub mod imports;
pub mod jobs;
pub mod mail;
pub mod ops;
pub mod private_files;
pub mod records;
pub mod saved_views;
pub mod search;
pub mod seed;
pub mod staff;
pub mod startup;
pub mod tags;
pub mod tasks;
pub mod telemetry;
pub mod web;
