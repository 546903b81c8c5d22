//! French text helpers: sorting and matching that ignore accents and case, as French users
//! expect ("Émile" sorts with "Emile", "eleve" finds "élève").

/// A key that sorts French names as people expect: accents and case folded, then the original
/// as a tie-breaker.
pub fn french_key(s: &str) -> (String, String) {
    (fold(s), s.to_owned())
}

/// Lower case without accents: "Élève" → "eleve", "Œuvre" → "oeuvre".
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// A date as French prose: "24 février 2027", "1er mars 2027".
pub fn french_date(date: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let month = MONTHS[usize::try_from(date.month() - 1).unwrap_or(0) % 12];
    let day = if date.day() == 1 {
        "1er".to_owned()
    } else {
        date.day().to_string()
    };
    format!("{day} {month} {}", date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_do_not_change_the_order() {
        let mut names = vec!["Zoé", "émile", "Eric", "Élodie", "Adèle"];
        names.sort_by_key(|n| french_key(n));
        assert_eq!(names, ["Adèle", "Élodie", "émile", "Eric", "Zoé"]);
        assert_eq!(fold("Élève Œuvre"), "eleve oeuvre");
    }

    #[test]
    fn dates_read_as_french_prose() {
        let d = |y, m, d| jiff::civil::date(y, m, d);
        assert_eq!(french_date(d(2027, 2, 24)), "24 février 2027");
        assert_eq!(french_date(d(2027, 3, 1)), "1er mars 2027");
        assert_eq!(french_date(d(2026, 12, 31)), "31 décembre 2026");
    }
}
