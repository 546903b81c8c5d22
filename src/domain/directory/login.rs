//! Login generation: `prenom.nom`, accents folded, lower case, a number on collision.

/// Folds a name part to `a-z0-9` words joined by `-` ("Hélène-Marie" → "helene-marie",
/// "N'Diaye" → "ndiaye", "LECŒUR" → "lecoeur"). Only letters and digits are transliterated:
/// an emoji or a sign is no part of a login ("Léa 😀" → "lea", not "lea-grinning").
pub fn fold(part: &str) -> String {
    // A sign whose transliteration has letters ("😀" → "grinning") is dropped; one that reads
    // as ASCII punctuation ("–" → "-", "’" → "'") stays and acts as it does.
    let kept: String = part
        .chars()
        .filter(|c| {
            c.is_alphanumeric()
                || c.is_ascii()
                || deunicode::deunicode_char(*c)
                    .is_some_and(|t| !t.chars().any(|t| t.is_ascii_alphanumeric()))
        })
        .collect();
    let ascii = deunicode::deunicode(&kept).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if c == ' ' || c == '-' || c == '_' || c == '.' {
            dash = true;
        }
        // Apostrophes and other signs vanish: "N'Diaye" → "ndiaye".
    }
    out
}

/// The base login for a person, before collision numbers: `prenom.nom`, at most 40 characters.
pub fn base_login(first_name: &str, last_name: &str) -> String {
    let first = fold(first_name);
    let last = fold(last_name);
    let mut login = match (first.is_empty(), last.is_empty()) {
        (false, false) => format!("{first}.{last}"),
        (true, false) => last,
        (false, true) => first,
        (true, true) => "utilisateur".to_owned(),
    };
    login.truncate(40);
    login.trim_end_matches(['-', '.']).to_owned()
}

/// The first free login: `base`, then `base2`, `base3`… `taken` says whether one is in use.
pub fn unique_login<E>(
    base: &str,
    mut taken: impl FnMut(&str) -> Result<bool, E>,
) -> Result<String, E> {
    if !taken(base)? {
        return Ok(base.to_owned());
    }
    let mut n = 2u32;
    loop {
        let candidate = format!("{base}{n}");
        if !taken(&candidate)? {
            return Ok(candidate);
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_punctuation_are_folded() {
        assert_eq!(base_login("Hélène", "Bergeron"), "helene.bergeron");
        assert_eq!(
            base_login("Jean-Pierre", "De La Tour"),
            "jean-pierre.de-la-tour"
        );
        assert_eq!(base_login("Aïcha", "N'Diaye"), "aicha.ndiaye");
        assert_eq!(base_login("Zoé", "LECŒUR"), "zoe.lecoeur");
        assert_eq!(base_login("  Émile ", "Ça--Va"), "emile.ca-va");
        assert_eq!(base_login("", "Martin"), "martin");
        assert_eq!(base_login("'", "’"), "utilisateur");
        assert!(base_login(&"a".repeat(60), "b").len() <= 40);
        // Emoji and signs are no part of a login.
        assert_eq!(base_login("Léa 😀", "Dupré🎒"), "lea.dupre");
        assert_eq!(base_login("😀", "🎒"), "utilisateur");
        assert_eq!(base_login("李明", "Zoé"), "li-ming.zoe");
        assert_eq!(base_login("Jean–Pierre", "N’Diaye"), "jean-pierre.ndiaye");
    }

    #[test]
    fn collisions_get_a_number() {
        let existing = ["lea.martin", "lea.martin2"];
        let login = unique_login::<()>("lea.martin", |l| Ok(existing.contains(&l))).unwrap();
        assert_eq!(login, "lea.martin3");
        let login = unique_login::<()>("hugo.petit", |l| Ok(existing.contains(&l))).unwrap();
        assert_eq!(login, "hugo.petit");
    }
}
