//! Who is asking: the [`Actor`], passwords, sessions, CSRF, throttling. The domain layer decides
//! every permission with the `Actor`; the HTTP layer only builds it.

pub mod accounts;
pub mod activation;
pub mod actor;
pub mod audit;
pub mod password;
pub mod recovery;
pub mod session;
pub mod signin;
pub mod throttle;

pub use actor::Actor;
