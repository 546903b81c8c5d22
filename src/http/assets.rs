//! Files embedded in the binary from `assets/` (rust-embed).

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::Error;

#[derive(RustEmbed)]
#[folder = "assets/"]
#[include = "public/*"]
struct Assets;

/// `GET /static/{file}`: CSS, scripts, images.
pub async fn file(Path(name): Path<String>) -> Response {
    if name.contains('/') || name.ends_with(".html") {
        return Error::NotFound.into_response();
    }
    match Assets::get(&format!("public/{name}")) {
        Some(file) => (
            [
                (header::CONTENT_TYPE, file.metadata.mimetype().to_owned()),
                (header::CACHE_CONTROL, "public, max-age=3600".to_owned()),
            ],
            file.data.into_owned(),
        )
            .into_response(),
        None => Error::NotFound.into_response(),
    }
}
