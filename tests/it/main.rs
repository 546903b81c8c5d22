//! Cartable's integration tests: one binary (STYLE.md §5). Real redb files in temp dirs, the
//! real `cartable` binary as a child process where the issue asks for it, real HTTPS.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod accounts;
mod activation;
mod admin;
mod admin_accounts;
mod admin_cross;
mod admin_import;
mod admin_structure;
mod blobs;
mod browser;
mod cli;
mod common;
mod crash;
mod demo;
mod design;
mod directory;
mod documents;
mod documents_pages;
mod error_pages;
mod extract;
mod forms;
mod hostile_http;
mod import_aaf;
mod import_csv;
mod letters;
mod mail_dkim;
mod mail_relay;
mod messaging;
mod messaging_crash;
mod messaging_pages;
mod messaging_security;
mod messaging_visibility;
mod notifications;
mod openapi;
mod path_ids;
mod permissions;
mod phone_walk;
mod problem;
mod roles;
mod search;
mod server;
mod store;
mod text_hygiene;
