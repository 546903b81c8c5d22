//! The demo as plain data, one sector at a time: a sector (the school demo's collège and lycée,
//! or a lycée of the region with the collèges around it) is drawn from its own seeded RNG before
//! anything is written: the same seed and school year always give the same people in the same
//! order, hence the same logins and ids once written in the same order.

use jiff::civil::Date;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::curriculum::*;
use super::families::families;
use super::names;
use crate::model::directory::{EstablishmentKind, Relation, Role, StaffFunction};

/// The RNG's seed of the school demo; sector `s` of the region uses `SEED + s`.
pub(super) const SEED: u64 = 2026;

/// The first INE serial number of the school demo's pupils (`9999990000A`, … as before).
const SCHOOL_INE_BASE: u64 = 9_999_990_000;

/// Index of the collège in [`Plan::establishments`].
pub(super) const COLLEGE: usize = 0;
/// Index of the lycée in [`Plan::establishments`].
pub(super) const LYCEE: usize = 1;

/// The class of `eleve`'s brother or sister at the lycée.
const SIBLING_CLASS: &str = "2nde3";

/// An adult (parent, teacher, staff member).
#[derive(Debug, Clone)]
pub(super) struct Adult {
    pub first_name: String,
    pub last_name: String,
    pub birth_name: Option<String>,
    pub birth_date: Option<Date>,
    pub female: bool,
    /// A fixed demo login instead of the generated `prenom.nom`.
    pub login: Option<&'static str>,
    pub platform_admin: bool,
}

/// A staff member and their roles in their establishment.
#[derive(Debug, Clone)]
pub(super) struct StaffMember {
    pub adult: Adult,
    pub roles: Vec<Role>,
}

/// A teacher of one discipline.
#[derive(Debug, Clone)]
pub(super) struct Teacher {
    pub adult: Adult,
    pub discipline: usize,
}

/// A class.
#[derive(Debug, Clone)]
pub(super) struct ClassPlan {
    pub name: String,
    pub level: &'static str,
    pub size: usize,
    /// Head teacher: an index into [`EstablishmentPlan::teachers`].
    pub head: Option<usize>,
}

/// A group and its pupils (indexes into [`Plan::pupils`]).
#[derive(Debug, Clone)]
pub(super) struct GroupPlan {
    pub name: String,
    pub subject: usize,
    pub members: Vec<usize>,
}

/// Who a planned teaching is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Aud {
    Class(usize),
    Group(usize),
}

/// A teaching: indexes into the establishment's teachers, classes or groups, and subjects.
#[derive(Debug, Clone, Copy)]
pub(super) struct TeachingPlan {
    pub teacher: usize,
    pub audience: Aud,
    pub subject: usize,
}

/// An establishment to draw: who it is, not who is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EstablishmentSpec {
    pub uai: String,
    pub name: String,
    pub kind: EstablishmentKind,
    pub town: String,
}

/// A sector: establishments whose families mix (brothers and sisters in any of them), drawn
/// from one RNG and written in one transaction.
#[derive(Debug, Clone)]
pub(super) struct SectorSpec {
    /// The RNG's seed.
    pub seed: u64,
    /// The school demo itself: its fixed class plan and teachers, the fixed accounts and the
    /// fixed family. Otherwise every level's number of classes is drawn and the teachers and
    /// staff scaled to it.
    pub school: bool,
    /// The collège(s) first, then the lycée.
    pub establishments: Vec<EstablishmentSpec>,
    /// The INE serial number of the sector's first pupil.
    pub ine_base: u64,
    /// Families: percentages of rolls below which a family has one child, two children
    /// (otherwise three).
    pub siblings: [u32; 2],
}

/// The school demo's sector: the collège Les Dômes and the lycée Marie-Marvingt.
pub(super) fn school_sector() -> SectorSpec {
    let spec = |uai: &str, name: &str, kind, town: &str| EstablishmentSpec {
        uai: uai.to_owned(),
        name: name.to_owned(),
        kind,
        town: town.to_owned(),
    };
    SectorSpec {
        seed: SEED,
        school: true,
        establishments: vec![
            spec(
                "0639001A",
                "Collège Les Dômes",
                EstablishmentKind::College,
                "Cournon-d'Auvergne",
            ),
            spec(
                "0639002B",
                "Lycée Marie-Marvingt",
                EstablishmentKind::LyceeGeneral,
                "Riom",
            ),
        ],
        ine_base: SCHOOL_INE_BASE,
        siblings: [86, 98],
    }
}

/// Whether an establishment of this kind follows the collège's curriculum (else the lycée's).
pub(super) fn is_college(kind: EstablishmentKind) -> bool {
    kind == EstablishmentKind::College
}

/// One establishment.
#[derive(Debug, Clone)]
pub(super) struct EstablishmentPlan {
    pub uai: String,
    pub name: String,
    pub kind: EstablishmentKind,
    pub town: String,
    pub subjects: &'static [SubjectSpec],
    pub teachers: Vec<Teacher>,
    pub staff: Vec<StaffMember>,
    pub classes: Vec<ClassPlan>,
    pub groups: Vec<GroupPlan>,
    pub teachings: Vec<TeachingPlan>,
}

/// A pupil.
#[derive(Debug, Clone)]
pub(super) struct Pupil {
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Option<Date>,
    pub ine: String,
    pub establishment: usize,
    pub class: usize,
    pub login: Option<&'static str>,
}

/// A family's adult: a new person, or a teacher of an establishment who is also a parent.
#[derive(Debug, Clone)]
pub(super) enum Member {
    New(Adult),
    Teacher {
        establishment: usize,
        teacher: usize,
    },
}

/// A family: its adults (with their relation to every child) and children.
#[derive(Debug, Clone)]
pub(super) struct Family {
    pub adults: Vec<(Member, Relation)>,
    pub children: Vec<usize>,
}

/// One sector of the demo (the whole demo school, for the school size).
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub establishments: Vec<EstablishmentPlan>,
    pub pupils: Vec<Pupil>,
    pub families: Vec<Family>,
}

// ---------------------------------------------------------------------------------------------
// Drawing people.
// ---------------------------------------------------------------------------------------------

pub(super) fn pick(rng: &mut ChaCha8Rng, list: &[&'static str]) -> &'static str {
    list[rng.random_range(0..list.len())]
}

pub(super) fn percent(rng: &mut ChaCha8Rng, p: u32) -> bool {
    rng.random_range(0..100u32) < p
}

pub(super) fn date_in(rng: &mut ChaCha8Rng, year: i16) -> Option<Date> {
    Date::new(year, rng.random_range(1..=12), rng.random_range(1..=28)).ok()
}

pub(super) fn adult(
    rng: &mut ChaCha8Rng,
    female: bool,
    last_name: &str,
    born: std::ops::RangeInclusive<i16>,
) -> Adult {
    let year = rng.random_range(born);
    Adult {
        first_name: pick(rng, if female { names::WOMEN } else { names::MEN }).to_owned(),
        last_name: last_name.to_owned(),
        birth_name: None,
        birth_date: date_in(rng, year),
        female,
        login: None,
        platform_admin: false,
    }
}

pub(super) fn random_adult(rng: &mut ChaCha8Rng, born: std::ops::RangeInclusive<i16>) -> Adult {
    let female = percent(rng, 55);
    let last = pick(rng, names::SURNAMES);
    adult(rng, female, last, born)
}

pub(super) fn fixed(
    first: &str,
    last: &str,
    female: bool,
    year: i16,
    login: &'static str,
) -> Adult {
    Adult {
        first_name: first.to_owned(),
        last_name: last.to_owned(),
        birth_name: None,
        birth_date: Date::new(year, 3, 14).ok(),
        female,
        login: Some(login),
        platform_admin: false,
    }
}

/// Parents are born between 1968 and 1992 whatever the school year (good enough for a demo).
pub(super) const PARENT_BORN: std::ops::RangeInclusive<i16> = 1968..=1992;

// ---------------------------------------------------------------------------------------------
// The plan.
// ---------------------------------------------------------------------------------------------

/// Draws the whole demo school for the school year starting in `year`.
pub(super) fn build(year: i16) -> Plan {
    build_sector(&school_sector(), year)
}

/// Draws one sector for the school year starting in `year`.
pub(super) fn build_sector(spec: &SectorSpec, year: i16) -> Plan {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let mut establishments: Vec<EstablishmentPlan> = spec
        .establishments
        .iter()
        .map(|e| establishment(&mut rng, e, spec.school))
        .collect();
    for plan in &mut establishments {
        class_teachings(plan);
    }
    let fixed = spec.school.then(|| fixed_seats(&establishments));
    let (pupils, families) = families(
        &mut rng,
        year,
        &establishments,
        fixed.map(|f| ((COLLEGE, f.eleve_class), (LYCEE, f.sibling_class))),
        spec.ine_base,
        spec.siblings,
    );
    let mut plan = Plan {
        establishments,
        pupils,
        families,
    };
    for e in 0..plan.establishments.len() {
        groups(&mut rng, e, &mut plan);
        let est = &mut plan.establishments[e];
        group_teachings(est);
        let preset = fixed.filter(|_| e == COLLEGE);
        head_teachers(est, preset.map(|f| (f.eleve_class, f.prof)));
    }
    plan
}

/// Where the school demo's fixed accounts sit.
#[derive(Debug, Clone, Copy)]
struct FixedSeats {
    /// `prof`, among the collège's teachers.
    prof: usize,
    /// `eleve`'s class at the collège.
    eleve_class: usize,
    /// Her brother's class at the lycée.
    sibling_class: usize,
}

/// `prof` teaches mathematics at the collège; `eleve` is in one of prof's 4e classes.
fn fixed_seats(establishments: &[EstablishmentPlan]) -> FixedSeats {
    let college = &establishments[COLLEGE];
    let prof = college
        .teachers
        .iter()
        .position(|t| t.adult.login == Some("prof"))
        .unwrap_or(0);
    let eleve_class = college
        .teachings
        .iter()
        .filter(|t| t.teacher == prof)
        .filter_map(|t| match t.audience {
            Aud::Class(c) if college.classes[c].level == "4e" => Some(c),
            _ => None,
        })
        .next()
        .unwrap_or(0);
    let sibling_class = establishments
        .get(LYCEE)
        .and_then(|l| l.classes.iter().position(|c| c.name == SIBLING_CLASS))
        .unwrap_or(0);
    FixedSeats {
        prof,
        eleve_class,
        sibling_class,
    }
}

/// Draws an establishment's classes, teachers and staff. The school demo's have fixed class
/// lists and teacher numbers; a region establishment draws its number of classes per level
/// (4–8 in a collège, 12–19 in a lycée) and scales its teachers and staff to it.
fn establishment(
    rng: &mut ChaCha8Rng,
    spec: &EstablishmentSpec,
    school: bool,
) -> EstablishmentPlan {
    let college = is_college(spec.kind);
    let (subjects, disciplines): (_, &[usize]) = if college {
        (COLLEGE_SUBJECTS, &COLLEGE_DISCIPLINES)
    } else {
        (LYCEE_SUBJECTS, &LYCEE_DISCIPLINES)
    };
    let mut classes = Vec::new();
    for level in levels(college) {
        let suffixes: &[&str] = if school {
            level.suffixes
        } else if college {
            &LETTERS[..rng.random_range(4..=8)]
        } else {
            &NUMBERS[..rng.random_range(12..=19)]
        };
        for suffix in suffixes {
            classes.push(ClassPlan {
                name: format!("{}{suffix}", level.prefix),
                level: level.level,
                size: rng.random_range(level.sizes.clone()),
                head: None,
            });
        }
    }
    let reference = reference_classes(college);
    let mut teachers = Vec::new();
    for (discipline, &base) in disciplines.iter().enumerate() {
        let count = if school {
            base
        } else {
            ((base * classes.len() + reference / 2) / reference).max(1)
        };
        for i in 0..count {
            let adult = if school && college && discipline == 1 && i == 0 {
                fixed("Sandrine", "Vialle", true, 1981, "prof")
            } else {
                random_adult(rng, 1964..=1998)
            };
            teachers.push(Teacher { adult, discipline });
        }
    }
    let staff = staff(rng, college, school, classes.len());
    EstablishmentPlan {
        uai: spec.uai.clone(),
        name: spec.name.clone(),
        kind: spec.kind,
        town: spec.town.clone(),
        subjects,
        teachers,
        staff,
        classes,
        groups: Vec::new(),
        teachings: Vec::new(),
    }
}

/// Direction, vie scolaire and the other staff: the school demo's collège has the fixed
/// `admin`, `principal` and `cpe`; elsewhere the principal's deputy is the local administrator,
/// and a region establishment has a CPE per 16 classes and an AED per 3.
fn staff(rng: &mut ChaCha8Rng, college: bool, school: bool, classes: usize) -> Vec<StaffMember> {
    use StaffFunction::*;
    let mut out = Vec::new();
    let mut add = |adult: Adult, roles: Vec<Role>| out.push(StaffMember { adult, roles });
    let career = 1962..=1990;
    if school && college {
        let mut admin = fixed("Olivier", "Mallet", false, 1978, "admin");
        admin.platform_admin = true;
        add(admin, vec![Role::AdminLocal]);
        add(
            fixed("Catherine", "Brugière", true, 1970, "principal"),
            vec![Role::Personnel(Direction)],
        );
        add(
            random_adult(rng, career.clone()),
            vec![Role::Personnel(Direction)],
        );
        add(
            fixed("Karim", "Benali", false, 1983, "cpe"),
            vec![Role::Personnel(Cpe)],
        );
    } else {
        add(
            random_adult(rng, career.clone()),
            vec![Role::Personnel(Direction)],
        );
        // The proviseur adjoint is also the lycée's local administrator.
        add(
            random_adult(rng, career.clone()),
            vec![Role::Personnel(Direction), Role::AdminLocal],
        );
        let cpe = if school { 2 } else { (classes / 16).max(1) };
        for _ in 0..cpe {
            add(
                random_adult(rng, career.clone()),
                vec![Role::Personnel(Cpe)],
            );
        }
    }
    let aed = match (school, college) {
        (true, true) => 5,
        (true, false) => 7,
        (false, _) => (classes / 3).max(2),
    };
    for _ in 0..aed {
        add(random_adult(rng, 1994..=2004), vec![Role::Personnel(Aed)]);
    }
    for function in [
        Secretariat,
        Secretariat,
        Gestion,
        Infirmerie,
        Documentation,
        Psychologue,
    ] {
        add(
            random_adult(rng, career.clone()),
            vec![Role::Personnel(function)],
        );
    }
    out
}

/// Every class gets one teaching per subject of its level; the teachers of each discipline
/// take the audiences in turn.
fn class_teachings(plan: &mut EstablishmentPlan) {
    let mut next = vec![0usize; plan.teachers.len()];
    let college = is_college(plan.kind);
    for c in 0..plan.classes.len() {
        let Some(level) = level_of(college, plan.classes[c].level) else {
            continue;
        };
        for &s in level.class_subjects {
            let teacher = take_teacher(&plan.teachers, plan.subjects[s].discipline, &mut next);
            plan.teachings.push(TeachingPlan {
                teacher,
                audience: Aud::Class(c),
                subject: s,
            });
        }
    }
}

/// The next teacher of `discipline` in turn (`next` counts per discipline).
fn take_teacher(teachers: &[Teacher], discipline: usize, next: &mut [usize]) -> usize {
    let of: Vec<usize> = (0..teachers.len())
        .filter(|&t| teachers[t].discipline == discipline)
        .collect();
    if of.is_empty() {
        return 0;
    }
    let turn = next[discipline];
    next[discipline] += 1;
    of[turn % of.len()]
}

/// Groups get their teachers after the class teachings, continuing each discipline's turn.
fn group_teachings(plan: &mut EstablishmentPlan) {
    let mut next = vec![0usize; plan.teachers.len()];
    for t in &plan.teachings {
        next[plan.subjects[t.subject].discipline] += 1;
    }
    for g in 0..plan.groups.len() {
        let s = plan.groups[g].subject;
        let teacher = take_teacher(&plan.teachers, plan.subjects[s].discipline, &mut next);
        plan.teachings.push(TeachingPlan {
            teacher,
            audience: Aud::Group(g),
            subject: s,
        });
    }
}

/// A head teacher per class: one of its teachers who heads no other class, starting from a
/// different subject for each class so that disciplines share the task.
fn head_teachers(plan: &mut EstablishmentPlan, preset: Option<(usize, usize)>) {
    let mut heads = vec![false; plan.teachers.len()];
    if let Some((class, teacher)) = preset {
        plan.classes[class].head = Some(teacher);
        heads[teacher] = true;
    }
    for c in 0..plan.classes.len() {
        if plan.classes[c].head.is_some() {
            continue;
        }
        let mine: Vec<usize> = plan
            .teachings
            .iter()
            .filter(|t| t.audience == Aud::Class(c))
            .map(|t| t.teacher)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let chosen = (0..mine.len())
            .map(|i| mine[(c + i) % mine.len()])
            .find(|&t| !heads[t])
            .unwrap_or(mine[0]);
        heads[chosen] = true;
        plan.classes[c].head = Some(chosen);
    }
}

/// A pupil's options at their level: LV2, latin, spécialités (subject indexes).
fn options(rng: &mut ChaCha8Rng, college: bool, level: &LevelSpec) -> Vec<usize> {
    let mut out = Vec::new();
    if level.lv2 {
        let (esp, all) = if college {
            (C_ESPAGNOL, C_ALLEMAND)
        } else {
            (L_ESPAGNOL, L_ALLEMAND)
        };
        out.push(if percent(rng, 71) { esp } else { all });
    }
    if level.latin && percent(rng, 18) {
        out.push(C_LATIN);
    }
    let mut left: Vec<(usize, u32)> = SPECIALITES.iter().map(|&(s, _, w)| (s, w)).collect();
    for _ in 0..level.specialites {
        let total: u32 = left.iter().map(|&(_, w)| w).sum();
        if total == 0 {
            break;
        }
        let mut r = rng.random_range(0..total);
        let i = left
            .iter()
            .position(|&(_, w)| {
                if r < w {
                    true
                } else {
                    r -= w;
                    false
                }
            })
            .unwrap_or(0);
        out.push(left.remove(i).0);
    }
    out
}

/// Pupils choose their options; each (level, option) becomes one group, or several of at most
/// `cap` pupils cut across neighbouring classes.
fn groups(rng: &mut ChaCha8Rng, e: usize, plan: &mut Plan) {
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut keys: Vec<(&'static str, usize)> = Vec::new();
    let mut order: Vec<usize> = (0..plan.pupils.len())
        .filter(|&p| plan.pupils[p].establishment == e)
        .collect();
    order.sort_by_key(|&p| (plan.pupils[p].class, p));
    let est = &plan.establishments[e];
    let college = is_college(est.kind);
    for p in order {
        let Some(level) = level_of(college, est.classes[plan.pupils[p].class].level) else {
            continue;
        };
        let mut chosen = options(rng, college, level);
        // `eleve` learns Spanish and Latin.
        if plan.pupils[p].login == Some("eleve") {
            chosen = vec![C_ESPAGNOL, C_LATIN];
        }
        for s in chosen {
            let key = (level.level, s);
            match keys.iter().position(|k| *k == key) {
                Some(i) => members[i].push(p),
                None => {
                    keys.push(key);
                    members.push(vec![p]);
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| {
        let level_rank = levels(college).iter().position(|l| l.level == keys[i].0);
        (level_rank, keys[i].1)
    });
    let est = &mut plan.establishments[e];
    for i in order {
        let (level, s) = keys[i];
        let pupils = &members[i];
        let label = group_label(college, s);
        let cap = if college { 28 } else { 32 };
        let n = pupils.len().div_ceil(cap).max(1);
        let (base, extra) = (pupils.len() / n, pupils.len() % n);
        let mut at = 0;
        for k in 0..n {
            let size = base + usize::from(k < extra);
            let name = if n == 1 {
                format!("{level} {label}")
            } else {
                format!("{level} {label} {}", k + 1)
            };
            est.groups.push(GroupPlan {
                name,
                subject: s,
                members: pupils[at..at + size].to_vec(),
            });
            at += size;
        }
    }
}

fn group_label(college: bool, subject: usize) -> String {
    if college {
        match subject {
            C_ESPAGNOL => "LV2 espagnol".to_owned(),
            C_ALLEMAND => "LV2 allemand".to_owned(),
            _ => "latin".to_owned(),
        }
    } else {
        match subject {
            L_ESPAGNOL => "LV2 espagnol".to_owned(),
            L_ALLEMAND => "LV2 allemand".to_owned(),
            s => {
                let short = SPECIALITES
                    .iter()
                    .find(|x| x.0 == s)
                    .map_or("spécialité", |x| x.1);
                format!("spé {short}")
            }
        }
    }
}
