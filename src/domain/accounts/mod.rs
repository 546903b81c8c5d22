//! Who is asking: the [`Actor`], passwords, sessions, CSRF, throttling. The domain layer decides
//! every permission with the `Actor`; the HTTP layer only builds it.

pub mod activation;
pub mod audit;
pub mod changes;
pub mod password;
pub mod recovery;
pub mod session;
pub mod signin;
pub mod throttle;

pub use crate::model::Actor;
