//! Importing a spreadsheet from the administration: the upload form, the dry run shown before
//! anything is written, the confirmation. `domain::admin::import` decides and does the work.

use crate::http::extract::Form;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::domain::accounts::session::SessionToken;
use crate::domain::admin::import::{self, Confirmed, MAX_FILE_BYTES};
use crate::domain::admin::{self, AdminError};
use crate::domain::import::aaf_apply::{Counts, ImportReport};
use crate::domain::import::csv_apply::CsvKind;
use crate::domain::once::{FormKind, Once};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, blocking, page, render};
use crate::http::path_ids::Id;
use crate::http::problem::form_again;
use crate::i18n::Text;
use crate::model::Origin;
use crate::model::directory::EstablishmentId;
use crate::state::AppState;

/// The body limit of the upload route: the file plus the form's other fields.
pub const BODY_LIMIT: usize = MAX_FILE_BYTES + 64 * 1024;

async fn run<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<T, PageError> {
    blocking(t, move || f().map_err(Error::from)).await
}

#[derive(Template)]
#[template(path = "admin/import.html")]
struct FormPage {
    page: PageCtx,
    csrf: String,
    establishment: admin::EstablishmentItem,
    kind: String,
    error_file: Option<String>,
    error_kind: Option<String>,
}

/// The upload form; after a refusal (`Some`), again with its message beside the field (the
/// content's kind for `type`, the file otherwise) and the refusal's status.
async fn form_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: EstablishmentId,
    kind: String,
    refusal: Option<AdminError>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let establishment = run(t, move || admin::establishment(&store, &actor, id)).await?;
    let name = user.name.clone();
    let (mut error_file, mut error_kind) = (None, None);
    if let Some(AdminError::Invalid { field, key }) = &refusal {
        let message = Some(t.msg(key));
        if *field == "type" {
            error_kind = message;
        } else {
            error_file = message;
        }
    }
    let page = render(
        StatusCode::OK,
        &FormPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            establishment,
            kind,
            error_file,
            error_kind,
        },
    );
    Ok(match &refusal {
        Some(refusal) => form_again(refusal, page),
        None => page,
    })
}

/// A refused upload or confirmation: the message beside `field`.
fn refused(field: &'static str, key: &'static str) -> Option<AdminError> {
    Some(AdminError::Invalid { field, key })
}

/// An import whose report has lines in error: written nothing, shown with the report (422).
fn report_refusal(report: &ImportReport) -> Option<AdminError> {
    (!report.errors.is_empty()).then_some(AdminError::Invalid {
        field: "fichier",
        key: "import-erreurs",
    })
}

/// The preview or result page, with the report's refusal's status if it has lines in error.
fn report_page(report: &ImportReport, page: Response) -> Response {
    match report_refusal(report) {
        Some(refusal) => form_again(&refusal, page),
        None => page,
    }
}

/// `GET /admin/etablissements/{id}/import`.
pub async fn form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
) -> Result<Response, PageError> {
    form_page(&state, &t, &user, EstablishmentId(id), String::new(), None).await
}

fn counts_line(t: &Tr, key: &str, c: &Counts) -> String {
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("crees", c.created);
    args.set("modifies", c.updated);
    args.set("inchanges", c.unchanged);
    t.args(key, &args)
}

/// The French summary of a report for a kind of file.
fn summary(t: &Tr, kind: CsvKind, report: &ImportReport) -> Vec<String> {
    match kind {
        CsvKind::Students => vec![counts_line(t, "import-bilan-eleves", &report.students)],
        CsvKind::Parents => vec![
            counts_line(t, "import-bilan-parents", &report.relatives),
            t.count("import-bilan-liens", "nombre", report.links_created as u64),
        ],
        CsvKind::Teachers => vec![
            counts_line(t, "import-bilan-enseignants", &report.staff),
            t.count(
                "import-bilan-matieres",
                "nombre",
                report.subjects_created as u64,
            ),
            t.count(
                "import-bilan-enseignements",
                "nombre",
                report.teachings_created as u64,
            ),
        ],
    }
}

fn kind_label(t: &Tr, kind: CsvKind) -> String {
    t.msg(match kind {
        CsvKind::Students => "import-type-eleves",
        CsvKind::Parents => "import-type-parents",
        CsvKind::Teachers => "import-type-enseignants",
    })
}

#[derive(Template)]
#[template(path = "admin/import-apercu.html")]
struct PreviewPage {
    page: PageCtx,
    csrf: String,
    establishment: admin::EstablishmentItem,
    /// Preview (`false`) or result of the import (`true`).
    done: bool,
    file_name: String,
    kind: String,
    summary: Vec<String>,
    changes_nothing: bool,
    lines: Vec<String>,
    omitted: usize,
    warnings: Vec<String>,
    /// "… and N more warnings", when some were left out.
    warnings_more: Option<String>,
    errors: Vec<String>,
    /// "… and N more lines in error", when some were left out.
    errors_more: Option<String>,
    token: Option<String>,
    /// The confirmation form's one-time key (`domain::once`).
    form_key: String,
    /// The answer to a second submission of the same confirmation.
    again: bool,
}

/// The most errors (and warnings) a preview lists: a file broken on every line would make a
/// page several times its size (4.5 MB of CSV gave 31 MB of HTML); the first ones say what to
/// fix, the count says how many more.
pub const MAX_LISTED: usize = 100;

/// The most characters of one listed message (a message may quote the line).
const MAX_MESSAGE_CHARS: usize = 500;

/// The first [`MAX_LISTED`] messages, each cut at [`MAX_MESSAGE_CHARS`], and the sentence
/// saying how many more there are (`key`, with `nombre`), if any.
fn listed(t: &Tr, all: &[Text], key: &str) -> (Vec<String>, Option<String>) {
    let shown = all
        .iter()
        .take(MAX_LISTED)
        .map(|m| {
            let m = t.text(m);
            if m.chars().count() > MAX_MESSAGE_CHARS {
                let mut cut: String = m.chars().take(MAX_MESSAGE_CHARS).collect();
                cut.push('…');
                cut
            } else {
                m
            }
        })
        .collect();
    let more = all.len().saturating_sub(MAX_LISTED);
    (
        shown,
        (more > 0).then(|| t.count(key, "nombre", more as u64)),
    )
}

/// `POST /admin/etablissements/{id}/import` (multipart: `type`, `fichier`): the dry run.
pub async fn preview(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let establishment = EstablishmentId(id);
    // Refuse strangers before reading a byte of their file.
    let store = state.store.clone();
    let actor = user.actor.clone();
    let item = run(&t, move || {
        admin::establishment(&store, &actor, establishment)
    })
    .await?;
    let mut kind_field = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let bad_upload = |t: &Tr| {
        let refusal = AdminError::Invalid {
            field: "fichier",
            key: "import-erreur-envoi",
        };
        PageError(refusal.into(), t.clone())
    };
    while let Some(field) = multipart.next_field().await.map_err(|_| bad_upload(&t))? {
        match field.name() {
            Some("type") => {
                kind_field = field.text().await.map_err(|_| bad_upload(&t))?;
            }
            Some("fichier") => {
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(|_| bad_upload(&t))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let kind = match kind_field.trim() {
        "" | "auto" => None,
        other => match CsvKind::from_name(other) {
            Some(kind) => Some(kind),
            None => {
                let refusal = refused("type", "import-erreur-type-inconnu");
                return form_page(&state, &t, &user, establishment, kind_field, refusal).await;
            }
        },
    };
    let (file_name, bytes) = file.unwrap_or_default();
    let st = state.clone();
    let actor = user.actor.clone();
    let name = file_name.clone();
    let result = tokio::task::spawn_blocking(move || {
        import::preview(
            &st.store,
            &actor,
            establishment,
            kind,
            &name,
            bytes,
            st.clock.now(),
        )
    })
    .await
    .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))?;
    let preview = match result {
        Ok(p) => p,
        Err(refusal @ AdminError::Invalid { .. }) => {
            let refusal = Some(refusal);
            return form_page(&state, &t, &user, establishment, kind_field, refusal).await;
        }
        Err(e) => return Err(PageError(e.into(), t)),
    };
    let (errors, errors_more) = listed(&t, &preview.report.errors, "import-erreurs-omises");
    let (warnings, warnings_more) =
        listed(&t, &preview.report.warnings, "import-avertissements-omis");
    let name = user.name.clone();
    let shown = render(
        StatusCode::OK,
        &PreviewPage {
            page: page(&t, &user, name, ""),
            csrf: user.csrf(),
            establishment: item,
            done: false,
            file_name,
            kind: kind_label(&t, preview.kind),
            summary: summary(&t, preview.kind, &preview.report),
            changes_nothing: preview.report.changed_nothing(),
            lines: preview.report.lines.iter().map(|l| t.text(l)).collect(),
            omitted: preview.report.lines_omitted,
            warnings,
            warnings_more,
            errors,
            errors_more,
            token: preview.token.map(|t| t.as_str().to_owned()),
            form_key: crate::http::form_key::fresh(),
            again: false,
        },
    );
    Ok(report_page(&preview.report, shown))
}

/// The confirmation form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    televersement: String,
    /// The form's one-time key (`domain::once`).
    #[serde(default)]
    cle_formulaire: String,
}

/// `POST /admin/etablissements/{id}/import/confirmer`: the import itself.
pub async fn confirm(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    let establishment = EstablishmentId(id);
    let store = state.store.clone();
    let actor = user.actor.clone();
    let item = run(&t, move || {
        admin::establishment(&store, &actor, establishment)
    })
    .await?;
    let Some(token) = SessionToken::parse(&form.televersement) else {
        let refusal = refused("televersement", "import-erreur-perime");
        return form_page(&state, &t, &user, establishment, String::new(), refusal).await;
    };
    let st = state.clone();
    let actor = user.actor.clone();
    let once = Once::of(&actor, FormKind::Import, &form.cle_formulaire)
        .map(|o| o.over(&form.televersement));
    let result = tokio::task::spawn_blocking(move || {
        import::confirm(
            &st.store,
            &actor,
            establishment,
            &token,
            &client,
            st.clock.now(),
            once.as_ref(),
        )
    })
    .await
    .map_err(|e| PageError(Error::Io(std::io::Error::other(e)), t.clone()))?;
    let Confirmed {
        kind,
        report,
        again,
    } = match result {
        Ok(done) => done,
        Err(AdminError::Invalid { key, .. }) => {
            // Whatever the field, the message goes beside the file.
            let refusal = refused("televersement", key);
            return form_page(&state, &t, &user, establishment, String::new(), refusal).await;
        }
        Err(e) => return Err(PageError(e.into(), t)),
    };
    let (errors, errors_more) = listed(&t, &report.errors, "import-erreurs-omises");
    let (warnings, warnings_more) = listed(&t, &report.warnings, "import-avertissements-omis");
    let name = user.name.clone();
    let shown = render(
        StatusCode::OK,
        &PreviewPage {
            page: page(&t, &user, name, ""),
            csrf: user.csrf(),
            establishment: item,
            done: report.errors.is_empty(),
            file_name: String::new(),
            kind: kind_label(&t, kind),
            summary: summary(&t, kind, &report),
            changes_nothing: report.changed_nothing(),
            lines: report.lines.iter().map(|l| t.text(l)).collect(),
            omitted: report.lines_omitted,
            warnings,
            warnings_more,
            errors,
            errors_more,
            token: None,
            form_key: String::new(),
            again,
        },
    );
    Ok(report_page(&report, shown))
}
