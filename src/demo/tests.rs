use super::plan::LYCEE;
use super::*;

/// The age a pupil of `level` reaches in the year the school year starts.
fn level_age(level: &str) -> Option<i16> {
    Some(match level {
        "6e" => 11,
        "5e" => 12,
        "4e" => 13,
        "3e" => 14,
        "2nde" => 15,
        "1re" => 16,
        "Tle" => 17,
        _ => return None,
    })
}

fn plan() -> Plan {
    plan::build(2026)
}

#[test]
fn the_plan_is_deterministic() {
    let (a, b) = (plan(), plan());
    let names = |p: &Plan| {
        p.pupils
            .iter()
            .map(|x| format!("{} {} {:?}", x.first_name, x.last_name, x.birth_date))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&b));
    assert_eq!(a.families.len(), b.families.len());
}

#[test]
fn sizes_are_realistic() {
    let p = plan();
    for e in [COLLEGE, LYCEE] {
        let est = &p.establishments[e];
        let pupils = p.pupils.iter().filter(|x| x.establishment == e).count();
        assert!((560..=640).contains(&pupils), "{} has {pupils}", est.name);
        assert_eq!(est.teachers.len(), 45);
        for (c, class) in est.classes.iter().enumerate() {
            let n = p
                .pupils
                .iter()
                .filter(|x| x.establishment == e && x.class == c)
                .count();
            assert_eq!(n, class.size, "{}", class.name);
            assert!(class.head.is_some(), "{} has no head teacher", class.name);
        }
        for g in &est.groups {
            assert!(!g.members.is_empty() && g.members.len() <= 32, "{}", g.name);
        }
    }
}

#[test]
fn every_pupil_is_in_exactly_one_family_and_ages_fit() {
    let p = plan();
    let mut seen = vec![0; p.pupils.len()];
    for f in &p.families {
        assert!(!f.adults.is_empty());
        for &c in &f.children {
            seen[c] += 1;
        }
    }
    assert!(seen.iter().all(|&n| n == 1));
    for pupil in &p.pupils {
        let est = &p.establishments[pupil.establishment];
        let age = level_age(est.classes[pupil.class].level).unwrap();
        let born = pupil.birth_date.unwrap().year();
        assert!((2026 - age - 1..=2026 - age + 1).contains(&born));
    }
    let relations = |r: Relation| {
        p.families
            .iter()
            .filter(|f| f.adults.iter().any(|(_, x)| *x == r))
            .count()
    };
    assert!(relations(Relation::Tuteur) >= 3);
    assert!(p.families.iter().filter(|f| f.adults.len() == 1).count() > 50);
    assert!(p.families.iter().filter(|f| f.children.len() >= 2).count() > 50);
    let teacher_parents = p
        .families
        .iter()
        .flat_map(|f| &f.adults)
        .filter(|(m, _)| matches!(m, Member::Teacher { .. }))
        .count();
    assert!(teacher_parents >= 2);
}

#[test]
fn names_have_accents_an_oe_and_apostrophes() {
    let p = plan();
    let all: Vec<&str> = p.pupils.iter().map(|x| x.last_name.as_str()).collect();
    assert!(all.iter().any(|n| n.contains('Œ')));
    assert!(all.iter().any(|n| n.contains('œ')));
    assert!(all.iter().any(|n| n.contains('\'')));
    assert!(p.pupils.iter().any(|x| x.first_name.contains('ï')));
}

#[test]
fn prof_teaches_the_class_of_eleve_and_heads_it() {
    let p = plan();
    let eleve = p.pupils.iter().find(|x| x.login == Some("eleve")).unwrap();
    assert_eq!(eleve.establishment, COLLEGE);
    let college = &p.establishments[COLLEGE];
    let prof = college
        .teachers
        .iter()
        .position(|t| t.adult.login == Some("prof"))
        .unwrap();
    assert_eq!(college.classes[eleve.class].head, Some(prof));
    let taught: Vec<Aud> = college
        .teachings
        .iter()
        .filter(|t| t.teacher == prof)
        .map(|t| t.audience)
        .collect();
    assert!(taught.contains(&Aud::Class(eleve.class)));
    assert!(taught.len() >= 3);
}

#[test]
fn accounts_are_described_in_order() {
    let accounts = accounts(&plan());
    let logins: Vec<&str> = accounts.iter().map(|a| a.login).collect();
    assert_eq!(logins, FIXED_LOGINS);
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1203), "1 203");
    assert_eq!(thousands(1234567), "1 234 567");
}

#[test]
fn school_years_start_in_august() {
    let at = |s: &str| school_year(s.parse().unwrap());
    assert_eq!(at("2026-09-01T06:00:00Z"), 2026);
    assert_eq!(at("2027-03-01T06:00:00Z"), 2026);
    assert_eq!(at("2027-08-20T06:00:00Z"), 2027);
}

#[test]
fn the_region_plan_has_the_seeds_sizes() {
    let sectors = region::sectors();
    let mut total = DemoSummary::default();
    for (s, spec) in sectors.iter().enumerate() {
        let plan = plan::build_sector(spec, 2026);
        let counts = count(&plan);
        assert!(counts.pupils < 5_000, "sector {s}: {counts:?}");
        for (e, est) in plan.establishments.iter().enumerate() {
            let pupils = plan.pupils.iter().filter(|p| p.establishment == e).count();
            let range = if plan::is_college(est.kind) {
                380..=900
            } else {
                560..=2_000
            };
            assert!(range.contains(&pupils), "{} has {pupils} pupils", est.name);
            assert!(est.teachers.len() >= 25, "{}", est.name);
            assert!(est.staff.len() >= 12, "{}", est.name);
            for class in &est.classes {
                assert!(class.head.is_some(), "{} {}", est.name, class.name);
            }
        }
        // Every pupil belongs to one family; INEs never repeat across sectors.
        let mut seen = vec![0; plan.pupils.len()];
        for &c in plan.families.iter().flat_map(|f| &f.children) {
            seen[c] += 1;
        }
        assert!(seen.iter().all(|&n| n == 1), "sector {s}");
        total.add(&counts);
    }
    assert_eq!(total.establishments, 48);
    assert!((38_000..=42_000).contains(&total.pupils), "{total:?}");
    assert!((65_000..=75_000).contains(&total.parents), "{total:?}");
    let staff = total.teachers + total.staff;
    assert!((3_600..=4_400).contains(&staff), "{total:?}");
    let summary = plan_summary(DemoSize::Region, 2026);
    assert_eq!(summary.pupils, total.pupils);
    assert_eq!(
        summary.accounts.iter().map(|a| a.login).collect::<Vec<_>>(),
        FIXED_LOGINS
    );
}

#[test]
fn the_region_plan_is_deterministic_and_starts_with_the_school() {
    let sectors = region::sectors();
    let fingerprint = |p: &Plan| {
        p.pupils
            .iter()
            .map(|x| {
                format!(
                    "{} {} {:?} {}",
                    x.first_name, x.last_name, x.birth_date, x.ine
                )
            })
            .collect::<Vec<_>>()
    };
    let school = plan::build(2026);
    assert_eq!(
        fingerprint(&plan::build_sector(&sectors[0], 2026)),
        fingerprint(&school)
    );
    let (a, b) = (
        plan::build_sector(&sectors[5], 2026),
        plan::build_sector(&sectors[5], 2026),
    );
    assert_eq!(fingerprint(&a), fingerprint(&b));
    assert_ne!(fingerprint(&a), fingerprint(&school));
    let mut ines: Vec<String> = Vec::new();
    for spec in &sectors {
        ines.extend(
            plan::build_sector(spec, 2026)
                .pupils
                .into_iter()
                .map(|p| p.ine),
        );
    }
    assert!(ines.iter().all(|i| i.len() == 11 && i.starts_with("99999")));
    let n = ines.len();
    ines.sort_unstable();
    ines.dedup_by(|a, b| a[..10] == b[..10]);
    assert_eq!(ines.len(), n, "INE serial numbers repeat");
}

#[test]
fn the_school_size_is_the_school_plan() {
    assert_eq!(establishment_count(DemoSize::School), 2);
    assert_eq!(establishment_count(DemoSize::Region), 48);
    assert_eq!(establishment_count(DemoSize::RegionSample(2)), 5);
    let summary = plan_summary(DemoSize::School, 2026);
    assert_eq!(summary.pupils, plan::build(2026).pupils.len());
    assert_eq!(summary.teachers, 90);
}
