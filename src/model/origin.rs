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

/// A form's one-time key (issue 14 §6): 16 random bytes, written as 32 lowercase hex digits in
/// a hidden field of every form that creates something (or sent as an `Idempotency-Key`
/// header). The write it guards records it as the change log entry's `origin`, and its result
/// under it (`store::tables::FORM_KEYS`), so that the same form posted twice creates one thing
/// (`domain::once`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FormKey(pub [u8; 16]);

impl FormKey {
    /// The key of a hidden field or header: 32 hex digits, or the same in the layout of a UUID
    /// (`8-4-4-4-12`, as many API clients make them). Anything else is no key.
    pub fn parse(raw: &str) -> Option<FormKey> {
        let raw = raw.trim();
        let digits: String = if raw.len() == 36
            && raw
                .char_indices()
                .all(|(i, c)| (c == '-') == matches!(i, 8 | 13 | 18 | 23))
        {
            raw.chars().filter(|c| *c != '-').collect()
        } else {
            raw.to_owned()
        };
        if digits.len() != 32 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut key = [0u8; 16];
        hex::decode_to_slice(digits.to_ascii_lowercase(), &mut key).ok()?;
        Some(FormKey(key))
    }
}

impl std::fmt::Display for FormKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

/// What a form's one-time key produced, kept a day (`store::tables::FORM_KEYS`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FormOutcome {
    /// When the write it guarded was committed.
    pub at: jiff::Timestamp,
    /// BLAKE3 of what the form said: a second submission that says something else is not a
    /// repeat (a form changed after "Back" and posted again).
    pub fingerprint: [u8; 32],
    /// The result given back to a second submission, encoded by the domain (postcard).
    pub result: Vec<u8>,
}

#[cfg(test)]
mod tests {
    use super::FormKey;

    #[test]
    fn form_keys_have_one_shape() {
        let key = FormKey::parse("00112233445566778899aabbccddeeff").unwrap();
        assert_eq!(key.to_string(), "00112233445566778899aabbccddeeff");
        assert_eq!(
            FormKey::parse("00112233-4455-6677-8899-AABBCCDDEEFF"),
            Some(key)
        );
        for bad in [
            "",
            "0011",
            "00112233445566778899aabbccddeefg",
            "00112233445566778899aabbccddeeff00",
            "0011223-34455-6677-8899-aabbccddeeff",
            "ééééééééééééééééééééééééééééééé",
        ] {
            assert_eq!(FormKey::parse(bad), None, "{bad}");
        }
    }
}
