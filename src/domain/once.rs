//! One-time form keys (issue 14 §6): the same form posted twice creates one thing.
//!
//! Every form that creates something (a message sent, files uploaded, an import confirmed, an
//! account created) carries a random [`FormKey`] made when the form was shown (a hidden field;
//! `Idempotency-Key` on the JSON API). The write the form causes runs through [`write`]: in the
//! same transaction, the key is looked up under its owner and kind of form
//! (`store::tables::FORM_KEYS`); if it produced something already, that result is given back
//! and nothing is written; if not, the write is done, the key becomes the change log entry's
//! `origin` and the result is recorded under it. redb has one writer at a time, so two
//! submissions racing each other (a double click) are told apart too. A refused write records
//! nothing: the form can be corrected and posted again with the same key. A key remembers what
//! its form said (a fingerprint, [`Once::over`]): the same key with other contents (a form
//! changed after "Back") is a new submission, done and recorded in place of the old one, so
//! nothing typed is lost. Keys are kept a day ([`LIFETIME`]); [`purge_expired`] (the hourly
//! purge task) removes older ones.

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::Actor;
use crate::model::directory::PersonId;
use crate::model::origin::{FormKey, FormOutcome};
use crate::store::tables::{FORM_KEYS, FORM_KEYS_DUE};
use crate::store::{Rows, Store, StoreError, Tx, decode_value, encode_value};

/// How long a key is remembered.
pub const LIFETIME: SignedDuration = SignedDuration::from_hours(24);

/// The most keys one purge pass removes (the next pass goes on).
const PURGE_BATCH: usize = 5_000;

/// The name of the hidden field that carries the key in the forms.
pub const FIELD: &str = "cle_formulaire";

/// The kinds of forms a key may guard: a key of one kind never answers for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// Sending a message (`messaging::compose`).
    Message,
    /// Uploading documents (`documents::store_files`).
    Upload,
    /// Confirming a spreadsheet import (`admin::import::confirm`).
    Import,
    /// Creating an account (`admin::accounts::create_account`).
    Account,
}

impl FormKind {
    fn code(self) -> u8 {
        match self {
            FormKind::Message => 1,
            FormKind::Upload => 2,
            FormKind::Import => 3,
            FormKind::Account => 4,
        }
    }
}

/// A new random key, for a form about to be shown (`None` if the system has no randomness:
/// the form then goes without, as an old form would).
pub fn new_key() -> Option<FormKey> {
    let mut key = [0u8; 16];
    match getrandom::fill(&mut key) {
        Ok(()) => Some(FormKey(key)),
        Err(e) => {
            tracing::warn!(error = %e, "no randomness for a form key");
            None
        }
    }
}

/// A key with its owner, its kind of form and what the form said: what [`write`] guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Once {
    person: PersonId,
    kind: FormKind,
    key: FormKey,
    fingerprint: [u8; 32],
}

impl Once {
    /// The key of `actor`'s form of `kind`, if the form carried one (`raw` as sent; a key of
    /// another shape is no key) and the actor is a person.
    pub fn of(actor: &Actor, kind: FormKind, raw: &str) -> Option<Once> {
        Some(Once {
            person: actor.person?,
            kind,
            key: FormKey::parse(raw)?,
            fingerprint: [0; 32],
        })
    }

    /// The same key for a form that said `contents` (what makes one submission the repeat of
    /// another: the fields typed, the files' contents).
    pub fn over(mut self, contents: &impl Serialize) -> Once {
        let bytes = encode_value(contents).unwrap_or_default();
        self.fingerprint = *blake3::Hasher::new_derive_key("cartable form contents v1")
            .update(&bytes)
            .finalize()
            .as_bytes();
        self
    }

    /// The key.
    pub fn key(&self) -> FormKey {
        self.key
    }

    fn row(&self) -> (PersonId, u8, [u8; 16]) {
        (self.person, self.kind.code(), self.key.0)
    }
}

/// The result recorded under `once`, if the same form was already done (a read before the
/// work; [`write`] looks again inside its transaction).
pub fn recorded<T: DeserializeOwned>(
    rows: &impl Rows,
    once: &Once,
) -> Result<Option<T>, StoreError> {
    rows.row(&FORM_KEYS, &once.row())?
        .filter(|o| o.fingerprint == once.fingerprint)
        .map(|o| decode_value(&o.result).map_err(StoreError::from))
        .transpose()
}

/// [`recorded`] from a fresh snapshot; nothing without a key.
pub fn done_before<T: DeserializeOwned>(
    store: &Store,
    once: Option<&Once>,
) -> Result<Option<T>, StoreError> {
    match once {
        Some(once) => recorded(&store.read()?, once),
        None => Ok(None),
    }
}

/// Runs `f` in a write transaction guarded by `once` (see the module): the result recorded
/// under the key if there is one (and `f` is not run), else `f`'s result, recorded with the
/// key as the entry's origin. Without a key, [`Store::write`].
pub fn write<T, E>(
    store: &Store,
    once: Option<&Once>,
    now: Timestamp,
    f: impl FnOnce(&mut Tx) -> Result<T, E>,
) -> Result<T, E>
where
    T: Serialize + DeserializeOwned,
    E: From<StoreError>,
{
    write_as(
        store,
        once,
        now,
        f,
        |value: &T| encode_value(value),
        |first| Ok(first),
    )
}

/// [`write`] for a result that is not kept whole: `keep` says what of it is recorded (`R`),
/// `again` makes the answer to a second submission from that.
pub fn write_as<T, R, E>(
    store: &Store,
    once: Option<&Once>,
    now: Timestamp,
    f: impl FnOnce(&mut Tx) -> Result<T, E>,
    keep: impl FnOnce(&T) -> Result<Vec<u8>, crate::store::CodecError>,
    again: impl FnOnce(R) -> Result<T, E>,
) -> Result<T, E>
where
    R: DeserializeOwned,
    E: From<StoreError>,
{
    let Some(once) = once else {
        return store.write(f);
    };
    store.write_with(Some(once.key.to_string()), |tx| {
        if let Some(first) = recorded::<R>(&*tx, once)? {
            return again(first);
        }
        let value = f(tx)?;
        let result = keep(&value).map_err(StoreError::from)?;
        let (person, kind, key) = once.row();
        let outcome = FormOutcome {
            at: now,
            fingerprint: once.fingerprint,
            result,
        };
        // The same key over other contents: this result replaces the one before.
        if let Some(old) = tx.insert(&FORM_KEYS, &once.row(), &outcome)? {
            tx.remove(
                &FORM_KEYS_DUE,
                &(old.at.as_microsecond(), person, kind, key),
            )?;
        }
        tx.insert(
            &FORM_KEYS_DUE,
            &(now.as_microsecond(), person, kind, key),
            &(),
        )?;
        Ok(value)
    })
}

/// Forgets the keys recorded more than [`LIFETIME`] before `now`; returns how many.
pub fn purge_expired(store: &Store, now: Timestamp) -> Result<usize, StoreError> {
    let cutoff = now
        .checked_sub(LIFETIME)
        .map_or(i64::MIN, |t| t.as_microsecond());
    let mut total = 0;
    loop {
        let removed = store.write(|tx| {
            let due = tx.range(&FORM_KEYS_DUE, ..(cutoff, PersonId(0), 0, [0u8; 16]))?;
            let n = due.len().min(PURGE_BATCH);
            for ((at, person, kind, key), ()) in due.into_iter().take(PURGE_BATCH) {
                tx.remove(&FORM_KEYS_DUE, &(at, person, kind, key))?;
                tx.remove(&FORM_KEYS, &(person, kind, key))?;
            }
            Ok::<_, StoreError>(n)
        })?;
        total += removed;
        if removed < PURGE_BATCH {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, FakeClock};

    fn actor(person: u64) -> Actor {
        Actor {
            person: Some(PersonId(person)),
            ..Actor::system()
        }
    }

    #[test]
    fn a_key_gives_its_first_result_to_its_owner_only_and_is_forgotten_after_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::new("2026-09-01T06:00:00Z".parse().unwrap());
        let store = Store::open(dir.path(), clock.clone()).unwrap();
        let key = new_key().unwrap().to_string();
        let mine = Once::of(&actor(1), FormKind::Message, &key).unwrap();
        let now = clock.now();
        let mut runs = 0;
        let mut run = |once: Option<&Once>, value: u64| {
            write(&store, once, now, |_tx| {
                runs += 1;
                Ok::<_, StoreError>(value)
            })
            .unwrap()
        };
        let mine = mine.over(&"Sortie");
        assert_eq!(run(Some(&mine), 7), 7);
        assert_eq!(run(Some(&mine), 8), 7);
        // The same key over other contents: done again, and remembered instead.
        let changed = mine.over(&"Sortie au musée");
        assert_eq!(run(Some(&changed), 12), 12);
        assert_eq!(run(Some(&changed), 13), 12);
        assert_eq!(run(Some(&mine), 14), 14);
        // Another person, or another kind of form, with the same key: their own result.
        let theirs = Once::of(&actor(2), FormKind::Message, &key).unwrap();
        assert_eq!(run(Some(&theirs), 9), 9);
        let other_kind = Once::of(&actor(1), FormKind::Upload, &key).unwrap();
        assert_eq!(run(Some(&other_kind), 10), 10);
        assert_eq!(run(None, 11), 11);
        assert_eq!(runs, 6);
        assert_eq!(done_before::<u64>(&store, Some(&mine)).unwrap(), Some(14));
        assert!(Once::of(&actor(1), FormKind::Message, "nope").is_none());
        assert!(Once::of(&Actor::system(), FormKind::Message, &key).is_none());
        assert_eq!(purge_expired(&store, now).unwrap(), 0);
        let later = now.checked_add(SignedDuration::from_hours(25)).unwrap();
        assert_eq!(purge_expired(&store, later).unwrap(), 3);
        assert_eq!(done_before::<u64>(&store, Some(&mine)).unwrap(), None);
    }
}
