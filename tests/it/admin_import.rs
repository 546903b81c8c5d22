//! Importing a spreadsheet from the administration pages (issue 5 §2): upload, dry run shown
//! before anything is written, confirmation, re-import, bad files, who may.

use cartable::domain::directory::service;
use cartable::model::directory::*;
use cartable::store::tables::{ESTABLISHMENT_PEOPLE, PEOPLE};

use crate::common::app::{TestApp, csrf_of};
use crate::common::multipart;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/csv");

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(FIXTURES).join(name)).unwrap()
}

/// The classes the fixtures name (6A, 4C; 5B exists), in the collège, this school year.
pub(crate) fn add_fixture_classes(app: &TestApp) {
    let college = app.school.college;
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                for (name, level) in [("6A", "6e"), ("4C", "4e")] {
                    service::create_class(
                        tx,
                        Class {
                            establishment: college,
                            year: SchoolYear(2026),
                            name: name.into(),
                            level: level.into(),
                            head_teacher: None,
                        },
                    )?;
                }
                Ok::<_, cartable::domain::directory::DirectoryError>(())
            })
            .unwrap()
    });
}

pub(crate) fn pupils(app: &TestApp) -> usize {
    app.state
        .store
        .read()
        .unwrap()
        .scan_prefix(
            &ESTABLISHMENT_PEOPLE,
            &(app.school.college, Role::Eleve.code()),
        )
        .unwrap()
        .count()
}

/// POSTs `file` as `multipart/form-data` with the CSRF token in the query.
pub(crate) async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: Option<&str>,
    kind: &str,
    file: &[u8],
) -> (u16, String) {
    let form = multipart(
        &[("type", kind.to_owned())],
        &[("fichier", "eleves.csv", "text/csv", file.to_vec())],
    );
    let path = format!("/admin/etablissements/{}/import", app.school.college);
    let url = match csrf {
        Some(c) => app.url(&format!("{path}?_csrf={c}")),
        None => app.url(&path),
    };
    let r = client.post(url).multipart(form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The upload token of the confirmation form.
pub(crate) fn token_of(html: &str) -> Option<String> {
    let marker = "name=\"televersement\" value=\"";
    let start = html.find(marker)? + marker.len();
    Some(html[start..].split('"').next().unwrap().to_owned())
}

/// POSTs the confirmation of the upload `token`.
async fn confirm(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    token: &str,
) -> (u16, String) {
    let path = format!(
        "/admin/etablissements/{}/import/confirmer",
        app.school.college
    );
    let r = app
        .post_with_csrf(client, &path, csrf, &[("televersement", token)])
        .await;
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_previews_then_confirms_and_a_second_import_changes_nothing() {
    let app = TestApp::start().await;
    add_fixture_classes(&app);
    let admin = app.as_user("admin.a").await;
    let page = format!("/admin/etablissements/{}/import", app.school.college);
    let (status, html) = app.get(&admin, &page).await;
    assert_eq!(status, 200);
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let csrf = csrf_of(&html);
    let before = pupils(&app);

    // The preview writes nothing.
    let (status, html) = upload(&app, &admin, Some(&csrf), "auto", &fixture("eleves.csv")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Aperçu de l’import"));
    assert!(html.contains("Élèves : "), "{html}");
    assert_eq!(pupils(&app), before);
    let token = token_of(&html).expect("a confirmation form");

    // The confirmation imports, once.
    let (status, html) = confirm(&app, &admin, &csrf, &token).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("id=\"import-fait\""));
    let after = pupils(&app);
    assert!(after > before, "{before} → {after}");
    let read = app.state.store.read().unwrap();
    let abadie = read
        .range(&PEOPLE, ..)
        .unwrap()
        .map(|r| r.unwrap().1)
        .find(|p| p.last_name == "ABADIE" || p.last_name == "Abadie")
        .expect("ABADIE imported");
    assert_eq!(abadie.state, AccountState::Pending);
    drop(read);
    let (status, _) = confirm(&app, &admin, &csrf, &token).await;
    assert_eq!(status, 422, "a preview is confirmed once");
    assert_eq!(pupils(&app), after);

    // The same file again: nothing to change; the Windows-1252 copy is the same file.
    for file in ["eleves.csv", "eleves_windows-1252.csv"] {
        let (status, html) = upload(&app, &admin, Some(&csrf), "eleves", &fixture(file)).await;
        assert_eq!(status, 200);
        assert!(html.contains("Ce fichier ne change rien"), "{file}: {html}");
    }

    // The journal records the import.
    let (_, log) = app
        .get(
            &admin,
            &format!(
                "/admin/etablissements/{}/journal?action=import",
                app.school.college
            ),
        )
        .await;
    assert!(log.contains("Import d’un fichier"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_with_bad_lines_is_refused_with_each_line_and_nothing_written() {
    let app = TestApp::start().await;
    add_fixture_classes(&app);
    let admin = app.as_user("admin.a").await;
    let (_, html) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/import", app.school.college),
        )
        .await;
    let csrf = csrf_of(&html);
    let before = pupils(&app);
    let (status, html) = upload(
        &app,
        &admin,
        Some(&csrf),
        "eleves",
        &fixture("eleves_erreurs.csv"),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"import-refuse\""));
    assert!(html.contains("ligne 3"), "{html}");
    assert!(
        token_of(&html).is_none(),
        "no confirmation for a refused file"
    );
    assert_eq!(pupils(&app), before);

    // Other bad input: no file, an unknown kind, contents not recognised, no CSRF token, a
    // forged confirmation token.
    for (kind, file, expected) in [
        ("auto", b"".as_slice(), "Choisissez un fichier"),
        (
            "bulletins",
            b"Nom;Prenom\n".as_slice(),
            "Choisissez un contenu",
        ),
        (
            "auto",
            b"a;b;c\n1;2;3\n".as_slice(),
            "n’a pas pu être reconnu",
        ),
    ] {
        let (status, html) = upload(&app, &admin, Some(&csrf), kind, file).await;
        assert_eq!(status, 422, "{kind}");
        assert!(html.contains(expected), "{kind}: {html}");
    }
    let (status, _) = upload(&app, &admin, None, "auto", &fixture("eleves.csv")).await;
    assert_eq!(status, 403);
    let (status, _) = confirm(&app, &admin, &csrf, "pas-un-jeton").await;
    assert_eq!(status, 422);
    let big = vec![b'a'; 6 * 1024 * 1024];
    let (status, _) = upload(&app, &admin, Some(&csrf), "eleves", &big).await;
    assert!(status == 413 || status == 422, "{status}");
    assert_eq!(pupils(&app), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_establishment_admin_imports_and_only_they_confirm() {
    let app = TestApp::start().await;
    add_fixture_classes(&app);
    let admin = app.as_user("admin.a").await;
    let (_, html) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/import", app.school.college),
        )
        .await;
    let csrf = csrf_of(&html);
    let (_, html) = upload(&app, &admin, Some(&csrf), "auto", &fixture("eleves.csv")).await;
    let token = token_of(&html).unwrap();
    let before = pupils(&app);
    for login in ["admin.b", "prof.a", "parent.a1", "eleve.a1"] {
        let client = app.as_user(login).await;
        let page = format!("/admin/etablissements/{}/import", app.school.college);
        assert_eq!(app.get(&client, &page).await.0, 404, "{login}");
        let (_, own) = app.get(&client, "/profil").await;
        let csrf = csrf_of(&own);
        let (status, _) = upload(&app, &client, Some(&csrf), "auto", &fixture("eleves.csv")).await;
        assert_eq!(status, 404, "{login}");
        let (status, _) = confirm(&app, &client, &csrf, &token).await;
        assert_eq!(status, 404, "{login}");
    }
    // The platform administrator may import, but not confirm someone else's preview.
    let platform = app.as_user("plateforme").await;
    let (_, own) = app.get(&platform, "/profil").await;
    let csrf = csrf_of(&own);
    let (status, _) = confirm(&app, &platform, &csrf, &token).await;
    assert_eq!(status, 422);
    assert_eq!(pupils(&app), before);
}

/// Issue 12 §10: a large file wrong on every line gives a preview of the first 100 errors and
/// how many more there are, not a page several times the file's size.
#[tokio::test(flavor = "multi_thread")]
async fn a_file_wrong_on_every_line_lists_the_first_errors_and_counts_the_rest() {
    let app = TestApp::start().await;
    let admin = app.as_user("admin.a").await;
    let (_, html) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/import", app.school.college),
        )
        .await;
    let csrf = csrf_of(&html);
    let before = pupils(&app);
    // 4.5 MB: the header, then lines of three fields instead of five.
    let mut file = "Nom;Prénom;Date de naissance;Classe;Identifiant national\n".to_owned();
    let mut lines = 0;
    while file.len() < 4_500_000 {
        file.push_str(&format!("NOM{lines};Prénom{lines};{}\n", "x".repeat(30)));
        lines += 1;
    }
    let (status, html) = upload(&app, &admin, Some(&csrf), "eleves", file.as_bytes()).await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"import-refuse\""));
    let listed = html
        .split("<ul class=\"erreurs-import\">")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap()
        .matches("<li>")
        .count();
    assert_eq!(listed, 100);
    let more = lines - 100;
    let expected = format!("… et {more} autres lignes en erreur, non affichées.");
    // (Fluent may wrap the number in isolation marks.)
    let plain = html.replace(['\u{2068}', '\u{2069}'], "");
    assert!(plain.contains(&expected), "{expected}");
    assert!(html.len() < 200_000, "a page of {} bytes", html.len());
    assert_eq!(pupils(&app), before);
}

/// The report is made once, without knowing its reader, and said in the page's language:
/// English for an English reader, down to each bad line's message (issue 13 §7).
#[tokio::test(flavor = "multi_thread")]
async fn the_report_of_a_refused_file_is_in_the_readers_language() {
    let app = TestApp::start().await;
    add_fixture_classes(&app);
    let admin = app.as_user("admin.a").await;
    let (_, html) = app
        .get(
            &admin,
            &format!("/admin/etablissements/{}/import", app.school.college),
        )
        .await;
    let csrf = csrf_of(&html);
    let form = multipart(
        &[("type", "eleves".to_owned())],
        &[(
            "fichier",
            "eleves.csv",
            "text/csv",
            fixture("eleves_erreurs.csv"),
        )],
    );
    let path = format!(
        "/admin/etablissements/{}/import?_csrf={csrf}",
        app.school.college
    );
    let r = admin
        .post(app.url(&path))
        .header("accept-language", "en")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("line 3: "), "{html}");
    assert!(html.contains("File read: encoding"), "{html}");
    for french in ["ligne 3", "Fichier lu", "inconnue", "invalide"] {
        assert!(!html.contains(french), "{french}: {html}");
    }
}
