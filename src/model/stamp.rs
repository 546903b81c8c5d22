//! Timestamps stored as integers: a field marked `#[serde(with = "crate::model::stamp")]` is
//! written as its nanoseconds since the Unix epoch (an `i128`, a postcard varint of nine bytes
//! today) instead of the RFC 3339 text of jiff's own serde, which every read had to parse
//! (docs/PERFORMANCE.md, "Documents list"). Lossless: every nanosecond is kept.

use jiff::Timestamp;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serializer};

/// Writes a timestamp as its nanoseconds since the epoch.
pub fn serialize<S: Serializer>(at: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_i128(at.as_nanosecond())
}

/// Reads a timestamp written by [`serialize`].
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
    let nanos = i128::deserialize(d)?;
    Timestamp::from_nanosecond(nanos).map_err(D::Error::custom)
}
