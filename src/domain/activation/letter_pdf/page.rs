//! The letter's content: what is written on the page, for whom, in which order.

use super::{Letter, LetterAudience};
use crate::domain::accounts::password::MIN_LENGTH;
use crate::domain::paths;
use crate::pdf::fonts::{FontId, Fonts};
use crate::pdf::layout::{BOX_PAD, LABEL, MARGIN, PageWriter, SCALES, Span, TEXT_W, span, style};

/// The page's content stream, at the largest scale at which it fits between the margins.
pub(super) fn layout_fitting(fonts: &mut Fonts, letter: &Letter) -> Vec<u8> {
    let mut last = Vec::new();
    for scale in SCALES {
        let page = layout(fonts, letter, scale);
        let fits = page.fits();
        last = page.finish();
        if fits {
            break;
        }
    }
    last
}

/// The grouped code: "ABCDEFGHJKLM" → "ABCD-EFGH-JKLM".
pub(super) fn group_code(code: &str) -> String {
    let chars: Vec<char> = code.chars().filter(|c| !c.is_whitespace()).collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Lays one letter out at `scale`.
pub(super) fn layout<'f>(fonts: &'f mut Fonts, letter: &Letter, scale: f32) -> PageWriter<'f> {
    use FontId::{Bold, Mono, Regular};
    let pupil = matches!(letter.audience, LetterAudience::Eleve { .. });
    let mut p = PageWriter::new(fonts, scale);

    // Header: the establishment.
    p.para(&[span(Bold, &letter.establishment)], style(15.0, 10.0, 2));
    p.para(
        &[span(Regular, &letter.establishment_town)],
        style(11.0, 8.0, 1).gray(LABEL),
    );
    p.gap(4.0);
    p.rule();
    p.gap(16.0);

    // Who it is for.
    // One register per audience, as on the activation pages (issue 14 §8).
    let title = if pupil {
        "Ton compte Cartable"
    } else {
        "Votre compte Cartable"
    };
    p.para(&[span(Bold, title)], style(24.0, 24.0, 1));
    p.gap(6.0);
    p.para(
        &[span(Regular, "Pour\u{a0}: "), span(Bold, &letter.full_name)],
        style(14.0, 9.0, 3),
    );
    let children;
    let audience: Vec<Span> = match &letter.audience {
        LetterAudience::Eleve { class: Some(class) } => {
            vec![span(Regular, "Élève de "), span(Bold, class)]
        }
        LetterAudience::Eleve { class: None } => vec![span(Regular, "Élève")],
        LetterAudience::Parent { children: list } if !list.is_empty() => {
            children = list.join(", ");
            vec![
                span(Regular, "Responsable de\u{a0}: "),
                span(Bold, &children),
            ]
        }
        LetterAudience::Parent { .. } => vec![span(Regular, "Responsable d’élève")],
        LetterAudience::Personnel => vec![span(Regular, "Personnel de l’établissement")],
    };
    p.para(&audience, style(12.0, 8.0, 4));
    p.gap(8.0);
    let intro = if pupil {
        "Ce courrier te permet d’activer ton compte sur Cartable, l’espace numérique de travail \
         (ENT) de ton établissement. Il est personnel."
    } else {
        "Ce courrier vous permet d’activer votre compte sur Cartable, l’espace numérique de \
         travail (ENT) de l’établissement. Il est personnel."
    };
    p.para(&[span(Regular, intro)], style(12.0, 9.0, 3));
    p.gap(10.0);

    // The box: address, login, code.
    let top = p.y;
    p.gap(BOX_PAD);
    let inner_x = MARGIN + BOX_PAD * scale;
    let inner_w = TEXT_W - 2.0 * BOX_PAD * scale;
    let label = style(10.5, 8.0, 1).gray(LABEL);
    let address = paths::absolute(&letter.instance_url, paths::ACTIVATION);
    p.block(
        &[span(Regular, "Adresse à taper dans le navigateur")],
        label,
        inner_x,
        inner_w,
    );
    p.block(
        &[span(Mono, &address)],
        style(14.0, 9.0, 2),
        inner_x,
        inner_w,
    );
    p.gap(8.0);
    p.block(&[span(Regular, "Identifiant")], label, inner_x, inner_w);
    p.block(
        &[span(Mono, &letter.login)],
        style(16.0, 9.0, 2),
        inner_x,
        inner_w,
    );
    p.gap(8.0);
    p.block(
        &[span(Regular, "Code d’activation")],
        label,
        inner_x,
        inner_w,
    );
    let code = group_code(&letter.code);
    p.block(&[span(Mono, &code)], style(30.0, 10.0, 1), inner_x, inner_w);
    p.gap(2.0);
    p.block(
        &[
            span(Regular, "Valable une seule fois, jusqu’au "),
            span(Bold, &letter.expires_on),
            span(Regular, " inclus."),
        ],
        style(11.0, 8.0, 2),
        inner_x,
        inner_w,
    );
    p.gap(BOX_PAD - 4.0);
    let bottom = p.y;
    p.frame(top, bottom);
    p.gap(18.0);

    // What to do.
    let body = style(12.0, 9.0, 4);
    let min = MIN_LENGTH;
    let steps: [String; 4] = if pupil {
        [
            "Ouvre un navigateur internet (sur un ordinateur, une tablette ou un téléphone) et va \
             à l’adresse écrite dans le cadre ci-dessus."
                .to_owned(),
            "Tape ton identifiant et ton code d’activation, exactement comme ils sont écrits.".to_owned(),
            format!(
                "Choisis ton propre mot de passe\u{a0}: au moins {min} caractères, facile à retenir pour \
                 toi mais difficile à deviner (une petite phrase, par exemple). Ne le dis à personne."
            ),
            "Lis la charte d’utilisation de l’établissement, puis accepte-la. Ton compte est prêt\u{202f}!"
                .to_owned(),
        ]
    } else {
        [
            "Ouvrez un navigateur internet (sur un ordinateur, une tablette ou un téléphone) et \
             allez à l’adresse écrite dans le cadre ci-dessus."
                .to_owned(),
            "Saisissez votre identifiant et votre code d’activation, exactement comme ils sont \
             écrits."
                .to_owned(),
            format!(
                "Choisissez votre propre mot de passe\u{a0}: au moins {min} caractères, facile à retenir \
                 pour vous mais difficile à deviner (une courte phrase, par exemple). Ne le \
                 communiquez à personne."
            ),
            "Lisez la charte d’utilisation de l’établissement, puis acceptez-la. Votre compte est \
             prêt."
                .to_owned(),
        ]
    };
    let heading = if pupil {
        "Comment activer ton compte\u{202f}?"
    } else {
        "Comment activer votre compte\u{202f}?"
    };
    p.para(&[span(Bold, heading)], style(13.0, 10.0, 1));
    p.gap(4.0);
    for (i, step) in steps.iter().enumerate() {
        p.step(&format!("{}.", i + 1), step, body);
        p.gap(3.0);
    }
    p.gap(10.0);

    // Warnings.
    p.para(&[span(Bold, "Important")], style(13.0, 10.0, 1));
    p.gap(4.0);
    let notes: Vec<[&str; 2]> = match letter.audience {
        LetterAudience::Eleve { .. } => vec![
            [
                "Ton code ne marche qu’une seule fois.",
                " Ne le donne jamais à personne, même pas à un ami\u{a0}: personne n’en a besoin à ta \
                 place.",
            ],
            [
                "Garde ce courrier en lieu sûr.",
                " Si tu perds ton code ou ton mot de passe, demande à ton professeur principal, au \
                 CPE ou à la vie scolaire.",
            ],
        ],
        LetterAudience::Parent { .. } => vec![
            [
                "Ce code ne fonctionne qu’une seule fois.",
                " Ne le communiquez à personne\u{a0}: l’établissement ne vous le demandera jamais.",
            ],
            [
                "Chaque responsable a son propre compte\u{a0}:",
                " ne vous connectez pas avec le compte de votre enfant.",
            ],
            [
                "Conservez ce courrier en lieu sûr.",
                " En cas de perte du code ou du mot de passe, adressez-vous à la vie scolaire ou \
                 au secrétariat de l’établissement.",
            ],
        ],
        LetterAudience::Personnel => vec![
            [
                "Ce code ne fonctionne qu’une seule fois.",
                " Ne le communiquez à personne\u{a0}: l’établissement ne vous le demandera jamais.",
            ],
            [
                "Conservez ce courrier en lieu sûr.",
                " En cas de perte du code ou du mot de passe, adressez-vous à l’administrateur de \
                 l’ENT de l’établissement.",
            ],
        ],
    };
    for [lead, rest] in notes {
        p.para(&[span(Bold, lead), span(Regular, rest)], body);
        p.gap(4.0);
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::activation::letter_pdf::tests::letter;

    #[test]
    fn codes_are_grouped_by_four() {
        assert_eq!(group_code("ABCDEFGHJKLM"), "ABCD-EFGH-JKLM");
        assert_eq!(group_code("ABCDE"), "ABCD-E");
        assert_eq!(group_code(""), "");
    }

    #[test]
    fn huge_fields_stay_inside_the_margins() {
        let long = "Marie-Éléonore-Bénédicte DE LA ROCHEFOUCAULD-D’AUBIGNÉ ".repeat(20);
        let unbroken = "X".repeat(600);
        let mut l = letter(
            &long,
            LetterAudience::Parent {
                children: vec![long.clone(); 30],
            },
        );
        l.establishment = long.clone();
        l.establishment_town = unbroken.clone();
        l.instance_url = format!("https://{unbroken}");
        l.login = unbroken.clone();
        l.code = unbroken.clone();
        l.expires_on = long.clone();
        let mut fonts = Fonts::load().unwrap();
        let fitted = SCALES.iter().any(|&s| layout(&mut fonts, &l, s).fits());
        assert!(fitted, "some scale fits");
        // A 120-character name fits at full size.
        let name: String = "Ébène-Œuvrard ".chars().cycle().take(120).collect();
        let page = layout(&mut fonts, &letter(&name, LetterAudience::Personnel), 1.0);
        assert!(page.fits());
        for audience in [
            LetterAudience::Eleve {
                class: Some("5B".into()),
            },
            LetterAudience::Eleve { class: None },
            LetterAudience::Parent { children: vec![] },
            LetterAudience::Personnel,
        ] {
            assert!(layout(&mut fonts, &letter("Léa MARTIN", audience), 1.0).fits());
        }
    }
}
