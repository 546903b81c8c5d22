//! The directory, the administration and search: through the application's error.

use crate::domain::admin::AdminError;
use crate::domain::admin::accounts::AccountError;
use crate::domain::directory::DirectoryError;
use crate::error::Error;
use crate::search::SearchError;

// ---------------------------------------------------------------------------------------------
// The directory, the administration, search: through the application's error.
// ---------------------------------------------------------------------------------------------

impl From<DirectoryError> for Error {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Invalid { field, message } => {
                Error::Invalid(vec![(field.to_owned(), message.to_owned())])
            }
            DirectoryError::Duplicate(_) => Error::Conflict,
            DirectoryError::NotFound => Error::NotFound,
            DirectoryError::Store(e) => Error::Store(e),
        }
    }
}

impl From<AdminError> for Error {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::NotFound => Error::NotFound,
            AdminError::Forbidden => Error::Forbidden,
            AdminError::Invalid { field, key } => {
                Error::Invalid(vec![(field.to_owned(), key.to_owned())])
            }
            AdminError::Store(e) => Error::Store(e),
        }
    }
}

impl From<AccountError> for Error {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::NotFound => Error::NotFound,
            AccountError::Forbidden => Error::Forbidden,
            AccountError::Invalid(errors) => Error::Invalid(
                errors
                    .into_iter()
                    .map(|e| (e.field.to_owned(), e.key.to_owned()))
                    .collect(),
            ),
            AccountError::Exists(_) => Error::Conflict,
            AccountError::Store(e) => Error::Store(e),
        }
    }
}

impl From<SearchError> for Error {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Store(e) => Error::Store(e),
            other => Error::Io(std::io::Error::other(other.to_string())),
        }
    }
}
