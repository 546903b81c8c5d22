//! The documents' refusals.

use axum::http::StatusCode;

use super::{Problem, internal};
use crate::domain::documents::DocumentError;
use crate::error::Error;
use crate::http::documents::download::RangeNotSatisfiable;
use crate::http::extract::Tr;

// ---------------------------------------------------------------------------------------------
// Documents.
// ---------------------------------------------------------------------------------------------

/// 404, 403, 422 for what the user can fix, 500 for the rest.
impl Problem for DocumentError {
    fn status(&self) -> StatusCode {
        match self {
            DocumentError::NotFound => StatusCode::NOT_FOUND,
            DocumentError::Forbidden => StatusCode::FORBIDDEN,
            DocumentError::Invalid(_)
            | DocumentError::TooLarge { .. }
            | DocumentError::QuotaExceeded { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            DocumentError::Blob(_) | DocumentError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            DocumentError::NotFound => "not_found",
            DocumentError::Forbidden => "forbidden",
            DocumentError::Invalid(_) => "invalid",
            DocumentError::TooLarge { .. } => "too_large",
            DocumentError::QuotaExceeded { .. } => "quota_exceeded",
            DocumentError::Blob(_) | DocumentError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        use crate::http::documents::size_text;
        match self {
            DocumentError::NotFound => t.msg("erreur-introuvable"),
            DocumentError::Forbidden => t.msg("erreur-interdit"),
            DocumentError::Invalid(key) => t.msg(key),
            DocumentError::TooLarge { name, max } => {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("nom", name.clone());
                args.set("taille", size_text(t, *max));
                t.args("documents-error-too-large", &args)
            }
            DocumentError::QuotaExceeded { used, quota } => {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("utilise", size_text(t, *used));
                args.set("quota", size_text(t, *quota));
                args.set("reste", size_text(t, quota.saturating_sub(*used)));
                t.args("documents-error-quota", &args)
            }
            DocumentError::Blob(_) | DocumentError::Store(_) => internal(t),
        }
    }
}

impl From<DocumentError> for Error {
    fn from(e: DocumentError) -> Self {
        match e {
            DocumentError::NotFound => Error::NotFound,
            DocumentError::Forbidden => Error::Forbidden,
            DocumentError::Invalid(key) => Error::Invalid(vec![("nom".to_owned(), key.to_owned())]),
            DocumentError::TooLarge { .. } => Error::Invalid(vec![(
                "fichiers".to_owned(),
                "documents-error-too-large".to_owned(),
            )]),
            DocumentError::QuotaExceeded { .. } => Error::Invalid(vec![(
                "fichiers".to_owned(),
                "documents-error-quota".to_owned(),
            )]),
            DocumentError::Blob(crate::blobs::BlobError::Store(e)) => Error::Store(e),
            DocumentError::Blob(e) => Error::Io(std::io::Error::other(e.to_string())),
            DocumentError::Store(e) => Error::from(e),
        }
    }
}

/// 416 for a range past the end of the file (the download adds `Content-Range: bytes */size`).
impl Problem for RangeNotSatisfiable {
    fn status(&self) -> StatusCode {
        StatusCode::RANGE_NOT_SATISFIABLE
    }

    fn code(&self) -> &'static str {
        "range_not_satisfiable"
    }

    fn detail(&self, t: &Tr) -> String {
        t.msg("documents-error-range")
    }
}
