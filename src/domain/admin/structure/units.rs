//! Classes and groups: their lists, pages, pupils, head teacher, teachings; creating,
//! renaming and deleting them.

use super::*;

/// A class or group as its establishment's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRow {
    /// The class or group.
    pub id: Audience,
    /// Its name.
    pub name: String,
    /// A class's level ("5e"); empty for a group.
    pub level: String,
    /// A class's head teacher.
    pub head_teacher: Option<PersonSummary>,
    /// How many pupils it has.
    pub pupils: usize,
}

/// The classes (or groups) of an establishment for one school year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitList {
    /// The establishment.
    pub establishment: EstablishmentItem,
    /// The school year.
    pub year: SchoolYear,
    /// Its classes or groups, by name.
    pub units: Vec<UnitRow>,
}

/// The classes or groups of `establishment` in `year`, with their pupil counts (one range read
/// per class or group), for an administrator of it.
pub fn units(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    kind: UnitKind,
    year: SchoolYear,
) -> Result<UnitList, AdminError> {
    let read = store.read()?;
    let item = administered_establishment(&read, actor, establishment)?;
    let mut ids = Vec::new();
    match kind {
        UnitKind::Class => {
            for row in read.scan_prefix(&ESTABLISHMENT_CLASS_NAMES, &(establishment, year))? {
                let (_, class) = row?;
                ids.push(Audience::Class(class));
            }
        }
        UnitKind::Group => {
            for row in read.scan_prefix(&ESTABLISHMENT_GROUPS, &(establishment,))? {
                let ((_, group), ()) = row?;
                ids.push(Audience::Group(group));
            }
        }
    }
    let mut units = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(unit) = load_unit(&read, id)? else {
            continue;
        };
        if unit.year != year {
            continue;
        }
        let pupils = match id {
            Audience::Class(c) => read.scan_prefix(&CLASS_STUDENTS, &(c,))?.count(),
            Audience::Group(g) => read.scan_prefix(&GROUP_STUDENTS, &(g,))?.count(),
        };
        let head_teacher = match unit.head_teacher {
            Some(p) => summary(&read, p)?,
            None => None,
        };
        units.push(UnitRow {
            id,
            name: unit.name,
            level: unit.level,
            head_teacher,
            pupils,
        });
    }
    units.sort_by_key(|u| french_key(&u.name));
    Ok(UnitList {
        establishment: item,
        year,
        units,
    })
}

/// A pupil of a class or group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Who.
    pub person: PersonSummary,
    /// Their login.
    pub login: String,
}

/// A subject to choose in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectChoice {
    /// The subject.
    pub id: SubjectId,
    /// Its name.
    pub name: String,
}

/// A class or group as its administration page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitView {
    /// The class or group.
    pub id: Audience,
    /// Its establishment.
    pub establishment: EstablishmentItem,
    /// Its school year.
    pub year: SchoolYear,
    /// Its name.
    pub name: String,
    /// A class's level; empty for a group.
    pub level: String,
    /// A class's head teacher.
    pub head_teacher: Option<PersonId>,
    /// Its pupils, sorted by name.
    pub pupils: Vec<Member>,
    /// Who teaches it what.
    pub teachings: Vec<TeachingRow>,
    /// The establishment's teachers, sorted by name (head teacher and teaching choices).
    pub teachers: Vec<PersonSummary>,
    /// The establishment's subjects, by name.
    pub subjects: Vec<SubjectChoice>,
}

/// The class or group `id` with its pupils and teachings, for an administrator of its
/// establishment.
pub fn unit(store: &Store, actor: &Actor, id: Audience) -> Result<UnitView, AdminError> {
    let read = store.read()?;
    let unit = administered_unit(&read, actor, id)?;
    let establishment = administered_establishment(&read, actor, unit.establishment)?;
    let mut member_ids = Vec::new();
    let mut teaching_ids = Vec::new();
    match id {
        Audience::Class(c) => {
            for row in read.scan_prefix(&CLASS_STUDENTS, &(c,))? {
                member_ids.push(row?.0.1);
            }
            for row in read.scan_prefix(&CLASS_TEACHINGS, &(c,))? {
                teaching_ids.push(row?.0.1);
            }
        }
        Audience::Group(g) => {
            for row in read.scan_prefix(&GROUP_STUDENTS, &(g,))? {
                member_ids.push(row?.0.1);
            }
            for row in read.scan_prefix(&GROUP_TEACHINGS, &(g,))? {
                teaching_ids.push(row?.0.1);
            }
        }
    }
    let mut pupils = Vec::with_capacity(member_ids.len());
    for p in member_ids {
        if let Some(person) = read.get(&PEOPLE, &p)? {
            pupils.push(Member {
                person: PersonSummary {
                    id: p,
                    first_name: person.first_name,
                    last_name: person.last_name,
                },
                login: person.login,
            });
        }
    }
    pupils.sort_by(|a, b| by_name(&a.person, &b.person));
    let mut teachings = Vec::with_capacity(teaching_ids.len());
    for t in teaching_ids {
        if let Some(teaching) = read.get(&TEACHINGS, &t)? {
            teachings.push(teaching_row(&read, t, &teaching)?);
        }
    }
    sort_teachings(&mut teachings);
    let mut teachers = Vec::new();
    for row in read.scan_prefix(
        &ESTABLISHMENT_PEOPLE,
        &(unit.establishment, Role::Enseignant.code()),
    )? {
        let ((_, _, p), ()) = row?;
        teachers.extend(summary(&read, p)?);
    }
    teachers.sort_by(by_name);
    let subjects = subject_choices(&read, unit.establishment)?;
    Ok(UnitView {
        id,
        establishment,
        year: unit.year,
        name: unit.name,
        level: unit.level,
        head_teacher: unit.head_teacher,
        pupils,
        teachings,
        teachers,
        subjects,
    })
}

fn subject_choices(
    read: &ReadTx,
    establishment: EstablishmentId,
) -> Result<Vec<SubjectChoice>, StoreError> {
    let mut out = Vec::new();
    for row in read.scan_prefix(&ESTABLISHMENT_SUBJECTS, &(establishment,))? {
        let ((_, id), ()) = row?;
        if let Some(s) = read.get(&SUBJECTS, &id)? {
            out.push(SubjectChoice { id, name: s.name });
        }
    }
    out.sort_by_key(|s| french_key(&s.name));
    Ok(out)
}

/// What a class or group form gives: a name and, for a class, a level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitInput {
    /// The name ("5B", "4e LV2 espagnol").
    pub name: String,
    /// A class's level ("5e"); ignored for a group.
    pub level: String,
}

/// The checked name and level of `input` for a kind of unit.
fn checked_unit(kind: UnitKind, input: &UnitInput) -> Result<(String, String), AdminError> {
    match kind {
        UnitKind::Class => {
            let name = checked_name(&input.name, CLASS_NAME_MAX, "structure-classe-nom-long")?;
            let level = crate::domain::text::single_line(&input.level);
            if level.chars().count() > LEVEL_MAX {
                return invalid("niveau", "structure-niveau-long");
            }
            Ok((name, level))
        }
        UnitKind::Group => Ok((
            checked_name(&input.name, GROUP_NAME_MAX, "structure-groupe-nom-long")?,
            String::new(),
        )),
    }
}

/// The class or group of `establishment` and `year` called `name` (accents and case folded).
fn unit_by_name(
    tx: &Tx,
    kind: UnitKind,
    establishment: EstablishmentId,
    year: SchoolYear,
    name: &str,
) -> Result<Option<Audience>, AdminError> {
    Ok(match kind {
        UnitKind::Class => {
            service::class_by_name(tx, establishment, year, name)?.map(Audience::Class)
        }
        UnitKind::Group => {
            service::group_by_name(tx, establishment, year, name)?.map(Audience::Group)
        }
    })
}

fn exists_key(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Class => "structure-classe-existe",
        UnitKind::Group => "structure-groupe-existe",
    }
}

/// Creates a class or group of `establishment` for `year`; its name must be free there that
/// year.
pub fn create_unit(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    kind: UnitKind,
    year: SchoolYear,
    input: &UnitInput,
    stamp: Stamp<'_>,
) -> Result<Audience, AdminError> {
    store.write(|tx| {
        administered_establishment(tx, actor, establishment)?;
        let (name, level) = checked_unit(kind, input)?;
        if unit_by_name(tx, kind, establishment, year, &name)?.is_some() {
            return invalid("nom", exists_key(kind));
        }
        let (id, change) = match kind {
            UnitKind::Class => {
                let class = service::create_class(
                    tx,
                    Class {
                        establishment,
                        year,
                        name,
                        level,
                        head_teacher: None,
                    },
                )?;
                (
                    Audience::Class(class),
                    StructureChange::ClassCreated { class },
                )
            }
            UnitKind::Group => {
                let group = service::create_group(
                    tx,
                    Group {
                        establishment,
                        year,
                        name,
                    },
                )?;
                (
                    Audience::Group(group),
                    StructureChange::GroupCreated { group },
                )
            }
        };
        record(tx, actor, stamp, establishment, change)?;
        Ok(id)
    })
}

/// Renames a class or group (and sets a class's level); the new name must be free in its
/// establishment that year.
pub fn edit_unit(
    store: &Store,
    actor: &Actor,
    id: Audience,
    input: &UnitInput,
    stamp: Stamp<'_>,
) -> Result<(), AdminError> {
    let kind = UnitKind::of(id);
    store.write(|tx| {
        let unit = administered_unit(tx, actor, id)?;
        let (name, level) = checked_unit(kind, input)?;
        if name == unit.name && level == unit.level {
            return Ok(());
        }
        if let Some(other) = unit_by_name(tx, kind, unit.establishment, unit.year, &name)?
            && other != id
        {
            return invalid("nom", exists_key(kind));
        }
        let change = match id {
            Audience::Class(class) => {
                service::rename_class(tx, class, &name, &level)?;
                StructureChange::ClassEdited { class }
            }
            Audience::Group(group) => {
                service::rename_group(tx, group, &name)?;
                StructureChange::GroupEdited { group }
            }
        };
        record(tx, actor, stamp, unit.establishment, change)?;
        Ok(())
    })
}

/// Checks a teacher chosen in a list: "not found" unless they have a profile in the
/// establishment (an id from elsewhere reveals nothing), "not a teacher" for someone of the
/// establishment who does not teach there.
fn chosen_teacher(
    tx: &Tx,
    establishment: EstablishmentId,
    person: PersonId,
    field: &'static str,
) -> Result<(), AdminError> {
    let profiles = tx.range(
        &PERSON_PROFILES,
        (person, establishment, 0)..=(person, establishment, u8::MAX),
    )?;
    if profiles.is_empty() {
        return Err(AdminError::NotFound);
    }
    if !profiles.iter().any(|(_, p)| p.role == Role::Enseignant) {
        return invalid(field, "structure-pas-enseignant");
    }
    Ok(())
}

/// Names (or clears, with `None`) a class's head teacher, who must teach in its establishment.
pub fn set_head_teacher(
    store: &Store,
    actor: &Actor,
    class: ClassId,
    teacher: Option<PersonId>,
    stamp: Stamp<'_>,
) -> Result<(), AdminError> {
    store.write(|tx| {
        let unit = administered_unit(tx, actor, Audience::Class(class))?;
        if let Some(t) = teacher {
            chosen_teacher(tx, unit.establishment, t, "professeur_principal")?;
        }
        if unit.head_teacher == teacher {
            return Ok(());
        }
        service::set_head_teacher(tx, class, teacher)?;
        record(
            tx,
            actor,
            stamp,
            unit.establishment,
            StructureChange::ClassEdited { class },
        )?;
        Ok(())
    })
}

/// What adding a pupil did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Added {
    /// The classes of the same year the pupil was taken out of (a move).
    pub left: Vec<String>,
}

/// The pupil of `establishment` with this login. Unknown, or without any profile there: "unknown
/// login" (an administrator learns nothing about other establishments' people); a profile but
/// not a pupil: "not a pupil".
fn pupil_by_login(
    tx: &Tx,
    establishment: EstablishmentId,
    login: &str,
) -> Result<PersonId, AdminError> {
    let login = login.trim().to_lowercase();
    if login.is_empty() {
        return invalid("identifiant", "structure-identifiant-obligatoire");
    }
    let unknown = || invalid("identifiant", "structure-identifiant-inconnu");
    let Some(person) = tx.get(&LOGIN_TO_PERSON, &login)? else {
        return unknown();
    };
    let profiles = tx.range(
        &PERSON_PROFILES,
        (person, establishment, 0)..=(person, establishment, u8::MAX),
    )?;
    if profiles.is_empty() {
        return unknown();
    }
    if !profiles.iter().any(|(_, p)| p.role == Role::Eleve) {
        return invalid("identifiant", "structure-pas-eleve");
    }
    Ok(person)
}

/// Adds the pupil with `login` (a pupil of the establishment) to a class or group. For a
/// class, the pupil leaves any other class of the same establishment and year (audited too).
pub fn add_pupil(
    store: &Store,
    actor: &Actor,
    id: Audience,
    login: &str,
    stamp: Stamp<'_>,
) -> Result<Added, AdminError> {
    store.write(|tx| {
        let unit = administered_unit(tx, actor, id)?;
        let pupil = pupil_by_login(tx, unit.establishment, login)?;
        let member = match id {
            Audience::Class(c) => tx.get(&CLASS_STUDENTS, &(c, pupil))?.is_some(),
            Audience::Group(g) => tx.get(&GROUP_STUDENTS, &(g, pupil))?.is_some(),
        };
        if member {
            return invalid("identifiant", "structure-deja-membre");
        }
        let mut added = Added::default();
        match id {
            Audience::Class(class) => {
                for old in service::move_to_class(tx, pupil, class)? {
                    added.left.push(unit_name(tx, Audience::Class(old))?);
                    record(
                        tx,
                        actor,
                        stamp,
                        unit.establishment,
                        StructureChange::PupilRemovedFromClass { class: old, pupil },
                    )?;
                }
                record(
                    tx,
                    actor,
                    stamp,
                    unit.establishment,
                    StructureChange::PupilAddedToClass { class, pupil },
                )?;
            }
            Audience::Group(group) => {
                service::enrol_in_group(tx, pupil, group)?;
                record(
                    tx,
                    actor,
                    stamp,
                    unit.establishment,
                    StructureChange::PupilAddedToGroup { group, pupil },
                )?;
            }
        }
        Ok(added)
    })
}

/// Takes a pupil out of a class or group; "not found" if they are not in it.
pub fn remove_pupil(
    store: &Store,
    actor: &Actor,
    id: Audience,
    pupil: PersonId,
    stamp: Stamp<'_>,
) -> Result<(), AdminError> {
    store.write(|tx| {
        let unit = administered_unit(tx, actor, id)?;
        let change = match id {
            Audience::Class(class) => {
                tx.get(&CLASS_STUDENTS, &(class, pupil))?
                    .ok_or(AdminError::NotFound)?;
                service::leave_class(tx, pupil, class)?;
                StructureChange::PupilRemovedFromClass { class, pupil }
            }
            Audience::Group(group) => {
                tx.get(&GROUP_STUDENTS, &(group, pupil))?
                    .ok_or(AdminError::NotFound)?;
                service::leave_group(tx, pupil, group)?;
                StructureChange::PupilRemovedFromGroup { group, pupil }
            }
        };
        record(tx, actor, stamp, unit.establishment, change)?;
        Ok(())
    })
}

fn unit_teachings(tx: &Tx, id: Audience) -> Result<Vec<TeachingId>, StoreError> {
    Ok(match id {
        Audience::Class(c) => tx
            .range(
                &CLASS_TEACHINGS,
                (c, TeachingId(0))..=(c, TeachingId(u64::MAX)),
            )?
            .into_iter()
            .map(|((_, t), ())| t)
            .collect(),
        Audience::Group(g) => tx
            .range(
                &GROUP_TEACHINGS,
                (g, TeachingId(0))..=(g, TeachingId(u64::MAX)),
            )?
            .into_iter()
            .map(|((_, t), ())| t)
            .collect(),
    })
}

/// Records that `teacher` (a teacher of the establishment) teaches `subject` (one of its
/// subjects) to a class or group; the same teaching may not be there twice.
pub fn add_teaching(
    store: &Store,
    actor: &Actor,
    id: Audience,
    teacher: PersonId,
    subject: SubjectId,
    stamp: Stamp<'_>,
) -> Result<TeachingId, AdminError> {
    store.write(|tx| {
        let unit = administered_unit(tx, actor, id)?;
        chosen_teacher(tx, unit.establishment, teacher, "enseignant")?;
        if tx
            .get(&SUBJECTS, &subject)?
            .is_none_or(|s| s.establishment != unit.establishment)
        {
            // An id from another establishment (or none): nothing to say about it.
            return Err(AdminError::NotFound);
        }
        for t in unit_teachings(tx, id)? {
            if tx
                .get(&TEACHINGS, &t)?
                .is_some_and(|t| t.teacher == teacher && t.subject == subject)
            {
                return invalid("enseignant", "structure-enseignement-existe");
            }
        }
        let teaching = service::create_teaching(
            tx,
            Teaching {
                establishment: unit.establishment,
                teacher,
                audience: id,
                subject,
            },
        )?;
        record(
            tx,
            actor,
            stamp,
            unit.establishment,
            StructureChange::TeachingAdded {
                teaching,
                teacher,
                subject,
                audience: id,
            },
        )?;
        Ok(teaching)
    })
}

/// Removes a teaching of a class or group; "not found" if it is not one of theirs.
pub fn remove_teaching(
    store: &Store,
    actor: &Actor,
    id: Audience,
    teaching: TeachingId,
    stamp: Stamp<'_>,
) -> Result<(), AdminError> {
    store.write(|tx| {
        let unit = administered_unit(tx, actor, id)?;
        let t = tx
            .get(&TEACHINGS, &teaching)?
            .filter(|t| t.audience == id)
            .ok_or(AdminError::NotFound)?;
        service::remove_teaching(tx, teaching)?;
        record(
            tx,
            actor,
            stamp,
            unit.establishment,
            StructureChange::TeachingRemoved {
                teaching,
                teacher: t.teacher,
                subject: t.subject,
                audience: id,
            },
        )?;
        Ok(())
    })
}

/// Deletes a class or group that has no pupils and no teachings; returns its establishment.
pub fn delete_unit(
    store: &Store,
    actor: &Actor,
    id: Audience,
    stamp: Stamp<'_>,
) -> Result<EstablishmentId, AdminError> {
    store.write(|tx| {
        let unit = administered_unit(tx, actor, id)?;
        let has_pupils = match id {
            Audience::Class(c) => !tx
                .range(&CLASS_STUDENTS, (c, PersonId(0))..=(c, PersonId(u64::MAX)))?
                .is_empty(),
            Audience::Group(g) => !tx
                .range(&GROUP_STUDENTS, (g, PersonId(0))..=(g, PersonId(u64::MAX)))?
                .is_empty(),
        };
        let kind = UnitKind::of(id);
        if has_pupils {
            return invalid(
                "supprimer",
                match kind {
                    UnitKind::Class => "structure-classe-a-des-eleves",
                    UnitKind::Group => "structure-groupe-a-des-eleves",
                },
            );
        }
        if !unit_teachings(tx, id)?.is_empty() {
            return invalid(
                "supprimer",
                match kind {
                    UnitKind::Class => "structure-classe-a-des-enseignements",
                    UnitKind::Group => "structure-groupe-a-des-enseignements",
                },
            );
        }
        let change = match id {
            Audience::Class(c) => StructureChange::ClassDeleted {
                name: service::delete_class(tx, c)?.name,
            },
            Audience::Group(g) => StructureChange::GroupDeleted {
                name: service::delete_group(tx, g)?.name,
            },
        };
        record(tx, actor, stamp, unit.establishment, change)?;
        Ok(unit.establishment)
    })
}
