//! Receiving files (`multipart/form-data`, field `fichiers`, several at once): each streamed
//! into the blob store as it comes (never whole in memory), capped at the size limit and at
//! what is left of the uploader's quota, then stored by `service::store_files` all or nothing.
//! A refused upload writes no row: the blobs already streamed are unreferenced and the sweep
//! removes them after its grace period. The rest of a refused body is read and dropped so that
//! the browser gets its answer.

use crate::http::extract::Query;
use axum::Json;
use axum::extract::multipart::Field;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;
use tokio::io::AsyncWriteExt as _;

use super::pages::{FormState, folder_page};
use super::{folder_field, listing_href, page_error};
use crate::blobs::BlobError;
use crate::domain::documents::DocumentError;
use crate::domain::documents::service::{self, Stored, Uploaded};
use crate::domain::documents::views;
use crate::domain::once::{self, FormKind, Once};
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::PageError;
use crate::http::path_ids::Id;
use crate::http::problem;
use crate::model::Actor;
use crate::model::documents::{NodeId, Space};
use crate::state::AppState;

/// The most files one upload may carry.
pub const MAX_FILES: usize = 50;

/// The name of the file field.
pub const FIELD: &str = "fichiers";

/// Query of an upload: the folder (none: the space's root). The CSRF token rides here too.
#[derive(Debug, Default, Deserialize)]
pub struct UploadQuery {
    #[serde(default)]
    dossier: String,
}

impl UploadQuery {
    /// The folder, if one was given; "not found" if it is not a folder id.
    pub fn folder(&self) -> Result<Option<NodeId>, DocumentError> {
        folder_field(&self.dossier)
    }
}

/// Why one file could not be streamed.
pub(crate) enum StreamError {
    /// More than the cap.
    TooLarge,
    /// The upload broke off, or the disk refused it.
    Failed,
}

/// Streams one file field into the blob store (at most `cap` bytes), never whole in memory.
/// Also the messaging's attachments (`http::messaging::upload`).
pub(crate) async fn stream_file(
    state: &AppState,
    field: &mut Field<'_>,
    cap: u64,
) -> Result<(crate::blobs::BlobId, u64), StreamError> {
    let (mut writer, reader) = tokio::io::duplex(64 * 1024);
    let feed = async {
        let mut broken = false;
        loop {
            match field.chunk().await {
                Ok(Some(bytes)) => {
                    if writer.write_all(&bytes).await.is_err() {
                        // The store gave up (too large): stop feeding it.
                        break;
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    broken = true;
                    break;
                }
            }
        }
        drop(writer);
        broken
    };
    let (stored, broken) = tokio::join!(state.blobs.put(reader, cap), feed);
    match stored {
        // A truncated upload was stored as a shorter blob: never refer to it.
        Ok(_) if broken => Err(StreamError::Failed),
        Ok(done) => Ok(done),
        Err(BlobError::TooLarge { .. }) => Err(StreamError::TooLarge),
        Err(e) => {
            tracing::error!(error = %e, "an uploaded file could not be stored");
            Err(StreamError::Failed)
        }
    }
}

/// Reads what is left of a field.
async fn drain(field: &mut Field<'_>) {
    while let Ok(Some(_)) = field.chunk().await {}
}

/// A short text field (a one-time key): its first 64 bytes, the rest read and dropped.
async fn short_text(field: &mut Field<'_>) -> String {
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = field.chunk().await {
        let room = 64usize.saturating_sub(bytes.len());
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Receives the files of an upload into folder `folder` of `space` and stores them: checks the
/// actor may write there before reading any file, streams each file within the limits, then
/// commits all of them or none. The form's one-time key (`key`, from the API's header, else
/// the form's hidden field) makes a second submission give back the first one's files.
pub(crate) async fn receive(
    state: &AppState,
    actor: &Actor,
    space: Space,
    folder: Option<NodeId>,
    key: Option<String>,
    mut multipart: Multipart,
) -> Result<Vec<Stored>, DocumentError> {
    let mut key = key.unwrap_or_default();
    let limits = state.config.document_limits();
    let (store, who) = (state.store.clone(), actor.clone());
    let (used, quota) = spawn(move || {
        views::check_writable(&store, &who, space, folder)?;
        views::usage(&store, &who, &limits)
    })
    .await?;
    let mut files: Vec<Uploaded> = Vec::new();
    let mut so_far: u64 = 0;
    let mut refusal: Option<DocumentError> = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                refusal.get_or_insert(DocumentError::Invalid("documents-error-upload-failed"));
                break;
            }
        };
        let file_name = field.file_name().unwrap_or("").to_owned();
        if field.name() == Some(once::FIELD) && file_name.is_empty() && key.is_empty() {
            key = short_text(&mut field).await;
            continue;
        }
        if refusal.is_some() || field.name() != Some(FIELD) || file_name.is_empty() {
            // Another field, an empty file input, or the rest of a refused upload.
            drain(&mut field).await;
            continue;
        }
        if files.len() >= MAX_FILES {
            refusal = Some(DocumentError::Invalid("documents-error-too-many-files"));
            drain(&mut field).await;
            continue;
        }
        let room = quota.saturating_sub(used).saturating_sub(so_far);
        let cap = limits.max_file.min(room);
        match stream_file(state, &mut field, cap).await {
            Ok((blob, size)) => {
                so_far = so_far.saturating_add(size);
                files.push(Uploaded {
                    name: file_name,
                    blob,
                    size,
                });
            }
            Err(StreamError::TooLarge) if cap == limits.max_file => {
                refusal = Some(DocumentError::TooLarge {
                    name: service::upload_name(&file_name).unwrap_or(file_name),
                    max: limits.max_file,
                });
                drain(&mut field).await;
            }
            Err(StreamError::TooLarge) => {
                refusal = Some(DocumentError::QuotaExceeded { used, quota });
                drain(&mut field).await;
            }
            Err(StreamError::Failed) => {
                refusal = Some(DocumentError::Invalid("documents-error-upload-failed"));
                drain(&mut field).await;
            }
        }
    }
    if let Some(e) = refusal {
        return Err(e);
    }
    if files.is_empty() {
        return Err(DocumentError::Invalid("documents-error-no-file"));
    }
    let (store, who, now) = (state.store.clone(), actor.clone(), state.clock.now());
    let contents: Vec<(&str, [u8; 32])> =
        files.iter().map(|f| (f.name.as_str(), f.blob.0)).collect();
    let once = Once::of(actor, FormKind::Upload, &key)
        .map(|o| o.over(&(space.slug(), folder.map(|f| f.0), contents)));
    spawn(move || {
        let at = (space, folder);
        service::store_files_once(&store, &who, at, &files, &limits, now, once.as_ref())
    })
    .await
}

/// Runs a domain call on the blocking pool (a failed task is an internal error).
async fn spawn<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, DocumentError> + Send + 'static,
) -> Result<T, DocumentError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| DocumentError::Blob(BlobError::Io(std::io::Error::other(e))))?
}

/// Whether the client asked for a JSON answer (the drag-and-drop script).
pub(crate) fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// `POST /documents/{space}/fichiers?dossier=&_csrf=` (multipart, `fichiers`): stores the
/// files, then back to the folder with a confirmation; a refusal shows the folder again with
/// the reason beside the upload field (422). With `Accept: application/json` (the script), the
/// answer is `{"redirect"}` or `{"error", "message"}`.
pub async fn submit(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Id(space): Id<Space>,
    Query(q): Query<UploadQuery>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let folder = q.folder().map_err(|e| page_error(&t, e))?;
    let json = wants_json(&headers);
    match receive(&state, &user.actor, space, folder, None, multipart).await {
        Ok(stored) => {
            let to = format!(
                "{}?fait=envoi&nombre={}",
                listing_href(space, folder),
                stored.len()
            );
            if json {
                return Ok(Json(json!({ "redirect": to })).into_response());
            }
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) if json => Ok(problem::json(&t, &e)),
        Err(e) if problem::is_fixable(&e) => {
            let form = FormState {
                upload_error: Some(problem::text(&t, &e)),
                ..FormState::default()
            };
            let shown = folder_page(&state, &t, &user, space, folder, None, form).await?;
            Ok(problem::form_again(&e, shown))
        }
        Err(e) => Err(page_error(&t, e)),
    }
}
