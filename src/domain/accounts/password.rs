//! Passwords: Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane), kept in each
//! PHC hash string so they can be raised later without invalidating stored hashes; a policy that
//! follows ANSSI/NIST guidance (length over composition, no login, no common password).
//!
//! Hashing costs ≈ 30 ms of one core and 19 MiB: requests hash through [`HashLimiter`], a fixed
//! pool of threads with reused memory, so a flood of sign-ins queues instead of exhausting memory.

use std::sync::Arc;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

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

enum Job {
    Verify {
        password: String,
        phc: String,
        reply: tokio::sync::oneshot::Sender<bool>,
    },
    Hash {
        password: String,
        reply: tokio::sync::oneshot::Sender<Result<String, HashError>>,
    },
}

/// A fixed pool of hashing threads, one per core, each reusing its own 19 MiB of Argon2 memory:
/// a flood of sign-ins waits in the queue instead of exhausting memory, and memory stays at
/// threads × 19 MiB (allocating and freeing 19 MiB per sign-in made the allocator keep hundreds
/// of MiB).
#[derive(Debug, Clone)]
pub struct HashLimiter {
    jobs: tokio::sync::mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Job::Verify { .. } => "Verify(…)",
            Job::Hash { .. } => "Hash(…)",
        })
    }
}

impl HashLimiter {
    /// A pool of `n` hashing threads (at least one).
    pub fn new(n: usize) -> HashLimiter {
        let (jobs, queue) = tokio::sync::mpsc::channel::<Job>(4096);
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..n.max(1) {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("cartable-argon2-{i}"))
                .spawn(move || worker(&queue));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        HashLimiter { jobs }
    }

    /// Verifies on a hashing thread, waiting for one to be free.
    pub async fn verify(&self, password: String, phc: String) -> bool {
        let (reply, answer) = tokio::sync::oneshot::channel();
        if self
            .jobs
            .send(Job::Verify {
                password,
                phc,
                reply,
            })
            .await
            .is_err()
        {
            return false;
        }
        answer.await.unwrap_or(false)
    }

    /// Hashes on a hashing thread, waiting for one to be free.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Job::Hash { password, reply })
            .await
            .map_err(|_| HashError("the hashing threads stopped".into()))?;
        answer
            .await
            .map_err(|_| HashError("the hashing thread failed".into()))?
    }
}

fn worker(queue: &std::sync::Mutex<tokio::sync::mpsc::Receiver<Job>>) {
    let mut memory: Vec<argon2::Block> = Vec::new();
    loop {
        let job = match queue.lock() {
            Ok(mut q) => q.blocking_recv(),
            Err(_) => None,
        };
        match job {
            None => return,
            Some(Job::Verify {
                password,
                phc,
                reply,
            }) => {
                let _ = reply.send(verify_reusing(&mut memory, &password, &phc));
            }
            Some(Job::Hash { password, reply }) => {
                let _ = reply.send(hash_reusing(&mut memory, &password));
            }
        }
    }
}

fn compute(
    memory: &mut Vec<argon2::Block>,
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    let blocks = params.block_count();
    if memory.len() != blocks {
        memory.clear();
        memory.resize(blocks, argon2::Block::default());
    }
    Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password,
        salt,
        out,
        &mut memory[..],
    )
}

/// [`verify`], computing in `memory` (reused from one call to the next).
fn verify_reusing(memory: &mut Vec<argon2::Block>, password: &str, phc: &str) -> bool {
    let Ok(parsed) = argon2::PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(algorithm), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm.as_str()),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or_default();
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if compute(
        memory,
        algorithm,
        version,
        params,
        password.as_bytes(),
        salt.as_ref(),
        &mut out,
    )
    .is_err()
    {
        return false;
    }
    let expected = expected.as_bytes();
    expected.len() == out.len()
        && expected
            .iter()
            .zip(&out)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// [`hash`], computing in `memory`.
fn hash_reusing(memory: &mut Vec<argon2::Block>, password: &str) -> Result<String, HashError> {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD_NO_PAD;
    let (m, t, p) = PARAMS;
    let params = Params::new(m, t, p, None).map_err(|e| HashError(e.to_string()))?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HashError(e.to_string()))?;
    let mut out = [0u8; 32];
    compute(
        memory,
        Algorithm::Argon2id,
        Version::V0x13,
        params,
        password.as_bytes(),
        &salt,
        &mut out,
    )
    .map_err(|e| HashError(e.to_string()))?;
    Ok(format!(
        "$argon2id$v=19$m={m},t={t},p={p}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    ))
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
    fn the_pool_agrees_with_the_library_both_ways() {
        let mut memory = Vec::new();
        let ours = hash_reusing(&mut memory, "une autre phrase de passe").unwrap();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        assert!(
            verify("une autre phrase de passe", &ours),
            "the library verifies ours"
        );
        let theirs = hash("une autre phrase de passe").unwrap();
        assert!(verify_reusing(
            &mut memory,
            "une autre phrase de passe",
            &theirs
        ));
        assert!(!verify_reusing(
            &mut memory,
            "une autre phrase de pass",
            &theirs
        ));
        assert!(!verify_reusing(&mut memory, "x", "garbage"));
        // Other parameters in the stored hash are honoured (memory is resized).
        let weaker = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        )
        .hash_password(b"ancien")
        .unwrap()
        .to_string();
        assert!(verify_reusing(&mut memory, "ancien", &weaker));
    }

    #[tokio::test]
    async fn the_pool_hashes_and_verifies() {
        let pool = HashLimiter::new(2);
        let h = pool.hash("phrase de passe du pool".into()).await.unwrap();
        assert!(
            pool.verify("phrase de passe du pool".into(), h.clone())
                .await
        );
        assert!(!pool.verify("autre".into(), h).await);
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
