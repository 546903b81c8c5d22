//! The typed records of the structure files: establishments (`EtabEducNat`) and subjects
//! (`MatiereEducNat`), plus what every record type shares. Each type `T` has a `TPatch`
//! twin for modify requests: every patch field is `Some(new value)` when the request
//! replaces the attribute(s) behind it, with the type of the field of `T`.

use crate::domain::text::fold;
use crate::model::directory::EstablishmentKind;

use super::AafError;
use super::fields::{Fields, dollar_fields, optional};

/// A record type: how to read it, whole (add request) or in part (modify request).
pub(super) trait Typed: Sized {
    /// The fields a modify request may replace.
    type Patch;
    /// Reads what is present, nothing required.
    fn patch(fields: &Fields<'_>) -> Result<Self::Patch, AafError>;
    /// Turns an add request's patch into a record, requiring what must be there.
    fn complete(patch: Self::Patch, fields: &Fields<'_>) -> Result<Self, AafError>;
}

/// A class or group named by a person's record: `structure$code` (`63999$6A`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StructRef {
    /// The structure id (`ENTStructureJointure`, `63999`), not the UAI.
    pub structure_id: String,
    /// The class or group code (`6A`).
    pub code: String,
}

impl StructRef {
    pub(super) fn parse(value: &str) -> Result<StructRef, String> {
        let fields = dollar_fields(value, 2, "structure$code")?;
        Ok(StructRef {
            structure_id: fields[0].to_owned(),
            code: fields[1].to_owned(),
        })
    }
}

/// A class as its establishment declares it: `ENTStructureClasses` = `code$libellé$MEF`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AafClass {
    /// Code, e.g. `6A`; persons name the class by it.
    pub code: String,
    /// Label, e.g. `6EME`.
    pub label: Option<String>,
    /// MEF codes (*module élémentaire de formation*), e.g. `10010012110`.
    pub mefs: Vec<String>,
}

impl AafClass {
    fn parse(value: &str) -> Result<AafClass, String> {
        let fields = dollar_fields(value, 1, "code$libellé$MEF")?;
        Ok(AafClass {
            code: fields[0].to_owned(),
            label: optional(&fields, 1),
            mefs: fields
                .iter()
                .skip(2)
                .filter(|f| !f.is_empty())
                .map(|f| (*f).to_owned())
                .collect(),
        })
    }
}

/// A group as its establishment declares it: `ENTStructureGroupes` = `code$libellé`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AafGroup {
    /// Code; persons name the group by it.
    pub code: String,
    /// Label.
    pub label: Option<String>,
}

impl AafGroup {
    fn parse(value: &str) -> Result<AafGroup, String> {
        let fields = dollar_fields(value, 1, "code$libellé")?;
        Ok(AafGroup {
            code: fields[0].to_owned(),
            label: optional(&fields, 1),
        })
    }
}

/// `ENTStructureTypeStruct`, as written and as understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstablishmentType {
    /// As written, e.g. `COLLEGE`, `LYCEE PROFESSIONNEL`.
    pub label: String,
    /// What Cartable makes of it; `None` for a type it does not know (EREA…).
    pub kind: Option<EstablishmentKind>,
}

impl EstablishmentType {
    fn from_label(label: String) -> EstablishmentType {
        let folded = fold(&label);
        let has = |word: &str| {
            folded
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == word)
        };
        let kind = if folded.contains("college") || has("clg") {
            Some(EstablishmentKind::College)
        } else if folded.contains("agricole") || has("lpa") || has("legta") {
            Some(EstablishmentKind::LyceeAgricole)
        } else if folded.contains("professionnel") || has("lp") {
            Some(EstablishmentKind::LyceeProfessionnel)
        } else if folded.contains("lycee") || has("lgt") || has("lpo") || has("lyc") {
            Some(EstablishmentKind::LyceeGeneral)
        } else if has("cfa") || folded.contains("apprentis") {
            Some(EstablishmentKind::Cfa)
        } else {
            None
        };
        EstablishmentType { label, kind }
    }
}

/// An establishment (`EtabEducNat`). Its structure id (`63999`) is the record's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Establishment {
    /// `ENTStructureUAI` (or `ENTEtablissementUAI`), e.g. `0639999Z`. Not checked: the
    /// fixtures' check letter is wrong on purpose.
    pub uai: String,
    /// `ENTStructureNomCourant`.
    pub name: String,
    /// `ENTStructureTypeStruct`.
    pub kind: Option<EstablishmentType>,
    /// `ENTServAcAcademie`, e.g. `CLERMONT`.
    pub academie: Option<String>,
    /// `street`.
    pub street: Option<String>,
    /// `postalCode`.
    pub postal_code: Option<String>,
    /// `l` (town).
    pub town: Option<String>,
    /// `telephoneNumber`.
    pub phone: Option<String>,
    /// `ENTStructureClasses`.
    pub classes: Vec<AafClass>,
    /// `ENTStructureGroupes`.
    pub groups: Vec<AafGroup>,
}

/// The replaced attributes of an establishment (see [`Establishment`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EstablishmentPatch {
    /// `ENTStructureUAI` or `ENTEtablissementUAI`.
    pub uai: Option<String>,
    /// `ENTStructureNomCourant`.
    pub name: Option<String>,
    /// `ENTStructureTypeStruct`.
    pub kind: Option<Option<EstablishmentType>>,
    /// `ENTServAcAcademie`.
    pub academie: Option<Option<String>>,
    /// `street`.
    pub street: Option<Option<String>>,
    /// `postalCode`.
    pub postal_code: Option<Option<String>>,
    /// `l`.
    pub town: Option<Option<String>>,
    /// `telephoneNumber`.
    pub phone: Option<Option<String>>,
    /// `ENTStructureClasses`.
    pub classes: Option<Vec<AafClass>>,
    /// `ENTStructureGroupes`.
    pub groups: Option<Vec<AafGroup>>,
}

const UAI: [&str; 2] = ["ENTStructureUAI", "ENTEtablissementUAI"];

impl Typed for Establishment {
    type Patch = EstablishmentPatch;

    fn patch(f: &Fields<'_>) -> Result<EstablishmentPatch, AafError> {
        let uai = match f.text_of(&UAI) {
            None => None,
            Some(Some(uai)) => Some(uai),
            Some(None) => return Err(f.error(UAI[0], "valeur vide".to_owned())),
        };
        Ok(EstablishmentPatch {
            uai,
            name: f.non_empty("ENTStructureNomCourant")?,
            kind: f
                .text("ENTStructureTypeStruct")
                .map(|t| t.map(EstablishmentType::from_label)),
            academie: f.text("ENTServAcAcademie"),
            street: f.text("street"),
            postal_code: f.text("postalCode"),
            town: f.text("l"),
            phone: f.text("telephoneNumber"),
            classes: f.parsed("ENTStructureClasses", AafClass::parse)?,
            groups: f.parsed("ENTStructureGroupes", AafGroup::parse)?,
        })
    }

    fn complete(p: EstablishmentPatch, f: &Fields<'_>) -> Result<Establishment, AafError> {
        Ok(Establishment {
            uai: f.required(p.uai, UAI[0])?,
            name: f.required(p.name, "ENTStructureNomCourant")?,
            kind: p.kind.flatten(),
            academie: p.academie.flatten(),
            street: p.street.flatten(),
            postal_code: p.postal_code.flatten(),
            town: p.town.flatten(),
            phone: p.phone.flatten(),
            classes: p.classes.unwrap_or_default(),
            groups: p.groups.unwrap_or_default(),
        })
    }
}

/// A subject (`MatiereEducNat`). Its code (`061300`) is the record's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// `ENTLibelleMatiere`, e.g. `MATHÉMATIQUES`.
    pub label: String,
}

/// The replaced attributes of a subject.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectPatch {
    /// `ENTLibelleMatiere`.
    pub label: Option<String>,
}

impl Typed for Subject {
    type Patch = SubjectPatch;

    fn patch(f: &Fields<'_>) -> Result<SubjectPatch, AafError> {
        Ok(SubjectPatch {
            label: f.non_empty("ENTLibelleMatiere")?,
        })
    }

    fn complete(p: SubjectPatch, f: &Fields<'_>) -> Result<Subject, AafError> {
        Ok(Subject {
            label: f.required(p.label, "ENTLibelleMatiere")?,
        })
    }
}
