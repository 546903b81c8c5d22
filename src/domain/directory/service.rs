//! Writing the directory: every function takes the caller's [`Tx`], so an import or the demo
//! generator can group many of them in one transaction. Each keeps its index tables in step.

use super::DirectoryError;
use super::login::{base_login, unique_login};
use crate::domain::text::{has_letter, single_line};
use crate::model::directory::*;
use crate::store::Tx;
use crate::store::tables::*;

fn require(field: &'static str, value: &str, key: &'static str) -> Result<(), DirectoryError> {
    if value.trim().is_empty() {
        Err(DirectoryError::Invalid { field, key })
    } else {
        Ok(())
    }
}

/// A person's name as written: the text hygiene of one line ([`single_line`]), required, and
/// with at least one letter ([`has_letter`]). Every way into the directory (administration
/// forms, imports, the demo) ends here, so no stored name is « 😀 » or hides a
/// bidirectional override. The forms and imports say it earlier, in their own words.
fn person_name(
    field: &'static str,
    value: &str,
    required: &'static str,
    no_letter: &'static str,
) -> Result<String, DirectoryError> {
    let name = single_line(value);
    require(field, &name, required)?;
    if !has_letter(&name) {
        return Err(DirectoryError::Invalid {
            field,
            key: no_letter,
        });
    }
    Ok(name)
}

/// Whether `uai` looks like a UAI: 7 digits (or `2A`/`2B` Corsica) then a letter.
pub fn is_uai(uai: &str) -> bool {
    let b = uai.as_bytes();
    b.len() == 8
        && b[..7]
            .iter()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (i == 1 && matches!(c, b'A' | b'B')))
        && b[7].is_ascii_uppercase()
}

/// Creates an establishment; its UAI must be well-formed and unused.
pub fn create_establishment(
    tx: &mut Tx,
    establishment: Establishment,
) -> Result<EstablishmentId, DirectoryError> {
    if !is_uai(&establishment.uai) {
        return Err(DirectoryError::Invalid {
            field: "uai",
            key: "annuaire-erreur-uai",
        });
    }
    let mut establishment = establishment;
    establishment.name = single_line(&establishment.name);
    establishment.town = single_line(&establishment.town);
    establishment.academie = single_line(&establishment.academie);
    require("name", &establishment.name, "annuaire-erreur-nom")?;
    if tx.get(&UAI_TO_ESTABLISHMENT, &establishment.uai)?.is_some() {
        return Err(DirectoryError::Duplicate("uai"));
    }
    let id: EstablishmentId = tx.next_id()?;
    tx.insert(&UAI_TO_ESTABLISHMENT, &establishment.uai, &id)?;
    tx.insert(&ESTABLISHMENTS, &id, &establishment)?;
    Ok(id)
}

/// What is needed to create a person; the login is generated.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    /// First name.
    pub first_name: String,
    /// Usage name.
    pub last_name: String,
    /// Birth date.
    pub birth_date: Option<jiff::civil::Date>,
    /// National ids.
    pub national_ids: Vec<(String, String)>,
    /// E-mail address.
    pub email: Option<String>,
}

/// The folded words of a person's names, as [`PERSON_NAME_WORDS`] indexes them.
pub fn name_words(first_name: &str, last_name: &str) -> Vec<String> {
    let mut words: Vec<String> = crate::domain::text::fold(&format!("{first_name} {last_name}"))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// A person's profiles, read inside the caller's (writing) transaction, by establishment.
pub fn profiles_in(tx: &Tx, person: PersonId) -> Result<Vec<Profile>, crate::store::StoreError> {
    Ok(tx
        .range(
            &PERSON_PROFILES,
            (person, EstablishmentId(0), 0)..=(person, EstablishmentId(u64::MAX), u8::MAX),
        )?
        .into_iter()
        .map(|(_, p)| p)
        .collect())
}

fn establishments_of(tx: &Tx, person: PersonId) -> Result<Vec<EstablishmentId>, DirectoryError> {
    let mut out: Vec<EstablishmentId> = profiles_in(tx, person)?
        .into_iter()
        .map(|p| p.establishment)
        .collect();
    out.dedup();
    Ok(out)
}

fn index_names(
    tx: &mut Tx,
    person: PersonId,
    establishments: &[EstablishmentId],
    words: &[String],
    add: bool,
) -> Result<(), DirectoryError> {
    for e in establishments {
        for w in words {
            if add {
                tx.insert(&PERSON_NAME_WORDS, &(*e, w.clone(), person), &())?;
            } else {
                tx.remove(&PERSON_NAME_WORDS, &(*e, w.clone(), person))?;
            }
        }
    }
    Ok(())
}

fn index_national_ids(
    tx: &mut Tx,
    person: PersonId,
    old: &[(String, String)],
    new: &[(String, String)],
) -> Result<(), DirectoryError> {
    for id in old.iter().filter(|id| !new.contains(id)) {
        if tx.get(&NATIONAL_ID_TO_PERSON, id)? == Some(person) {
            tx.remove(&NATIONAL_ID_TO_PERSON, id)?;
        }
    }
    for id in new.iter().filter(|id| !old.contains(id)) {
        match tx.get(&NATIONAL_ID_TO_PERSON, id)? {
            Some(other) if other != person => return Err(DirectoryError::Duplicate("national_id")),
            _ => {
                tx.insert(&NATIONAL_ID_TO_PERSON, id, &person)?;
            }
        }
    }
    Ok(())
}

/// The person holding a national or académie id (`("ine", …)`, `("aaf", …)`).
pub fn person_by_national_id(
    tx: &Tx,
    kind: &str,
    value: &str,
) -> Result<Option<PersonId>, DirectoryError> {
    Ok(tx.get(&NATIONAL_ID_TO_PERSON, &(kind.to_owned(), value.to_owned()))?)
}

/// A class of an establishment by its name for a school year ("5B", accents and case folded).
pub fn class_by_name(
    tx: &Tx,
    establishment: EstablishmentId,
    year: SchoolYear,
    name: &str,
) -> Result<Option<ClassId>, DirectoryError> {
    Ok(tx.get(
        &ESTABLISHMENT_CLASS_NAMES,
        &(
            establishment,
            year,
            crate::domain::text::fold(&single_line(name)),
        ),
    )?)
}

/// Creates a person with a pending account and a generated unique login.
pub fn create_person(tx: &mut Tx, new: NewPerson) -> Result<PersonId, DirectoryError> {
    let mut new = new;
    new.first_name = person_name(
        "first_name",
        &new.first_name,
        "annuaire-erreur-prenom",
        "annuaire-erreur-prenom-lettre",
    )?;
    new.last_name = person_name(
        "last_name",
        &new.last_name,
        "annuaire-erreur-nom",
        "annuaire-erreur-nom-lettre",
    )?;
    let base = base_login(&new.first_name, &new.last_name);
    let login = unique_login(&base, |l| {
        tx.get(&LOGIN_TO_PERSON, &l.to_owned()).map(|p| p.is_some())
    })?;
    let id: PersonId = tx.next_id()?;
    index_national_ids(tx, id, &[], &new.national_ids)?;
    tx.insert(&LOGIN_TO_PERSON, &login, &id)?;
    tx.insert(
        &PEOPLE,
        &id,
        &Person {
            first_name: new.first_name,
            last_name: new.last_name,
            birth_name: None,
            birth_date: new.birth_date,
            national_ids: new.national_ids,
            email: new.email,
            login,
            state: AccountState::Pending,
            password_hash: None,
            password_set_at: None,
            platform_admin: false,
        },
    )?;
    Ok(id)
}

/// Replaces a person's record (names, state, password…). The login cannot change here.
pub fn update_person(tx: &mut Tx, id: PersonId, person: &Person) -> Result<(), DirectoryError> {
    let old = tx.get(&PEOPLE, &id)?.ok_or(DirectoryError::NotFound)?;
    if old.login != person.login {
        return Err(DirectoryError::Invalid {
            field: "login",
            key: "annuaire-erreur-identifiant-fixe",
        });
    }
    let mut cleaned = person.clone();
    // Names are checked when they change: a record written before the rule still saves.
    if person.first_name != old.first_name {
        cleaned.first_name = person_name(
            "first_name",
            &person.first_name,
            "annuaire-erreur-prenom",
            "annuaire-erreur-prenom-lettre",
        )?;
    }
    if person.last_name != old.last_name {
        cleaned.last_name = person_name(
            "last_name",
            &person.last_name,
            "annuaire-erreur-nom",
            "annuaire-erreur-nom-lettre",
        )?;
    }
    if person.birth_name != old.birth_name {
        cleaned.birth_name = person
            .birth_name
            .as_deref()
            .map(single_line)
            .filter(|b| !b.is_empty());
        if let Some(b) = &cleaned.birth_name
            && !has_letter(b)
        {
            return Err(DirectoryError::Invalid {
                field: "birth_name",
                key: "annuaire-erreur-nom-lettre",
            });
        }
    }
    let person = &cleaned;
    require("first_name", &person.first_name, "annuaire-erreur-prenom")?;
    require("last_name", &person.last_name, "annuaire-erreur-nom")?;
    index_national_ids(tx, id, &old.national_ids, &person.national_ids)?;
    let (old_words, new_words) = (
        name_words(&old.first_name, &old.last_name),
        name_words(&person.first_name, &person.last_name),
    );
    if old_words != new_words {
        let establishments = establishments_of(tx, id)?;
        index_names(tx, id, &establishments, &old_words, false)?;
        index_names(tx, id, &establishments, &new_words, true)?;
    }
    tx.insert(&PEOPLE, &id, person)?;
    Ok(())
}

/// Gives a person a role in an establishment.
pub fn add_profile(
    tx: &mut Tx,
    person: PersonId,
    establishment: EstablishmentId,
    role: Role,
) -> Result<(), DirectoryError> {
    let p = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
    tx.get(&ESTABLISHMENTS, &establishment)?
        .ok_or(DirectoryError::NotFound)?;
    index_names(
        tx,
        person,
        &[establishment],
        &name_words(&p.first_name, &p.last_name),
        true,
    )?;
    tx.insert(
        &PERSON_PROFILES,
        &(person, establishment, role.code()),
        &Profile {
            establishment,
            role,
        },
    )?;
    tx.insert(
        &ESTABLISHMENT_PEOPLE,
        &(establishment, role.code(), person),
        &(),
    )?;
    Ok(())
}

/// Gives `person` the `role` in `establishment` unless they already hold exactly it (imports
/// call it for every record; only a new or changed profile is written).
pub fn ensure_profile(
    tx: &mut Tx,
    person: PersonId,
    establishment: EstablishmentId,
    role: Role,
) -> Result<(), DirectoryError> {
    let current = tx.get(&PERSON_PROFILES, &(person, establishment, role.code()))?;
    if current
        != Some(Profile {
            establishment,
            role,
        })
    {
        add_profile(tx, person, establishment, role)?;
    }
    Ok(())
}

/// Creates a class.
pub fn create_class(tx: &mut Tx, class: Class) -> Result<ClassId, DirectoryError> {
    let mut class = class;
    class.name = single_line(&class.name);
    class.level = single_line(&class.level);
    require("name", &class.name, "annuaire-erreur-nom-classe")?;
    let name_key = (
        class.establishment,
        class.year,
        crate::domain::text::fold(class.name.trim()),
    );
    if tx.get(&ESTABLISHMENT_CLASS_NAMES, &name_key)?.is_some() {
        return Err(DirectoryError::Duplicate("class"));
    }
    let id: ClassId = tx.next_id()?;
    tx.insert(&ESTABLISHMENT_CLASS_NAMES, &name_key, &id)?;
    tx.insert(&ESTABLISHMENT_CLASSES, &(class.establishment, id), &())?;
    tx.insert(&CLASSES, &id, &class)?;
    Ok(id)
}

/// Puts a pupil in a class.
pub fn enrol_in_class(
    tx: &mut Tx,
    student: PersonId,
    class: ClassId,
) -> Result<(), DirectoryError> {
    tx.get(&CLASSES, &class)?.ok_or(DirectoryError::NotFound)?;
    tx.insert(&CLASS_STUDENTS, &(class, student), &())?;
    tx.insert(&STUDENT_CLASSES, &(student, class), &())?;
    Ok(())
}

/// Creates a group.
pub fn create_group(tx: &mut Tx, group: Group) -> Result<GroupId, DirectoryError> {
    let mut group = group;
    group.name = single_line(&group.name);
    require("name", &group.name, "annuaire-erreur-nom-groupe")?;
    let id: GroupId = tx.next_id()?;
    tx.insert(&ESTABLISHMENT_GROUPS, &(group.establishment, id), &())?;
    tx.insert(&GROUPS, &id, &group)?;
    Ok(id)
}

/// Puts a pupil in a group.
pub fn enrol_in_group(
    tx: &mut Tx,
    student: PersonId,
    group: GroupId,
) -> Result<(), DirectoryError> {
    tx.get(&GROUPS, &group)?.ok_or(DirectoryError::NotFound)?;
    tx.insert(&GROUP_STUDENTS, &(group, student), &())?;
    tx.insert(&STUDENT_GROUPS, &(student, group), &())?;
    Ok(())
}

/// Creates a subject.
pub fn create_subject(tx: &mut Tx, subject: Subject) -> Result<SubjectId, DirectoryError> {
    let mut subject = subject;
    subject.name = single_line(&subject.name);
    require("name", &subject.name, "annuaire-erreur-nom-matiere")?;
    let id: SubjectId = tx.next_id()?;
    tx.insert(&ESTABLISHMENT_SUBJECTS, &(subject.establishment, id), &())?;
    tx.insert(&SUBJECTS, &id, &subject)?;
    Ok(id)
}

/// Records `teaching` unless the same teacher already teaches the same subject to the same
/// audience there; returns whether it was created (imports call it for every line).
pub fn ensure_teaching(tx: &mut Tx, teaching: Teaching) -> Result<bool, DirectoryError> {
    let teacher = teaching.teacher;
    for ((_, id), ()) in tx.range(
        &TEACHER_TEACHINGS,
        (teacher, TeachingId(0))..=(teacher, TeachingId(u64::MAX)),
    )? {
        if tx.get(&TEACHINGS, &id)?.as_ref() == Some(&teaching) {
            return Ok(false);
        }
    }
    create_teaching(tx, teaching)?;
    Ok(true)
}

/// Records that a teacher teaches a subject to a class or group.
pub fn create_teaching(tx: &mut Tx, teaching: Teaching) -> Result<TeachingId, DirectoryError> {
    let id: TeachingId = tx.next_id()?;
    tx.insert(&TEACHER_TEACHINGS, &(teaching.teacher, id), &())?;
    match teaching.audience {
        Audience::Class(c) => tx.insert(&CLASS_TEACHINGS, &(c, id), &())?,
        Audience::Group(g) => tx.insert(&GROUP_TEACHINGS, &(g, id), &())?,
    };
    tx.insert(&TEACHINGS, &id, &teaching)?;
    Ok(id)
}

/// Links a parent to a pupil.
pub fn link_parent(
    tx: &mut Tx,
    parent: PersonId,
    child: PersonId,
    link: ParentLink,
) -> Result<(), DirectoryError> {
    if parent == child {
        return Err(DirectoryError::Invalid {
            field: "parent",
            key: "annuaire-erreur-propre-parent",
        });
    }
    tx.insert(&PARENT_CHILDREN, &(parent, child), &link)?;
    tx.insert(&CHILD_PARENTS, &(child, parent), &())?;
    Ok(())
}

/// Gives a person another login (fixed demo logins, corrections by an administrator): the new
/// one must be free; the login index follows.
pub fn set_login(tx: &mut Tx, id: PersonId, login: &str) -> Result<(), DirectoryError> {
    let login = login.trim().to_lowercase();
    require("login", &login, "annuaire-erreur-identifiant")?;
    let mut person = tx.get(&PEOPLE, &id)?.ok_or(DirectoryError::NotFound)?;
    if person.login == login {
        return Ok(());
    }
    if tx.get(&LOGIN_TO_PERSON, &login)?.is_some() {
        return Err(DirectoryError::Duplicate("login"));
    }
    tx.remove(&LOGIN_TO_PERSON, &person.login)?;
    tx.insert(&LOGIN_TO_PERSON, &login, &id)?;
    person.login = login;
    tx.insert(&PEOPLE, &id, &person)?;
    Ok(())
}

/// Takes a pupil out of a class (both index rows).
pub fn leave_class(tx: &mut Tx, student: PersonId, class: ClassId) -> Result<(), DirectoryError> {
    tx.remove(&CLASS_STUDENTS, &(class, student))?;
    tx.remove(&STUDENT_CLASSES, &(student, class))?;
    Ok(())
}

/// Takes a pupil out of a group (both index rows).
pub fn leave_group(tx: &mut Tx, student: PersonId, group: GroupId) -> Result<(), DirectoryError> {
    tx.remove(&GROUP_STUDENTS, &(group, student))?;
    tx.remove(&STUDENT_GROUPS, &(student, group))?;
    Ok(())
}

/// Removes a parent's link to a pupil (both index rows).
pub fn unlink_parent(tx: &mut Tx, parent: PersonId, child: PersonId) -> Result<(), DirectoryError> {
    tx.remove(&PARENT_CHILDREN, &(parent, child))?;
    tx.remove(&CHILD_PARENTS, &(child, parent))?;
    Ok(())
}

/// Takes a role away from a person in an establishment: the profile row, its
/// [`ESTABLISHMENT_PEOPLE`] row and, if the person keeps no other profile there, their
/// [`PERSON_NAME_WORDS`] rows for that establishment. The person and account stay.
pub fn remove_profile(
    tx: &mut Tx,
    person: PersonId,
    establishment: EstablishmentId,
    role: Role,
) -> Result<(), DirectoryError> {
    let p = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
    tx.remove(&PERSON_PROFILES, &(person, establishment, role.code()))?;
    tx.remove(&ESTABLISHMENT_PEOPLE, &(establishment, role.code(), person))?;
    let still_there = !tx
        .range(
            &PERSON_PROFILES,
            (person, establishment, 0)..=(person, establishment, u8::MAX),
        )?
        .is_empty();
    if !still_there {
        index_names(
            tx,
            person,
            &[establishment],
            &name_words(&p.first_name, &p.last_name),
            false,
        )?;
    }
    Ok(())
}

/// A group of an establishment by its name for a school year (accents and case folded).
/// Scans the establishment's groups.
pub fn group_by_name(
    tx: &Tx,
    establishment: EstablishmentId,
    year: SchoolYear,
    name: &str,
) -> Result<Option<GroupId>, DirectoryError> {
    let wanted = crate::domain::text::fold(&single_line(name));
    let rows = tx.range(
        &ESTABLISHMENT_GROUPS,
        (establishment, GroupId(0))..=(establishment, GroupId(u64::MAX)),
    )?;
    for ((_, id), ()) in rows {
        if let Some(g) = tx.get(&GROUPS, &id)?
            && g.year == year
            && crate::domain::text::fold(g.name.trim()) == wanted
        {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------------
// Structure administration (issue 5 §1): renaming, moving, removing and deleting. Callers
// (`domain::admin::structure`) decide permissions and give users their messages; these keep
// the tables in step and refuse what would break them.
// ---------------------------------------------------------------------------------------------

/// Renames a class and sets its level: the name stays unique in its establishment and school
/// year ([`ESTABLISHMENT_CLASS_NAMES`] follows).
pub fn rename_class(
    tx: &mut Tx,
    id: ClassId,
    name: &str,
    level: &str,
) -> Result<(), DirectoryError> {
    let name = &single_line(name);
    require("name", name, "annuaire-erreur-nom-classe")?;
    let mut class = tx.get(&CLASSES, &id)?.ok_or(DirectoryError::NotFound)?;
    let old_key = (
        class.establishment,
        class.year,
        crate::domain::text::fold(class.name.trim()),
    );
    let new_key = (
        class.establishment,
        class.year,
        crate::domain::text::fold(name),
    );
    if new_key != old_key {
        if tx.get(&ESTABLISHMENT_CLASS_NAMES, &new_key)?.is_some() {
            return Err(DirectoryError::Duplicate("class"));
        }
        if tx.get(&ESTABLISHMENT_CLASS_NAMES, &old_key)? == Some(id) {
            tx.remove(&ESTABLISHMENT_CLASS_NAMES, &old_key)?;
        }
        tx.insert(&ESTABLISHMENT_CLASS_NAMES, &new_key, &id)?;
    }
    name.clone_into(&mut class.name);
    class.level = single_line(level);
    tx.insert(&CLASSES, &id, &class)?;
    Ok(())
}

/// Names (or, with `None`, clears) a class's head teacher (*professeur principal*).
pub fn set_head_teacher(
    tx: &mut Tx,
    id: ClassId,
    teacher: Option<PersonId>,
) -> Result<(), DirectoryError> {
    let mut class = tx.get(&CLASSES, &id)?.ok_or(DirectoryError::NotFound)?;
    class.head_teacher = teacher;
    tx.insert(&CLASSES, &id, &class)?;
    Ok(())
}

/// Puts a pupil in `class`, taking them out of every other class of the same establishment
/// and school year first (a pupil has one class a year). Returns the classes they left.
pub fn move_to_class(
    tx: &mut Tx,
    student: PersonId,
    class: ClassId,
) -> Result<Vec<ClassId>, DirectoryError> {
    let target = tx.get(&CLASSES, &class)?.ok_or(DirectoryError::NotFound)?;
    let mut left = Vec::new();
    for ((_, other), ()) in tx.range(
        &STUDENT_CLASSES,
        (student, ClassId(0))..=(student, ClassId(u64::MAX)),
    )? {
        if other == class {
            continue;
        }
        if let Some(c) = tx.get(&CLASSES, &other)?
            && c.establishment == target.establishment
            && c.year == target.year
        {
            leave_class(tx, student, other)?;
            left.push(other);
        }
    }
    enrol_in_class(tx, student, class)?;
    Ok(left)
}

/// Deletes a class that has no pupils and no teachings, with its index rows; returns it.
pub fn delete_class(tx: &mut Tx, id: ClassId) -> Result<Class, DirectoryError> {
    let class = tx.get(&CLASSES, &id)?.ok_or(DirectoryError::NotFound)?;
    let span = (id, PersonId(0))..=(id, PersonId(u64::MAX));
    if !tx.range(&CLASS_STUDENTS, span)?.is_empty() {
        return Err(DirectoryError::Invalid {
            field: "class",
            key: "annuaire-erreur-classe-eleves",
        });
    }
    let span = (id, TeachingId(0))..=(id, TeachingId(u64::MAX));
    if !tx.range(&CLASS_TEACHINGS, span)?.is_empty() {
        return Err(DirectoryError::Invalid {
            field: "class",
            key: "annuaire-erreur-classe-enseignements",
        });
    }
    let name_key = (
        class.establishment,
        class.year,
        crate::domain::text::fold(class.name.trim()),
    );
    if tx.get(&ESTABLISHMENT_CLASS_NAMES, &name_key)? == Some(id) {
        tx.remove(&ESTABLISHMENT_CLASS_NAMES, &name_key)?;
    }
    tx.remove(&ESTABLISHMENT_CLASSES, &(class.establishment, id))?;
    tx.remove(&CLASSES, &id)?;
    Ok(class)
}

/// Renames a group (callers check that the name is free: groups have no name index).
pub fn rename_group(tx: &mut Tx, id: GroupId, name: &str) -> Result<(), DirectoryError> {
    let name = &single_line(name);
    require("name", name, "annuaire-erreur-nom-groupe")?;
    let mut group = tx.get(&GROUPS, &id)?.ok_or(DirectoryError::NotFound)?;
    name.clone_into(&mut group.name);
    tx.insert(&GROUPS, &id, &group)?;
    Ok(())
}

/// Deletes a group that has no pupils and no teachings, with its index row; returns it.
pub fn delete_group(tx: &mut Tx, id: GroupId) -> Result<Group, DirectoryError> {
    let group = tx.get(&GROUPS, &id)?.ok_or(DirectoryError::NotFound)?;
    let span = (id, PersonId(0))..=(id, PersonId(u64::MAX));
    if !tx.range(&GROUP_STUDENTS, span)?.is_empty() {
        return Err(DirectoryError::Invalid {
            field: "group",
            key: "annuaire-erreur-groupe-eleves",
        });
    }
    let span = (id, TeachingId(0))..=(id, TeachingId(u64::MAX));
    if !tx.range(&GROUP_TEACHINGS, span)?.is_empty() {
        return Err(DirectoryError::Invalid {
            field: "group",
            key: "annuaire-erreur-groupe-enseignements",
        });
    }
    tx.remove(&ESTABLISHMENT_GROUPS, &(group.establishment, id))?;
    tx.remove(&GROUPS, &id)?;
    Ok(group)
}

/// Removes a teaching with its three index rows; returns it.
pub fn remove_teaching(tx: &mut Tx, id: TeachingId) -> Result<Teaching, DirectoryError> {
    let teaching = tx
        .remove(&TEACHINGS, &id)?
        .ok_or(DirectoryError::NotFound)?;
    tx.remove(&TEACHER_TEACHINGS, &(teaching.teacher, id))?;
    match teaching.audience {
        Audience::Class(c) => tx.remove(&CLASS_TEACHINGS, &(c, id))?,
        Audience::Group(g) => tx.remove(&GROUP_TEACHINGS, &(g, id))?,
    };
    Ok(teaching)
}

/// Every teaching given in `establishment`, read through its classes' and groups' indexes
/// (every teaching is for a class or a group): bounded by the establishment, never a scan of
/// all teachings.
pub fn establishment_teachings(
    tx: &Tx,
    establishment: EstablishmentId,
) -> Result<Vec<(TeachingId, Teaching)>, DirectoryError> {
    let mut ids = Vec::new();
    for ((_, class), ()) in tx.range(
        &ESTABLISHMENT_CLASSES,
        (establishment, ClassId(0))..=(establishment, ClassId(u64::MAX)),
    )? {
        for ((_, t), ()) in tx.range(
            &CLASS_TEACHINGS,
            (class, TeachingId(0))..=(class, TeachingId(u64::MAX)),
        )? {
            ids.push(t);
        }
    }
    for ((_, group), ()) in tx.range(
        &ESTABLISHMENT_GROUPS,
        (establishment, GroupId(0))..=(establishment, GroupId(u64::MAX)),
    )? {
        for ((_, t), ()) in tx.range(
            &GROUP_TEACHINGS,
            (group, TeachingId(0))..=(group, TeachingId(u64::MAX)),
        )? {
            ids.push(t);
        }
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(t) = tx.get(&TEACHINGS, &id)? {
            out.push((id, t));
        }
    }
    Ok(out)
}

/// Renames a subject (callers check that the name is free in the establishment).
pub fn rename_subject(tx: &mut Tx, id: SubjectId, name: &str) -> Result<(), DirectoryError> {
    let name = &single_line(name);
    require("name", name, "annuaire-erreur-nom-matiere")?;
    let mut subject = tx.get(&SUBJECTS, &id)?.ok_or(DirectoryError::NotFound)?;
    name.clone_into(&mut subject.name);
    tx.insert(&SUBJECTS, &id, &subject)?;
    Ok(())
}

/// Deletes a subject no teaching uses, with its index rows (its national code's row too);
/// returns it.
pub fn delete_subject(tx: &mut Tx, id: SubjectId) -> Result<Subject, DirectoryError> {
    let subject = tx.get(&SUBJECTS, &id)?.ok_or(DirectoryError::NotFound)?;
    if establishment_teachings(tx, subject.establishment)?
        .iter()
        .any(|(_, t)| t.subject == id)
    {
        return Err(DirectoryError::Invalid {
            field: "subject",
            key: "annuaire-erreur-matiere-utilisee",
        });
    }
    if let Some(code) = &subject.code {
        let key = (subject.establishment, code.clone());
        if tx.get(&ESTABLISHMENT_SUBJECT_CODES, &key)? == Some(id) {
            tx.remove(&ESTABLISHMENT_SUBJECT_CODES, &key)?;
        }
    }
    tx.remove(&ESTABLISHMENT_SUBJECTS, &(subject.establishment, id))?;
    tx.remove(&SUBJECTS, &id)?;
    Ok(subject)
}
