//! The search pages: `GET /recherche` (the page, and the user bar's box) and
//! `GET /api/v1/search` (JSON), both on `search::query::search` — which filters by the actor's
//! principals and re-checks every hit against the store.
//!
//! The words typed are never logged (a request's span carries its route template, not its URI).

use askama::Template;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::domain::admin::journal::parse_date;
use crate::error::Error;
use crate::http::api::ErrorBody;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, render};
use crate::http::problem::{self, Problem, form_again};
use crate::model::directory::PersonId;
use crate::search::query::{self, MAX_PAGE, MAX_QUERY_CHARS, PAGE_SIZE, Request, Results};
use crate::search::{Kind, SearchError};
use crate::state::AppState;

/// The parameters of both routes, as typed (each read once; unknown ones ignored).
#[derive(Debug, Default, Clone)]
struct Params {
    q: String,
    kind: String,
    since: String,
    until: String,
    owner: String,
    page: String,
}

impl Params {
    fn parse(raw: Option<&str>) -> Params {
        let mut p = Params::default();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let slot = match key.as_ref() {
                "q" => &mut p.q,
                "type" => &mut p.kind,
                "depuis" => &mut p.since,
                "jusqua" => &mut p.until,
                "proprietaire" => &mut p.owner,
                "page" => &mut p.page,
                _ => continue,
            };
            if slot.is_empty() {
                *slot = value.chars().take(MAX_QUERY_CHARS).collect();
            }
        }
        p
    }
}

/// Why a search is not answered (its status and text: `http/problem/accounts.rs`).
#[derive(Debug, thiserror::Error)]
pub enum SearchRefusal {
    /// A date field that does not read as a date (or an end before the start).
    #[error("unreadable dates")]
    BadDates {
        /// The start (`depuis`) does not read as a date.
        since: bool,
        /// The end (`jusqua`) does not read as a date.
        until: bool,
        /// Both read, but the end is before the start.
        reversed: bool,
    },
    /// The index is being built: try again shortly.
    #[error("the search index is not ready yet")]
    NotReady,
}

/// The request the parameters make for `user`, or which date fields are wrong.
fn request_of(p: &Params, user: &CurrentUser) -> Result<Request, SearchRefusal> {
    let date = |text: &str| -> Result<Option<jiff::civil::Date>, ()> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            parse_date(text).map(Some).ok_or(())
        }
    };
    let since = date(&p.since);
    let until = date(&p.until);
    // An end before the start is the end's mistake.
    let until_before = matches!((&since, &until), (Ok(Some(a)), Ok(Some(b))) if b < a);
    if since.is_err() || until.is_err() || until_before {
        return Err(SearchRefusal::BadDates {
            since: since.is_err(),
            until: until.is_err(),
            reversed: until_before,
        });
    }
    let owner = match p.owner.trim() {
        "moi" => user.actor.person,
        other => other.parse::<u64>().ok().map(PersonId),
    };
    Ok(Request {
        text: p.q.trim().to_owned(),
        kind: Kind::from_code(p.kind.trim()),
        since: since.ok().flatten(),
        until: until.ok().flatten(),
        owner,
        page: p.page.trim().parse::<u32>().unwrap_or(1).clamp(1, MAX_PAGE),
    })
}

/// The translation key of a kind.
fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Document => "recherche-type-document",
        Kind::Message => "recherche-type-message",
        Kind::Person => "recherche-type-personne",
    }
}

fn day(t: jiff::Timestamp) -> String {
    t.to_zoned(crate::clock::paris())
        .strftime("%d/%m/%Y")
        .to_string()
}

/// A person's profile in words, one part per establishment (`None` for other items, or a person
/// without any profile).
fn profile_text(t: &Tr, hit: &query::Hit) -> Option<String> {
    let parts: Vec<String> = hit
        .profile
        .iter()
        .map(|p| {
            format!(
                "{} — {}",
                crate::http::directory::facet_text(t, &p.facet),
                p.establishment_name
            )
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Runs the search on the blocking pool. `Ok(None)`: the index is not open yet.
async fn run_search(
    state: &AppState,
    user: &CurrentUser,
    request: Request,
) -> Result<Option<Results>, Error> {
    let (store, search, actor) = (
        state.store.clone(),
        state.search.clone(),
        user.actor.clone(),
    );
    let outcome =
        tokio::task::spawn_blocking(move || query::search(&store, &search, &actor, &request))
            .await
            .map_err(|e| Error::Io(std::io::Error::other(e)))?;
    match outcome {
        Ok(results) => Ok(Some(results)),
        Err(SearchError::NotReady) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The page.
// ---------------------------------------------------------------------------------------------

struct HitView {
    kind: String,
    /// A person's profile in words (« Élève de 5A — Collège … »), as their page shows it.
    profile: Option<String>,
    title: String,
    link: String,
    date: Option<String>,
    snippet: Vec<query::Segment>,
}

/// An option of a `<select>`: value, label, selected.
type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "recherche.html")]
struct SearchPage {
    page: PageCtx,
    q: String,
    since: String,
    until: String,
    kinds: Vec<Choice>,
    owners: Vec<Choice>,
    error_since: Option<String>,
    error_until: Option<String>,
    /// Whether the filters are open (one is set, or wrong).
    filtered: bool,
    searched: bool,
    not_ready: bool,
    status: String,
    first_rank: usize,
    hits: Vec<HitView>,
    previous: Option<String>,
    next: Option<String>,
}

/// The link to page `n` of the same search.
fn page_link(p: &Params, n: u32) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("q", p.q.trim());
    for (key, value) in [
        ("type", &p.kind),
        ("depuis", &p.since),
        ("jusqua", &p.until),
        ("proprietaire", &p.owner),
    ] {
        if !value.trim().is_empty() {
            query.append_pair(key, value.trim());
        }
    }
    if n > 1 {
        query.append_pair("page", &n.to_string());
    }
    format!("/recherche?{}", query.finish())
}

/// `GET /recherche?q=&type=&depuis=&jusqua=&proprietaire=&page=`.
pub async fn page_search(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let p = Params::parse(raw.as_deref());
    let request = request_of(&p, &user);
    let searched = !p.q.trim().is_empty();
    let (results, bad) = match &request {
        Ok(r) if searched => match run_search(&state, &user, r.clone()).await {
            Ok(results) => (Some(results), None),
            Err(e) => return Err(PageError(e, t)),
        },
        Ok(_) => (Some(None), None),
        Err(bad) => (None, Some(bad)),
    };
    // The owner filter: anyone, me, or a person named by id whom the actor may see.
    let mut owners = vec![
        (String::new(), t.msg("recherche-proprietaire-tous"), false),
        ("moi".to_owned(), t.msg("recherche-proprietaire-moi"), false),
    ];
    let chosen = p.owner.trim().to_owned();
    if let Ok(id) = chosen.parse::<u64>() {
        let (store, actor) = (state.store.clone(), user.actor.clone());
        let name = blocking(&t, move || {
            Ok(query::owner_name(&store, &actor, PersonId(id))?)
        })
        .await?;
        if let Some(name) = name {
            owners.push((chosen.clone(), name, false));
        }
    }
    for o in &mut owners {
        o.2 = o.0 == chosen;
    }
    let kinds: Vec<Choice> = std::iter::once((String::new(), t.msg("recherche-type-tous"), false))
        .chain(Kind::ALL.into_iter().map(|k| {
            (
                k.code().to_owned(),
                t.msg(kind_key(k)),
                p.kind.trim() == k.code(),
            )
        }))
        .collect();
    let (hits, status, first_rank, previous, next, not_ready) = match &results {
        Some(Some(r)) if searched => {
            let hits: Vec<HitView> = r
                .hits
                .iter()
                .map(|h| HitView {
                    kind: t.msg(kind_key(h.kind())),
                    profile: profile_text(&t, h),
                    title: h.title.clone(),
                    link: h.link.clone(),
                    date: h.date.map(day),
                    snippet: h.snippet.clone(),
                })
                .collect();
            let status = if hits.is_empty() {
                if r.page > 1 {
                    t.msg("recherche-aucun-resultat-page")
                } else {
                    t.msg("recherche-aucun-resultat")
                }
            } else {
                let mut args = fluent_bundle::FluentArgs::new();
                args.set("debut", r.first_rank() as u64);
                args.set("fin", (r.first_rank() + hits.len() - 1) as u64);
                t.args("recherche-resultats-rangs", &args)
            };
            let previous = (r.page > 1).then(|| page_link(&p, r.page - 1));
            let next = r.has_next.then(|| page_link(&p, r.page + 1));
            (hits, status, r.first_rank(), previous, next, false)
        }
        Some(None) if searched => (
            Vec::new(),
            t.msg("recherche-pas-prete"),
            1,
            None,
            None,
            true,
        ),
        _ => (Vec::new(), String::new(), 1, None, None, false),
    };
    let name = user.name.clone();
    let invalid = bad.is_some();
    let field_error = |field: &str| {
        bad.and_then(|e| {
            e.field_errors(&t)
                .into_iter()
                .find_map(|(f, text)| (f == field).then_some(text))
        })
    };
    let body = SearchPage {
        page: page(&t, &user, name, "/recherche"),
        q: p.q.trim().to_owned(),
        since: p.since.trim().to_owned(),
        until: p.until.trim().to_owned(),
        kinds,
        owners,
        filtered: [&p.kind, &p.since, &p.until, &p.owner]
            .iter()
            .any(|f| !f.trim().is_empty()),
        error_since: field_error("depuis"),
        error_until: field_error("jusqua"),
        searched: searched && !invalid,
        not_ready,
        status,
        first_rank,
        hits,
        previous,
        next,
    };
    let page = render(StatusCode::OK, &body);
    Ok(match bad {
        Some(e) => form_again(e, page),
        None if not_ready => form_again(&SearchRefusal::NotReady, page),
        None => page,
    })
}

// ---------------------------------------------------------------------------------------------
// The JSON API.
// ---------------------------------------------------------------------------------------------

/// `GET /api/v1/search?q=&type=&depuis=&jusqua=&proprietaire=&page=`: the same search as the
/// page, as JSON.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "recherche",
    summary = "Search the files, messages and people the signed-in person may see (French words; accents and case ignored, plurals matched)",
    params(
        ("q" = String, Query, max_length = 200, description = "The words (all must match; \"a phrase\", -word and word* are understood)"),
        ("type" = inline(Option<KindCode>), Query, description = "Only this kind of items"),
        ("depuis" = Option<String>, Query, description = "Only items dated this day or later (YYYY-MM-DD or DD/MM/YYYY, Paris)"),
        ("jusqua" = Option<String>, Query, description = "Only items dated this day or earlier"),
        ("proprietaire" = Option<String>, Query, description = "Only items uploaded or sent by this person: `moi` or a person's id"),
        ("page" = Option<u32>, Query, minimum = 1, description = "Page, from 1 (20 results a page, at most 50 pages)"),
    ),
    responses(
        (status = 200, description = "A page of results, best first", body = SearchResults),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "A date that cannot be read, or an end before the start", body = ErrorBody),
        (status = 503, description = "The index is being built; try again shortly", body = ErrorBody),
    ),
    security(("session" = [])),
)]
pub async fn api_search(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let p = Params::parse(raw.as_deref());
    let request = match request_of(&p, &user) {
        Ok(r) => r,
        Err(bad) => return problem::json(&t, &bad),
    };
    let page = request.page;
    match run_search(&state, &user, request).await {
        Ok(Some(r)) => {
            let results: Vec<Value> = r
                .hits
                .iter()
                .map(|h| {
                    json!({
                        "type": h.kind().code(),
                        "id": h.id(),
                        "title": h.title,
                        "profile": profile_text(&t, h),
                        "url": h.link,
                        "date": h.date.map(|d| d.to_string()),
                        "snippet_html": h.snippet_html(),
                    })
                })
                .collect();
            Json(json!({
                "page": r.page,
                "page_size": PAGE_SIZE,
                "has_next": r.has_next,
                "results": results,
            }))
            .into_response()
        }
        Ok(None) => {
            // The problem body, with the page asked (to ask it again).
            let refusal = SearchRefusal::NotReady;
            let mut body = problem::body(&t, &refusal);
            body["page"] = json!(page);
            let mut response = (refusal.status(), body.to_string()).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(problem::PROBLEM_JSON),
            );
            response
        }
        Err(e) => e.into_response(),
    }
}

/// `GET /api/v1/search` answer.
#[derive(ToSchema)]
pub struct SearchResults {
    /// This page's number, from 1.
    pub page: u32,
    /// Results a page.
    pub page_size: u32,
    /// Whether another page follows.
    pub has_next: bool,
    /// Best first.
    pub results: Vec<SearchHit>,
}

/// One item found.
#[derive(ToSchema)]
pub struct SearchHit {
    /// `document`, `message` or `personne`.
    #[schema(rename = "type", inline)]
    pub kind: KindCode,
    /// The item's id.
    pub id: u64,
    /// Its title (file name, subject, person's name).
    pub title: String,
    /// A person's profile in words, in the visitor's language, as their page shows it
    /// (« Élève de 5A — Collège … »); null for files and messages.
    pub profile: Option<String>,
    /// The item's page.
    pub url: String,
    /// Its date.
    #[schema(format = DateTime)]
    pub date: Option<String>,
    /// A passage of the text, HTML-escaped, the words found in <mark>.
    pub snippet_html: String,
}

/// The code of a kind of item (`Kind::code`).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum KindCode {
    /// A file.
    Document,
    /// A message.
    Message,
    /// A person.
    Personne,
}
