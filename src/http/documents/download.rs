//! Downloads (`/documents/fichier/{id}/telecharger[?version=N]`) and previews (`…/apercu`):
//! streamed from the blob store, never whole in memory, with the stored content type, a
//! `Content-Disposition` carrying the UTF-8 name (RFC 6266 / 5987) and an ASCII fallback,
//! `nosniff`, private caching, a strong `ETag` (the content's SHA-256) and single HTTP ranges
//! (`bytes=a-b`, `bytes=a-`, `bytes=-n` → 206; outside the file → 416).
//!
//! A preview is inline only for the types `service::is_safe_inline` allows (images that cannot
//! carry script, PDF), in a strict CSP (`sandbox` for images); anything else — HTML, SVG, unknown — is served as an
//! attachment exactly like the download. User HTML or SVG is never rendered by the browser.

use crate::http::extract::Query;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::run;
use crate::blobs::BlobId;
use crate::domain::documents::service::{self, Download};
use crate::domain::documents::views;
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::PageError;
use crate::http::messaging::message::content_disposition;
use crate::http::path_ids::{Id, parse_id};
use crate::http::problem;
use crate::model::documents::NodeId;
use crate::state::AppState;

/// The policy of an inline image: no script, no framing, a unique origin (`sandbox`).
pub const PREVIEW_CSP: &str =
    "sandbox; default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'none'";

/// The policy of an inline PDF: the same without `sandbox`, which would stop the browsers' own
/// PDF viewers (a sandboxed document may not load plugins, and Chromium's viewer is one); the
/// viewers run a PDF's scripts, if at all, away from the site's origin.
pub const PDF_PREVIEW_CSP: &str =
    "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'none'";

/// Query of a download: a version other than the current one.
#[derive(Debug, Default, Deserialize)]
pub struct VersionQuery {
    #[serde(default)]
    version: String,
}

/// What a `Range` header asks for, for a file of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranged {
    /// The whole file (no range, an unsupported or malformed one, several ranges).
    Full,
    /// `len` bytes from `start`.
    Part {
        /// First byte.
        start: u64,
        /// Number of bytes (at least 1).
        len: u64,
    },
    /// A range that starts past the end (416).
    Unsatisfiable,
}

/// Reads a `Range` header (RFC 9110 §14.2) for a file of `size` bytes: one range of bytes only;
/// a header that cannot be read is ignored, as the RFC allows.
pub fn parse_range(header: Option<&str>, size: u64) -> Ranged {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ranged::Full;
    };
    if spec.contains(',') {
        return Ranged::Full;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Ranged::Full;
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        // The last `n` bytes.
        let Ok(n) = last.parse::<u64>() else {
            return Ranged::Full;
        };
        if n == 0 || size == 0 {
            return Ranged::Unsatisfiable;
        }
        let len = n.min(size);
        return Ranged::Part {
            start: size - len,
            len,
        };
    }
    let Ok(start) = first.parse::<u64>() else {
        return Ranged::Full;
    };
    let end = if last.is_empty() {
        None
    } else {
        match last.parse::<u64>() {
            Ok(end) if end >= start => Some(end),
            _ => return Ranged::Full,
        }
    };
    if start >= size {
        return Ranged::Unsatisfiable;
    }
    let end = end.map_or(size - 1, |e| e.min(size - 1));
    Ranged::Part {
        start,
        len: end - start + 1,
    }
}

/// A range that starts past the end of the file: its status comes from the error map; the
/// answer carries `Content-Range: bytes */size` and no body.
#[derive(Debug, thiserror::Error)]
#[error("range not satisfiable for {size} bytes")]
pub struct RangeNotSatisfiable {
    /// The size of the file.
    pub size: u64,
}

/// The strong entity tag of a version: its content's SHA-256.
fn etag(blob: &[u8; 32]) -> String {
    format!("\"{}\"", BlobId(*blob).to_hex())
}

/// Serves a version of a file, whole or the range asked for (an `If-Range` that names another
/// version gets the whole file).
async fn serve(
    state: &AppState,
    t: &Tr,
    d: Download,
    headers: &HeaderMap,
    inline: bool,
) -> Result<Response, PageError> {
    let blob = BlobId(d.version.blob);
    let tag = etag(&d.version.blob);
    let size = d.version.size;
    let asked = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == tag);
    let ranged = if if_range_ok {
        parse_range(asked, size)
    } else {
        Ranged::Full
    };
    let disposition = if inline {
        content_disposition(&d.name).replacen("attachment", "inline", 1)
    } else {
        content_disposition(&d.name)
    };
    let missing = |e: crate::blobs::BlobError| {
        tracing::error!(error = %e, "a document's blob cannot be read");
        PageError(Error::NotFound, t.clone())
    };
    let (status, body, length, range) = match ranged {
        Ranged::Full => {
            let (file, on_disk) = state.blobs.open(blob).await.map_err(missing)?;
            // Large reads: the default 4 KiB chunks made downloads three times slower than
            // uploads (a TLS record and a poll per 4 KiB).
            let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
                file,
                256 * 1024,
            ));
            (StatusCode::OK, body, on_disk, None)
        }
        Ranged::Part { start, len } => {
            let part = state
                .blobs
                .open_range(blob, start, len)
                .await
                .map_err(missing)?;
            let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(
                part,
                256 * 1024,
            ));
            let range = format!("bytes {start}-{}/{size}", start + len - 1);
            (StatusCode::PARTIAL_CONTENT, body, len, Some(range))
        }
        Ranged::Unsatisfiable => (
            problem::status(&RangeNotSatisfiable { size }),
            Body::empty(),
            0,
            Some(format!("bytes */{size}")),
        ),
    };
    let satisfied = status.is_success();
    let mut response = (status, body).into_response();
    let out = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            out.insert(name, v);
        }
    };
    if satisfied {
        set(header::CONTENT_TYPE, &d.version.content_type);
        set(header::CONTENT_DISPOSITION, &disposition);
    }
    set(header::CONTENT_LENGTH, &length.to_string());
    if let Some(range) = &range {
        set(header::CONTENT_RANGE, range);
    }
    set(header::ACCEPT_RANGES, "bytes");
    set(header::ETAG, &tag);
    set(header::CACHE_CONTROL, "private, no-cache");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if inline {
        let policy = if d.version.content_type == "application/pdf" {
            PDF_PREVIEW_CSP
        } else {
            PREVIEW_CSP
        };
        set(header::CONTENT_SECURITY_POLICY, policy);
    }
    Ok(response)
}

/// Finds the version asked for, through the domain (404 for what the actor may not read).
async fn find(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: NodeId,
    version: &str,
) -> Result<Download, PageError> {
    let version = if version.trim().is_empty() {
        None
    } else {
        Some(
            parse_id(version.trim())
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| PageError(Error::NotFound, t.clone()))?,
        )
    };
    let store = state.store.clone();
    let actor = user.actor.clone();
    run(t, move || views::download(&store, &actor, id, version)).await
}

/// `GET /documents/fichier/{id}/telecharger[?version=N]`: always an attachment.
#[utoipa::path(
    get,
    path = "/documents/fichier/{id}/telecharger",
    tag = "documents",
    summary = "Download a file (attachment; single HTTP ranges supported). Shared with the pages.",
    params(
        ("id" = u64, Path, description = "The file's id"),
        ("version" = Option<u32>, Query, description = "A version number (default: the current one)"),
        ("Range" = Option<String>, Header, description = "bytes=a-b, bytes=a- or bytes=-n"),
    ),
    responses(
        (status = 200, description = "The whole file"),
        (status = 206, description = "The range asked for (Content-Range)"),
        (status = 404, description = "No such file or version for this person"),
        (status = 416, description = "The range starts past the end (Content-Range: bytes */size)"),
    ),
    security(("session" = [])),
)]
pub async fn download(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Id(id): Id<NodeId>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, PageError> {
    let d = find(&state, &t, &user, id, &q.version).await?;
    serve(&state, &t, d, &headers, false).await
}

/// `GET /documents/fichier/{id}/apercu[?version=N]`: inline for images (sandboxed) and PDF,
/// an attachment for everything else.
pub async fn preview(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Id(id): Id<NodeId>,
    Query(q): Query<VersionQuery>,
) -> Result<Response, PageError> {
    let d = find(&state, &t, &user, id, &q.version).await?;
    let inline = service::is_safe_inline(&d.version.content_type);
    serve(&state, &t, d, &headers, inline).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_ranges_are_read_as_the_rfc_says() {
        use Ranged::*;
        assert_eq!(parse_range(None, 10), Full);
        assert_eq!(
            parse_range(Some("bytes=0-3"), 10),
            Part { start: 0, len: 4 }
        );
        assert_eq!(parse_range(Some("bytes=5-"), 10), Part { start: 5, len: 5 });
        assert_eq!(parse_range(Some("bytes=-5"), 10), Part { start: 5, len: 5 });
        assert_eq!(
            parse_range(Some("bytes=-50"), 10),
            Part { start: 0, len: 10 }
        );
        assert_eq!(
            parse_range(Some("bytes=8-100"), 10),
            Part { start: 8, len: 2 }
        );
        assert_eq!(parse_range(Some("bytes=10-"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=20-30"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=-0"), 10), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=0-"), 0), Unsatisfiable);
        assert_eq!(parse_range(Some("bytes=5-3"), 10), Full);
        assert_eq!(parse_range(Some("bytes=0-1,4-5"), 10), Full);
        assert_eq!(parse_range(Some("items=0-1"), 10), Full);
        assert_eq!(parse_range(Some("bytes=x-1"), 10), Full);
    }
}
