//! `cartable debug …`: write bursts and queued mails for the crash tests and benchmarks.

use anyhow::Result;

use crate::clock::SharedClock;
use crate::config::Config;

use super::*;

pub(super) fn write_burst(config: &Config, clock: SharedClock, args: &WriteBurst) -> Result<()> {
    use crate::model::events::Event;
    use crate::store::tables::{DEBUG_NOTES, DebugNote};
    use std::io::Write as _;

    #[derive(Clone, Copy)]
    struct NoteId(u64);
    impl crate::store::IdKind for NoteId {
        const KIND: &'static str = "debug_note";
        fn from_raw(raw: u64) -> Self {
            NoteId(raw)
        }
        fn raw(self) -> u64 {
            self.0
        }
    }

    let store = open_store(config, clock)?;
    let mut out = std::io::stdout().lock();
    for i in 0..args.count {
        let key = store.write(|tx| {
            let id: NoteId = tx.next_id()?;
            tx.insert(
                &DEBUG_NOTES,
                &id.0,
                &DebugNote {
                    text: format!("note {i}"),
                },
            )?;
            tx.emit(Event::DebugWrite { key: id.0 });
            Ok::<_, crate::store::StoreError>(id.0)
        })?;
        writeln!(out, "committed {} {key}", store.head().seq)?;
        out.flush()?;
    }
    Ok(())
}

/// `debug blob-burst`: put a random blob, then commit a note referring to it (one transaction:
/// the note, the reference count, the blob listed in the change log entry); every fourth round,
/// drop an older note's reference and sweep with no grace period. Crash tests kill it anywhere.
pub(super) fn blob_burst(config: &Config, clock: SharedClock, args: &BlobBurst) -> Result<()> {
    use crate::blobs::{BlobError, BlobId, BlobStore, decref_in, incref_in};
    use crate::store::tables::{DEBUG_NOTES, DebugNote};
    use rand::{Rng as _, RngExt as _, SeedableRng as _};
    use std::io::Write as _;

    #[derive(Clone, Copy)]
    struct NoteId(u64);
    impl crate::store::IdKind for NoteId {
        const KIND: &'static str = "debug_note";
        fn from_raw(raw: u64) -> Self {
            NoteId(raw)
        }
        fn raw(self) -> u64 {
            self.0
        }
    }

    let store = open_store(config, clock.clone())?;
    let blobs = BlobStore::new(&config.data_dir, clock.clone());
    let mut seed = [0u8; 8];
    getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(u64::from_le_bytes(seed));
    let mut out = std::io::stdout().lock();
    let mut notes: Vec<(u64, BlobId)> = Vec::new();
    let mut previous: Vec<u8> = Vec::new();
    for round in 0..args.count {
        // One blob in five repeats the previous content (stored once, two references).
        let bytes = if round % 5 == 4 && !previous.is_empty() {
            previous.clone()
        } else {
            let mut bytes = vec![0u8; rng.random_range(64 * 1024..512 * 1024)];
            rng.fill_bytes(&mut bytes);
            bytes
        };
        writeln!(out, "putting {round}")?;
        out.flush()?;
        let (id, size) = blobs.put_bytes(&bytes)?;
        writeln!(out, "stored {id}")?;
        out.flush()?;
        let now = clock.now();
        let note = store.write(|tx| {
            let note: NoteId = tx.next_id()?;
            tx.insert(
                &DEBUG_NOTES,
                &note.0,
                &DebugNote {
                    text: format!("blob {id}"),
                },
            )?;
            incref_in(tx, id, size, now)?;
            Ok::<_, BlobError>(note.0)
        })?;
        writeln!(out, "committed {} {note} {id}", store.head().seq)?;
        out.flush()?;
        notes.push((note, id));
        previous = bytes;
        if round % 4 == 3 && notes.len() > 2 {
            let (old, old_id) = notes.remove(rng.random_range(0..notes.len() - 2));
            store.write(|tx| {
                tx.remove(&DEBUG_NOTES, &old)?;
                decref_in(tx, old_id, now)?;
                Ok::<_, BlobError>(())
            })?;
            writeln!(out, "released {} {old}", store.head().seq)?;
            out.flush()?;
            blobs.sweep(&store, clock.now(), std::time::Duration::ZERO)?;
            writeln!(out, "swept")?;
            out.flush()?;
        }
    }
    Ok(())
}

/// `debug queue-mails`: test mails in the queue, as if something had caused them.
pub(super) fn queue_mails(config: &Config, clock: SharedClock, args: &QueueMails) -> Result<()> {
    use crate::mail::templates::{self, Template};
    use crate::mail::{MailKind, NewMail};
    let store = open_store(config, clock.clone())?;
    let url = config.instance_url();
    let text = templates::render(
        Template::Test,
        crate::i18n::Lang::Fr,
        &[("instance", url.as_str().into())],
    );
    let mut queued = 0;
    while queued < args.count {
        let n = (args.count - queued).min(500);
        let now = clock.now();
        store.write(|tx| {
            for i in queued..queued + n {
                crate::mail::enqueue(
                    tx,
                    now,
                    NewMail {
                        kind: MailKind::Test,
                        person: None,
                        sender: None,
                        to: format!("relais-{i}@{}", args.domain),
                        subject: text.subject.clone(),
                        body: text.body.clone(),
                    },
                )?;
            }
            Ok::<_, crate::store::StoreError>(())
        })?;
        queued += n;
    }
    println!("queued {queued}");
    Ok(())
}
