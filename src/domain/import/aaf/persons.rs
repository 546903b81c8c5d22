//! The typed records of the person files: students (`Eleve`), their relatives
//! (`PersRelEleve`) and staff (`PersEducNat`). A person's key (`ENTPersonJointure`) is the
//! record's id.

use jiff::civil::Date;

use crate::model::directory::{Relation, Role, StaffFunction};

use super::AafError;
use super::fields::{Fields, dollar_fields, optional};
use super::records::{StructRef, Typed};

/// Names and birth date, common to every person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `sn`: the usage name, shown.
    pub last_name: String,
    /// `givenName`.
    pub first_name: String,
    /// `ENTPersonNomPatro`: the birth name (FAURE for Hélène BERGERON).
    pub birth_name: Option<String>,
    /// `ENTPersonDateNaissance`.
    pub birth_date: Option<Date>,
}

/// The replaced attributes of an [`Identity`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityPatch {
    /// `sn`.
    pub last_name: Option<String>,
    /// `givenName`.
    pub first_name: Option<String>,
    /// `ENTPersonNomPatro`.
    pub birth_name: Option<Option<String>>,
    /// `ENTPersonDateNaissance`.
    pub birth_date: Option<Option<Date>>,
}

impl IdentityPatch {
    fn read(f: &Fields<'_>) -> Result<IdentityPatch, AafError> {
        Ok(IdentityPatch {
            last_name: f.non_empty("sn")?,
            first_name: f.non_empty("givenName")?,
            birth_name: f.text("ENTPersonNomPatro"),
            birth_date: f.date("ENTPersonDateNaissance")?,
        })
    }

    fn complete(self, f: &Fields<'_>) -> Result<Identity, AafError> {
        Ok(Identity {
            last_name: f.required(self.last_name, "sn")?,
            first_name: f.required(self.first_name, "givenName")?,
            birth_name: self.birth_name.flatten(),
            birth_date: self.birth_date.flatten(),
        })
    }
}

/// A student's link to a relative: `ENTElevePersRelEleve` =
/// `relId$lien$financier$légal$contact$paiement`, the authoritative link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelativeLink {
    /// The relative's key (`PersRelEleve` record id).
    pub relative_id: String,
    /// `lien`: 1 père, 2 mère, 3 tuteur, anything else [`Relation::Autre`].
    pub relation: Relation,
    /// `lien` as written (4–7 are other relatives), if numeric.
    pub relation_code: Option<u8>,
    /// `financier` = 1.
    pub financial: bool,
    /// `légal`: 0 not a legal representative, 1 or 2 first or second one.
    pub legal: u8,
    /// `contact` = 1.
    pub contact: bool,
    /// `paiement` = 1.
    pub payment: bool,
}

impl RelativeLink {
    /// Whether the relative is a legal representative (`légal` 1 or 2).
    pub fn is_legal_representative(&self) -> bool {
        matches!(self.legal, 1 | 2)
    }

    fn parse(value: &str) -> Result<RelativeLink, String> {
        let format = "relId$lien$financier$légal$contact$paiement";
        let fields = dollar_fields(value, 1, format)?;
        let number = |index: usize| -> Result<u8, String> {
            match fields.get(index).copied().unwrap_or("") {
                "" => Ok(0),
                n => n
                    .parse()
                    .map_err(|_| format!("« {value} » ne suit pas le format {format}")),
            }
        };
        let relation_code = match fields.get(1).copied().unwrap_or("") {
            "" => None,
            _ => Some(number(1)?),
        };
        let relation = match relation_code {
            Some(1) => Relation::Pere,
            Some(2) => Relation::Mere,
            Some(3) => Relation::Tuteur,
            _ => Relation::Autre,
        };
        Ok(RelativeLink {
            relative_id: fields[0].to_owned(),
            relation,
            relation_code,
            financial: number(2)? == 1,
            legal: number(3)?,
            contact: number(4)? == 1,
            payment: number(5)? == 1,
        })
    }
}

/// A student (`Eleve`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Student {
    /// Names and birth date.
    pub identity: Identity,
    /// `ENTEleveINE`, the national student id, when the académie sends it.
    pub ine: Option<String>,
    /// `ENTPersonStructRattach`: the structure ids the student belongs to.
    pub structures: Vec<String>,
    /// `ENTEleveStructRattachId`: the student's number in the establishment's software.
    pub attachment_id: Option<String>,
    /// `ENTEleveClasses` = `structure$classe`.
    pub classes: Vec<StructRef>,
    /// `ENTEleveGroupes` = `structure$groupe`.
    pub groups: Vec<StructRef>,
    /// `ENTEleveMEF`, e.g. `10010012110`.
    pub mef: Option<String>,
    /// `ENTEleveLibelleMEF`, e.g. `6EME`.
    pub mef_label: Option<String>,
    /// `ENTEleveNivFormation`, e.g. `6EME`.
    pub level: Option<String>,
    /// `ENTElevePersRelEleve`.
    pub relatives: Vec<RelativeLink>,
}

/// The replaced attributes of a student (see [`Student`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StudentPatch {
    /// Names and birth date.
    pub identity: IdentityPatch,
    /// `ENTEleveINE`.
    pub ine: Option<Option<String>>,
    /// `ENTPersonStructRattach`.
    pub structures: Option<Vec<String>>,
    /// `ENTEleveStructRattachId`.
    pub attachment_id: Option<Option<String>>,
    /// `ENTEleveClasses`.
    pub classes: Option<Vec<StructRef>>,
    /// `ENTEleveGroupes`.
    pub groups: Option<Vec<StructRef>>,
    /// `ENTEleveMEF`.
    pub mef: Option<Option<String>>,
    /// `ENTEleveLibelleMEF`.
    pub mef_label: Option<Option<String>>,
    /// `ENTEleveNivFormation`.
    pub level: Option<Option<String>>,
    /// `ENTElevePersRelEleve`.
    pub relatives: Option<Vec<RelativeLink>>,
}

impl Typed for Student {
    type Patch = StudentPatch;

    fn patch(f: &Fields<'_>) -> Result<StudentPatch, AafError> {
        Ok(StudentPatch {
            identity: IdentityPatch::read(f)?,
            ine: f.text("ENTEleveINE"),
            structures: f.list("ENTPersonStructRattach"),
            attachment_id: f.text("ENTEleveStructRattachId"),
            classes: f.parsed("ENTEleveClasses", StructRef::parse)?,
            groups: f.parsed("ENTEleveGroupes", StructRef::parse)?,
            mef: f.text("ENTEleveMEF"),
            mef_label: f.text("ENTEleveLibelleMEF"),
            level: f.text("ENTEleveNivFormation"),
            relatives: f.parsed("ENTElevePersRelEleve", RelativeLink::parse)?,
        })
    }

    fn complete(p: StudentPatch, f: &Fields<'_>) -> Result<Student, AafError> {
        Ok(Student {
            identity: p.identity.complete(f)?,
            ine: p.ine.flatten(),
            structures: p.structures.unwrap_or_default(),
            attachment_id: p.attachment_id.flatten(),
            classes: p.classes.unwrap_or_default(),
            groups: p.groups.unwrap_or_default(),
            mef: p.mef.flatten(),
            mef_label: p.mef_label.flatten(),
            level: p.level.flatten(),
            relatives: p.relatives.unwrap_or_default(),
        })
    }
}

/// A student's relative (`PersRelEleve`): becomes a parent account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relative {
    /// Names and birth date.
    pub identity: Identity,
    /// `mail`.
    pub email: Option<String>,
    /// `homePhone`.
    pub home_phone: Option<String>,
    /// `telephoneNumber` (work).
    pub work_phone: Option<String>,
    /// `mobile`.
    pub mobile: Option<String>,
    /// `ENTAuxPersRelEleveEleve`: the students' keys. The students' own
    /// `ENTElevePersRelEleve` is the authoritative link.
    pub children: Vec<String>,
}

impl Relative {
    /// The number to call: mobile, else home, else work.
    pub fn phone(&self) -> Option<&str> {
        self.mobile
            .as_deref()
            .or(self.home_phone.as_deref())
            .or(self.work_phone.as_deref())
    }
}

/// The replaced attributes of a relative (see [`Relative`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelativePatch {
    /// Names and birth date.
    pub identity: IdentityPatch,
    /// `mail`.
    pub email: Option<Option<String>>,
    /// `homePhone`.
    pub home_phone: Option<Option<String>>,
    /// `telephoneNumber`.
    pub work_phone: Option<Option<String>>,
    /// `mobile`.
    pub mobile: Option<Option<String>>,
    /// `ENTAuxPersRelEleveEleve`.
    pub children: Option<Vec<String>>,
}

impl Typed for Relative {
    type Patch = RelativePatch;

    fn patch(f: &Fields<'_>) -> Result<RelativePatch, AafError> {
        Ok(RelativePatch {
            identity: IdentityPatch::read(f)?,
            email: f.text("mail"),
            home_phone: f.text("homePhone"),
            work_phone: f.text("telephoneNumber"),
            mobile: f.text("mobile"),
            children: f.list("ENTAuxPersRelEleveEleve"),
        })
    }

    fn complete(p: RelativePatch, f: &Fields<'_>) -> Result<Relative, AafError> {
        Ok(Relative {
            identity: p.identity.complete(f)?,
            email: p.email.flatten(),
            home_phone: p.home_phone.flatten(),
            work_phone: p.work_phone.flatten(),
            mobile: p.mobile.flatten(),
            children: p.children.unwrap_or_default(),
        })
    }
}

/// A function: `ENTPersonFonctions` = `struct$code$libellé$codeDiscipline$discipline`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AafFunction {
    /// The structure id.
    pub structure_id: String,
    /// The function code: `ENS`, `DOC`, `EDU`, `DIR`, `ADF`…
    pub code: String,
    /// The function's label, e.g. `ENSEIGNEMENT`.
    pub label: Option<String>,
    /// The discipline code, e.g. `L1300`.
    pub discipline_code: Option<String>,
    /// The discipline, e.g. `MATHÉMATIQUES`.
    pub discipline: Option<String>,
    /// What Cartable makes of it: ENS → [`Role::Enseignant`]; DOC → documentation; EDU →
    /// CPE (assistant d'éducation when the labels say so); SUR → AED; DIR → direction;
    /// ADF → secrétariat (gestion when the labels say so); MDS → infirmerie or
    /// psychologue when the labels say so; ORI/PSY → psychologue; others → autre.
    pub role: Role,
}

impl AafFunction {
    /// Whether the function makes its holder a teacher (ENS or DOC).
    pub fn is_teaching(&self) -> bool {
        matches!(self.code.as_str(), "ENS" | "DOC")
    }

    fn parse(value: &str) -> Result<AafFunction, String> {
        let fields = dollar_fields(value, 2, "structure$code$libellé$codeDiscipline$discipline")?;
        let code = fields[1].to_ascii_uppercase();
        let label = optional(&fields, 2);
        let discipline = optional(&fields, 4);
        let role = function_role(&code, &[label.as_deref(), discipline.as_deref()]);
        Ok(AafFunction {
            structure_id: fields[0].to_owned(),
            code,
            label,
            discipline_code: optional(&fields, 3),
            discipline,
            role,
        })
    }
}

fn function_role(code: &str, labels: &[Option<&str>]) -> Role {
    let says = |word: &str| {
        labels
            .iter()
            .flatten()
            .any(|l| crate::domain::text::fold(l).contains(word))
    };
    let staff = |function| Role::Personnel(function);
    match code {
        "ENS" => Role::Enseignant,
        "DOC" => staff(StaffFunction::Documentation),
        "DIR" => staff(StaffFunction::Direction),
        "EDU" if says("assistant") => staff(StaffFunction::Aed),
        "EDU" => staff(StaffFunction::Cpe),
        "SUR" => staff(StaffFunction::Aed),
        "ADF" if says("gestion") || says("intendan") || says("comptab") => {
            staff(StaffFunction::Gestion)
        }
        "ADF" => staff(StaffFunction::Secretariat),
        "MDS" if says("infirm") => staff(StaffFunction::Infirmerie),
        "MDS" if says("psycholog") => staff(StaffFunction::Psychologue),
        "ORI" | "PSY" => staff(StaffFunction::Psychologue),
        _ => staff(StaffFunction::Autre),
    }
}

/// A teaching: `ENTAuxEnsClassesMatieres` = `struct$classe$codeMatière` (or
/// `ENTAuxEnsGroupesMatieres` with a group), one per value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TeachingRef {
    /// The structure id.
    pub structure_id: String,
    /// The class code (in [`Staff::teachings`]) or group code (in
    /// [`Staff::group_teachings`]).
    pub audience: String,
    /// The subject's code (`MatiereEducNat` record id), e.g. `061300`.
    pub subject_code: String,
}

impl TeachingRef {
    fn parse(value: &str) -> Result<TeachingRef, String> {
        let fields = dollar_fields(value, 3, "structure$classe$codeMatière")?;
        Ok(TeachingRef {
            structure_id: fields[0].to_owned(),
            audience: fields[1].to_owned(),
            subject_code: fields[2].to_owned(),
        })
    }
}

/// A teacher or other staff member (`PersEducNat`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staff {
    /// Names and birth date.
    pub identity: Identity,
    /// `mail`.
    pub email: Option<String>,
    /// `ENTPersonStructRattach`: the structure ids.
    pub structures: Vec<String>,
    /// `PersEducNatPresenceDevantEleves` = `O`.
    pub in_front_of_pupils: bool,
    /// `ENTPersonFonctions`.
    pub functions: Vec<AafFunction>,
    /// `ENTAuxEnsClassesMatieres`.
    pub teachings: Vec<TeachingRef>,
    /// `ENTAuxEnsGroupesMatieres`.
    pub group_teachings: Vec<TeachingRef>,
    /// `ENTAuxEnsClassesPrincipal` = `struct$classe`: head teacher of these classes.
    pub head_teacher_of: Vec<StructRef>,
}

impl Staff {
    /// A teacher when in front of pupils or holding an ENS or DOC function; otherwise
    /// staff, with the functions' roles.
    pub fn is_teacher(&self) -> bool {
        self.in_front_of_pupils || self.functions.iter().any(AafFunction::is_teaching)
    }
}

/// The replaced attributes of a staff member (see [`Staff`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffPatch {
    /// Names and birth date.
    pub identity: IdentityPatch,
    /// `mail`.
    pub email: Option<Option<String>>,
    /// `ENTPersonStructRattach`.
    pub structures: Option<Vec<String>>,
    /// `PersEducNatPresenceDevantEleves`.
    pub in_front_of_pupils: Option<bool>,
    /// `ENTPersonFonctions`.
    pub functions: Option<Vec<AafFunction>>,
    /// `ENTAuxEnsClassesMatieres`.
    pub teachings: Option<Vec<TeachingRef>>,
    /// `ENTAuxEnsGroupesMatieres`.
    pub group_teachings: Option<Vec<TeachingRef>>,
    /// `ENTAuxEnsClassesPrincipal`.
    pub head_teacher_of: Option<Vec<StructRef>>,
}

impl Typed for Staff {
    type Patch = StaffPatch;

    fn patch(f: &Fields<'_>) -> Result<StaffPatch, AafError> {
        Ok(StaffPatch {
            identity: IdentityPatch::read(f)?,
            email: f.text("mail"),
            structures: f.list("ENTPersonStructRattach"),
            in_front_of_pupils: f.flag("PersEducNatPresenceDevantEleves")?,
            functions: f.parsed("ENTPersonFonctions", AafFunction::parse)?,
            teachings: f.parsed("ENTAuxEnsClassesMatieres", TeachingRef::parse)?,
            group_teachings: f.parsed("ENTAuxEnsGroupesMatieres", TeachingRef::parse)?,
            head_teacher_of: f.parsed("ENTAuxEnsClassesPrincipal", StructRef::parse)?,
        })
    }

    fn complete(p: StaffPatch, f: &Fields<'_>) -> Result<Staff, AafError> {
        Ok(Staff {
            identity: p.identity.complete(f)?,
            email: p.email.flatten(),
            structures: p.structures.unwrap_or_default(),
            in_front_of_pupils: p.in_front_of_pupils.unwrap_or(false),
            functions: p.functions.unwrap_or_default(),
            teachings: p.teachings.unwrap_or_default(),
            group_teachings: p.group_teachings.unwrap_or_default(),
            head_teacher_of: p.head_teacher_of.unwrap_or_default(),
        })
    }
}
