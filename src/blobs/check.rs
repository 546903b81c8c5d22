//! `cartable check` for blobs: every blob the store knows exists with its recorded size and
//! SHA-256 (re-hashed, streaming), and the reference bookkeeping is consistent.

use std::io::Read as _;

use sha2::Digest as _;

use super::{BlobError, BlobId, BlobStore};
use crate::store::Store;
use crate::store::tables::{BLOBS, BLOBS_UNREFERENCED};

/// What the blob check found.
#[derive(Debug, Clone, Default)]
pub struct BlobCheckReport {
    /// Blobs the store knows (rows of `blobs_v1`), all re-hashed.
    pub blobs: u64,
    /// Of which referenced.
    pub referenced: u64,
    /// Bytes re-hashed.
    pub bytes: u64,
    /// Files on disk that no row knows (left by a crash; the sweep deletes them after the grace
    /// period). Not a problem.
    pub files_without_row: u64,
    /// Every problem, in plain words, naming the blob and its file. Empty means sound.
    pub problems: Vec<String>,
}

impl BlobCheckReport {
    /// Whether nothing is wrong.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// How a file compares with what the store records.
enum FileState {
    Sound,
    Missing,
    Unreadable(std::io::Error),
    WrongSize(u64),
    WrongHash(BlobId),
}

impl BlobStore {
    /// Verifies every blob the store knows (blocking; reads every blob file once).
    pub fn check(&self, store: &Store) -> Result<BlobCheckReport, BlobError> {
        let read = store.read()?;
        let mut report = BlobCheckReport::default();
        for row in read.range(&BLOBS, ..)? {
            let (id, meta) = row?;
            report.blobs += 1;
            if meta.refs > 0 {
                report.referenced += 1;
            }
            let path = self.path_of(id);
            let refs = match meta.refs {
                1 => "1 reference".to_owned(),
                n => format!("{n} references"),
            };
            match self.file_state(id, meta.size)? {
                FileState::Sound => report.bytes += meta.size,
                FileState::Missing => report.problems.push(format!(
                    "blob {id} is missing: no file {} ({refs})",
                    path.display()
                )),
                FileState::Unreadable(e) => report.problems.push(format!(
                    "blob {id} cannot be read: {} ({e}) ({refs})",
                    path.display()
                )),
                FileState::WrongSize(actual) => report.problems.push(format!(
                    "blob {id} is corrupted: {} holds {actual} bytes, the store records {} ({refs})",
                    path.display(),
                    meta.size
                )),
                FileState::WrongHash(actual) => report.problems.push(format!(
                    "blob {id} is corrupted: the SHA-256 of {} is {actual} ({refs})",
                    path.display()
                )),
            }
            match (meta.refs, meta.unreferenced_since) {
                (0, None) => report.problems.push(format!(
                    "blob {id} has no reference but no time it lost its last one"
                )),
                (0, Some(since)) => {
                    if read
                        .get(&BLOBS_UNREFERENCED, &(since.as_microsecond(), id))?
                        .is_none()
                    {
                        report.problems.push(format!(
                            "blob {id} is unreferenced but not listed for the sweep"
                        ));
                    }
                }
                (_, Some(_)) => report
                    .problems
                    .push(format!("blob {id} has {refs} but is marked unreferenced")),
                (_, None) => {}
            }
        }
        for row in read.range(&BLOBS_UNREFERENCED, ..)? {
            let ((since, id), ()) = row?;
            let listed = read.get(&BLOBS, &id)?.is_some_and(|meta| {
                meta.unreferenced_since.map(jiff::Timestamp::as_microsecond) == Some(since)
            });
            if !listed {
                report.problems.push(format!(
                    "the sweep's list names blob {id} at a time its row does not record"
                ));
            }
        }
        for (_, id, _) in self.blob_files()? {
            if read.get(&BLOBS, &id)?.is_none() {
                report.files_without_row += 1;
            }
        }
        Ok(report)
    }

    fn file_state(&self, id: BlobId, size: u64) -> Result<FileState, BlobError> {
        let mut file = match self.open_sync(id) {
            Ok((file, _)) => file,
            Err(BlobError::NotFound(_)) => return Ok(FileState::Missing),
            Err(BlobError::Io(e)) => return Ok(FileState::Unreadable(e)),
            Err(e) => return Err(e),
        };
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut actual = 0u64;
        loop {
            let n = match file.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Ok(FileState::Unreadable(e)),
            };
            hasher.update(&buf[..n]);
            actual += n as u64;
        }
        let hash = BlobId(hasher.finalize().into());
        Ok(if actual != size {
            FileState::WrongSize(actual)
        } else if hash != id {
            FileState::WrongHash(hash)
        } else {
            FileState::Sound
        })
    }
}
