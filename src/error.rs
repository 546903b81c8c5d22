//! The application's error: what a request can fail with, whatever the domain. It knows no
//! HTTP: `http/problem.rs` gives each variant its status, its text (Fluent) and its rendering
//! (STYLE.md §2, issue 13 §2).

use crate::store::StoreError;

/// Errors of one field of a form, by field name.
pub type FieldErrors = Vec<(String, String)>;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The object does not exist, or the actor may not know it exists.
    #[error("not found")]
    NotFound,
    /// The actor may see the object but not do this to it.
    #[error("forbidden")]
    Forbidden,
    /// No valid session.
    #[error("not signed in")]
    Unauthenticated,
    /// Input that does not validate, with one message per field.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The change conflicts with the current state (e.g. edited meanwhile).
    #[error("conflict")]
    Conflict,
    /// Missing or wrong CSRF token.
    #[error("csrf check failed")]
    Csrf,
    /// Too many attempts; retry after this many seconds.
    #[error("rate limited")]
    RateLimited(u64),
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An I/O failure.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
