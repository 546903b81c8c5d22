//! The portal: what each person sees on their home page, computed from their [`Actor`]. Only
//! applications that exist are shown; later issues add their tiles here.

use serde::Serialize;

use crate::domain::audience::Audience;
use crate::domain::directory::DirectoryError;
use crate::domain::directory::queries::{self, ChildView, ClassSummary};
use crate::domain::paths;
use crate::domain::text::french_key;
use crate::model::Actor;
use crate::model::directory::{ClassId, PersonId, Role};
use crate::store::Store;
use crate::store::tables::{CLASSES, ESTABLISHMENT_CLASSES, ESTABLISHMENTS, PEOPLE};

/// A link inside a tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Text shown.
    pub label: String,
    /// Where it goes.
    pub href: String,
}

/// One application tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tile {
    /// Translation key of the title.
    pub title_key: &'static str,
    /// Translation key of the description.
    pub description_key: &'static str,
    /// Argument of the description (`$etablissement`), if any.
    pub description_arg: Option<String>,
    /// Main link, if the tile is one link.
    pub href: Option<String>,
    /// Links inside the tile (several classes).
    pub links: Vec<Link>,
}

/// Everything the portal page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortalView {
    /// The person's first name, for the greeting.
    pub first_name: String,
    /// Application tiles.
    pub tiles: Vec<Tile>,
    /// A parent's children.
    pub children: Vec<ChildView>,
    /// The child shown (a parent's switcher), if any.
    pub selected_child: Option<PersonId>,
    /// Whether the actor is a parent (shows the children section even if empty).
    pub is_parent: bool,
}

fn class_links(classes: &[ClassSummary]) -> Vec<Link> {
    classes
        .iter()
        .map(|c| Link {
            label: c.name.clone(),
            href: paths::class(c.id),
        })
        .collect()
}

/// The portal of `actor`; `selected` is the child a parent chose (ignored if not theirs).
pub fn portal(
    store: &Store,
    actor: &Actor,
    selected: Option<PersonId>,
) -> Result<PortalView, DirectoryError> {
    let read = store.read()?;
    let person = actor
        .person
        .and_then(|id| read.get(&PEOPLE, &id).ok().flatten())
        .ok_or(DirectoryError::NotFound)?;
    let mut tiles = Vec::new();
    let summaries = |ids: &[ClassId]| -> Result<Vec<ClassSummary>, DirectoryError> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(c) = read.get(&CLASSES, id)? {
                let establishment_name = read
                    .get(&ESTABLISHMENTS, &c.establishment)?
                    .map(|e| e.name)
                    .unwrap_or_default();
                out.push(ClassSummary {
                    id: *id,
                    name: c.name,
                    establishment_name,
                });
            }
        }
        out.sort_by_key(|c| french_key(&c.name));
        Ok(out)
    };
    let roles: Vec<Role> = actor.profiles.iter().map(|p| p.role).collect();
    // The wording of the tiles: a parent's classes are their children's (issue 14 §8).
    let audience = Audience::of(actor);
    if roles.contains(&Role::Eleve) {
        let own = summaries(&actor.classes)?;
        if let Some(first) = own.first() {
            tiles.push(Tile {
                title_key: "tuile-ma-classe",
                description_key: "tuile-ma-classe-desc",
                description_arg: None,
                href: Some(paths::class(first.id)),
                links: Vec::new(),
            });
        }
    }
    if roles.contains(&Role::Enseignant) && !actor.classes.is_empty() {
        tiles.push(Tile {
            title_key: "tuile-mes-classes",
            description_key: "tuile-mes-classes-desc",
            description_arg: None,
            href: None,
            links: class_links(&summaries(&actor.classes)?),
        });
    }
    for profile in &actor.profiles {
        if profile.role.is_staff()
            && !tiles.iter().any(|t| {
                t.title_key == "tuile-etablissement"
                    && t.description_arg.as_deref()
                        == read
                            .get(&ESTABLISHMENTS, &profile.establishment)
                            .ok()
                            .flatten()
                            .map(|e| e.name)
                            .as_deref()
            })
        {
            let ids: Vec<ClassId> = read
                .scan_prefix(&ESTABLISHMENT_CLASSES, &(profile.establishment,))?
                .map(|r| r.map(|((_, c), ())| c))
                .collect::<Result<_, _>>()?;
            let name = read
                .get(&ESTABLISHMENTS, &profile.establishment)?
                .map(|e| e.name)
                .unwrap_or_default();
            tiles.push(Tile {
                title_key: "tuile-etablissement",
                description_key: "tuile-etablissement-desc",
                description_arg: Some(name),
                href: None,
                links: class_links(&summaries(&ids)?),
            });
        }
    }
    tiles.push(Tile {
        title_key: "tuile-messagerie",
        description_key: if crate::domain::messaging::policy::is_staff(actor) {
            "tuile-messagerie-desc-personnel"
        } else if audience == Audience::Parent {
            "tuile-messagerie-desc-parent"
        } else {
            "tuile-messagerie-desc"
        },
        description_arg: None,
        href: Some(paths::MESSAGING.into()),
        links: Vec::new(),
    });
    tiles.push(Tile {
        title_key: "tuile-documents",
        description_key: match audience {
            Audience::Parent => "tuile-documents-desc-parent",
            Audience::Teacher | Audience::Staff => "tuile-documents-desc-personnel",
            Audience::Pupil => "tuile-documents-desc",
        },
        description_arg: None,
        href: Some(paths::DOCUMENTS.into()),
        links: Vec::new(),
    });
    if crate::domain::admin::policy::is_admin(actor) {
        tiles.push(Tile {
            title_key: "tuile-administration",
            description_key: "tuile-administration-desc",
            description_arg: None,
            href: Some(paths::ADMIN.into()),
            links: Vec::new(),
        });
    }
    tiles.push(Tile {
        title_key: "tuile-profil",
        description_key: "tuile-profil-desc",
        description_arg: None,
        href: Some(paths::PROFILE.into()),
        links: Vec::new(),
    });
    tiles.push(Tile {
        title_key: "tuile-sessions",
        description_key: "tuile-sessions-desc",
        description_arg: None,
        href: Some(paths::SESSIONS.into()),
        links: Vec::new(),
    });
    drop(read);
    let is_parent = roles.contains(&Role::Parent);
    let children = if is_parent {
        queries::my_children(store, actor)?
    } else {
        Vec::new()
    };
    let selected_child = selected
        .filter(|s| actor.children.contains(s))
        .or_else(|| children.first().map(|c| c.person.id));
    Ok(PortalView {
        first_name: person.first_name,
        tiles,
        children,
        selected_child,
        is_parent,
    })
}
