//! Reading the directory, always through [`super::policy`]: what the actor may not see is
//! "not found".

use serde::Serialize;

use super::DirectoryError;
use super::policy;
use crate::model::Actor;
use crate::model::directory::*;
use crate::store::tables::*;
use crate::store::{ReadTx, Store, StoreError};

/// A person's profiles, each with its establishment's name (empty if the establishment is
/// gone), in key order: what every page that says "who this person is where" starts from.
pub fn profiles_named(
    read: &ReadTx,
    person: PersonId,
) -> Result<Vec<(Profile, String)>, StoreError> {
    let mut out = Vec::new();
    for row in read.scan_prefix(&PERSON_PROFILES, &(person,))? {
        let (_, profile) = row?;
        let establishment_name = read
            .get(&ESTABLISHMENTS, &profile.establishment)?
            .map(|e| e.name)
            .unwrap_or_default();
        out.push((profile, establishment_name));
    }
    Ok(out)
}

/// Builds the [`Actor`] for a person from one snapshot: profiles, children, classes, groups.
/// `None` if the person does not exist.
pub fn load_actor(read: &ReadTx, id: PersonId) -> Result<Option<Actor>, StoreError> {
    Ok(load_actor_named(read, id)?.map(|(actor, _)| actor))
}

/// [`load_actor`], with the person's display name ("Prénom NOM") read from the same row: what
/// a signed-in request needs for the rules and the page's header.
pub fn load_actor_named(
    read: &ReadTx,
    id: PersonId,
) -> Result<Option<(Actor, String)>, StoreError> {
    let Some(person) = read.get(&PEOPLE, &id)? else {
        return Ok(None);
    };
    let profiles: Vec<Profile> = read
        .scan_prefix(&PERSON_PROFILES, &(id,))?
        .map(|r| r.map(|(_, p)| p))
        .collect::<Result<_, _>>()?;
    let children: Vec<PersonId> = read
        .scan_prefix(&PARENT_CHILDREN, &(id,))?
        .map(|r| r.map(|((_, child), _)| child))
        .collect::<Result<_, _>>()?;
    let mut classes: Vec<ClassId> = read
        .scan_prefix(&STUDENT_CLASSES, &(id,))?
        .map(|r| r.map(|((_, c), ())| c))
        .collect::<Result<_, _>>()?;
    let mut groups: Vec<GroupId> = read
        .scan_prefix(&STUDENT_GROUPS, &(id,))?
        .map(|r| r.map(|((_, g), ())| g))
        .collect::<Result<_, _>>()?;
    for row in read.scan_prefix(&TEACHER_TEACHINGS, &(id,))? {
        let ((_, teaching), ()) = row?;
        if let Some(t) = read.get(&TEACHINGS, &teaching)? {
            match t.audience {
                Audience::Class(c) => classes.push(c),
                Audience::Group(g) => groups.push(g),
            }
        }
    }
    classes.sort();
    classes.dedup();
    groups.sort();
    groups.dedup();
    let actor = Actor {
        person: Some(id),
        platform_admin: person.platform_admin,
        profiles,
        children,
        classes,
        groups,
    };
    Ok(Some((actor, person.display_name())))
}

/// A person by login (for signing in).
pub fn find_by_login(read: &ReadTx, login: &str) -> Result<Option<(PersonId, Person)>, StoreError> {
    let login = login.trim().to_lowercase();
    let Some(id) = read.get(&LOGIN_TO_PERSON, &login)? else {
        return Ok(None);
    };
    Ok(read.get(&PEOPLE, &id)?.map(|p| (id, p)))
}

/// A person as others see them in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonSummary {
    /// The id.
    pub id: PersonId,
    /// First name.
    pub first_name: String,
    /// Usage name.
    pub last_name: String,
}

impl PersonSummary {
    /// The summary of a person's record.
    pub fn of(id: PersonId, p: &Person) -> PersonSummary {
        PersonSummary {
            id,
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
        }
    }

    /// "Prénom NOM".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name.to_uppercase())
    }
}

/// A profile with its establishment's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileView {
    /// The establishment.
    pub establishment: EstablishmentId,
    /// Its name.
    pub establishment_name: String,
    /// The role.
    pub role: Role,
}

/// A class with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassSummary {
    /// The id.
    pub id: ClassId,
    /// Name, e.g. "5B".
    pub name: String,
    /// Establishment name.
    pub establishment_name: String,
}

/// A person's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonView {
    /// Who.
    pub person: PersonSummary,
    /// The login: only for the person themselves and administrators.
    pub login: Option<String>,
    /// Their profiles.
    pub profiles: Vec<ProfileView>,
    /// What they are in each establishment, as the actor may see it (« Élève de 5A »).
    pub facets: Vec<super::profile::ProfileFacet>,
    /// A pupil's classes.
    pub classes: Vec<ClassSummary>,
    /// A parent's children (those the actor may see).
    pub children: Vec<PersonSummary>,
}

/// A class with its establishment's name (no permission check: callers decide).
pub fn class_summary(read: &ReadTx, id: ClassId) -> Result<Option<ClassSummary>, StoreError> {
    let Some(class) = read.get(&CLASSES, &id)? else {
        return Ok(None);
    };
    let establishment_name = read
        .get(&ESTABLISHMENTS, &class.establishment)?
        .map(|e| e.name)
        .unwrap_or_default();
    Ok(Some(ClassSummary {
        id,
        name: class.name,
        establishment_name,
    }))
}

/// A person's page, if the actor may see them.
pub fn person(store: &Store, actor: &Actor, id: PersonId) -> Result<PersonView, DirectoryError> {
    let read = store.read()?;
    if !policy::may_see_person(&read, actor, id)? {
        return Err(DirectoryError::NotFound);
    }
    let p = read.get(&PEOPLE, &id)?.ok_or(DirectoryError::NotFound)?;
    let profiles: Vec<ProfileView> = profiles_named(&read, id)?
        .into_iter()
        .map(|(profile, establishment_name)| ProfileView {
            establishment: profile.establishment,
            establishment_name,
            role: profile.role,
        })
        .collect();
    let mut classes = Vec::new();
    for row in read.scan_prefix(&STUDENT_CLASSES, &(id,))? {
        let ((_, class), ()) = row?;
        classes.extend(class_summary(&read, class)?);
    }
    let mut children = Vec::new();
    for row in read.scan_prefix(&PARENT_CHILDREN, &(id,))? {
        let ((_, child), _) = row?;
        if policy::may_see_person(&read, actor, child)?
            && let Some(c) = read.get(&PEOPLE, &child)?
        {
            children.push(PersonSummary::of(child, &c));
        }
    }
    let sees_login = policy::may_see_login(actor, id, profiles.iter().map(|p| p.establishment));
    Ok(PersonView {
        person: PersonSummary::of(id, &p),
        login: sees_login.then(|| p.login.clone()),
        facets: super::profile::facets_unchecked(&read, actor, id)?,
        profiles,
        classes,
        children,
    })
}

/// A child as a parent's switcher shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChildView {
    /// Who.
    pub person: PersonSummary,
    /// Their current classes.
    pub classes: Vec<ClassSummary>,
}

/// The actor's children (for a parent), in birth-order-independent name order.
pub fn my_children(store: &Store, actor: &Actor) -> Result<Vec<ChildView>, DirectoryError> {
    let read = store.read()?;
    let mut out = Vec::new();
    for child in &actor.children {
        let Some(p) = read.get(&PEOPLE, child)? else {
            continue;
        };
        let mut classes = Vec::new();
        for row in read.scan_prefix(&STUDENT_CLASSES, &(*child,))? {
            let ((_, class), ()) = row?;
            classes.extend(class_summary(&read, class)?);
        }
        out.push(ChildView {
            person: PersonSummary::of(*child, &p),
            classes,
        });
    }
    out.sort_by_key(|c| crate::domain::text::french_key(&c.person.first_name));
    Ok(out)
}

/// People of `establishment` with a name word starting with each of `words` (folded, as
/// [`super::service::name_words`] gives them), at most `max`, in id order: one prefix range of
/// the name-word index on the longest word, the others checked on the candidates.
pub fn name_prefix_candidates(
    read: &ReadTx,
    establishment: EstablishmentId,
    words: &[String],
    max: usize,
) -> Result<Vec<PersonId>, StoreError> {
    let mut words: Vec<&String> = words.iter().collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    let mut prefix = crate::store::KeyCodec::to_key_bytes(&establishment);
    prefix.extend_from_slice(first.as_bytes());
    let mut candidates: Vec<PersonId> = Vec::new();
    for row in read.scan_bytes_prefix(&PERSON_NAME_WORDS, prefix)? {
        let ((_, _, person), ()) = row?;
        candidates.push(person);
    }
    candidates.sort();
    candidates.dedup();
    let mut out = Vec::new();
    for id in candidates {
        if out.len() >= max {
            break;
        }
        if words.len() > 1 {
            let Some(p) = read.get(&PEOPLE, &id)? else {
                continue;
            };
            let own = super::service::name_words(&p.first_name, &p.last_name);
            if !words[1..]
                .iter()
                .all(|w| own.iter().any(|o| o.starts_with(w.as_str())))
            {
                continue;
            }
        }
        out.push(id);
    }
    Ok(out)
}

/// At most this many people are returned by a search.
pub const SEARCH_LIMIT: usize = 50;

/// People of `establishment` whose names contain words starting with every word of `query`
/// (accents and case ignored: "eleve" finds "Élève"), sorted by name, at most [`SEARCH_LIMIT`].
/// For the establishment's staff and administrators; others get "not found".
pub fn search_people(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    query: &str,
) -> Result<Vec<PersonSummary>, DirectoryError> {
    if !super::policy::may_search_people(actor, establishment) {
        return Err(DirectoryError::NotFound);
    }
    let words = super::service::name_words(query, "");
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let read = store.read()?;
    let mut found = Vec::new();
    for id in name_prefix_candidates(&read, establishment, &words, usize::MAX)? {
        if let Some(p) = read.get(&PEOPLE, &id)? {
            found.push(PersonSummary::of(id, &p));
        }
    }
    found.sort_by(|a, b| {
        crate::domain::text::french_key(&a.last_name)
            .cmp(&crate::domain::text::french_key(&b.last_name))
            .then_with(|| {
                crate::domain::text::french_key(&a.first_name)
                    .cmp(&crate::domain::text::french_key(&b.first_name))
            })
    });
    found.truncate(SEARCH_LIMIT);
    Ok(found)
}
