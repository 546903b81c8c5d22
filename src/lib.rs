//! Cartable: the *espace numérique de travail* (ENT) of French collèges and lycées, as one
//! self-contained binary. See `DESIGN.md` in the shared folder for the architecture:
//! `http` (axum, thin handlers) → `domain` (the rules) → `store` (redb, one write path, change log).

#![forbid(unsafe_code)]

pub mod blobs;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod model;
pub mod pdf;
pub mod search;
pub mod state;
pub mod store;
pub mod tasks;
