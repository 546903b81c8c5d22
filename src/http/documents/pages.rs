//! The documents pages: the home (spaces, "shared with me", the quota, the root of *Mes
//! documents*), a folder, a file with its versions (and its shares, from [`super::manage`]).

use crate::http::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::upload::{FIELD, MAX_FILES};
use super::{file_href, kind_key, listing_href, run, size_text, space_title};
use crate::domain::documents::policy::Access;
use crate::domain::documents::service::{self};
use crate::domain::documents::views::{self, FolderView, SpaceName};
use crate::http::extract::{CurrentUser, Tr};
use crate::http::frame::{PageCtx, PageError, page, paris, render};
use crate::http::path_ids::{Id, Ids};
use crate::model::documents::{NodeId, NodeKind, Space};
use crate::state::AppState;

/// The header link these pages light up.
pub(crate) const CURRENT: &str = "/documents";

/// What was just done (`?fait=`, with `nombre` for an upload).
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    pub(crate) fait: Option<String>,
    pub(crate) nombre: Option<u64>,
}

/// The confirmation of what was just done.
pub(crate) fn done_text(t: &Tr, q: &DoneQuery) -> Option<String> {
    let key = match q.fait.as_deref()? {
        "envoi" => return Some(t.count("documents-fait-envoi", "nombre", q.nombre.unwrap_or(1))),
        "dossier-cree" => "documents-fait-dossier-cree",
        "renomme" => "documents-fait-renomme",
        "supprime" => "documents-fait-supprime",
        "deplace" => "documents-fait-deplace",
        "copie" => "documents-fait-copie",
        "partage" => "documents-fait-partage",
        "partage-retire" => "documents-fait-partage-retire",
        "restaure" => "documents-fait-restaure",
        "efface" => "documents-fait-efface",
        "version-restauree" => "documents-fait-version-restauree",
        _ => return None,
    };
    Some(t.msg(key))
}

/// What a refused form shows again: its values and the reason beside the field.
#[derive(Debug, Default)]
pub(crate) struct FormState {
    /// The upload field's error.
    pub upload_error: Option<String>,
    /// The new folder's name as typed.
    pub folder_name: String,
    /// The new folder field's error.
    pub folder_error: Option<String>,
    /// A row's rename field: the node, the name typed, the error.
    pub rename: Option<(NodeId, String, String)>,
    /// A refusal said at the top of the page.
    pub alert: Option<String>,
}

/// A link of the breadcrumb.
pub(crate) struct Crumb {
    pub href: String,
    pub label: String,
}

/// The breadcrumb of a node or folder: the space (or "Partagés avec moi" when the actor came
/// through a share), then the folders they may open.
pub(crate) fn crumbs(
    t: &Tr,
    space: Space,
    name: &SpaceName,
    space_open: bool,
    path: &[(NodeId, String)],
) -> Vec<Crumb> {
    let mut out = vec![Crumb {
        href: "/documents".into(),
        label: t.msg("documents-titre"),
    }];
    if space_open {
        out.push(Crumb {
            href: listing_href(space, None),
            label: space_title(t, name),
        });
    } else {
        out.push(Crumb {
            href: "/documents#partages".into(),
            label: t.msg("documents-partages-avec-moi"),
        });
    }
    out.extend(path.iter().map(|(id, n)| Crumb {
        href: listing_href(space, Some(*id)),
        label: n.clone(),
    }));
    out
}

/// The labels of a table, translated once per page (not once per row).
pub(crate) struct Labels {
    name: String,
    kind: String,
    size: String,
    modified: String,
    by: String,
    actions: String,
    folder: String,
    shared: String,
    rename: String,
    rename_button: String,
    trash: String,
    move_copy: String,
    copy: String,
    share: String,
    download: String,
}

impl Labels {
    fn new(t: &Tr) -> Labels {
        Labels {
            name: t.msg("documents-nom"),
            kind: t.msg("documents-type"),
            size: t.msg("documents-taille"),
            modified: t.msg("documents-modifie"),
            by: t.msg("documents-par"),
            actions: t.msg("documents-actions"),
            folder: t.msg("documents-type-dossier"),
            shared: t.msg("documents-etiquette-partage"),
            rename: t.msg("documents-nouveau-nom"),
            rename_button: t.msg("documents-renommer"),
            trash: t.msg("documents-mettre-corbeille"),
            move_copy: t.msg("documents-deplacer-copier"),
            copy: t.msg("documents-copier"),
            share: t.msg("documents-partager"),
            download: t.msg("documents-telecharger"),
        }
    }
}

/// One entry of a folder table.
pub(crate) struct RowView {
    id: u64,
    href: String,
    name: String,
    folder: bool,
    kind: String,
    size: String,
    at: String,
    by: String,
    shared: bool,
    share_href: String,
    rename_value: String,
    rename_error: Option<String>,
}

/// A folder's table.
pub(crate) struct TableView {
    caption: String,
    rows: Vec<RowView>,
    can_write: bool,
    can_manage: bool,
    can_copy: bool,
    labels: Labels,
}

fn table(t: &Tr, view: &FolderView, caption: String, copy: bool, form: &FormState) -> TableView {
    let labels = Labels::new(t);
    let sizes = super::Sizes::new(t);
    // One translation per kind of file, not one per row.
    let mut kinds: std::collections::HashMap<&'static str, String> =
        std::collections::HashMap::new();
    let rows = view
        .rows
        .iter()
        .map(|r| {
            let (href, kind, size) = match &r.node.kind {
                NodeKind::Folder => (
                    listing_href(r.node.space, Some(r.id)),
                    labels.folder.clone(),
                    String::new(),
                ),
                NodeKind::File {
                    size, content_type, ..
                } => {
                    let key = kind_key(content_type);
                    let kind = kinds.entry(key).or_insert_with(|| t.msg(key)).clone();
                    (file_href(r.id), kind, sizes.text(*size))
                }
            };
            let (rename_value, rename_error) = match &form.rename {
                Some((id, value, error)) if *id == r.id => (value.clone(), Some(error.clone())),
                _ => (r.node.name.clone(), None),
            };
            RowView {
                id: r.id.0,
                share_href: if r.node.is_folder() {
                    format!("/documents/elements/{}/partage", r.id.0)
                } else {
                    format!("{}#partages", file_href(r.id))
                },
                href,
                name: r.node.name.clone(),
                folder: r.node.is_folder(),
                kind,
                size,
                at: paris(r.node.updated_at),
                by: r.by.clone(),
                shared: r.shared,
                rename_value,
                rename_error,
            }
        })
        .collect();
    TableView {
        caption,
        rows,
        can_write: view.listing.access >= Access::Write,
        can_manage: view.listing.access == Access::Manage,
        can_copy: copy,
        labels,
    }
}

/// The upload and new-folder forms of a folder.
pub(crate) struct FormsView {
    upload_action: String,
    folder_action: String,
    parent: String,
    upload_error: Option<String>,
    folder_name: String,
    folder_error: Option<String>,
    help: String,
    field: &'static str,
    /// The upload form's one-time key (`domain::once`).
    form_key: String,
}

fn forms(
    t: &Tr,
    state: &AppState,
    user: &CurrentUser,
    space: Space,
    folder: Option<NodeId>,
    form: &FormState,
) -> FormsView {
    let parent = folder.map(|f| f.0.to_string()).unwrap_or_default();
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("nombre", MAX_FILES as u64);
    args.set(
        "taille",
        size_text(t, state.config.document_limits().max_file),
    );
    FormsView {
        upload_action: format!(
            "/documents/{}/fichiers?dossier={}&_csrf={}",
            space.slug(),
            parent,
            user.csrf()
        ),
        folder_action: format!("/documents/{}/dossiers", space.slug()),
        parent,
        upload_error: form.upload_error.clone(),
        folder_name: form.folder_name.clone(),
        folder_error: form.folder_error.clone(),
        help: t.args("documents-envoi-aide", &args),
        field: FIELD,
        form_key: crate::http::form_key::fresh(),
    }
}

#[derive(Template)]
#[template(path = "documents/dossier.html", whitespace = "minimize")]
struct FolderTemplate {
    page: PageCtx,
    csrf: String,
    title: String,
    crumbs: Vec<Crumb>,
    read_only: bool,
    done: Option<String>,
    alert: Option<String>,
    table: TableView,
    forms: Option<FormsView>,
    trash_href: Option<String>,
}

/// Renders a folder (or a space's root) with `form` shown again after a refusal (the caller
/// gives the page its refusal's status).
pub(crate) async fn folder_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    space: Space,
    folder: Option<NodeId>,
    done: Option<String>,
    form: FormState,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(t, move || views::folder(&store, &actor, space, folder)).await?;
    let space_name = space_title(t, &view.name);
    let title = view
        .listing
        .path
        .last()
        .map_or_else(|| space_name.clone(), |(_, n)| n.clone());
    let mut trail = crumbs(t, space, &view.name, view.space_open, &view.path);
    // The current folder is the title, not a link.
    trail.pop_if(|c| c.href == listing_href(space, folder));
    let writable = view.listing.access >= Access::Write;
    let table = table(t, &view, title.clone(), user.actor.person.is_some(), &form);
    let template = FolderTemplate {
        page: page(t, user, user.name.clone(), CURRENT),
        csrf: user.csrf(),
        title,
        crumbs: trail,
        read_only: !writable,
        done,
        alert: form.alert.clone(),
        forms: writable.then(|| forms(t, state, user, space, folder, &form)),
        trash_href: (writable && view.space_open)
            .then(|| format!("/documents/{}/corbeille", space.slug())),
        table,
    };
    Ok(render(StatusCode::OK, &template))
}

/// `GET /documents/{space}`: the root of a space.
pub async fn space(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(space): Id<Space>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done_text(&t, &q);
    folder_page(&state, &t, &user, space, None, done, FormState::default()).await
}

/// `GET /documents/{space}/dossier/{id}`: a folder.
pub async fn folder(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Ids(space, id): Ids<Space, NodeId>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let done = done_text(&t, &q);
    folder_page(
        &state,
        &t,
        &user,
        space,
        Some(id),
        done,
        FormState::default(),
    )
    .await
}

struct SpaceLink {
    href: String,
    label: String,
    read_only: bool,
}

struct SharedView {
    href: String,
    name: String,
    folder: bool,
    owner: String,
    read_only: bool,
}

#[derive(Template)]
#[template(path = "documents/accueil.html", whitespace = "minimize")]
struct HomeTemplate {
    page: PageCtx,
    csrf: String,
    done: Option<String>,
    /// The heading of the shared spaces, in the reader's words (a parent's are their
    /// children's schools).
    spaces_title: String,
    spaces: Vec<SpaceLink>,
    shared: Vec<SharedView>,
    used: u64,
    quota: u64,
    high: u64,
    usage: String,
    mine: Option<(TableView, FormsView, String)>,
}

/// `GET /documents`: the spaces, what was shared with the actor, their quota, the root of
/// *Mes documents*.
pub async fn home(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let limits = state.config.document_limits();
    let home = run(&t, move || views::home(&store, &actor, &limits)).await?;
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("utilise", size_text(&t, home.used));
    args.set("quota", size_text(&t, home.quota));
    let usage = t.args("documents-quota-texte", &args);
    let mine = home.mine.as_ref().map(|view| {
        let space = view.listing.space;
        (
            table(
                &t,
                view,
                t.msg("documents-mes-documents"),
                true,
                &FormState::default(),
            ),
            forms(&t, &state, &user, space, None, &FormState::default()),
            format!("/documents/{}/corbeille", space.slug()),
        )
    });
    let template = HomeTemplate {
        page: page(&t, &user, user.name.clone(), CURRENT),
        csrf: user.csrf(),
        done: done_text(&t, &q),
        spaces_title: t.msg1(
            "documents-espaces-partages-selon",
            "public",
            crate::domain::audience::Audience::of(&user.actor).code(),
        ),
        spaces: home
            .spaces
            .iter()
            .filter(|(s, _)| !matches!(s.space, Space::Personal(_)))
            .map(|(s, name)| SpaceLink {
                href: listing_href(s.space, None),
                label: space_title(&t, name),
                read_only: s.access < Access::Write,
            })
            .collect(),
        shared: home
            .shared
            .iter()
            .map(|s| SharedView {
                href: if s.node.is_folder() {
                    listing_href(s.node.space, Some(s.id))
                } else {
                    file_href(s.id)
                },
                name: s.node.name.clone(),
                folder: s.node.is_folder(),
                owner: s.owner.clone(),
                read_only: s.access < Access::Write,
            })
            .collect(),
        used: home.used,
        quota: home.quota,
        high: home.quota / 10 * 9,
        usage,
        mine,
    };
    Ok(render(StatusCode::OK, &template))
}

struct VersionView {
    number: u32,
    label: String,
    size: String,
    at: String,
    by: String,
    current: bool,
    href: String,
}

#[derive(Template)]
#[template(path = "documents/fichier.html")]
struct FileTemplate {
    page: PageCtx,
    csrf: String,
    id: u64,
    name: String,
    crumbs: Vec<Crumb>,
    size: String,
    kind: String,
    at: String,
    download: String,
    preview: Option<String>,
    can_write: bool,
    can_arrange: bool,
    can_trash: bool,
    can_copy: bool,
    versions: Vec<VersionView>,
    sharing: Option<super::manage::SharingView>,
    done: Option<String>,
    alert: Option<String>,
    rename_value: String,
    rename_error: Option<String>,
}

/// Query of a file's or folder's page: the person search of the share form, a confirmation.
#[derive(Debug, Default, Deserialize)]
pub struct NodeQuery {
    #[serde(default)]
    pub(crate) q: String,
    pub(crate) fait: Option<String>,
}

impl NodeQuery {
    /// The confirmation of what was just done.
    pub(crate) fn done(&self, t: &Tr) -> Option<String> {
        done_text(
            t,
            &DoneQuery {
                fait: self.fait.clone(),
                nombre: None,
            },
        )
    }
}

/// What a refused action on a file's or share page shows again.
#[derive(Debug, Default)]
pub(crate) struct NodeForm {
    /// Said at the top of the page.
    pub alert: Option<String>,
    /// The rename field: the name typed and the error.
    pub rename: Option<(String, String)>,
    /// The share form's error.
    pub share_error: Option<String>,
}

/// Renders a file's page.
pub(crate) async fn file_page(
    state: &AppState,
    t: &Tr,
    user: &CurrentUser,
    id: NodeId,
    q: NodeQuery,
    form: NodeForm,
) -> Result<Response, PageError> {
    let store = state.store.clone();
    let actor = user.actor.clone();
    let view = run(t, move || views::file(&store, &actor, id)).await?;
    let node = &view.node;
    let (size, content_type) = match &node.node.kind {
        NodeKind::File {
            size, content_type, ..
        } => (*size, content_type.clone()),
        NodeKind::Folder => (0, String::new()),
    };
    let current = view.versions.first().map(|v| v.number);
    let sharing = if node.access == Access::Manage {
        Some(
            super::manage::sharing(
                state,
                t,
                user,
                node,
                &q.q,
                "fichier",
                form.share_error.clone(),
            )
            .await?,
        )
    } else {
        None
    };
    let (rename_value, rename_error) = match &form.rename {
        Some((value, error)) => (value.clone(), Some(error.clone())),
        None => (node.node.name.clone(), None),
    };
    let template = FileTemplate {
        page: page(t, user, user.name.clone(), CURRENT),
        csrf: user.csrf(),
        id: id.0,
        name: node.node.name.clone(),
        crumbs: crumbs(t, node.node.space, &node.name, node.space_open, &node.path),
        size: size_text(t, size),
        kind: t.msg(kind_key(&content_type)),
        preview: service::is_safe_inline(&content_type)
            .then(|| format!("{}/apercu", file_href(id))),
        at: paris(node.node.updated_at),
        download: format!("{}/telecharger", file_href(id)),
        can_write: node.access >= Access::Write,
        can_arrange: node.arrange,
        can_trash: view.trash,
        can_copy: user.actor.person.is_some(),
        versions: view
            .versions
            .iter()
            .map(|v| VersionView {
                number: v.number,
                label: t.msg1("documents-version-n", "n", &v.number.to_string()),
                size: size_text(t, v.version.size),
                at: paris(v.version.uploaded_at),
                by: v.by.clone(),
                current: Some(v.number) == current,
                href: format!("{}/telecharger?version={}", file_href(id), v.number),
            })
            .collect(),
        sharing,
        done: q.done(t),
        alert: form.alert,
        rename_value,
        rename_error,
    };
    Ok(render(StatusCode::OK, &template))
}

/// `GET /documents/fichier/{id}`: a file, its versions, its shares (for those who manage it).
pub async fn file(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Id(id): Id<NodeId>,
    Query(q): Query<NodeQuery>,
) -> Result<Response, PageError> {
    file_page(&state, &t, &user, id, q, NodeForm::default()).await
}
