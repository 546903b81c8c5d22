//! A pupil's parents: the list, adding one by login, editing and removing a link.

use super::*;

/// The relations, with their form codes and labels.
const RELATIONS: [(Relation, &str, &str); 4] = [
    (Relation::Mere, "mere", "structure-relation-mere"),
    (Relation::Pere, "pere", "structure-relation-pere"),
    (Relation::Tuteur, "tuteur", "structure-relation-tuteur"),
    (Relation::Autre, "autre", "structure-relation-autre"),
];

fn relation_code(relation: Relation) -> &'static str {
    RELATIONS
        .iter()
        .find(|(r, _, _)| *r == relation)
        .map_or("autre", |(_, code, _)| code)
}

fn relation_label(t: &Tr, relation: Relation) -> String {
    RELATIONS
        .iter()
        .find(|(r, _, _)| *r == relation)
        .map_or_else(String::new, |(_, _, key)| t.msg(key))
}

struct ParentLine {
    id: PersonId,
    name: String,
    href: Option<String>,
    login: String,
    relation: String,
    relation_code: &'static str,
    authority: bool,
    mail: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/structure/responsables.html")]
struct ParentsPage {
    page: PageCtx,
    csrf: String,
    child: PersonId,
    title: String,
    child_name: String,
    login: String,
    establishment: String,
    relations: Vec<(&'static str, String)>,
    parents: Vec<ParentLine>,
    done: Option<String>,
    forms: Forms,
}

async fn parents_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    child: PersonId,
    done: Option<String>,
    forms: Forms,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(t, move || st::parents(&store, &actor, child)).await?;
    let name = user.name.clone();
    let child_name = view.child.display_name();
    Ok(render(
        StatusCode::OK,
        &ParentsPage {
            page: page(t, user, name, ""),
            csrf: user.csrf(),
            child,
            title: t.msg1("structure-responsables-titre", "nom", &child_name),
            child_name,
            login: view.login,
            establishment: view.establishment.name,
            relations: RELATIONS
                .iter()
                .map(|(_, code, key)| (*code, t.msg(key)))
                .collect(),
            parents: view
                .parents
                .into_iter()
                .map(|p| ParentLine {
                    id: p.person.id,
                    name: p.person.display_name(),
                    href: p
                        .administered
                        .then(|| format!("/admin/personnes/{}", p.person.id)),
                    login: p.login,
                    relation: relation_label(t, p.link.relation),
                    relation_code: relation_code(p.link.relation),
                    authority: p.link.parental_authority,
                    mail: p.link.receives_mail,
                    error: forms
                        .error(&format!("relation-{}", p.person.id))
                        .map(str::to_owned),
                })
                .collect(),
            done,
            forms,
        },
    ))
}

/// `GET /admin/personnes/{id}/responsables`: a pupil's parents.
pub async fn parents(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(child): Id<PersonId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done(&t, &q);
    parents_page(&state, &t, &user, child, done, Forms::default()).await
}

/// The form of a parent link (adding one: with the parent's login).
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    identifiant: String,
    #[serde(default)]
    relation: String,
    autorite: Option<String>,
    courriers: Option<String>,
}

impl LinkForm {
    fn link(&self, field: &'static str) -> Result<ParentLink, AdminError> {
        let relation = RELATIONS
            .iter()
            .find(|(_, code, _)| *code == self.relation.trim())
            .map(|(r, _, _)| *r)
            .ok_or(AdminError::Invalid {
                field,
                key: "structure-relation-invalide",
            })?;
        Ok(ParentLink {
            relation,
            parental_authority: self.autorite.is_some(),
            receives_mail: self.courriers.is_some(),
        })
    }
}

fn checked(flag: bool) -> &'static str {
    if flag { "oui" } else { "" }
}

/// `POST /admin/personnes/{id}/responsables`: links a parent found by login.
pub async fn parent_add(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Id(child): Id<PersonId>,
    Form(form): Form<LinkForm>,
) -> Result<Response, PageError> {
    let result = match form.link("relation") {
        Ok(link) => {
            let login = form.identifiant.clone();
            write_as(&state, &t, client, &user, move |store, actor, stamp| {
                st::link_parent(store, actor, child, &login, link, stamp)
            })
            .await?
            .map(|_| ())
        }
        Err(refusal) => Err(refusal),
    };
    let path = format!("/admin/personnes/{child}/responsables");
    match result {
        Ok(()) => Ok(redirect(&path, "responsable-ajoute")),
        Err(refusal) => {
            let values = [
                ("identifiant", form.identifiant.as_str()),
                ("relation", form.relation.as_str()),
                ("autorite", checked(form.autorite.is_some())),
                ("courriers", checked(form.courriers.is_some())),
            ];
            let forms = Forms::refused(&t, &values, &refusal);
            let page = parents_page(&state, &t, &user, child, None, forms).await?;
            Ok(form_again(&refusal, page))
        }
    }
}

/// `POST /admin/personnes/{id}/responsables/{parent}/modifier`: relation and flags.
pub async fn parent_edit(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Ids(child, parent): Ids<PersonId, PersonId>,
    Form(form): Form<LinkForm>,
) -> Result<Response, PageError> {
    let result = match form.link("modifier") {
        Ok(link) => {
            write_as(&state, &t, client, &user, move |store, actor, stamp| {
                st::edit_parent_link(store, actor, child, parent, link, stamp)
            })
            .await?
        }
        Err(refusal) => Err(refusal),
    };
    match result {
        Ok(()) => Ok(redirect(
            &format!("/admin/personnes/{child}/responsables"),
            "responsable-modifie",
        )),
        Err(refusal) => {
            // The message goes beside the row's own form.
            let forms = Forms {
                values: Vec::new(),
                errors: vec![(format!("relation-{parent}"), refusal.detail(&t))],
            };
            let page = parents_page(&state, &t, &user, child, None, forms).await?;
            Ok(form_again(&refusal, page))
        }
    }
}

/// `POST /admin/personnes/{id}/responsables/{parent}/retirer`: removes the link.
pub async fn parent_remove(
    State(state): State<AppState>,
    t: Tr,
    client: Origin,
    user: CurrentUser,
    Ids(child, parent): Ids<PersonId, PersonId>,
) -> Result<Response, PageError> {
    let result = write_as(&state, &t, client, &user, move |store, actor, stamp| {
        st::unlink_parent(store, actor, child, parent, stamp)
    })
    .await?;
    match result {
        Ok(()) => Ok(redirect(
            &format!("/admin/personnes/{child}/responsables"),
            "responsable-retire",
        )),
        // Removing a link validates nothing: a refusal cannot happen.
        Err(_) => Err(not_found(&t)),
    }
}
