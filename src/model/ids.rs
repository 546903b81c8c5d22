//! Typed ids: every stored object's id is a `u64` newtype with its own sequence (DESIGN.md §2).
//! The store allocates them (`Tx::next_id`) and encodes them as keys (a blanket `KeyCodec`).

/// A kind of stored object with its own id sequence (see `id_counters_v1`).
pub trait IdKind: Copy {
    /// Name of the sequence in `id_counters_v1`.
    const KIND: &'static str;
    /// Wraps a raw id.
    fn from_raw(raw: u64) -> Self;
    /// The raw id.
    fn raw(self) -> u64;
}

/// Declares a typed id: a `u64` newtype with its own sequence, usable as a key.
#[macro_export]
macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub struct $name(pub u64);

        impl $crate::model::IdKind for $name {
            const KIND: &'static str = $kind;
            fn from_raw(raw: u64) -> Self {
                $name(raw)
            }
            fn raw(self) -> u64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}
