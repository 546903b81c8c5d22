//! The application error: one enum, one place that chooses the status code (STYLE.md §2).
//!
//! Users see a message per variant, never the source error's text; internal errors are logged
//! with the request id and the page shows that id.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

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

impl Error {
    /// The HTTP status of each variant.
    pub fn status(&self) -> StatusCode {
        match self {
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Forbidden => StatusCode::FORBIDDEN,
            Error::Unauthenticated => StatusCode::UNAUTHORIZED,
            Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Conflict => StatusCode::CONFLICT,
            Error::Csrf => StatusCode::FORBIDDEN,
            Error::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Error::Store(_) | Error::Io(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the user is told (French; translations arrive with the i18n files).
    pub fn public_message(&self) -> &'static str {
        match self {
            Error::NotFound => "Cette page n’existe pas ou vous n’y avez pas accès.",
            Error::Forbidden => "Vous n’avez pas le droit de faire cela.",
            Error::Unauthenticated => "Connectez-vous pour continuer.",
            Error::Invalid(_) => "Certaines informations sont à corriger.",
            Error::Conflict => {
                "Cet élément a été modifié entre-temps : rechargez la page et recommencez."
            }
            Error::Csrf => "Le formulaire a expiré : rechargez la page et recommencez.",
            Error::RateLimited(_) => "Trop de tentatives : patientez avant de réessayer.",
            Error::Store(_) | Error::Io(_) => {
                "Une erreur interne est survenue. Réessayez dans un instant ; si elle persiste, signalez-la avec son numéro."
            }
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            // The cause goes to the log (within the request's span, which carries its id).
            tracing::error!(error = %self, "request failed");
        }
        let mut response = (
            status,
            axum::Json(serde_json::json!({
                "error": status.canonical_reason().unwrap_or("error"),
                "message": self.public_message(),
            })),
        )
            .into_response();
        if let Error::RateLimited(secs) = self
            && let Ok(value) = secs.to_string().parse()
        {
            response.headers_mut().insert("retry-after", value);
        }
        response
    }
}
