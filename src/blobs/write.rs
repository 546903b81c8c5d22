//! Writing a blob: temp file, hash while streaming, fsync, rename, fsync the directory.

use std::io::{Read, Write as _};
use std::path::PathBuf;

use sha2::Digest as _;
use tokio::io::{AsyncRead, AsyncReadExt as _};

use super::{BlobError, BlobId, BlobStore, sync_dir};

/// Bytes read and written at a time: large enough for the disk, small enough for memory.
const CHUNK: usize = 256 * 1024;

/// A blob being written: a temp file in `blobs/tmp/` and the running SHA-256. Dropping it
/// before [`BlobWriter::finish`] removes the temp file.
pub struct BlobWriter {
    store: BlobStore,
    tmp_name: String,
    tmp_path: PathBuf,
    file: Option<std::fs::File>,
    hasher: sha2::Sha256,
    size: u64,
    limit: u64,
    /// Set once the temp file has been renamed into place (or dropped for an existing copy).
    finished: bool,
}

impl BlobWriter {
    /// Starts a blob of at most `max_bytes` bytes (blocking I/O).
    pub fn new(store: &BlobStore, max_bytes: u64) -> Result<BlobWriter, BlobError> {
        let tmp_dir = store.tmp_dir();
        if !tmp_dir.is_dir() {
            std::fs::create_dir_all(&tmp_dir)?;
            // Make the new directories themselves durable (blobs/ in the data dir, tmp/ in
            // blobs/), so that later renames have a durable place to land.
            sync_dir(store.root())?;
            if let Some(data_dir) = store.root().parent() {
                sync_dir(data_dir)?;
            }
        }
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(|e| std::io::Error::other(e.to_string()))?;
        let tmp_name = format!("{}.part", hex::encode(random));
        let tmp_path = tmp_dir.join(&tmp_name);
        // Registered before the file exists, so the sweep never sees it unregistered.
        store.guard().writing.insert(tmp_name.clone());
        let mut writer = BlobWriter {
            store: store.clone(),
            tmp_name,
            tmp_path,
            file: None,
            hasher: sha2::Sha256::new(),
            size: 0,
            limit: max_bytes,
            finished: false,
        };
        writer.file = Some(
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&writer.tmp_path)?,
        );
        Ok(writer)
    }

    /// Appends bytes; refuses (and, once dropped, forgets) a blob that grows past the limit.
    pub fn write(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        let grown = self.size.saturating_add(chunk.len() as u64);
        if grown > self.limit {
            return Err(BlobError::TooLarge { limit: self.limit });
        }
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("blob writer already finished"))?;
        file.write_all(chunk)?;
        self.hasher.update(chunk);
        self.size = grown;
        Ok(())
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Makes the blob durable under its name and returns its id and size. When this returns,
    /// the file and its name survive a crash or a power loss: a row referring to it may be
    /// committed.
    pub fn finish(mut self) -> Result<(BlobId, u64), BlobError> {
        let file = self
            .file
            .take()
            .ok_or_else(|| std::io::Error::other("blob writer already finished"))?;
        // 1. The content is on disk before its name can point to it.
        file.sync_all()?;
        drop(file);
        let id = BlobId(std::mem::take(&mut self.hasher).finalize().into());
        let target = self.store.path_of(id);
        let parent = target
            .parent()
            .ok_or_else(|| std::io::Error::other("blob path without a directory"))?
            .to_owned();
        {
            // The sweep deletes files under this same lock, so it either deleted an old copy
            // before the rename below (which then writes a new one) or sees the blob fresh.
            let mut guard = self.store.guard();
            if !parent.is_dir() {
                std::fs::create_dir_all(&parent)?;
                // 2. New fan-out directories are durable before a file is renamed into them.
                if let Some(upper) = parent.parent() {
                    sync_dir(upper)?;
                }
                sync_dir(self.store.root())?;
            }
            match std::fs::metadata(&target) {
                // Same name, same content: keep the existing file, drop ours.
                Ok(existing) if existing.len() == self.size => {
                    std::fs::remove_file(&self.tmp_path)?;
                }
                // Absent (or a damaged copy of another size, replaced atomically).
                _ => std::fs::rename(&self.tmp_path, &target)?,
            }
            guard.fresh.insert(id, self.store.now());
            guard.writing.remove(&self.tmp_name);
            self.finished = true;
        }
        // 3. The name is durable. Done even when the file already existed: another put may
        // have renamed it a moment ago and not yet synced the directory.
        sync_dir(&parent)?;
        Ok((id, self.size))
    }
}

impl Drop for BlobWriter {
    fn drop(&mut self) {
        if !self.finished {
            // Not finished (refused, failed, or abandoned): the partial file is of no use.
            drop(self.file.take());
            if let Err(e) = std::fs::remove_file(&self.tmp_path)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(error = %e, file = %self.tmp_path.display(), "could not remove a temp blob");
            }
        }
        self.store.guard().writing.remove(&self.tmp_name);
    }
}

fn joined<T>(result: Result<T, tokio::task::JoinError>) -> Result<T, BlobError> {
    result.map_err(|e| BlobError::Io(std::io::Error::other(e.to_string())))
}

impl BlobStore {
    /// Stores the content read from `stream` (at most `max_bytes` bytes, else
    /// [`BlobError::TooLarge`] and nothing is kept), streaming it to disk while hashing; returns
    /// once the blob is durable. Then commit the referring row with [`super::incref_in`], soon
    /// (well within the grace period). The disk work runs on tokio's blocking pool.
    pub async fn put(
        &self,
        mut stream: impl AsyncRead + Unpin,
        max_bytes: u64,
    ) -> Result<(BlobId, u64), BlobError> {
        let store = self.clone();
        let mut writer =
            joined(tokio::task::spawn_blocking(move || BlobWriter::new(&store, max_bytes)).await)??;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let mut filled = 0;
            let mut end = false;
            while filled < buf.len() {
                let n = stream.read(&mut buf[filled..]).await?;
                if n == 0 {
                    end = true;
                    break;
                }
                filled += n;
            }
            if filled > 0 {
                if writer.size().saturating_add(filled as u64) > max_bytes {
                    return Err(BlobError::TooLarge { limit: max_bytes });
                }
                let (w, b, result) = joined(
                    tokio::task::spawn_blocking(move || {
                        let result = writer.write(&buf[..filled]);
                        (writer, buf, result)
                    })
                    .await,
                )?;
                (writer, buf) = (w, b);
                result?;
            }
            if end {
                break;
            }
        }
        joined(tokio::task::spawn_blocking(move || writer.finish()).await)?
    }

    /// [`BlobStore::put`] from blocking code (CLI, tests, benchmarks).
    pub fn put_sync(
        &self,
        mut reader: impl Read,
        max_bytes: u64,
    ) -> Result<(BlobId, u64), BlobError> {
        let mut writer = BlobWriter::new(self, max_bytes)?;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            writer.write(&buf[..n])?;
        }
        writer.finish()
    }

    /// Stores bytes already in memory (small contents: tests, generated files).
    pub fn put_bytes(&self, bytes: &[u8]) -> Result<(BlobId, u64), BlobError> {
        self.put_sync(bytes, u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{FakeClock, SharedClock};

    fn store() -> (tempfile::TempDir, BlobStore) {
        let dir = tempfile::tempdir().unwrap();
        let clock: SharedClock = FakeClock::new("2026-09-01T06:00:00Z".parse().unwrap());
        let blobs = BlobStore::new(dir.path(), clock);
        (dir, blobs)
    }

    fn tmp_entries(blobs: &BlobStore) -> usize {
        std::fs::read_dir(blobs.tmp_dir()).unwrap().count()
    }

    #[test]
    fn put_names_the_file_by_its_sha256_and_stores_it_once() {
        let (_dir, blobs) = store();
        let (id, size) = blobs.put_bytes(b"hello world").unwrap();
        assert_eq!(size, 11);
        assert_eq!(id, BlobId::of(b"hello world"));
        assert_eq!(std::fs::read(blobs.path_of(id)).unwrap(), b"hello world");
        let (again, _) = blobs.put_sync(&b"hello world"[..], 11).unwrap();
        assert_eq!(again, id);
        assert_eq!(tmp_entries(&blobs), 0);
        assert!(blobs.guard().writing.is_empty());
    }

    #[test]
    fn too_large_keeps_nothing() {
        let (_dir, blobs) = store();
        let err = blobs.put_sync(&[1u8; 1000][..], 999).unwrap_err();
        assert!(matches!(err, BlobError::TooLarge { limit: 999 }), "{err:?}");
        assert_eq!(tmp_entries(&blobs), 0);
        assert!(blobs.guard().writing.is_empty());
        // Exactly the limit is fine.
        blobs.put_sync(&[1u8; 999][..], 999).unwrap();
    }

    #[test]
    fn an_existing_copy_of_another_size_is_replaced() {
        let (_dir, blobs) = store();
        let id = BlobId::of(b"content");
        let path = blobs.path_of(id);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"cont").unwrap();
        blobs.put_bytes(b"content").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"content");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn async_put_streams_several_chunks() {
        let (_dir, blobs) = store();
        let data: Vec<u8> = (0..(CHUNK * 2 + 17)).map(|i| (i % 251) as u8).collect();
        let (id, size) = blobs.put(&data[..], u64::MAX).await.unwrap();
        assert_eq!(size, data.len() as u64);
        assert_eq!(id, BlobId::of(&data));
        let err = blobs.put(&data[..], CHUNK as u64).await.unwrap_err();
        assert!(matches!(err, BlobError::TooLarge { .. }));
        assert_eq!(tmp_entries(&blobs), 0);
    }
}
