//! The OpenAPI document (issue 13 §5): generated from the handlers with their routes
//! (`http::routes::api_routes`), it describes every `/api/v1` route of the router with its
//! methods, and it is a valid OpenAPI 3.1 document.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::app::TestApp;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// The document as the router serves it, to anyone.
async fn document(app: &TestApp) -> Value {
    let r = app
        .client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    r.json().await.unwrap()
}

/// A concrete URL for a path template (`{x}` → `1`).
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|part| if part.starts_with('{') { "1" } else { part })
        .collect::<Vec<_>>()
        .join("/")
}

/// Whether the router has a handler for `method` on `path`: asked of the real router by an
/// anonymous JSON request (which the CSRF guard lets through and no handler acts on: every
/// API route but sign-in answers 401 first, sign-in 422 to `{}`), a route without that method
/// answers 405 (or the 404 of the fallback).
async fn routed(app: &TestApp, client: &reqwest::Client, method: &str, path: &str) -> bool {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let r = client
        .request(method, app.url(&concrete(path)))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    !matches!(r.status().as_u16(), 404 | 405)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_api_route_of_the_router_is_in_the_document_with_its_methods() {
    let app = TestApp::start().await;
    let doc = document(&app).await;
    let client = app.client();
    let api: Vec<String> = cartable::http::routes::route_table()
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.starts_with("/api/v1/"))
        .collect();
    assert!(api.len() >= 17, "{api:?}");
    for path in &api {
        let item = &doc["paths"][path.as_str()];
        assert!(item.is_object(), "{path} is not in the document");
        for method in METHODS {
            let described = item[method.to_lowercase()].is_object();
            let served = routed(&app, &client, method, path).await;
            assert_eq!(
                described, served,
                "{method} {path}: described {described}, routed {served}"
            );
        }
    }
    // And the document describes nothing the router does not serve.
    let table: BTreeSet<String> = cartable::http::routes::route_table()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(table.contains(path), "{path} is described but not routed");
        for method in item.as_object().unwrap().keys() {
            if METHODS.contains(&method.to_uppercase().as_str()) {
                assert!(
                    routed(&app, &client, &method.to_uppercase(), path).await,
                    "{method} {path} is described but not routed"
                );
            }
        }
    }
    // What the other modules' tests read in it.
    assert!(doc["components"]["schemas"]["SendMessage"].is_object());
    assert!(doc["components"]["schemas"]["Problem"].is_object());
}

/// Every `"$ref"` in `value`, with where it is.
fn refs(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "$ref"
                    && let Some(target) = v.as_str()
                {
                    found.push((at.to_owned(), target.to_owned()));
                }
                refs(v, &format!("{at}/{key}"), found);
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                refs(v, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_document_is_openapi_3_1_with_every_reference_and_parameter_declared() {
    let app = TestApp::start().await;
    let doc = document(&app).await;
    let version = doc["openapi"].as_str().unwrap();
    assert!(version.starts_with("3.1."), "{version}");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());

    // Every reference resolves inside the document.
    let mut found = Vec::new();
    refs(&doc, "", &mut found);
    assert!(!found.is_empty());
    for (at, target) in &found {
        let pointer = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{at}: external reference {target}"));
        assert!(
            doc.pointer(pointer).is_some(),
            "{at}: {target} does not resolve"
        );
    }

    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["type"], "apiKey");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "__Host-cartable");
    let mut operation_ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let in_template: BTreeSet<&str> = path
            .split('/')
            .filter_map(|part| part.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            // Every `{x}` of the path is a required path parameter, and nothing more.
            let declared: BTreeMap<&str, &Value> = op["parameters"]
                .as_array()
                .map(|list| list.as_slice())
                .unwrap_or_default()
                .iter()
                .filter(|p| p["in"] == "path")
                .map(|p| (p["name"].as_str().unwrap(), p))
                .collect();
            assert_eq!(
                declared.keys().copied().collect::<BTreeSet<_>>(),
                in_template,
                "{at}: path parameters"
            );
            for (name, p) in &declared {
                assert_eq!(p["required"], true, "{at}: {{{name}}} must be required");
            }
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{at}"
            );
            assert!(op["summary"].is_string(), "{at}: no summary");
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{at}"));
            assert!(
                operation_ids.insert(id.to_owned()),
                "{at}: operationId {id} twice"
            );
            // Every scheme named exists; every route behind a session says so, with its 401.
            let security = op["security"].as_array();
            for requirement in security.into_iter().flatten() {
                for name in requirement.as_object().unwrap().keys() {
                    assert!(schemes[name].is_object(), "{at}: unknown scheme {name}");
                }
            }
            if op["responses"]["401"]["description"] == "Not signed in" {
                assert!(
                    security.is_some(),
                    "{at}: needs a session but names no security"
                );
            }
        }
    }
    // The errors are described: every API operation behind a session answers its 401.
    for path in [
        "/api/v1/me",
        "/api/v1/messagerie/messages",
        "/api/v1/search",
    ] {
        let item = doc["paths"][path].as_object().unwrap();
        for op in item.values() {
            assert_eq!(
                op["responses"]["401"]["content"]["application/problem+json"]["schema"]["$ref"],
                "#/components/schemas/Problem",
                "{path}"
            );
        }
    }
    // Every refusal is described as a problem (RFC 9457), never as plain JSON.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"].get("application/json").is_none(),
                        "{method} {path} {status}: a refusal described as application/json"
                    );
                }
            }
        }
    }
    let problem = &doc["components"]["schemas"]["Problem"]["properties"];
    for member in ["type", "title", "status", "detail", "errors", "request_id"] {
        assert!(problem[member].is_object(), "Problem lacks {member}");
    }

    // The search kinds are the index's.
    let kinds: Vec<&str> = cartable::search::Kind::ALL
        .iter()
        .map(|k| k.code())
        .collect();
    let params = doc["paths"]["/api/v1/search"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let kind = params.iter().find(|p| p["name"] == "type").unwrap();
    assert_eq!(kind["schema"]["enum"], serde_json::json!(kinds));
}

/// What the document says of a refusal is what a refusal is.
#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_is_the_problem_the_document_describes() {
    let app = TestApp::start().await;
    let doc = document(&app).await;
    let r = app
        .client()
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: Value = r.json().await.unwrap();
    let properties = doc["components"]["schemas"]["Problem"]["properties"]
        .as_object()
        .unwrap();
    for member in body.as_object().unwrap().keys() {
        assert!(properties.contains_key(member), "{member} is not described");
    }
    assert_eq!(body["status"], 401);
    assert_eq!(body["type"], "urn:cartable:problem:unauthenticated");
    assert!(body["request_id"].is_string());
}

/// The reference validator, where Python has it (`scripts/test` installs it from PyPI).
#[tokio::test(flavor = "multi_thread")]
async fn openapi_spec_validator_accepts_the_document() {
    let have = std::process::Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        eprintln!(
            "SKIPPED openapi_spec_validator_accepts_the_document: python3 lacks \
             openapi-spec-validator (pip install openapi-spec-validator; scripts/test does)"
        );
        return;
    }
    let app = TestApp::start().await;
    let doc = document(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator", "--schema", "3.1"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openapi-spec-validator refuses the document:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
