//! Writing a message (`/messagerie/nouveau`): a new one, a reply, a reply to all, a forward or a
//! draft taken up again. Recipients are chosen by name — without JavaScript, a "Chercher"
//! button shows the form again with the people found as boxes to tick; with it
//! (`assets/public/messagerie.js`), suggestions come from `GET /api/v1/messagerie/suggestions`
//! as one types — or by list ("Parents de 5B", for staff and teachers). The form is
//! `multipart/form-data` (attachments), so its CSRF token rides in the action URL; the script
//! saves the draft every 20 s through the same endpoint with `Accept: application/json`.

use crate::http::extract::Query;
use askama::Template;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::folders::{NavItem, nav};
use super::message::AttachmentIndex;
use super::upload::{self, ComposeForm, MAX_FILES, UploadError};
use super::{call, human_size, refusal, run};
use crate::domain::directory::queries::PersonSummary;
use crate::domain::messaging::compose::{
    self, Compose, ListOption, ListRef, SendContext, Suggestion,
};
use crate::domain::messaging::limits::SendLimits;
use crate::domain::messaging::{MessagingError, mailbox};
use crate::domain::once::{FormKind, Once};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, page, paris, render, role_key};
use crate::http::path_ids::{Segment, parse_id};
use crate::http::problem::{self, Problem, RequestError};
use crate::model::directory::PersonId;
use crate::model::messaging::{Attachment, MessageId};
use crate::state::AppState;

/// The body limit of the compose route: the files at the largest configurable size, plus the
/// text. Files are streamed to disk, text fields are capped, so this bounds disk, not memory.
pub const BODY_LIMIT: usize = MAX_FILES * 100 * 1024 * 1024 + 1024 * 1024;

/// What the form holds, whatever brought it (a query, a draft, a failed send).
#[derive(Debug, Default)]
struct Draft {
    recipients: Vec<PersonId>,
    lists: Vec<ListRef>,
    subject: String,
    body: String,
    ack: bool,
    draft: Option<MessageId>,
    reply_to: Option<MessageId>,
    /// Attachments already stored, by their reference (`MESSAGE-INDEX`), and whether kept.
    kept: Vec<(String, Attachment, bool)>,
    /// The form's one-time key (`domain::once`): made when the form is first shown, kept when
    /// it is shown again.
    key: String,
}

/// Besides the values: suggestions, messages, and the refusal that gives the form its status.
#[derive(Default)]
struct Extra {
    query: String,
    suggestions: Option<Vec<Suggestion>>,
    errors: Vec<(&'static str, String)>,
    alert: Option<String>,
    notice: Option<String>,
    refusal: Option<Box<dyn Problem>>,
}

struct ChosenView {
    id: PersonId,
    name: String,
}

struct SuggestionView {
    id: PersonId,
    name: String,
    roles: String,
}

struct ListItem {
    code: String,
    label: String,
    checked: bool,
}

/// A folded group of the recipients' lists (one per kind: parents, pupils, teachers), with how
/// many there are and how many are chosen; open when it holds a chosen list or when all the
/// lists are few.
struct ListGroup {
    name: String,
    size: String,
    chosen: String,
    open: bool,
    items: Vec<ListItem>,
}

/// Up to this many lists in all, every group is shown open.
const LISTS_SHOWN_OPEN: usize = 12;

struct KeptView {
    code: String,
    name: String,
    size: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "messagerie/nouveau.html")]
struct ComposeTemplate {
    page: PageCtx,
    csrf: String,
    nav: Vec<NavItem>,
    chosen: Vec<ChosenView>,
    suggestions: Vec<SuggestionView>,
    searched: bool,
    query: String,
    lists: Vec<ListGroup>,
    staff: bool,
    subject: String,
    body: String,
    ack: bool,
    draft: String,
    reply_to: String,
    kept: Vec<KeptView>,
    form_key: String,
    files_help: String,
    error_recipients: Option<String>,
    error_subject: Option<String>,
    error_body: Option<String>,
    error_ack: Option<String>,
    error_files: Option<String>,
    alert: Option<String>,
    notice: Option<String>,
}

impl ComposeTemplate {
    fn has_error(&self) -> bool {
        self.error_recipients.is_some()
            || self.error_subject.is_some()
            || self.error_body.is_some()
            || self.error_ack.is_some()
            || self.error_files.is_some()
    }
}

fn list_label(t: &Tr, option: &ListOption) -> String {
    let key = match option.list {
        ListRef::ParentsOf(_) => "messagerie-liste-parents",
        ListRef::TeachersOf(_) => "messagerie-liste-enseignants",
        ListRef::PupilsOf(_) => "messagerie-liste-eleves",
    };
    t.msg1(key, "classe", &option.class_name)
}

fn list_groups(t: &Tr, lists: &[ListOption], checked: &[ListRef]) -> Vec<ListGroup> {
    let kinds = [
        "messagerie-listes-groupe-parents",
        "messagerie-listes-groupe-eleves",
        "messagerie-listes-groupe-enseignants",
    ];
    let kind = |list: &ListRef| match list {
        ListRef::ParentsOf(_) => 0,
        ListRef::PupilsOf(_) => 1,
        ListRef::TeachersOf(_) => 2,
    };
    let few = lists.len() <= LISTS_SHOWN_OPEN;
    kinds
        .iter()
        .enumerate()
        .filter_map(|(i, key)| {
            let items: Vec<ListItem> = lists
                .iter()
                .filter(|o| kind(&o.list) == i)
                .map(|option| ListItem {
                    code: option.list.code(),
                    label: list_label(t, option),
                    checked: checked.contains(&option.list),
                })
                .collect();
            let chosen = items.iter().filter(|i| i.checked).count() as u64;
            (!items.is_empty()).then(|| ListGroup {
                name: t.msg(key),
                size: t.count("messagerie-listes-nombre", "nombre", items.len() as u64),
                chosen: t.count("messagerie-listes-choisies", "nombre", chosen),
                open: few || chosen > 0,
                items,
            })
        })
        .collect()
}

/// Renders the form.
async fn compose_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    d: Draft,
    extra: Extra,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let ids = d.recipients.clone();
    let (chosen, lists, counts, personal) = run(t, move || {
        Ok((
            compose::recipient_names(&store, &actor, &ids)?,
            compose::lists(&store, &actor)?,
            mailbox::unread_counts(&store, &actor)?,
            mailbox::personal_folders(&store, &actor)?,
        ))
    })
    .await?;
    let groups = list_groups(t, &lists, &d.lists);
    let chosen_ids: Vec<PersonId> = chosen.iter().map(|p| p.id).collect();
    let searched = extra.suggestions.is_some();
    let suggestions = extra
        .suggestions
        .unwrap_or_default()
        .into_iter()
        .filter(|s| !chosen_ids.contains(&s.person.id))
        .map(|s| {
            let mut roles: Vec<String> = s.roles.iter().map(|r| t.msg(role_key(*r))).collect();
            roles.dedup();
            SuggestionView {
                id: s.person.id,
                name: s.person.display_name(),
                roles: roles.join(", "),
            }
        })
        .collect();
    let error = |field: &str| {
        extra
            .errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    };
    let name = user.name.clone();
    let template = ComposeTemplate {
        page: page(t, user, name, "/messagerie"),
        csrf: user.csrf(),
        nav: nav(t, &counts, &personal, None),
        chosen: chosen
            .iter()
            .map(|p: &PersonSummary| ChosenView {
                id: p.id,
                name: p.display_name(),
            })
            .collect(),
        suggestions,
        searched,
        query: extra.query.clone(),
        lists: groups,
        staff: crate::domain::messaging::policy::is_staff(&user.actor),
        subject: d.subject,
        body: d.body,
        ack: d.ack,
        draft: d.draft.map(|id| id.to_string()).unwrap_or_default(),
        reply_to: d.reply_to.map(|id| id.to_string()).unwrap_or_default(),
        kept: d
            .kept
            .iter()
            .map(|(code, a, checked)| KeptView {
                code: code.clone(),
                name: a.name.clone(),
                size: human_size(t, a.size),
                checked: *checked,
            })
            .collect(),
        form_key: crate::http::form_key::again(&d.key),
        files_help: {
            let mut args = fluent_bundle::FluentArgs::new();
            args.set("nombre", MAX_FILES as u64);
            args.set(
                "taille",
                human_size(t, state.config.message_attachment_max_mib * 1024 * 1024),
            );
            t.args("messagerie-pieces-jointes-aide", &args)
        },
        error_recipients: error("destinataires"),
        error_subject: error("objet"),
        error_body: error("corps"),
        error_ack: error("accuse"),
        error_files: error("pieces_jointes"),
        alert: extra.alert,
        notice: extra.notice,
    };
    let has_error = template.has_error();
    let shown = render(StatusCode::OK, &template);
    Ok(match (&extra.refusal, extra.errors.first()) {
        (Some(e), _) => problem::form_again(e.as_ref(), shown),
        // A field said in error without a refusal of its own (a draft not kept).
        (None, Some((field, _))) if has_error => problem::form_again(
            &RequestError::Invalid {
                field,
                key: "erreur-saisie",
            },
            shown,
        ),
        _ => shown,
    })
}

/// Query of the compose page: what to start from.
#[derive(Debug, Default, Deserialize)]
pub struct ComposeQuery {
    repondre: Option<String>,
    repondre_tous: Option<String>,
    transferer: Option<String>,
    brouillon: Option<String>,
    fait: Option<String>,
}

fn prefixed(t: &Tr, key: &str, subject: &str) -> String {
    let prefix = t.msg(key);
    let already = subject.to_lowercase().starts_with(&prefix.to_lowercase());
    let full = if already {
        subject.to_owned()
    } else {
        format!("{prefix} {subject}")
    };
    full.chars().take(compose::MAX_SUBJECT).collect()
}

fn quoted(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_owned()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The parts of a draft's stored list labels (`parents-12:5B`).
fn draft_lists(labels: &[String]) -> Vec<ListRef> {
    labels
        .iter()
        .filter_map(|l| ListRef::parse(l.split(':').next().unwrap_or("")))
        .collect()
}

fn kept_of(id: MessageId, attachments: &[Attachment]) -> Vec<(String, Attachment, bool)> {
    attachments
        .iter()
        .enumerate()
        .map(|(i, a)| (format!("{id}-{i}"), a.clone(), true))
        .collect()
}

/// `GET /messagerie/nouveau` (`?repondre=`, `?repondre_tous=`, `?transferer=`, `?brouillon=`).
pub async fn form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<ComposeQuery>,
) -> Result<Response, PageError> {
    let parse = |v: &Option<String>| -> Result<Option<MessageId>, PageError> {
        v.as_deref()
            .map(|s| {
                parse_id(s)
                    .map(MessageId)
                    .ok_or_else(|| PageError(Error::NotFound, t.clone()))
            })
            .transpose()
    };
    let reply = parse(&q.repondre)?;
    let reply_all = parse(&q.repondre_tous)?;
    let forward = parse(&q.transferer)?;
    let draft = parse(&q.brouillon)?;
    let mut d = Draft::default();
    let mut extra = Extra::default();
    if q.fait.as_deref() == Some("brouillon") {
        extra.notice = Some(t.msg("messagerie-fait-brouillon"));
    }
    let store = state.store.clone();
    let actor = user.actor.clone();
    let now = state.clock.now();
    if let Some(id) = draft {
        let view = run(&t, move || mailbox::open(&store, &actor, id, now)).await?;
        if !view.mine || view.message.sent_at.is_some() {
            return Err(PageError(Error::NotFound, t));
        }
        let m = view.message;
        d = Draft {
            recipients: m.recipients.clone(),
            lists: draft_lists(&m.lists),
            kept: kept_of(id, &m.attachments),
            subject: m.subject,
            body: m.body,
            ack: m.ack_requested,
            draft: Some(id),
            reply_to: m.reply_to,
            key: String::new(),
        };
    } else if let Some((id, all)) = reply
        .map(|id| (id, false))
        .or(reply_all.map(|id| (id, true)))
    {
        let result = call(&t, move || {
            let view = mailbox::open(&store, &actor, id, now)?;
            let (to, dropped) = compose::reply_recipients(&store, &actor, id, all)?;
            Ok((view, to, dropped))
        })
        .await?;
        let (view, to, dropped) = match result {
            Ok(found) => found,
            Err(e) => return Err(PageError(e.into(), t)),
        };
        if view.frozen {
            return refusal(&t, &user, MessagingError::Frozen).await;
        }
        let at = view.message.sent_at.map(paris).unwrap_or_default();
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("date", at);
        args.set("nom", view.sender.display_name());
        d = Draft {
            recipients: to,
            subject: prefixed(&t, "messagerie-prefixe-re", &view.message.subject),
            body: format!(
                "\n\n{}\n{}",
                t.args("messagerie-citation", &args),
                quoted(&view.message.body)
            ),
            reply_to: Some(id),
            ..Draft::default()
        };
        if dropped > 0 {
            extra.notice =
                Some(t.count("messagerie-destinataires-retires", "nombre", dropped as u64));
        }
    } else if let Some(id) = forward {
        let view = run(&t, move || mailbox::open(&store, &actor, id, now)).await?;
        if view.frozen {
            return refusal(&t, &user, MessagingError::Frozen).await;
        }
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("date", view.message.sent_at.map(paris).unwrap_or_default());
        args.set("nom", view.sender.display_name());
        args.set("objet", view.message.subject.clone());
        d = Draft {
            subject: prefixed(&t, "messagerie-prefixe-tr", &view.message.subject),
            body: format!(
                "\n\n{}\n\n{}",
                t.args("messagerie-transfert-entete", &args),
                quoted(&view.message.body)
            ),
            kept: kept_of(id, &view.message.attachments),
            reply_to: Some(id),
            ..Draft::default()
        };
    }
    compose_page(&state, &t, &user, d, extra).await
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// What makes a send the repeat of another (`domain::once`): everything it says.
pub(super) fn fingerprint(c: &Compose, draft: Option<MessageId>) -> impl serde::Serialize {
    let files: Vec<([u8; 32], String)> = c
        .attachments
        .iter()
        .map(|a| (a.blob, a.name.clone()))
        .collect();
    let lists: Vec<String> = c.lists.iter().map(|l| l.code()).collect();
    (
        c.recipients.clone(),
        lists,
        c.subject.clone(),
        c.body.clone(),
        c.ack_requested,
        c.reply_to,
        draft,
        files,
    )
}

/// What the files of a form may take before they are streamed: what is left of the actor's
/// quota and the cap of one message's attachments.
async fn budget(state: &AppState, t: &Tr, user: &CurrentUser) -> Result<upload::Budget, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let limits = state.config.attachment_limits();
    let used = run(t, move || {
        let read = store.read()?;
        Ok(match actor.person {
            Some(me) => crate::domain::documents::quota_usage::used(&read, me)?,
            None => 0,
        })
    })
    .await?;
    Ok(upload::Budget {
        person: user.actor.person,
        room: limits.quota.quota_of(&user.actor).saturating_sub(used),
        total: limits.message_max_bytes,
    })
}

/// `POST /messagerie/nouveau?_csrf=` (multipart): `action=envoyer` sends, `brouillon` saves the
/// draft (JSON answer for the autosave), `chercher` shows the form again with the people found.
pub async fn submit(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let json_wanted = wants_json(&headers);
    let budget = budget(&state, &t, &user).await?;
    let form: ComposeForm = upload::parse(&state, multipart, budget).await;
    let attachment_limits = state.config.attachment_limits();
    if form.malformed && json_wanted {
        return Ok(problem::json(
            &t,
            &MessagingError::Invalid {
                field: "corps",
                key: "messagerie-erreur-corps-long",
            },
        ));
    }
    // Attachments of earlier messages kept: each one through the domain (party to it or 404),
    // so a forged reference names nothing.
    let store = state.store.clone();
    let actor = user.actor.clone();
    let keep = form.keep.clone();
    let kept: Vec<(String, Attachment)> = run(&t, move || {
        let mut out = Vec::new();
        for code in keep.iter().take(MAX_FILES) {
            let Some((id, index)) = code.split_once('-') else {
                continue;
            };
            let (Some(id), Some(AttachmentIndex(index))) =
                (parse_id(id), AttachmentIndex::from_segment(index))
            else {
                continue;
            };
            match mailbox::attachment(&store, &actor, MessageId(id), index) {
                Ok(a) => out.push((code.clone(), a)),
                Err(MessagingError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    })
    .await?;
    let mut attachments: Vec<Attachment> = kept.iter().map(|(_, a)| a.clone()).collect();
    attachments.extend(form.uploaded.iter().cloned());
    let mut upload_error = form.upload_error.clone();
    if attachments.len() > MAX_FILES && upload_error.is_none() {
        upload_error = Some(UploadError::TooMany);
    }
    let compose = Compose {
        recipients: form.recipients.clone(),
        lists: form
            .lists
            .iter()
            .filter_map(|c| ListRef::parse(c))
            .collect(),
        subject: form.subject.clone(),
        body: form.body.clone(),
        attachments,
        ack_requested: form.ack,
        reply_to: form.reply_to,
    };
    let mut d = Draft {
        recipients: compose.recipients.clone(),
        lists: compose.lists.clone(),
        subject: compose.subject.clone(),
        body: compose.body.clone(),
        ack: compose.ack_requested,
        draft: form.draft,
        reply_to: compose.reply_to,
        kept: kept.into_iter().map(|(c, a)| (c, a, true)).collect(),
        key: form.key.clone(),
    };
    let mut extra = Extra {
        query: form.query.clone(),
        ..Extra::default()
    };
    let action = form.action.trim().to_owned();
    if let Some(e) = &upload_error {
        if json_wanted {
            return Ok(problem::json(&t, e));
        }
        extra.errors.push(("pieces_jointes", problem::text(&t, e)));
        extra.refusal = Some(Box::new(e.clone()));
    }
    match action.as_str() {
        "envoyer" if upload_error.is_none() => {
            let st = state.clone();
            let actor = user.actor.clone();
            let draft = form.draft;
            let to_send = compose.clone();
            let once = Once::of(&user.actor, FormKind::Message, &form.key)
                .map(|o| o.over(&fingerprint(&compose, form.draft)));
            let result = call(&t, move || {
                let ctx = SendContext {
                    limiter: &st.send_limiter,
                    limits: SendLimits {
                        pupil: st.config.messaging_limit_pupil,
                        parent: st.config.messaging_limit_parent,
                        staff: st.config.messaging_limit_staff,
                    },
                    now: st.clock.now(),
                };
                compose::send_once(
                    &st.store,
                    &actor,
                    draft,
                    to_send,
                    &ctx,
                    &attachment_limits,
                    once.as_ref(),
                )
            })
            .await?;
            match result {
                Ok(id) if json_wanted => {
                    return Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response());
                }
                Ok(_) => return Ok(Redirect::to("/messagerie/envoyes?fait=envoye").into_response()),
                Err(e) if json_wanted => return Ok(problem::json(&t, &e)),
                Err(MessagingError::NotFound) => return Err(PageError(Error::NotFound, t)),
                Err(e @ MessagingError::Store(_)) => return Err(PageError(e.into(), t)),
                Err(e) => {
                    let text = problem::text(&t, &e);
                    match (&e, problem::messaging_field(&e)) {
                        (_, Some(field)) => {
                            extra.errors.push((field, text));
                        }
                        (MessagingError::NotAllowed(_), _) => {
                            extra.errors.push(("destinataires", text));
                        }
                        _ => extra.alert = Some(text),
                    }
                    extra.refusal = Some(Box::new(e));
                }
            }
        }
        "brouillon" if upload_error.is_none() => {
            let st = state.clone();
            let actor = user.actor.clone();
            let draft = form.draft;
            let to_save = compose.clone();
            let result = call(&t, move || {
                compose::save_draft(
                    &st.store,
                    &actor,
                    draft,
                    to_save,
                    &attachment_limits,
                    st.clock.now(),
                )
            })
            .await?;
            return match result {
                Ok(id) if json_wanted => {
                    let at = paris(state.clock.now());
                    let time = at.split(' ').nth(1).unwrap_or_default().to_owned();
                    Ok(Json(json!({
                        "brouillon": id,
                        "message": t.msg1("messagerie-brouillon-enregistre-a", "heure", &time),
                    }))
                    .into_response())
                }
                Ok(id) => Ok(Redirect::to(&format!(
                    "/messagerie/nouveau?brouillon={id}&fait=brouillon"
                ))
                .into_response()),
                Err(e) if json_wanted => Ok(problem::json(&t, &e)),
                Err(e @ (MessagingError::NotFound | MessagingError::Store(_))) => {
                    Err(PageError(e.into(), t))
                }
                Err(e) => {
                    let text = problem::text(&t, &e);
                    match problem::messaging_field(&e) {
                        Some(field) => extra.errors.push((field, text)),
                        None => extra.alert = Some(text),
                    }
                    extra.refusal = Some(Box::new(e));
                    compose_page(&state, &t, &user, d, extra).await
                }
            };
        }
        // A refused upload: the form again with its error.
        "envoyer" | "brouillon" => {}
        _ => {
            if json_wanted {
                return Ok(problem::json(&t, &Error::Invalid(Vec::new())));
            }
            let store = state.store.clone();
            let actor = user.actor.clone();
            let query = form.query.clone();
            extra.suggestions =
                Some(run(&t, move || compose::suggest(&store, &actor, &query)).await?);
        }
    }
    // The form again. Files uploaded now are kept in a draft (a form cannot give them back) —
    // unless the files were refused for the space they take: then nothing is kept.
    let over_budget = matches!(
        upload_error,
        Some(UploadError::OverQuota(_) | UploadError::OverTotal(_))
    );
    if !form.uploaded.is_empty() && !over_budget {
        let st = state.clone();
        let actor = user.actor.clone();
        let mut to_save = compose.clone();
        // Only the files that were stored whole, even if another one was refused.
        to_save.attachments.truncate(MAX_FILES);
        let draft = form.draft;
        let saved = call(&t, move || {
            compose::save_draft(
                &st.store,
                &actor,
                draft,
                to_save,
                &attachment_limits,
                st.clock.now(),
            )
        })
        .await?;
        if let Err(e) = &saved {
            // Not kept either (quota, cap, drafts per hour): said beside the files.
            if !matches!(e, MessagingError::Store(_) | MessagingError::NotFound)
                && !extra.errors.iter().any(|(f, _)| *f == "pieces_jointes")
            {
                extra.errors.push(("pieces_jointes", problem::text(&t, e)));
            }
        }
        if let Ok(id) = saved {
            d.draft = Some(id);
            let all: Vec<Attachment> = d
                .kept
                .iter()
                .map(|(_, a, _)| a.clone())
                .chain(form.uploaded.iter().cloned())
                .take(MAX_FILES)
                .collect();
            d.kept = kept_of(id, &all);
            if extra.notice.is_none() {
                extra.notice = Some(t.msg("messagerie-pieces-gardees"));
            }
        }
    }
    compose_page(&state, &t, &user, d, extra).await
}
