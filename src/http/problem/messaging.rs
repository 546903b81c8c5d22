//! Messaging's refusals.

use axum::http::StatusCode;

use super::{Problem, internal};
use crate::domain::messaging::MessagingError;
use crate::error::Error;
use crate::http::extract::Tr;
use crate::http::messaging::upload::{MAX_FILES, UploadError};

// ---------------------------------------------------------------------------------------------
// Messaging.
// ---------------------------------------------------------------------------------------------

/// The translation key of a messaging conflict.
pub fn conflict_key(reason: &str) -> &'static str {
    match reason {
        "too late" => "messagerie-erreur-rappel-tard",
        "already read" => "messagerie-erreur-rappel-lu",
        "already recalled" => "messagerie-erreur-rappel-deja",
        "not asked" => "messagerie-erreur-accuse-non-demande",
        "already reviewed" => "signalement-erreur-deja-examine",
        "oneself" => "messagerie-erreur-soi-meme",
        _ => "erreur-conflit",
    }
}

/// The form field a messaging refusal is about, if any.
pub fn messaging_field(e: &MessagingError) -> Option<&'static str> {
    match e {
        MessagingError::Invalid { field, .. } => Some(field),
        MessagingError::QuotaExceeded { .. } | MessagingError::AttachmentsTooLarge { .. } => {
            Some("pieces_jointes")
        }
        _ => None,
    }
}

/// 403 for recipients the rules forbid and a suspension, 429 for the hourly limits, 409 for a
/// frozen thread and conflicts, 422 for a field (the attachments' cap and quota included).
impl Problem for MessagingError {
    fn status(&self) -> StatusCode {
        match self {
            MessagingError::NotFound => StatusCode::NOT_FOUND,
            MessagingError::NotAllowed(_) | MessagingError::Suspended => StatusCode::FORBIDDEN,
            MessagingError::Invalid { .. }
            | MessagingError::QuotaExceeded { .. }
            | MessagingError::AttachmentsTooLarge { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            MessagingError::RateLimited(_) | MessagingError::DraftRateLimited(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            MessagingError::Frozen | MessagingError::Conflict(_) => StatusCode::CONFLICT,
            MessagingError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            MessagingError::NotFound => "not_found",
            MessagingError::NotAllowed(_) => "forbidden",
            MessagingError::Invalid { .. }
            | MessagingError::QuotaExceeded { .. }
            | MessagingError::AttachmentsTooLarge { .. } => "invalid",
            MessagingError::RateLimited(_) | MessagingError::DraftRateLimited(_) => "rate_limited",
            MessagingError::Suspended => "suspended",
            MessagingError::Frozen => "frozen",
            MessagingError::Conflict(_) => "conflict",
            MessagingError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        use crate::http::messaging::human_size;
        match self {
            MessagingError::NotFound => t.msg("erreur-introuvable"),
            MessagingError::NotAllowed(names) => {
                t.msg1("messagerie-erreur-non-autorise", "noms", &names.join(", "))
            }
            MessagingError::Invalid { key, .. } => t.msg(key),
            MessagingError::RateLimited(secs) => t.count(
                "messagerie-erreur-limite",
                "minutes",
                secs.div_ceil(60).max(1),
            ),
            MessagingError::DraftRateLimited(secs) => t.count(
                "messagerie-erreur-limite-brouillons",
                "minutes",
                secs.div_ceil(60).max(1),
            ),
            MessagingError::QuotaExceeded {
                used,
                quota,
                needed,
            } => {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("utilise", human_size(t, *used));
                args.set("quota", human_size(t, *quota));
                args.set("taille", human_size(t, *needed));
                args.set("reste", human_size(t, quota.saturating_sub(*used)));
                t.args("messagerie-erreur-quota", &args)
            }
            MessagingError::AttachmentsTooLarge { total, max } => {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("taille", human_size(t, *total));
                args.set("max", human_size(t, *max));
                t.args("messagerie-erreur-pieces-trop-grosses", &args)
            }
            MessagingError::Suspended => t.msg("messagerie-erreur-suspendue"),
            MessagingError::Frozen => t.msg("messagerie-erreur-gele"),
            MessagingError::Conflict(reason) => t.msg(conflict_key(reason)),
            MessagingError::Store(_) => internal(t),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        messaging_field(self)
            .map(|field| vec![(field.to_owned(), self.detail(t))])
            .unwrap_or_default()
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            MessagingError::RateLimited(secs) | MessagingError::DraftRateLimited(secs) => {
                Some(*secs)
            }
            _ => None,
        }
    }
}

impl From<MessagingError> for Error {
    fn from(e: MessagingError) -> Self {
        match e {
            MessagingError::NotFound => Error::NotFound,
            MessagingError::NotAllowed(_) => Error::Forbidden,
            MessagingError::Invalid { field, key } => {
                Error::Invalid(vec![(field.to_owned(), key.to_owned())])
            }
            MessagingError::RateLimited(secs) | MessagingError::DraftRateLimited(secs) => {
                Error::RateLimited(secs)
            }
            MessagingError::QuotaExceeded { .. } => Error::Invalid(vec![(
                "pieces_jointes".to_owned(),
                "messagerie-erreur-quota".to_owned(),
            )]),
            MessagingError::AttachmentsTooLarge { .. } => Error::Invalid(vec![(
                "pieces_jointes".to_owned(),
                "messagerie-erreur-pieces-trop-grosses".to_owned(),
            )]),
            MessagingError::Suspended | MessagingError::Frozen => Error::Forbidden,
            MessagingError::Conflict(_) => Error::Conflict,
            MessagingError::Store(e) => Error::Store(e),
        }
    }
}

/// The compose form's files that were not all kept: 422, said beside the attachments.
impl Problem for UploadError {
    fn status(&self) -> StatusCode {
        StatusCode::UNPROCESSABLE_ENTITY
    }

    fn code(&self) -> &'static str {
        "invalid"
    }

    fn detail(&self, t: &Tr) -> String {
        use crate::http::messaging::human_size;
        match self {
            UploadError::TooLarge(names, mib) if names.len() == 1 => {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("nom", names[0].clone());
                args.set("taille", *mib);
                t.args("messagerie-erreur-fichier-trop-gros", &args)
            }
            // Several files refused, the others kept: each refused one named.
            UploadError::TooLarge(names, mib) => t.text(
                &crate::i18n::Text::new("messagerie-erreur-fichiers-trop-gros")
                    .quoted("noms", names.clone())
                    .num("taille", usize::try_from(*mib).unwrap_or(usize::MAX)),
            ),
            UploadError::TooMany => t.count(
                "messagerie-erreur-trop-de-fichiers",
                "nombre",
                MAX_FILES as u64,
            ),
            UploadError::OverQuota(room) => t.msg1(
                "messagerie-erreur-espace-insuffisant",
                "reste",
                &human_size(t, *room),
            ),
            UploadError::OverTotal(max) => t.msg1(
                "messagerie-erreur-pieces-total",
                "max",
                &human_size(t, *max),
            ),
            UploadError::Failed => t.msg("messagerie-erreur-envoi-fichier"),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        vec![("pieces_jointes".to_owned(), self.detail(t))]
    }
}
