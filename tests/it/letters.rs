//! Credential letters as PDF (issue 5 §4), checked the way a reader sees them: poppler's
//! `pdftotext`, `pdfinfo` and `pdftoppm` (Debian's poppler-utils, installed by scripts/test) read
//! the file `letter_pdf::render` wrote.

use std::path::Path;
use std::process::{Command, Output};

use cartable::domain::activation::letter_pdf::{Letter, LetterAudience, render};

fn letter(full_name: &str, login: &str, audience: LetterAudience) -> Letter {
    Letter {
        establishment: "Collège Émile-Zola".into(),
        establishment_town: "Clermont-Ferrand".into(),
        instance_url: "https://ent.exemple.fr".into(),
        full_name: full_name.into(),
        audience,
        login: login.into(),
        code: "ABCDEFGHJKLM".into(),
        expires_on: "24 février 2027".into(),
    }
}

/// `tool ARGS FILE [-]`: poppler's text tools write to standard output when given "-".
fn run(tool: &str, args: &[&str], file: &Path) -> Output {
    let to_stdout: &[&str] = if tool == "pdftotext" { &["-"] } else { &[] };
    Command::new(tool)
        .args(args)
        .arg(file)
        .args(to_stdout)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils, installed by scripts/test): {e}"))
}

fn stdout(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn letters_read_back_with_their_accents_one_page_each() {
    let mut staff = letter(
        "Élodie D'AUBIGNÉ-ŒUVRARD",
        "elodie.daubigne-oeuvrard",
        LetterAudience::Personnel,
    );
    staff.code = "ZXCVBNMQWRTY".into();
    let letters = [
        letter(
            "Léa MARTIN",
            "lea.martin",
            LetterAudience::Eleve {
                class: Some("5B".into()),
            },
        ),
        letter(
            "Marc MARTIN",
            "marc.martin",
            LetterAudience::Parent {
                children: vec!["Léa MARTIN (5B)".into(), "Hugo MARTIN (3A)".into()],
            },
        ),
        staff,
    ];
    let pdf = render(&letters).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("courriers.pdf");
    std::fs::write(&file, &pdf).unwrap();

    let text = stdout(run("pdftotext", &["-layout"], &file));
    // Paragraphs wrap: compare with line breaks and runs of spaces as single spaces.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Collège Émile-Zola",
        "Clermont-Ferrand",
        "Votre compte Cartable",
        "Léa MARTIN",
        "Élève de 5B",
        "lea.martin",
        "Marc MARTIN",
        "Responsable de : Léa MARTIN (5B), Hugo MARTIN (3A)",
        "marc.martin",
        "Élodie D'AUBIGNÉ-ŒUVRARD",
        "elodie.daubigne-oeuvrard",
        "https://ent.exemple.fr/activation",
        "ABCD-EFGH-JKLM",
        "ZXCV-BNMQ-WRTY",
        "24 février 2027",
        "ne vous connectez pas avec le compte de votre enfant",
        "demande à ton professeur principal, au CPE ou à la vie scolaire",
    ] {
        assert!(
            flat.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Set on one line each, as -layout reads them.
    assert!(text.contains("Élève de 5B") && text.contains("ABCD-EFGH-JKLM"));
    // One letter per page, in order: pages are separated by form feeds.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    assert!(pages[0].contains("lea.martin") && pages[0].contains("Ouvre un navigateur"));
    assert!(pages[1].contains("marc.martin") && pages[1].contains("Ouvrez un navigateur"));
    assert!(pages[2].contains("elodie.daubigne-oeuvrard") && !pages[2].contains("Responsable"));

    let info = stdout(run("pdfinfo", &[], &file));
    assert!(info.lines().any(|l| l == "Pages:           3"), "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");

    let fonts = stdout(run("pdffonts", &[], &file));
    assert_eq!(
        fonts.matches(" yes yes yes ").count(),
        3,
        "embedded, subset, ToUnicode:\n{fonts}"
    );

    let png = Command::new("pdftoppm")
        .args(["-r", "40", "-png"])
        .arg(&file)
        .arg(dir.path().join("page"))
        .output()
        .unwrap();
    assert!(png.status.success());
    assert!(
        png.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&png.stderr)
    );
    let mut images: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".png"))
        .collect();
    images.sort();
    assert_eq!(images, ["page-1.png", "page-2.png", "page-3.png"]);
}

#[test]
fn a_very_long_name_stays_on_one_page() {
    let name: String = "Marie-Éléonore DE LA ROCHEFOUCAULD-D'AUBIGNÉ "
        .chars()
        .cycle()
        .take(120)
        .collect();
    let pdf = render(&[letter(
        &name,
        "marie-eleonore.delarochefoucauld",
        LetterAudience::Eleve { class: None },
    )])
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let info = stdout(run("pdfinfo", &[], &file));
    assert!(info.lines().any(|l| l == "Pages:           1"), "{info}");
    // Wrapped, not cut: every word of the name is there.
    let text = stdout(run("pdftotext", &[], &file));
    let words: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains(name.trim()), "{text}");
}
