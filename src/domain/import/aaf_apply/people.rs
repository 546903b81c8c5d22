//! People of the AAF files: pupils, their relatives, staff and teachers, and their teachings.

use std::collections::BTreeSet;

use crate::domain::directory::DirectoryError;
use crate::domain::directory::service::{self, NewPerson};
use crate::domain::import::aaf::{
    Change, Identity, IdentityPatch, Relative, RelativeLink, RelativePatch, Staff, StaffPatch,
    Student, StudentPatch, TeachingRef,
};
use crate::domain::text;
use crate::model::directory::{
    AccountState, Audience, ClassId, EstablishmentId, GroupId, ParentLink, PersonId, Profile, Role,
    StaffFunction, SubjectId, Teaching,
};
use crate::store::Tx;
use crate::store::tables::{
    AAF_STRUCTURES, CHILD_PARENTS, CLASSES, ESTABLISHMENT_SUBJECT_CODES, PARENT_CHILDREN, PEOPLE,
    STUDENT_CLASSES, STUDENT_GROUPS,
};

use super::*;

pub(super) fn identity_patch(i: &Identity) -> IdentityPatch {
    IdentityPatch {
        last_name: Some(i.last_name.clone()),
        first_name: Some(i.first_name.clone()),
        birth_name: Some(i.birth_name.clone()),
        birth_date: Some(i.birth_date),
    }
}

pub(super) fn structure(tx: &Tx, structure_id: &str) -> Result<EstablishmentId, RecordError> {
    match tx.get(&AAF_STRUCTURES, &structure_id.to_owned())? {
        Some(e) => Ok(e),
        None => invalid(fr("aaf-structure-inconnue", &[("id", structure_id.into())])),
    }
}

pub(super) fn person_by_aaf(tx: &Tx, id: &str) -> Result<Option<PersonId>, RecordError> {
    Ok(service::person_by_national_id(tx, "aaf", id)?)
}

pub(super) fn display_name(tx: &Tx, person: PersonId) -> Result<String, RecordError> {
    Ok(tx
        .get(&PEOPLE, &person)?
        .map(|p| p.display_name())
        .unwrap_or_default())
}

/// The names of an identity after the text hygiene of one line (`text::single_line`); a name
/// without a letter (« 😀 », « 123 ») refuses the record, naming the attribute.
fn clean_identity(identity: &IdentityPatch) -> Result<IdentityPatch, RecordError> {
    let clean = |value: &Option<String>, attribute: &str| -> Result<Option<String>, RecordError> {
        let Some(value) = value else {
            return Ok(None);
        };
        let name = text::single_line(value);
        if !text::has_letter(&name) {
            return invalid(fr(
                "aaf-nom-sans-lettre",
                &[
                    ("attribut", attribute.into()),
                    ("valeur", value.as_str().into()),
                ],
            ));
        }
        Ok(Some(name))
    };
    Ok(IdentityPatch {
        last_name: clean(&identity.last_name, "sn")?,
        first_name: clean(&identity.first_name, "givenName")?,
        birth_name: match &identity.birth_name {
            Some(Some(b)) if !text::single_line(b).is_empty() => {
                Some(clean(&Some(b.clone()), "ENTPersonNomPatro")?)
            }
            Some(_) => Some(None),
            None => None,
        },
        birth_date: identity.birth_date,
    })
}

/// Creates (add request) or updates the person with académie key `id`; returns it and whether
/// it was created. `email` and `ine` are `None` when the request does not touch them.
pub(super) fn upsert_person(
    tx: &mut Tx,
    id: &str,
    add: bool,
    identity: &IdentityPatch,
    email: Option<Option<String>>,
    ine: Option<Option<String>>,
) -> Result<(PersonId, bool), RecordError> {
    let identity = &clean_identity(identity)?;
    let aaf = ("aaf".to_owned(), id.to_owned());
    let Some(person) = person_by_aaf(tx, id)? else {
        if !add {
            return invalid(fr("aaf-personne-inconnue", &[]));
        }
        let mut national_ids = vec![aaf];
        if let Some(Some(ine)) = &ine {
            national_ids.push(("ine".to_owned(), ine.clone()));
        }
        let last_name = identity.last_name.clone().unwrap_or_default();
        let id = service::create_person(
            tx,
            NewPerson {
                first_name: identity.first_name.clone().unwrap_or_default(),
                last_name: last_name.clone(),
                birth_date: identity.birth_date.flatten(),
                national_ids,
                email: email.flatten(),
            },
        )?;
        let birth_name = identity
            .birth_name
            .clone()
            .flatten()
            .filter(|b| b.trim() != last_name.trim());
        if birth_name.is_some()
            && let Some(mut p) = tx.get(&PEOPLE, &id)?
        {
            p.birth_name = birth_name;
            service::update_person(tx, id, &p)?;
        }
        return Ok((id, true));
    };
    let old = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
    let mut new = old.clone();
    if let Some(last) = &identity.last_name {
        new.last_name = last.trim().to_owned();
    }
    if let Some(first) = &identity.first_name {
        new.first_name = first.trim().to_owned();
    }
    if let Some(birth_name) = &identity.birth_name {
        new.birth_name = birth_name
            .clone()
            .filter(|b| b.trim() != new.last_name.trim());
    }
    if let Some(birth_date) = identity.birth_date {
        new.birth_date = birth_date;
    }
    if let Some(email) = email {
        new.email = email;
    }
    if let Some(ine) = ine {
        new.national_ids.retain(|(kind, _)| kind != "ine");
        if let Some(ine) = ine {
            new.national_ids.push(("ine".to_owned(), ine));
        }
    }
    if add && matches!(new.state, AccountState::Left(_)) {
        // Back in the académie's export: the account is usable again.
        new.state = if new.password_hash.is_some() {
            AccountState::Active
        } else {
            AccountState::Pending
        };
    }
    if new != old {
        service::update_person(tx, person, &new)?;
    }
    Ok((person, false))
}

pub(super) fn profiles_of(tx: &Tx, person: PersonId) -> Result<Vec<Profile>, RecordError> {
    Ok(service::profiles_in(tx, person)?)
}

/// Marks a person as gone (delete request): state `Left(file date)` unless already left, and
/// the profiles `remove` picks are taken away. The account is kept.
pub(super) fn mark_left(
    tx: &mut Tx,
    ctx: &Ctx,
    person: PersonId,
    remove: impl Fn(Role) -> bool,
) -> Result<(), RecordError> {
    let mut p = tx.get(&PEOPLE, &person)?.ok_or(DirectoryError::NotFound)?;
    if !matches!(p.state, AccountState::Left(_)) {
        p.state = AccountState::Left(ctx.date);
        service::update_person(tx, person, &p)?;
    }
    for profile in profiles_of(tx, person)? {
        if remove(profile.role) {
            service::remove_profile(tx, person, profile.establishment, profile.role)?;
        }
    }
    Ok(())
}

pub(super) fn unknown_delete(ctx: &mut Ctx, id: &str) -> Outcome {
    ctx.report.warnings.push(fr(
        "aaf-suppression-inconnue",
        &[("fichier", ctx.file.as_str().into()), ("id", id.into())],
    ));
    Outcome::Skipped
}

pub(super) fn student_patch(s: &Student) -> StudentPatch {
    StudentPatch {
        identity: identity_patch(&s.identity),
        ine: Some(s.ine.clone()),
        structures: Some(s.structures.clone()),
        attachment_id: Some(s.attachment_id.clone()),
        classes: Some(s.classes.clone()),
        groups: Some(s.groups.clone()),
        mef: Some(s.mef.clone()),
        mef_label: Some(s.mef_label.clone()),
        level: Some(s.level.clone()),
        relatives: Some(s.relatives.clone()),
    }
}

pub(super) fn apply_student(
    tx: &mut Tx,
    ctx: &mut Ctx,
    id: &str,
    change: &Change<Student, StudentPatch>,
) -> Result<Outcome, RecordError> {
    let (patch, add) = match change {
        Change::Add(s) => (student_patch(s), true),
        Change::Modify(p) => (p.clone(), false),
        Change::Delete => {
            let Some(person) = person_by_aaf(tx, id)? else {
                return Ok(unknown_delete(ctx, id));
            };
            for ((_, class), ()) in tx.range(
                &STUDENT_CLASSES,
                (person, ClassId(0))..=(person, ClassId(u64::MAX)),
            )? {
                service::leave_class(tx, person, class)?;
            }
            for ((_, group), ()) in tx.range(
                &STUDENT_GROUPS,
                (person, GroupId(0))..=(person, GroupId(u64::MAX)),
            )? {
                service::leave_group(tx, person, group)?;
            }
            mark_left(tx, ctx, person, |role| role == Role::Eleve)?;
            return Ok(Outcome::Left(display_name(tx, person)?));
        }
    };
    let (person, created) = upsert_person(tx, id, add, &patch.identity, None, patch.ine.clone())?;
    let mut establishments = BTreeSet::new();
    for s in patch.structures.iter().flatten() {
        establishments.insert(structure(tx, s)?);
    }
    for r in patch
        .classes
        .iter()
        .flatten()
        .chain(patch.groups.iter().flatten())
    {
        establishments.insert(structure(tx, &r.structure_id)?);
    }
    for establishment in &establishments {
        service::ensure_profile(tx, person, *establishment, Role::Eleve)?;
    }
    if let Some(classes) = &patch.classes {
        let mut wanted: Vec<(EstablishmentId, ClassId)> = Vec::new();
        for r in classes {
            let establishment = structure(tx, &r.structure_id)?;
            let Some(class) = service::class_by_name(tx, establishment, ctx.year, &r.code)? else {
                return invalid(fr(
                    "aaf-classe-inconnue",
                    &[
                        ("code", r.code.as_str().into()),
                        ("structure", r.structure_id.as_str().into()),
                        ("annee", ctx.year.0.to_string().into()),
                    ],
                ));
            };
            if wanted
                .iter()
                .any(|(e, c)| *e == establishment && *c != class)
            {
                return invalid(fr(
                    "aaf-plusieurs-classes",
                    &[("structure", r.structure_id.as_str().into())],
                ));
            }
            wanted.push((establishment, class));
        }
        let wanted: Vec<ClassId> = wanted.into_iter().map(|(_, c)| c).collect();
        for ((_, class), ()) in tx.range(
            &STUDENT_CLASSES,
            (person, ClassId(0))..=(person, ClassId(u64::MAX)),
        )? {
            let this_year = tx.get(&CLASSES, &class)?.is_none_or(|c| c.year == ctx.year);
            if this_year && !wanted.contains(&class) {
                service::leave_class(tx, person, class)?;
            }
        }
        for class in wanted {
            service::enrol_in_class(tx, person, class)?;
        }
    }
    if let Some(groups) = &patch.groups {
        let mut wanted: Vec<GroupId> = Vec::new();
        for r in groups {
            let establishment = structure(tx, &r.structure_id)?;
            let Some(group) = service::group_by_name(tx, establishment, ctx.year, &r.code)? else {
                return invalid(fr(
                    "aaf-groupe-inconnu",
                    &[
                        ("code", r.code.as_str().into()),
                        ("structure", r.structure_id.as_str().into()),
                        ("annee", ctx.year.0.to_string().into()),
                    ],
                ));
            };
            wanted.push(group);
        }
        for ((_, group), ()) in tx.range(
            &STUDENT_GROUPS,
            (person, GroupId(0))..=(person, GroupId(u64::MAX)),
        )? {
            let this_year = tx
                .get(&crate::store::tables::GROUPS, &group)?
                .is_none_or(|g| g.year == ctx.year);
            if this_year && !wanted.contains(&group) {
                service::leave_group(tx, person, group)?;
            }
        }
        for group in wanted {
            service::enrol_in_group(tx, person, group)?;
        }
    }
    if let Some(links) = &patch.relatives {
        sync_relatives(tx, ctx, id, person, links)?;
    }
    let name = display_name(tx, person)?;
    Ok(if created {
        Outcome::Created(name)
    } else {
        Outcome::Existing(name)
    })
}

/// Makes the pupil's académie parent links exactly `links` (links an administrator made to
/// people without an académie key are kept), and gives each relative a `Parent` profile in
/// the pupil's establishments. A link to an unknown relative is a warning.
pub(super) fn sync_relatives(
    tx: &mut Tx,
    ctx: &mut Ctx,
    student_id: &str,
    student: PersonId,
    links: &[RelativeLink],
) -> Result<(), RecordError> {
    let establishments: Vec<EstablishmentId> = profiles_of(tx, student)?
        .into_iter()
        .filter(|p| p.role == Role::Eleve)
        .map(|p| p.establishment)
        .collect();
    let mut wanted = Vec::new();
    for link in links {
        let Some(parent) = person_by_aaf(tx, &link.relative_id)? else {
            ctx.report.warnings.push(fr(
                "aaf-responsable-inconnu",
                &[
                    ("fichier", ctx.file.as_str().into()),
                    ("id", student_id.into()),
                    ("responsable", link.relative_id.as_str().into()),
                ],
            ));
            continue;
        };
        let authority = link.is_legal_representative();
        let wanted_link = ParentLink {
            relation: link.relation,
            parental_authority: authority,
            receives_mail: authority,
        };
        let current = tx.get(&PARENT_CHILDREN, &(parent, student))?;
        if current.as_ref() != Some(&wanted_link) {
            if current.is_none() {
                ctx.report.links_created += 1;
            }
            service::link_parent(tx, parent, student, wanted_link)?;
        }
        for establishment in &establishments {
            service::ensure_profile(tx, parent, *establishment, Role::Parent)?;
        }
        wanted.push(parent);
    }
    for ((_, parent), ()) in tx.range(
        &CHILD_PARENTS,
        (student, PersonId(0))..=(student, PersonId(u64::MAX)),
    )? {
        let from_aaf = tx
            .get(&PEOPLE, &parent)?
            .is_some_and(|p| p.national_ids.iter().any(|(kind, _)| kind == "aaf"));
        if from_aaf && !wanted.contains(&parent) {
            service::unlink_parent(tx, parent, student)?;
        }
    }
    Ok(())
}

pub(super) fn relative_patch(r: &Relative) -> RelativePatch {
    RelativePatch {
        identity: identity_patch(&r.identity),
        email: Some(r.email.clone()),
        home_phone: Some(r.home_phone.clone()),
        work_phone: Some(r.work_phone.clone()),
        mobile: Some(r.mobile.clone()),
        children: Some(r.children.clone()),
    }
}

pub(super) fn apply_relative(
    tx: &mut Tx,
    ctx: &mut Ctx,
    id: &str,
    change: &Change<Relative, RelativePatch>,
) -> Result<Outcome, RecordError> {
    let (patch, add) = match change {
        Change::Add(r) => (relative_patch(r), true),
        Change::Modify(p) => (p.clone(), false),
        Change::Delete => {
            let Some(person) = person_by_aaf(tx, id)? else {
                return Ok(unknown_delete(ctx, id));
            };
            mark_left(tx, ctx, person, |role| role == Role::Parent)?;
            return Ok(Outcome::Left(display_name(tx, person)?));
        }
    };
    let (person, created) = upsert_person(tx, id, add, &patch.identity, patch.email, None)?;
    let name = display_name(tx, person)?;
    Ok(if created {
        Outcome::Created(name)
    } else {
        Outcome::Existing(name)
    })
}

pub(super) fn staff_patch(s: &Staff) -> StaffPatch {
    StaffPatch {
        identity: identity_patch(&s.identity),
        email: Some(s.email.clone()),
        structures: Some(s.structures.clone()),
        in_front_of_pupils: Some(s.in_front_of_pupils),
        functions: Some(s.functions.clone()),
        teachings: Some(s.teachings.clone()),
        group_teachings: Some(s.group_teachings.clone()),
        head_teacher_of: Some(s.head_teacher_of.clone()),
    }
}

pub(super) fn apply_staff(
    tx: &mut Tx,
    ctx: &mut Ctx,
    id: &str,
    change: &Change<Staff, StaffPatch>,
) -> Result<Outcome, RecordError> {
    let (patch, add) = match change {
        Change::Add(s) => (staff_patch(s), true),
        Change::Modify(p) => (p.clone(), false),
        Change::Delete => {
            let Some(person) = person_by_aaf(tx, id)? else {
                return Ok(unknown_delete(ctx, id));
            };
            mark_left(tx, ctx, person, |role| {
                matches!(role, Role::Enseignant | Role::Personnel(_))
            })?;
            return Ok(Outcome::Left(display_name(tx, person)?));
        }
    };
    let (person, created) = upsert_person(tx, id, add, &patch.identity, patch.email.clone(), None)?;
    if patch.structures.is_some() || patch.functions.is_some() || patch.in_front_of_pupils.is_some()
    {
        let functions = patch.functions.clone().unwrap_or_default();
        let teacher =
            patch.in_front_of_pupils.unwrap_or(false) || functions.iter().any(|f| f.is_teaching());
        let mut establishments = BTreeSet::new();
        for s in patch.structures.iter().flatten() {
            establishments.insert(structure(tx, s)?);
        }
        let mut staff_roles: Vec<(EstablishmentId, Role)> = Vec::new();
        for f in &functions {
            let establishment = structure(tx, &f.structure_id)?;
            establishments.insert(establishment);
            if matches!(f.role, Role::Personnel(_))
                && !staff_roles.iter().any(|(e, _)| *e == establishment)
            {
                staff_roles.push((establishment, f.role));
            }
        }
        for establishment in establishments {
            let staff_role = staff_roles
                .iter()
                .find(|(e, _)| *e == establishment)
                .map(|(_, r)| *r);
            if teacher {
                service::ensure_profile(tx, person, establishment, Role::Enseignant)?;
            }
            match staff_role {
                Some(role) => service::ensure_profile(tx, person, establishment, role)?,
                None if !teacher => service::ensure_profile(
                    tx,
                    person,
                    establishment,
                    Role::Personnel(StaffFunction::Autre),
                )?,
                None => {}
            }
        }
    }
    for t in patch.teachings.iter().flatten() {
        let (establishment, subject) = teaching_parts(tx, t)?;
        let Some(class) = service::class_by_name(tx, establishment, ctx.year, &t.audience)? else {
            return invalid(fr(
                "aaf-classe-inconnue-enseignement",
                &[
                    ("code", t.audience.as_str().into()),
                    ("structure", t.structure_id.as_str().into()),
                    ("matiere", t.subject_code.as_str().into()),
                ],
            ));
        };
        ensure_teaching(
            tx,
            ctx,
            person,
            establishment,
            Audience::Class(class),
            subject,
        )?;
    }
    for t in patch.group_teachings.iter().flatten() {
        let (establishment, subject) = teaching_parts(tx, t)?;
        let Some(group) = service::group_by_name(tx, establishment, ctx.year, &t.audience)? else {
            return invalid(fr(
                "aaf-groupe-inconnu-enseignement",
                &[
                    ("code", t.audience.as_str().into()),
                    ("structure", t.structure_id.as_str().into()),
                    ("matiere", t.subject_code.as_str().into()),
                ],
            ));
        };
        ensure_teaching(
            tx,
            ctx,
            person,
            establishment,
            Audience::Group(group),
            subject,
        )?;
    }
    for r in patch.head_teacher_of.iter().flatten() {
        let establishment = structure(tx, &r.structure_id)?;
        let Some(class) = service::class_by_name(tx, establishment, ctx.year, &r.code)? else {
            return invalid(fr(
                "aaf-classe-inconnue-pp",
                &[
                    ("code", r.code.as_str().into()),
                    ("structure", r.structure_id.as_str().into()),
                ],
            ));
        };
        if let Some(mut c) = tx.get(&CLASSES, &class)?
            && c.head_teacher != Some(person)
        {
            c.head_teacher = Some(person);
            tx.insert(&CLASSES, &class, &c)?;
            ctx.report.head_teachers_set += 1;
        }
    }
    let name = display_name(tx, person)?;
    Ok(if created {
        Outcome::Created(name)
    } else {
        Outcome::Existing(name)
    })
}

pub(super) fn teaching_parts(
    tx: &Tx,
    t: &TeachingRef,
) -> Result<(EstablishmentId, SubjectId), RecordError> {
    let establishment = structure(tx, &t.structure_id)?;
    match tx.get(
        &ESTABLISHMENT_SUBJECT_CODES,
        &(establishment, t.subject_code.clone()),
    )? {
        Some(subject) => Ok((establishment, subject)),
        None => invalid(fr(
            "aaf-matiere-inconnue",
            &[("code", t.subject_code.as_str().into())],
        )),
    }
}

pub(super) fn ensure_teaching(
    tx: &mut Tx,
    ctx: &mut Ctx,
    teacher: PersonId,
    establishment: EstablishmentId,
    audience: Audience,
    subject: SubjectId,
) -> Result<(), RecordError> {
    let created = service::ensure_teaching(
        tx,
        Teaching {
            establishment,
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
