//! The directory's and the administration's refusals, and search through the application's
//! error.

use axum::http::StatusCode;

use super::{Problem, internal};
use crate::domain::admin::AdminError;
use crate::domain::admin::accounts::{AccountError, Existing};
use crate::domain::directory::DirectoryError;
use crate::error::Error;
use crate::http::extract::Tr;
use crate::search::SearchError;

// ---------------------------------------------------------------------------------------------
// The directory.
// ---------------------------------------------------------------------------------------------

/// 404, 409 for a unique value already used, 422 for a field, 500 for the rest.
impl Problem for DirectoryError {
    fn status(&self) -> StatusCode {
        match self {
            DirectoryError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            DirectoryError::Duplicate(_) => StatusCode::CONFLICT,
            DirectoryError::NotFound => StatusCode::NOT_FOUND,
            DirectoryError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            DirectoryError::Invalid { .. } => "invalid",
            DirectoryError::Duplicate(_) => "conflict",
            DirectoryError::NotFound => "not_found",
            DirectoryError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            DirectoryError::Invalid { key, .. } => t.msg(key),
            DirectoryError::Duplicate(_) => t.msg("erreur-conflit"),
            DirectoryError::NotFound => t.msg("erreur-introuvable"),
            DirectoryError::Store(_) => internal(t),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        match self {
            DirectoryError::Invalid { field, key } => vec![((*field).to_owned(), t.msg(key))],
            _ => Vec::new(),
        }
    }
}

impl From<DirectoryError> for Error {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Invalid { field, key } => {
                Error::Invalid(vec![(field.to_owned(), key.to_owned())])
            }
            DirectoryError::Duplicate(_) => Error::Conflict,
            DirectoryError::NotFound => Error::NotFound,
            DirectoryError::Store(e) => Error::Store(e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The administration.
// ---------------------------------------------------------------------------------------------

/// 404 for what the actor does not administer, 403 for a person they see but may not act
/// on, 422 for a field, 500 for the rest.
impl Problem for AdminError {
    fn status(&self) -> StatusCode {
        match self {
            AdminError::NotFound => StatusCode::NOT_FOUND,
            AdminError::Forbidden => StatusCode::FORBIDDEN,
            AdminError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AdminError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            AdminError::NotFound => "not_found",
            AdminError::Forbidden => "forbidden",
            AdminError::Invalid { .. } => "invalid",
            AdminError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            AdminError::NotFound => t.msg("erreur-introuvable"),
            AdminError::Forbidden => t.msg("erreur-interdit"),
            AdminError::Invalid { key, .. } => t.msg(key),
            AdminError::Store(_) => internal(t),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        match self {
            AdminError::Invalid { field, key } => vec![((*field).to_owned(), t.msg(key))],
            _ => Vec::new(),
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

/// 404, 403, 422 for fields and for a person who seems to exist already (the form asks
/// again), 500 for the rest.
impl Problem for AccountError {
    fn status(&self) -> StatusCode {
        match self {
            AccountError::NotFound => StatusCode::NOT_FOUND,
            AccountError::Forbidden => StatusCode::FORBIDDEN,
            AccountError::Invalid(_) | AccountError::Exists(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AccountError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            AccountError::NotFound => "not_found",
            AccountError::Forbidden => "forbidden",
            AccountError::Invalid(_) => "invalid",
            AccountError::Exists(_) => "exists",
            AccountError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            AccountError::NotFound => t.msg("erreur-introuvable"),
            AccountError::Forbidden => t.msg("erreur-interdit"),
            AccountError::Invalid(_) => t.msg("erreur-saisie"),
            AccountError::Exists(Existing::NationalId(Some(_))) => t.msg("comptes-existe-ine"),
            AccountError::Exists(Existing::NationalId(None)) => {
                t.msg("comptes-existe-ine-ailleurs")
            }
            AccountError::Exists(Existing::Homonyms(_)) => t.msg("comptes-homonymes-titre"),
            AccountError::Store(_) => internal(t),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        match self {
            AccountError::Invalid(errors) => errors
                .iter()
                .map(|e| (e.field.to_owned(), t.msg(e.key)))
                .collect(),
            _ => Vec::new(),
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

// ---------------------------------------------------------------------------------------------
// Search: through the application's error.
// ---------------------------------------------------------------------------------------------

impl From<SearchError> for Error {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Store(e) => Error::Store(e),
            other => Error::Io(std::io::Error::other(other.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::http::problem::is_fixable;
    use crate::i18n::{Catalog, Lang};

    fn tr(lang: Lang) -> Tr {
        Tr::new(lang, Arc::new(Catalog::load().unwrap()))
    }

    #[test]
    fn the_administrations_refusals_have_their_statuses() {
        let invalid = AdminError::Invalid {
            field: "nom",
            key: "structure-nom-obligatoire",
        };
        assert!(is_fixable(&invalid));
        assert_eq!(AdminError::NotFound.status(), StatusCode::NOT_FOUND);
        assert_eq!(AdminError::Forbidden.status(), StatusCode::FORBIDDEN);
        assert!(is_fixable(&AccountError::Invalid(Vec::new())));
        assert!(is_fixable(&AccountError::Exists(Existing::Homonyms(
            Vec::new()
        ))));
        assert_eq!(
            DirectoryError::Duplicate("uai").status(),
            StatusCode::CONFLICT
        );
        let fr = tr(Lang::Fr);
        assert_eq!(
            invalid.field_errors(&fr),
            vec![("nom".to_owned(), "Le nom est obligatoire.".to_owned())]
        );
    }

    #[test]
    fn the_directorys_refusals_speak_the_visitors_language() {
        let e = DirectoryError::Invalid {
            field: "parent",
            key: "annuaire-erreur-propre-parent",
        };
        assert_eq!(
            e.detail(&tr(Lang::Fr)),
            "une personne ne peut pas être son propre parent"
        );
        assert_eq!(
            e.detail(&tr(Lang::En)),
            "a person cannot be their own parent"
        );
        assert_eq!(e.field_errors(&tr(Lang::En))[0].0, "parent");
    }
}
