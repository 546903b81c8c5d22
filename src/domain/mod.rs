//! The rules of Cartable, one folder per domain: functions of `(&Store, &Actor, input)` that
//! open their own short transaction and decide every permission (DESIGN.md §4). No axum, askama
//! or HTTP types here. The domains (directory, messaging, documents…) arrive with their issues.

pub mod accounts;
pub mod activation;
pub mod admin;
pub mod audience;
pub mod directory;
pub mod documents;
pub mod import;
pub mod messaging;
pub mod notifications;
pub mod once;
pub mod paths;
pub mod portal;
pub mod text;
