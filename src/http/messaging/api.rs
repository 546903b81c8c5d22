//! The messaging JSON API (`/api/v1/messagerie/…`, issue 6 §2): the same domain functions as
//! the pages — folders, a message (reading it marks it read), sending, suggestions,
//! acknowledging, recalling, reporting. 401 without a session; a recipient the rules do not
//! allow, even forged, is `403 {"error": "forbidden"}` and nothing is stored. Unsafe requests
//! send `Content-Type: application/json` (the CSRF guard's rule for the API).

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::domain::accounts::signin::Client;
use crate::domain::admin::journal::parse_date;
use crate::domain::directory::queries::PersonSummary;
use crate::domain::messaging::compose::{self, Compose, ListRef, SendContext};
use crate::domain::messaging::limits::SendLimits;
use crate::domain::messaging::mailbox::{self, Filter};
use crate::domain::messaging::{MessagingError, abuse, body};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::messaging::{folder_code, parse_folder};
use crate::http::problem;
use crate::model::directory::PersonId;
use crate::model::messaging::{Folder, MessageId};
use crate::state::AppState;

/// Runs a domain call on the blocking pool; a refusal becomes its JSON answer.
async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, MessagingError> + Send + 'static,
) -> Result<T, Response> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(problem::json(t, &e)),
        Err(e) => Err(Error::Io(std::io::Error::other(e)).into_response()),
    }
}

fn invalid(field: &'static str, key: &'static str) -> Response {
    problem::deferred(problem::RequestError::Invalid { field, key })
}

fn message_id(text: &str) -> Option<MessageId> {
    text.parse::<u64>().ok().filter(|n| *n > 0).map(MessageId)
}

fn person(p: &PersonSummary) -> Value {
    json!({ "id": p.id, "first_name": p.first_name, "last_name": p.last_name })
}

fn folder_name(t: &Tr, folder: Folder, personal: &[mailbox::PersonalFolder]) -> String {
    match folder {
        Folder::Personal(id) => personal
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_default(),
        f => t.msg(crate::http::messaging::system_folder_key(f)),
    }
}

/// `GET /api/v1/messagerie/dossiers`: the actor's folders with their unread counts.
pub async fn folders(State(state): State<AppState>, t: Tr, user: CurrentUser) -> Response {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let found = run(&t, move || {
        Ok((
            mailbox::unread_counts(&store, &actor)?,
            mailbox::personal_folders(&store, &actor)?,
        ))
    })
    .await;
    let (counts, personal) = match found {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut all = vec![Folder::Inbox, Folder::Sent, Folder::Drafts, Folder::Trash];
    all.extend(personal.iter().map(|p| Folder::Personal(p.id)));
    let list: Vec<Value> = all
        .into_iter()
        .map(|f| {
            json!({
                "code": folder_code(f),
                "name": folder_name(&t, f, &personal),
                "unread": counts.iter().find(|(g, _)| *g == f).map_or(0, |(_, n)| *n),
            })
        })
        .collect();
    Json(json!({ "folders": list })).into_response()
}

/// Query of a folder: the search and the paging cursor.
#[derive(Debug, Default, Deserialize)]
pub struct FolderQuery {
    #[serde(default)]
    expediteur: String,
    #[serde(default)]
    objet: String,
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
    avant: Option<i64>,
}

/// `GET /api/v1/messagerie/dossiers/{dossier}?expediteur=&objet=&du=&au=&avant=`: 50 messages,
/// newest first, and the cursor of the next page.
pub async fn folder(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(code): Path<String>,
    Query(q): Query<FolderQuery>,
) -> Response {
    let Some(folder) = parse_folder(&code) else {
        return problem::json(&t, &MessagingError::NotFound);
    };
    let mut filter = Filter::default();
    for (field, text, end) in [("du", &q.du, false), ("au", &q.au, true)] {
        if text.trim().is_empty() {
            continue;
        }
        let day = parse_date(text).and_then(|d| {
            if end {
                crate::http::messaging::day_end(d)
            } else {
                crate::http::messaging::day_start(d)
            }
        });
        match day {
            Some(ts) if end => filter.to = Some(ts),
            Some(ts) => filter.from = Some(ts),
            None => return invalid(field, "journal-date-invalide"),
        }
    }
    let clean = |s: &str| -> Option<String> {
        let s: String = s.trim().chars().take(100).collect();
        (!s.is_empty()).then_some(s)
    };
    filter.subject = clean(&q.objet);
    filter.sender = clean(&q.expediteur);
    let store = state.store.clone();
    let actor = user.actor.clone();
    match run(&t, move || {
        mailbox::folder(&store, &actor, folder, q.avant, &filter)
    })
    .await
    {
        Ok(page) => Json(json!({
            "folder": folder_code(folder),
            "messages": page.rows,
            "next": page.next,
        }))
        .into_response(),
        Err(r) => r,
    }
}

/// `GET /api/v1/messagerie/messages/{id}`: the message (marked read), its body as typed and as
/// safe HTML, its attachments, its thread; for its sender, who read and acknowledged it.
pub async fn message(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = message_id(&id) else {
        return problem::json(&t, &MessagingError::NotFound);
    };
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    let found = run(&t, move || {
        let view = mailbox::open(&store, &actor, id, now)?;
        let receipts = if view.mine && view.message.sent_at.is_some() {
            mailbox::receipts(&store, &actor, id)?
        } else {
            Vec::new()
        };
        Ok((view, receipts))
    })
    .await;
    let (view, receipts) = match found {
        Ok(v) => v,
        Err(r) => return r,
    };
    let m = &view.message;
    Json(json!({
        "id": id,
        "subject": m.subject,
        "sender": person(&view.sender),
        "recipients": view.recipients.iter().map(person).collect::<Vec<_>>(),
        "recipient_count": m.recipients.len(),
        "lists": m.lists,
        "sent_at": m.sent_at,
        "recalled_at": m.recalled_at,
        "body": m.body,
        "body_html": body::render(&m.body),
        "attachments": m.attachments.iter().enumerate().map(|(i, a)| json!({
            "index": i,
            "name": a.name,
            "size": a.size,
            "content_type": a.content_type,
            "href": format!("/messagerie/messages/{id}/pieces-jointes/{i}"),
        })).collect::<Vec<_>>(),
        "folder": view.folder.map(folder_code),
        "mine": view.mine,
        "reply_to": m.reply_to,
        "ack_requested": m.ack_requested,
        "acknowledged_at": view.acknowledged_at,
        "frozen": view.frozen,
        "thread": view.thread.iter().map(|(other, who, at)| json!({
            "id": other, "sender": person(who), "sent_at": at,
        })).collect::<Vec<_>>(),
        "receipts": receipts.iter().map(|(who, read, ack)| json!({
            "recipient": person(who), "read_at": read, "acknowledged_at": ack,
        })).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// `POST /api/v1/messagerie/messages` body.
#[derive(Debug, Deserialize)]
pub struct SendBody {
    /// Person ids.
    #[serde(default)]
    recipients: Vec<u64>,
    /// List codes (`parents-12`, `enseignants-12`, `eleves-12`).
    #[serde(default)]
    lists: Vec<String>,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    ack_requested: bool,
    reply_to: Option<u64>,
    draft: Option<u64>,
}

/// `POST /api/v1/messagerie/messages`: sends (201 `{"id"}`); 403 `forbidden` for a recipient
/// the rules do not allow, 429 over the hourly limit (with `Retry-After`), 403 `suspended`,
/// 409 `frozen`, 422 `invalid` with the field.
pub async fn send(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    body: Result<Json<SendBody>, JsonRejection>,
) -> Response {
    let body = match body {
        Ok(Json(body)) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return crate::http::api::body_too_large();
        }
        Err(_) => return invalid("body", "messagerie-api-corps-json"),
    };
    let mut lists = Vec::new();
    for code in &body.lists {
        match ListRef::parse(code) {
            Some(l) => lists.push(l),
            None => return invalid("lists", "messagerie-api-liste-inconnue"),
        }
    }
    let compose = Compose {
        recipients: body.recipients.iter().map(|n| PersonId(*n)).collect(),
        lists,
        subject: body.subject,
        body: body.body,
        attachments: Vec::new(),
        ack_requested: body.ack_requested,
        reply_to: body.reply_to.map(MessageId),
    };
    let draft = body.draft.map(MessageId);
    let st = state.clone();
    let actor = user.actor.clone();
    match run(&t, move || {
        let ctx = SendContext {
            limiter: &st.send_limiter,
            limits: SendLimits {
                pupil: st.config.messaging_limit_pupil,
                parent: st.config.messaging_limit_parent,
                staff: st.config.messaging_limit_staff,
            },
            now: st.clock.now(),
        };
        let attachments = st.config.attachment_limits();
        compose::send_within(&st.store, &actor, draft, compose, &ctx, &attachments)
    })
    .await
    {
        Ok(id) => (StatusCode::CREATED, Json(json!({ "id": id }))).into_response(),
        Err(r) => r,
    }
}

/// Query of the suggestions.
#[derive(Debug, Default, Deserialize)]
pub struct SuggestQuery {
    #[serde(default)]
    q: String,
}

/// `GET /api/v1/messagerie/suggestions?q=`: up to 10 people whose names start with the words
/// typed, among those the rules let the actor write to.
pub async fn suggestions(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<SuggestQuery>,
) -> Response {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let query: String = q.q.chars().take(100).collect();
    match run(&t, move || compose::suggest(&store, &actor, &query)).await {
        Ok(found) => {
            let list: Vec<Value> = found
                .iter()
                .map(|s| {
                    let mut roles: Vec<String> = s
                        .roles
                        .iter()
                        .map(|r| t.msg(crate::http::frame::role_key(*r)))
                        .collect();
                    roles.dedup();
                    json!({
                        "id": s.person.id,
                        "first_name": s.person.first_name,
                        "last_name": s.person.last_name,
                        "name": s.person.display_name(),
                        "roles": roles,
                    })
                })
                .collect();
            Json(json!({ "suggestions": list })).into_response()
        }
        Err(r) => r,
    }
}

/// `POST /api/v1/messagerie/messages/{id}/accuse`: *vu et signé* (204).
pub async fn acknowledge(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = message_id(&id) else {
        return problem::json(&t, &MessagingError::NotFound);
    };
    let st = state.clone();
    let actor = user.actor.clone();
    match run(&t, move || {
        mailbox::acknowledge(&st.store, &actor, id, st.clock.now())
    })
    .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(r) => r,
    }
}

/// `POST /api/v1/messagerie/messages/{id}/rappel`: its sender recalls it (204), or 409 when it
/// was read, already recalled, or the window has passed.
pub async fn recall(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = message_id(&id) else {
        return problem::json(&t, &MessagingError::NotFound);
    };
    let st = state.clone();
    let actor = user.actor.clone();
    match run(&t, move || {
        mailbox::recall(
            &st.store,
            &actor,
            id,
            st.config.message_recall_window,
            st.clock.now(),
        )
    })
    .await
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(r) => r,
    }
}

/// `POST /api/v1/messagerie/messages/{id}/signalement` body (optional).
#[derive(Debug, Default, Deserialize)]
pub struct ReportBody {
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/messagerie/messages/{id}/signalement`: reports a received message (201
/// `{"report"}`); its thread freezes until an administrator reviews it.
pub async fn report(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Result<Json<ReportBody>, JsonRejection>,
) -> Response {
    let Some(id) = message_id(&id) else {
        return problem::json(&t, &MessagingError::NotFound);
    };
    // No body (or an empty one) is a report without a reason.
    let reason = body.map(|Json(b)| b.reason).unwrap_or_default();
    let st = state.clone();
    let actor = user.actor.clone();
    match run(&t, move || {
        abuse::report(&st.store, &actor, id, &reason, &client, st.clock.now())
    })
    .await
    {
        Ok(report) => (StatusCode::CREATED, Json(json!({ "report": report }))).into_response(),
        Err(r) => r,
    }
}

/// The messaging part of the OpenAPI document (`paths`, `schemas`), merged by
/// [`crate::http::api::openapi`].
pub fn openapi_paths() -> (Value, Value) {
    let error = json!({ "$ref": "#/components/schemas/Error" });
    let id_param =
        json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } });
    let err = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": error.clone() }}});
    let paths = json!({
        "/api/v1/messagerie/dossiers": { "get": {
            "summary": "The signed-in person's folders (inbox, sent, drafts, trash, personal folders) with unread counts",
            "responses": {
                "200": { "description": "Folders", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "folders": { "type": "array", "items": { "$ref": "#/components/schemas/FolderSummary" } } } }}}},
                "401": err("Not signed in")
            }
        }},
        "/api/v1/messagerie/dossiers/{dossier}": { "get": {
            "summary": "A page of a folder, newest first (50 messages), optionally searched",
            "parameters": [
                { "name": "dossier", "in": "path", "required": true, "description": "reception, envoyes, brouillons, corbeille, or a personal folder's id", "schema": { "type": "string" } },
                { "name": "expediteur", "in": "query", "description": "Words of the sender's name (accents and case ignored)", "schema": { "type": "string" } },
                { "name": "objet", "in": "query", "description": "Words of the subject (accents and case ignored)", "schema": { "type": "string" } },
                { "name": "du", "in": "query", "description": "From this day (DD/MM/YYYY or YYYY-MM-DD, Paris)", "schema": { "type": "string" } },
                { "name": "au", "in": "query", "description": "Until this day, included", "schema": { "type": "string" } },
                { "name": "avant", "in": "query", "description": "The `next` cursor of the previous page", "schema": { "type": "integer" } }
            ],
            "responses": {
                "200": { "description": "Messages", "content": { "application/json": { "schema": {
                    "type": "object", "properties": {
                        "folder": { "type": "string" },
                        "messages": { "type": "array", "items": { "$ref": "#/components/schemas/MessageRow" } },
                        "next": { "type": ["integer", "null"] } } }}}},
                "401": err("Not signed in"),
                "404": err("No such folder for this person"),
                "422": err("A date that cannot be read")
            }
        }},
        "/api/v1/messagerie/messages": { "post": {
            "summary": "Send a message (recipients must be allowed by the establishment's communication rules)",
            "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SendMessage" } }}},
            "responses": {
                "201": { "description": "Sent", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "id": { "type": "integer" } } }}}},
                "401": err("Not signed in"),
                "403": err("`forbidden`: a recipient the rules do not allow (nothing is stored); `suspended`: the sender's messaging is suspended"),
                "404": err("The draft or the message answered is not the sender's"),
                "409": err("`frozen`: the thread was reported and awaits review"),
                "422": err("`invalid`: a field (`field`) does not validate"),
                "429": err("`rate_limited`: too many messages this hour (see Retry-After)")
            }
        }},
        "/api/v1/messagerie/messages/{id}": { "get": {
            "summary": "A message the person sent or received (reading marks it read); for its sender, who read and acknowledged it",
            "parameters": [id_param.clone()],
            "responses": {
                "200": { "description": "The message", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Message" } }}},
                "401": err("Not signed in"),
                "404": err("No such message for this person")
            }
        }},
        "/api/v1/messagerie/messages/{id}/accuse": { "post": {
            "summary": "Acknowledge a message (« vu et signé »), when its sender asked for it",
            "parameters": [id_param.clone()],
            "responses": {
                "204": { "description": "Acknowledged" },
                "401": err("Not signed in"),
                "404": err("No such message for this person"),
                "409": err("No acknowledgement was asked")
            }
        }},
        "/api/v1/messagerie/messages/{id}/rappel": { "post": {
            "summary": "Recall a sent message that nobody has read yet, within the configured window",
            "parameters": [id_param.clone()],
            "responses": {
                "204": { "description": "Recalled: it left every recipient's mailbox" },
                "401": err("Not signed in"),
                "404": err("Not a message this person sent"),
                "409": err("Already read, already recalled, or too late")
            }
        }},
        "/api/v1/messagerie/messages/{id}/signalement": { "post": {
            "summary": "Report a received message to the establishment; its thread is frozen until an administrator reviews it",
            "parameters": [id_param],
            "requestBody": { "required": false, "content": { "application/json": { "schema": {
                "type": "object", "properties": { "reason": { "type": "string", "maxLength": 2000 } } }}}},
            "responses": {
                "201": { "description": "Reported", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "report": { "type": "integer" } } }}}},
                "401": err("Not signed in"),
                "404": err("Not a message this person received")
            }
        }},
        "/api/v1/messagerie/suggestions": { "get": {
            "summary": "Up to 10 people whose names start with the words typed, among those the rules let the person write to",
            "parameters": [{ "name": "q", "in": "query", "required": true, "schema": { "type": "string" } }],
            "responses": {
                "200": { "description": "Suggestions", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "suggestions": { "type": "array", "items": { "$ref": "#/components/schemas/Suggestion" } } } }}}},
                "401": err("Not signed in")
            }
        }}
    });
    let person = json!({ "type": "object", "properties": {
        "id": { "type": "integer" }, "first_name": { "type": "string" }, "last_name": { "type": "string" } } });
    let schemas = json!({
        "Person": person,
        "FolderSummary": { "type": "object", "properties": {
            "code": { "type": "string" }, "name": { "type": "string" }, "unread": { "type": "integer" } } },
        "MessageRow": { "type": "object", "properties": {
            "id": { "type": "integer" }, "sender": { "$ref": "#/components/schemas/Person" },
            "recipient_count": { "type": "integer" },
            "first_recipient": { "oneOf": [{ "$ref": "#/components/schemas/Person" }, { "type": "null" }] },
            "subject": { "type": "string" }, "at": { "type": "string", "format": "date-time" },
            "unread": { "type": "boolean" }, "attachments": { "type": "boolean" },
            "ack_requested": { "type": "boolean" }, "recalled": { "type": "boolean" } } },
        "SendMessage": { "type": "object", "properties": {
            "recipients": { "type": "array", "items": { "type": "integer" }, "description": "Person ids" },
            "lists": { "type": "array", "items": { "type": "string" }, "description": "parents-CLASS, enseignants-CLASS, eleves-CLASS (staff and teachers only)" },
            "subject": { "type": "string", "maxLength": 200 },
            "body": { "type": "string", "maxLength": 50000, "description": "Text with **bold**, *italics*, lists and links; never raw HTML" },
            "ack_requested": { "type": "boolean", "description": "Ask for « vu et signé » (staff and teachers only)" },
            "reply_to": { "type": ["integer", "null"] },
            "draft": { "type": ["integer", "null"], "description": "A draft of the sender's, which the sent message replaces" } } },
        "Message": { "type": "object", "properties": {
            "id": { "type": "integer" }, "subject": { "type": "string" },
            "sender": { "$ref": "#/components/schemas/Person" },
            "recipients": { "type": "array", "items": { "$ref": "#/components/schemas/Person" } },
            "recipient_count": { "type": "integer" },
            "lists": { "type": "array", "items": { "type": "string" } },
            "sent_at": { "type": ["string", "null"], "format": "date-time" },
            "recalled_at": { "type": ["string", "null"], "format": "date-time" },
            "body": { "type": "string" }, "body_html": { "type": "string", "description": "Sanitised HTML" },
            "attachments": { "type": "array", "items": { "type": "object", "properties": {
                "index": { "type": "integer" }, "name": { "type": "string" }, "size": { "type": "integer" },
                "content_type": { "type": "string" }, "href": { "type": "string" } } } },
            "folder": { "type": ["string", "null"] }, "mine": { "type": "boolean" },
            "reply_to": { "type": ["integer", "null"] },
            "ack_requested": { "type": "boolean" },
            "acknowledged_at": { "type": ["string", "null"], "format": "date-time" },
            "frozen": { "type": "boolean" },
            "thread": { "type": "array", "items": { "type": "object" } },
            "receipts": { "type": "array", "items": { "type": "object", "properties": {
                "recipient": { "$ref": "#/components/schemas/Person" },
                "read_at": { "type": ["string", "null"], "format": "date-time" },
                "acknowledged_at": { "type": ["string", "null"], "format": "date-time" } } } } } },
        "Suggestion": { "type": "object", "properties": {
            "id": { "type": "integer" }, "first_name": { "type": "string" }, "last_name": { "type": "string" },
            "name": { "type": "string" }, "roles": { "type": "array", "items": { "type": "string" } } } }
    });
    (paths, schemas)
}
