//! Classes and groups: the lists of the current school year, a class's or group's page and
//! every form on it.

use super::*;

struct UnitLine {
    href: String,
    name: String,
    level: String,
    head_teacher: String,
    pupils: String,
}

#[derive(Template)]
#[template(path = "admin/structure/unites.html")]
struct UnitsPage {
    page: PageCtx,
    csrf: String,
    class: bool,
    title: String,
    year: String,
    action: String,
    done: Option<String>,
    forms: Forms,
    rows: Vec<UnitLine>,
}

#[allow(clippy::too_many_arguments)]
async fn units_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    establishment: EstablishmentId,
    kind: UnitKind,
    done: Option<String>,
    forms: Forms,
    status: StatusCode,
) -> Result<Response, PageError> {
    let year = SchoolYear::at(state.clock.now());
    let store = state.store.clone();
    let actor = user.actor.clone();
    let list = run(t, move || {
        st::units(&store, &actor, establishment, kind, year)
    })
    .await?;
    let name = own_name(state, user, t).await?;
    let class = kind == UnitKind::Class;
    let title_key = if class {
        "structure-classes-titre"
    } else {
        "structure-groupes-titre"
    };
    let rows = list
        .units
        .into_iter()
        .map(|u| UnitLine {
            href: unit_path(u.id),
            name: u.name,
            level: u.level,
            head_teacher: u
                .head_teacher
                .map_or_else(|| t.msg("structure-aucun"), |p| p.display_name()),
            pupils: t.count("structure-eleves-nombre", "nombre", u.pupils as u64),
        })
        .collect();
    Ok(render(
        status,
        &UnitsPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            class,
            title: t.msg1(title_key, "etablissement", &list.establishment.name),
            year: year_label(list.year),
            action: list_path(kind, establishment),
            done,
            forms,
            rows,
        },
    ))
}

/// `GET /admin/etablissements/{id}/classes`: this school year's classes.
pub async fn classes(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done(&t, &q);
    let ok = StatusCode::OK;
    units_page(
        &state,
        &t,
        &user,
        establishment,
        UnitKind::Class,
        done,
        Forms::default(),
        ok,
    )
    .await
}

/// `GET /admin/etablissements/{id}/groupes`: this school year's groups.
pub async fn groups(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done(&t, &q);
    let ok = StatusCode::OK;
    units_page(
        &state,
        &t,
        &user,
        establishment,
        UnitKind::Group,
        done,
        Forms::default(),
        ok,
    )
    .await
}

/// A class or group form.
#[derive(Debug, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    nom: String,
    #[serde(default)]
    niveau: String,
}

async fn create_unit(
    state: AppState,
    t: Tr,
    client: Client,
    user: CurrentUser,
    establishment: EstablishmentId,
    kind: UnitKind,
    form: UnitForm,
) -> Result<Response, PageError> {
    let input = UnitInput {
        name: form.nom.clone(),
        level: form.niveau.clone(),
    };
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::create_unit(
            store,
            actor,
            establishment,
            kind,
            SchoolYear::at(stamp.now),
            &input,
            stamp,
        )
    })
    .await?;
    match result {
        Ok(id) => Ok(redirect(&unit_path(id), "cree")),
        Err((field, key)) => {
            let values = [("nom", form.nom.as_str()), ("niveau", form.niveau.as_str())];
            let forms = Forms::refused(&values, field, t.msg(key));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            units_page(&state, &t, &user, establishment, kind, None, forms, status).await
        }
    }
}

/// `POST /admin/etablissements/{id}/classes`: creates a class of this school year.
pub async fn create_class(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Form(form): Form<UnitForm>,
) -> Result<Response, PageError> {
    create_unit(state, t, client, user, establishment, UnitKind::Class, form).await
}

/// `POST /admin/etablissements/{id}/groupes`: creates a group of this school year.
pub async fn create_group(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Form(form): Form<UnitForm>,
) -> Result<Response, PageError> {
    create_unit(state, t, client, user, establishment, UnitKind::Group, form).await
}

// ---------------------------------------------------------------------------------------------
// A class or group.
// ---------------------------------------------------------------------------------------------

struct PupilLine {
    id: PersonId,
    name: String,
    login: String,
}

struct TeachingLine {
    id: TeachingId,
    subject: String,
    teacher: String,
}

#[derive(Template)]
#[template(path = "admin/structure/unite.html")]
struct UnitPage {
    page: PageCtx,
    csrf: String,
    class: bool,
    base: String,
    list: String,
    title: String,
    establishment: String,
    year: String,
    name: String,
    level: String,
    head_teacher: String,
    teachers: Vec<(String, String)>,
    subjects: Vec<(String, String)>,
    pupil_count: String,
    pupils: Vec<PupilLine>,
    teachings: Vec<TeachingLine>,
    done: Option<String>,
    forms: Forms,
}

async fn unit_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: Audience,
    done: Option<String>,
    forms: Forms,
    status: StatusCode,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(t, move || st::unit(&store, &actor, id)).await?;
    let name = own_name(state, user, t).await?;
    let kind = UnitKind::of(id);
    let title = match kind {
        UnitKind::Class => t.msg1("structure-classe-titre", "nom", &view.name),
        UnitKind::Group => t.msg1("structure-groupe-titre", "nom", &view.name),
    };
    Ok(render(
        status,
        &UnitPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            class: kind == UnitKind::Class,
            base: unit_path(id),
            list: list_path(kind, view.establishment.id),
            title,
            establishment: view.establishment.name,
            year: year_label(view.year),
            name: view.name,
            level: view.level,
            head_teacher: view.head_teacher.map(|p| p.to_string()).unwrap_or_default(),
            teachers: view
                .teachers
                .iter()
                .map(|p| (p.id.to_string(), p.display_name()))
                .collect(),
            subjects: view
                .subjects
                .into_iter()
                .map(|s| (s.id.to_string(), s.name))
                .collect(),
            pupil_count: t.count(
                "structure-eleves-nombre",
                "nombre",
                view.pupils.len() as u64,
            ),
            pupils: view
                .pupils
                .into_iter()
                .map(|m| PupilLine {
                    id: m.person.id,
                    name: m.person.display_name(),
                    login: m.login,
                })
                .collect(),
            teachings: view
                .teachings
                .into_iter()
                .map(|r| TeachingLine {
                    id: r.id,
                    subject: r.subject,
                    teacher: r.teacher.display_name(),
                })
                .collect(),
            done,
            forms,
        },
    ))
}

/// `GET /admin/classes/{id}`.
pub async fn class(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(unit): Id<ClassId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let id = Audience::Class(unit);
    let done = done(&t, &q);
    unit_page(
        &state,
        &t,
        &user,
        id,
        done,
        Forms::default(),
        StatusCode::OK,
    )
    .await
}

/// `GET /admin/groupes/{id}`.
pub async fn group(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(unit): Id<GroupId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let id = Audience::Group(unit);
    let done = done(&t, &q);
    unit_page(
        &state,
        &t,
        &user,
        id,
        done,
        Forms::default(),
        StatusCode::OK,
    )
    .await
}

/// After a write on a class or group page: back to it with what was done, or the page again
/// with the refusal beside its field.
async fn after_unit_write(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: Audience,
    result: Result<&str, Refusal>,
    values: &[(&str, &str)],
) -> Result<Response, PageError> {
    match result {
        Ok(code) => Ok(redirect(&unit_path(id), code)),
        Err((field, key)) => {
            let forms = Forms::refused(values, field, t.msg(key));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            unit_page(state, t, user, id, None, forms, status).await
        }
    }
}

async fn edit_unit(
    state: AppState,
    t: Tr,
    client: Client,
    user: CurrentUser,
    id: Audience,
    form: UnitForm,
) -> Result<Response, PageError> {
    let input = UnitInput {
        name: form.nom.clone(),
        level: form.niveau.clone(),
    };
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::edit_unit(store, actor, id, &input, stamp)
    })
    .await?;
    let values = [("nom", form.nom.as_str()), ("niveau", form.niveau.as_str())];
    let result = result.map(|()| "modifie");
    after_unit_write(&state, &t, &user, id, result, &values).await
}

/// `POST /admin/classes/{id}/modifier`: renames the class, sets its level.
pub async fn class_edit(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(unit): Id<ClassId>,
    Form(form): Form<UnitForm>,
) -> Result<Response, PageError> {
    let id = Audience::Class(unit);
    edit_unit(state, t, client, user, id, form).await
}

/// `POST /admin/groupes/{id}/modifier`: renames the group.
pub async fn group_edit(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(unit): Id<GroupId>,
    Form(form): Form<UnitForm>,
) -> Result<Response, PageError> {
    let id = Audience::Group(unit);
    edit_unit(state, t, client, user, id, form).await
}

/// The head teacher form.
#[derive(Debug, Deserialize)]
pub struct HeadTeacherForm {
    #[serde(default)]
    professeur_principal: String,
}

/// `POST /admin/classes/{id}/professeur-principal`: names or clears the head teacher.
pub async fn class_head_teacher(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(unit): Id<ClassId>,
    Form(form): Form<HeadTeacherForm>,
) -> Result<Response, PageError> {
    let id = Audience::Class(unit);
    let Audience::Class(class) = id else {
        return Err(not_found(&t));
    };
    let chosen = form.professeur_principal.trim().to_owned();
    // An id that is not a number is "not found", like one from another establishment.
    let teacher = if chosen.is_empty() {
        None
    } else {
        Some(PersonId(parse_id(&t, &chosen)?))
    };
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::set_head_teacher(store, actor, class, teacher, stamp)
    })
    .await?;
    let values = [("professeur_principal", chosen.as_str())];
    let result = result.map(|()| "modifie");
    after_unit_write(&state, &t, &user, id, result, &values).await
}

/// The form adding a pupil by login.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    identifiant: String,
}

async fn add_pupil(
    state: AppState,
    t: Tr,
    client: Client,
    user: CurrentUser,
    id: Audience,
    form: LoginForm,
) -> Result<Response, PageError> {
    let login = form.identifiant.clone();
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::add_pupil(store, actor, id, &login, stamp)
    })
    .await?;
    let values = [("identifiant", form.identifiant.as_str())];
    let result = result.map(|added| {
        if added.left.is_empty() {
            "eleve-ajoute"
        } else {
            "eleve-deplace"
        }
    });
    after_unit_write(&state, &t, &user, id, result, &values).await
}

/// `POST /admin/classes/{id}/eleves`: adds a pupil (who leaves their other class this year).
pub async fn class_add_pupil(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(unit): Id<ClassId>,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let id = Audience::Class(unit);
    add_pupil(state, t, client, user, id, form).await
}

/// `POST /admin/groupes/{id}/eleves`: adds a pupil to the group.
pub async fn group_add_pupil(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(unit): Id<GroupId>,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let id = Audience::Group(unit);
    add_pupil(state, t, client, user, id, form).await
}

async fn remove_pupil(
    state: AppState,
    t: Tr,
    client: Client,
    user: CurrentUser,
    id: Audience,
    pupil: PersonId,
) -> Result<Response, PageError> {
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::remove_pupil(store, actor, id, pupil, stamp)
    })
    .await?;
    let result = result.map(|()| "eleve-retire");
    after_unit_write(&state, &t, &user, id, result, &[]).await
}

/// `POST /admin/classes/{id}/eleves/{pupil}/retirer`.
pub async fn class_remove_pupil(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Ids(unit, pupil): Ids<ClassId, PersonId>,
) -> Result<Response, PageError> {
    let id = Audience::Class(unit);
    remove_pupil(state, t, client, user, id, pupil).await
}

/// `POST /admin/groupes/{id}/eleves/{pupil}/retirer`.
pub async fn group_remove_pupil(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Ids(unit, pupil): Ids<GroupId, PersonId>,
) -> Result<Response, PageError> {
    let id = Audience::Group(unit);
    remove_pupil(state, t, client, user, id, pupil).await
}

/// The form adding a teaching.
#[derive(Debug, Deserialize)]
pub struct TeachingForm {
    #[serde(default)]
    enseignant: String,
    #[serde(default)]
    matiere: String,
}

async fn add_teaching(
    state: AppState,
    t: Tr,
    client: Client,
    user: CurrentUser,
    id: Audience,
    form: TeachingForm,
) -> Result<Response, PageError> {
    // Ids that are not numbers are "not found", like ids from another establishment.
    let teacher = PersonId(parse_id(&t, form.enseignant.trim())?);
    let subject = SubjectId(parse_id(&t, form.matiere.trim())?);
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::add_teaching(store, actor, id, teacher, subject, stamp)
    })
    .await?
    .map(|_| ());
    let values = [
        ("enseignant", form.enseignant.as_str()),
        ("matiere", form.matiere.as_str()),
    ];
    let result = result.map(|()| "enseignement-ajoute");
    after_unit_write(&state, &t, &user, id, result, &values).await
}

/// `POST /admin/classes/{id}/enseignements`: a teacher × a subject for the class.
pub async fn class_add_teaching(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(unit): Id<ClassId>,
    Form(form): Form<TeachingForm>,
) -> Result<Response, PageError> {
    let id = Audience::Class(unit);
    add_teaching(state, t, client, user, id, form).await
}

/// `POST /admin/groupes/{id}/enseignements`: a teacher × a subject for the group.
pub async fn group_add_teaching(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(unit): Id<GroupId>,
    Form(form): Form<TeachingForm>,
) -> Result<Response, PageError> {
    let id = Audience::Group(unit);
    add_teaching(state, t, client, user, id, form).await
}

async fn remove_teaching(
    state: AppState,
    t: Tr,
    client: Client,
    user: CurrentUser,
    id: Audience,
    teaching: TeachingId,
) -> Result<Response, PageError> {
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::remove_teaching(store, actor, id, teaching, stamp)
    })
    .await?;
    let result = result.map(|()| "enseignement-retire");
    after_unit_write(&state, &t, &user, id, result, &[]).await
}

/// `POST /admin/classes/{id}/enseignements/{teaching}/retirer`.
pub async fn class_remove_teaching(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Ids(unit, teaching): Ids<ClassId, TeachingId>,
) -> Result<Response, PageError> {
    let id = Audience::Class(unit);
    remove_teaching(state, t, client, user, id, teaching).await
}

/// `POST /admin/groupes/{id}/enseignements/{teaching}/retirer`.
pub async fn group_remove_teaching(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Ids(unit, teaching): Ids<GroupId, TeachingId>,
) -> Result<Response, PageError> {
    let id = Audience::Group(unit);
    remove_teaching(state, t, client, user, id, teaching).await
}

async fn delete_unit(
    state: AppState,
    t: Tr,
    client: Client,
    user: CurrentUser,
    id: Audience,
) -> Result<Response, PageError> {
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::delete_unit(store, actor, id, stamp)
    })
    .await?;
    match result {
        Ok(establishment) => Ok(redirect(
            &list_path(UnitKind::of(id), establishment),
            "supprime",
        )),
        Err(refusal) => after_unit_write(&state, &t, &user, id, Err(refusal), &[]).await,
    }
}

/// `POST /admin/classes/{id}/supprimer`: only an empty class (no pupils, no teachings).
pub async fn class_delete(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(unit): Id<ClassId>,
) -> Result<Response, PageError> {
    let id = Audience::Class(unit);
    delete_unit(state, t, client, user, id).await
}

/// `POST /admin/groupes/{id}/supprimer`: only an empty group.
pub async fn group_delete(
    State(state): State<AppState>,
    t: Tr,
    client: Client,
    user: CurrentUser,
    Id(unit): Id<GroupId>,
) -> Result<Response, PageError> {
    let id = Audience::Group(unit);
    delete_unit(state, t, client, user, id).await
}
