//! A class's page (`/classes/{id}`): its name and establishment, its head teacher and the
//! teachers of each subject, and — for those [`policy::class_view`] lets see them — its pupils.
//! A parent sees the first part for their children's classes (issue 14 §9), never the
//! classmates.

use serde::Serialize;

use super::DirectoryError;
use super::policy::{self, ClassView};
use super::queries::{ClassSummary, PersonSummary, class_summary};
use crate::domain::text::french_key;
use crate::model::Actor;
use crate::model::directory::{ClassId, PersonId};
use crate::store::tables::{CLASS_STUDENTS, CLASS_TEACHINGS, CLASSES, PEOPLE, SUBJECTS, TEACHINGS};
use crate::store::{ReadTx, Store, StoreError};

/// A teacher as the class page names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeacherEntry {
    /// Who.
    pub person: PersonSummary,
    /// Whether the actor may open their page ([`policy::may_see_person`]): otherwise the name is
    /// shown without a link.
    pub linked: bool,
}

/// A subject taught to the class and its teachers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectEntry {
    /// The subject's usual name ("Mathématiques").
    pub subject: String,
    /// Its teachers for this class, by name.
    pub teachers: Vec<TeacherEntry>,
}

/// What a class's page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassPage {
    /// The class and its establishment.
    pub summary: ClassSummary,
    /// The head teacher (*professeur principal*), if named.
    pub head_teacher: Option<TeacherEntry>,
    /// The subjects taught to the whole class, by name, with their teachers.
    pub subjects: Vec<SubjectEntry>,
    /// Its pupils by name, or `None` when the actor may not see them (a parent).
    pub pupils: Option<Vec<PersonSummary>>,
}

fn name_order(a: &PersonSummary, b: &PersonSummary) -> std::cmp::Ordering {
    french_key(&a.last_name)
        .cmp(&french_key(&b.last_name))
        .then_with(|| french_key(&a.first_name).cmp(&french_key(&b.first_name)))
}

fn teacher(read: &ReadTx, actor: &Actor, id: PersonId) -> Result<Option<TeacherEntry>, StoreError> {
    Ok(match read.get(&PEOPLE, &id)? {
        Some(p) => Some(TeacherEntry {
            person: PersonSummary::of(id, &p),
            linked: policy::may_see_person(read, actor, id)?,
        }),
        None => None,
    })
}

/// The page of `class` as the actor may see it; "not found" when [`policy::class_view`] hides
/// it, exactly as for a class that does not exist.
pub fn class_page(
    store: &Store,
    actor: &Actor,
    class: ClassId,
) -> Result<ClassPage, DirectoryError> {
    let read = store.read()?;
    let view = policy::class_view(&read, actor, class)?;
    if view == ClassView::Hidden {
        return Err(DirectoryError::NotFound);
    }
    let record = read
        .get(&CLASSES, &class)?
        .ok_or(DirectoryError::NotFound)?;
    let summary = class_summary(&read, class)?.ok_or(DirectoryError::NotFound)?;
    let head_teacher = match record.head_teacher {
        Some(id) => teacher(&read, actor, id)?,
        None => None,
    };
    let mut subjects: Vec<SubjectEntry> = Vec::new();
    for row in read.scan_prefix(&CLASS_TEACHINGS, &(class,))? {
        let ((_, teaching), ()) = row?;
        let Some(t) = read.get(&TEACHINGS, &teaching)? else {
            continue;
        };
        let name = read
            .get(&SUBJECTS, &t.subject)?
            .map(|s| s.name)
            .unwrap_or_default();
        let Some(entry) = teacher(&read, actor, t.teacher)? else {
            continue;
        };
        match subjects.iter().position(|s| s.subject == name) {
            Some(i) => {
                let teachers = &mut subjects[i].teachers;
                if !teachers.iter().any(|e| e.person.id == entry.person.id) {
                    teachers.push(entry);
                }
            }
            None => subjects.push(SubjectEntry {
                subject: name,
                teachers: vec![entry],
            }),
        }
    }
    subjects.sort_by_key(|s| french_key(&s.subject));
    for s in &mut subjects {
        s.teachers.sort_by(|a, b| name_order(&a.person, &b.person));
    }
    let pupils = if view == ClassView::Members {
        let mut members = Vec::new();
        for row in read.scan_prefix(&CLASS_STUDENTS, &(class,))? {
            let ((_, student), ()) = row?;
            if let Some(p) = read.get(&PEOPLE, &student)? {
                members.push(PersonSummary::of(student, &p));
            }
        }
        members.sort_by(name_order);
        Some(members)
    } else {
        None
    };
    Ok(ClassPage {
        summary,
        head_teacher,
        subjects,
        pupils,
    })
}
