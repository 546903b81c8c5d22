//! The messaging administration (issue 6 §1, §3): an establishment's communication rules (the
//! 4×4 matrix), its reports (*signalements*) and their review, and suspending one person's
//! messaging. `domain::messaging` decides: the establishment's administrators and the platform
//! administrator; 404 for everyone else.

use crate::http::extract::Form;
use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::admin::{self, AdminError};
use crate::domain::messaging::rules::{self, Category, CommRules, Reach};
use crate::domain::messaging::{MessagingError, abuse, body};
use crate::error::Error;
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{OrPage, PageCtx, PageError, blocking, page, paris, render};
use crate::http::messaging::call;
use crate::http::path_ids::Id;
use crate::http::problem::{self, Problem, form_again};
use crate::model::Origin;
use crate::model::directory::{EstablishmentId, PersonId};
use crate::model::messaging::ReportId;
use crate::state::AppState;

async fn run_admin<T: Send + 'static>(
    t: &Tr,
    f: impl FnOnce() -> Result<T, AdminError> + Send + 'static,
) -> Result<T, PageError> {
    blocking(t, move || f().map_err(Error::from)).await
}

/// The translation key of a category, plural ("Élèves").
fn category_key(c: Category) -> &'static str {
    match c {
        Category::Eleve => "communication-eleves",
        Category::Parent => "communication-parents",
        Category::Enseignant => "communication-enseignants",
        Category::Personnel => "communication-personnels",
    }
}

/// The translation key of a reach.
fn reach_key(r: Reach) -> &'static str {
    match r {
        Reach::Nobody => "communication-personne",
        Reach::Related => "communication-lies",
        Reach::Everyone => "communication-tous",
    }
}

/// The field of a cell: `r-eleve-parent`.
fn cell_name(from: Category, to: Category) -> String {
    format!("r-{}-{}", from.code(), to.code())
}

struct CellView {
    name: String,
    label: String,
    /// What "liés" means for this pair (its id for `aria-describedby`).
    help_id: String,
    value: &'static str,
}

struct RowView {
    from: String,
    cells: Vec<CellView>,
}

#[derive(Template)]
#[template(path = "admin/messagerie/communication.html")]
struct RulesPage {
    page: PageCtx,
    csrf: String,
    establishment: admin::EstablishmentItem,
    columns: Vec<String>,
    rows: Vec<RowView>,
    reaches: Vec<(&'static str, String)>,
    related: Vec<(String, String)>,
    updated: Option<String>,
    done: Option<String>,
    error: Option<String>,
}

fn rules_page(
    t: &Tr,
    user: &CurrentUser,
    name: String,
    establishment: admin::EstablishmentItem,
    rules: &CommRules,
    done: Option<String>,
    error: Option<String>,
) -> RulesPage {
    let mut related = Vec::new();
    let rows = Category::ALL
        .into_iter()
        .map(|from| RowView {
            from: t.msg(category_key(from)),
            cells: Category::ALL
                .into_iter()
                .map(|to| {
                    let help_id = format!("lies-{}-{}", from.code(), to.code());
                    related.push((
                        help_id.clone(),
                        t.msg(&format!("communication-lies-{}-{}", from.code(), to.code())),
                    ));
                    let mut args = fluent_bundle::FluentArgs::new();
                    args.set("de", t.msg(category_key(from)));
                    args.set("a", t.msg(category_key(to)));
                    CellView {
                        name: cell_name(from, to),
                        label: t.args("communication-cellule", &args),
                        help_id,
                        value: rules.reach(from, to).code(),
                    }
                })
                .collect(),
        })
        .collect();
    RulesPage {
        page: page(t, user, name, ""),
        csrf: user.csrf(),
        establishment,
        columns: Category::ALL
            .into_iter()
            .map(|c| t.msg(category_key(c)))
            .collect(),
        rows,
        reaches: [Reach::Nobody, Reach::Related, Reach::Everyone]
            .into_iter()
            .map(|r| (r.code(), t.msg(reach_key(r))))
            .collect(),
        related,
        updated: rules.updated_at.map(paris),
        done,
        error,
    }
}

/// What was just done (`?fait=`).
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    fait: Option<String>,
}

/// `GET /admin/etablissements/{id}/communication`: the matrix as a form.
pub async fn rules_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let e = EstablishmentId(id);
    let (establishment, rules) = run_admin(&t, move || {
        Ok((
            admin::establishment(&store, &actor, e)?,
            rules::for_admin(&store, &actor, e)?,
        ))
    })
    .await?;
    let name = user.name.clone();
    let done = match q.fait.as_deref() {
        Some("enregistre") => Some(t.msg("communication-fait-enregistre")),
        Some("defauts") => Some(t.msg("communication-fait-defauts")),
        _ => None,
    };
    Ok(render(
        StatusCode::OK,
        &rules_page(&t, &user, name, establishment, &rules, done, None),
    ))
}

/// `POST /admin/etablissements/{id}/communication`: every cell `r-FROM-TO` = `personne`,
/// `lies` or `tous`; or `action=defauts` for the defaults. Audited by the domain.
pub async fn rules_submit(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let e = EstablishmentId(id);
    let value = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let defaults = value("action") == Some("defauts");
    let mut matrix = CommRules::defaults().matrix;
    let mut bad = false;
    if !defaults {
        for from in Category::ALL {
            for to in Category::ALL {
                match value(&cell_name(from, to)).and_then(Reach::from_code) {
                    Some(r) => matrix[from.index()][to.index()] = r,
                    None => bad = true,
                }
            }
        }
    }
    if bad {
        // Refused before anything is written: the form again as it was stored, with the reason.
        let store = state.store.clone();
        let actor = user.actor.clone();
        let (establishment, rules) = run_admin(&t, move || {
            Ok((
                admin::establishment(&store, &actor, e)?,
                rules::for_admin(&store, &actor, e)?,
            ))
        })
        .await?;
        let name = user.name.clone();
        let refusal = AdminError::Invalid {
            field: "regles",
            key: "communication-erreur-valeur",
        };
        let error = Some(refusal.detail(&t));
        let page = render(
            StatusCode::OK,
            &rules_page(&t, &user, name, establishment, &rules, None, error),
        );
        return Ok(form_again(&refusal, page));
    }
    let st = state.clone();
    let actor = user.actor.clone();
    run_admin(&t, move || {
        rules::edit(&st.store, &actor, e, matrix, &client, st.clock.now())
    })
    .await?;
    let done = if defaults { "defauts" } else { "enregistre" };
    Ok(Redirect::to(&format!(
        "/admin/etablissements/{id}/communication?fait={done}"
    ))
    .into_response())
}

struct ReportRow {
    href: String,
    at: String,
    subject: String,
    sender: String,
    reporter: String,
    state: String,
    open: bool,
}

#[derive(Template)]
#[template(path = "admin/messagerie/signalements.html")]
struct ReportsPage {
    page: PageCtx,
    establishment: admin::EstablishmentItem,
    rows: Vec<ReportRow>,
    count: String,
}

fn review_state(t: &Tr, report: &crate::model::messaging::Report) -> String {
    match &report.review {
        None => t.msg("signalement-ouvert"),
        Some(r) if r.suspended_sender => {
            t.msg1("signalement-examine-suspendu", "date", &paris(r.at))
        }
        Some(r) => t.msg1("signalement-examine", "date", &paris(r.at)),
    }
}

/// `GET /admin/etablissements/{id}/signalements`: open reports first, then the reviewed ones.
pub async fn reports(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(EstablishmentId(id)): Id<EstablishmentId>,
) -> Result<Response, PageError> {
    let e = EstablishmentId(id);
    let store = state.store.clone();
    let actor = user.actor.clone();
    let establishment = run_admin(&t, move || admin::establishment(&store, &actor, e)).await?;
    let store = state.store.clone();
    let actor = user.actor.clone();
    let list = call(&t, move || abuse::reports(&store, &actor, e))
        .await?
        .or_page(&t)?;
    let name = user.name.clone();
    let open = list.iter().filter(|r| r.report.review.is_none()).count();
    let rows = list
        .iter()
        .map(|r| ReportRow {
            href: format!("/admin/signalements/{}", r.id),
            at: paris(r.report.at),
            subject: if r.subject.is_empty() {
                t.msg("messagerie-sans-objet")
            } else {
                r.subject.clone()
            },
            sender: r.sender.display_name(),
            reporter: r.reporter.display_name(),
            state: review_state(&t, &r.report),
            open: r.report.review.is_none(),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &ReportsPage {
            page: page(&t, &user, name, ""),
            establishment,
            rows,
            count: t.count("signalements-ouverts", "nombre", open as u64),
        },
    ))
}

#[derive(Template)]
#[template(path = "admin/messagerie/signalement.html")]
struct ReportPage {
    page: PageCtx,
    csrf: String,
    id: ReportId,
    establishment_href: String,
    at: String,
    subject: String,
    sender: String,
    sender_href: String,
    sender_suspended: bool,
    reporter: String,
    reason: String,
    body_html: String,
    state: String,
    open: bool,
    done: Option<String>,
    error: Option<String>,
}

async fn report_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: ReportId,
    done: Option<String>,
    error: Option<MessagingError>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = call(t, move || abuse::report_for_admin(&store, &actor, id))
        .await?
        .or_page(t)?;
    let name = user.name.clone();
    let page = render(
        StatusCode::OK,
        &ReportPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            id,
            establishment_href: format!(
                "/admin/etablissements/{}/signalements",
                view.report.establishment
            ),
            at: paris(view.report.at),
            subject: if view.subject.is_empty() {
                t.msg("messagerie-sans-objet")
            } else {
                view.subject.clone()
            },
            sender: view.sender.display_name(),
            sender_href: format!("/admin/personnes/{}", view.sender.id),
            sender_suspended: view.sender_suspended,
            reporter: view.reporter.display_name(),
            reason: view.report.reason.clone(),
            body_html: body::render(&view.body),
            state: review_state(t, &view.report),
            open: view.report.review.is_none(),
            done,
            error: error.as_ref().map(|e| problem::text(t, e)),
        },
    );
    Ok(match &error {
        Some(e) => form_again(e, page),
        None => page,
    })
}

/// `GET /admin/signalements/{id}`: the reported message (its body rendered), who reported it,
/// why; the review's two actions while it is open.
pub async fn report(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<ReportId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = match q.fait.as_deref() {
        Some("examine") => Some(t.msg("signalement-fait-examine")),
        Some("examine-suspendu") => Some(t.msg("signalement-fait-examine-suspendu")),
        _ => None,
    };
    report_page(&state, &t, &user, id, done, None).await
}

/// The review form: `suspendre=oui` also suspends the sender's messaging.
#[derive(Debug, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    suspendre: String,
}

/// `POST /admin/signalements/{id}/examiner`: the thread thaws; with `suspendre=oui`, the
/// sender's messaging is suspended. Audited by the domain.
pub async fn review(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(id): Id<ReportId>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    let suspend = form.suspendre == "oui";
    let st = state.clone();
    let actor = user.actor.clone();
    match call(&t, move || {
        abuse::review(&st.store, &actor, id, suspend, &client, st.clock.now())
    })
    .await?
    {
        Ok(()) => {
            let done = if suspend {
                "examine-suspendu"
            } else {
                "examine"
            };
            Ok(Redirect::to(&format!("/admin/signalements/{id}?fait={done}")).into_response())
        }
        Err(e @ MessagingError::Conflict(_)) => {
            report_page(&state, &t, &user, id, None, Some(e)).await
        }
        Err(e) => Err(PageError(e.into(), t)),
    }
}

/// The suspension form: `suspendre=oui` suspends, anything else restores.
#[derive(Debug, Default, Deserialize)]
pub struct SuspensionForm {
    #[serde(default)]
    suspendre: String,
}

/// `POST /admin/personnes/{id}/messagerie`: suspends or restores a person's messaging (the
/// administrators of one of their establishments; not oneself). Audited by the domain.
pub async fn suspension(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(PersonId(id)): Id<PersonId>,
    Form(form): Form<SuspensionForm>,
) -> Result<Response, PageError> {
    let suspend = form.suspendre == "oui";
    let st = state.clone();
    let actor = user.actor.clone();
    let person = PersonId(id);
    match call(&t, move || {
        abuse::set_suspended(&st.store, &actor, person, suspend, &client, st.clock.now())
    })
    .await?
    {
        Ok(()) => {
            let done = if suspend {
                "messagerie-suspendue"
            } else {
                "messagerie-retablie"
            };
            Ok(Redirect::to(&format!("/admin/personnes/{id}?fait={done}")).into_response())
        }
        // Oneself: the person is visible, the action is not allowed.
        Err(MessagingError::Conflict(_)) => Err(PageError(Error::Forbidden, t)),
        Err(e) => Err(PageError(e.into(), t)),
    }
}
