//! Mail texts, in French and English: for each [`Template`], two Fluent messages of
//! `assets/i18n/<lang>/`, `<key>-objet` (the subject) and `<key>-corps` (the plain-text body,
//! to which the final line break is added), rendered through the embedded catalogue
//! ([`crate::i18n::embedded`]). A mail goes out in its recipient's language
//! ([`language_of`]).

use fluent_bundle::FluentValue;

use crate::i18n::{self, Lang};
use crate::model::directory::Person;

/// A mail text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// The password recovery link: `prenom`, `identifiant`, `lien`, `minutes`, `registre`.
    ///
    /// `registre` (in every template a pupil may receive) is `tu` for a pupil and `vous` for
    /// anyone else (`domain::audience::Audience::register`, issue 14 §8).
    Recovery,
    /// `cartable mail test` and the debug queue: `instance`.
    Test,
    /// A message arrived: `de`, `objet`, `extrait`, `accuse` (`oui` or `non`), `lien`,
    /// `registre`.
    MessageReceived,
    /// A message was reported, to the administrators: `lien`.
    MessageReported,
    /// The daily digest: `nombre` (a number, for the plural), `lignes` (the items, one a line,
    /// each a [`digest_line`]), `registre`.
    Digest,
}

impl Template {
    /// Every template.
    pub const ALL: [Template; 5] = [
        Template::Recovery,
        Template::Test,
        Template::MessageReceived,
        Template::MessageReported,
        Template::Digest,
    ];

    /// The arguments the code gives.
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            Template::Recovery => &["prenom", "identifiant", "lien", "minutes", "registre"],
            Template::Test => &["instance"],
            Template::MessageReceived => &["de", "objet", "extrait", "accuse", "lien", "registre"],
            Template::MessageReported => &["lien"],
            Template::Digest => &["nombre", "lignes", "registre"],
        }
    }

    /// The messages' common start: `<key>-objet`, `<key>-corps`.
    fn key(self) -> &'static str {
        match self {
            Template::Recovery => "courriel-recuperation",
            Template::Test => "courriel-test",
            Template::MessageReceived => "notification-message",
            Template::MessageReported => "notification-signalement",
            Template::Digest => "notification-resume",
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

/// The language of the mails to `person`: French for now, as people have no language of
/// their own yet.
pub fn language_of(_person: &Person) -> Lang {
    Lang::Fr
}

/// Renders `template` in `lang` with `args` (name, value: `"texte".into()`, `3.into()`).
pub fn render(template: Template, lang: Lang, args: &[(&str, FluentValue<'_>)]) -> Rendered {
    let key = template.key();
    Rendered {
        subject: i18n::text(lang, &format!("{key}-objet"), args),
        body: i18n::text(lang, &format!("{key}-corps"), args) + "\n",
    }
}

/// One item of the [`Template::Digest`]'s `lignes`: when (already formatted) and what.
pub fn digest_line(lang: Lang, when: &str, what: &str) -> String {
    i18n::text(
        lang,
        "notification-resume-ligne",
        &[("quand", when.into()), ("quoi", what.into())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict(template: Template, lang: Lang, args: &[(&str, FluentValue<'_>)]) -> Option<String> {
        let args = i18n::fluent_args(args);
        let catalog = i18n::embedded();
        let key = template.key();
        Some(
            catalog.msg_strict(lang, &format!("{key}-objet"), Some(&args))?
                + "\n"
                + &catalog.msg_strict(lang, &format!("{key}-corps"), Some(&args))?,
        )
    }

    #[test]
    fn every_template_uses_exactly_its_arguments_in_every_language() {
        for template in Template::ALL {
            let names = template.placeholders();
            let all: Vec<(&str, FluentValue)> =
                names.iter().map(|n| (*n, FluentValue::from(2))).collect();
            for lang in Lang::ALL {
                assert!(
                    strict(template, lang, &all).is_some(),
                    "{template:?} in {lang:?}: missing, or uses an argument not listed"
                );
                for missing in names {
                    let fewer: Vec<(&str, FluentValue)> =
                        all.iter().filter(|(n, _)| n != missing).cloned().collect();
                    assert!(
                        strict(template, lang, &fewer).is_none(),
                        "{template:?} in {lang:?} does not use {missing}"
                    );
                }
            }
        }
    }

    #[test]
    fn rendering_fills_the_arguments() {
        let r = render(
            Template::Recovery,
            Lang::Fr,
            &[
                ("prenom", "Ana".into()),
                ("identifiant", "ana.b".into()),
                ("lien", "https://ent/x".into()),
                ("minutes", "30".into()),
                ("registre", "vous".into()),
            ],
        );
        assert_eq!(r.subject, "Récupération de votre mot de passe Cartable");
        assert_eq!(
            r.body,
            "Bonjour Ana,\n\nQuelqu’un (sans doute vous) a demandé à choisir un nouveau mot de \
             passe pour le compte Cartable « ana.b ».\n\nPour le choisir, ouvrez ce lien dans les \
             30 minutes :\nhttps://ent/x\n\nLe lien ne fonctionne qu’une fois. Si vous n’avez \
             rien demandé, ignorez ce message : votre mot de passe actuel reste valable.\n\n— \
             Cartable, l’espace numérique de travail de votre établissement\n"
        );
        let test = render(
            Template::Test,
            Lang::En,
            &[("instance", "https://e".into())],
        );
        assert_eq!(test.subject, "Cartable: test mail");
        assert!(
            test.body
                .starts_with("Hello,\n\nThis test mail was sent by Cartable (https://e) ")
        );
        assert!(test.body.ends_with("workspace\n"));
    }

    #[test]
    fn a_pupil_is_told_tu_as_on_their_letter() {
        let r = render(
            Template::Recovery,
            Lang::Fr,
            &[
                ("prenom", "Léa".into()),
                ("identifiant", "lea.m".into()),
                ("lien", "L".into()),
                ("minutes", "30".into()),
                ("registre", "tu".into()),
            ],
        );
        assert_eq!(r.subject, "Récupération de ton mot de passe Cartable");
        assert!(r.body.contains("ouvre ce lien") && r.body.contains("Si tu n’as rien demandé"));
        assert!(!r.body.contains("vous"), "{}", r.body);
        let r = render(
            Template::MessageReceived,
            Lang::Fr,
            &[
                ("de", "Paul MARTIN".into()),
                ("objet", "Sortie".into()),
                ("extrait", "x".into()),
                ("accuse", "non".into()),
                ("lien", "L".into()),
                ("registre", "tu".into()),
            ],
        );
        assert!(
            r.body.starts_with("Paul MARTIN t’a écrit sur Cartable"),
            "{}",
            r.body
        );
        let r = render(
            Template::Digest,
            Lang::Fr,
            &[
                ("nombre", 2.into()),
                ("lignes", "x".into()),
                ("registre", "tu".into()),
            ],
        );
        assert_eq!(r.subject, "Cartable : ton résumé du jour (2 nouveautés)");
        assert!(r.body.contains("pour toi"));
    }

    #[test]
    fn notification_mails_keep_their_layout() {
        for ack in [false, true] {
            let r = render(
                Template::MessageReceived,
                Lang::Fr,
                &[
                    ("de", "Paul MARTIN".into()),
                    ("objet", "Sortie".into()),
                    ("extrait", "Le corps.".into()),
                    ("accuse", if ack { "oui" } else { "non" }.into()),
                    ("lien", "https://ent/messagerie/messages/3".into()),
                    ("registre", "vous".into()),
                ],
            );
            let ack = if ack {
                "\nL’expéditeur demande un accusé de lecture (« Vu et signé »).\n"
            } else {
                ""
            };
            assert_eq!(r.subject, "Nouveau message de Paul MARTIN : Sortie");
            assert_eq!(
                r.body,
                format!(
                    "Paul MARTIN vous a écrit sur Cartable : « Sortie ».\n\nLe corps.\n{ack}\n\
                     Lire le message : https://ent/messagerie/messages/3\n"
                )
            );
        }
        let r = render(Template::MessageReported, Lang::Fr, &[("lien", "L".into())]);
        assert_eq!(r.subject, "Cartable : un message a été signalé");
        assert_eq!(
            r.body,
            "Un message a été signalé dans votre établissement. La discussion est gelée \
             jusqu’à votre examen.\n\nExaminer le signalement : L\n"
        );
        let lines = [
            digest_line(Lang::Fr, "16/09 10:00", "A"),
            digest_line(Lang::Fr, "16/09 11:00", "B"),
        ]
        .join("\n");
        for (n, subject) in [
            (1, "Cartable : votre résumé du jour (1 nouveauté)"),
            (3, "Cartable : votre résumé du jour (3 nouveautés)"),
        ] {
            let r = render(
                Template::Digest,
                Lang::Fr,
                &[
                    ("nombre", n.into()),
                    ("lignes", lines.as_str().into()),
                    ("registre", "vous".into()),
                ],
            );
            assert_eq!(r.subject, subject);
            assert_eq!(
                r.body,
                "Voici ce qui s’est passé pour vous sur Cartable :\n\n- 16/09 10:00 — A\n\
                 - 16/09 11:00 — B\n"
            );
        }
        let r = render(
            Template::Digest,
            Lang::En,
            &[
                ("nombre", 1.into()),
                ("lignes", "x".into()),
                ("registre", "vous".into()),
            ],
        );
        assert_eq!(r.subject, "Cartable: your daily summary (1 new item)");
    }
}
