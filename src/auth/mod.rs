//! Who is asking: the `Actor` extractor, sessions, CSRF, throttling. Filled by the accounts
//! issue; for now it only states the rule that every object check lives in the domain layer.
