//! One's own account (signing in, activation, recovery, password change, notification
//! preferences), search and the health probe: the status, code, text, fields and `Retry-After`
//! of each of their refusals.

use axum::http::StatusCode;

use super::{Problem, internal};
use crate::domain::accounts::activation::ActivationError;
use crate::domain::accounts::changes::ChangePasswordError;
use crate::domain::accounts::recovery::RecoveryError;
use crate::domain::accounts::signin::SignInError;
use crate::domain::notifications::PrefsError;
use crate::http::account::MissingField;
use crate::http::account::signin::SignInRefusal;
use crate::http::extract::Tr;
use crate::http::health::StoreUnreadable;
use crate::http::search::SearchRefusal;

// ---------------------------------------------------------------------------------------------
// Signing in.
// ---------------------------------------------------------------------------------------------

/// 401 for wrong credentials (never which one), 403 for an account disabled or not activated,
/// 429 while throttled.
impl Problem for SignInError {
    fn status(&self) -> StatusCode {
        match self {
            SignInError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            SignInError::WrongCredentials => StatusCode::UNAUTHORIZED,
            SignInError::Disabled | SignInError::Pending => StatusCode::FORBIDDEN,
            SignInError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            SignInError::Throttled(_) => "rate_limited",
            SignInError::WrongCredentials => "wrong_credentials",
            SignInError::Disabled => "account_disabled",
            SignInError::Pending => "account_pending",
            SignInError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            SignInError::Throttled(secs) => t.count("erreur-trop-de-tentatives", "secondes", *secs),
            SignInError::WrongCredentials => t.msg("connexion-erreur-identifiants"),
            SignInError::Disabled => t.msg("connexion-erreur-desactive"),
            SignInError::Pending => t.msg("connexion-erreur-en-attente"),
            SignInError::Store(_) => internal(t),
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            SignInError::Throttled(secs) => Some(*secs),
            _ => None,
        }
    }
}

/// The sign-in page shown again: 422 for wrong credentials (the form is there to correct
/// them), 403 for an account disabled or not activated, 429 while throttled.
impl Problem for SignInRefusal {
    fn status(&self) -> StatusCode {
        match self {
            SignInRefusal::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            SignInRefusal::WrongCredentials | SignInRefusal::CodeExpired => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            SignInRefusal::Disabled | SignInRefusal::Pending => StatusCode::FORBIDDEN,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            SignInRefusal::Throttled(_) => "rate_limited",
            SignInRefusal::WrongCredentials => "wrong_credentials",
            SignInRefusal::CodeExpired => "code_expired",
            SignInRefusal::Disabled => "account_disabled",
            SignInRefusal::Pending => "account_pending",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            SignInRefusal::Throttled(secs) => t.count("connexion-erreur-bloque", "secondes", *secs),
            SignInRefusal::WrongCredentials => t.msg("connexion-erreur-identifiants"),
            SignInRefusal::CodeExpired => t.msg("activation-erreur-expire"),
            SignInRefusal::Disabled => t.msg("connexion-erreur-desactive"),
            SignInRefusal::Pending => t.msg("connexion-erreur-en-attente"),
        }
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            SignInRefusal::Throttled(secs) => Some(*secs),
            _ => None,
        }
    }
}

/// 422: a required field of an account form left empty.
impl Problem for MissingField {
    fn status(&self) -> StatusCode {
        StatusCode::UNPROCESSABLE_ENTITY
    }

    fn code(&self) -> &'static str {
        "invalid"
    }

    fn detail(&self, t: &Tr) -> String {
        t.msg(self.0)
    }
}

// ---------------------------------------------------------------------------------------------
// Activation, recovery, password change.
// ---------------------------------------------------------------------------------------------

/// The activation steps: 429 while throttled (`Retry-After` at least a second), 422 for a
/// wrong or expired code, a refused password or an unticked charter, 403 for a disabled
/// account, 409 for a charter changed while read, 410 for a ticket gone.
impl Problem for ActivationError {
    fn status(&self) -> StatusCode {
        match self {
            ActivationError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ActivationError::Wrong
            | ActivationError::Expired
            | ActivationError::Mismatch
            | ActivationError::Policy(_)
            | ActivationError::CharterNotAccepted => StatusCode::UNPROCESSABLE_ENTITY,
            ActivationError::Disabled => StatusCode::FORBIDDEN,
            ActivationError::TicketGone => StatusCode::GONE,
            ActivationError::CharterChanged => StatusCode::CONFLICT,
            ActivationError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ActivationError::Throttled(_) => "rate_limited",
            ActivationError::Wrong => "wrong_code",
            ActivationError::Expired => "code_expired",
            ActivationError::Disabled => "account_disabled",
            ActivationError::TicketGone => "ticket_gone",
            ActivationError::Mismatch => "password_mismatch",
            ActivationError::Policy(_) => "password_policy",
            ActivationError::CharterNotAccepted => "charter_not_accepted",
            ActivationError::CharterChanged => "charter_changed",
            ActivationError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            ActivationError::Throttled(secs) => {
                t.count("connexion-erreur-bloque", "secondes", *secs)
            }
            ActivationError::Wrong => t.msg("activation-erreur-code"),
            ActivationError::Expired => t.msg("activation-erreur-expire"),
            ActivationError::Disabled => t.msg("connexion-erreur-desactive"),
            ActivationError::TicketGone => t.msg("activation-reprendre"),
            ActivationError::Mismatch => t.msg("mdp-differents"),
            ActivationError::Policy(v) => t.msg(v.message_key()),
            ActivationError::CharterNotAccepted => t.msg("charte-erreur-cocher"),
            ActivationError::CharterChanged => t.msg("charte-changee"),
            ActivationError::Store(_) => internal(t),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        let field = match self {
            ActivationError::Mismatch => "confirmation",
            ActivationError::Policy(_) => "nouveau",
            ActivationError::CharterNotAccepted => "accepte",
            _ => return Vec::new(),
        };
        vec![(field.to_owned(), self.detail(t))]
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            ActivationError::Throttled(secs) => Some((*secs).max(1)),
            _ => None,
        }
    }
}

/// Recovery by mail: 429 while throttled (`Retry-After` at least a second), 410 for a link
/// used, expired or unknown, 422 for a refused password.
impl Problem for RecoveryError {
    fn status(&self) -> StatusCode {
        match self {
            RecoveryError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            RecoveryError::Gone => StatusCode::GONE,
            RecoveryError::Mismatch | RecoveryError::Policy(_) => StatusCode::UNPROCESSABLE_ENTITY,
            RecoveryError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            RecoveryError::Throttled(_) => "rate_limited",
            RecoveryError::Gone => "link_gone",
            RecoveryError::Mismatch => "password_mismatch",
            RecoveryError::Policy(_) => "password_policy",
            RecoveryError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            RecoveryError::Throttled(secs) => t.count("connexion-erreur-bloque", "secondes", *secs),
            RecoveryError::Gone => t.msg("oubli-lien-perime"),
            RecoveryError::Mismatch => t.msg("mdp-differents"),
            RecoveryError::Policy(v) => t.msg(v.message_key()),
            RecoveryError::Store(_) => internal(t),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        let field = match self {
            RecoveryError::Mismatch => "confirmation",
            RecoveryError::Policy(_) => "nouveau",
            _ => return Vec::new(),
        };
        vec![(field.to_owned(), self.detail(t))]
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            RecoveryError::Throttled(secs) => Some((*secs).max(1)),
            _ => None,
        }
    }
}

/// Changing one's password: 429 while throttled, 422 for a wrong current password or a
/// refused new one (each beside its field).
impl Problem for ChangePasswordError {
    fn status(&self) -> StatusCode {
        match self {
            ChangePasswordError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            ChangePasswordError::WrongCurrent
            | ChangePasswordError::Mismatch
            | ChangePasswordError::Policy(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ChangePasswordError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ChangePasswordError::Throttled(_) => "rate_limited",
            ChangePasswordError::WrongCurrent => "wrong_password",
            ChangePasswordError::Mismatch => "password_mismatch",
            ChangePasswordError::Policy(_) => "password_policy",
            ChangePasswordError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            ChangePasswordError::Throttled(secs) => {
                t.count("connexion-erreur-bloque", "secondes", *secs)
            }
            ChangePasswordError::WrongCurrent => t.msg("mdp-actuel-faux"),
            ChangePasswordError::Mismatch => t.msg("mdp-differents"),
            ChangePasswordError::Policy(v) => t.msg(v.message_key()),
            ChangePasswordError::Store(_) => internal(t),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        let field = match self {
            ChangePasswordError::Throttled(_) | ChangePasswordError::WrongCurrent => "actuel",
            ChangePasswordError::Mismatch => "confirmation",
            ChangePasswordError::Policy(_) => "nouveau",
            ChangePasswordError::Store(_) => return Vec::new(),
        };
        vec![(field.to_owned(), self.detail(t))]
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            ChangePasswordError::Throttled(secs) => Some(*secs),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Notification preferences, search, health.
// ---------------------------------------------------------------------------------------------

/// 422 for quiet hours that make no sense, 403 for the report mail asked by someone who cannot
/// receive it.
impl Problem for PrefsError {
    fn status(&self) -> StatusCode {
        match self {
            PrefsError::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            PrefsError::NotAllowed => StatusCode::FORBIDDEN,
            PrefsError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            PrefsError::Invalid => "invalid",
            PrefsError::NotAllowed => "forbidden",
            PrefsError::Store(_) => "internal",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            PrefsError::Invalid => t.msg("notifications-erreur-heures"),
            PrefsError::NotAllowed => t.msg("notifications-signalements-reserve"),
            PrefsError::Store(_) => internal(t),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        match self {
            PrefsError::Invalid => vec![("calme".to_owned(), self.detail(t))],
            PrefsError::NotAllowed => vec![("signalements".to_owned(), self.detail(t))],
            PrefsError::Store(_) => Vec::new(),
        }
    }
}

/// The refusal of a search date that does not read, naming the field by its label and the
/// expected format (issue 14 §10).
fn date_text(t: &Tr, label_key: &str) -> String {
    t.msg1("recherche-date-illisible", "champ", &t.msg(label_key))
}

/// 422 for a date that does not read (or an end before the start), 503 while the index is
/// being built.
impl Problem for SearchRefusal {
    fn status(&self) -> StatusCode {
        match self {
            SearchRefusal::BadDates { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            SearchRefusal::NotReady => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            SearchRefusal::BadDates { .. } => "invalid",
            SearchRefusal::NotReady => "not_ready",
        }
    }

    fn detail(&self, t: &Tr) -> String {
        match self {
            SearchRefusal::BadDates { since: true, .. } => date_text(t, "recherche-depuis"),
            SearchRefusal::BadDates { until: true, .. } => date_text(t, "recherche-jusqua"),
            SearchRefusal::BadDates { .. } => t.msg("recherche-dates-inversees"),
            SearchRefusal::NotReady => t.msg("recherche-pas-prete"),
        }
    }

    fn field_errors(&self, t: &Tr) -> Vec<(String, String)> {
        match self {
            SearchRefusal::BadDates {
                since,
                until,
                reversed,
            } => {
                let mut out = Vec::new();
                if *since {
                    out.push(("depuis".to_owned(), date_text(t, "recherche-depuis")));
                }
                if *until {
                    out.push(("jusqua".to_owned(), date_text(t, "recherche-jusqua")));
                } else if *reversed {
                    out.push(("jusqua".to_owned(), t.msg("recherche-dates-inversees")));
                }
                out
            }
            SearchRefusal::NotReady => Vec::new(),
        }
    }
}

/// 503: the store cannot be read (the probe's own body says so).
impl Problem for StoreUnreadable {
    fn status(&self) -> StatusCode {
        StatusCode::SERVICE_UNAVAILABLE
    }

    fn code(&self) -> &'static str {
        "unavailable"
    }

    fn detail(&self, t: &Tr) -> String {
        internal(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::password::PolicyViolation;

    #[test]
    fn every_account_refusal_has_its_status_and_wait() {
        assert_eq!(
            SignInError::WrongCredentials.status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            SignInRefusal::WrongCredentials.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(SignInRefusal::Throttled(7).retry_after(), Some(7));
        assert_eq!(ActivationError::Throttled(0).retry_after(), Some(1));
        assert_eq!(
            ActivationError::CharterChanged.status(),
            StatusCode::CONFLICT
        );
        assert_eq!(RecoveryError::Gone.status(), StatusCode::GONE);
        assert_eq!(RecoveryError::Throttled(0).retry_after(), Some(1));
        assert_eq!(
            ChangePasswordError::Policy(PolicyViolation::TooShort).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            SearchRefusal::NotReady.status(),
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(StoreUnreadable.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            PrefsError::Invalid.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
