//! The documents JSON API (`/api/v1/documents…`, issue 7 §2): the same domain functions as the
//! pages — the spaces with the usage, a folder's listing, a file with its versions, an upload.
//! 401 without a session; 404 for anything the actor may not read (whatever its id), 403 for
//! what they may read but not change, 422 with a French message for a refused upload.
//!
//! An upload is `multipart/form-data`: like the page's form, it carries the session's CSRF
//! token in the URL (`?_csrf=`), which `GET /api/v1/documents` gives as `upload_token`.
//! Downloads use the pages' route (`…/telecharger`, ranges included).

use crate::http::extract::Query;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::upload::{UploadQuery, receive};
use super::{file_href, folder_field, grantee_code, listing_href};
use crate::domain::documents::DocumentError;
use crate::domain::documents::policy::Access;
use crate::domain::documents::service::{self, Stored};
use crate::domain::documents::views::{self, FolderView, SpaceName};
use crate::http::api::ErrorBody;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::path_ids::Id;
use crate::http::problem;
use crate::model::documents::{NodeId, NodeKind, ShareRight, Space};
use crate::state::AppState;

/// Runs a domain call on the blocking pool; a refusal becomes its JSON answer.
async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, DocumentError> + Send + 'static,
) -> Result<T, Response> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(problem::json(t, &e)),
        Err(e) => Err(crate::error::Error::Io(std::io::Error::other(e)).into_response()),
    }
}

fn access_code(access: Access) -> &'static str {
    match access {
        Access::None => "none",
        Access::Read => "read",
        Access::Write => "write",
        Access::Manage => "manage",
    }
}

fn space_kind(space: Space) -> &'static str {
    match space {
        Space::Personal(_) => "perso",
        Space::Class(_) => "classe",
        Space::Group(_) => "groupe",
        Space::Establishment(_) => "etab",
    }
}

fn space_json(t: &Tr, space: Space, name: &SpaceName, access: Access) -> Value {
    json!({
        "space": space.slug(),
        "kind": space_kind(space),
        "name": super::space_title(t, name),
        "access": access_code(access),
        "href": listing_href(space, None),
    })
}

fn listing_json(t: &Tr, view: &FolderView) -> Value {
    let entries: Vec<Value> = view
        .rows
        .iter()
        .map(|r| {
            let (size, content_type, version, href) = match &r.node.kind {
                NodeKind::Folder => (None, None, None, listing_href(r.node.space, Some(r.id))),
                NodeKind::File {
                    current,
                    size,
                    content_type,
                } => (
                    Some(*size),
                    Some(content_type.clone()),
                    Some(*current),
                    file_href(r.id),
                ),
            };
            json!({
                "id": r.id.0,
                "name": r.node.name,
                "folder": r.node.is_folder(),
                "size": size,
                "content_type": content_type,
                "version": version,
                "updated_at": r.node.updated_at,
                "updated_by": r.by,
                "shared": r.shared,
                "href": href,
            })
        })
        .collect();
    json!({
        "space": space_json(t, view.listing.space, &view.name, view.listing.access),
        "folder": view.listing.folder.map(|f| f.0),
        "path": view.path.iter().map(|(id, name)| json!({ "id": id.0, "name": name })).collect::<Vec<_>>(),
        "access": access_code(view.listing.access),
        "entries": entries,
    })
}

/// `GET /api/v1/documents`: the spaces the actor may open, what was shared with them, their
/// usage and quota, the largest file, and the token an upload carries.
#[utoipa::path(
    get,
    path = "/api/v1/documents",
    tag = "documents",
    summary = "The documents spaces the person may open, what was shared with them, their usage and quota",
    responses(
        (status = 200, description = "Spaces", body = DocumentsHome),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn home(State(state): State<AppState>, t: Tr, user: CurrentUser) -> Response {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let limits = state.config.document_limits();
    let home = match run(&t, move || views::home(&store, &actor, &limits)).await {
        Ok(h) => h,
        Err(r) => return r,
    };
    Json(json!({
        "spaces": home.spaces.iter().map(|(s, name)| space_json(&t, s.space, name, s.access)).collect::<Vec<_>>(),
        "shared_with_me": home.shared.iter().map(|s| json!({
            "id": s.id.0,
            "name": s.node.name,
            "folder": s.node.is_folder(),
            "space": s.node.space.slug(),
            "owner": s.owner,
            "access": access_code(s.access),
            "updated_at": s.node.updated_at,
            "href": if s.node.is_folder() { listing_href(s.node.space, Some(s.id)) } else { file_href(s.id) },
        })).collect::<Vec<_>>(),
        "usage": { "used": home.used, "quota": home.quota },
        "max_file": limits.max_file,
        "upload_token": user.csrf(),
    }))
    .into_response()
}

/// Query of a listing: the folder (none: the root).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListingQuery {
    /// A folder of the space (default: the root).
    #[serde(default)]
    #[param(value_type = Option<u64>)]
    dossier: String,
}

/// `GET /api/v1/documents/{space}[?dossier=id]`: a space's root or one of its folders.
#[utoipa::path(
    get,
    path = "/api/v1/documents/{space}",
    tag = "documents",
    summary = "A space's root or one of its folders: folders first, then files, in French alphabetical order",
    params(("space" = String, Path, description = "perso-ID, classe-ID, groupe-ID or etab-ID"), ListingQuery),
    responses(
        (status = 200, description = "The listing", body = DocumentListing),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such space or folder for this person", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn listing(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(space): Id<Space>,
    Query(q): Query<ListingQuery>,
) -> Response {
    let Ok(folder) = folder_field(&q.dossier) else {
        return problem::json(&t, &DocumentError::NotFound);
    };
    let store = state.store.clone();
    let actor = user.actor.clone();
    match run(&t, move || views::folder(&store, &actor, space, folder)).await {
        Ok(view) => Json(listing_json(&t, &view)).into_response(),
        Err(r) => r,
    }
}

/// `GET /api/v1/documents/fichier/{id}`: a file, its versions (newest first) and, for those
/// who manage it, its shares.
#[utoipa::path(
    get,
    path = "/api/v1/documents/fichier/{id}",
    tag = "documents",
    summary = "A file, its versions (newest first) and, for those who manage it, its shares",
    params(("id" = u64, Path, description = "The file's id")),
    responses(
        (status = 200, description = "The file", body = DocumentFile),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such file for this person", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn file(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
) -> Response {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = match run(&t, move || views::file(&store, &actor, id)).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let node = &view.node.node;
    let (size, content_type, current) = match &node.kind {
        NodeKind::File {
            size,
            content_type,
            current,
        } => (*size, content_type.clone(), *current),
        NodeKind::Folder => (0, String::new(), 0),
    };
    Json(json!({
        "id": id.0,
        "name": node.name,
        "space": node.space.slug(),
        "folder": node.parent.map(|p| p.0),
        "size": size,
        "content_type": content_type,
        "version": current,
        "created_at": node.created_at,
        "updated_at": node.updated_at,
        "access": access_code(view.node.access),
        "download": format!("{}/telecharger", file_href(id)),
        "preview": service::is_safe_inline(&content_type).then(|| format!("{}/apercu", file_href(id))),
        "versions": view.versions.iter().map(|v| json!({
            "number": v.number,
            "size": v.version.size,
            "content_type": v.version.content_type,
            "uploaded_at": v.version.uploaded_at,
            "uploaded_by": v.by,
            "download": format!("{}/telecharger?version={}", file_href(id), v.number),
        })).collect::<Vec<_>>(),
        "shares": view.node.shares.iter().map(|(g, name, share)| json!({
            "grantee": grantee_code(*g),
            "name": name,
            "right": match share.right { ShareRight::Read => "read", ShareRight::Write => "write" },
            "at": share.at,
        })).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// `POST /api/v1/documents/{space}/fichiers?_csrf=&dossier=` (multipart, `fichiers`): stores
/// the files all or nothing (201 `{"stored": [...]}`); 422 `too_large`, `quota_exceeded` or
/// `invalid` with a French message, nothing stored.
#[utoipa::path(
    post,
    path = "/api/v1/documents/{space}/fichiers",
    tag = "documents",
    summary = "Upload files (several at once) into a space's root or folder; a file of an existing name becomes its new version. All or nothing.",
    params(
        ("space" = String, Path, description = "perso-ID, classe-ID, groupe-ID or etab-ID"),
        ("dossier" = Option<u64>, Query, description = "A folder of the space (default: the root)"),
        ("_csrf" = String, Query, description = "The `upload_token` of GET /api/v1/documents"),
        ("Idempotency-Key" = Option<String>, Header, description = "A one-time key (32 hex digits or a UUID): the same key sent again by the same person gives back the files it stored first, and stores nothing (kept a day)"),
    ),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Stored (or stored already under this Idempotency-Key: the same files)", body = Uploaded),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`forbidden`: the person may read this folder but not write in it", body = ErrorBody),
        (status = 404, description = "No such space or folder for this person", body = ErrorBody),
        (status = 422, description = "`too_large`: a file is over the size limit; `quota_exceeded`: over the person's quota; `invalid`: no file, too many files, a name that cannot be used", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn upload(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(space): Id<Space>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let Ok(folder) = q.folder() else {
        return problem::json(&t, &DocumentError::NotFound);
    };
    let Ok(key) = crate::http::form_key::from_headers(&headers) else {
        return problem::json(&t, &DocumentError::Invalid("formulaire-cle-invalide"));
    };
    match receive(&state, &user.actor, space, folder, key, multipart).await {
        Ok(stored) => {
            let list: Vec<Value> = stored
                .iter()
                .map(|s| {
                    let (new, version) = match s {
                        Stored::New(_) => (true, 1),
                        Stored::NewVersion(_, n) => (false, *n),
                    };
                    json!({ "id": s.node().0, "new": new, "version": version, "href": file_href(s.node()) })
                })
                .collect();
            (StatusCode::CREATED, Json(json!({ "stored": list }))).into_response()
        }
        Err(e) => problem::json(&t, &e),
    }
}

// ---------------------------------------------------------------------------------------------
// The shapes of the answers, for the OpenAPI document (the handlers build them with `json!`).
// ---------------------------------------------------------------------------------------------

/// A documents space and the actor's access to it.
#[derive(ToSchema)]
pub struct DocumentSpace {
    /// Its slug: perso-ID, classe-ID, groupe-ID or etab-ID.
    pub space: String,
    /// `perso`, `classe`, `groupe` or `etab`.
    #[schema(inline)]
    pub kind: SpaceKind,
    /// Its name, in the user's language.
    pub name: String,
    /// The actor's access.
    #[schema(inline)]
    pub access: AccessCode,
    /// Its page.
    pub href: String,
}

/// The kind of a space.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum SpaceKind {
    /// A person's own space.
    Perso,
    /// A class's.
    Classe,
    /// A group's.
    Groupe,
    /// The establishment's.
    Etab,
}

/// What the actor may do to a space, folder or file.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum AccessCode {
    /// Read it.
    Read,
    /// Read and change it.
    Write,
    /// Also share and move it.
    Manage,
}

/// `GET /api/v1/documents` answer.
#[derive(ToSchema)]
pub struct DocumentsHome {
    /// The spaces the actor may open.
    pub spaces: Vec<DocumentSpace>,
    /// What was shared with them.
    pub shared_with_me: Vec<SharedItem>,
    /// Their usage and quota.
    pub usage: Usage,
    /// The largest file, in bytes.
    pub max_file: u64,
    /// The `_csrf` an upload carries in its URL.
    pub upload_token: String,
}

/// A folder or file shared with the actor.
#[derive(ToSchema)]
pub struct SharedItem {
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// A folder (else a file).
    pub folder: bool,
    /// Its space's slug.
    pub space: String,
    /// Who owns it.
    pub owner: String,
    /// The actor's access.
    #[schema(inline)]
    pub access: AccessCode,
    /// When it last changed.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Its page.
    pub href: String,
}

/// Bytes used and allowed.
#[derive(ToSchema)]
pub struct Usage {
    /// Bytes used.
    pub used: u64,
    /// Bytes allowed.
    pub quota: u64,
}

/// A row of a listing.
#[derive(ToSchema)]
pub struct DocumentEntry {
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// A folder (else a file).
    pub folder: bool,
    /// A file's size in bytes.
    pub size: Option<u64>,
    /// A file's MIME type.
    pub content_type: Option<String>,
    /// A file's current version.
    pub version: Option<u32>,
    /// When it last changed.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Who changed it last.
    pub updated_by: String,
    /// Told only to those who manage the folder.
    pub shared: bool,
    /// Its page.
    pub href: String,
}

/// `GET /api/v1/documents/{space}` answer.
#[derive(ToSchema)]
pub struct DocumentListing {
    /// The space.
    pub space: DocumentSpace,
    /// The folder listed (none: the root).
    pub folder: Option<u64>,
    /// The folders from the root down to this one.
    pub path: Vec<PathStep>,
    /// The actor's access here.
    pub access: String,
    /// Folders first, then files, in French alphabetical order.
    pub entries: Vec<DocumentEntry>,
}

/// A folder on the way down from the root.
#[derive(ToSchema)]
pub struct PathStep {
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
}

/// `GET /api/v1/documents/fichier/{id}` answer.
#[derive(ToSchema)]
pub struct DocumentFile {
    /// Its id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// Its space's slug.
    pub space: String,
    /// Its folder (none: the root).
    pub folder: Option<u64>,
    /// Its size in bytes.
    pub size: u64,
    /// Its MIME type.
    pub content_type: String,
    /// Its current version.
    pub version: u32,
    /// When it was created.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When it last changed.
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// The actor's access.
    pub access: String,
    /// Where to download it.
    pub download: String,
    /// Inline preview (images and PDF only).
    pub preview: Option<String>,
    /// Newest first.
    pub versions: Vec<FileVersion>,
    /// For those who manage it.
    pub shares: Vec<ShareDoc>,
}

/// A version of a file.
#[derive(ToSchema)]
pub struct FileVersion {
    /// Its number, from 1.
    pub number: u32,
    /// Its size in bytes.
    pub size: u64,
    /// Its MIME type.
    pub content_type: String,
    /// When it was uploaded.
    #[schema(format = DateTime)]
    pub uploaded_at: String,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// Where to download it.
    pub download: String,
}

/// A share of a file or folder.
#[derive(ToSchema)]
#[schema(as = Share)]
pub struct ShareDoc {
    /// personne-ID, classe-ID or groupe-ID.
    pub grantee: String,
    /// The grantee's name.
    pub name: String,
    /// `read` or `write`.
    pub right: String,
    /// When it was shared.
    #[schema(format = DateTime)]
    pub at: String,
}

/// The body of an upload: the files, in one or more `fichiers` fields.
#[derive(ToSchema)]
pub struct UploadForm {
    /// The files.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub fichiers: Vec<Vec<u8>>,
}

/// `POST /api/v1/documents/{space}/fichiers` answer.
#[derive(ToSchema)]
pub struct Uploaded {
    /// The files stored.
    pub stored: Vec<StoredFile>,
}

/// A file stored by an upload.
#[derive(ToSchema)]
pub struct StoredFile {
    /// Its id.
    pub id: u64,
    /// A new file (else a new version of one of the same name).
    pub new: bool,
    /// Its version now.
    pub version: u32,
    /// Its page.
    pub href: String,
}
