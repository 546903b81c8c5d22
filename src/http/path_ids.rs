//! Typed ids from the URL path: `/messages/{id}` gives an [`Id<MessageId>`], `/x/{a}/y/{b}`
//! an [`Ids<A, B>`]. Anything that is not a positive decimal number answers 404, exactly like
//! an id that does not exist (the page in the user's language, or the API's error), never
//! axum's English "cannot parse" 400.
//!
//! A segment that is a code holding an id (a documents space `classe-7`, a messaging folder
//! `reception` or `12`) or a number that is not an id (an attachment's index) is read the same
//! way through its [`Segment`] implementation, next to its type's feature.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use crate::error::Error;
use crate::model::IdKind;
use crate::state::AppState;

/// What one path segment reads as: every typed id (by [`parse_id`]), and the codes and
/// numbers of the features (`impl Segment for Space` in `http/documents/`…). `None` is 404.
pub trait Segment: Sized {
    /// The value of a segment, if it is one.
    fn from_segment(text: &str) -> Option<Self>;
}

impl<T: IdKind> Segment for T {
    fn from_segment(text: &str) -> Option<Self> {
        parse_id(text).map(T::from_raw)
    }
}

/// One typed id from the path.
#[derive(Debug, Clone, Copy)]
pub struct Id<T>(pub T);

/// Two typed ids from the path, in the order of the route.
#[derive(Debug, Clone, Copy)]
pub struct Ids<A, B>(pub A, pub B);

/// A positive decimal number of at most 20 digits, with nothing else (no sign, no space).
pub fn parse_id(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u64>().ok().filter(|n| *n > 0)
}

/// The "not found" answer: the API's problem under `/api/`, else the page, both written by
/// the error map's `render` layer (which knows the language and the signed-in header).
async fn not_found(_: &mut Parts, _: &AppState) -> Response {
    Error::NotFound.into_response()
}

impl<T: Segment + Send> FromRequestParts<AppState> for Id<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(raw)) => match T::from_segment(&raw) {
                Some(v) => Ok(Id(v)),
                None => Err(not_found(parts, state).await),
            },
            Err(_) => Err(not_found(parts, state).await),
        }
    }
}

impl<A: Segment + Send, B: Segment + Send> FromRequestParts<AppState> for Ids<A, B> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match Path::<(String, String)>::from_request_parts(parts, state).await {
            Ok(Path((a, b))) => match (A::from_segment(&a), B::from_segment(&b)) {
                (Some(a), Some(b)) => Ok(Ids(a, b)),
                _ => Err(not_found(parts, state).await),
            },
            Err(_) => Err(not_found(parts, state).await),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_id;

    #[test]
    fn only_plain_positive_numbers_are_ids() {
        assert_eq!(parse_id("1"), Some(1));
        assert_eq!(parse_id("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "0",
            "+5",
            "-5",
            " 5",
            "5 ",
            "5a",
            "0x10",
            "18446744073709551616",
            "١٢",
            "999999999999999999999",
        ] {
            assert_eq!(parse_id(bad), None, "{bad:?}");
        }
    }
}
