//! Where a request comes from: what the audit journal, the sessions list and the throttles
//! record beside an action.

/// Who and where a request comes from: its source address and its user agent. The HTTP layer
/// extracts it (`http/extract.rs`); the domain only records and compares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The source address (the peer's IP, as the connection gives it; `inconnue` when the
    /// connection does not say).
    pub ip: String,
    /// The user agent (`User-Agent`, empty when absent).
    pub user_agent: String,
}
