//! Passwords: Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), kept in each
//! PHC hash string so they can be raised later without invalidating stored hashes; a policy that
//! follows ANSSI/NIST guidance (length over composition, no login, no common password).
//!
//! Hashing costs ≈ 30 ms of one core and 19 MiB: callers run it on the blocking pool behind
//! [`HashLimiter`], so a flood of sign-ins queues instead of exhausting memory.

use std::sync::Arc;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

/// Argon2id parameters for new hashes: memory in KiB, passes, lanes (OWASP minimum).
pub const PARAMS: (u32, u32, u32) = (19 * 1024, 2, 1);

/// Shortest password accepted (ANSSI recommends length over composition).
pub const MIN_LENGTH: usize = 12;

/// Longest password accepted (Argon2 does not need a limit; memory and abuse do).
pub const MAX_LENGTH: usize = 256;

fn argon2() -> Argon2<'static> {
    let (m, t, p) = PARAMS;
    let params = Params::new(m, t, p, None).unwrap_or(Params::DEFAULT);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashing failed (randomness unavailable).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash(password: &str) -> Result<String, HashError> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches `phc` (with the parameters stored in `phc`). A malformed hash is
/// a mismatch, never a panic.
pub fn verify(password: &str, phc: &str) -> bool {
    argon2().verify_password(password.as_bytes(), phc).is_ok()
}

/// Bounds how many hashes run at once (memory: 19 MiB each).
#[derive(Debug, Clone)]
pub struct HashLimiter(Arc<Semaphore>);

impl HashLimiter {
    /// At most `n` concurrent hashes.
    pub fn new(n: usize) -> HashLimiter {
        HashLimiter(Arc::new(Semaphore::new(n.max(1))))
    }

    /// Verifies on the blocking pool, waiting for a slot first.
    pub async fn verify(&self, password: String, phc: String) -> bool {
        let Ok(_permit) = self.0.acquire().await else {
            return false;
        };
        tokio::task::spawn_blocking(move || verify(&password, &phc))
            .await
            .unwrap_or(false)
    }

    /// Hashes on the blocking pool, waiting for a slot first.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let _permit = self
            .0
            .acquire()
            .await
            .map_err(|e| HashError(e.to_string()))?;
        tokio::task::spawn_blocking(move || hash(&password))
            .await
            .map_err(|e| HashError(e.to_string()))?
    }
}

/// Why a new password is refused (each with a French message key in `assets/i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyViolation {
    /// Fewer than [`MIN_LENGTH`] characters.
    TooShort,
    /// More than [`MAX_LENGTH`] characters.
    TooLong,
    /// Contains the login or the person's names.
    ContainsIdentity,
    /// A well-known password, or one character repeated, or a simple sequence.
    TooCommon,
}

impl PolicyViolation {
    /// The translation key of the message.
    pub fn message_key(self) -> &'static str {
        match self {
            PolicyViolation::TooShort => "mdp-trop-court",
            PolicyViolation::TooLong => "mdp-trop-long",
            PolicyViolation::ContainsIdentity => "mdp-contient-identite",
            PolicyViolation::TooCommon => "mdp-trop-courant",
        }
    }
}

/// Passwords (folded) that are refused whatever their length: the most common ones in French
/// and English leaks, and school words.
const COMMON: &[&str] = &[
    "123456789012",
    "azertyuiop",
    "azertyuiopqs",
    "qwertyuiop",
    "motdepasse",
    "motdepasse123",
    "password",
    "password1234",
    "passwordpassword",
    "iloveyou",
    "jetaime",
    "soleil",
    "doudou",
    "chouchou",
    "marseille",
    "football",
    "cartable",
    "college",
    "lycee",
    "ecole",
    "bonjour",
    "changeme",
    "administrateur",
    "abcdefghijkl",
    "000000000000",
    "111111111111",
    "demo-cartable-2026",
];

/// Checks a new password against the policy. `identity` holds the login and names.
pub fn check_policy(password: &str, identity: &[&str]) -> Result<(), PolicyViolation> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PolicyViolation::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PolicyViolation::TooLong);
    }
    let folded = crate::domain::text::fold(password);
    for part in identity {
        let part = crate::domain::text::fold(part);
        // Login pieces ("lea", "martin") of 3 letters or more.
        for piece in part.split(['.', '-', ' ']).filter(|p| p.len() >= 3) {
            if folded.contains(piece) {
                return Err(PolicyViolation::ContainsIdentity);
            }
        }
    }
    let compact: String = folded
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    if COMMON.iter().any(|c| compact == *c || folded.trim() == *c) {
        return Err(PolicyViolation::TooCommon);
    }
    let chars: Vec<char> = folded.chars().collect();
    let distinct = {
        let mut c = chars.clone();
        c.sort_unstable();
        c.dedup();
        c.len()
    };
    let sequential = chars
        .windows(2)
        .all(|w| (w[1] as i64 - w[0] as i64).abs() == 1);
    if distinct <= 3 || sequential {
        return Err(PolicyViolation::TooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify_with_parameters_in_the_hash() {
        let h = hash("une phrase de passe assez longue").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("une phrase de passe assez longue", &h));
        assert!(!verify("une phrase de passe assez longuE", &h));
        assert!(!verify("x", "not a hash"));
        // A hash made with other parameters still verifies (they are read from the hash).
        let weaker = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        )
        .hash_password(b"ancien mot de passe")
        .unwrap()
        .to_string();
        assert!(verify("ancien mot de passe", &weaker));
    }

    #[test]
    fn policy_prefers_length_and_refuses_identity_and_common_passwords() {
        let who = ["lea.martin", "Léa", "Martin"];
        assert_eq!(check_policy("court", &who), Err(PolicyViolation::TooShort));
        assert_eq!(
            check_policy(&"x".repeat(300), &who),
            Err(PolicyViolation::TooLong)
        );
        assert_eq!(
            check_policy("MartinMartin2026", &who),
            Err(PolicyViolation::ContainsIdentity)
        );
        assert_eq!(
            check_policy("lea.martin.2026!", &who),
            Err(PolicyViolation::ContainsIdentity)
        );
        assert_eq!(
            check_policy("azertyuiop", &who),
            Err(PolicyViolation::TooShort)
        );
        assert_eq!(
            check_policy("motdepasse123", &who),
            Err(PolicyViolation::TooCommon)
        );
        assert_eq!(
            check_policy("aaaaaaaaaaaaaa", &who),
            Err(PolicyViolation::TooCommon)
        );
        assert_eq!(
            check_policy("abcdefghijklm", &who),
            Err(PolicyViolation::TooCommon)
        );
        assert_eq!(
            check_policy("demo-cartable-2026", &who),
            Err(PolicyViolation::TooCommon)
        );
        // Long and plain is fine: no composition rules.
        assert_eq!(check_policy("le chat dort sur le radiateur", &who), Ok(()));
        assert_eq!(check_policy("Éléphant rose à vélo", &who), Ok(()));
    }
}
