//! The lines of each file applied to the store: pupils, parents, teachers.

use std::collections::HashMap;

use jiff::civil::Date;

use super::{Ctx, french_date, key, relation_label};
use crate::domain::directory::DirectoryError;
use crate::domain::directory::policy::{self, AdminReach};
use crate::domain::directory::service::{self, NewPerson};
use crate::domain::import::aaf_apply::Counts;
use crate::domain::import::csv::{ParentRow, StudentRow, TeacherRow, find_class};
use crate::i18n::Text;
use crate::model::directory::{
    Audience, ClassId, EstablishmentId, ParentLink, PersonId, Role, Subject, SubjectId, Teaching,
};
use crate::store::tables::{
    CHILD_PARENTS, CLASSES, ESTABLISHMENT_PEOPLE, ESTABLISHMENT_SUBJECTS, PARENT_CHILDREN, PEOPLE,
    STUDENT_CLASSES, SUBJECTS,
};
use crate::store::{StoreError, Tx};

/// A line-level failure: a bad line (into the report) or a store failure (fatal).
enum RowError {
    Invalid(Text),
    Store(StoreError),
}

impl From<StoreError> for RowError {
    fn from(e: StoreError) -> Self {
        RowError::Store(e)
    }
}

impl From<DirectoryError> for RowError {
    fn from(e: DirectoryError) -> Self {
        match e {
            DirectoryError::Store(e) => RowError::Store(e),
            DirectoryError::Invalid { key, .. } => RowError::Invalid(Text::new(key)),
            other => RowError::Invalid(Text::new("import-texte").str("texte", other.to_string())),
        }
    }
}

/// Runs `apply` on one line: a bad line goes into `ctx.bad`, a store failure stops.
fn on_line<T>(
    ctx: &mut Ctx,
    line: usize,
    result: Result<T, RowError>,
) -> Result<Option<T>, StoreError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(RowError::Store(e)) => Err(e),
        Err(RowError::Invalid(message)) => {
            ctx.bad.push((line, message));
            Ok(None)
        }
    }
}

/// What happened to a person over the lines of a file.
#[derive(Default)]
struct Seen {
    created: bool,
    changed: bool,
}

fn count(counts: &mut Counts, seen: &HashMap<PersonId, Seen>) {
    for s in seen.values() {
        if s.created {
            counts.created += 1;
        } else if s.changed {
            counts.updated += 1;
        } else {
            counts.unchanged += 1;
        }
    }
}

/// A person's (nom, prénom, birth date) key.
type NameKey = (String, String, Option<Date>);

/// The people with `role` in the establishment.
fn people_with_role(
    tx: &Tx,
    establishment: EstablishmentId,
    role: Role,
) -> Result<Vec<PersonId>, StoreError> {
    let code = role.code();
    Ok(tx
        .range(
            &ESTABLISHMENT_PEOPLE,
            (establishment, code, PersonId(0))..=(establishment, code, PersonId(u64::MAX)),
        )?
        .into_iter()
        .map(|((_, _, p), ())| p)
        .collect())
}

/// The establishment's pupils by (nom, prénom, date) key.
fn pupils_by_name(
    tx: &Tx,
    establishment: EstablishmentId,
) -> Result<HashMap<NameKey, Vec<PersonId>>, StoreError> {
    let mut map: HashMap<NameKey, Vec<PersonId>> = HashMap::new();
    for id in people_with_role(tx, establishment, Role::Eleve)? {
        if let Some(p) = tx.get(&PEOPLE, &id)? {
            map.entry((key(&p.last_name), key(&p.first_name), p.birth_date))
                .or_default()
                .push(id);
        }
    }
    Ok(map)
}

fn display_name(tx: &Tx, person: PersonId) -> Result<String, StoreError> {
    Ok(tx
        .get(&PEOPLE, &person)?
        .map(|p| p.display_name())
        .unwrap_or_default())
}

/// Sets the names (and the e-mail when `email` is given) of an existing person, if they differ.
fn update_identity(
    tx: &mut Tx,
    person: PersonId,
    last_name: &str,
    first_name: &str,
    email: Option<&str>,
) -> Result<(), RowError> {
    let old = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
    let mut new = old.clone();
    last_name.clone_into(&mut new.last_name);
    first_name.clone_into(&mut new.first_name);
    if let Some(email) = email {
        new.email = Some(email.to_owned());
    }
    if new != old {
        service::update_person(tx, person, &new)?;
    }
    Ok(())
}

fn create(
    tx: &mut Tx,
    last_name: &str,
    first_name: &str,
    birth_date: Option<Date>,
    national_ids: Vec<(String, String)>,
    email: Option<String>,
) -> Result<PersonId, RowError> {
    Ok(service::create_person(
        tx,
        NewPerson {
            first_name: first_name.to_owned(),
            last_name: last_name.to_owned(),
            birth_date,
            national_ids,
            email,
        },
    )?)
}

/// The one person of `candidates`, none, or an error naming them as ambiguous.
fn single(candidates: &[PersonId]) -> Result<Option<PersonId>, RowError> {
    match candidates {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        _ => Err(RowError::Invalid(
            Text::new("import-csv-eleves-homonymes").num("nombre", candidates.len()),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Pupils.
// ---------------------------------------------------------------------------------------------

pub(super) fn apply_students(
    tx: &mut Tx,
    ctx: &mut Ctx,
    rows: &[(usize, StudentRow)],
    classes: &[(String, ClassId)],
) -> Result<(), StoreError> {
    let mut pupils = pupils_by_name(tx, ctx.establishment)?;
    let mut seen: HashMap<PersonId, Seen> = HashMap::new();
    for (line, row) in rows {
        let before = tx.change_count();
        let result = apply_student(tx, ctx, &mut pupils, classes, row);
        let Some((person, created)) = on_line(ctx, *line, result)? else {
            continue;
        };
        let changed = tx.change_count() > before;
        let name = display_name(tx, person)?;
        if created {
            ctx.line(
                Text::new("import-csv-eleve-creation")
                    .str("nom", name)
                    .str("classe", row.class.clone()),
            );
        } else if changed {
            ctx.line(
                Text::new("import-csv-eleve-mise-a-jour")
                    .str("nom", name)
                    .str("classe", row.class.clone()),
            );
        }
        let s = seen.entry(person).or_default();
        s.created |= created;
        s.changed |= changed;
    }
    count(&mut ctx.report.students, &seen);
    Ok(())
}

/// Applies one pupil; returns them and whether they were created.
fn apply_student(
    tx: &mut Tx,
    ctx: &Ctx,
    pupils: &mut HashMap<NameKey, Vec<PersonId>>,
    classes: &[(String, ClassId)],
    row: &StudentRow,
) -> Result<(PersonId, bool), RowError> {
    let names: Vec<&str> = classes.iter().map(|(n, _)| n.as_str()).collect();
    let class = find_class(&row.class, &names)
        .and_then(|name| classes.iter().find(|(n, _)| n == name))
        .map(|(_, id)| *id)
        .ok_or_else(|| {
            RowError::Invalid(
                Text::new("import-csv-classe-inconnue").str("classe", row.class.clone()),
            )
        })?;
    let name_key = (
        key(&row.last_name),
        key(&row.first_name),
        Some(row.birth_date),
    );
    let candidates = pupils.get(&name_key).cloned().unwrap_or_default();
    let found = match &row.national_id {
        Some(ine) => match service::person_by_national_id(tx, "ine", ine)? {
            Some(person) => Some(person),
            None => {
                // Known by name, without a national id yet (or with this one).
                let mut without = Vec::new();
                for id in candidates {
                    let has_other = tx.get(&PEOPLE, &id)?.is_some_and(|p| {
                        p.national_ids.iter().any(|(k, v)| k == "ine" && v != ine)
                    });
                    if !has_other {
                        without.push(id);
                    }
                }
                single(&without)?
            }
        },
        None => single(&candidates)?,
    };
    let reach = match found {
        Some(person) => policy::admin_reach(tx, &ctx.actor, person)?,
        None => AdminReach::Full,
    };
    if !reach.sees() {
        return Err(RowError::Invalid(Text::new(
            "import-csv-ine-autre-etablissement",
        )));
    }
    let (person, created) = match found {
        Some(person) => {
            let old = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
            let mut new = old.clone();
            row.last_name.clone_into(&mut new.last_name);
            row.first_name.clone_into(&mut new.first_name);
            new.birth_date = Some(row.birth_date);
            if let Some(ine) = &row.national_id
                && !new.national_ids.iter().any(|(k, v)| k == "ine" && v == ine)
            {
                new.national_ids.retain(|(k, _)| k != "ine");
                new.national_ids.push(("ine".to_owned(), ine.clone()));
            }
            if new != old {
                if !reach.full() {
                    // The identity is the person's in every school they belong to.
                    return Err(RowError::Invalid(Text::new(
                        "import-csv-eleve-autre-etablissement",
                    )));
                }
                service::update_person(tx, person, &new)?;
            }
            (person, false)
        }
        None => {
            let ids = row
                .national_id
                .iter()
                .map(|ine| ("ine".to_owned(), ine.clone()))
                .collect();
            let person = create(
                tx,
                &row.last_name,
                &row.first_name,
                Some(row.birth_date),
                ids,
                None,
            )?;
            pupils.entry(name_key).or_default().push(person);
            (person, true)
        }
    };
    service::ensure_profile(tx, person, ctx.establishment, Role::Eleve)?;
    for ((_, other), ()) in tx.range(
        &STUDENT_CLASSES,
        (person, ClassId(0))..=(person, ClassId(u64::MAX)),
    )? {
        // Classes of this year the importer administers (never another school's).
        let this_year = tx
            .get(&CLASSES, &other)?
            .is_none_or(|c| c.year == ctx.year && ctx.actor.administers(c.establishment));
        if this_year && other != class {
            service::leave_class(tx, person, other)?;
        }
    }
    service::enrol_in_class(tx, person, class)?;
    Ok((person, created))
}

// ---------------------------------------------------------------------------------------------
// Parents.
// ---------------------------------------------------------------------------------------------

/// What parents lines look people up in.
struct ParentIndex {
    pupils: HashMap<NameKey, Vec<PersonId>>,
    /// The establishment's parents by e-mail (lower case).
    by_email: HashMap<String, PersonId>,
    /// Parents of earlier lines of this file by (nom, prénom, e-mail).
    in_file: HashMap<(String, String, Option<String>), PersonId>,
}

pub(super) fn apply_parents(
    tx: &mut Tx,
    ctx: &mut Ctx,
    rows: &[(usize, ParentRow)],
) -> Result<(), StoreError> {
    let mut index = ParentIndex {
        pupils: pupils_by_name(tx, ctx.establishment)?,
        by_email: HashMap::new(),
        in_file: HashMap::new(),
    };
    for id in people_with_role(tx, ctx.establishment, Role::Parent)? {
        if let Some(email) = tx.get(&PEOPLE, &id)?.and_then(|p| p.email) {
            index.by_email.insert(email.to_lowercase(), id);
        }
    }
    let mut seen: HashMap<PersonId, Seen> = HashMap::new();
    for (line, row) in rows {
        let before = tx.change_count();
        let result = apply_parent(tx, ctx, &mut index, row);
        let Some((parent, child, created)) = on_line(ctx, *line, result)? else {
            continue;
        };
        let changed = tx.change_count() > before;
        let s = seen.entry(parent).or_default();
        s.created |= created;
        s.changed |= changed;
        if created {
            let name = display_name(tx, parent)?;
            ctx.line(Text::new("import-csv-parent-creation").str("nom", name));
        }
        if changed {
            let (name, child) = (display_name(tx, parent)?, display_name(tx, child)?);
            ctx.line(
                Text::new("import-csv-lien")
                    .str("parent", name)
                    .str("enfant", child)
                    .text("lien", relation_label(row.relation)),
            );
        }
    }
    count(&mut ctx.report.relatives, &seen);
    Ok(())
}

/// Applies one parent–child line; returns the parent, the child and whether the parent was
/// created.
fn apply_parent(
    tx: &mut Tx,
    ctx: &mut Ctx,
    index: &mut ParentIndex,
    row: &ParentRow,
) -> Result<(PersonId, PersonId, bool), RowError> {
    let child_key = (
        key(&row.child_last_name),
        key(&row.child_first_name),
        Some(row.child_birth_date),
    );
    let candidates = index.pupils.get(&child_key).cloned().unwrap_or_default();
    let Some(child) = single(&candidates)? else {
        return Err(RowError::Invalid(
            Text::new("import-csv-enfant-introuvable")
                .str("prenom", row.child_first_name.clone())
                .str("nom", row.child_last_name.clone())
                .str("date", french_date(row.child_birth_date)),
        ));
    };
    let name = (key(&row.last_name), key(&row.first_name));
    let in_file_key = (name.0.clone(), name.1.clone(), row.email.clone());
    let mut found = row
        .email
        .as_ref()
        .and_then(|e| index.by_email.get(e).copied());
    if found.is_none() {
        for ((_, parent), ()) in tx.range(
            &CHILD_PARENTS,
            (child, PersonId(0))..=(child, PersonId(u64::MAX)),
        )? {
            if let Some(p) = tx.get(&PEOPLE, &parent)?
                && (key(&p.last_name), key(&p.first_name)) == name
            {
                found = Some(parent);
                break;
            }
        }
    }
    if found.is_none() {
        found = index.in_file.get(&in_file_key).copied();
    }
    let (parent, created) = match found {
        Some(parent) => {
            update_identity(
                tx,
                parent,
                &row.last_name,
                &row.first_name,
                row.email.as_deref(),
            )?;
            (parent, false)
        }
        None => (
            create(
                tx,
                &row.last_name,
                &row.first_name,
                None,
                Vec::new(),
                row.email.clone(),
            )?,
            true,
        ),
    };
    if let Some(email) = &row.email {
        index.by_email.insert(email.clone(), parent);
    }
    index.in_file.insert(in_file_key, parent);
    service::ensure_profile(tx, parent, ctx.establishment, Role::Parent)?;
    let wanted = ParentLink {
        relation: row.relation,
        parental_authority: true,
        receives_mail: true,
    };
    let current = tx.get(&PARENT_CHILDREN, &(parent, child))?;
    if current.as_ref() != Some(&wanted) {
        if current.is_none() {
            ctx.report.links_created += 1;
        }
        service::link_parent(tx, parent, child, wanted)?;
    }
    Ok((parent, child, created))
}

// ---------------------------------------------------------------------------------------------
// Teachers.
// ---------------------------------------------------------------------------------------------

/// What teachers lines look people and subjects up in.
struct TeacherIndex {
    by_email: HashMap<String, PersonId>,
    by_name: HashMap<(String, String), Vec<PersonId>>,
    /// The establishment's subjects by folded name.
    subjects: HashMap<String, SubjectId>,
}

pub(super) fn apply_teachers(
    tx: &mut Tx,
    ctx: &mut Ctx,
    rows: &[(usize, TeacherRow)],
    classes: &[(String, ClassId)],
) -> Result<(), StoreError> {
    let mut index = TeacherIndex {
        by_email: HashMap::new(),
        by_name: HashMap::new(),
        subjects: HashMap::new(),
    };
    for id in people_with_role(tx, ctx.establishment, Role::Enseignant)? {
        if let Some(p) = tx.get(&PEOPLE, &id)? {
            if let Some(email) = &p.email {
                index.by_email.insert(email.to_lowercase(), id);
            }
            index
                .by_name
                .entry((key(&p.last_name), key(&p.first_name)))
                .or_default()
                .push(id);
        }
    }
    for ((_, id), ()) in tx.range(
        &ESTABLISHMENT_SUBJECTS,
        (ctx.establishment, SubjectId(0))..=(ctx.establishment, SubjectId(u64::MAX)),
    )? {
        if let Some(s) = tx.get(&SUBJECTS, &id)? {
            index.subjects.entry(key(&s.name)).or_insert(id);
        }
    }
    let mut seen: HashMap<PersonId, Seen> = HashMap::new();
    for (line, row) in rows {
        let before = tx.change_count();
        let result = apply_teacher(tx, ctx, &mut index, classes, row);
        let Some((person, created)) = on_line(ctx, *line, result)? else {
            continue;
        };
        let changed = tx.change_count() > before;
        let name = display_name(tx, person)?;
        if created {
            ctx.line(Text::new("import-csv-enseignant-creation").str("nom", name));
        } else if changed {
            ctx.line(Text::new("import-csv-enseignant-mise-a-jour").str("nom", name));
        }
        let s = seen.entry(person).or_default();
        s.created |= created;
        s.changed |= changed;
    }
    count(&mut ctx.report.staff, &seen);
    Ok(())
}

fn apply_teacher(
    tx: &mut Tx,
    ctx: &mut Ctx,
    index: &mut TeacherIndex,
    classes: &[(String, ClassId)],
    row: &TeacherRow,
) -> Result<(PersonId, bool), RowError> {
    let names: Vec<&str> = classes.iter().map(|(n, _)| n.as_str()).collect();
    let mut class_ids = Vec::new();
    for given in &row.classes {
        let id = find_class(given, &names)
            .and_then(|name| classes.iter().find(|(n, _)| n == name))
            .map(|(_, id)| *id)
            .ok_or_else(|| {
                RowError::Invalid(
                    Text::new("import-csv-classe-inconnue").str("classe", given.clone()),
                )
            })?;
        class_ids.push(id);
    }
    let name = (key(&row.last_name), key(&row.first_name));
    let found = match row.email.as_ref().and_then(|e| index.by_email.get(e)) {
        Some(id) => Some(*id),
        None => match index.by_name.get(&name).map(Vec::as_slice) {
            None | Some([]) => None,
            Some([one]) => Some(*one),
            Some(_) => {
                return Err(RowError::Invalid(Text::new(
                    "import-csv-enseignants-homonymes",
                )));
            }
        },
    };
    let (person, created) = match found {
        Some(person) => {
            update_identity(
                tx,
                person,
                &row.last_name,
                &row.first_name,
                row.email.as_deref(),
            )?;
            (person, false)
        }
        None => {
            let person = create(
                tx,
                &row.last_name,
                &row.first_name,
                None,
                Vec::new(),
                row.email.clone(),
            )?;
            index.by_name.entry(name).or_default().push(person);
            if let Some(email) = &row.email {
                index.by_email.insert(email.clone(), person);
            }
            (person, true)
        }
    };
    service::ensure_profile(tx, person, ctx.establishment, Role::Enseignant)?;
    let mut subjects = Vec::new();
    for given in &row.subjects {
        let k = key(given);
        let id = match index.subjects.get(&k) {
            Some(id) => *id,
            None => {
                let id = service::create_subject(
                    tx,
                    Subject {
                        establishment: ctx.establishment,
                        code: None,
                        name: given.clone(),
                    },
                )?;
                index.subjects.insert(k, id);
                ctx.report.subjects_created += 1;
                ctx.line(Text::new("import-csv-matiere-creation").str("matiere", given.clone()));
                id
            }
        };
        subjects.push(id);
    }
    for class in &class_ids {
        for subject in &subjects {
            ensure_teaching(tx, ctx, person, Audience::Class(*class), *subject)?;
        }
    }
    Ok((person, created))
}

fn ensure_teaching(
    tx: &mut Tx,
    ctx: &mut Ctx,
    teacher: PersonId,
    audience: Audience,
    subject: SubjectId,
) -> Result<(), RowError> {
    let created = service::ensure_teaching(
        tx,
        Teaching {
            establishment: ctx.establishment,
            teacher,
            audience,
            subject,
        },
    )?;
    if created {
        ctx.report.teachings_created += 1;
    }
    Ok(())
}
