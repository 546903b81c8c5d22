//! The demo's families: who lives with whom, and which seats of which classes of the sector
//! their children take.

use rand::RngExt;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::curriculum::level_of;
use super::names;
use super::plan::{
    COLLEGE, EstablishmentPlan, Family, Member, PARENT_BORN, Pupil, adult, date_in, fixed,
    is_college, percent, pick, random_adult,
};
use crate::model::directory::Relation;

fn pupil(
    rng: &mut ChaCha8Rng,
    year: i16,
    plan: &[EstablishmentPlan],
    seat: (usize, usize),
    last_name: &str,
    ine: u64,
) -> Pupil {
    let (e, c) = seat;
    let age = level_of(is_college(plan[e].kind), plan[e].classes[c].level).map_or(11, |l| l.age);
    // A few pupils repeated a year, fewer skipped one.
    let born = match rng.random_range(0..100u32) {
        0..6 => year - age - 1,
        6 => year - age + 1,
        _ => year - age,
    };
    let girl = percent(rng, 50);
    let key = char::from(b'A' + rng.random_range(0..26u8));
    Pupil {
        first_name: pick(rng, if girl { names::GIRLS } else { names::BOYS }).to_owned(),
        last_name: last_name.to_owned(),
        birth_date: date_in(rng, born),
        // Fictitious INE: a serial number under the fixtures' reserved 99999 prefix (999999 and
        // 4 digits in the school demo), a key letter.
        ine: format!("{ine:010}{key}"),
        establishment: e,
        class: c,
        login: None,
    }
}

/// Parents and pupils: families take the classes' seats in a random order, so brothers and
/// sisters land anywhere in the sector's establishments. `fixed` gives the seats of `eleve` and
/// her brother (the school demo only); pupils' INE numbers start at `ine_base`; `siblings` are
/// the percentages of [`super::plan::SectorSpec::siblings`].
pub(super) fn families(
    rng: &mut ChaCha8Rng,
    year: i16,
    plan: &[EstablishmentPlan],
    fixed_seats: Option<((usize, usize), (usize, usize))>,
    ine_base: u64,
    siblings: [u32; 2],
) -> (Vec<Pupil>, Vec<Family>) {
    let mut seats: Vec<(usize, usize)> = Vec::new();
    for (e, est) in plan.iter().enumerate() {
        for (c, class) in est.classes.iter().enumerate() {
            seats.extend(std::iter::repeat_n((e, c), class.size));
        }
    }
    for taken in fixed_seats.iter().flat_map(|&(a, b)| [a, b]) {
        if let Some(i) = seats.iter().position(|&s| s == taken) {
            seats.swap_remove(i);
        }
    }
    seats.shuffle(rng);

    let mut pupils = Vec::new();
    let mut families = Vec::new();
    let ine = |index: usize| ine_base + index as u64;
    if let Some((eleve_seat, sibling_seat)) = fixed_seats {
        let seats = (eleve_seat, sibling_seat);
        fixed_family(rng, year, plan, seats, ine_base, &mut pupils, &mut families);
    }

    let mut teacher_parents: Vec<(usize, usize)> = Vec::new();
    let mut seats = seats.into_iter().peekable();
    while seats.peek().is_some() {
        let roll = rng.random_range(0..100u32);
        let n = if roll < siblings[0] {
            1
        } else if roll < siblings[1] {
            2
        } else {
            3
        };
        let kids: Vec<(usize, usize)> = seats.by_ref().take(n).collect();
        let first_estab = kids.first().map_or(COLLEGE, |k| k.0);
        let (adults, child_name) = parents(rng, plan, first_estab, &mut teacher_parents);
        let mut children = Vec::new();
        for seat in kids {
            children.push(pupils.len());
            let p = pupil(rng, year, plan, seat, &child_name, ine(pupils.len()));
            pupils.push(p);
        }
        families.push(Family { adults, children });
    }
    (pupils, families)
}

/// The school demo's fixed family: `parent` (the mother) and the father; `eleve` at the collège
/// and a brother at the lycée: the first two pupils.
fn fixed_family(
    rng: &mut ChaCha8Rng,
    year: i16,
    plan: &[EstablishmentPlan],
    (eleve_seat, sibling_seat): ((usize, usize), (usize, usize)),
    ine_base: u64,
    pupils: &mut Vec<Pupil>,
    families: &mut Vec<Family>,
) {
    let ine = |index: usize| ine_base + index as u64;
    let mut mother = fixed("Nathalie", "Chabrier", true, 1979, "parent");
    mother.birth_name = Some("Fauré".to_owned());
    let father = adult(rng, false, "Chabrier", 1977..=1977);
    let mut eleve = pupil(rng, year, plan, eleve_seat, "Chabrier", ine(pupils.len()));
    eleve.first_name = "Léa".to_owned();
    eleve.login = Some("eleve");
    pupils.push(eleve);
    let mut brother = pupil(rng, year, plan, sibling_seat, "Chabrier", ine(pupils.len()));
    brother.first_name = "Hugo".to_owned();
    pupils.push(brother);
    families.push(Family {
        adults: vec![
            (Member::New(mother), Relation::Mere),
            (Member::New(father), Relation::Pere),
        ],
        children: vec![0, 1],
    });
}

/// A family's adults and the children's surname.
fn parents(
    rng: &mut ChaCha8Rng,
    plan: &[EstablishmentPlan],
    establishment: usize,
    teacher_parents: &mut Vec<(usize, usize)>,
) -> (Vec<(Member, Relation)>, String) {
    let s1 = pick(rng, names::SURNAMES);
    let mut s2 = pick(rng, names::SURNAMES);
    if s2 == s1 {
        s2 = pick(rng, names::SURNAMES);
    }
    let double = format!("{s1}-{s2}");
    let roll = rng.random_range(0..1000u32);
    match roll {
        // Married or not, living together; the mother often uses the father's name.
        0..680 => {
            // Now and then a parent teaches at the children's establishment.
            if roll < 8
                && let Some(t) = free_teacher(rng, plan, establishment, teacher_parents)
            {
                let teacher = &plan[establishment].teachers[t];
                let name = teacher.adult.last_name.clone();
                let other = adult(rng, !teacher.adult.female, &name, PARENT_BORN);
                let (t_rel, o_rel) = if teacher.adult.female {
                    (Relation::Mere, Relation::Pere)
                } else {
                    (Relation::Pere, Relation::Mere)
                };
                let member = Member::Teacher {
                    establishment,
                    teacher: t,
                };
                return (vec![(member, t_rel), (Member::New(other), o_rel)], name);
            }
            let father = adult(rng, false, s1, PARENT_BORN);
            let mut mother = adult(rng, true, s2, PARENT_BORN);
            if percent(rng, 65) {
                mother.last_name = s1.to_owned();
                mother.birth_name = Some(s2.to_owned());
            }
            let child = if percent(rng, 8) {
                double
            } else {
                s1.to_owned()
            };
            (
                vec![
                    (Member::New(mother), Relation::Mere),
                    (Member::New(father), Relation::Pere),
                ],
                child,
            )
        }
        // Two mothers.
        680..690 => {
            let a = adult(rng, true, s1, PARENT_BORN);
            let b = adult(rng, true, s2, PARENT_BORN);
            (
                vec![
                    (Member::New(a), Relation::Mere),
                    (Member::New(b), Relation::Mere),
                ],
                double,
            )
        }
        // Separated: two parents at two addresses, both with parental authority.
        690..830 => {
            let father = adult(rng, false, s1, PARENT_BORN);
            let mother = adult(rng, true, s2, PARENT_BORN);
            let child = if percent(rng, 12) {
                double
            } else {
                s1.to_owned()
            };
            (
                vec![
                    (Member::New(mother), Relation::Mere),
                    (Member::New(father), Relation::Pere),
                ],
                child,
            )
        }
        // A mother alone.
        830..950 => {
            let mother = adult(rng, true, s1, PARENT_BORN);
            (vec![(Member::New(mother), Relation::Mere)], s1.to_owned())
        }
        // A father alone.
        950..980 => {
            let father = adult(rng, false, s1, PARENT_BORN);
            (vec![(Member::New(father), Relation::Pere)], s1.to_owned())
        }
        // A guardian (an aunt, an uncle, a grandparent…) with another name.
        _ => {
            let guardian = random_adult(rng, 1955..=1990);
            (
                vec![(Member::New(guardian), Relation::Tuteur)],
                s1.to_owned(),
            )
        }
    }
}

/// A teacher of `establishment` who is not yet a parent here and has no fixed login.
fn free_teacher(
    rng: &mut ChaCha8Rng,
    plan: &[EstablishmentPlan],
    establishment: usize,
    taken: &mut Vec<(usize, usize)>,
) -> Option<usize> {
    let teachers = &plan[establishment].teachers;
    let start = rng.random_range(0..teachers.len());
    let t = (0..teachers.len())
        .map(|i| (start + i) % teachers.len())
        .find(|&t| teachers[t].adult.login.is_none() && !taken.contains(&(establishment, t)))?;
    taken.push((establishment, t));
    Some(t)
}
