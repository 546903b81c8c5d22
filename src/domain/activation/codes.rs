//! One-time activation codes: printed on a credential letter, or shown once to an administrator
//! who resets a password. A code lets its holder choose a password once, before it expires.
//!
//! Stored as a salted BLAKE3 hash, not Argon2id: a code is 12 random characters of a 31-letter
//! alphabet (≈ 59 bits), so a stolen store gives no practical way back to it, while a whole
//! establishment's letters (1,500 codes in one transaction) must not cost 1,500 Argon2id hashes.
//! Guessing online is limited by the sign-in throttle, like passwords.

use jiff::{SignedDuration, Timestamp};

pub use crate::model::accounts::{CodeReason, StoredCode};
use crate::model::directory::PersonId;
use crate::store::tables::ACTIVATION_CODES;
use crate::store::{ReadTx, StoreError, Tx};

/// The alphabet of one-time codes: no 0/O, 1/I/L to confuse when read aloud or copied by hand.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// The length of a one-time code: 12 characters of 31 ≈ 59 bits, ample behind the sign-in
/// throttle.
pub const CODE_LENGTH: usize = 12;

/// A one-time code, to show or print once; its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(pub String);

impl std::fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OneTimeCode(…)")
    }
}

impl OneTimeCode {
    /// A fresh code from the system's randomness (rejection sampling: no bias).
    pub fn generate() -> Result<OneTimeCode, StoreError> {
        let n = CODE_ALPHABET.len();
        // The largest multiple of n that fits in a byte: bytes at or above it are drawn again.
        let limit = 256 - 256 % n;
        let mut code = String::with_capacity(CODE_LENGTH);
        while code.len() < CODE_LENGTH {
            let mut bytes = [0u8; 32];
            getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
            for b in bytes {
                let b = usize::from(b);
                if b < limit && code.len() < CODE_LENGTH {
                    code.push(char::from(CODE_ALPHABET[b % n]));
                }
            }
        }
        Ok(OneTimeCode(code))
    }

    /// The code in groups of four, as printed: `ABCD-EFGH-JKLM`.
    pub fn grouped(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    }

    /// Its stored form, valid for `lifetime` from `now`.
    pub fn stored(
        &self,
        now: Timestamp,
        lifetime: std::time::Duration,
        reason: CodeReason,
    ) -> Result<StoredCode, StoreError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| StoreError::Random(e.to_string()))?;
        let lifetime = SignedDuration::try_from(lifetime)
            .map_err(|e| StoreError::Diverged(format!("code lifetime: {e}")))?;
        let expires_at = now
            .checked_add(lifetime)
            .map_err(|e| StoreError::Diverged(format!("code expiry: {e}")))?;
        Ok(StoredCode {
            salt,
            hash: digest(&salt, &self.0),
            issued_at: now,
            expires_at,
            reason,
        })
    }
}

fn digest(salt: &[u8; 16], code: &str) -> [u8; 32] {
    let mut h = blake3::Hasher::new_derive_key("cartable activation code v1");
    h.update(salt);
    h.update(code.as_bytes());
    *h.finalize().as_bytes()
}

/// What a typed code becomes before comparing: upper case, without the spaces, dashes and dots
/// people type between the groups. `None` if it cannot be a code (wrong length or letters), so
/// that a password typed on the sign-in page is not mistaken for one.
pub fn normalize(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '\u{a0}'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// How a typed code compares with the stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// It is the code, and it has not expired.
    Valid,
    /// It is the code, but too late.
    Expired,
    /// It is not the code.
    Wrong,
}

/// Stores a fresh code for `person` (replacing any earlier one) and returns it.
pub fn issue_in(
    tx: &mut Tx,
    person: PersonId,
    now: Timestamp,
    lifetime: std::time::Duration,
    reason: CodeReason,
) -> Result<OneTimeCode, StoreError> {
    let code = OneTimeCode::generate()?;
    tx.insert(
        &ACTIVATION_CODES,
        &person,
        &code.stored(now, lifetime, reason)?,
    )?;
    Ok(code)
}

/// The person's current code, if any.
pub fn current(read: &ReadTx, person: PersonId) -> Result<Option<StoredCode>, StoreError> {
    read.get(&ACTIVATION_CODES, &person)
}

impl StoredCode {
    /// Compares `typed` (normalized or not) with this code at `now`, in constant time.
    pub fn check(&self, typed: &str, now: Timestamp) -> CodeCheck {
        let Some(code) = normalize(typed) else {
            return CodeCheck::Wrong;
        };
        let typed = blake3::Hash::from(digest(&self.salt, &code));
        if typed != blake3::Hash::from(self.hash) {
            CodeCheck::Wrong
        } else if now >= self.expires_at {
            CodeCheck::Expired
        } else {
            CodeCheck::Valid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + s).unwrap()
    }

    #[test]
    fn codes_are_long_enough_and_from_the_alphabet() {
        let a = OneTimeCode::generate().unwrap();
        let b = OneTimeCode::generate().unwrap();
        assert_eq!(a.0.len(), CODE_LENGTH);
        const { assert!(CODE_LENGTH >= 10) };
        assert!(a.0.bytes().all(|c| CODE_ALPHABET.contains(&c)));
        assert_ne!(a, b);
        assert_eq!(a.grouped().len(), 14);
        assert_eq!(format!("{a:?}"), "OneTimeCode(…)");
    }

    #[test]
    fn typed_codes_are_forgiving_about_case_and_separators_only() {
        assert_eq!(normalize("abcd-efgh jkmn").as_deref(), Some("ABCDEFGHJKMN"));
        assert_eq!(normalize("ABCDEFGHJKM"), None, "too short");
        assert_eq!(normalize("ABCDEFGHJKM0"), None, "0 is not in the alphabet");
        assert_eq!(normalize("mot de passe!"), None);
        assert_eq!(normalize(""), None);
    }

    #[test]
    fn a_code_matches_itself_until_it_expires_and_nothing_else() {
        let code = OneTimeCode::generate().unwrap();
        let stored = code
            .stored(
                at(0),
                std::time::Duration::from_secs(60),
                CodeReason::Letter,
            )
            .unwrap();
        assert_eq!(stored.check(&code.0, at(10)), CodeCheck::Valid);
        assert_eq!(
            stored.check(&code.grouped().to_lowercase(), at(10)),
            CodeCheck::Valid
        );
        assert_eq!(stored.check(&code.0, at(60)), CodeCheck::Expired);
        let other = OneTimeCode::generate().unwrap();
        assert_eq!(stored.check(&other.0, at(10)), CodeCheck::Wrong);
        assert!(!format!("{stored:?}").contains(&code.0));
    }
}
