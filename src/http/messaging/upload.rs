//! Reading the compose form (`multipart/form-data`): its text fields, capped, and its files,
//! streamed into the blob store one by one (never whole in memory) with the configured size
//! limit, and within what the sender has left (their quota, the cap of one message's
//! attachments): a file past either stops the storing, so a refused form never fills the disk.
//! The rest of the body is read and dropped so that the browser gets its answer. The domain
//! checks the quota and the cap again when it stores the message or draft.

use axum::extract::Multipart;
use axum::extract::multipart::Field;

use crate::http::path_ids::parse_id;
use crate::model::directory::PersonId;
use crate::model::messaging::{Attachment, MessageId};
use crate::state::AppState;

/// The most files one message may carry.
pub const MAX_FILES: usize = 10;

/// The longest text field read (the body's limit is 50,000 characters).
const MAX_TEXT: usize = 256 * 1024;

/// Why the files of a form were not all kept (its text and status: `http/problem/messaging.rs`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    /// These files are larger than the limit (MiB); the others of the form were kept.
    #[error("files {0:?} over {1} MiB")]
    TooLarge(Vec<String>, u64),
    /// More than [`MAX_FILES`] files.
    #[error("too many files")]
    TooMany,
    /// The files do not fit in what is left of the sender's quota (bytes left).
    #[error("over the quota ({0} bytes left)")]
    OverQuota(u64),
    /// The files pass the cap of one message's attachments (bytes).
    #[error("over the attachments' cap ({0} bytes)")]
    OverTotal(u64),
    /// The upload broke off, or the disk refused it.
    #[error("upload failed")]
    Failed,
}

/// What the compose form sent.
#[derive(Debug, Default)]
pub struct ComposeForm {
    /// `envoyer`, `brouillon` or `chercher`.
    pub action: String,
    /// The name typed in the recipient search.
    pub query: String,
    /// People chosen (checked boxes).
    pub recipients: Vec<PersonId>,
    /// List codes checked (`parents-12`…).
    pub lists: Vec<String>,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// The acknowledgement box.
    pub ack: bool,
    /// The draft being edited.
    pub draft: Option<MessageId>,
    /// The message answered or forwarded.
    pub reply_to: Option<MessageId>,
    /// Attachments of earlier messages kept (`ID-INDEX`).
    pub keep: Vec<String>,
    /// The form's one-time key as sent (`domain::once`).
    pub key: String,
    /// Files uploaded now, stored as blobs (not referenced yet).
    pub uploaded: Vec<Attachment>,
    /// Why some file was not kept.
    pub upload_error: Option<UploadError>,
    /// A text field was too long or the body was not a form.
    pub malformed: bool,
}

/// A file name as stored: the documents' rule for uploads (a path reduced to its last part, no
/// control characters, a slash kept as « ∕ », at most 200 characters), and `piece-jointe` when
/// nothing is left.
pub fn clean_name(raw: &str) -> String {
    crate::domain::documents::service::upload_name(raw)
        .unwrap_or_else(|_| "piece-jointe".to_owned())
}

/// A declared content type, kept only if it looks like one (`type/subtype`, ASCII).
fn clean_type(raw: Option<&str>) -> String {
    let raw = raw.unwrap_or("").split(';').next().unwrap_or("").trim();
    let ok = raw.len() <= 100
        && raw.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && raw
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || b"/.+-_".contains(&c))
        });
    if ok {
        raw.to_ascii_lowercase()
    } else {
        "application/octet-stream".to_owned()
    }
}

async fn read_text(field: &mut Field<'_>) -> Option<String> {
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = field.chunk().await {
        if bytes.len() + chunk.len() > MAX_TEXT {
            // Drain what is left of the field, then refuse it.
            while let Ok(Some(_)) = field.chunk().await {}
            return None;
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).ok()
}

/// Streams one file field into the blob store (at most `max_bytes`).
async fn store_file(
    state: &AppState,
    field: &mut Field<'_>,
    max_bytes: u64,
) -> Result<(crate::blobs::BlobId, u64), UploadError> {
    use crate::http::documents::upload::{StreamError, stream_file};
    match stream_file(state, field, max_bytes).await {
        Ok(done) => Ok(done),
        Err(StreamError::TooLarge) => {
            Err(UploadError::TooLarge(Vec::new(), max_bytes / (1024 * 1024)))
        }
        Err(StreamError::Failed) => Err(UploadError::Failed),
    }
}

/// What the files of one form may take: the room left in the sender's quota (a content they
/// already hold in another draft or message counts nothing) and the cap of one message's
/// attachments, in bytes.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// The sender.
    pub person: Option<PersonId>,
    /// What is left of the quota.
    pub room: u64,
    /// The cap of one message's attachments.
    pub total: u64,
}

/// Whether `person` already holds this content in a draft or message of theirs.
async fn already_held(state: &AppState, person: Option<PersonId>, blob: [u8; 32]) -> bool {
    let Some(person) = person else {
        return false;
    };
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || {
        crate::domain::messaging::compose::holds(&store, person, blob).unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// Reads the whole form; files go to the blob store as they come, within `budget`. A file over
/// the size limit is refused alone: the files after it are still read and kept, and the
/// refusal names every file refused ([`UploadError::TooLarge`]). Past the quota or the cap of
/// one message, or after a broken upload, the rest is dropped.
pub async fn parse(state: &AppState, mut multipart: Multipart, budget: Budget) -> ComposeForm {
    let mut form = ComposeForm::default();
    let max_bytes = state
        .config
        .message_attachment_max_mib
        .saturating_mul(1024 * 1024);
    // All the files so far (the cap of one message) and those that add to the quota.
    let mut so_far: u64 = 0;
    let mut new_bytes: u64 = 0;
    // The files refused for their size alone, by name.
    let mut too_large: Vec<String> = Vec::new();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                form.malformed = true;
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "pieces_jointes" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            if file_name.is_empty() && form.upload_error.is_none() {
                // An empty file input.
                while let Ok(Some(_)) = field.chunk().await {}
                continue;
            }
            if form.upload_error.is_some() {
                while let Ok(Some(_)) = field.chunk().await {}
                continue;
            }
            if form.uploaded.len() >= MAX_FILES {
                form.upload_error = Some(UploadError::TooMany);
                while let Ok(Some(_)) = field.chunk().await {}
                continue;
            }
            let content_type = clean_type(field.content_type());
            let display = clean_name(&file_name);
            // The stream stops at the cap of one message: a refused form writes at most that.
            let total_left = budget.total.saturating_sub(so_far);
            let cap = max_bytes.min(total_left);
            match store_file(state, &mut field, cap).await {
                Ok((blob, size)) => {
                    so_far = so_far.saturating_add(size);
                    if !already_held(state, budget.person, blob.0).await
                        && !form.uploaded.iter().any(|a| a.blob == blob.0)
                    {
                        new_bytes = new_bytes.saturating_add(size);
                    }
                    if new_bytes > budget.room {
                        form.upload_error = Some(UploadError::OverQuota(budget.room));
                        continue;
                    }
                    form.uploaded.push(Attachment {
                        blob: blob.0,
                        name: display,
                        size,
                        content_type,
                    });
                }
                Err(UploadError::TooLarge(..)) if cap == max_bytes => {
                    too_large.push(display);
                    while let Ok(Some(_)) = field.chunk().await {}
                }
                Err(UploadError::TooLarge(..)) => {
                    form.upload_error = Some(UploadError::OverTotal(budget.total));
                    while let Ok(Some(_)) = field.chunk().await {}
                }
                Err(e) => {
                    form.upload_error = Some(e);
                    while let Ok(Some(_)) = field.chunk().await {}
                }
            }
            continue;
        }
        let Some(value) = read_text(&mut field).await else {
            form.malformed = true;
            continue;
        };
        let id = |v: &str| parse_id(v.trim());
        match name.as_str() {
            "action" => form.action = value,
            "recherche" => form.query = value.chars().take(100).collect(),
            "destinataires" => {
                if let Some(n) = id(&value)
                    && !form.recipients.contains(&PersonId(n))
                {
                    form.recipients.push(PersonId(n));
                }
            }
            "listes" => form.lists.push(value),
            "objet" => form.subject = value,
            "corps" => form.body = value,
            "accuse" => form.ack = !value.is_empty(),
            "brouillon" => form.draft = id(&value).map(MessageId),
            "reponse" => form.reply_to = id(&value).map(MessageId),
            "garder" => form.keep.push(value),
            crate::domain::once::FIELD => form.key = value,
            _ => {}
        }
    }
    if form.upload_error.is_none() && !too_large.is_empty() {
        form.upload_error = Some(UploadError::TooLarge(too_large, max_bytes / (1024 * 1024)));
    }
    form
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_and_controls() {
        assert_eq!(clean_name("C:\\Users\\léa\\devoir.pdf"), "devoir.pdf");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\nc\u{202e}d.txt"), "abcd.txt");
        assert_eq!(clean_name(".bashrc"), "bashrc");
        assert_eq!(clean_name("   "), "piece-jointe");
        assert_eq!(clean_name(&"é".repeat(300)).chars().count(), 200);
    }

    #[test]
    fn types_are_kept_only_when_well_formed() {
        assert_eq!(clean_type(Some("application/pdf")), "application/pdf");
        assert_eq!(clean_type(Some("Image/PNG; x=y")), "image/png");
        assert_eq!(clean_type(Some("text/html\"<")), "application/octet-stream");
        assert_eq!(clean_type(None), "application/octet-stream");
    }
}
