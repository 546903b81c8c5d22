//! `GET /healthz`: for load balancers, systemd and monitoring.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;

use crate::http::problem::Problem;
use crate::state::AppState;
use crate::store::migrations::SCHEMA_VERSION;

/// The store cannot be read: the probe answers 503 (its status: `http/problem/accounts.rs`),
/// with its own body.
#[derive(Debug, thiserror::Error)]
#[error("the store cannot be read")]
pub struct StoreUnreadable;

/// `200` with the version, the schema version and the store's status; `503` if the store
/// cannot be read.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "api",
    summary = "Health probe",
    responses(
        (status = 200, description = "Version, schema version and store status", body = Object),
        (status = 503, description = "Store unreadable", body = Object),
    ),
)]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let store = state.store.clone();
    let probe = tokio::task::spawn_blocking(move || store.read().and_then(|r| r.head())).await;
    let (status, store_json) = match probe {
        Ok(Ok(head)) => (
            StatusCode::OK,
            json!({ "status": "ok", "head_seq": head.seq, "epoch": head.epoch.term }),
        ),
        Ok(Err(e)) => {
            tracing::error!(error = %e, "health check: store unreadable");
            (StoreUnreadable.status(), json!({ "status": "error" }))
        }
        Err(_) => (StoreUnreadable.status(), json!({ "status": "error" })),
    };
    let overall = if status == StatusCode::OK {
        "ok"
    } else {
        "error"
    };
    (
        status,
        Json(json!({
            "status": overall,
            "version": env!("CARGO_PKG_VERSION"),
            "schema_version": SCHEMA_VERSION,
            "store": store_json,
            // The change log position searches see (tests and operators wait on it).
            "search": {
                "indexed_seq": state.search.status().map(|p| p.seq),
                "rebuilding": state.search.is_rebuilding(),
            },
        })),
    )
}
