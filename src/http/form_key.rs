//! The forms' one-time keys on the HTTP side (`domain::once`): a fresh key for each form shown
//! (the hidden field [`crate::domain::once::FIELD`]), and the `Idempotency-Key` header of the
//! JSON API, which plays the same part for programs.

use axum::http::HeaderMap;

use crate::model::origin::FormKey;

/// The request header that carries a key on the JSON API.
pub const HEADER: &str = "idempotency-key";

/// A new key for a form about to be shown (empty if none could be made: the form then works
/// without, as an old one would).
pub fn fresh() -> String {
    crate::domain::once::new_key()
        .map(|k| k.to_string())
        .unwrap_or_default()
}

/// The key sent back by a form shown again: the same if it has the right shape, else a new one.
pub fn again(sent: &str) -> String {
    FormKey::parse(sent).map_or_else(fresh, |k| k.to_string())
}

/// An `Idempotency-Key` header that is not a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedKey;

/// The `Idempotency-Key` of an API request: `Ok(None)` without one, [`MalformedKey`] when it is
/// not a key (32 hex digits, or a UUID).
pub fn from_headers(headers: &HeaderMap) -> Result<Option<String>, MalformedKey> {
    let Some(value) = headers.get(HEADER) else {
        return Ok(None);
    };
    let raw = value.to_str().map_err(|_| MalformedKey)?;
    FormKey::parse(raw)
        .map(|k| Some(k.to_string()))
        .ok_or(MalformedKey)
}
