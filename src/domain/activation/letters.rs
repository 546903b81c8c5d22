//! Printing credential letters: for one person, a class (its pupils and their parents) or a
//! whole establishment (staff first, then class by class, each pupil followed by their
//! parents). Only accounts still waiting for activation get a letter; each letter carries a new
//! code that replaces the person's earlier one.
//!
//! The PDF is rendered before anything is written: if rendering fails, the codes already handed
//! out keep working. Then one transaction stores every code (hashed) and audits each letter.

use std::collections::HashSet;

use crate::clock::paris;
use jiff::Timestamp;

use super::codes::{CodeReason, OneTimeCode};
use super::letter_pdf::{self, Letter, LetterAudience};
use crate::domain::accounts::audit::{self, AuditAction, AuditEvent};
use crate::domain::admin::{self, AdminError};
use crate::domain::directory::policy;
use crate::domain::text::french_key;
use crate::model::Actor;
use crate::model::Origin;
use crate::model::directory::{
    AccountState, ClassId, Establishment, EstablishmentId, Person, PersonId, Role,
};
use crate::store::tables::{
    ACTIVATION_CODES, CHILD_PARENTS, CLASS_STUDENTS, CLASSES, ESTABLISHMENT_CLASSES,
    ESTABLISHMENT_PEOPLE, PARENT_CHILDREN, PEOPLE, PERSON_PROFILES, STUDENT_CLASSES,
};
use crate::store::{ReadTx, Store, StoreError};

/// Whose letters to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterScope {
    /// Everyone waiting in the establishment.
    Establishment,
    /// The pupils of a class and their parents.
    Class(ClassId),
    /// One person.
    Person(PersonId),
}

/// A printed batch.
pub struct PrintedLetters {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// How many letters (pages).
    pub count: usize,
    /// Pending accounts left out because they also belong to an establishment the actor does
    /// not administer.
    pub shared: usize,
    /// A file name for the download, ASCII: `courriers-5B.pdf`.
    pub file_name: String,
}

/// What printing needs besides the actor and the scope.
pub struct PrintSettings<'a> {
    /// The instance's address, printed on the letters.
    pub instance_url: &'a str,
    /// How long the codes work.
    pub lifetime: std::time::Duration,
    /// Who is asking, for the audit.
    pub client: &'a Origin,
    /// Now.
    pub now: Timestamp,
}

/// How many accounts of a class (or of the staff) still wait for activation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCount {
    /// The class (`None`: staff and teachers).
    pub class: Option<(ClassId, String)>,
    /// Pupils waiting.
    pub pupils: usize,
    /// Parents waiting (counted with their first child's class).
    pub parents: usize,
    /// Staff and teachers waiting.
    pub staff: usize,
}

struct Entry {
    person: PersonId,
    p: Person,
    audience: LetterAudience,
}

/// Letters for everyone in `scope` whose account waits for activation.
pub fn print(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
    scope: LetterScope,
    settings: &PrintSettings<'_>,
) -> Result<PrintedLetters, AdminError> {
    let read = store.read()?;
    let e = admin::policy::administered_establishment(&read, actor, establishment)?
        .ok_or(AdminError::NotFound)?;
    let (entries, file_name) = match scope {
        LetterScope::Establishment => (
            establishment_entries(&read, establishment)?,
            format!("courriers-{}.pdf", e.uai),
        ),
        LetterScope::Class(class) => {
            let c = read
                .get(&CLASSES, &class)?
                .filter(|c| c.establishment == establishment)
                .ok_or(AdminError::NotFound)?;
            let mut printed = HashSet::new();
            let mut out = Vec::new();
            class_entries(&read, establishment, class, &mut printed, &mut out)?;
            (out, format!("courriers-{}.pdf", ascii_name(&c.name)))
        }
        LetterScope::Person(person) => {
            let p = read.get(&PEOPLE, &person)?.ok_or(AdminError::NotFound)?;
            let roles = roles_in(&read, person, establishment)?;
            if roles.is_empty() {
                return Err(AdminError::NotFound);
            }
            if p.state != AccountState::Pending {
                return Err(AdminError::Invalid {
                    field: "personne",
                    key: "courriers-erreur-deja-active",
                });
            }
            let audience = audience_of(&read, person, establishment, &roles)?;
            let name = ascii_name(&p.login);
            (
                vec![Entry {
                    person,
                    p,
                    audience,
                }],
                format!("courrier-{name}.pdf"),
            )
        }
    };
    // An activation code opens the account in every school of the person: only for people
    // all of whose establishments the actor administers (issue 12 §1); the others' letters come
    // from the platform administrator.
    let mut entries = entries;
    let before = entries.len();
    let mut kept = Vec::with_capacity(before);
    for entry in entries.drain(..) {
        if policy::admin_reach(&read, actor, entry.person)?.full() {
            kept.push(entry);
        }
    }
    let entries = kept;
    let shared = before - entries.len();
    drop(read);
    if matches!(scope, LetterScope::Person(_)) && shared > 0 {
        return Err(AdminError::Forbidden);
    }
    if entries.is_empty() {
        return Err(AdminError::Invalid {
            field: "portee",
            key: "courriers-erreur-aucun",
        });
    }
    let now = settings.now;
    let expires = now
        .checked_add(
            jiff::SignedDuration::try_from(settings.lifetime)
                .map_err(|e| StoreError::Diverged(format!("code lifetime: {e}")))?,
        )
        .map_err(|e| StoreError::Diverged(format!("code expiry: {e}")))?;
    let expires_on = crate::domain::text::french_date(expires.to_zoned(paris()).date());
    let mut codes = Vec::with_capacity(entries.len());
    let mut letters = Vec::with_capacity(entries.len());
    for entry in entries {
        let code = OneTimeCode::generate()?;
        letters.push(letter(
            &e,
            settings.instance_url,
            &entry,
            &code,
            &expires_on,
        ));
        codes.push((entry.person, code));
    }
    let pdf = letter_pdf::render(&letters).map_err(|err| {
        tracing::error!(error = %err, "credential letters could not be rendered");
        AdminError::Store(StoreError::Diverged(format!("PDF: {err}")))
    })?;
    store.write(|tx| {
        for (person, code) in &codes {
            // Checked again here: someone may have activated meanwhile.
            let Some(p) = tx.get(&PEOPLE, person)? else {
                continue;
            };
            if p.state != AccountState::Pending {
                continue;
            }
            tx.insert(
                &ACTIVATION_CODES,
                person,
                &code.stored(now, settings.lifetime, CodeReason::Letter)?,
            )?;
            audit::record(
                tx,
                AuditEvent {
                    at: now,
                    action: AuditAction::ActivationCodeIssued { target: *person },
                    person: actor.person,
                    login: p.login.clone(),
                    ip: settings.client.ip.clone(),
                    user_agent: settings.client.user_agent.clone(),
                },
            )?;
        }
        Ok::<_, StoreError>(())
    })?;
    Ok(PrintedLetters {
        pdf,
        count: codes.len(),
        shared,
        file_name,
    })
}

/// Letters, ASCII, for a file name: "5e B" → "5e-B".
fn ascii_name(s: &str) -> String {
    let folded = deunicode::deunicode(s);
    let name: String = folded
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = name.trim_matches('-').to_owned();
    if name.is_empty() { "x".into() } else { name }
}

fn letter(
    e: &Establishment,
    instance_url: &str,
    entry: &Entry,
    code: &OneTimeCode,
    expires_on: &str,
) -> Letter {
    Letter {
        establishment: e.name.clone(),
        establishment_town: e.town.clone(),
        instance_url: instance_url.trim_end_matches('/').to_owned(),
        full_name: entry.p.display_name(),
        audience: entry.audience.clone(),
        login: entry.p.login.clone(),
        code: code.0.clone(),
        expires_on: expires_on.to_owned(),
    }
}

fn roles_in(
    read: &ReadTx,
    person: PersonId,
    establishment: EstablishmentId,
) -> Result<Vec<Role>, StoreError> {
    read.scan_prefix(&PERSON_PROFILES, &(person, establishment))?
        .map(|r| r.map(|(_, p)| p.role))
        .collect()
}

/// A pupil's class in the establishment (the latest school year's).
fn class_of(
    read: &ReadTx,
    pupil: PersonId,
    establishment: EstablishmentId,
) -> Result<Option<String>, StoreError> {
    let mut best: Option<(crate::model::directory::SchoolYear, String)> = None;
    for row in read.scan_prefix(&STUDENT_CLASSES, &(pupil,))? {
        let ((_, class), ()) = row?;
        if let Some(c) = read.get(&CLASSES, &class)?
            && c.establishment == establishment
            && best.as_ref().is_none_or(|(y, _)| c.year > *y)
        {
            best = Some((c.year, c.name));
        }
    }
    Ok(best.map(|(_, name)| name))
}

fn audience_of(
    read: &ReadTx,
    person: PersonId,
    establishment: EstablishmentId,
    roles: &[Role],
) -> Result<LetterAudience, StoreError> {
    if roles.contains(&Role::Eleve) {
        return Ok(LetterAudience::Eleve {
            class: class_of(read, person, establishment)?,
        });
    }
    if roles.contains(&Role::Parent) {
        let mut children = Vec::new();
        for row in read.scan_prefix(&PARENT_CHILDREN, &(person,))? {
            let ((_, child), _) = row?;
            if !roles_in(read, child, establishment)?.contains(&Role::Eleve) {
                continue;
            }
            if let Some(c) = read.get(&PEOPLE, &child)? {
                let class = class_of(read, child, establishment)?;
                children.push(match class {
                    Some(class) => format!("{} ({class})", c.display_name()),
                    None => c.display_name(),
                });
            }
        }
        return Ok(LetterAudience::Parent { children });
    }
    Ok(LetterAudience::Personnel)
}

fn sort_by_name(ids: &mut [(PersonId, Person)]) {
    ids.sort_by(|(_, a), (_, b)| {
        french_key(&a.last_name)
            .cmp(&french_key(&b.last_name))
            .then_with(|| french_key(&a.first_name).cmp(&french_key(&b.first_name)))
    });
}

/// A pupil's letter if pending, then their pending parents' not yet printed.
fn pupil_and_parents(
    read: &ReadTx,
    establishment: EstablishmentId,
    pupil: PersonId,
    p: Person,
    printed: &mut HashSet<PersonId>,
    out: &mut Vec<Entry>,
) -> Result<(), StoreError> {
    if p.state == AccountState::Pending && printed.insert(pupil) {
        out.push(Entry {
            person: pupil,
            audience: LetterAudience::Eleve {
                class: class_of(read, pupil, establishment)?,
            },
            p,
        });
    }
    let mut parents = Vec::new();
    for row in read.scan_prefix(&CHILD_PARENTS, &(pupil,))? {
        let ((_, parent), ()) = row?;
        if printed.contains(&parent) {
            continue;
        }
        let Some(pp) = read.get(&PEOPLE, &parent)? else {
            continue;
        };
        let roles = roles_in(read, parent, establishment)?;
        if pp.state == AccountState::Pending && roles.contains(&Role::Parent) {
            parents.push((parent, pp));
        }
    }
    sort_by_name(&mut parents);
    for (parent, pp) in parents {
        printed.insert(parent);
        let audience = audience_of(read, parent, establishment, &[Role::Parent])?;
        out.push(Entry {
            person: parent,
            p: pp,
            audience,
        });
    }
    Ok(())
}

fn class_entries(
    read: &ReadTx,
    establishment: EstablishmentId,
    class: ClassId,
    printed: &mut HashSet<PersonId>,
    out: &mut Vec<Entry>,
) -> Result<(), StoreError> {
    let mut pupils = Vec::new();
    for row in read.scan_prefix(&CLASS_STUDENTS, &(class,))? {
        let ((_, pupil), ()) = row?;
        if let Some(p) = read.get(&PEOPLE, &pupil)? {
            pupils.push((pupil, p));
        }
    }
    sort_by_name(&mut pupils);
    for (pupil, p) in pupils {
        pupil_and_parents(read, establishment, pupil, p, printed, out)?;
    }
    Ok(())
}

/// The establishment's classes, sorted by name.
fn classes(
    read: &ReadTx,
    establishment: EstablishmentId,
) -> Result<Vec<(ClassId, String)>, StoreError> {
    let mut out = Vec::new();
    for row in read.scan_prefix(&ESTABLISHMENT_CLASSES, &(establishment,))? {
        let ((_, class), ()) = row?;
        if let Some(c) = read.get(&CLASSES, &class)? {
            out.push((class, c.name));
        }
    }
    out.sort_by_key(|a| french_key(&a.1));
    Ok(out)
}

/// Everyone with `role` in the establishment, with their record.
fn people_with_role(
    read: &ReadTx,
    establishment: EstablishmentId,
    role: u8,
) -> Result<Vec<(PersonId, Person)>, StoreError> {
    let mut out = Vec::new();
    for row in read.scan_prefix(&ESTABLISHMENT_PEOPLE, &(establishment, role))? {
        let ((_, _, person), ()) = row?;
        if let Some(p) = read.get(&PEOPLE, &person)? {
            out.push((person, p));
        }
    }
    Ok(out)
}

const STAFF_ROLES: [Role; 3] = [
    Role::Enseignant,
    Role::Personnel(crate::model::directory::StaffFunction::Autre),
    Role::AdminLocal,
];

fn establishment_entries(
    read: &ReadTx,
    establishment: EstablishmentId,
) -> Result<Vec<Entry>, StoreError> {
    let mut printed = HashSet::new();
    let mut out = Vec::new();
    // Staff and teachers first.
    let mut staff = Vec::new();
    for role in STAFF_ROLES {
        for (id, p) in people_with_role(read, establishment, role.code())? {
            if p.state == AccountState::Pending && !staff.iter().any(|(s, _)| *s == id) {
                staff.push((id, p));
            }
        }
    }
    sort_by_name(&mut staff);
    for (id, p) in staff {
        let roles = roles_in(read, id, establishment)?;
        if roles.contains(&Role::Eleve) || roles.contains(&Role::Parent) {
            continue; // printed with the pupils
        }
        printed.insert(id);
        out.push(Entry {
            person: id,
            p,
            audience: LetterAudience::Personnel,
        });
    }
    // Class by class.
    for (class, _) in classes(read, establishment)? {
        class_entries(read, establishment, class, &mut printed, &mut out)?;
    }
    // Pupils without a class, then parents not printed yet.
    let mut rest = people_with_role(read, establishment, Role::Eleve.code())?;
    sort_by_name(&mut rest);
    for (pupil, p) in rest {
        if !printed.contains(&pupil) {
            pupil_and_parents(read, establishment, pupil, p, &mut printed, &mut out)?;
        }
    }
    let mut parents = people_with_role(read, establishment, Role::Parent.code())?;
    sort_by_name(&mut parents);
    for (parent, p) in parents {
        if p.state == AccountState::Pending && printed.insert(parent) {
            let audience = audience_of(read, parent, establishment, &[Role::Parent])?;
            out.push(Entry {
                person: parent,
                p,
                audience,
            });
        }
    }
    Ok(out)
}

/// How many accounts wait for a letter: the staff, then class by class.
pub fn pending_counts(
    store: &Store,
    actor: &Actor,
    establishment: EstablishmentId,
) -> Result<Vec<PendingCount>, AdminError> {
    let read = store.read()?;
    if admin::policy::administered_establishment(&read, actor, establishment)?.is_none() {
        return Err(AdminError::NotFound);
    }
    let entries = establishment_entries(&read, establishment)?;
    let mut out = vec![PendingCount {
        class: None,
        pupils: 0,
        parents: 0,
        staff: 0,
    }];
    let classes = classes(&read, establishment)?;
    for c in &classes {
        out.push(PendingCount {
            class: Some(c.clone()),
            pupils: 0,
            parents: 0,
            staff: 0,
        });
    }
    // Entries come staff first, then class by class: a parent counts with the class of the
    // pupil printed just before them.
    let mut current = 0;
    for entry in &entries {
        match &entry.audience {
            LetterAudience::Personnel => out[0].staff += 1,
            LetterAudience::Eleve { class } => {
                current = class
                    .as_ref()
                    .and_then(|name| classes.iter().position(|(_, n)| n == name))
                    .map_or(0, |i| i + 1);
                out[current].pupils += 1;
            }
            LetterAudience::Parent { .. } => out[current].parents += 1,
        }
    }
    Ok(out)
}
