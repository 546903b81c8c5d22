//! Mail texts, in French and English, from `assets/mail/<lang>/<name>.txt` (compiled into the
//! binary): a first `Subject: …` line, an empty line, then the plain-text body, with `{name}`
//! placeholders. People get French for now (there is no per-person language yet).

use crate::i18n::Lang;

/// A mail text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// The password recovery link: `prenom`, `identifiant`, `lien`, `minutes`.
    Recovery,
    /// `cartable mail test` and the debug queue: `instance`.
    Test,
}

impl Template {
    /// Every template.
    pub const ALL: [Template; 2] = [Template::Recovery, Template::Test];

    /// The placeholders the code fills in.
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            Template::Recovery => &["prenom", "identifiant", "lien", "minutes"],
            Template::Test => &["instance"],
        }
    }

    fn source(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Template::Recovery, Lang::Fr) => include_str!("../../assets/mail/fr/recuperation.txt"),
            (Template::Recovery, Lang::En) => include_str!("../../assets/mail/en/recuperation.txt"),
            (Template::Test, Lang::Fr) => include_str!("../../assets/mail/fr/test.txt"),
            (Template::Test, Lang::En) => include_str!("../../assets/mail/en/test.txt"),
        }
    }
}

/// A subject and a body, ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The subject.
    pub subject: String,
    /// The plain-text body (lines end with `\n`).
    pub body: String,
}

fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}').map(|end| (&after[..end], end)) {
            Some((name, end)) if args.iter().any(|(n, _)| *n == name) => {
                if let Some((_, value)) = args.iter().find(|(n, _)| *n == name) {
                    out.push_str(value);
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Renders `template` in `lang` with `args` (placeholder name, value). A placeholder without
/// a value stays as written.
pub fn render(template: Template, lang: Lang, args: &[(&str, &str)]) -> Rendered {
    let source = template.source(lang).replace("\r\n", "\n");
    let (subject, body) = match source.split_once('\n') {
        Some((first, rest)) if first.starts_with("Subject:") => (
            first.trim_start_matches("Subject:").trim().to_owned(),
            rest.trim_start_matches('\n').to_owned(),
        ),
        _ => ("Cartable".to_owned(), source.clone()),
    };
    Rendered {
        subject: fill(&subject, args),
        body: fill(&body, args),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders_in(text: &str) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            if let Some(end) = after.find('}') {
                out.insert(after[..end].to_owned());
                rest = &after[end + 1..];
            } else {
                break;
            }
        }
        out
    }

    #[test]
    fn every_template_has_a_subject_and_exactly_its_placeholders_in_every_language() {
        for template in Template::ALL {
            let expected: std::collections::BTreeSet<String> = template
                .placeholders()
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
            for lang in Lang::ALL {
                let source = template.source(lang);
                assert!(source.starts_with("Subject: "), "{template:?} {lang:?}");
                assert_eq!(
                    placeholders_in(source),
                    expected,
                    "{template:?} in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn rendering_fills_the_placeholders() {
        let r = render(
            Template::Recovery,
            Lang::Fr,
            &[
                ("prenom", "Ana"),
                ("identifiant", "ana.b"),
                ("lien", "https://ent/x"),
                ("minutes", "30"),
            ],
        );
        assert_eq!(r.subject, "Récupération de votre mot de passe Cartable");
        assert!(r.body.starts_with("Bonjour Ana,\n"));
        assert!(r.body.contains("« ana.b »"));
        assert!(r.body.contains("dans les 30 minutes :\nhttps://ent/x\n"));
        assert!(!r.body.contains('{'));
    }

    #[test]
    fn unknown_braces_stay() {
        assert_eq!(fill("a {x} {y", &[("x", "1")]), "a 1 {y");
        assert_eq!(fill("{z}", &[]), "{z}");
    }
}
