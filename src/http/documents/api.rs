//! The documents JSON API (`/api/v1/documents…`, issue 7 §2): the same domain functions as the
//! pages — the spaces with the usage, a folder's listing, a file with its versions, an upload.
//! 401 without a session; 404 for anything the actor may not read (whatever its id), 403 for
//! what they may read but not change, 422 with a French message for a refused upload.
//!
//! An upload is `multipart/form-data`: like the page's form, it carries the session's CSRF
//! token in the URL (`?_csrf=`), which `GET /api/v1/documents` gives as `upload_token`.
//! Downloads use the pages' route (`…/telecharger`, ranges included).

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::upload::{UploadQuery, receive};
use super::{file_href, grantee_code, listing_href, parse_node};
use crate::domain::documents::DocumentError;
use crate::domain::documents::access::Access;
use crate::domain::documents::service::{self, Stored};
use crate::domain::documents::views::{self, FolderView, SpaceName};
use crate::http::extract::{CurrentUser, Tr};
use crate::http::problem;
use crate::model::documents::{NodeKind, ShareRight, Space};
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
#[derive(Debug, Default, Deserialize)]
pub struct ListingQuery {
    #[serde(default)]
    dossier: String,
}

/// `GET /api/v1/documents/{space}[?dossier=id]`: a space's root or one of its folders.
pub async fn listing(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<ListingQuery>,
) -> Response {
    let Some(space) = Space::from_slug(&slug) else {
        return problem::json(&t, &DocumentError::NotFound);
    };
    let folder = if q.dossier.trim().is_empty() {
        None
    } else {
        match parse_node(&q.dossier) {
            Some(f) => Some(f),
            None => return problem::json(&t, &DocumentError::NotFound),
        }
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
pub async fn file(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = parse_node(&id) else {
        return problem::json(&t, &DocumentError::NotFound);
    };
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
pub async fn upload(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(q): Query<UploadQuery>,
    multipart: Multipart,
) -> Response {
    let (Some(space), Ok(folder)) = (Space::from_slug(&slug), q.folder()) else {
        return problem::json(&t, &DocumentError::NotFound);
    };
    match receive(&state, &user.actor, space, folder, multipart).await {
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

/// The documents part of the OpenAPI document (`paths`, `schemas`), merged by
/// [`crate::http::api::openapi`].
pub fn openapi_paths() -> (Value, Value) {
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let err = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": error.clone() }}});
    let space_param = json!({ "name": "space", "in": "path", "required": true,
        "description": "perso-ID, classe-ID, groupe-ID or etab-ID", "schema": { "type": "string" } });
    let paths = json!({
        "/api/v1/documents": { "get": {
            "summary": "The documents spaces the person may open, what was shared with them, their usage and quota",
            "responses": {
                "200": { "description": "Spaces", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DocumentsHome" } }}},
                "401": err("Not signed in")
            }
        }},
        "/api/v1/documents/{space}": { "get": {
            "summary": "A space's root or one of its folders: folders first, then files, in French alphabetical order",
            "parameters": [space_param.clone(),
                { "name": "dossier", "in": "query", "description": "A folder of the space (default: the root)", "schema": { "type": "integer" } }],
            "responses": {
                "200": { "description": "The listing", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DocumentListing" } }}},
                "401": err("Not signed in"),
                "404": err("No such space or folder for this person")
            }
        }},
        "/api/v1/documents/{space}/fichiers": { "post": {
            "summary": "Upload files (several at once) into a space's root or folder; a file of an existing name becomes its new version. All or nothing.",
            "parameters": [space_param,
                { "name": "dossier", "in": "query", "description": "A folder of the space (default: the root)", "schema": { "type": "integer" } },
                { "name": "_csrf", "in": "query", "required": true, "description": "The `upload_token` of GET /api/v1/documents", "schema": { "type": "string" } }],
            "requestBody": { "required": true, "content": { "multipart/form-data": { "schema": {
                "type": "object", "properties": { "fichiers": { "type": "array", "items": { "type": "string", "format": "binary" } } } }}}},
            "responses": {
                "201": { "description": "Stored", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "stored": { "type": "array", "items": { "type": "object", "properties": {
                        "id": { "type": "integer" }, "new": { "type": "boolean" }, "version": { "type": "integer" }, "href": { "type": "string" } } } } } }}}},
                "401": err("Not signed in"),
                "403": err("`forbidden`: the person may read this folder but not write in it"),
                "404": err("No such space or folder for this person"),
                "422": err("`too_large`: a file is over the size limit; `quota_exceeded`: over the person's quota; `invalid`: no file, too many files, a name that cannot be used")
            }
        }},
        "/api/v1/documents/fichier/{id}": { "get": {
            "summary": "A file, its versions (newest first) and, for those who manage it, its shares",
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "responses": {
                "200": { "description": "The file", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/DocumentFile" } }}},
                "401": err("Not signed in"),
                "404": err("No such file for this person")
            }
        }},
        "/documents/fichier/{id}/telecharger": { "get": {
            "summary": "Download a file (attachment; single HTTP ranges supported). Shared with the pages.",
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } },
                { "name": "version", "in": "query", "description": "A version number (default: the current one)", "schema": { "type": "integer" } },
                { "name": "Range", "in": "header", "description": "bytes=a-b, bytes=a- or bytes=-n", "schema": { "type": "string" } }],
            "responses": {
                "200": { "description": "The whole file" },
                "206": { "description": "The range asked for (Content-Range)" },
                "404": { "description": "No such file or version for this person" },
                "416": { "description": "The range starts past the end (Content-Range: bytes */size)" }
            }
        }}
    });
    let space = json!({ "type": "object", "properties": {
        "space": { "type": "string" }, "kind": { "type": "string", "enum": ["perso", "classe", "groupe", "etab"] },
        "name": { "type": "string" }, "access": { "type": "string", "enum": ["read", "write", "manage"] },
        "href": { "type": "string" } } });
    let schemas = json!({
        "DocumentSpace": space,
        "DocumentsHome": { "type": "object", "properties": {
            "spaces": { "type": "array", "items": { "$ref": "#/components/schemas/DocumentSpace" } },
            "shared_with_me": { "type": "array", "items": { "type": "object" } },
            "usage": { "type": "object", "properties": { "used": { "type": "integer" }, "quota": { "type": "integer" } } },
            "max_file": { "type": "integer", "description": "The largest file, in bytes" },
            "upload_token": { "type": "string", "description": "The `_csrf` an upload carries in its URL" } } },
        "DocumentEntry": { "type": "object", "properties": {
            "id": { "type": "integer" }, "name": { "type": "string" }, "folder": { "type": "boolean" },
            "size": { "type": ["integer", "null"] }, "content_type": { "type": ["string", "null"] },
            "version": { "type": ["integer", "null"] },
            "updated_at": { "type": "string", "format": "date-time" }, "updated_by": { "type": "string" },
            "shared": { "type": "boolean", "description": "Told only to those who manage the folder" },
            "href": { "type": "string" } } },
        "DocumentListing": { "type": "object", "properties": {
            "space": { "$ref": "#/components/schemas/DocumentSpace" },
            "folder": { "type": ["integer", "null"] },
            "path": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "integer" }, "name": { "type": "string" } } } },
            "access": { "type": "string" },
            "entries": { "type": "array", "items": { "$ref": "#/components/schemas/DocumentEntry" } } } },
        "DocumentFile": { "type": "object", "properties": {
            "id": { "type": "integer" }, "name": { "type": "string" }, "space": { "type": "string" },
            "folder": { "type": ["integer", "null"] }, "size": { "type": "integer" },
            "content_type": { "type": "string" }, "version": { "type": "integer" },
            "created_at": { "type": "string", "format": "date-time" },
            "updated_at": { "type": "string", "format": "date-time" },
            "access": { "type": "string" }, "download": { "type": "string" },
            "preview": { "type": ["string", "null"], "description": "Inline preview (images and PDF only)" },
            "versions": { "type": "array", "items": { "type": "object", "properties": {
                "number": { "type": "integer" }, "size": { "type": "integer" }, "content_type": { "type": "string" },
                "uploaded_at": { "type": "string", "format": "date-time" }, "uploaded_by": { "type": "string" },
                "download": { "type": "string" } } } },
            "shares": { "type": "array", "items": { "type": "object", "properties": {
                "grantee": { "type": "string", "description": "personne-ID, classe-ID or groupe-ID" },
                "name": { "type": "string" }, "right": { "type": "string", "enum": ["read", "write"] },
                "at": { "type": "string", "format": "date-time" } } } } } }
    });
    (paths, schemas)
}
