//! The directory's stored types (DESIGN.md §2). Changing one means a new table version.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

crate::typed_id!(
    /// An establishment (collège, lycée…).
    EstablishmentId,
    "establishment"
);
crate::typed_id!(
    /// A person (pupil, parent, teacher, staff member).
    PersonId,
    "person"
);
crate::typed_id!(
    /// A class (*division*) such as 5B.
    ClassId,
    "class"
);
crate::typed_id!(
    /// A group cutting across classes (LV2 espagnol, latin, demi-groupe…).
    GroupId,
    "group"
);
crate::typed_id!(
    /// A subject (*matière*).
    SubjectId,
    "subject"
);
crate::typed_id!(
    /// A teaching: a teacher × a class or group × a subject.
    TeachingId,
    "teaching"
);

/// What kind of establishment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EstablishmentKind {
    /// Collège (6e–3e).
    College,
    /// Lycée général et technologique (2nde–Tle).
    LyceeGeneral,
    /// Lycée professionnel.
    LyceeProfessionnel,
    /// Lycée agricole.
    LyceeAgricole,
    /// Centre de formation d'apprentis.
    Cfa,
}

/// An establishment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Establishment {
    /// Unité administrative immatriculée, e.g. `0631234X`.
    pub uai: String,
    /// Usual name, e.g. "Collège Jules-Ferry".
    pub name: String,
    /// Kind.
    pub kind: EstablishmentKind,
    /// Town.
    pub town: String,
    /// Académie, e.g. "Clermont-Ferrand".
    pub academie: String,
}

/// A school year, named by the calendar year it starts in (2026 = 2026-2027).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SchoolYear(pub u16);

impl SchoolYear {
    /// The school year a day falls in: it starts on September 1st (2026-09-01 → 2026-2027,
    /// 2027-03-01 → 2026-2027 too).
    pub fn of(date: Date) -> SchoolYear {
        let year = if date.month() >= 9 {
            date.year()
        } else {
            date.year() - 1
        };
        SchoolYear(u16::try_from(year).unwrap_or(0))
    }

    /// The school year of an instant, on the calendar of Paris (the rollover is at midnight
    /// there, not in UTC).
    pub fn at(now: Timestamp) -> SchoolYear {
        SchoolYear::of(crate::clock::paris_date(now))
    }
}

/// The state of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountState {
    /// Created, waiting for activation with a one-time code.
    Pending,
    /// In use.
    Active,
    /// Switched off by an administrator.
    Disabled,
    /// The person left the establishment on this date (purged later).
    Left(Date),
}

/// A person with their account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// First name (*prénom*).
    pub first_name: String,
    /// Usage name (*nom d'usage*), shown.
    pub last_name: String,
    /// Birth name, if different.
    pub birth_name: Option<String>,
    /// Birth date, if known.
    pub birth_date: Option<Date>,
    /// National ids: INE for pupils, académie ids (`("aaf", "…")`, `("ine", "…")`).
    pub national_ids: Vec<(String, String)>,
    /// Verified e-mail address, if any.
    pub email: Option<String>,
    /// The account's login, unique.
    pub login: String,
    /// The account's state.
    pub state: AccountState,
    /// Argon2id hash in PHC format (parameters inside), if a password is set.
    pub password_hash: Option<String>,
    /// When the password was last set.
    pub password_set_at: Option<Timestamp>,
    /// Whether the person administers the whole instance.
    pub platform_admin: bool,
}

impl Person {
    /// "Prénom NOM".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name.to_uppercase())
    }
}

/// A staff member's function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum StaffFunction {
    /// Chef d'établissement or deputy (principal, proviseur, adjoint).
    Direction,
    /// Conseiller principal d'éducation.
    Cpe,
    /// Assistant d'éducation (vie scolaire).
    Aed,
    /// Secrétariat.
    Secretariat,
    /// Gestionnaire (finance).
    Gestion,
    /// Infirmier, infirmière.
    Infirmerie,
    /// Professeur documentaliste (CDI).
    Documentation,
    /// Psychologue de l'Éducation nationale.
    Psychologue,
    /// Other staff (agents, …).
    Autre,
}

/// A role a person holds in one establishment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Pupil.
    Eleve,
    /// Parent or other legal guardian.
    Parent,
    /// Teacher.
    Enseignant,
    /// Staff member with a function.
    Personnel(StaffFunction),
    /// Local administrator of the establishment.
    AdminLocal,
}

impl Role {
    /// A stable one-byte code for index keys.
    pub fn code(self) -> u8 {
        match self {
            Role::Eleve => 1,
            Role::Parent => 2,
            Role::Enseignant => 3,
            Role::Personnel(_) => 4,
            Role::AdminLocal => 5,
        }
    }

    /// Staff of the establishment (any non-teaching function, the local administrator
    /// included): the roles that see and manage the whole establishment.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Personnel(_) | Role::AdminLocal)
    }

    /// Works in the establishment: a teacher, or [staff](Role::is_staff).
    pub fn works_there(self) -> bool {
        self == Role::Enseignant || self.is_staff()
    }
}

/// A profile: a person's role in an establishment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The establishment.
    pub establishment: EstablishmentId,
    /// The role.
    pub role: Role,
}

/// A class (*division*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    /// The establishment.
    pub establishment: EstablishmentId,
    /// The school year.
    pub year: SchoolYear,
    /// Name, e.g. "5B".
    pub name: String,
    /// Level, e.g. "5e", "2nde".
    pub level: String,
    /// Head teacher (*professeur principal*), if named.
    pub head_teacher: Option<PersonId>,
}

/// A group cutting across classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// The establishment.
    pub establishment: EstablishmentId,
    /// The school year.
    pub year: SchoolYear,
    /// Name, e.g. "4e LV2 espagnol".
    pub name: String,
}

/// A subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// The establishment.
    pub establishment: EstablishmentId,
    /// National code, if known.
    pub code: Option<String>,
    /// Usual name, e.g. "Mathématiques".
    pub name: String,
}

/// Who a teaching is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Audience {
    /// A whole class.
    Class(ClassId),
    /// A group.
    Group(GroupId),
}

/// A teacher teaching a subject to a class or group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Teaching {
    /// The establishment.
    pub establishment: EstablishmentId,
    /// The teacher.
    pub teacher: PersonId,
    /// The class or group.
    pub audience: Audience,
    /// The subject.
    pub subject: SubjectId,
}

/// How a relative is related to a pupil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Relation {
    /// Father.
    Pere,
    /// Mother.
    Mere,
    /// Guardian.
    Tuteur,
    /// Other (grandparent, host family…).
    Autre,
}

/// A parent's link to a pupil.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentLink {
    /// How they are related.
    pub relation: Relation,
    /// Whether they hold parental authority (*autorité parentale*).
    pub parental_authority: bool,
    /// Whether they receive the school's mail.
    pub receives_mail: bool,
}
