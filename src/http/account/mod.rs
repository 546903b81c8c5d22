//! The pages of one's own account: activation, recovery, sign-in, sessions, password.

pub mod activation;
pub mod password;
pub mod recovery;
pub mod sessions;
pub mod signin;
