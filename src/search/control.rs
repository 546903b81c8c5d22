//! The server's control socket, `<data_dir>/control.sock` (mode 0600: only Cartable's own user
//! and root may speak to it). `cartable reindex` uses it to have the **running** server
//! rebuild its index — the store is locked by the server, so the command cannot open it.
//!
//! Protocol, one line each way at a time:
//! * → `reindex`; ← `progress <done> <total>` lines while the store's snapshot is written, then
//!   `done <items> <seconds>`, or `error <message>` (`error busy` if a rebuild already runs);
//! * → `status`; ← `indexed <seq> head <seq>`.

use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{UnixListener, UnixStream};

use super::{Search, SearchError};
use crate::clock::SharedClock;
use crate::store::Store;

/// The socket's name in the data directory.
pub const SOCKET: &str = "control.sock";

/// The longest request line read.
const MAX_LINE: usize = 64;

/// Removes the socket file when the server stops (the task is dropped).
struct Remove(PathBuf);

impl Drop for Remove {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The bound control socket; the file is removed when it is dropped (the server stops).
pub struct Listener {
    listener: UnixListener,
    _remove: Remove,
}

/// Binds `<data_dir>/control.sock` with mode 0600. A socket file left by a killed server is
/// replaced (the caller holds the store's lock: no other server runs on this directory).
pub fn bind(data_dir: &Path) -> std::io::Result<Listener> {
    let path = data_dir.join(SOCKET);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let listener = UnixListener::bind(&path)?;
    let remove = Remove(path.clone());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok(Listener {
        listener,
        _remove: remove,
    })
}

/// Answers on the control socket until the server stops.
pub async fn serve(
    listener: Listener,
    store: Store,
    search: Arc<Search>,
    clock: SharedClock,
) -> std::io::Result<()> {
    loop {
        let (stream, _) = listener.listener.accept().await?;
        let (store, search, clock) = (store.clone(), search.clone(), clock.clone());
        tokio::spawn(async move {
            if let Err(e) = handle(stream, store, search, clock).await {
                tracing::debug!(error = %e, "control socket: connection ended");
            }
        });
    }
}

async fn handle(
    stream: UnixStream,
    store: Store,
    search: Arc<Search>,
    clock: SharedClock,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut line = String::new();
    let mut reader = BufReader::new(read).take(MAX_LINE as u64);
    tokio::time::timeout(Duration::from_secs(10), reader.read_line(&mut line))
        .await
        .map_err(|_| std::io::Error::other("no request within 10 s"))??;
    match line.trim() {
        "reindex" => {
            let started = clock.now();
            let (tx, mut rx) = tokio::sync::mpsc::channel::<(u64, u64)>(16);
            let (st, s) = (store.clone(), search.clone());
            tracing::info!("search: rebuild asked on the control socket");
            let work = tokio::task::spawn_blocking(move || {
                s.rebuild(&st, &mut |done, total| {
                    // A client that went away does not stop the rebuild.
                    let _ = tx.blocking_send((done, total));
                })
            });
            while let Some((done, total)) = rx.recv().await {
                // Write errors (the client left) are ignored: the rebuild goes on.
                let _ = write
                    .write_all(format!("progress {done} {total}\n").as_bytes())
                    .await;
            }
            let answer = match work.await {
                Ok(Ok(items)) => {
                    let secs = clock.now().duration_since(started).as_secs_f64();
                    format!("done {items} {secs:.1}\n")
                }
                Ok(Err(SearchError::Busy)) => "error busy\n".to_owned(),
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "search: the rebuild failed");
                    format!("error {}\n", one_line(&e.to_string()))
                }
                Err(e) => format!("error {}\n", one_line(&e.to_string())),
            };
            write.write_all(answer.as_bytes()).await?;
        }
        "status" => {
            let indexed = search.status().map_or(0, |p| p.seq);
            let head = store.head().seq;
            write
                .write_all(format!("indexed {indexed} head {head}\n").as_bytes())
                .await?;
        }
        _ => write.write_all(b"error unknown command\n").await?,
    }
    write.shutdown().await
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// One line of the server's answer to `reindex`.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Items of the snapshot written so far, of `total`.
    Progress {
        /// Done.
        done: u64,
        /// Total.
        total: u64,
    },
    /// Finished: items in the new index, seconds taken.
    Done {
        /// Items.
        items: u64,
        /// Seconds.
        seconds: f64,
    },
    /// Failed (`busy`: a rebuild already runs).
    Error(String),
}

impl Answer {
    /// Parses one line (`None`: not a line of the protocol).
    pub fn parse(line: &str) -> Option<Answer> {
        let mut words = line.split_whitespace();
        match words.next()? {
            "progress" => Some(Answer::Progress {
                done: words.next()?.parse().ok()?,
                total: words.next()?.parse().ok()?,
            }),
            "done" => Some(Answer::Done {
                items: words.next()?.parse().ok()?,
                seconds: words.next()?.parse().ok()?,
            }),
            "error" => Some(Answer::Error(
                line.trim().trim_start_matches("error").trim().to_owned(),
            )),
            _ => None,
        }
    }
}

/// Connects to the control socket of `data_dir` (synchronously, for the command line):
/// `None` if no server answers there.
pub fn connect(data_dir: &Path) -> Option<std::os::unix::net::UnixStream> {
    std::os::unix::net::UnixStream::connect(data_dir.join(SOCKET)).ok()
}

#[cfg(test)]
mod tests {
    use super::Answer;

    #[test]
    fn answers_parse() {
        assert_eq!(
            Answer::parse("progress 3 10"),
            Some(Answer::Progress { done: 3, total: 10 })
        );
        assert_eq!(
            Answer::parse("done 10 1.5\n"),
            Some(Answer::Done {
                items: 10,
                seconds: 1.5
            })
        );
        assert_eq!(
            Answer::parse("error busy"),
            Some(Answer::Error("busy".into()))
        );
        assert_eq!(Answer::parse("bonjour"), None);
    }
}
