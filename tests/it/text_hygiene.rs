//! Text that can deceive (issue 14 §3–§5) through the real router: a subject carrying control
//! and bidirectional characters is stored clean and shown isolated (`<bdi>`) in the message
//! list and on the portal; a « / » in a folder or file name keeps the whole name (only a path
//! sent by a browser is cut); a person's name needs a letter (administration forms, the
//! spreadsheet and AAF imports).

use std::path::Path;

use cartable::domain::import::aaf::{self, AafFile};
use cartable::domain::import::aaf_apply::{ImportError, import_aaf};
use cartable::domain::import::csv_apply::{self, CsvKind};
use cartable::model::directory::{PersonId, SchoolYear};
use cartable::store::tables::{MESSAGES, PEOPLE, TIMELINE};
use serde_json::Value;

use crate::common::app::TestApp;
use crate::common::{multipart, temp_store};

/// The bidirectional override that made « 07/12/2026 04:54 » read « 45:40 6202/21/70 ».
const RLO: char = '\u{202e}';

fn no_deceiving_character(html: &str) -> bool {
    !html.chars().any(|c| {
        matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            || (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_subject_with_an_override_is_stored_clean_and_shown_isolated() {
    let app = TestApp::start().await;
    let prof = app.as_user("prof.a").await;
    let pupil = app.school.id("eleve.a1");
    let subject = format!("  Facture\u{0}\u{7} {RLO}fdp.exe\n\r\u{2066}de juin\u{2069}  ");
    let body = format!("Bonjour,\r\n\r\nligne 2\u{0}\u{1b} {RLO}fin");
    let csrf = app.csrf(&prof).await;
    let fields = vec![
        ("destinataires", pupil.0.to_string()),
        ("objet", subject),
        ("corps", body),
        ("action", "envoyer".to_owned()),
    ];
    let r = prof
        .post(app.url(&format!("/messagerie/nouveau?_csrf={csrf}")))
        .multipart(multipart(&fields, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let clean = "Facture fdp.exe de juin";
    let stored = {
        let read = app.state.store.read().unwrap();
        let (_, m) = read
            .range(&MESSAGES, ..)
            .unwrap()
            .next_back()
            .unwrap()
            .unwrap();
        m
    };
    assert_eq!(stored.subject, clean);
    assert_eq!(stored.body, "Bonjour,\n\nligne 2 fin");

    // The pupil's message list: the subject alone in its own isolate, the date beside it.
    let lea = app.as_user("eleve.a1").await;
    let (status, list) = app.get(&lea, "/messagerie").await;
    assert_eq!(status, 200);
    assert!(list.contains(&format!("<bdi>{clean}</bdi></a>")), "{list}");
    assert!(no_deceiving_character(&list));
    let (_, sent) = app.get(&prof, "/messagerie/envoyes").await;
    assert!(sent.contains(&format!("<bdi>{clean}</bdi></a>")), "{sent}");

    // The portal's news, once the notifier has written the timeline: the text isolated from
    // the date printed after it.
    crate::common::wait::until_committed(&app.state.store, "the notifier wrote the news", || {
        app.state
            .store
            .read()
            .unwrap()
            .range(&TIMELINE, ..)
            .unwrap()
            .any(|r| r.as_ref().unwrap().0.0 == pupil)
    })
    .await;
    let (status, portal) = app.get(&lea, "/").await;
    assert_eq!(status, 200);
    assert!(
        portal.contains(&format!(
            "<bdi>Message de Paul PROFA : {clean}</bdi></a> <span class=\"aide\">"
        )),
        "{portal}"
    );
    assert!(no_deceiving_character(&portal));
    let (_, news) = app.get(&lea, "/actualites").await;
    assert!(news.contains(&format!("{clean}</bdi></a>")), "{news}");
    assert!(no_deceiving_character(&news));

    // The message itself: the body keeps its lines, loses the rest, and takes its own
    // direction.
    let (_, page) = app
        .get(
            &lea,
            &format!("/messagerie/messages/{}", last_message(&app)),
        )
        .await;
    assert!(
        page.contains("<div class=\"corps-message\" dir=\"auto\">"),
        "{page}"
    );
    assert!(no_deceiving_character(&page));
}

fn last_message(app: &TestApp) -> u64 {
    let read = app.state.store.read().unwrap();
    read.range(&MESSAGES, ..)
        .unwrap()
        .next_back()
        .unwrap()
        .unwrap()
        .0
        .0
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_and_a_personal_folder_are_cleaned_too() {
    let app = TestApp::start().await;
    let prof = app.as_user("prof.a").await;
    let csrf = app.csrf(&prof).await;
    let fields = vec![
        ("objet", format!("Brouillon{RLO}\u{0}")),
        ("corps", "a\u{7}b".to_owned()),
        ("action", "brouillon".to_owned()),
    ];
    let r = prof
        .post(app.url(&format!("/messagerie/nouveau?_csrf={csrf}")))
        .multipart(multipart(&fields, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let draft = {
        let read = app.state.store.read().unwrap();
        let (_, m) = read
            .range(&MESSAGES, ..)
            .unwrap()
            .next_back()
            .unwrap()
            .unwrap();
        m
    };
    assert_eq!(
        (draft.subject.as_str(), draft.body.as_str()),
        ("Brouillon", "ab")
    );

    let (status, _, _) = app
        .post_form(
            &prof,
            "/messagerie/dossiers",
            &[("nom", "\u{2067}Classe\u{0} verte\u{2069}")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, inbox) = app.get(&prof, "/messagerie").await;
    assert!(inbox.contains("<bdi>Classe verte</bdi>"), "{inbox}");
    assert!(no_deceiving_character(&inbox));
}

/// The entries of a documents space's root through the API: (name, id).
async fn entries(app: &TestApp, client: &reqwest::Client, slug: &str) -> Vec<(String, u64)> {
    let r = client
        .get(app.url(&format!("/api/v1/documents/{slug}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap().to_owned(),
                e["id"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn id_of(entries: &[(String, u64)], name: &str) -> u64 {
    entries
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no entry {name:?} in {entries:?}"))
        .1
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slash_keeps_the_whole_name_and_only_a_browser_path_is_cut() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = format!("perso-{}", app.school.id("eleve.a1").0);

    // A folder « Devoirs 2025/2026 »: the whole name, the slash as « ∕ ».
    let (status, _, _) = app
        .post_form(
            &lea,
            &format!("/documents/{mine}/dossiers"),
            &[("nom", "Devoirs 2025/2026"), ("dossier", "")],
        )
        .await;
    assert_eq!(status, 303);
    let listed = entries(&app, &lea, &mine).await;
    let folder = id_of(&listed, "Devoirs 2025\u{2215}2026");
    let (_, page) = app.get(&lea, &format!("/documents/{mine}")).await;
    assert!(
        page.contains("<bdi>Devoirs 2025\u{2215}2026</bdi></a>"),
        "{page}"
    );
    // Renamed with a slash, a backslash and an override: kept whole, the override gone.
    let (status, _, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{folder}/renommer"),
            &[(
                "nom",
                "Maths\\Physique / 3e {RLO}B"
                    .replace("{RLO}", &RLO.to_string())
                    .as_str(),
            )],
        )
        .await;
    assert_eq!(status, 303);
    let listed = entries(&app, &lea, &mine).await;
    assert_eq!(
        id_of(&listed, "Maths\u{29f5}Physique \u{2215} 3e B"),
        folder
    );
    // A name of dots only is refused in French, with a message that says what counts.
    let (status, _, page) = app
        .post_form(
            &lea,
            &format!("/documents/{mine}/dossiers"),
            &[("nom", " . \u{200b}. "), ("dossier", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Donnez un nom : les espaces, les caractères invisibles"),
        "{page}"
    );

    // Uploads: a name with a slash is kept whole; a path sent by a browser is cut.
    let csrf = app.csrf(&lea).await;
    let files: Vec<(&str, &str, &str, Vec<u8>)> = vec![
        (
            "fichiers",
            "<script>alert(1)</script>.txt",
            "text/plain",
            b"s".to_vec(),
        ),
        (
            "fichiers",
            "C:\\fakepath\\x.txt",
            "text/plain",
            b"x".to_vec(),
        ),
        (
            "fichiers",
            "Devoirs/chapitre 1/y.txt",
            "text/plain",
            b"y".to_vec(),
        ),
    ];
    let r = lea
        .post(app.url(&format!("/documents/{mine}/fichiers?dossier=&_csrf={csrf}")))
        .multipart(multipart(&[], &files))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let listed = entries(&app, &lea, &mine).await;
    let names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"<script>alert(1)<\u{2215}script>.txt"),
        "{names:?}"
    );
    assert!(
        names.contains(&"x.txt") && names.contains(&"y.txt"),
        "{names:?}"
    );
    let (_, page) = app.get(&lea, &format!("/documents/{mine}")).await;
    assert!(
        page.contains("<bdi>&#60;script&#62;alert(1)&#60;\u{2215}script&#62;.txt</bdi></a>"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"));
}

fn new_account(app: &TestApp) -> String {
    format!(
        "/admin/etablissements/{}/personnes/nouvelle",
        app.school.college
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn an_emoji_is_no_name_in_the_administration_forms() {
    let app = TestApp::start().await;
    let admin = app.as_user("admin.a").await;
    let people = app
        .state
        .store
        .read()
        .unwrap()
        .range(&PEOPLE, ..)
        .unwrap()
        .count();
    for (first, last) in [("😀", "🎒"), ("Léa", "123"), ("\u{202e}!", "Martin")] {
        let (status, _, html) = app
            .post_form(
                &admin,
                &new_account(&app),
                &[
                    ("prenom", first),
                    ("nom", last),
                    ("naissance", ""),
                    ("role", "enseignant"),
                    ("classe", ""),
                    ("courriel", ""),
                    ("ine", ""),
                ],
            )
            .await;
        assert_eq!(status, 422, "{first} {last}");
        assert!(
            html.contains("Un nom doit contenir au moins une lettre"),
            "{first} {last}: {html}"
        );
    }
    assert_eq!(
        app.state
            .store
            .read()
            .unwrap()
            .range(&PEOPLE, ..)
            .unwrap()
            .count(),
        people
    );
    // A name with letters and an override: created, the override gone, the login plain.
    let (status, location, _) = app
        .post_form(
            &admin,
            &new_account(&app),
            &[
                ("prenom", &format!("Zo\u{e9}{RLO}")),
                ("nom", "  Dupré   😀 "),
                ("naissance", ""),
                ("role", "enseignant"),
                ("classe", ""),
                ("courriel", ""),
                ("ine", ""),
            ],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    let id: u64 = location
        .split('/')
        .nth(3)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let p = app
        .state
        .store
        .read()
        .unwrap()
        .get(&PEOPLE, &PersonId(id))
        .unwrap()
        .unwrap();
    assert_eq!(
        (p.first_name.as_str(), p.last_name.as_str()),
        ("Zoé", "Dupré 😀")
    );
    assert_eq!(p.login, "zoe.dupre");

    // Editing: an emoji-only first name is refused the same way.
    let edit = format!("/admin/personnes/{id}/modifier");
    let (_, form) = app.get(&admin, &edit).await;
    assert!(form.contains("value=\"zoe.dupre\""), "{form}");
    let (status, _, html) = app
        .post_form(
            &admin,
            &edit,
            &[
                ("action", "identite"),
                ("prenom", "🎒"),
                ("nom", "Dupré"),
                ("nom_naissance", ""),
                ("naissance", ""),
                ("courriel", ""),
                ("identifiant", "zoe.dupre"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Un nom doit contenir au moins une lettre"),
        "{html}"
    );
}

#[test]
fn an_emoji_is_no_name_in_the_spreadsheet_import() {
    let (_dir, store) = temp_store();
    let e = store
        .write(|tx| {
            cartable::domain::directory::service::create_establishment(
                tx,
                cartable::model::directory::Establishment {
                    uai: "0639990X".to_owned(),
                    name: "Collège du tableur".to_owned(),
                    kind: cartable::model::directory::EstablishmentKind::College,
                    town: "Riom".to_owned(),
                    academie: "Clermont-Ferrand".to_owned(),
                },
            )
        })
        .unwrap();
    let file =
        "Nom;Prénom;Courriel;Disciplines;Classes\nMARTIN;😀🎒;;Maths;\nDURAND;Paul;;Maths;\n";
    let err = csv_apply::import_csv(
        &store,
        &cartable::model::Actor::system(),
        e,
        SchoolYear(2025),
        CsvKind::Teachers,
        file.as_bytes(),
        jiff::civil::date(2025, 9, 15),
        false,
    )
    .unwrap_err();
    let ImportError::Refused(report) = err else {
        panic!("expected a refusal, got {err:?}");
    };
    let errors: Vec<String> = report
        .errors
        .iter()
        .map(|e| e.render(cartable::i18n::Lang::Fr))
        .collect();
    assert!(
        errors.iter().any(|e| e.contains("ligne 2")
            && e.contains("« Prénom »")
            && e.contains("ne contient aucune lettre")),
        "{errors:?}"
    );
    assert!(
        !errors
            .iter()
            .any(|e| e.contains("ligne 3") && e.contains("lettre")),
        "{errors:?}"
    );
}

#[test]
fn an_emoji_is_no_name_in_the_aaf_import() {
    let (_dir, store) = temp_store();
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/fixtures/aaf"
    ));
    let mut files: Vec<AafFile> = aaf::select_files(dir)
        .unwrap()
        .files
        .iter()
        .map(|f| aaf::parse_file(&f.path).unwrap())
        .collect();
    for file in &mut files {
        if let aaf::AafRecords::Students(records) = &mut file.records
            && let aaf::Change::Add(student) = &mut records[0].change
        {
            student.identity.first_name = "😀🎒".to_owned();
        }
    }
    let err = import_aaf(&store, &files, SchoolYear(2025), false).unwrap_err();
    let ImportError::Refused(report) = err else {
        panic!("expected a refusal, got {err:?}");
    };
    let errors: Vec<String> = report
        .errors
        .iter()
        .map(|e| e.render(cartable::i18n::Lang::Fr))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("givenName"), "{errors:?}");
    assert!(
        errors[0].contains("ne contient aucune lettre"),
        "{errors:?}"
    );
    assert!(
        store
            .read()
            .unwrap()
            .range(&PEOPLE, ..)
            .unwrap()
            .next()
            .is_none()
    );
}
