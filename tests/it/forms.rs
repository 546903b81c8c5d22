//! Forms that create something (issue 14 §6, §7, §1): a one-time key makes the same form posted
//! twice create one thing and answer with the first result — a message, uploaded files, an
//! import, an account — never another person's; files over the limit refused by name while
//! the others of the same upload are kept; parents in the « Vu et signé » list with their
//! children.

use cartable::model::directory::{ParentLink, PersonId, Relation};
use cartable::model::documents::NodeKind;
use cartable::store::tables::{DOCUMENT_NODES, DOCUMENT_VERSIONS, MESSAGES, PEOPLE};

use crate::common::app::{TestApp, location};
use crate::common::multipart;
use crate::messaging_pages::compose;

/// The value of the hidden field `name` of a page.
fn field_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name}: {html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The messages `sender` sent (drafts left out).
fn sent_by(app: &TestApp, sender: PersonId) -> usize {
    let read = app.state.store.read().unwrap();
    read.range(&MESSAGES, ..)
        .unwrap()
        .map(|r| r.unwrap().1)
        .filter(|m| m.sender == sender && m.sent_at.is_some())
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_form_posted_twice_sends_once_and_a_key_is_its_owners_only() {
    let app = TestApp::start().await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let (_, page) = app.get(&prof, "/messagerie/nouveau").await;
    let key = field_value(&page, "cle_formulaire");
    assert_eq!(key.len(), 32, "{key}");
    let (_, again) = app.get(&prof, "/messagerie/nouveau").await;
    assert_ne!(
        field_value(&again, "cle_formulaire"),
        key,
        "a key per form shown"
    );
    let fields = |key: &str| {
        vec![
            ("destinataires", s.id("parent.a1").0.to_string()),
            ("objet", "Sortie au musée".to_owned()),
            ("corps", "Départ à 8 h.".to_owned()),
            ("cle_formulaire", key.to_owned()),
            ("action", "envoyer".to_owned()),
        ]
    };
    let first = compose(&app, &prof, &fields(&key), &[], false).await;
    assert_eq!(first.status(), 303);
    let second = compose(&app, &prof, &fields(&key), &[], false).await;
    assert_eq!(second.status(), 303);
    assert_eq!(location(&first), "/messagerie/envoyes?fait=envoye");
    assert_eq!(location(&second), location(&first));
    assert_eq!(
        sent_by(&app, s.id("prof.a")),
        1,
        "one message for two posts"
    );
    // The same key over a form changed since (after "Back"): a new message, nothing lost.
    let mut changed = fields(&key);
    changed[1].1 = "Sortie au musée : horaire corrigé".to_owned();
    let r = compose(&app, &prof, &changed, &[], false).await;
    assert_eq!(r.status(), 303);
    assert_eq!(sent_by(&app, s.id("prof.a")), 2);

    // The script's JSON answer: the same id both times.
    let (_, page) = app.get(&prof, "/messagerie/nouveau").await;
    let key2 = field_value(&page, "cle_formulaire");
    let mut ids = Vec::new();
    for _ in 0..2 {
        let r = compose(&app, &prof, &fields(&key2), &[], true).await;
        assert_eq!(r.status(), 201);
        let v: serde_json::Value = r.json().await.unwrap();
        ids.push(v["id"].as_u64().unwrap());
    }
    assert_eq!(ids[0], ids[1]);
    assert_eq!(sent_by(&app, s.id("prof.a")), 3);

    // Another person posting the same key gets their own message, never the first one.
    let theirs = vec![
        ("destinataires", s.id("prof.a").0.to_string()),
        ("objet", "Question".to_owned()),
        ("corps", "Bonjour".to_owned()),
        ("cle_formulaire", key2.clone()),
        ("action", "envoyer".to_owned()),
    ];
    let parent = app.as_user("parent.a1").await;
    let r = compose(&app, &parent, &theirs, &[], true).await;
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_ne!(v["id"].as_u64().unwrap(), ids[0]);
    assert_eq!(sent_by(&app, s.id("parent.a1")), 1);

    // A key of another shape is no key: each post sends (the form of an older page).
    for _ in 0..2 {
        let r = compose(&app, &prof, &fields("pas-une-cle"), &[], false).await;
        assert_eq!(r.status(), 303);
    }
    assert_eq!(sent_by(&app, s.id("prof.a")), 5);

    // The JSON API: `Idempotency-Key`, the same way; a malformed one is refused in French.
    let body = serde_json::json!({
        "recipients": [s.id("parent.a1").0], "subject": "Par l’API", "body": "…",
    });
    let mut api_ids = Vec::new();
    for _ in 0..2 {
        let r = prof
            .post(app.url("/api/v1/messagerie/messages"))
            .header("Idempotency-Key", "3f2c9a1e-7b4d-4c8e-9a10-1234567890ab")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let v: serde_json::Value = r.json().await.unwrap();
        api_ids.push(v["id"].as_u64().unwrap());
    }
    assert_eq!(api_ids[0], api_ids[1]);
    assert_eq!(sent_by(&app, s.id("prof.a")), 6);
    let r = prof
        .post(app.url("/api/v1/messagerie/messages"))
        .header("Idempotency-Key", "deux fois")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(
        v["detail"].as_str().unwrap().contains("usage unique"),
        "{v}"
    );
    assert_eq!(sent_by(&app, s.id("prof.a")), 6);
}

/// The files `owner` created, and how many versions each has.
fn files_of(app: &TestApp, owner: PersonId) -> Vec<(String, usize)> {
    let read = app.state.store.read().unwrap();
    read.range(&DOCUMENT_NODES, ..)
        .unwrap()
        .map(|r| r.unwrap())
        .filter(|(_, n)| n.created_by == owner && matches!(n.kind, NodeKind::File { .. }))
        .map(|(id, n)| {
            let versions = read
                .scan_prefix(&DOCUMENT_VERSIONS, &(id,))
                .unwrap()
                .count();
            (n.name, versions)
        })
        .collect()
}

/// POSTs the upload form of `slug` with the one-time key `key`.
async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    slug: &str,
    key: &str,
    json: bool,
) -> reqwest::Response {
    let csrf = app.csrf(client).await;
    let form = multipart(
        &[("cle_formulaire", key.to_owned())],
        &[(
            "fichiers",
            "devoir.txt",
            "text/plain",
            b"Exercice 1".to_vec(),
        )],
    );
    let mut request = client
        .post(app.url(&format!("/documents/{slug}/fichiers?_csrf={csrf}")))
        .multipart(form);
    if json {
        request = request.header("accept", "application/json");
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_posted_twice_stores_the_files_once() {
    let app = TestApp::start().await;
    let s = &app.school;
    let lea = app.as_user("eleve.a1").await;
    let mine = format!("perso-{}", s.id("eleve.a1").0);
    let (_, page) = app.get(&lea, &format!("/documents/{mine}")).await;
    let key = field_value(&page, "cle_formulaire");
    let first = upload(&app, &lea, &mine, &key, false).await;
    let second = upload(&app, &lea, &mine, &key, false).await;
    assert_eq!(first.status(), 303);
    assert_eq!(second.status(), 303);
    assert_eq!(
        location(&first),
        format!("/documents/{mine}?fait=envoi&nombre=1")
    );
    assert_eq!(location(&second), location(&first));
    assert_eq!(
        files_of(&app, s.id("eleve.a1")),
        vec![("devoir.txt".to_owned(), 1)],
        "one file, one version"
    );
    // The drag-and-drop script's JSON answer: the same redirect.
    let r = upload(&app, &lea, &mine, &key, true).await;
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["redirect"].as_str().unwrap(), location(&first));
    assert_eq!(files_of(&app, s.id("eleve.a1"))[0].1, 1);

    // Another pupil with the same key uploads into their own space, and only there.
    let zoe = app.as_user("eleve.a2").await;
    let theirs = format!("perso-{}", s.id("eleve.a2").0);
    let r = upload(&app, &zoe, &theirs, &key, false).await;
    assert_eq!(
        location(&r),
        format!("/documents/{theirs}?fait=envoi&nombre=1")
    );
    assert_eq!(files_of(&app, s.id("eleve.a2")).len(), 1);
    assert_eq!(files_of(&app, s.id("eleve.a1"))[0].1, 1);

    // Without a key, a second post is a second version (as before).
    upload(&app, &lea, &mine, "", false).await;
    assert_eq!(files_of(&app, s.id("eleve.a1"))[0].1, 2);

    // The API's `Idempotency-Key`: the same stored files both times.
    let csrf = app.csrf(&lea).await;
    let mut answers = Vec::new();
    for _ in 0..2 {
        let form = multipart(
            &[],
            &[("fichiers", "devoir.txt", "text/plain", b"v3".to_vec())],
        );
        let r = lea
            .post(app.url(&format!("/api/v1/documents/{mine}/fichiers?_csrf={csrf}")))
            .header("Idempotency-Key", "0123456789abcdef0123456789abcdef")
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        answers.push(r.json::<serde_json::Value>().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0]["stored"][0]["version"], 3);
    assert_eq!(files_of(&app, s.id("eleve.a1"))[0].1, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_import_confirmed_twice_imports_once_and_says_its_summary_again() {
    use crate::admin_import::{add_fixture_classes, fixture, pupils, token_of, upload};
    let app = TestApp::start().await;
    add_fixture_classes(&app);
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let csrf = app.csrf(&admin).await;
    let (status, preview) = upload(&app, &admin, Some(&csrf), "auto", &fixture("eleves.csv")).await;
    assert_eq!(status, 200, "{preview}");
    let token = token_of(&preview).unwrap();
    let key = field_value(&preview, "cle_formulaire");
    let before = pupils(&app);
    let path = format!("/admin/etablissements/{}/import/confirmer", s.college);
    let fields = [
        ("televersement", token.as_str()),
        ("cle_formulaire", key.as_str()),
    ];
    let first = app.post_with_csrf(&admin, &path, &csrf, &fields).await;
    assert_eq!(first.status(), 200);
    let first = first.text().await.unwrap();
    assert!(first.contains("id=\"import-fait\""), "{first}");
    assert!(!first.contains("import-deja-fait"));
    let after = pupils(&app);
    assert!(after > before);
    let second = app.post_with_csrf(&admin, &path, &csrf, &fields).await;
    assert_eq!(second.status(), 200);
    let second = second.text().await.unwrap();
    assert!(second.contains("id=\"import-fait\""), "{second}");
    assert!(second.contains("id=\"import-deja-fait\""), "{second}");
    assert!(second.contains("l’import n’a pas été refait"));
    // The same summary line (the counts of the first import).
    let summary = |html: &str| {
        let start = html.find("Élèves : ").unwrap();
        html[start..].split('<').next().unwrap().to_owned()
    };
    assert_eq!(summary(&second), summary(&first));
    assert_eq!(pupils(&app), after, "imported once");

    // Another administrator with the same key gets nothing of the first import.
    let other = app.as_user("admin.b").await;
    let csrf_b = app.csrf(&other).await;
    let theirs = format!("/admin/etablissements/{}/import/confirmer", s.lycee);
    let r = app.post_with_csrf(&other, &theirs, &csrf_b, &fields).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        !html.contains("id=\"import-fait\"") && !html.contains("id=\"titre-bilan\""),
        "{html}"
    );
    let r = app.post_with_csrf(&other, &path, &csrf_b, &fields).await;
    assert_eq!(r.status(), 404);
    assert_eq!(pupils(&app), after);
}

fn people_named(app: &TestApp, last_name: &str) -> Vec<PersonId> {
    let read = app.state.store.read().unwrap();
    read.range(&PEOPLE, ..)
        .unwrap()
        .map(|r| r.unwrap())
        .filter(|(_, p)| p.last_name == last_name)
        .map(|(id, _)| id)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_form_posted_twice_creates_one_account() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let new = format!("/admin/etablissements/{}/personnes/nouvelle", s.college);
    let (_, page) = app.get(&admin, &new).await;
    let key = field_value(&page, "cle_formulaire");
    let fields = [
        ("prenom", "Irène"),
        ("nom", "Doublon"),
        ("role", "enseignant"),
        ("cle_formulaire", key.as_str()),
    ];
    let (status, first, _) = app.post_form(&admin, &new, &fields).await;
    assert_eq!(status, 303);
    assert!(first.ends_with("?fait=cree"), "{first}");
    let (status, second, _) = app.post_form(&admin, &new, &fields).await;
    assert_eq!(status, 303);
    assert_eq!(second, first, "the same account");
    let created = people_named(&app, "Doublon");
    assert_eq!(created.len(), 1);
    assert!(first.starts_with(&format!("/admin/personnes/{}?", created[0])));

    // A refused form keeps its key; corrected, it creates once.
    let (_, page) = app.get(&admin, &new).await;
    let key = field_value(&page, "cle_formulaire");
    let (status, _, html) = app
        .post_form(
            &admin,
            &new,
            &[
                ("prenom", "Marc"),
                ("nom", "Double"),
                ("cle_formulaire", &key),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(field_value(&html, "cle_formulaire"), key);
    let fixed = [
        ("prenom", "Marc"),
        ("nom", "Double"),
        ("role", "enseignant"),
        ("cle_formulaire", key.as_str()),
    ];
    let (_, first, _) = app.post_form(&admin, &new, &fixed).await;
    let (_, second, _) = app.post_form(&admin, &new, &fixed).await;
    assert_eq!(first, second);
    assert_eq!(people_named(&app, "Double").len(), 1);

    // Another administrator with the same key creates their own account, in their school.
    let other = app.as_user("admin.b").await;
    let theirs = format!("/admin/etablissements/{}/personnes/nouvelle", s.lycee);
    let (status, location, _) = app.post_form(&other, &theirs, &fixed).await;
    assert_eq!(status, 303);
    assert_ne!(location, first);
    assert_eq!(people_named(&app, "Double").len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn files_after_a_too_large_one_are_kept_and_the_refused_ones_named() {
    let app = TestApp::start_with_config(|c| c.message_attachment_max_mib = 1).await;
    let s = &app.school;
    let prof = app.as_user("prof.a").await;
    let big = vec![7u8; 1024 * 1024 + 1];
    let fields = [
        ("destinataires", s.id("parent.a1").0.to_string()),
        ("objet", "Photos".to_owned()),
        ("corps", "…".to_owned()),
        ("action", "envoyer".to_owned()),
    ];
    let r = compose(
        &app,
        &prof,
        &fields,
        &[
            ("pieces_jointes", "film.mp4", "video/mp4", big.clone()),
            (
                "pieces_jointes",
                "note.txt",
                "text/plain",
                b"petit".to_vec(),
            ),
        ],
        false,
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Le fichier « film.mp4 » dépasse la taille maximale de 1 Mo"),
        "{html}"
    );
    assert!(html.contains("Les fichiers joints ont été gardés dans un brouillon."));
    assert!(html.contains("note.txt"), "the small file is kept: {html}");
    let drafts = |app: &TestApp| -> Vec<Vec<String>> {
        let read = app.state.store.read().unwrap();
        read.range(&MESSAGES, ..)
            .unwrap()
            .map(|r| r.unwrap().1)
            .filter(|m| m.sent_at.is_none())
            .map(|m| m.attachments.iter().map(|a| a.name.clone()).collect())
            .collect()
    };
    assert_eq!(drafts(&app), vec![vec!["note.txt".to_owned()]]);
    assert_eq!(sent_by(&app, s.id("prof.a")), 0);

    // Two too large around two that fit: both refused ones named, both others kept.
    let r = compose(
        &app,
        &prof,
        &fields,
        &[
            ("pieces_jointes", "a.txt", "text/plain", b"a".to_vec()),
            ("pieces_jointes", "film.mp4", "video/mp4", big.clone()),
            ("pieces_jointes", "b.txt", "text/plain", b"b".to_vec()),
            ("pieces_jointes", "film2.mp4", "video/mp4", big),
        ],
        false,
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(
            "Les fichiers « film.mp4 », « film2.mp4 » dépassent chacun la taille maximale de 1 Mo"
        ),
        "{html}"
    );
    assert!(drafts(&app).contains(&vec!["a.txt".to_owned(), "b.txt".to_owned()]));
    assert_eq!(sent_by(&app, s.id("prof.a")), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_signatures_list_names_each_parent_with_the_child_the_sender_knows() {
    let app = TestApp::start().await;
    let s = &app.school;
    // Nathalie is also « parent » (relation unknown) of Hugo, in 5B.
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                cartable::domain::directory::service::link_parent(
                    tx,
                    s.id("parent.a1"),
                    s.id("eleve.b1"),
                    ParentLink {
                        relation: Relation::Autre,
                        parental_authority: false,
                        receives_mail: true,
                    },
                )
            })
            .unwrap()
    });
    for (login, class, expected, hidden) in [
        (
            "cpe.a",
            s.class_5a,
            "Nathalie ÉLÈVE (mère de Léa, 5A ; parent de Hugo, 5B)",
            "Tom",
        ),
        (
            "prof.c",
            s.class_2nde,
            "Nathalie ÉLÈVE (mère de Tom, 2nde1)",
            "Léa",
        ),
    ] {
        let sender = app.as_user(login).await;
        let fields = [
            ("listes", format!("parents-{class}")),
            ("objet", "Autorisation".to_owned()),
            ("corps", "Merci de signer.".to_owned()),
            ("accuse", "1".to_owned()),
            ("action", "envoyer".to_owned()),
        ];
        let r = compose(&app, &sender, &fields, &[], true).await;
        assert_eq!(r.status(), 201, "{login}");
        let id = r.json::<serde_json::Value>().await.unwrap()["id"]
            .as_u64()
            .unwrap();
        let (_, page) = app
            .get(&sender, &format!("/messagerie/messages/{id}"))
            .await;
        assert!(page.contains(expected), "{login}: {page}");
        assert!(!page.contains(hidden), "{login}: {page}");
        let r = sender
            .get(app.url(&format!("/api/v1/messagerie/messages/{id}")))
            .send()
            .await
            .unwrap();
        let v: serde_json::Value = r.json().await.unwrap();
        let nathalie = v["receipts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["recipient"]["id"] == s.id("parent.a1").0)
            .unwrap()
            .clone();
        assert!(!nathalie["children"].as_array().unwrap().is_empty(), "{v}");
    }
}
