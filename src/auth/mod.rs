//! Who is asking: the [`Actor`], passwords, sessions, CSRF, throttling. The domain layer decides
//! every permission with the `Actor`; the HTTP layer only builds it.

pub mod actor;
pub mod password;

pub use actor::Actor;
