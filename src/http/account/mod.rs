//! The pages of one's own account: activation, recovery, sign-in, sessions, password.

use axum::response::Response;

use crate::http::problem::{Problem, form_again};

pub mod activation;
pub mod password;
pub mod recovery;
pub mod sessions;
pub mod signin;

/// A required field of an account form left empty; the translation key says what to fill in.
#[derive(Debug, thiserror::Error)]
#[error("required field left empty ({0})")]
pub struct MissingField(pub &'static str);

/// A form page as answered: as it is, or shown again after `refusal` (with the refusal's
/// status and `Retry-After`, `problem::form_again`).
pub(crate) fn answer(refusal: Option<&dyn Problem>, page: Response) -> Response {
    match refusal {
        Some(e) => form_again(e, page),
        None => page,
    }
}
