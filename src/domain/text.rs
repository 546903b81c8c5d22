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
}
