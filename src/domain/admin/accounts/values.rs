//! The values of the account and establishment forms: names, dates, e-mail, INE, login,
//! roles and establishment kinds, each normalised or refused with a translation key. Pure
//! functions (the e-mail and INE rules are the spreadsheet import's, `import/csv/values.rs`).

use jiff::civil::Date;

use super::FieldError;
use crate::domain::text;
use crate::model::directory::{EstablishmentKind, Role, StaffFunction};

/// Longest first name, last name, birth name, town or académie, in characters.
pub const NAME_MAX: usize = 100;
/// Longest establishment name, in characters.
pub const ESTABLISHMENT_NAME_MAX: usize = 150;
/// Shortest and longest login.
pub const LOGIN_LENGTH: std::ops::RangeInclusive<usize> = 3..=40;
/// A pupil's plausible age range on the day of the change, in years.
pub const PUPIL_AGE: std::ops::RangeInclusive<i16> = 5..=30;
/// An adult's plausible age range, in years.
pub const ADULT_AGE: std::ops::RangeInclusive<i16> = 14..=120;

/// A name: the text hygiene of one line ([`text::single_line`]: NFC, no bidirectional
/// control, white space collapsed, trimmed); required or not; at most `max` characters; no
/// control character other than white space (refused, not silently removed: the form is
/// shown again).
pub(super) fn clean_name(
    field: &'static str,
    value: &str,
    required: bool,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> String {
    let v = text::single_line(value);
    let key = if v.is_empty() && required {
        Some("comptes-obligatoire")
    } else if v.chars().count() > max {
        Some(if max == NAME_MAX {
            "comptes-trop-long"
        } else {
            "comptes-trop-long-etablissement"
        })
    } else if value
        .chars()
        .any(|c| (c.is_control() && !c.is_whitespace()) || c == '\u{FFFD}')
    {
        Some("comptes-caractere-invalide")
    } else {
        None
    };
    if let Some(key) = key {
        errors.push(FieldError { field, key });
    }
    v
}

/// A person's first, last or birth name: [`clean_name`], and at least one letter
/// ([`text::has_letter`]): « 😀🎒 » or « 123 » is no name (and would give the login
/// `grinning-school-satchel`).
pub(super) fn person_name(
    field: &'static str,
    value: &str,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> String {
    let before = errors.len();
    let v = clean_name(field, value, required, NAME_MAX, errors);
    if errors.len() == before && !v.is_empty() && !text::has_letter(&v) {
        errors.push(FieldError {
            field,
            key: "comptes-nom-sans-lettre",
        });
    }
    v
}

/// A `JJ/MM/AAAA` date (one-digit day and month accepted), as the spreadsheet import reads it.
pub fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().split('/');
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(d, 1, 2) || !digits(m, 1, 2) || !digits(y, 4, 4) {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// The date `years` years before `today` (29 February → 28 February).
fn years_before(today: Date, years: i16) -> Date {
    today
        .checked_sub(jiff::Span::new().years(years))
        .unwrap_or(Date::MIN)
}

/// A birth date: required for a pupil; a real day, not in the future, giving a plausible age
/// ([`PUPIL_AGE`] for a pupil, [`ADULT_AGE`] otherwise).
pub(super) fn birth_date(
    value: &str,
    pupil: bool,
    today: Date,
    errors: &mut Vec<FieldError>,
) -> Option<Date> {
    let field = "birth_date";
    if value.trim().is_empty() {
        if pupil {
            errors.push(FieldError {
                field,
                key: "comptes-naissance-obligatoire",
            });
        }
        return None;
    }
    let Some(date) = parse_date(value) else {
        errors.push(FieldError {
            field,
            key: "comptes-date-invalide",
        });
        return None;
    };
    let (ages, key) = if pupil {
        (PUPIL_AGE, "comptes-naissance-eleve")
    } else {
        (ADULT_AGE, "comptes-naissance-adulte")
    };
    let key = if date > today {
        Some("comptes-naissance-future")
    } else if date > years_before(today, *ages.start())
        || date <= years_before(today, ages.end() + 1)
    {
        Some(key)
    } else {
        None
    };
    if let Some(key) = key {
        errors.push(FieldError { field, key });
    }
    Some(date)
}

pub use crate::domain::import::csv::{normalize_email, normalize_national_id};

pub(super) fn email(value: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    let e = normalize_email(value);
    if e.is_none() {
        errors.push(FieldError {
            field: "email",
            key: "comptes-courriel-invalide",
        });
    }
    e
}

/// Whether `login` (already lower case) is a valid login: [`LOGIN_LENGTH`] characters of
/// `a-z`, `0-9`, `.` and `-`.
pub fn is_login(login: &str) -> bool {
    LOGIN_LENGTH.contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// The roles an account can be created with or given in an edit, in the order forms list them
/// (`AdminLocal` is named by the platform administrator only).
pub const ROLES: [Role; 12] = [
    Role::Eleve,
    Role::Parent,
    Role::Enseignant,
    Role::Personnel(StaffFunction::Direction),
    Role::Personnel(StaffFunction::Cpe),
    Role::Personnel(StaffFunction::Aed),
    Role::Personnel(StaffFunction::Secretariat),
    Role::Personnel(StaffFunction::Gestion),
    Role::Personnel(StaffFunction::Infirmerie),
    Role::Personnel(StaffFunction::Documentation),
    Role::Personnel(StaffFunction::Psychologue),
    Role::Personnel(StaffFunction::Autre),
];

/// The value of a role in forms.
pub fn role_code(role: Role) -> &'static str {
    match role {
        Role::Eleve => "eleve",
        Role::Parent => "parent",
        Role::Enseignant => "enseignant",
        Role::AdminLocal => "admin-local",
        Role::Personnel(f) => match f {
            StaffFunction::Direction => "personnel-direction",
            StaffFunction::Cpe => "personnel-cpe",
            StaffFunction::Aed => "personnel-aed",
            StaffFunction::Secretariat => "personnel-secretariat",
            StaffFunction::Gestion => "personnel-gestion",
            StaffFunction::Infirmerie => "personnel-infirmerie",
            StaffFunction::Documentation => "personnel-documentation",
            StaffFunction::Psychologue => "personnel-psychologue",
            StaffFunction::Autre => "personnel-autre",
        },
    }
}

/// The role of a form value, `AdminLocal` included.
pub fn role_of_code(code: &str) -> Option<Role> {
    ROLES
        .into_iter()
        .chain([Role::AdminLocal])
        .find(|r| role_code(*r) == code.trim())
}

/// Every kind of establishment, in the order the form lists them.
pub const KINDS: [EstablishmentKind; 5] = [
    EstablishmentKind::College,
    EstablishmentKind::LyceeGeneral,
    EstablishmentKind::LyceeProfessionnel,
    EstablishmentKind::LyceeAgricole,
    EstablishmentKind::Cfa,
];

/// The value of an establishment kind in forms.
pub fn kind_code(kind: EstablishmentKind) -> &'static str {
    match kind {
        EstablishmentKind::College => "college",
        EstablishmentKind::LyceeGeneral => "lycee-general",
        EstablishmentKind::LyceeProfessionnel => "lycee-professionnel",
        EstablishmentKind::LyceeAgricole => "lycee-agricole",
        EstablishmentKind::Cfa => "cfa",
    }
}

pub use crate::clock::paris_date;

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn names_are_trimmed_collapsed_and_bounded() {
        let mut errors = Vec::new();
        assert_eq!(
            clean_name(
                "first_name",
                "  Marie \u{a0} Claire ",
                true,
                NAME_MAX,
                &mut errors
            ),
            "Marie Claire"
        );
        assert!(errors.is_empty());
        clean_name("first_name", "   ", true, NAME_MAX, &mut errors);
        clean_name("birth_name", "", false, NAME_MAX, &mut errors);
        clean_name("last_name", &"a".repeat(101), true, NAME_MAX, &mut errors);
        clean_name("last_name", "A\u{1}B", true, NAME_MAX, &mut errors);
        let keys: Vec<_> = errors.iter().map(|e| e.key).collect();
        assert_eq!(
            keys,
            [
                "comptes-obligatoire",
                "comptes-trop-long",
                "comptes-caractere-invalide"
            ]
        );
        assert!(
            clean_name("x", &"é".repeat(100), true, NAME_MAX, &mut Vec::new())
                .chars()
                .count()
                == 100
        );
    }

    #[test]
    fn person_names_need_a_letter_and_lose_direction_changes() {
        let mut errors = Vec::new();
        assert_eq!(
            person_name("first_name", " L\u{e9}a\u{202e} ", true, &mut errors),
            "Léa"
        );
        assert_eq!(person_name("first_name", "李", true, &mut errors), "李");
        assert_eq!(
            person_name("last_name", "N'Diaye", true, &mut errors),
            "N'Diaye"
        );
        assert_eq!(person_name("birth_name", "", false, &mut errors), "");
        assert!(errors.is_empty(), "{errors:?}");
        person_name("first_name", "😀🎒", true, &mut errors);
        person_name("last_name", "12 - 3", true, &mut errors);
        person_name("birth_name", "\u{2066}!\u{2069}", false, &mut errors);
        // One error a field: the empty name says it is required, not that it has no letter.
        person_name("first_name", "\u{202e}", true, &mut errors);
        let got: Vec<_> = errors.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            got,
            [
                ("first_name", "comptes-nom-sans-lettre"),
                ("last_name", "comptes-nom-sans-lettre"),
                ("birth_name", "comptes-nom-sans-lettre"),
                ("first_name", "comptes-obligatoire"),
            ]
        );
    }

    #[test]
    fn birth_dates_are_real_past_and_plausible() {
        let today = date(2026, 9, 1);
        let check = |v: &str, pupil: bool| {
            let mut errors = Vec::new();
            let d = birth_date(v, pupil, today, &mut errors);
            (d, errors.first().map(|e| e.key))
        };
        assert_eq!(check("12/01/2014", true), (Some(date(2014, 1, 12)), None));
        assert_eq!(check("", true).1, Some("comptes-naissance-obligatoire"));
        assert_eq!(check("", false), (None, None));
        assert_eq!(check("31/02/2014", true).1, Some("comptes-date-invalide"));
        assert_eq!(check("2014-01-12", true).1, Some("comptes-date-invalide"));
        assert_eq!(
            check("01/01/2030", false).1,
            Some("comptes-naissance-future")
        );
        assert_eq!(check("01/01/2024", true).1, Some("comptes-naissance-eleve"));
        assert_eq!(check("01/01/1980", true).1, Some("comptes-naissance-eleve"));
        assert_eq!(check("01/09/2021", true).1, None, "exactly 5");
        assert_eq!(check("01/01/1980", false).1, None);
        assert_eq!(
            check("01/01/1890", false).1,
            Some("comptes-naissance-adulte")
        );
        assert_eq!(
            check("01/01/2020", false).1,
            Some("comptes-naissance-adulte")
        );
    }

    #[test]
    fn emails_ids_and_logins() {
        assert_eq!(
            normalize_email(" Anne.Martin@Exemple.FR "),
            Some("anne.martin@exemple.fr".to_owned())
        );
        for bad in ["anne", "a@b", "a@@b.fr", "a b@c.fr", "a..b@c.fr"] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
        assert_eq!(
            normalize_national_id(" 1234567890a "),
            Some("1234567890A".to_owned())
        );
        assert_eq!(normalize_national_id("1234-567"), None);
        assert!(is_login("lea.martin2") && is_login("j-p.de-la-tour") && is_login("abc"));
        for bad in [
            "ab",
            "Lea",
            "léa.martin",
            "lea_martin",
            "lea martin",
            &"a".repeat(41),
        ] {
            assert!(!is_login(bad), "{bad}");
        }
    }

    #[test]
    fn role_and_kind_codes_round_trip() {
        for r in ROLES.into_iter().chain([Role::AdminLocal]) {
            assert_eq!(role_of_code(role_code(r)), Some(r));
        }
        assert_eq!(role_of_code("chef"), None);
        let codes: std::collections::BTreeSet<_> = KINDS.into_iter().map(kind_code).collect();
        assert_eq!(codes.len(), KINDS.len());
    }
}
