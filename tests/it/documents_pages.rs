//! The documents pages and JSON API (issue 7 §2) through real HTTP: uploads of several files,
//! the size limit and the quota (French message, 422, nothing stored), UTF-8 and hostile
//! names, HTML and SVG never inline, previews of PDF and PNG, range requests, versions, the
//! trash, folders, moves and copies, shares, CSRF, and 404 for anyone who may not read a file
//! or a space.

use cartable::store::tables::{DOCUMENT_NODES, DOCUMENT_USAGE};
use serde_json::Value;

use crate::common::app::{TestApp, location};
use crate::common::multipart;

/// A `multipart/form-data` body of files under `fichiers` (name, type, bytes).
fn upload_form(files: &[(&str, &str, Vec<u8>)]) -> reqwest::multipart::Form {
    let files: Vec<_> = files
        .iter()
        .map(|(name, content_type, bytes)| ("fichiers", *name, *content_type, bytes.clone()))
        .collect();
    multipart(&[], &files)
}

/// POSTs files to the upload form of `slug` (folder `folder`), token in the URL.
async fn upload_to(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    folder: Option<u64>,
    files: &[(&str, &str, Vec<u8>)],
    json: bool,
) -> reqwest::Response {
    let csrf = app.csrf(client).await;
    let folder = folder.map(|f| f.to_string()).unwrap_or_default();
    let request = client.post(app.url(&format!(
        "/documents/{slug}/fichiers?dossier={folder}&_csrf={csrf}"
    )));
    let mut request = if files.is_empty() {
        // A form without any part: reqwest would send an empty body, so write the closing
        // delimiter alone.
        request
            .header(
                "content-type",
                "multipart/form-data; boundary=cartable-no-part",
            )
            .body("--cartable-no-part--\r\n")
    } else {
        request.multipart(upload_form(files))
    };
    if json {
        request = request.header("accept", "application/json");
    }
    request.send().await.unwrap()
}

/// Uploads to the root of `slug`.
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    files: &[(&str, &str, Vec<u8>)],
) -> reqwest::Response {
    upload_to(app, client, slug, None, files, false).await
}

/// GETs JSON from the API.
async fn api(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, Value) {
    let r = client.get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The entries of a space's root (or folder) through the API.
async fn entries(app: &TestApp, client: &reqwest::Client, path: &str) -> Vec<Value> {
    let (status, body) = api(app, client, &format!("/api/v1/documents/{path}")).await;
    assert_eq!(status, 200, "{path}: {body}");
    body["entries"].as_array().unwrap().clone()
}

/// The id of the entry named `name`.
fn id_of(entries: &[Value], name: &str) -> u64 {
    entries
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no entry {name} in {entries:?}"))["id"]
        .as_u64()
        .unwrap()
}

fn perso(app: &TestApp, login: &str) -> String {
    format!("perso-{}", app.school.id(login).0)
}

fn node_count(app: &TestApp) -> usize {
    let read = app.state.store.read().unwrap();
    read.range(&DOCUMENT_NODES, ..).unwrap().count()
}

fn usage_of(app: &TestApp, login: &str) -> u64 {
    let read = app.state.store.read().unwrap();
    read.get(&DOCUMENT_USAGE, &app.school.id(login))
        .unwrap()
        .unwrap_or(0)
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

const MIB: usize = 1024 * 1024;

#[tokio::test(flavor = "multi_thread")]
async fn several_files_go_up_in_one_form_and_are_listed() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");

    // The header leads to the documents; the home shows the quota and the upload form.
    let (status, home) = app.get(&lea, "/documents").await;
    assert_eq!(status, 200);
    assert!(home.contains("href=\"/documents\" aria-current=\"page\">Documents</a>"));
    assert!(home.contains("<meter id=\"quota\""));
    assert!(home.contains("0 octet sur 500 Mo"), "{home}");
    assert!(home.contains("enctype=\"multipart/form-data\""));
    assert!(home.contains(&format!(
        "action=\"/documents/{mine}/fichiers?dossier=&#38;_csrf="
    )));
    assert!(home.contains("<script src=\"/static/documents.js\" defer></script>"));
    assert!(
        home.contains("href=\"/documents/classe-"),
        "her class's space"
    );

    let r = upload(
        &app,
        &lea,
        &mine,
        &[
            ("rédaction.txt", "text/plain", b"Il etait une fois".to_vec()),
            (
                "schéma.png",
                "image/png",
                vec![0x89, b'P', b'N', b'G', 1, 2, 3],
            ),
            ("notes.pdf", "application/pdf", b"%PDF-1.4 notes".to_vec()),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        format!("/documents/{mine}?fait=envoi&nombre=3")
    );
    let (status, page) = app
        .get(&lea, &format!("/documents/{mine}?fait=envoi&nombre=3"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Les 3 fichiers ont été envoyés."));
    for name in ["rédaction.txt", "schéma.png", "notes.pdf"] {
        assert!(page.contains(name), "{name}");
    }
    assert!(page.contains("01/09/2026 08:00"), "modified, in Paris time");
    assert!(page.contains("Léa ÉLÈVE"), "by whom");
    assert!(page.contains("17 octets"));
    let listed = entries(&app, &lea, &mine).await;
    assert_eq!(listed.len(), 3);
    // French alphabetical order.
    let names: Vec<&str> = listed.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["notes.pdf", "rédaction.txt", "schéma.png"]);

    // Downloaded byte for byte, and counted in the quota.
    let id = id_of(&listed, "rédaction.txt");
    let r = lea
        .get(app.url(&format!("/documents/fichier/{id}/telecharger")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "text/plain; charset=utf-8");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"Il etait une fois");
    assert_eq!(usage_of(&app, "eleve.a1"), 17 + 7 + 14);
    let (_, home) = app.get(&lea, "/documents").await;
    assert!(home.contains("38 octets sur 500 Mo"));

    // The JSON API says the same.
    let (status, body) = api(&app, &lea, "/api/v1/documents").await;
    assert_eq!(status, 200);
    assert_eq!(body["usage"]["used"], 38);
    assert_eq!(body["usage"]["quota"], 500 * MIB as u64);
    assert!(body["upload_token"].as_str().unwrap().len() > 10);
    assert!(
        body["spaces"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["space"] == mine.as_str() && s["access"] == "manage")
    );
    let (status, file) = api(&app, &lea, &format!("/api/v1/documents/fichier/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(file["name"], "rédaction.txt");
    assert_eq!(file["versions"].as_array().unwrap().len(), 1);
    assert_eq!(file["preview"], Value::Null);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_size_limit_and_the_quota_refuse_in_french_and_store_nothing() {
    let app = TestApp::start_with_config(|c| {
        c.document_max_file_mib = 1;
        c.document_quota_pupil_mib = 2;
    })
    .await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");

    // Over the size limit, beside a small file: nothing of the two is kept.
    let before = node_count(&app);
    let r = upload(
        &app,
        &lea,
        &mine,
        &[
            ("petit.txt", "text/plain", b"petit".to_vec()),
            ("énorme.bin", "application/octet-stream", vec![7u8; MIB + 1]),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("« énorme.bin » dépasse la taille maximale de 1 Mo"),
        "{page}"
    );
    assert!(page.contains("aria-invalid=\"true\""));
    assert!(page.contains("aria-describedby=\"fichiers-aide fichiers-erreur\""));
    assert_eq!(node_count(&app), before);
    assert!(entries(&app, &lea, &mine).await.is_empty());
    assert_eq!(usage_of(&app, "eleve.a1"), 0);

    // The drag-and-drop script gets the same refusal as JSON.
    let r = upload_to(
        &app,
        &lea,
        &mine,
        None,
        &[("trop.bin", "application/octet-stream", vec![4u8; MIB + 10])],
        true,
    )
    .await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "too_large");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("dépasse la taille maximale")
    );
    // Within the quota, then over it.
    let r = upload(
        &app,
        &lea,
        &mine,
        &[
            ("un.bin", "application/octet-stream", vec![1u8; 700 * 1024]),
            (
                "deux.bin",
                "application/octet-stream",
                vec![2u8; 700 * 1024],
            ),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(usage_of(&app, "eleve.a1"), 1400 * 1024);
    let before = node_count(&app);
    let r = upload(
        &app,
        &lea,
        &mine,
        &[(
            "trois.bin",
            "application/octet-stream",
            vec![3u8; 700 * 1024],
        )],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Espace insuffisant : vous utilisez 1,3 Mo sur 2 Mo"),
        "{page}"
    );
    assert_eq!(node_count(&app), before);
    assert_eq!(entries(&app, &lea, &mine).await.len(), 2);
    assert_eq!(usage_of(&app, "eleve.a1"), 1400 * 1024);

    // And the API.
    let csrf = app.csrf(&lea).await;
    let r = lea
        .post(app.url(&format!("/api/v1/documents/{mine}/fichiers?_csrf={csrf}")))
        .multipart(upload_form(&[(
            "trois.bin",
            "application/octet-stream",
            vec![3u8; 700 * 1024],
        )]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "quota_exceeded");
    assert_eq!(entries(&app, &lea, &mine).await.len(), 2);

    // No file at all is said too.
    let r = upload(&app, &lea, &mine, &[]).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Choisissez au moins un fichier.")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn utf8_names_travel_and_hostile_names_are_cleaned() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    let long = format!("{}.txt", "é".repeat(1000));
    let r = upload(
        &app,
        &lea,
        &mine,
        &[
            (
                "Élève – fiche n°1.pdf",
                "application/pdf",
                b"%PDF-1.4".to_vec(),
            ),
            ("../../x", "text/plain", b"x".to_vec()),
            ("n\u{85}o\u{9b}m\u{202e}.txt", "text/plain", b"n".to_vec()),
            (&long, "text/plain", b"l".to_vec()),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let listed = entries(&app, &lea, &mine).await;
    let names: Vec<String> = listed
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(names.contains(&"x".to_owned()), "{names:?}");
    assert!(names.contains(&"nom.txt".to_owned()), "{names:?}");
    assert!(
        names
            .iter()
            .any(|n| n.chars().count() == 200 && n.starts_with("éé"))
    );
    assert!(
        names
            .iter()
            .all(|n| !n.contains('/') && !n.chars().any(char::is_control))
    );

    let id = id_of(&listed, "Élève – fiche n°1.pdf");
    let r = lea
        .get(app.url(&format!("/documents/fichier/{id}/telecharger")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let disposition = header(&r, "content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );
    assert!(
        disposition
            .ends_with("filename*=UTF-8''%C3%89l%C3%A8ve%20%E2%80%93%20fiche%20n%C2%B01.pdf"),
        "{disposition}"
    );
    assert!(disposition.is_ascii());

    // A rename cleans the same way but keeps the whole name (a slash becomes « ∕ »); a name
    // that is only dots is refused beside the field.
    let x = id_of(&listed, "x");
    let (status, location, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{x}/renommer"),
            &[("nom", "a\u{1}b\u{7}c/../d\u{202e}.txt")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/documents/{mine}?fait=renomme").as_str())
    );
    assert!(
        id_of(
            &entries(&app, &lea, &mine).await,
            "abc\u{2215}..\u{2215}d.txt"
        ) == x
    );
    let (status, _, page) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{x}/renommer"),
            &[("nom", "..")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Donnez un nom"), "{page}");
    // A file's rename form is on its page: the error is shown there.
    assert!(page.contains("aria-describedby=\"nom-erreur\""), "{page}");
    assert!(
        id_of(
            &entries(&app, &lea, &mine).await,
            "abc\u{2215}..\u{2215}d.txt"
        ) == x
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn html_and_svg_are_attachments_and_only_pdf_and_images_are_previewed() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    let r = upload(
        &app,
        &lea,
        &mine,
        &[
            (
                "piège.html",
                "text/html",
                b"<script>alert(1)</script>".to_vec(),
            ),
            (
                "dessin.svg",
                "image/svg+xml",
                b"<svg onload=\"alert(1)\"/>".to_vec(),
            ),
            ("cours.pdf", "application/pdf", b"%PDF-1.4 cours".to_vec()),
            ("photo.png", "image/png", vec![0x89, b'P', b'N', b'G']),
            // A declared type is not trusted: the name decides.
            ("faux.txt", "image/png", b"texte".to_vec()),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let listed = entries(&app, &lea, &mine).await;
    for name in ["piège.html", "dessin.svg", "faux.txt"] {
        let id = id_of(&listed, name);
        for route in ["telecharger", "apercu"] {
            let r = lea
                .get(app.url(&format!("/documents/fichier/{id}/{route}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
            assert!(
                header(&r, "content-disposition").starts_with("attachment;"),
                "{name} {route}"
            );
            assert_eq!(header(&r, "x-content-type-options"), "nosniff");
            assert!(header(&r, "cache-control").contains("private"));
        }
        let (_, page) = app.get(&lea, &format!("/documents/fichier/{id}")).await;
        assert!(!page.contains("/apercu\""), "no preview link for {name}");
    }
    for (name, content_type) in [("cours.pdf", "application/pdf"), ("photo.png", "image/png")] {
        let id = id_of(&listed, name);
        let r = lea
            .get(app.url(&format!("/documents/fichier/{id}/apercu")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "content-type"), content_type);
        assert!(
            header(&r, "content-disposition").starts_with("inline;"),
            "{name}"
        );
        // Images in a sandbox; PDF without (the browsers' viewers would be blocked), still
        // with no script source.
        let csp = header(&r, "content-security-policy");
        assert_eq!(
            csp.starts_with("sandbox"),
            content_type != "application/pdf",
            "{csp}"
        );
        assert!(csp.contains("default-src 'none'"), "{csp}");
        assert_eq!(header(&r, "x-content-type-options"), "nosniff");
        let (_, page) = app.get(&lea, &format!("/documents/fichier/{id}")).await;
        assert!(page.contains(&format!("href=\"/documents/fichier/{id}/apercu\"")));
        // The download stays an attachment.
        let r = lea
            .get(app.url(&format!("/documents/fichier/{id}/telecharger")))
            .send()
            .await
            .unwrap();
        assert!(header(&r, "content-disposition").starts_with("attachment;"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn ranges_are_served_as_asked() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    let content: Vec<u8> = (0..100u8).collect();
    upload(
        &app,
        &lea,
        &mine,
        &[("suite.bin", "application/octet-stream", content.clone())],
    )
    .await;
    let id = id_of(&entries(&app, &lea, &mine).await, "suite.bin");
    let url = app.url(&format!("/documents/fichier/{id}/telecharger"));

    let whole = lea.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(header(&whole, "accept-ranges"), "bytes");
    assert_eq!(header(&whole, "content-length"), "100");
    let etag = header(&whole, "etag");
    assert_eq!(etag.len(), 66);

    for (range, status, expected, content_range) in [
        ("bytes=10-19", 206, &content[10..20], "bytes 10-19/100"),
        ("bytes=-5", 206, &content[95..], "bytes 95-99/100"),
        ("bytes=90-", 206, &content[90..], "bytes 90-99/100"),
        ("bytes=95-1000", 206, &content[95..], "bytes 95-99/100"),
    ] {
        let r = lea.get(&url).header("range", range).send().await.unwrap();
        assert_eq!(r.status(), status, "{range}");
        assert_eq!(header(&r, "content-range"), content_range, "{range}");
        assert_eq!(header(&r, "content-length"), expected.len().to_string());
        assert!(header(&r, "content-disposition").starts_with("attachment;"));
        assert_eq!(r.bytes().await.unwrap().as_ref(), expected, "{range}");
    }
    let r = lea
        .get(&url)
        .header("range", "bytes=100-200")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 416);
    assert_eq!(header(&r, "content-range"), "bytes */100");
    // Several ranges, or an If-Range naming another content: the whole file.
    let r = lea
        .get(&url)
        .header("range", "bytes=0-1,5-6")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = lea
        .get(&url)
        .header("range", "bytes=0-1")
        .header("if-range", "\"autre\"")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = lea
        .get(&url)
        .header("range", "bytes=0-1")
        .header("if-range", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 206);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_name_twice_makes_a_version_and_an_old_one_can_be_restored() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    upload(
        &app,
        &lea,
        &mine,
        &[("devoir.txt", "text/plain", b"premier jet".to_vec())],
    )
    .await;
    app.clock.advance(std::time::Duration::from_secs(3600));
    upload(
        &app,
        &lea,
        &mine,
        &[("Devoir.txt", "text/plain", b"version finale".to_vec())],
    )
    .await;
    let listed = entries(&app, &lea, &mine).await;
    assert_eq!(listed.len(), 1, "one file, two versions");
    let id = id_of(&listed, "devoir.txt");
    assert_eq!(listed[0]["version"], 2);

    let (status, page) = app.get(&lea, &format!("/documents/fichier/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Version 2") && page.contains("Version 1"));
    assert!(page.contains(&format!(
        "action=\"/documents/fichier/{id}/versions/1/restaurer\""
    )));
    assert!(!page.contains(&format!(
        "action=\"/documents/fichier/{id}/versions/2/restaurer\""
    )));
    let get = |version: &str| {
        let url = app.url(&format!("/documents/fichier/{id}/telecharger{version}"));
        let lea = lea.clone();
        async move {
            lea.get(url)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap()
                .to_vec()
        }
    };
    assert_eq!(get("").await, b"version finale");
    assert_eq!(get("?version=1").await, b"premier jet");

    let (status, location, _) = app
        .post_form(
            &lea,
            &format!("/documents/fichier/{id}/versions/1/restaurer"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        location,
        format!("/documents/fichier/{id}?fait=version-restauree#versions")
    );
    assert_eq!(get("").await, b"premier jet");
    let (_, file) = api(&app, &lea, &format!("/api/v1/documents/fichier/{id}")).await;
    let numbers: Vec<u64> = file["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [3, 2, 1]);
    let r = lea
        .get(app.url(&format!("/documents/fichier/{id}/telecharger?version=9")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn trash_restore_and_delete_for_good_through_the_pages() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    upload(
        &app,
        &lea,
        &mine,
        &[("brouillon.txt", "text/plain", b"12345".to_vec())],
    )
    .await;
    let id = id_of(&entries(&app, &lea, &mine).await, "brouillon.txt");

    let (status, location, _) = app
        .post_form(&lea, &format!("/documents/elements/{id}/supprimer"), &[])
        .await;
    assert_eq!(
        (status, location),
        (303, format!("/documents/{mine}?fait=supprime"))
    );
    assert!(entries(&app, &lea, &mine).await.is_empty());
    let r = lea
        .get(app.url(&format!("/documents/fichier/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "a trashed file is not shown");
    let (status, trash) = app.get(&lea, &format!("/documents/{mine}/corbeille")).await;
    assert_eq!(status, 200);
    assert!(trash.contains("brouillon.txt"));
    assert!(trash.contains("pendant 30 jours"));
    assert!(
        trash.contains("01/10/2026"),
        "purged 30 days later: {trash}"
    );

    let (status, location, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{id}/restaurer"),
            &[("espace", mine.as_str())],
        )
        .await;
    assert_eq!(
        (status, location),
        (303, format!("/documents/{mine}/corbeille?fait=restaure"))
    );
    assert_eq!(entries(&app, &lea, &mine).await.len(), 1);

    app.post_form(&lea, &format!("/documents/elements/{id}/supprimer"), &[])
        .await;
    assert_eq!(usage_of(&app, "eleve.a1"), 5, "the trash still counts");
    let (status, location, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{id}/supprimer-definitivement"),
            &[("espace", mine.as_str())],
        )
        .await;
    assert_eq!(
        (status, location),
        (303, format!("/documents/{mine}/corbeille?fait=efface"))
    );
    let (_, trash) = app
        .get(&lea, &format!("/documents/{mine}/corbeille?fait=efface"))
        .await;
    assert!(!trash.contains("brouillon.txt"));
    assert!(trash.contains("La corbeille est vide."));
    assert_eq!(usage_of(&app, "eleve.a1"), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn folders_moves_and_copies() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    let (status, created_at, _) = app
        .post_form(
            &lea,
            &format!("/documents/{mine}/dossiers"),
            &[("nom", "Maths"), ("dossier", "")],
        )
        .await;
    assert_eq!(status, 303);
    let maths = id_of(&entries(&app, &lea, &mine).await, "Maths");
    assert_eq!(
        created_at,
        format!("/documents/{mine}/dossier/{maths}?fait=dossier-cree")
    );
    // The same name again: said beside the field, nothing created.
    let before = node_count(&app);
    let (status, _, page) = app
        .post_form(
            &lea,
            &format!("/documents/{mine}/dossiers"),
            &[("nom", "maths"), ("dossier", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Un élément de ce nom existe déjà dans ce dossier."));
    assert!(page.contains("aria-describedby=\"nom-dossier-erreur\""));
    assert_eq!(node_count(&app), before);

    // Into the folder, then its page with the breadcrumb.
    let r = upload_to(
        &app,
        &lea,
        &mine,
        Some(maths),
        &[("exercice.txt", "text/plain", b"2+2".to_vec())],
        false,
    )
    .await;
    assert_eq!(
        location(&r),
        format!("/documents/{mine}/dossier/{maths}?fait=envoi&nombre=1")
    );
    let (status, page) = app
        .get(&lea, &format!("/documents/{mine}/dossier/{maths}"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Maths</h1>"));
    assert!(page.contains(&format!(
        "<a href=\"/documents/{mine}\"><bdi>Mes documents</bdi></a>"
    )));
    assert!(page.contains("exercice.txt"));
    let inside = entries(&app, &lea, &format!("{mine}?dossier={maths}")).await;
    let exercise = id_of(&inside, "exercice.txt");

    // The move page offers her spaces and their folders; moving to the root.
    let (status, page) = app
        .get(&lea, &format!("/documents/elements/{exercise}/deplacer"))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("value=\"{mine}\"")));
    assert!(page.contains(&format!("value=\"{mine}:{maths}\"")));
    let (status, location, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{exercise}/deplacer"),
            &[("destination", mine.as_str())],
        )
        .await;
    assert_eq!(
        (status, location),
        (303, format!("/documents/{mine}?fait=deplace"))
    );
    assert!(
        entries(&app, &lea, &format!("{mine}?dossier={maths}"))
            .await
            .is_empty()
    );
    // A copy next to it gets a free name, and is charged.
    let (status, _, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{exercise}/copier"),
            &[("destination", mine.as_str())],
        )
        .await;
    assert_eq!(status, 303);
    let root = entries(&app, &lea, &mine).await;
    id_of(&root, "exercice (copie).txt");
    assert_eq!(usage_of(&app, "eleve.a1"), 6);
    // A folder into itself: refused on the page, nothing moved.
    let (status, _, page) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{maths}/deplacer"),
            &[("destination", format!("{mine}:{maths}").as_str())],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("ne peut pas être placé dans lui-même"),
        "{page}"
    );
    // No destination chosen.
    let (status, _, page) = app
        .post_form(&lea, &format!("/documents/elements/{exercise}/copier"), &[])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Choisissez une destination."));
    // Into a space she only reads: 403.
    let class = format!("classe-{}", app.school.class_5a.0);
    let (status, _, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{exercise}/copier"),
            &[("destination", class.as_str())],
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test(flavor = "multi_thread")]
async fn class_spaces_are_read_by_the_class_and_unknown_to_others() {
    let app = TestApp::start().await;
    let prof = app.as_user("prof.b").await;
    let class_5b = format!("classe-{}", app.school.class_5b.0);
    let class_5a = format!("classe-{}", app.school.class_5a.0);
    let r = upload(
        &app,
        &prof,
        &class_5b,
        &[(
            "fiche-exercices.pdf",
            "application/pdf",
            b"%PDF-1.4 5B".to_vec(),
        )],
    )
    .await;
    assert_eq!(r.status(), 303);
    let id = id_of(
        &entries(&app, &prof, &class_5b).await,
        "fiche-exercices.pdf",
    );

    // A pupil of 5B: the space's listing, the file, read only.
    let hugo = app.as_user("eleve.b1").await;
    let (status, page) = app.get(&hugo, &format!("/documents/{class_5b}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("fiche-exercices.pdf"));
    assert!(page.contains("consulter et télécharger"));
    assert!(!page.contains("id=\"televersement\""), "no upload form");
    let r = hugo
        .get(app.url(&format!("/documents/fichier/{id}/telecharger")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = upload(
        &app,
        &hugo,
        &class_5b,
        &[("moi.txt", "text/plain", b"x".to_vec())],
    )
    .await;
    assert_eq!(r.status(), 403, "read only");
    let (status, _, _) = app
        .post_form(&hugo, &format!("/documents/elements/{id}/supprimer"), &[])
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .get(&hugo, &format!("/documents/{class_5b}/corbeille"))
        .await;
    assert_eq!(status, 403);

    // A pupil of 5A: not found, whatever the route.
    let lea = app.as_user("eleve.a1").await;
    for path in [
        format!("/documents/{class_5b}"),
        format!("/documents/{class_5b}/corbeille"),
        format!("/documents/fichier/{id}"),
        format!("/documents/fichier/{id}/telecharger"),
        format!("/documents/fichier/{id}/apercu"),
        format!("/documents/elements/{id}/deplacer"),
        format!("/documents/elements/{id}/partage"),
        format!("/api/v1/documents/{class_5b}"),
        format!("/api/v1/documents/fichier/{id}"),
    ] {
        let (status, _) = app.get(&lea, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    let r = upload(
        &app,
        &lea,
        &class_5b,
        &[("intrus.txt", "text/plain", b"x".to_vec())],
    )
    .await;
    assert_eq!(r.status(), 404);
    let (status, _) = app.get(&lea, &format!("/documents/{class_5a}")).await;
    assert_eq!(status, 200, "her own class");
    for path in [
        "/documents/classe-999999",
        "/documents/bidule-1",
        "/documents/fichier/abc",
    ] {
        let (status, _) = app.get(&lea, path).await;
        assert_eq!(status, 404, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn another_person_gets_not_found_for_a_personal_file() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    upload(
        &app,
        &lea,
        &mine,
        &[("journal intime.txt", "text/plain", b"secret".to_vec())],
    )
    .await;
    let id = id_of(&entries(&app, &lea, &mine).await, "journal intime.txt");
    for login in ["eleve.a2", "prof.a", "parent.a1", "admin.a", "eleve.c1"] {
        let other = app.as_user(login).await;
        for path in [
            format!("/documents/fichier/{id}"),
            format!("/documents/fichier/{id}/telecharger"),
            format!("/documents/fichier/{id}/apercu"),
            format!("/documents/{mine}"),
            format!("/api/v1/documents/fichier/{id}"),
        ] {
            let (status, body) = app.get(&other, &path).await;
            assert_eq!(status, 404, "{login} {path}");
            assert!(!body.contains("secret") && !body.contains("journal intime"));
        }
        let (status, _, _) = app
            .post_form(
                &other,
                &format!("/documents/elements/{id}/renommer"),
                &[("nom", "volé.txt")],
            )
            .await;
        assert_eq!(status, 404, "{login}");
    }
    assert!(
        entries(&app, &lea, &mine)
            .await
            .iter()
            .any(|e| e["name"] == "journal intime.txt")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn shares_within_the_rules_then_withdrawn() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    upload(
        &app,
        &lea,
        &mine,
        &[("exposé.pdf", "application/pdf", b"%PDF expose".to_vec())],
    )
    .await;
    let id = id_of(&entries(&app, &lea, &mine).await, "exposé.pdf");

    // The file's page offers the share form; the search finds her teacher.
    let (status, page) = app
        .get(&lea, &format!("/documents/fichier/{id}?q=Paul"))
        .await;
    assert_eq!(status, 200);
    let prof_a = app.school.id("prof.a").0;
    let paul = format!("personne-{prof_a}");
    assert!(
        page.contains(&format!("value=\"personne-{prof_a}\"")),
        "{page}"
    );
    let (status, page) = app
        .get(&lea, &format!("/documents/fichier/{id}?q=Hugo"))
        .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Aucune personne trouvée"),
        "a pupil of 5B is not offered"
    );

    // Sharing with a pupil of another class (forged): refused beside the form, nothing written.
    let hugo = format!("personne-{}", app.school.id("eleve.b1").0);
    let (status, _, page) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{id}/partages"),
            &[
                ("beneficiaire", hugo.as_str()),
                ("droit", "lecture"),
                ("depuis", "fichier"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("les règles de l’établissement ne le permettent pas"),
        "{page}"
    );
    let b1 = app.as_user("eleve.b1").await;
    let (status, _) = app.get(&b1, &format!("/documents/fichier/{id}")).await;
    assert_eq!(status, 404);

    // With her teacher, read only.
    let (status, location, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{id}/partages"),
            &[
                ("beneficiaire", paul.as_str()),
                ("droit", "lecture"),
                ("depuis", "fichier"),
            ],
        )
        .await;
    assert_eq!(
        (status, location),
        (
            303,
            format!("/documents/fichier/{id}?fait=partage#partages")
        )
    );
    let prof = app.as_user("prof.a").await;
    let (_, home) = app.get(&prof, "/documents").await;
    assert!(
        home.contains("exposé.pdf") && home.contains("fichier de Léa ÉLÈVE"),
        "{home}"
    );
    let r = prof
        .get(app.url(&format!("/documents/fichier/{id}/telecharger")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, page) = app.get(&prof, &format!("/documents/fichier/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("id=\"partages\""),
        "only its owner manages its shares"
    );
    let (status, _, _) = app
        .post_form(
            &prof,
            &format!("/documents/elements/{id}/renommer"),
            &[("nom", "x.pdf")],
        )
        .await;
    assert_eq!(status, 403, "read only");
    let (status, _) = app
        .get(&prof, &format!("/documents/elements/{id}/partage"))
        .await;
    assert_eq!(status, 403);
    let (_, page) = app.get(&lea, &format!("/documents/fichier/{id}")).await;
    assert!(
        page.contains("<bdi>Paul PROFA</bdi> — Lecture seule"),
        "{page}"
    );

    // Withdrawn: not found again.
    let (status, _, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{id}/partages/retirer"),
            &[("beneficiaire", paul.as_str()), ("depuis", "fichier")],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _) = app.get(&prof, &format!("/documents/fichier/{id}")).await;
    assert_eq!(status, 404);

    // A teacher shares a folder with a class he teaches, read-write.
    let (_, _, _) = app
        .post_form(
            &prof,
            &format!("/documents/{}/dossiers", perso(&app, "prof.a")),
            &[("nom", "Rendus"), ("dossier", "")],
        )
        .await;
    let folder = id_of(
        &entries(&app, &prof, &perso(&app, "prof.a")).await,
        "Rendus",
    );
    let (status, page) = app
        .get(&prof, &format!("/documents/elements/{folder}/partage"))
        .await;
    assert_eq!(status, 200);
    let class = format!("classe-{}", app.school.class_5a.0);
    assert!(page.contains(&format!("value=\"{class}\"")) && page.contains("Toute la classe 5A"));
    let (status, _, _) = app
        .post_form(
            &prof,
            &format!("/documents/elements/{folder}/partages"),
            &[("beneficiaire", class.as_str()), ("droit", "ecriture")],
        )
        .await;
    assert_eq!(status, 303);
    let r = upload_to(
        &app,
        &lea,
        &perso(&app, "prof.a"),
        Some(folder),
        &[("mon rendu.txt", "text/plain", b"rendu".to_vec())],
        false,
    )
    .await;
    assert_eq!(
        r.status(),
        303,
        "a pupil of 5A writes into the shared folder"
    );
    let (status, page) = app
        .get(
            &lea,
            &format!("/documents/{}/dossier/{folder}", perso(&app, "prof.a")),
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("mon rendu.txt"));
    assert!(
        page.contains("Partagés avec moi"),
        "the breadcrumb starts at her shares"
    );
    let hugo_client = app.as_user("eleve.b1").await;
    let (status, _) = app
        .get(
            &hugo_client,
            &format!("/documents/{}/dossier/{folder}", perso(&app, "prof.a")),
        )
        .await;
    assert_eq!(status, 404, "not his class");
}

#[tokio::test(flavor = "multi_thread")]
async fn unsafe_requests_without_the_token_are_refused() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    let r = lea
        .post(app.url(&format!("/documents/{mine}/fichiers")))
        .multipart(upload_form(&[("a.txt", "text/plain", b"a".to_vec())]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = lea
        .post(app.url(&format!("/api/v1/documents/{mine}/fichiers?_csrf=faux")))
        .multipart(upload_form(&[("a.txt", "text/plain", b"a".to_vec())]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = lea
        .post(app.url(&format!("/documents/{mine}/dossiers")))
        .form(&[("nom", "Sans jeton")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(entries(&app, &lea, &mine).await.is_empty());

    // With the token from the API, the upload goes through (201).
    let (_, body) = api(&app, &lea, "/api/v1/documents").await;
    let token = body["upload_token"].as_str().unwrap().to_owned();
    let r = lea
        .post(app.url(&format!("/api/v1/documents/{mine}/fichiers?_csrf={token}")))
        .multipart(upload_form(&[("a.txt", "text/plain", b"a".to_vec())]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["stored"][0]["new"], true);
    assert_eq!(entries(&app, &lea, &mine).await.len(), 1);

    // The drag-and-drop script's JSON answer names where to go.
    let r = upload_to(
        &app,
        &lea,
        &mine,
        None,
        &[("b.txt", "text/plain", b"b".to_vec())],
        true,
    )
    .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["redirect"],
        format!("/documents/{mine}?fait=envoi&nombre=1")
    );

    // Anonymous: sign in first; the API says 401.
    let anonymous = app.client();
    let r = anonymous.get(app.url("/documents")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = anonymous
        .get(app.url("/api/v1/documents"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // The OpenAPI document describes the endpoints.
    let (_, doc) = api(&app, &lea, "/api/v1/openapi.json").await;
    for path in [
        "/api/v1/documents",
        "/api/v1/documents/{space}",
        "/api/v1/documents/{space}/fichiers",
        "/api/v1/documents/fichier/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
}

/// Issue 12 §3: a pupil given read and write on her teacher's file may not move it into her
/// own space (the teacher kept it, she does not manage it), nor trash or rename it; she copies
/// it, and edits it in place (a new version).
#[tokio::test(flavor = "multi_thread")]
async fn a_read_write_share_does_not_hand_the_file_over() {
    let app = TestApp::start().await;
    let prof = app.as_user("prof.a").await;
    let theirs = perso(&app, "prof.a");
    upload(
        &app,
        &prof,
        &theirs,
        &[("sujet.txt", "text/plain", b"Sujet".to_vec())],
    )
    .await;
    let id = id_of(&entries(&app, &prof, &theirs).await, "sujet.txt");
    let lea_id = app.school.id("eleve.a1").0;
    let (status, _, _) = app
        .post_form(
            &prof,
            &format!("/documents/elements/{id}/partages"),
            &[
                ("beneficiaire", format!("personne-{lea_id}").as_str()),
                ("droit", "ecriture"),
                ("depuis", "fichier"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    for (action, fields) in [
        ("deplacer", vec![("destination", mine.as_str())]),
        ("supprimer", vec![]),
        ("renommer", vec![("nom", "à moi.txt")]),
    ] {
        let (status, _, _) = app
            .post_form(&lea, &format!("/documents/elements/{id}/{action}"), &fields)
            .await;
        assert_eq!(status, 403, "{action}");
    }
    // The teacher still has it, in her space, under its name; Léa has nothing new.
    let (status, page) = app.get(&prof, &format!("/documents/fichier/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("sujet.txt"));
    assert_eq!(id_of(&entries(&app, &prof, &theirs).await, "sujet.txt"), id);
    assert!(entries(&app, &lea, &mine).await.is_empty());
    // A copy is what the share gives; a new version edits the teacher's file in place.
    let (status, _, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{id}/copier"),
            &[("destination", mine.as_str())],
        )
        .await;
    assert_eq!(status, 303);
    let copy = id_of(&entries(&app, &lea, &mine).await, "sujet.txt");
    assert_ne!(copy, id);
    // Her page of the file offers what the share allows and nothing it refuses.
    let (status, page) = app.get(&lea, &format!("/documents/fichier/{id}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains(&format!("/documents/elements/{id}/renommer")));
    assert!(!page.contains(&format!("/documents/elements/{id}/supprimer")));
    assert!(page.contains(&format!("/documents/elements/{id}/deplacer")));
    let (_, page) = app.get(&prof, &format!("/documents/fichier/{id}")).await;
    assert!(page.contains(&format!("/documents/elements/{id}/renommer")));
    assert!(page.contains(&format!("/documents/elements/{id}/supprimer")));
}

/// Issue 12 §10: bidirectional marks and other invisible formatting never reach a stored name
/// (an upload and a rename).
#[tokio::test(flavor = "multi_thread")]
async fn bidi_marks_and_invisible_characters_are_stripped_from_names() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let mine = perso(&app, "eleve.a1");
    let r = upload(
        &app,
        &lea,
        &mine,
        &[(
            "devoir\u{200f}\u{061c}\u{200e}\u{200b}\u{feff}\u{2067}fdp.exe",
            "text/plain",
            b"x".to_vec(),
        )],
    )
    .await;
    assert_eq!(r.status(), 303);
    let listed = entries(&app, &lea, &mine).await;
    let id = id_of(&listed, "devoirfdp.exe");
    let (status, _, _) = app
        .post_form(
            &lea,
            &format!("/documents/elements/{id}/renommer"),
            &[("nom", "\u{200d}rapport\u{202b}\u{2066}.txt\u{00ad}")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(id_of(&entries(&app, &lea, &mine).await, "rapport.txt"), id);
    let (_, page) = app.get(&lea, &format!("/documents/{mine}")).await;
    for c in [
        '\u{200f}', '\u{061c}', '\u{200d}', '\u{202b}', '\u{2066}', '\u{00ad}',
    ] {
        assert!(!page.contains(c), "U+{:04X} in the page", c as u32);
    }
}

/// A malformed id in the documents' URLs (issue 13 §4), a node's or the one in a space's slug,
/// answers 404 like an id that does not exist: the French page for the pages and forms,
/// `problem+json` `not_found` for the API.
#[test_case::test_case("abc" ; "letters")]
#[test_case::test_case("+1" ; "a sign")]
#[test_case::test_case("0" ; "zero")]
#[test_case::test_case("-3" ; "negative")]
#[test_case::test_case("1.5" ; "a decimal")]
#[test_case::test_case("0x10" ; "hexadecimal")]
#[test_case::test_case("%201" ; "a space")]
#[test_case::test_case("99999999999999999999999" ; "too large")]
#[tokio::test(flavor = "multi_thread")]
async fn malformed_ids_answer_not_found(bad: &str) {
    let app = TestApp::start().await;
    let teacher = app.as_user("prof.a").await;
    let mine = perso(&app, "prof.a");
    let (status, known) = app.get(&teacher, "/documents/fichier/999999").await;
    assert_eq!(status, 404);
    for path in [
        format!("/documents/fichier/{bad}"),
        format!("/documents/fichier/{bad}/telecharger"),
        format!("/documents/fichier/{bad}/apercu"),
        format!("/documents/elements/{bad}/partage"),
        format!("/documents/elements/{bad}/deplacer"),
        format!("/documents/perso-{bad}"),
        format!("/documents/perso-{bad}/corbeille"),
        format!("/documents/{mine}/dossier/{bad}"),
    ] {
        let (status, body) = app.get(&teacher, &path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body, known, "{path} answers like an unknown id");
    }
    for path in [
        format!("/documents/elements/{bad}/renommer"),
        format!("/documents/elements/{bad}/supprimer"),
        format!("/documents/elements/{bad}/partages"),
        format!("/documents/fichier/{bad}/versions/1/restaurer"),
        format!("/documents/fichier/1/versions/{bad}/restaurer"),
        format!("/documents/perso-{bad}/dossiers"),
    ] {
        let (status, _, body) = app.post_form(&teacher, &path, &[("nom", "x")]).await;
        assert_eq!(status, 404, "POST {path}");
        assert_eq!(body, known, "POST {path} answers like an unknown id");
    }
    for path in [
        format!("/api/v1/documents/fichier/{bad}"),
        format!("/api/v1/documents/perso-{bad}"),
        format!("/api/v1/documents/{mine}?dossier={bad}"),
    ] {
        let r = teacher.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
        assert_eq!(
            r.headers()["content-type"],
            "application/problem+json",
            "{path}"
        );
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "not_found", "{path}: {body}");
    }
}
