//! Subjects: the establishment's list and a subject's page.

use super::*;

struct SubjectLine {
    href: String,
    name: String,
    code: String,
    teachings: String,
}

#[derive(Template)]
#[template(path = "admin/structure/matieres.html")]
struct SubjectsPage {
    page: PageCtx,
    csrf: String,
    title: String,
    establishment: EstablishmentItem,
    done: Option<String>,
    forms: Forms,
    rows: Vec<SubjectLine>,
}

async fn subjects_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    establishment: EstablishmentId,
    done: Option<String>,
    forms: Forms,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let list = run(t, move || st::subjects(&store, &actor, establishment)).await?;
    let name = user.name.clone();
    let rows = list
        .subjects
        .into_iter()
        .map(|s| SubjectLine {
            href: format!("/admin/matieres/{}", s.id),
            name: s.name,
            code: s.code.unwrap_or_default(),
            teachings: t.count(
                "structure-enseignements-nombre",
                "nombre",
                s.teachings as u64,
            ),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &SubjectsPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            title: t.msg1(
                "structure-matieres-titre",
                "etablissement",
                &list.establishment.name,
            ),
            establishment: list.establishment,
            done,
            forms,
            rows,
        },
    ))
}

/// `GET /admin/etablissements/{id}/matieres`.
pub async fn subjects(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done(&t, &q);
    subjects_page(&state, &t, &user, establishment, done, Forms::default()).await
}

/// The subject form.
#[derive(Debug, Deserialize)]
pub struct SubjectForm {
    #[serde(default)]
    nom: String,
    #[serde(default)]
    code: String,
}

/// `POST /admin/etablissements/{id}/matieres`: creates a subject.
pub async fn create_subject(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Form(form): Form<SubjectForm>,
) -> Result<Response, PageError> {
    let input = SubjectInput {
        name: form.nom.clone(),
        code: form.code.clone(),
    };
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::create_subject(store, actor, establishment, &input, stamp)
    })
    .await?;
    match result {
        Ok(_) => Ok(redirect(
            &format!("/admin/etablissements/{establishment}/matieres"),
            "cree",
        )),
        Err(refusal) => {
            let values = [("nom", form.nom.as_str()), ("code", form.code.as_str())];
            let forms = Forms::refused(&t, &values, &refusal);
            let page = subjects_page(&state, &t, &user, establishment, None, forms).await?;
            Ok(form_again(&refusal, page))
        }
    }
}

#[derive(Template)]
#[template(path = "admin/structure/matiere.html")]
struct SubjectPage {
    page: PageCtx,
    csrf: String,
    id: SubjectId,
    list: String,
    title: String,
    establishment: String,
    name: String,
    code: String,
    teachings: Vec<(String, String)>,
    done: Option<String>,
    forms: Forms,
}

async fn subject_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: SubjectId,
    done: Option<String>,
    forms: Forms,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(t, move || st::subject(&store, &actor, id)).await?;
    let name = user.name.clone();
    Ok(render(
        StatusCode::OK,
        &SubjectPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            id,
            list: format!("/admin/etablissements/{}/matieres", view.establishment.id),
            title: t.msg1("structure-matiere-titre", "nom", &view.name),
            establishment: view.establishment.name,
            name: view.name,
            code: view.code.unwrap_or_default(),
            teachings: view
                .teachings
                .into_iter()
                .map(|r| (r.audience, r.teacher.display_name()))
                .collect(),
            done,
            forms,
        },
    ))
}

/// `GET /admin/matieres/{id}`.
pub async fn subject(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<SubjectId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done(&t, &q);
    subject_page(&state, &t, &user, id, done, Forms::default()).await
}

/// `POST /admin/matieres/{id}/modifier`: renames the subject.
pub async fn subject_edit(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(id): Id<SubjectId>,
    Form(form): Form<SubjectForm>,
) -> Result<Response, PageError> {
    let name = form.nom.clone();
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::rename_subject(store, actor, id, &name, stamp)
    })
    .await?;
    match result {
        Ok(()) => Ok(redirect(&format!("/admin/matieres/{id}"), "modifie")),
        Err(refusal) => {
            let forms = Forms::refused(&t, &[("nom", form.nom.as_str())], &refusal);
            let page = subject_page(&state, &t, &user, id, None, forms).await?;
            Ok(form_again(&refusal, page))
        }
    }
}

/// `POST /admin/matieres/{id}/supprimer`: only a subject no teaching uses.
pub async fn subject_delete(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(id): Id<SubjectId>,
) -> Result<Response, PageError> {
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::delete_subject(store, actor, id, stamp)
    })
    .await?;
    match result {
        Ok(establishment) => Ok(redirect(
            &format!("/admin/etablissements/{establishment}/matieres"),
            "supprime",
        )),
        Err(refusal) => {
            let forms = Forms::refused(&t, &[], &refusal);
            let page = subject_page(&state, &t, &user, id, None, forms).await?;
            Ok(form_again(&refusal, page))
        }
    }
}
