//! Sessions: an opaque 256-bit random token in the `__Host-cartable` cookie; only its BLAKE3
//! hash is stored (node-local). Checking a session only reads: the idle timeout's "last seen"
//! is kept in memory by [`Touches`] and written at most every few minutes in the background.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;

pub use crate::model::accounts::Session;
use crate::model::directory::PersonId;
use crate::store::tables::{PERSON_SESSIONS, SESSIONS};
use crate::store::{ReadTx, Store, StoreError, Tx};

/// The session cookie's name (the `__Host-` prefix pins it to this host, `Secure`, `Path=/`).
pub const COOKIE: &str = "__Host-cartable";

/// A session token as the cookie carries it. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

impl SessionToken {
    /// A fresh random token.
    pub fn generate() -> Result<SessionToken, StoreError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
        Ok(SessionToken(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Wraps a cookie value if it has the right shape.
    pub fn parse(value: &str) -> Option<SessionToken> {
        let bytes = URL_SAFE_NO_PAD.decode(value.trim()).ok()?;
        (bytes.len() == 32).then(|| SessionToken(value.trim().to_owned()))
    }

    /// The cookie value.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key the session is stored under.
    pub fn hash(&self) -> [u8; 32] {
        *blake3::hash(self.0.as_bytes()).as_bytes()
    }

    /// The CSRF token of forms in this session: derived one-way from the session token, so it
    /// needs no storage and reveals nothing of the session token.
    pub fn csrf(&self) -> String {
        URL_SAFE_NO_PAD.encode(blake3::derive_key("cartable csrf v1", self.0.as_bytes()))
    }
}

/// Idle and absolute lifetimes of a session.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Ends after this long without activity.
    pub idle: Duration,
    /// Ends this long after sign-in whatever happens.
    pub absolute: Duration,
}

fn plus(t: Timestamp, d: Duration) -> Timestamp {
    let span = jiff::SignedDuration::try_from(d).unwrap_or(jiff::SignedDuration::MAX);
    t.checked_add(span).unwrap_or(Timestamp::MAX)
}

/// Latest activity of sessions, in memory, flushed to the store periodically.
#[derive(Debug, Default)]
pub struct Touches(Mutex<HashMap<[u8; 32], Timestamp>>);

impl Touches {
    /// Records activity (cheap, in memory).
    pub fn touch(&self, hash: [u8; 32], now: Timestamp) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(hash, now);
        }
    }

    fn latest(&self, hash: &[u8; 32]) -> Option<Timestamp> {
        self.0.lock().ok().and_then(|m| m.get(hash).copied())
    }

    fn forget(&self, hash: &[u8; 32]) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(hash);
        }
    }

    /// Writes the recorded activity into the sessions (one transaction), then forgets it.
    pub fn flush(&self, store: &Store) -> Result<usize, StoreError> {
        let pending: Vec<([u8; 32], Timestamp)> = match self.0.lock() {
            Ok(mut map) => map.drain().collect(),
            Err(_) => return Ok(0),
        };
        if pending.is_empty() {
            return Ok(0);
        }
        store.write(|tx| {
            let mut n = 0;
            for (hash, at) in &pending {
                if let Some(mut s) = tx.get(&SESSIONS, hash)?
                    && s.last_seen < *at
                {
                    s.last_seen = *at;
                    tx.insert(&SESSIONS, hash, &s)?;
                    n += 1;
                }
            }
            Ok::<_, StoreError>(n)
        })
    }
}

/// The session behind `token`, if it exists and has expired neither way at `now`. Only reads.
pub fn check(
    read: &ReadTx,
    token: &SessionToken,
    now: Timestamp,
    lifetimes: Lifetimes,
    touches: &Touches,
) -> Result<Option<Session>, StoreError> {
    let hash = token.hash();
    let Some(session) = read.get(&SESSIONS, &hash)? else {
        return Ok(None);
    };
    let last_seen = touches
        .latest(&hash)
        .map_or(session.last_seen, |t| t.max(session.last_seen));
    if now >= plus(session.created_at, lifetimes.absolute) || now >= plus(last_seen, lifetimes.idle)
    {
        return Ok(None);
    }
    Ok(Some(session))
}

/// Creates a session for `person` inside the caller's transaction; returns its new token.
pub fn create(
    tx: &mut Tx,
    person: PersonId,
    now: Timestamp,
    ip: &str,
    user_agent: &str,
) -> Result<SessionToken, StoreError> {
    let token = SessionToken::generate()?;
    let hash = token.hash();
    tx.insert(
        &SESSIONS,
        &hash,
        &Session {
            person,
            created_at: now,
            last_seen: now,
            ip: ip.chars().take(64).collect(),
            user_agent: user_agent.chars().take(200).collect(),
        },
    )?;
    tx.insert(&PERSON_SESSIONS, &(person, hash), &())?;
    Ok(token)
}

/// Ends one session (by its hash). Returns whether it existed.
pub fn end(tx: &mut Tx, hash: &[u8; 32], touches: &Touches) -> Result<bool, StoreError> {
    touches.forget(hash);
    match tx.remove(&SESSIONS, hash)? {
        Some(session) => {
            tx.remove(&PERSON_SESSIONS, &(session.person, *hash))?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Ends every session of a person (password changed, account disabled). Returns how many.
pub fn end_all(tx: &mut Tx, person: PersonId, touches: &Touches) -> Result<usize, StoreError> {
    let hashes: Vec<[u8; 32]> = tx
        .range(
            &PERSON_SESSIONS,
            (person, [0u8; 32])..=(person, [0xFFu8; 32]),
        )?
        .into_iter()
        .map(|((_, h), ())| h)
        .collect();
    for hash in &hashes {
        end(tx, hash, touches)?;
    }
    Ok(hashes.len())
}

/// A person's sessions, newest first, with their hashes (to revoke one).
pub fn list(read: &ReadTx, person: PersonId) -> Result<Vec<([u8; 32], Session)>, StoreError> {
    let mut out = Vec::new();
    for row in read.scan_prefix(&PERSON_SESSIONS, &(person,))? {
        let ((_, hash), ()) = row?;
        if let Some(s) = read.get(&SESSIONS, &hash)? {
            out.push((hash, s));
        }
    }
    out.sort_by_key(|(_, s)| std::cmp::Reverse(s.created_at));
    Ok(out)
}
