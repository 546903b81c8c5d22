//! The messaging JSON API (`/api/v1/messagerie/…`, issue 6 §2): the same domain functions as
//! the pages — folders, a message (reading it marks it read), sending, suggestions,
//! acknowledging, recalling, reporting. 401 without a session; a recipient the rules do not
//! allow, even forged, is `403 {"error": "forbidden"}` and nothing is stored. Unsafe requests
//! send `Content-Type: application/json` (the CSRF guard's rule for the API).

use crate::http::extract::Query;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::domain::admin::journal::parse_date;
use crate::domain::directory::queries::PersonSummary;
use crate::domain::messaging::compose::{self, Compose, ListRef, SendContext};
use crate::domain::messaging::limits::SendLimits;
use crate::domain::messaging::mailbox::{self, Filter};
use crate::domain::messaging::{MessagingError, abuse, body};
use crate::domain::once::{FormKind, Once};
use crate::error::Error;
use crate::http::api::ErrorBody;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::messaging::folder_code;
use crate::http::path_ids::Id;
use crate::http::problem;
use crate::model::Origin;
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
#[utoipa::path(
    get,
    path = "/api/v1/messagerie/dossiers",
    tag = "messagerie",
    summary = "The signed-in person's folders (inbox, sent, drafts, trash, personal folders) with unread counts",
    responses(
        (status = 200, description = "Folders", body = Folders),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ),
    security(("session" = [])),
)]
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
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FolderQuery {
    /// Words of the sender's name (accents and case ignored).
    #[serde(default)]
    expediteur: String,
    /// Words of the subject (accents and case ignored).
    #[serde(default)]
    objet: String,
    /// From this day (DD/MM/YYYY or YYYY-MM-DD, Paris).
    #[serde(default)]
    du: String,
    /// Until this day, included.
    #[serde(default)]
    au: String,
    /// The `next` cursor of the previous page.
    avant: Option<i64>,
}

/// `GET /api/v1/messagerie/dossiers/{dossier}?expediteur=&objet=&du=&au=&avant=`: 50 messages,
/// newest first, and the cursor of the next page.
#[utoipa::path(
    get,
    path = "/api/v1/messagerie/dossiers/{dossier}",
    tag = "messagerie",
    summary = "A page of a folder, newest first (50 messages), optionally searched",
    params(
        ("dossier" = String, Path, description = "reception, envoyes, brouillons, corbeille, or a personal folder's id"),
        FolderQuery,
    ),
    responses(
        (status = 200, description = "Messages", body = FolderPage),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such folder for this person", body = ErrorBody),
        (status = 422, description = "A date that cannot be read", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn folder(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(folder): Id<Folder>,
    Query(q): Query<FolderQuery>,
) -> Response {
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
#[utoipa::path(
    get,
    path = "/api/v1/messagerie/messages/{id}",
    tag = "messagerie",
    summary = "A message the person sent or received (reading marks it read); for its sender, who read and acknowledged it",
    params(("id" = u64, Path, description = "The message's id")),
    responses(
        (status = 200, description = "The message", body = Message),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such message for this person", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn message(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
) -> Response {
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
        "receipts": receipts.iter().map(|r| json!({
            "recipient": person(&r.person), "read_at": r.read_at,
            "acknowledged_at": r.acknowledged_at,
            "children": r.children.iter().map(|c| json!({
                "first_name": c.first_name, "relation": relation_code(c.relation), "class": c.class,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// `POST /api/v1/messagerie/messages` body.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = SendMessage)]
pub struct SendBody {
    /// Person ids.
    #[serde(default)]
    recipients: Vec<u64>,
    /// parents-CLASS, enseignants-CLASS, eleves-CLASS (staff and teachers only).
    #[serde(default)]
    lists: Vec<String>,
    /// The subject.
    #[serde(default)]
    #[schema(max_length = 200)]
    subject: String,
    /// Text with **bold**, *italics*, lists and links; never raw HTML.
    #[serde(default)]
    #[schema(max_length = 50000)]
    body: String,
    /// Ask for « vu et signé » (staff and teachers only).
    #[serde(default)]
    ack_requested: bool,
    /// The message answered.
    reply_to: Option<u64>,
    /// A draft of the sender's, which the sent message replaces.
    draft: Option<u64>,
}

/// `POST /api/v1/messagerie/messages`: sends (201 `{"id"}`); 403 `forbidden` for a recipient
/// the rules do not allow, 429 over the hourly limit (with `Retry-After`), 403 `suspended`,
/// 409 `frozen`, 422 `invalid` with the field.
#[utoipa::path(
    post,
    path = "/api/v1/messagerie/messages",
    tag = "messagerie",
    summary = "Send a message (recipients must be allowed by the establishment's communication rules)",
    request_body = SendBody,
    params(
        ("Idempotency-Key" = Option<String>, Header, description = "A one-time key (32 hex digits or a UUID): the same key sent again by the same person gives back the message it sent first, and sends nothing (kept a day)"),
    ),
    responses(
        (status = 201, description = "Sent (or sent already under this Idempotency-Key: the same id)", body = Sent),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "`forbidden`: a recipient the rules do not allow (nothing is stored); `suspended`: the sender's messaging is suspended", body = ErrorBody),
        (status = 404, description = "The draft or the message answered is not the sender's", body = ErrorBody),
        (status = 409, description = "`frozen`: the thread was reported and awaits review", body = ErrorBody),
        (status = 413, description = "The body is over the size limit", body = ErrorBody),
        (status = 422, description = "`invalid`: a field (`field`) does not validate", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many messages this hour (see Retry-After)", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn send(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    body: Result<Json<SendBody>, JsonRejection>,
) -> Response {
    let Ok(key) = crate::http::form_key::from_headers(&headers) else {
        return invalid("Idempotency-Key", "formulaire-cle-invalide");
    };
    let body = match body {
        Ok(Json(body)) => body,
        Err(rejection) => {
            return match problem::body_rejection(&rejection, "messagerie-api-corps-json") {
                problem::RequestError::Unreadable(key) => invalid("body", key),
                _ => crate::http::api::body_too_large(),
            };
        }
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
    let once = key
        .and_then(|k| Once::of(&user.actor, FormKind::Message, &k))
        .map(|o| o.over(&super::compose::fingerprint(&compose, draft)));
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
        compose::send_once(
            &st.store,
            &actor,
            draft,
            compose,
            &ctx,
            &attachments,
            once.as_ref(),
        )
    })
    .await
    {
        Ok(id) => (StatusCode::CREATED, Json(json!({ "id": id }))).into_response(),
        Err(r) => r,
    }
}

/// Query of the suggestions.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestQuery {
    /// The beginning of the names.
    #[serde(default)]
    #[param(required = true)]
    q: String,
}

/// `GET /api/v1/messagerie/suggestions?q=`: up to 10 people whose names start with the words
/// typed, among those the rules let the actor write to.
#[utoipa::path(
    get,
    path = "/api/v1/messagerie/suggestions",
    tag = "messagerie",
    summary = "Up to 10 people whose names start with the words typed, among those the rules let the person write to",
    params(SuggestQuery),
    responses(
        (status = 200, description = "Suggestions", body = Suggestions),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ),
    security(("session" = [])),
)]
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
#[utoipa::path(
    post,
    path = "/api/v1/messagerie/messages/{id}/accuse",
    tag = "messagerie",
    summary = "Acknowledge a message (« vu et signé »), when its sender asked for it",
    params(("id" = u64, Path, description = "The message's id")),
    responses(
        (status = 204, description = "Acknowledged"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such message for this person", body = ErrorBody),
        (status = 409, description = "No acknowledgement was asked", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn acknowledge(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
) -> Response {
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
#[utoipa::path(
    post,
    path = "/api/v1/messagerie/messages/{id}/rappel",
    tag = "messagerie",
    summary = "Recall a sent message that nobody has read yet, within the configured window",
    params(("id" = u64, Path, description = "The message's id")),
    responses(
        (status = 204, description = "Recalled: it left every recipient's mailbox"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "Not a message this person sent", body = ErrorBody),
        (status = 409, description = "Already read, already recalled, or too late", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn recall(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<MessageId>,
) -> Response {
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
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReportBody {
    /// Why, for the administrators.
    #[serde(default)]
    #[schema(max_length = 2000)]
    reason: String,
}

/// `POST /api/v1/messagerie/messages/{id}/signalement`: reports a received message (201
/// `{"report"}`); its thread freezes until an administrator reviews it.
#[utoipa::path(
    post,
    path = "/api/v1/messagerie/messages/{id}/signalement",
    tag = "messagerie",
    summary = "Report a received message to the establishment; its thread is frozen until an administrator reviews it",
    params(("id" = u64, Path, description = "The message's id")),
    request_body(content = Option<ReportBody>, description = "Optional: a report without a body has no reason"),
    responses(
        (status = 201, description = "Reported", body = Reported),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "Not a message this person received", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn report(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(id): Id<MessageId>,
    body: Result<Json<ReportBody>, JsonRejection>,
) -> Response {
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

// ---------------------------------------------------------------------------------------------
// The shapes of the answers, for the OpenAPI document (the handlers build them with `json!`).
// ---------------------------------------------------------------------------------------------

/// A person as the messaging shows them.
#[derive(ToSchema)]
#[schema(as = Person)]
pub struct PersonDoc {
    /// Their id.
    pub id: u64,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
}

/// `GET /api/v1/messagerie/dossiers` answer.
#[derive(ToSchema)]
pub struct Folders {
    /// Inbox, sent, drafts, trash, then the personal folders.
    pub folders: Vec<FolderSummary>,
}

/// A folder and its unread count.
#[derive(ToSchema)]
pub struct FolderSummary {
    /// `reception`, `envoyes`, `brouillons`, `corbeille` or a personal folder's id.
    pub code: String,
    /// Its name, in the user's language.
    pub name: String,
    /// Unread messages in it.
    pub unread: u64,
}

/// `GET /api/v1/messagerie/dossiers/{dossier}` answer.
#[derive(ToSchema)]
pub struct FolderPage {
    /// The folder's code.
    pub folder: String,
    /// Newest first, at most 50.
    pub messages: Vec<MessageRow>,
    /// The cursor of the next page (`avant`), if there is one.
    pub next: Option<i64>,
}

/// A message in a folder's list.
#[derive(ToSchema)]
pub struct MessageRow {
    /// Its id.
    pub id: u64,
    /// Who wrote it.
    pub sender: PersonDoc,
    /// How many people it went to.
    pub recipient_count: u64,
    /// The first of them.
    pub first_recipient: Option<PersonDoc>,
    /// Its subject.
    pub subject: String,
    /// When it was sent (or saved, for a draft).
    #[schema(format = DateTime)]
    pub at: String,
    /// Not read yet.
    pub unread: bool,
    /// It has attachments.
    pub attachments: bool,
    /// Its sender asked for « vu et signé ».
    pub ack_requested: bool,
    /// Its sender recalled it.
    pub recalled: bool,
}

/// `GET /api/v1/messagerie/messages/{id}` answer.
#[derive(ToSchema)]
pub struct Message {
    /// Its id.
    pub id: u64,
    /// Its subject.
    pub subject: String,
    /// Who wrote it.
    pub sender: PersonDoc,
    /// The people it went to (those the reader may see).
    pub recipients: Vec<PersonDoc>,
    /// How many people it went to.
    pub recipient_count: u64,
    /// The lists it was sent to.
    pub lists: Vec<String>,
    /// When it was sent (none for a draft).
    #[schema(format = DateTime)]
    pub sent_at: Option<String>,
    /// When its sender recalled it.
    #[schema(format = DateTime)]
    pub recalled_at: Option<String>,
    /// The text as typed.
    pub body: String,
    /// Sanitised HTML.
    pub body_html: String,
    /// Its attachments.
    pub attachments: Vec<Attachment>,
    /// The reader's folder holding it.
    pub folder: Option<String>,
    /// The reader wrote it.
    pub mine: bool,
    /// The message it answers.
    pub reply_to: Option<u64>,
    /// Its sender asked for « vu et signé ».
    pub ack_requested: bool,
    /// When the reader acknowledged it.
    #[schema(format = DateTime)]
    pub acknowledged_at: Option<String>,
    /// Its thread was reported and awaits review.
    pub frozen: bool,
    /// The other messages of its thread.
    pub thread: Vec<ThreadEntry>,
    /// For its sender: who read and acknowledged it.
    pub receipts: Vec<Receipt>,
}

/// An attachment of a message.
#[derive(ToSchema)]
pub struct Attachment {
    /// Its position, from 0.
    pub index: u64,
    /// Its file name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its MIME type.
    pub content_type: String,
    /// Where to download it.
    pub href: String,
}

/// Another message of the thread.
#[derive(ToSchema)]
pub struct ThreadEntry {
    /// Its id.
    pub id: u64,
    /// Who wrote it.
    pub sender: PersonDoc,
    /// When it was sent.
    #[schema(format = DateTime)]
    pub sent_at: Option<String>,
}

/// Who read and acknowledged a sent message.
#[derive(ToSchema)]
pub struct Receipt {
    /// The recipient.
    pub recipient: PersonDoc,
    /// When they read it.
    #[schema(format = DateTime)]
    pub read_at: Option<String>,
    /// When they acknowledged it.
    #[schema(format = DateTime)]
    pub acknowledged_at: Option<String>,
    /// A parent's children in the sender's establishments: who they sign for.
    pub children: Vec<ReceiptChild>,
}

/// A recipient's child, in a receipt.
#[derive(ToSchema)]
pub struct ReceiptChild {
    /// The child's first name.
    pub first_name: String,
    /// `mere`, `pere`, `tuteur` or `autre`.
    pub relation: String,
    /// The child's class.
    pub class: String,
}

/// The code of a parent's relation to a child.
fn relation_code(r: crate::model::directory::Relation) -> &'static str {
    use crate::model::directory::Relation;
    match r {
        Relation::Mere => "mere",
        Relation::Pere => "pere",
        Relation::Tuteur => "tuteur",
        Relation::Autre => "autre",
    }
}

/// `POST /api/v1/messagerie/messages` answer.
#[derive(ToSchema)]
pub struct Sent {
    /// The message's id.
    pub id: u64,
}

/// `POST /api/v1/messagerie/messages/{id}/signalement` answer.
#[derive(ToSchema)]
pub struct Reported {
    /// The report's id.
    pub report: u64,
}

/// `GET /api/v1/messagerie/suggestions` answer.
#[derive(ToSchema)]
pub struct Suggestions {
    /// At most 10.
    pub suggestions: Vec<Suggestion>,
}

/// A person the actor may write to.
#[derive(ToSchema)]
pub struct Suggestion {
    /// Their id.
    pub id: u64,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// The name shown.
    pub name: String,
    /// Their roles, in the user's language.
    pub roles: Vec<String>,
}
