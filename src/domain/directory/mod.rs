//! The directory: establishments, people and their accounts, profiles, classes, groups,
//! subjects, teachings and parent links (DESIGN.md §2). `service` writes, `queries` reads
//! through `policy`, which decides every permission.

pub mod class_page;
pub mod login;
pub mod policy;
pub mod profile;
pub mod queries;
pub mod service;

use crate::store::StoreError;

/// What can go wrong in the directory.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// A field does not validate; the translation key says what to do
    /// (`annuaire-erreur-*`, in `admin-structure.ftl`).
    #[error("{field}: {key}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Translation key of what to do.
        key: &'static str,
    },
    /// A unique value is already used.
    #[error("{0} already in use")]
    Duplicate(&'static str),
    /// The object does not exist or the actor may not see it.
    #[error("not found")]
    NotFound,
    /// A store failure.
    #[error(transparent)]
    Store(#[from] StoreError),
}
