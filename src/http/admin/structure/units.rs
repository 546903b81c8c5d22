//! Classes and groups: the lists of the current school year, a class's or group's page and
//! every form on it. One handler family serves both kinds: each handler is generic over the id
//! in its path ([`Unit`]: [`ClassId`] or [`GroupId`]), from which come the kind, the paths and
//! the texts; the route table names `list::<ClassId>`, `list::<GroupId>`…

use super::*;

/// A class or a group, by the type of its id: what differs between the two handler families.
pub trait Unit: IdKind + Send + Sync + 'static {
    /// Class or group.
    const UNIT: UnitKind;
    /// The id as an audience (what the domain's functions take).
    fn audience(self) -> Audience;
}

impl Unit for ClassId {
    const UNIT: UnitKind = UnitKind::Class;
    fn audience(self) -> Audience {
        Audience::Class(self)
    }
}

impl Unit for GroupId {
    const UNIT: UnitKind = UnitKind::Group;
    fn audience(self) -> Audience {
        Audience::Group(self)
    }
}

/// The translation keys of the list's title and of a unit page's title.
fn title_keys(kind: UnitKind) -> (&'static str, &'static str) {
    match kind {
        UnitKind::Class => ("structure-classes-titre", "structure-classe-titre"),
        UnitKind::Group => ("structure-groupes-titre", "structure-groupe-titre"),
    }
}

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

async fn units_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    establishment: EstablishmentId,
    kind: UnitKind,
    done: Option<String>,
    forms: Forms,
) -> Result<Response, PageError> {
    let year = SchoolYear::at(state.clock.now());
    let store = state.store.clone();
    let actor = user.actor.clone();
    let list = run(t, move || {
        st::units(&store, &actor, establishment, kind, year)
    })
    .await?;
    let name = user.name.clone();
    let class = kind == UnitKind::Class;
    let (title_key, _) = title_keys(kind);
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
        StatusCode::OK,
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

/// `GET /admin/etablissements/{id}/classes` and `…/groupes`: this school year's classes or
/// groups.
pub async fn list<U: Unit>(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done(&t, &q);
    let forms = Forms::default();
    units_page(&state, &t, &user, establishment, U::UNIT, done, forms).await
}

/// A class or group form.
#[derive(Debug, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    nom: String,
    #[serde(default)]
    niveau: String,
}

/// `POST /admin/etablissements/{id}/classes` and `…/groupes`: creates a class or group of
/// this school year.
pub async fn create<U: Unit>(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(establishment): Id<EstablishmentId>,
    Form(form): Form<UnitForm>,
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
            U::UNIT,
            SchoolYear::at(stamp.now),
            &input,
            stamp,
        )
    })
    .await?;
    match result {
        Ok(id) => Ok(redirect(&unit_path(id), "cree")),
        Err(refusal) => {
            let values = [("nom", form.nom.as_str()), ("niveau", form.niveau.as_str())];
            let forms = Forms::refused(&t, &values, &refusal);
            let page = units_page(&state, &t, &user, establishment, U::UNIT, None, forms).await?;
            Ok(form_again(&refusal, page))
        }
    }
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
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(t, move || st::unit(&store, &actor, id)).await?;
    let name = user.name.clone();
    let kind = UnitKind::of(id);
    let title = t.msg1(title_keys(kind).1, "nom", &view.name);
    Ok(render(
        StatusCode::OK,
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

/// `GET /admin/classes/{id}` and `/admin/groupes/{id}`.
pub async fn show<U: Unit>(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(unit): Id<U>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done(&t, &q);
    let forms = Forms::default();
    unit_page(&state, &t, &user, unit.audience(), done, forms).await
}

/// After a write on a class or group page: back to it with what was done, or the page again
/// with the refusal beside its field.
async fn after_unit_write(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: Audience,
    result: Result<&str, AdminError>,
    values: &[(&str, &str)],
) -> Result<Response, PageError> {
    match result {
        Ok(code) => Ok(redirect(&unit_path(id), code)),
        Err(refusal) => {
            let forms = Forms::refused(t, values, &refusal);
            let page = unit_page(state, t, user, id, None, forms).await?;
            Ok(form_again(&refusal, page))
        }
    }
}

/// `POST /admin/classes/{id}/modifier` (renames the class, sets its level) and
/// `/admin/groupes/{id}/modifier` (renames the group).
pub async fn edit<U: Unit>(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(unit): Id<U>,
    Form(form): Form<UnitForm>,
) -> Result<Response, PageError> {
    let id = unit.audience();
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

/// The head teacher form.
#[derive(Debug, Deserialize)]
pub struct HeadTeacherForm {
    #[serde(default)]
    professeur_principal: String,
}

/// `POST /admin/classes/{id}/professeur-principal`: names or clears the head teacher (a class
/// only).
pub async fn class_head_teacher(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(class): Id<ClassId>,
    Form(form): Form<HeadTeacherForm>,
) -> Result<Response, PageError> {
    let chosen = form.professeur_principal.trim().to_owned();
    let teacher: Option<PersonId> = if chosen.is_empty() {
        None
    } else {
        Some(form_id(&t, &chosen)?)
    };
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::set_head_teacher(store, actor, class, teacher, stamp)
    })
    .await?;
    let values = [("professeur_principal", chosen.as_str())];
    let result = result.map(|()| "modifie");
    after_unit_write(&state, &t, &user, class.audience(), result, &values).await
}

/// The form adding a pupil by login.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    identifiant: String,
}

/// `POST /admin/classes/{id}/eleves` (a pupil who leaves their other class this year) and
/// `/admin/groupes/{id}/eleves`.
pub async fn add_pupil<U: Unit>(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(unit): Id<U>,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let id = unit.audience();
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

/// `POST /admin/classes/{id}/eleves/{pupil}/retirer` and `/admin/groupes/…`.
pub async fn remove_pupil<U: Unit>(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Ids(unit, pupil): Ids<U, PersonId>,
) -> Result<Response, PageError> {
    let id = unit.audience();
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::remove_pupil(store, actor, id, pupil, stamp)
    })
    .await?;
    let result = result.map(|()| "eleve-retire");
    after_unit_write(&state, &t, &user, id, result, &[]).await
}

/// The form adding a teaching.
#[derive(Debug, Deserialize)]
pub struct TeachingForm {
    #[serde(default)]
    enseignant: String,
    #[serde(default)]
    matiere: String,
}

/// `POST /admin/classes/{id}/enseignements` and `/admin/groupes/{id}/enseignements`: a
/// teacher × a subject for the class or group.
pub async fn add_teaching<U: Unit>(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(unit): Id<U>,
    Form(form): Form<TeachingForm>,
) -> Result<Response, PageError> {
    let id = unit.audience();
    let teacher: PersonId = form_id(&t, &form.enseignant)?;
    let subject: SubjectId = form_id(&t, &form.matiere)?;
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::add_teaching(store, actor, id, teacher, subject, stamp)
    })
    .await?;
    let values = [
        ("enseignant", form.enseignant.as_str()),
        ("matiere", form.matiere.as_str()),
    ];
    let result = result.map(|_| "enseignement-ajoute");
    after_unit_write(&state, &t, &user, id, result, &values).await
}

/// `POST /admin/classes/{id}/enseignements/{teaching}/retirer` and `/admin/groupes/…`.
pub async fn remove_teaching<U: Unit>(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Ids(unit, teaching): Ids<U, TeachingId>,
) -> Result<Response, PageError> {
    let id = unit.audience();
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::remove_teaching(store, actor, id, teaching, stamp)
    })
    .await?;
    let result = result.map(|()| "enseignement-retire");
    after_unit_write(&state, &t, &user, id, result, &[]).await
}

/// `POST /admin/classes/{id}/supprimer` and `/admin/groupes/{id}/supprimer`: only an empty
/// class or group (no pupils, no teachings).
pub async fn delete<U: Unit>(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(unit): Id<U>,
) -> Result<Response, PageError> {
    let id = unit.audience();
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::delete_unit(store, actor, id, stamp)
    })
    .await?;
    match result {
        Ok(establishment) => Ok(redirect(&list_path(U::UNIT, establishment), "supprime")),
        Err(refusal) => after_unit_write(&state, &t, &user, id, Err(refusal), &[]).await,
    }
}
