//! The design system (issue 14 §12, docs/design.md): the palette keeps its contrast, every icon a
//! template names is in the sprite, the sprite and its licence are served, the portal's cards show
//! the unread count or an empty state with the next thing to do, and the recipients' lists of the
//! compose page fold into groups that stay a plain form.

use std::collections::BTreeMap;
use std::path::Path;

use cartable::domain::directory::service;
use cartable::model::directory::{Class, SchoolYear};

use crate::common::app::{TestApp, main_part};
use crate::messaging_pages::compose;

fn asset(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The colour tokens of `:root` (`--name: #rrggbb`).
fn colours(css: &str) -> BTreeMap<String, String> {
    let root = &css[css.find(":root {").unwrap()..];
    let root = &root[..root.find("\n}").unwrap()];
    let mut bare = String::new();
    for (i, part) in root.split("/*").enumerate() {
        bare.push_str(if i == 0 {
            part
        } else {
            part.split_once("*/").map_or("", |p| p.1)
        });
    }
    bare.split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            let name = name
                .rsplit(|c: char| c.is_whitespace() || c == '{')
                .next()?;
            let value = value.trim();
            (name.starts_with("--") && value.starts_with('#') && value.len() == 7)
                .then(|| (name.to_owned(), value.to_owned()))
        })
        .collect()
}

#[test]
fn every_text_colour_of_the_palette_is_aa_on_its_background() {
    let css = asset("assets/public/cartable.css");
    let c = colours(&css);
    let white = c["--fond"].as_str();
    let mut pairs: Vec<(String, String)> = vec![
        ("--texte".into(), "--fond".into()),
        ("--texte".into(), "--surface".into()),
        ("--texte-doux".into(), "--fond".into()),
        ("--texte-doux".into(), "--surface".into()),
        ("--primaire".into(), "--fond".into()),
        ("--primaire".into(), "--surface".into()),
        ("--primaire".into(), "--primaire-teinte".into()),
    ];
    for notice in ["erreur", "succes", "info", "attention"] {
        pairs.push((format!("--{notice}"), format!("--{notice}-teinte")));
    }
    let apps: Vec<&String> = c
        .keys()
        .filter(|k| k.starts_with("--app-") && !k.ends_with("-teinte"))
        .collect();
    assert!(apps.len() >= 7, "one colour per application: {apps:?}");
    for app in apps {
        pairs.push((app.clone(), "--fond".into()));
        pairs.push((app.clone(), format!("{app}-teinte")));
    }
    for (fg, bg) in &pairs {
        let ratio = contrast(&c[fg], &c[bg]);
        assert!(ratio >= 4.5, "{fg} on {bg}: {ratio:.2} < 4.5");
    }
    // White text on the buttons; control edges and the focus ring at least 3:1 on white.
    assert!(contrast(white, &c["--primaire"]) >= 4.5);
    assert!(contrast(&c["--bordure-champ"], white) >= 3.0);
    assert!(contrast(&c["--focus"], white) >= 3.0);
    // Every token used is defined.
    for used in css.split("var(--").skip(1) {
        let name = format!("--{}", used.split([')', ',']).next().unwrap());
        assert!(
            css.contains(&format!("{name}:")),
            "{name} is used but not defined"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sprite_has_every_icon_the_templates_use_and_is_served_with_its_licence() {
    let sprite = asset("assets/public/icons.svg");
    let mut used = std::collections::BTreeSet::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/templates")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for part in text.split("icons.svg#").skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                // `{{ tile.icon }}`: the portal's icons, checked below.
                if !name.is_empty() {
                    used.insert(name);
                }
                // Every icon sits beside text, hidden from assistive technology.
                let before = &text[..text.find(part).unwrap()];
                let svg = &before[before.rfind("<svg").unwrap()..];
                assert!(svg.contains("aria-hidden=\"true\""), "{}", path.display());
            }
        }
    }
    for name in used.iter().map(String::as_str).chain([
        "classe",
        "etablissement",
        "messagerie",
        "documents",
        "administration",
        "profil",
        "sessions",
    ]) {
        assert!(
            sprite.contains(&format!("<symbol id=\"{name}\"")),
            "{name} missing from icons.svg"
        );
    }
    let app = TestApp::start().await;
    let client = app.client();
    let r = client
        .get(app.url("/static/icons.svg"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public")
    );
    let r = client
        .get(app.url("/static/LICENSE-lucide.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("ISC License"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_portal_is_made_of_cards_with_counts_and_next_steps() {
    let app = TestApp::start().await;
    let pupil = app.as_user("eleve.a1").await;
    let (_, html) = app.get(&pupil, "/").await;
    let portal = main_part(&html);
    for app_class in [
        "app-messagerie",
        "app-documents",
        "app-classes",
        "app-compte",
    ] {
        assert!(
            portal.contains(&format!("class=\"carte tuile {app_class}\"")),
            "{app_class}: {portal}"
        );
    }
    assert!(portal.contains("Aucun message non lu."), "{portal}");
    assert!(portal.contains("href=\"/messagerie/nouveau\">Écrire un message"));
    assert!(portal.contains("icons.svg#messagerie"));

    // A message arrives: the card counts it (from the session, no other read) and says to read.
    let prof = app.as_user("prof.a").await;
    let r = compose(
        &app,
        &prof,
        &[
            ("destinataires", app.school.id("eleve.a1").0.to_string()),
            ("objet", "Cahier de textes".into()),
            ("corps", "Pour lundi.".into()),
            ("action", "envoyer".into()),
        ],
        &[],
        false,
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, html) = app.get(&pupil, "/").await;
    let portal = main_part(&html);
    assert!(portal.contains("1 message non lu"), "{portal}");
    assert!(portal.contains("href=\"/messagerie\">Lire mes messages"));
    assert!(!portal.contains("Aucun message non lu."));

    // The administrator's card; English on request.
    let admin = app.as_user("admin.a").await;
    let (_, html) = app.get(&admin, "/").await;
    assert!(html.contains("class=\"carte tuile app-administration\""));
    assert_eq!(app.get(&admin, "/langue/en").await.0, 303);
    let (_, html) = app.get(&admin, "/").await;
    assert!(html.contains("Open the administration"), "{html}");
}

#[tokio::test(flavor = "multi_thread")]
async fn many_recipient_lists_fold_into_groups_that_stay_a_plain_form() {
    let app = TestApp::start().await;
    let cpe = app.as_user("cpe.a").await;
    // Two classes: six lists, shown open.
    let (_, form) = app.get(&cpe, "/messagerie/nouveau").await;
    assert_eq!(
        form.matches("<details class=\"groupe-listes\" open>")
            .count(),
        3
    );
    assert!(form.contains("Parents d’élèves") && form.contains("aucune choisie"));

    // Five classes: fifteen lists, folded, the checkboxes as they were.
    let college = app.school.college;
    app.state
        .store
        .write(|tx| {
            for name in ["5C", "5D", "5E"] {
                service::create_class(
                    tx,
                    Class {
                        establishment: college,
                        year: SchoolYear(2026),
                        name: name.into(),
                        level: "5e".into(),
                        head_teacher: None,
                    },
                )?;
            }
            Ok::<_, cartable::domain::directory::DirectoryError>(())
        })
        .unwrap();
    let (_, form) = app.get(&cpe, "/messagerie/nouveau").await;
    assert_eq!(form.matches("<details class=\"groupe-listes\">").count(), 3);
    assert_eq!(form.matches("name=\"listes\"").count(), 15);
    assert!(form.contains("5 listes"), "{form}");
    let parents_5a = format!("parents-{}", app.school.class_5a);
    assert!(form.contains(&format!("value=\"{parents_5a}\"")));

    // A refused form (no subject) keeps the chosen list, and its group opens with its count.
    let r = compose(
        &app,
        &cpe,
        &[
            ("listes", parents_5a.clone()),
            ("corps", "Bonjour".into()),
            ("action", "envoyer".into()),
        ],
        &[],
        false,
    )
    .await;
    assert_eq!(r.status(), 422);
    let form = r.text().await.unwrap();
    assert!(form.contains(&format!("value=\"{parents_5a}\" checked")));
    assert_eq!(
        form.matches("<details class=\"groupe-listes\" open>")
            .count(),
        1
    );
    assert!(form.contains("1 choisie"), "{form}");
}
