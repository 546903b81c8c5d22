//! Cell values: names, dates, e-mail addresses, phone numbers, relations, national ids and
//! lists, each normalised or refused. Pure functions; the messages are built by the caller.

use jiff::civil::Date;

use crate::domain::text::fold;
use crate::model::directory::Relation;

/// The text hygiene of one line (`text::single_line`): NFC, no control or bidirectional
/// character, runs of white space (including no-break spaces) one space, trimmed.
pub(super) fn collapse(s: &str) -> String {
    crate::domain::text::single_line(s)
}

/// A key for comparing names, classes and headers: spaces collapsed, case and accents folded.
pub(super) fn key(s: &str) -> String {
    fold(&collapse(s))
}

/// Whether `s` has a character no spreadsheet cell should hold: a control character other
/// than white space, or U+FFFD, which decoding puts where bytes were not readable.
pub(super) fn has_bad_char(s: &str) -> bool {
    s.chars()
        .any(|c| c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
}

/// Why a date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DateError {
    /// Not `JJ/MM/AAAA`.
    Format,
    /// Well formed, but no such day (31/02).
    NoSuchDay,
}

/// A `JJ/MM/AAAA` date (one-digit day and month accepted, as typed by hand).
pub(super) fn parse_date(s: &str) -> Result<Date, DateError> {
    let mut parts = s.trim().split('/');
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(DateError::Format);
    };
    let digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(d, 1, 2) || !digits(m, 1, 2) || !digits(y, 4, 4) {
        return Err(DateError::Format);
    }
    let (Ok(d), Ok(m), Ok(y)) = (d.parse::<i8>(), m.parse::<i8>(), y.parse::<i16>()) else {
        return Err(DateError::Format);
    };
    Date::new(y, m, d).map_err(|_| DateError::NoSuchDay)
}

/// A normalised e-mail address (trimmed, lower case), or `None` if it does not look like one:
/// one `@`, a local part, a domain of at least two labels of letters, digits and hyphens.
pub fn normalize_email(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() > 254 {
        return None;
    }
    let (local, domain) = s.split_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "._%+-'!#$&*/=?^`{|}~".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    (local_ok && domain_ok).then(|| s.to_lowercase())
}

/// A normalised phone number, or `None` if it is not one.
///
/// French numbers become their ten digits (`+33 6 39 98 31 04`, `0033 6…` and
/// `+33 (0)6…` → `0639983104`); other countries keep `+` and their digits (8 to 15 of them, as
/// E.164 allows). Spaces, dots, dashes, slashes and parentheses are ignored.
pub(super) fn normalize_phone(s: &str) -> Option<String> {
    let s = s.trim();
    if !s
        .chars()
        .all(|c| c.is_ascii_digit() || " .-/()+\u{a0}\u{202f}".contains(c))
    {
        return None;
    }
    let plus = s.starts_with('+');
    if s.chars().skip(1).any(|c| c == '+') {
        return None;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let international = if plus {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    match international {
        Some(intl) => match intl.strip_prefix("33") {
            Some(national) => {
                let national = national.strip_prefix('0').unwrap_or(national);
                (national.len() == 9 && !national.starts_with('0')).then(|| format!("0{national}"))
            }
            None => ((8..=15).contains(&intl.len()) && !intl.starts_with('0'))
                .then(|| format!("+{intl}")),
        },
        None => (digits.len() == 10 && digits.starts_with('0') && !digits.starts_with("00"))
            .then_some(digits),
    }
}

/// A relation, from `mère`, `père`, `tuteur` (or `tutrice`, `autre`), ignoring case, accents
/// and surrounding spaces.
pub(super) fn parse_relation(s: &str) -> Option<Relation> {
    match key(s).as_str() {
        "mere" => Some(Relation::Mere),
        "pere" => Some(Relation::Pere),
        "tuteur" | "tutrice" => Some(Relation::Tuteur),
        "autre" => Some(Relation::Autre),
        _ => None,
    }
}

/// A normalised national id (INE): spaces removed, upper case; `None` unless it is 1 to 20
/// ASCII letters and digits. Its check key is not verified (the fixtures' ids are invented).
pub fn normalize_national_id(s: &str) -> Option<String> {
    let id: String = s
        .split_whitespace()
        .collect::<String>()
        .to_ascii_uppercase();
    ((1..=20).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(id)
}

/// The items of a comma-separated cell (`6A, 5B`): collapsed, empty ones dropped, repeats
/// (ignoring case and accents) dropped.
pub(super) fn split_list(s: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut items = Vec::new();
    for item in s.split(',').map(collapse).filter(|i| !i.is_empty()) {
        let k = key(&item);
        if !seen.contains(&k) {
            seen.push(k);
            items.push(item);
        }
    }
    items
}

/// The start of a value, to quote in a message without echoing a huge cell.
pub(super) fn excerpt(s: &str) -> String {
    const MAX: usize = 40;
    let s = s.trim();
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut e: String = s.chars().take(MAX).collect();
        e.push('…');
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn names_are_collapsed_not_changed() {
        assert_eq!(collapse("  DA \u{a0} SILVA\t"), "DA SILVA");
        assert_eq!(collapse("Éloïse"), "Éloïse");
        assert_eq!(key(" Date  de NAISSANCE "), "date de naissance");
        assert_eq!(key("Prénom de l’enfant"), "prenom de l'enfant");
        assert!(has_bad_char("A\u{1}B") && has_bad_char("A\u{FFFD}") && !has_bad_char("a\tb"));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("12/01/2014"), Ok(date(2014, 1, 12)));
        assert_eq!(parse_date(" 2/1/2014 "), Ok(date(2014, 1, 2)));
        assert_eq!(parse_date("29/02/2012"), Ok(date(2012, 2, 29)));
        assert_eq!(parse_date("31/02/2012"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("00/01/2012"), Err(DateError::NoSuchDay));
        assert_eq!(parse_date("12/13/2012"), Err(DateError::NoSuchDay));
        for bad in [
            "2014-01-12",
            "12/01/14",
            "12/01/2014/1",
            "",
            "a/b/cdef",
            "+1/01/2014",
            "123/1/2014",
        ] {
            assert_eq!(parse_date(bad), Err(DateError::Format), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Sophie.Abadie@Courriel.example "),
            Some("sophie.abadie@courriel.example".to_owned())
        );
        for bad in [
            "sophie",
            "a@b",
            "a@@b.fr",
            "a b@c.fr",
            "@c.fr",
            "a@.fr",
            "a..b@c.fr",
            "a@-c.fr",
        ] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
    }

    #[test]
    fn phones_compare_by_digits() {
        let expected = Some("0639983104".to_owned());
        for p in [
            "06 39 98 31 04",
            "+33 6 39 98 31 04",
            "0639983104",
            "06.39.98.31.04",
            "0033 6 39 98 31 04",
            "+33 (0)6 39 98 31 04",
        ] {
            assert_eq!(normalize_phone(p), expected, "{p}");
        }
        assert_eq!(
            normalize_phone("04 65 71 31 06"),
            Some("0465713106".to_owned())
        );
        assert_eq!(
            normalize_phone("+41 79 123 45 67"),
            Some("+41791234567".to_owned())
        );
        for bad in [
            "06 39 98 31",
            "06 39 98 31 04 05",
            "tel 0639983104",
            "+33 6 39",
            "6+39983104",
            "0039",
            "00 00 00 00 00",
        ] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn relations_ignore_case_and_accents() {
        assert_eq!(parse_relation("mère"), Some(Relation::Mere));
        assert_eq!(parse_relation(" MERE "), Some(Relation::Mere));
        assert_eq!(parse_relation("Père"), Some(Relation::Pere));
        assert_eq!(parse_relation("tuteur"), Some(Relation::Tuteur));
        assert_eq!(parse_relation("oncle"), None);
    }
}
