//! The ground floor: typed ids, the stored record of every table, domain events, the
//! [`Actor`] and the [`Origin`] of a request. Plain data with its own small invariants; it
//! imports nothing of the layers above (not even `store`: the store implements key encoding
//! for these types in `store/keys.rs`).

pub mod accounts;
pub mod actor;
pub mod audit;
pub mod blobs;
pub mod directory;
pub mod documents;
pub mod events;
pub mod ids;
pub mod import;
pub mod mail;
pub mod messaging;
pub mod notifications;
pub mod origin;
pub mod search;
pub mod stamp;

pub use actor::Actor;
pub use ids::IdKind;
pub use origin::Origin;
