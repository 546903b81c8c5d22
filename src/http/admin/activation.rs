//! Administration of activation: printing credential letters (PDF), editing the charter (the
//! mail queue is in `admin_mail`). `domain::activation` and `domain::admin` decide every
//! permission.

use crate::http::extract::Form;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::activation::charter;
use crate::domain::activation::letters::{self, LetterScope, PrintSettings, PrintedLetters};
use crate::domain::admin::{self, AdminError};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, paris, render};
use crate::http::path_ids::{Id, parse_id};
use crate::http::problem::{Problem, form_again};
use crate::model::Origin;
use crate::model::directory::{ClassId, EstablishmentId, PersonId};
use crate::state::AppState;

async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<T, PageError> {
    blocking(t, move || f().map_err(Error::from)).await
}

// ---------------------------------------------------------------------------------------------
// Credential letters.
// ---------------------------------------------------------------------------------------------

struct CountRow {
    label: String,
    class: Option<ClassId>,
    pupils: usize,
    parents: usize,
    staff: usize,
}

#[derive(Template)]
#[template(path = "admin/courriers.html")]
struct LettersPage {
    page: PageCtx,
    csrf: String,
    establishment: admin::EstablishmentItem,
    rows: Vec<CountRow>,
    total: String,
    validity: String,
    instance_url: String,
    error: Option<String>,
}

/// `GET /admin/etablissements/{id}/courriers`: who waits for a letter, class by class.
pub async fn letters_page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
) -> Result<Response, PageError> {
    letters_page_with(&state, &t, &user, EstablishmentId(id), None).await
}

async fn letters_page_with(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: EstablishmentId,
    error: Option<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let (establishment, counts) = run(t, move || {
        let e = admin::establishment(&store, &actor, id)?;
        Ok((e, letters::pending_counts(&store, &actor, id)?))
    })
    .await?;
    let rows: Vec<CountRow> = counts
        .into_iter()
        .map(|c| CountRow {
            label: match &c.class {
                Some((_, name)) => t.msg1("courriers-classe", "classe", name),
                None => t.msg("courriers-personnels"),
            },
            class: c.class.map(|(id, _)| id),
            pupils: c.pupils,
            parents: c.parents,
            staff: c.staff,
        })
        .collect();
    let total: usize = rows.iter().map(|r| r.pupils + r.parents + r.staff).sum();
    let total = t.count("courriers-total", "nombre", total as u64);
    let validity = t.count(
        "courriers-validite",
        "jours",
        state.config.activation_code_lifetime.as_secs() / 86_400,
    );
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &LettersPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            establishment,
            rows,
            total,
            validity,
            instance_url: state.config.instance_url(),
            error,
        },
    ))
}

/// The print form: `classe` empty = the whole establishment.
#[derive(Debug, Deserialize)]
pub struct PrintForm {
    #[serde(default)]
    classe: String,
}

fn pdf_response(printed: PrintedLetters) -> Response {
    let mut response = (StatusCode::OK, printed.pdf).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", printed.file_name))
    {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    // Codes inside: never cached.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `POST /admin/etablissements/{id}/courriers`: the PDF of the letters (new codes).
pub async fn print_letters(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
    Form(form): Form<PrintForm>,
) -> Result<Response, PageError> {
    let establishment = EstablishmentId(id);
    // A class id that is not a number is "not found", like one from another establishment.
    let scope = match form.classe.trim() {
        "" => LetterScope::Establishment,
        class => match parse_id(class) {
            Some(class) => LetterScope::Class(ClassId(class)),
            None => return Err(PageError(Error::NotFound, t)),
        },
    };
    let st = state.clone();
    let actor = user.actor.clone();
    let result = tokio::task::spawn_blocking(move || {
        let url = st.config.instance_url();
        letters::print(
            &st.store,
            &actor,
            establishment,
            scope,
            &PrintSettings {
                instance_url: &url,
                lifetime: st.config.activation_code_lifetime,
                client: &client,
                now: st.clock.now(),
            },
        )
    })
    .await
    .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))?;
    match result {
        Ok(printed) => Ok(pdf_response(printed)),
        Err(refusal @ AdminError::Invalid { .. }) => {
            let msg = Some(refusal.detail(&t));
            let page = letters_page_with(&state, &t, &user, establishment, msg).await?;
            Ok(form_again(&refusal, page))
        }
        Err(e) => Err(PageError(e.into(), t)),
    }
}

/// `POST /admin/personnes/{id}/courrier`: one person's letter, in the first establishment the
/// actor administers among theirs.
pub async fn print_person_letter(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(PersonId(id)): Id<PersonId>,
) -> Result<Response, PageError> {
    let target = PersonId(id);
    let st = state.clone();
    let actor = user.actor.clone();
    let printed = run(&t, move || {
        let view = admin::person(&st.store, &actor, target)?;
        if !view.can_act {
            return Err(AdminError::Forbidden);
        }
        let establishment = view
            .profiles
            .iter()
            .find(|p| p.administered)
            .map(|p| p.establishment)
            .ok_or(AdminError::NotFound)?;
        let url = st.config.instance_url();
        letters::print(
            &st.store,
            &actor,
            establishment,
            LetterScope::Person(target),
            &PrintSettings {
                instance_url: &url,
                lifetime: st.config.activation_code_lifetime,
                client: &client,
                now: st.clock.now(),
            },
        )
    })
    .await?;
    Ok(pdf_response(printed))
}

// ---------------------------------------------------------------------------------------------
// The charter.
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/charte.html")]
struct CharterPage {
    page: PageCtx,
    csrf: String,
    establishment: admin::EstablishmentItem,
    text: String,
    version: u32,
    version_text: String,
    updated: Option<String>,
    max: usize,
    done: bool,
    error: Option<String>,
}

/// Query of the charter page.
#[derive(Debug, Deserialize)]
pub struct CharterQuery {
    fait: Option<String>,
}

/// `GET /admin/etablissements/{id}/charte`.
pub async fn charter_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
    crate::http::extract::Query(q): crate::http::extract::Query<CharterQuery>,
) -> Result<Response, PageError> {
    charter_page(
        &state,
        &t,
        &user,
        EstablishmentId(id),
        None,
        q.fait.is_some(),
        None,
    )
    .await
}

async fn charter_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: EstablishmentId,
    typed: Option<String>,
    done: bool,
    error: Option<String>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let (establishment, current) = run(t, move || {
        let e = admin::establishment(&store, &actor, id)?;
        Ok((e, charter::for_admin(&store, &actor, id)?))
    })
    .await?;
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &CharterPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            establishment,
            text: typed.unwrap_or(current.text),
            version: current.version,
            version_text: t.count(
                "charte-admin-version",
                "version",
                u64::from(current.version),
            ),
            updated: current.updated_at.map(paris),
            max: charter::MAX_LENGTH,
            done,
            error,
        },
    ))
}

/// The charter form.
#[derive(Debug, Deserialize)]
pub struct CharterForm {
    #[serde(default)]
    texte: String,
}

/// `POST /admin/etablissements/{id}/charte`: a new version, that everyone accepts again.
pub async fn charter_submit(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
    Form(form): Form<CharterForm>,
) -> Result<Response, PageError> {
    let establishment = EstablishmentId(id);
    let st = state.clone();
    let actor = user.actor.clone();
    let text = form.texte.clone();
    let result = tokio::task::spawn_blocking(move || {
        charter::edit(
            &st.store,
            &actor,
            establishment,
            &text,
            &client,
            st.clock.now(),
        )
    })
    .await
    .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))?;
    match result {
        Ok(_) => Ok(axum::response::Redirect::to(&format!(
            "/admin/etablissements/{id}/charte?fait=1"
        ))
        .into_response()),
        Err(refusal @ AdminError::Invalid { .. }) => {
            let msg = Some(refusal.detail(&t));
            let typed = Some(form.texte);
            let page = charter_page(&state, &t, &user, establishment, typed, false, msg).await?;
            Ok(form_again(&refusal, page))
        }
        Err(e) => Err(PageError(e.into(), t)),
    }
}
