//! The demo school of `cartable demo` (issue 4 §9): a fictitious collège and lycée of the
//! Puy-de-Dôme (académie de Clermont-Ferrand) with about 600 pupils each, their parents,
//! teachers, vie scolaire, direction and secretariat, and six fixed accounts ([`FIXED_LOGINS`])
//! to try every profile. Everyone is active with the password [`PASSWORD`].
//!
//! The school is drawn from a seeded RNG (`plan.rs`), so two runs give the same people, logins
//! and ids; it is then written in **one** transaction, so an interrupted generation leaves
//! nothing behind and the next `cartable demo` starts again. Nothing is generated when the
//! store already holds an establishment.
//!
//! The region demo (`cartable demo --size region`, issue 5 §6, [`DemoSize::Region`]) is the
//! seed's Auvergne deployment: 48 establishments, about 40 000 pupils, 70 000 parents and
//! 4 000 staff (`region.rs`). Its first sector *is* the school demo (same people, same fixed
//! accounts); each of its 14 sectors (a lycée and its collèges) is drawn from its own seed and
//! written in its own transaction, in order. **Interrupted**, it leaves whole sectors behind,
//! never half of one, and running it again **resumes**: a sector whose establishments are all
//! in the store is skipped, and the ids and logins of the rest come out as in an uninterrupted
//! run. It refuses a store holding an establishment that is not the region's (another
//! directory) or only part of a sector's (not written by the generator), with a clear error.

mod curriculum;
pub mod documents;
mod families;
mod names;
mod plan;
mod region;

use std::collections::BTreeSet;

use jiff::Timestamp;

use crate::domain::directory::DirectoryError;
use crate::domain::directory::service::{self, NewPerson};
use crate::model::directory::*;
use crate::store::tables::{ESTABLISHMENTS, PEOPLE, UAI_TO_ESTABLISHMENT};
use crate::store::{Store, StoreError, Tx};
use plan::{Aud, COLLEGE, Member, Plan, SectorSpec};

/// The password of every demo account.
pub const PASSWORD: &str = "demo-cartable-2026";

/// The fixed demo logins, one per profile to try.
pub const FIXED_LOGINS: [&str; 6] = ["admin", "principal", "cpe", "prof", "eleve", "parent"];

/// The académie of both demo establishments.
const ACADEMIE: &str = "Clermont-Ferrand";

/// One fixed demo account, for the command line to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// The login, one of [`FIXED_LOGINS`].
    pub login: &'static str,
    /// "Prénom Nom".
    pub name: String,
    /// Who they are, e.g. "pupil in 4A at Collège Les Dômes".
    pub description: String,
}

/// What [`generate`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// The store already held an establishment: nothing was generated (and every count is 0).
    pub already_present: bool,
    /// Establishments created.
    pub establishments: usize,
    /// Pupils.
    pub pupils: usize,
    /// Parents and guardians (teachers who are also parents counted once here too).
    pub parents: usize,
    /// Teachers.
    pub teachers: usize,
    /// Direction, vie scolaire, secretariat and other staff, and local administrators.
    pub staff: usize,
    /// Classes.
    pub classes: usize,
    /// Groups (LV2, latin, spécialités).
    pub groups: usize,
    /// Subjects.
    pub subjects: usize,
    /// Teachings.
    pub teachings: usize,
    /// The fixed accounts, in the order of [`FIXED_LOGINS`].
    pub accounts: Vec<DemoAccount>,
}

impl DemoSummary {
    /// Adds the counts of `other` (a sector) to these.
    fn add(&mut self, other: &DemoSummary) {
        self.establishments += other.establishments;
        self.pupils += other.pupils;
        self.parents += other.parents;
        self.teachers += other.teachers;
        self.staff += other.staff;
        self.classes += other.classes;
        self.groups += other.groups;
        self.subjects += other.subjects;
        self.teachings += other.teachings;
    }

    /// "Demo school ready: 2 establishments, 1 203 pupils, … (generated in 2.3 s)".
    pub fn ready_line(&self, seconds: f64) -> String {
        format!(
            "Demo school ready: {} establishments, {} pupils, {} parents, {} teachers, {} staff, \
             {} classes, {} groups (generated in {seconds:.1} s)",
            thousands(self.establishments),
            thousands(self.pupils),
            thousands(self.parents),
            thousands(self.teachers),
            thousands(self.staff),
            thousands(self.classes),
            thousands(self.groups),
        )
    }
}

/// `1203` → `"1 203"`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// The school year `now` falls in, named by its first calendar year (from August on).
fn school_year(now: Timestamp) -> i16 {
    let date = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    if date.month() >= 8 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// How big a demo to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoSize {
    /// The demo school: one collège and one lycée, about 1 200 pupils.
    School,
    /// The region: 48 establishments in 14 sectors, about 40 000 pupils.
    Region,
    /// The first `n` sectors of the region (sector 0 is the school demo): for tests.
    RegionSample(usize),
}

/// Why the demo could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The store holds an establishment that is not part of the region demo.
    #[error(
        "the store holds the establishment {0}, which is not part of the region demo: \
         generate the region demo into an empty data directory (or one holding part of it)"
    )]
    Foreign(String),
    /// The store holds some but not all establishments of a sector.
    #[error(
        "the store holds only part of the region demo's sector of {0} (the demo writes each \
         sector whole): generate the region demo into an empty data directory"
    )]
    Partial(String),
    /// A directory or store failure.
    #[error(transparent)]
    Directory(#[from] DirectoryError),
}

impl From<StoreError> for DemoError {
    fn from(e: StoreError) -> Self {
        DemoError::Directory(DirectoryError::Store(e))
    }
}

/// An establishment of the demo written (or found already written), for progress reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Establishments done so far, this one included.
    pub done: usize,
    /// Establishments in the demo.
    pub total: usize,
    /// Its UAI.
    pub uai: String,
    /// Its name.
    pub name: String,
    /// Its pupils (0 when skipped).
    pub pupils: usize,
    /// It was already in the store (a resumed generation).
    pub skipped: bool,
}

/// The sectors of a demo size.
fn sectors(size: DemoSize) -> Vec<SectorSpec> {
    match size {
        DemoSize::School => vec![plan::school_sector()],
        DemoSize::Region => region::sectors(),
        DemoSize::RegionSample(n) => region::sectors().into_iter().take(n.max(1)).collect(),
    }
}

/// The number of establishments of a demo size.
pub fn establishment_count(size: DemoSize) -> usize {
    sectors(size).iter().map(|s| s.establishments.len()).sum()
}

/// What a demo of `size` would hold for the school year starting in `year`, counted from the
/// plan without writing anything (the fixed accounts included).
pub fn plan_summary(size: DemoSize, year: i16) -> DemoSummary {
    let mut summary = DemoSummary::default();
    for (s, spec) in sectors(size).iter().enumerate() {
        let plan = plan::build_sector(spec, year);
        summary.add(&count(&plan));
        if s == 0 {
            summary.accounts = accounts(&plan);
        }
    }
    summary
}

/// The counts of one sector's plan.
fn count(plan: &Plan) -> DemoSummary {
    let mut summary = DemoSummary {
        establishments: plan.establishments.len(),
        pupils: plan.pupils.len(),
        ..DemoSummary::default()
    };
    let mut teacher_parents = BTreeSet::new();
    for (member, _) in plan.families.iter().flat_map(|f| &f.adults) {
        match member {
            Member::New(_) => summary.parents += 1,
            Member::Teacher {
                establishment,
                teacher,
            } => {
                teacher_parents.insert((*establishment, *teacher));
            }
        }
    }
    summary.parents += teacher_parents.len();
    for est in &plan.establishments {
        summary.teachers += est.teachers.len();
        summary.staff += est.staff.len();
        summary.classes += est.classes.len();
        summary.groups += est.groups.len();
        summary.subjects += est.subjects.len();
        summary.teachings += est.teachings.len();
    }
    summary
}

/// Creates the demo of `size` in `store`, calling `progress` after each establishment. For
/// [`DemoSize::School`] this is [`generate`]. For the region sizes, sector by sector, one
/// transaction each, skipping the sectors already in the store (see the module documentation);
/// `already_present` when every sector was, and the counts are those of the sectors written by
/// this call.
pub fn generate_sized(
    store: &Store,
    now: Timestamp,
    size: DemoSize,
    progress: &mut dyn FnMut(&Progress),
) -> Result<DemoSummary, DemoError> {
    let sectors = sectors(size);
    if size == DemoSize::School {
        let summary = generate(store, now)?;
        for (done, e) in sectors.iter().flat_map(|s| &s.establishments).enumerate() {
            progress(&Progress {
                done: done + 1,
                total: sectors[0].establishments.len(),
                uai: e.uai.clone(),
                name: e.name.clone(),
                pupils: 0,
                skipped: summary.already_present,
            });
        }
        return Ok(summary);
    }
    let present: BTreeSet<String> = store
        .read()?
        .range(&UAI_TO_ESTABLISHMENT, ..)?
        .map(|row| row.map(|(uai, _)| uai))
        .collect::<Result<_, _>>()?;
    let ours: BTreeSet<&str> = sectors
        .iter()
        .flat_map(|s| &s.establishments)
        .map(|e| e.uai.as_str())
        .collect();
    if let Some(foreign) = present.iter().find(|u| !ours.contains(u.as_str())) {
        return Err(DemoError::Foreign(foreign.clone()));
    }
    let mut done_sectors = Vec::new();
    for sector in &sectors {
        let here = sector
            .establishments
            .iter()
            .filter(|e| present.contains(&e.uai))
            .count();
        if here != 0 && here != sector.establishments.len() {
            return Err(DemoError::Partial(sector_name(sector)));
        }
        done_sectors.push(here != 0);
    }
    let year = school_year(now);
    let mut summary = DemoSummary {
        already_present: done_sectors.iter().all(|&d| d),
        ..DemoSummary::default()
    };
    let total = establishment_count(size);
    let mut done = 0;
    let mut ctx = None;
    for (sector, &skip) in sectors.iter().zip(&done_sectors) {
        if skip {
            if sector.school {
                summary.accounts = accounts(&plan::build_sector(sector, year));
            }
            for e in &sector.establishments {
                done += 1;
                progress(&Progress {
                    done,
                    total,
                    uai: e.uai.clone(),
                    name: e.name.clone(),
                    pupils: 0,
                    skipped: true,
                });
            }
            continue;
        }
        let plan = plan::build_sector(sector, year);
        if sector.school {
            summary.accounts = accounts(&plan);
        }
        let ctx = match &ctx {
            Some(ctx) => ctx,
            None => ctx.insert(context(now, year)?),
        };
        let first = &sector.establishments[0].uai;
        let part = store.write(|tx| {
            // Checked again inside the transaction: nothing can slip in between.
            if tx.get(&UAI_TO_ESTABLISHMENT, first)?.is_some() {
                return Err(DemoError::Partial(sector_name(sector)));
            }
            Ok(write(tx, &plan, ctx)?)
        })?;
        summary.add(&part);
        for (e, est) in plan.establishments.iter().enumerate() {
            done += 1;
            progress(&Progress {
                done,
                total,
                uai: est.uai.clone(),
                name: est.name.clone(),
                pupils: plan.pupils.iter().filter(|p| p.establishment == e).count(),
                skipped: false,
            });
        }
    }
    Ok(summary)
}

/// A sector's name for messages: its lycée's (its last establishment).
fn sector_name(sector: &SectorSpec) -> String {
    sector
        .establishments
        .last()
        .map(|e| format!("{} ({})", e.name, e.uai))
        .unwrap_or_default()
}

/// The shared password hash (hashed once) and stamps.
fn context(now: Timestamp, year: i16) -> Result<Ctx, DirectoryError> {
    let hash = crate::domain::accounts::password::hash(PASSWORD)
        .map_err(|e| DirectoryError::Store(StoreError::Random(e.to_string())))?;
    Ok(Ctx {
        hash,
        now,
        year: SchoolYear(u16::try_from(year).unwrap_or(2026)),
    })
}

/// Creates the demo school in `store` unless it already holds an establishment; `now` stamps
/// the passwords. Hashes the password once (every account shares the PHC string) and writes
/// everything in one transaction.
pub fn generate(store: &Store, now: Timestamp) -> Result<DemoSummary, DirectoryError> {
    let already = DemoSummary {
        already_present: true,
        ..DemoSummary::default()
    };
    if store
        .read()?
        .range(&ESTABLISHMENTS, ..)?
        .next()
        .transpose()?
        .is_some()
    {
        return Ok(already);
    }
    let year = school_year(now);
    let plan = plan::build(year);
    let ctx = context(now, year)?;
    store.write(|tx| {
        // Checked again inside the transaction: nothing can slip in between.
        if !tx.range(&ESTABLISHMENTS, ..)?.is_empty() {
            return Ok(already);
        }
        let mut summary = write(tx, &plan, &ctx)?;
        summary.accounts = accounts(&plan);
        Ok(summary)
    })
}

struct Ctx {
    hash: String,
    now: Timestamp,
    year: SchoolYear,
}

/// A person's fields beyond [`NewPerson`].
struct Extra<'a> {
    birth_name: Option<&'a str>,
    login: Option<&'static str>,
    platform_admin: bool,
}

/// Creates an active person with the shared password hash (and a fixed login if asked).
fn person(
    tx: &mut Tx,
    ctx: &Ctx,
    new: NewPerson,
    extra: Extra<'_>,
) -> Result<PersonId, DirectoryError> {
    let id = service::create_person(tx, new)?;
    if let Some(login) = extra.login {
        service::set_login(tx, id, login)?;
    }
    let mut p = tx.get(&PEOPLE, &id)?.ok_or(DirectoryError::NotFound)?;
    p.birth_name = extra.birth_name.map(str::to_owned);
    p.state = AccountState::Active;
    p.password_hash = Some(ctx.hash.clone());
    p.password_set_at = Some(ctx.now);
    p.platform_admin = extra.platform_admin;
    service::update_person(tx, id, &p)?;
    Ok(id)
}

fn adult(tx: &mut Tx, ctx: &Ctx, a: &plan::Adult) -> Result<PersonId, DirectoryError> {
    person(
        tx,
        ctx,
        NewPerson {
            first_name: a.first_name.clone(),
            last_name: a.last_name.clone(),
            birth_date: a.birth_date,
            ..NewPerson::default()
        },
        Extra {
            birth_name: a.birth_name.as_deref(),
            login: a.login,
            platform_admin: a.platform_admin,
        },
    )
}

/// The ids given to one establishment's planned objects.
struct Written {
    id: EstablishmentId,
    teachers: Vec<PersonId>,
    classes: Vec<ClassId>,
    groups: Vec<GroupId>,
}

fn write(tx: &mut Tx, plan: &Plan, ctx: &Ctx) -> Result<DemoSummary, DirectoryError> {
    let mut summary = DemoSummary::default();
    let mut written = Vec::new();
    for est in &plan.establishments {
        written.push(write_establishment(tx, est, ctx, &mut summary)?);
    }

    // A pupil's groups, from the groups' member lists.
    let mut pupil_groups: Vec<Vec<GroupId>> = vec![Vec::new(); plan.pupils.len()];
    for (est, w) in plan.establishments.iter().zip(&written) {
        for (group, &gid) in est.groups.iter().zip(&w.groups) {
            for &p in &group.members {
                pupil_groups[p].push(gid);
            }
        }
    }

    let mut parent_ids = BTreeSet::new();
    for family in &plan.families {
        let mut adults = Vec::new();
        for (member, relation) in &family.adults {
            let id = match member {
                Member::New(a) => adult(tx, ctx, a)?,
                Member::Teacher {
                    establishment,
                    teacher,
                } => written[*establishment].teachers[*teacher],
            };
            parent_ids.insert(id);
            adults.push((id, *relation));
        }
        let mut establishments = Vec::new();
        for &p in &family.children {
            let pupil = &plan.pupils[p];
            let w = &written[pupil.establishment];
            let id = person(
                tx,
                ctx,
                NewPerson {
                    first_name: pupil.first_name.clone(),
                    last_name: pupil.last_name.clone(),
                    birth_date: pupil.birth_date,
                    national_ids: vec![("ine".to_owned(), pupil.ine.clone())],
                    email: None,
                },
                Extra {
                    birth_name: None,
                    login: pupil.login,
                    platform_admin: false,
                },
            )?;
            service::add_profile(tx, id, w.id, Role::Eleve)?;
            service::enrol_in_class(tx, id, w.classes[pupil.class])?;
            for &g in &pupil_groups[p] {
                service::enrol_in_group(tx, id, g)?;
            }
            for &(parent, relation) in &adults {
                service::link_parent(
                    tx,
                    parent,
                    id,
                    ParentLink {
                        relation,
                        parental_authority: true,
                        receives_mail: true,
                    },
                )?;
            }
            if !establishments.contains(&w.id) {
                establishments.push(w.id);
            }
        }
        for &(parent, _) in &adults {
            for &e in &establishments {
                service::add_profile(tx, parent, e, Role::Parent)?;
            }
        }
    }
    summary.pupils = plan.pupils.len();
    summary.parents = parent_ids.len();
    Ok(summary)
}

fn write_establishment(
    tx: &mut Tx,
    est: &plan::EstablishmentPlan,
    ctx: &Ctx,
    summary: &mut DemoSummary,
) -> Result<Written, DirectoryError> {
    let id = service::create_establishment(
        tx,
        Establishment {
            uai: est.uai.clone(),
            name: est.name.clone(),
            kind: est.kind,
            town: est.town.clone(),
            academie: ACADEMIE.to_owned(),
        },
    )?;
    summary.establishments += 1;
    let mut subjects = Vec::new();
    for s in est.subjects {
        subjects.push(service::create_subject(
            tx,
            Subject {
                establishment: id,
                code: s.code.map(str::to_owned),
                name: s.name.to_owned(),
            },
        )?);
    }
    for member in &est.staff {
        let person = adult(tx, ctx, &member.adult)?;
        for &role in &member.roles {
            service::add_profile(tx, person, id, role)?;
        }
    }
    let mut teachers = Vec::new();
    for t in &est.teachers {
        let person = adult(tx, ctx, &t.adult)?;
        service::add_profile(tx, person, id, Role::Enseignant)?;
        teachers.push(person);
    }
    let mut classes = Vec::new();
    for c in &est.classes {
        classes.push(service::create_class(
            tx,
            Class {
                establishment: id,
                year: ctx.year,
                name: c.name.clone(),
                level: c.level.to_owned(),
                head_teacher: c.head.map(|t| teachers[t]),
            },
        )?);
    }
    let mut groups = Vec::new();
    for g in &est.groups {
        groups.push(service::create_group(
            tx,
            Group {
                establishment: id,
                year: ctx.year,
                name: g.name.clone(),
            },
        )?);
    }
    for t in &est.teachings {
        service::create_teaching(
            tx,
            Teaching {
                establishment: id,
                teacher: teachers[t.teacher],
                audience: match t.audience {
                    Aud::Class(c) => Audience::Class(classes[c]),
                    Aud::Group(g) => Audience::Group(groups[g]),
                },
                subject: subjects[t.subject],
            },
        )?;
    }
    summary.subjects += subjects.len();
    summary.staff += est.staff.len();
    summary.teachers += teachers.len();
    summary.classes += classes.len();
    summary.groups += groups.len();
    summary.teachings += est.teachings.len();
    Ok(Written {
        id,
        teachers,
        classes,
        groups,
    })
}

/// The fixed accounts, described from the plan.
fn accounts(plan: &Plan) -> Vec<DemoAccount> {
    let college = &plan.establishments[COLLEGE];
    let mut out = Vec::new();
    let name = |a: &plan::Adult| format!("{} {}", a.first_name, a.last_name);
    for s in &college.staff {
        let Some(login) = s.adult.login else { continue };
        let description = match login {
            "admin" => format!(
                "platform administrator, local administrator of {}",
                college.name
            ),
            "principal" => format!("principal of {}", college.name),
            _ => format!("CPE at {}", college.name),
        };
        out.push(DemoAccount {
            login,
            name: name(&s.adult),
            description,
        });
    }
    if let Some((t, teacher)) = college
        .teachers
        .iter()
        .enumerate()
        .find(|(_, t)| t.adult.login.is_some())
    {
        let classes: Vec<&str> = college
            .teachings
            .iter()
            .filter(|x| x.teacher == t)
            .filter_map(|x| match x.audience {
                Aud::Class(c) => Some(college.classes[c].name.as_str()),
                Aud::Group(_) => None,
            })
            .collect();
        let heads: Vec<&str> = college
            .classes
            .iter()
            .filter(|c| c.head == Some(t))
            .map(|c| c.name.as_str())
            .collect();
        let subject = college
            .teachings
            .iter()
            .find(|x| x.teacher == t)
            .map_or("", |x| college.subjects[x.subject].name);
        out.push(DemoAccount {
            login: "prof",
            name: name(&teacher.adult),
            description: format!(
                "teacher of {subject} at {} ({}), head teacher of {}",
                college.name,
                classes.join(", "),
                heads.join(", ")
            ),
        });
    }
    let where_is = |p: &plan::Pupil| {
        let est = &plan.establishments[p.establishment];
        (est.classes[p.class].name.as_str(), est.name.as_str())
    };
    for family in &plan.families {
        let Some(&first) = family.children.first() else {
            continue;
        };
        if plan.pupils[first].login != Some("eleve") {
            continue;
        }
        let eleve = &plan.pupils[first];
        let (class, est) = where_is(eleve);
        out.push(DemoAccount {
            login: "eleve",
            name: format!("{} {}", eleve.first_name, eleve.last_name),
            description: format!("pupil in {class} at {est}"),
        });
        for (member, _) in &family.adults {
            if let Member::New(a) = member
                && a.login == Some("parent")
            {
                let children: Vec<String> = family
                    .children
                    .iter()
                    .map(|&c| {
                        let (class, est) = where_is(&plan.pupils[c]);
                        format!("{} ({class}, {est})", plan.pupils[c].first_name)
                    })
                    .collect();
                out.push(DemoAccount {
                    login: "parent",
                    name: name(a),
                    description: format!("parent of {}", children.join(" and ")),
                });
            }
        }
    }
    out.sort_by_key(|a| FIXED_LOGINS.iter().position(|l| *l == a.login));
    out
}

#[cfg(test)]
mod tests;
