//! The site in a real browser: headless Debian Chromium driven through chromedriver
//! (fantoccini), over the in-process app on real HTTPS (DESIGN.md §10).
//!
//! One browser session walks the parent's scenario (sign in, switch child, profile, sign out),
//! signs in as every role for a screenshot of its portal, checks the browser console has no
//! error and runs axe-core on each page (serious and critical violations fail).
//!
//! The peers are `/usr/bin/chromium`, `/usr/bin/chromedriver` (Debian's `chromium` and
//! `chromium-driver`) and `target/axe/node_modules/axe-core/axe.min.js` (from npm, not
//! committed); `./scripts/test` installs what is missing. Without them this test fails.
//! Screenshots go to `target/test-output/browser/`.

use std::sync::Arc;

use fantoccini::{Client, Locator};
use serde_json::json;

use crate::common::app::TestApp;
use crate::common::browser::{
    WAIT, assert_clean_console, axe, axe_path, button, check_peers, input_of_label, output_dir,
    screenshot, severe_console_entries, sign_in, sign_out, submit_sign_in, text_of, wait_for_path,
    with_browser,
};

/// Everything the browser does, in one session.
async fn scenario(c: Client, app: Arc<TestApp>, axe_js: Arc<String>) {
    let axe_js = axe_js.as_str();
    c.set_window_size(1280, 900).await.unwrap();

    // The sign-in page, then with an error message.
    c.goto(&app.url("/connexion")).await.unwrap();
    assert_eq!(c.title().await.unwrap(), "Connexion — Cartable");
    assert_clean_console(&c, "/connexion").await;
    axe(&c, axe_js, "/connexion").await;
    screenshot(&c, "connexion").await;
    submit_sign_in(&c, &app, "parent.a1", "pas le bon mot de passe").await;
    let error = text_of(&c, "#erreur-connexion").await;
    assert!(error.contains("incorrect"), "{error}");
    // The answer is a 422, which Chromium reports as a failed load: that one is expected.
    let severe: Vec<String> = severe_console_entries(&c)
        .await
        .into_iter()
        .filter(|e| !(e.contains("/connexion") && e.contains("status of 422")))
        .collect();
    assert!(severe.is_empty(), "{}", severe.join("\n"));
    axe(&c, axe_js, "/connexion with an error").await;
    screenshot(&c, "connexion-erreur").await;

    // The parent: two children in two schools. Another session of theirs, from elsewhere,
    // gives the sessions page a row with its "Terminer" button.
    let _other_device = app.as_user("parent.a1").await;
    sign_in(&c, &app, "parent.a1").await;
    assert_clean_console(&c, "portal of parent.a1").await;
    let shown = text_of(&c, "#enfant-affiche").await;
    assert!(shown.contains("Léa") && shown.contains("5A"), "{shown}");
    axe(&c, axe_js, "portal of parent.a1").await;
    screenshot(&c, "portail-parent.a1").await;
    c.set_window_size(390, 844).await.unwrap();
    screenshot(&c, "portail-parent.a1-mobile").await;
    axe(&c, axe_js, "portal of parent.a1 on a phone").await;
    c.set_window_size(1280, 900).await.unwrap();

    // Switch child: a GET form, no JavaScript.
    let select = c.find(Locator::Css("select#enfant")).await.unwrap();
    select.select_by_label("Tom ÉLÈVE").await.unwrap();
    button(&c, "Afficher").await.click().await.unwrap();
    let tom = app.school.id("eleve.d1");
    wait_for_path(&c, &app, &format!("/?enfant={tom}")).await;
    let shown = text_of(&c, "#enfant-affiche").await;
    assert!(
        shown.contains("Tom") && shown.contains("2nde1") && !shown.contains("Léa"),
        "{shown}"
    );
    assert_clean_console(&c, "portal of parent.a1, Tom shown").await;
    axe(&c, axe_js, "portal of parent.a1, Tom shown").await;

    // The profile, from the header's menu.
    c.find(Locator::XPath(
        "//header//nav//a[normalize-space()='Mon profil']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for_path(&c, &app, "/profil").await;
    assert_eq!(text_of(&c, "h1").await, "Nathalie ÉLÈVE");
    assert_clean_console(&c, "/profil").await;
    axe(&c, axe_js, "/profil").await;
    screenshot(&c, "profil-parent.a1").await;

    // The password form, with an error shown beside its field.
    c.goto(&app.url("/profil/mot-de-passe")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Changer mon mot de passe");
    c.find(Locator::Css("#actuel"))
        .await
        .unwrap()
        .send_keys("pas le bon")
        .await
        .unwrap();
    c.find(Locator::Css("#nouveau"))
        .await
        .unwrap()
        .send_keys("une phrase assez longue")
        .await
        .unwrap();
    c.find(Locator::Css("#confirmation"))
        .await
        .unwrap()
        .send_keys("une phrase assez longue")
        .await
        .unwrap();
    c.find(Locator::Css("form.formulaire button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&c, &app, "/profil/mot-de-passe").await;
    assert_eq!(
        text_of(&c, "#erreur-actuel").await,
        "Le mot de passe actuel est incorrect."
    );
    let severe: Vec<String> = severe_console_entries(&c)
        .await
        .into_iter()
        .filter(|e| !(e.contains("/profil/mot-de-passe") && e.contains("status of 422")))
        .collect();
    assert!(severe.is_empty(), "{}", severe.join("\n"));
    axe(&c, axe_js, "/profil/mot-de-passe with an error").await;
    screenshot(&c, "mot-de-passe-erreur").await;

    c.goto(&app.url("/sessions")).await.unwrap();
    assert_eq!(text_of(&c, "h1").await, "Mes sessions");
    assert!(
        c.find_all(Locator::Css(".sessions tbody tr"))
            .await
            .unwrap()
            .len()
            >= 2
    );
    assert_clean_console(&c, "/sessions").await;
    axe(&c, axe_js, "/sessions").await;
    screenshot(&c, "sessions-parent.a1").await;
    c.set_window_size(390, 844).await.unwrap();
    screenshot(&c, "sessions-parent.a1-mobile").await;
    axe(&c, axe_js, "/sessions on a phone").await;
    c.set_window_size(1280, 900).await.unwrap();

    sign_out(&c, &app).await;
    assert_eq!(text_of(&c, "h1").await, "Connexion");
    assert_clean_console(&c, "after sign-out").await;

    // Every other role's portal; the teacher also opens a class.
    for login in ["prof.a", "eleve.a1", "cpe.a", "admin.a", "plateforme"] {
        sign_in(&c, &app, login).await;
        assert_clean_console(&c, &format!("portal of {login}")).await;
        axe(&c, axe_js, &format!("portal of {login}")).await;
        screenshot(&c, &format!("portail-{login}")).await;
        if login == "prof.a" {
            c.find(Locator::LinkText("5A"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            wait_for_path(&c, &app, &format!("/classes/{}", app.school.class_5a)).await;
            assert_eq!(text_of(&c, "h1").await, "Classe 5A");
            assert_clean_console(&c, "/classes/{id}").await;
            axe(&c, axe_js, "/classes/{id}").await;
            screenshot(&c, "classe-5A").await;
        }
        if login == "cpe.a" {
            // The recipients' lists (two classes, six lists): the filter of messagerie.js hides
            // what does not match, typed without case; the groups stay a plain form.
            c.goto(&app.url("/messagerie/nouveau")).await.unwrap();
            input_of_label(&c, "Filtrer les listes")
                .await
                .send_keys("5b")
                .await
                .unwrap();
            let shown = |label: &'static str| {
                let c = c.clone();
                async move {
                    input_of_label(&c, label)
                        .await
                        .is_displayed()
                        .await
                        .unwrap()
                }
            };
            assert!(shown("Parents de 5B").await && !shown("Parents de 5A").await);
            input_of_label(&c, "Parents de 5B")
                .await
                .click()
                .await
                .unwrap();
            let count = text_of(&c, "details.groupe-listes .choisies").await;
            assert_eq!(count, "1 choisie");
            assert_clean_console(&c, "/messagerie/nouveau, lists filtered").await;
            axe(&c, axe_js, "/messagerie/nouveau, lists filtered").await;
        }
        if login == "admin.a" {
            // The administration pages: search, a person, the journal.
            let college = app.school.college;
            let lea = app.school.id("eleve.a1");
            for (path, name) in [
                ("/admin".to_owned(), "admin"),
                (
                    format!("/admin/etablissements/{college}/personnes?q=eleve"),
                    "admin-recherche",
                ),
                (format!("/admin/personnes/{lea}"), "admin-personne"),
                (
                    format!("/admin/etablissements/{college}/journal"),
                    "admin-journal",
                ),
                (
                    format!("/admin/etablissements/{college}/classes"),
                    "admin-classes",
                ),
                (
                    format!("/admin/classes/{}", app.school.class_5a),
                    "admin-classe",
                ),
                (
                    format!("/admin/etablissements/{college}/groupes"),
                    "admin-groupes",
                ),
                (
                    format!("/admin/etablissements/{college}/matieres"),
                    "admin-matieres",
                ),
                (
                    format!("/admin/personnes/{lea}/responsables"),
                    "admin-responsables",
                ),
                (
                    format!("/admin/etablissements/{college}/personnes/nouvelle"),
                    "admin-nouveau-compte",
                ),
                (
                    format!("/admin/personnes/{lea}/modifier"),
                    "admin-modifier-compte",
                ),
                (
                    format!("/admin/etablissements/{college}/import"),
                    "admin-import",
                ),
            ] {
                c.goto(&app.url(&path)).await.unwrap();
                assert_clean_console(&c, &path).await;
                axe(&c, axe_js, &path).await;
                screenshot(&c, name).await;
            }
        }
        if login == "plateforme" {
            let college = app.school.college;
            for (path, name) in [
                (
                    "/admin/etablissements/nouveau".to_owned(),
                    "admin-etablissement",
                ),
                (
                    format!("/admin/etablissements/{college}/administrateurs"),
                    "admin-administrateurs",
                ),
            ] {
                c.goto(&app.url(&path)).await.unwrap();
                assert_clean_console(&c, &path).await;
                axe(&c, axe_js, &path).await;
                screenshot(&c, name).await;
            }
        }
        sign_out(&c, &app).await;
    }
    messaging(&c, &app, axe_js).await;
    activation(&c, &app, axe_js).await;
    documents_and_search(&c, &app, axe_js).await;
    assert_clean_console(&c, "the end").await;
}

/// Issue 6 through the real pages: a teacher writes to the list "Parents de 5A" asking for an
/// acknowledgement (a suggestion picked as they type, by the script), the parent sees it unread,
/// opens it and clicks « Vu et signé », the teacher sees who signed and when. axe on the inbox,
/// the compose form and the message.
async fn messaging(c: &Client, app: &TestApp, axe_js: &str) {
    sign_in(c, app, "prof.a").await;
    c.find(Locator::Css("header nav a[href='/messagerie']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(c, app, "/messagerie").await;
    assert_eq!(text_of(c, "h1").await, "Boîte de réception");
    assert_clean_console(c, "/messagerie").await;
    axe(c, axe_js, "/messagerie").await;
    screenshot(c, "messagerie-reception").await;
    c.find(Locator::LinkText("Écrire un message"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(c, app, "/messagerie/nouveau").await;
    axe(c, axe_js, "/messagerie/nouveau").await;
    // Suggestions as one types (assets/public/messagerie.js and the JSON API).
    input_of_label(c, "Ajouter une personne")
        .await
        .send_keys("durand")
        .await
        .unwrap();
    let suggestion = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#suggestions input[type=checkbox]"))
        .await
        .unwrap_or_else(|e| panic!("no suggestion appeared: {e}"));
    suggestion.click().await.unwrap();
    let chosen = text_of(c, "#choisis").await;
    assert!(chosen.contains("Zoé DURAND"), "{chosen}");
    input_of_label(c, "Parents de 5A")
        .await
        .click()
        .await
        .unwrap();
    input_of_label(c, "Demander « Vu et signé »")
        .await
        .click()
        .await
        .unwrap();
    input_of_label(c, "Objet")
        .await
        .send_keys("Sortie au musée")
        .await
        .unwrap();
    input_of_label(c, "Message")
        .await
        .send_keys("Bonjour,\n\nMerci de **signer** l’autorisation.")
        .await
        .unwrap();
    assert_clean_console(c, "/messagerie/nouveau").await;
    axe(c, axe_js, "/messagerie/nouveau, filled").await;
    screenshot(c, "messagerie-nouveau").await;
    button(c, "Envoyer").await.click().await.unwrap();
    wait_for_path(c, app, "/messagerie/envoyes?fait=envoye").await;
    let id = {
        let read = app.state.store.read().unwrap();
        read.range(&cartable::store::tables::MESSAGES, ..)
            .unwrap()
            .next_back()
            .unwrap()
            .unwrap()
            .0
    };
    sign_out(c, app).await;

    sign_in(c, app, "parent.a1").await;
    let link = text_of(c, "header nav a[href='/messagerie']").await;
    assert!(link.starts_with("Messagerie (1"), "{link}");
    c.find(Locator::Css("header nav a[href='/messagerie']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(c, app, "/messagerie").await;
    assert!(text_of(c, "tr.non-lu").await.contains("Sortie au musée"));
    c.find(Locator::XPath(
        "//table//a[contains(normalize-space(), 'Sortie au musée')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for_path(c, app, &format!("/messagerie/messages/{id}")).await;
    assert_eq!(text_of(c, "h1").await, "Sortie au musée");
    assert_eq!(text_of(c, ".corps-message strong").await, "signer");
    assert_clean_console(c, "/messagerie/messages/{id}").await;
    axe(c, axe_js, "/messagerie/messages/{id}").await;
    screenshot(c, "messagerie-message").await;
    button(c, "Vu et signé").await.click().await.unwrap();
    wait_for_path(c, app, &format!("/messagerie/messages/{id}?fait=signe")).await;
    let done = text_of(c, "#accuse-fait").await;
    assert!(
        done.starts_with("Vous avez signé ce message le 01/09/2026"),
        "{done}"
    );
    sign_out(c, app).await;

    sign_in(c, app, "prof.a").await;
    c.goto(&app.url("/messagerie/envoyes")).await.unwrap();
    c.find(Locator::XPath(
        "//table//a[contains(normalize-space(), 'Sortie au musée')]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for_path(c, app, &format!("/messagerie/messages/{id}")).await;
    let receipts = text_of(c, "#accuses").await;
    assert!(
        receipts.contains("Nathalie ÉLÈVE") && receipts.contains("01/09/2026"),
        "{receipts}"
    );
    // Her row: read and signed, with their dates (Zoé has neither).
    let row = c
        .find(Locator::XPath(
            "//table[@id='accuses']//tr[th[contains(., 'Nathalie')]]",
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(row.matches("01/09/2026").count(), 2, "{row}");
    assert_clean_console(c, "sent message with its acknowledgements").await;
    axe(c, axe_js, "/messagerie/messages/{id} (sender)").await;
    screenshot(c, "messagerie-accuses").await;
    sign_out(c, app).await;

    // The administrator's side: the communication rules and the reports.
    sign_in(c, app, "admin.a").await;
    let college = app.school.college;
    for (path, name) in [
        (
            format!("/admin/etablissements/{college}/communication"),
            "admin-communication",
        ),
        (
            format!("/admin/etablissements/{college}/signalements"),
            "admin-signalements",
        ),
    ] {
        c.goto(&app.url(&path)).await.unwrap();
        assert_clean_console(c, &path).await;
        axe(c, axe_js, &path).await;
        screenshot(c, name).await;
    }
    sign_out(c, app).await;
}

/// A pupil's first sign-in through the real pages: code → password → charter → portal; then
/// the administrator's activation pages and the recovery form.
async fn activation(c: &Client, app: &TestApp, axe_js: &str) {
    use crate::activation::{NEW_PASSWORD, add_pending_family, issue_code, login_of};
    let (pupil, _) = add_pending_family(app);
    let login = login_of(app, pupil);
    let code = issue_code(app, pupil);
    c.goto(&app.url("/connexion")).await.unwrap();
    c.find(Locator::LinkText(
        "Première connexion ? Activez votre compte avec le code du courrier",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for_path(c, app, "/activation").await;
    axe(c, axe_js, "/activation").await;
    screenshot(c, "activation-code").await;
    input_of_label(c, "Identifiant")
        .await
        .send_keys(&login)
        .await
        .unwrap();
    let grouped = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]);
    input_of_label(c, "Code d’activation")
        .await
        .send_keys(&grouped)
        .await
        .unwrap();
    button(c, "Continuer").await.click().await.unwrap();
    wait_for_path(c, app, "/activation/mot-de-passe").await;
    assert_eq!(text_of(c, "h1").await, "Choisir mon mot de passe");
    axe(c, axe_js, "/activation/mot-de-passe").await;
    screenshot(c, "activation-mot-de-passe").await;
    input_of_label(c, "Nouveau mot de passe")
        .await
        .send_keys(NEW_PASSWORD)
        .await
        .unwrap();
    input_of_label(c, "Nouveau mot de passe, une seconde fois")
        .await
        .send_keys(NEW_PASSWORD)
        .await
        .unwrap();
    button(c, "Continuer").await.click().await.unwrap();
    wait_for_path(c, app, "/activation/charte").await;
    axe(c, axe_js, "/activation/charte").await;
    screenshot(c, "activation-charte").await;
    input_of_label(c, "J’ai lu la charte et je m’engage à la respecter.")
        .await
        .click()
        .await
        .unwrap();
    button(c, "Accepter et continuer")
        .await
        .click()
        .await
        .unwrap();
    wait_for_path(c, app, "/").await;
    assert_eq!(text_of(c, "h1").await, "Bonjour Zoé");
    assert_clean_console(c, "after the activation").await;
    sign_out(c, app).await;

    // The same person signs in with the password they chose.
    submit_sign_in(c, app, &login, NEW_PASSWORD).await;
    wait_for_path(c, app, "/").await;
    sign_out(c, app).await;

    // The administrator's side: letters, charter, mail queue; and the recovery form.
    sign_in(c, app, "admin.a").await;
    let college = app.school.college;
    for (path, name) in [
        (
            format!("/admin/etablissements/{college}/courriers"),
            "admin-courriers",
        ),
        (
            format!("/admin/etablissements/{college}/charte"),
            "admin-charte",
        ),
        ("/admin/courriels".to_owned(), "admin-courriels"),
    ] {
        c.goto(&app.url(&path)).await.unwrap();
        assert_clean_console(c, &path).await;
        axe(c, axe_js, &path).await;
        screenshot(c, name).await;
    }
    sign_out(c, app).await;
    c.goto(&app.url("/mot-de-passe-oublie")).await.unwrap();
    axe(c, axe_js, "/mot-de-passe-oublie").await;
    screenshot(c, "mot-de-passe-oublie").await;
}

/// Issue 7 through the real pages: a teacher of 5B uploads a worksheet into 5B's space (the
/// file picked in the upload form); a pupil of 5B finds it with the header's search box by a
/// word inside it typed without accents, opens it and downloads it; a pupil of 5A finds
/// nothing. axe on the documents pages and the results.
async fn documents_and_search(c: &Client, app: &TestApp, axe_js: &str) {
    let dir = tempfile::tempdir().unwrap();
    let worksheet = dir.path().join("Fiche d’exercices – géométrie.txt");
    std::fs::write(
        &worksheet,
        "Exercice 1. Les élèves tracent un triangle isocèle et mesurent ses angles.\n",
    )
    .unwrap();
    sign_in(c, app, "prof.b").await;
    c.find(Locator::Css("header nav a[href='/documents']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(c, app, "/documents").await;
    assert_clean_console(c, "/documents").await;
    axe(c, axe_js, "/documents").await;
    screenshot(c, "documents").await;
    c.find(Locator::LinkText("5B"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let class_5b = format!("/documents/classe-{}", app.school.class_5b.0);
    wait_for_path(c, app, &class_5b).await;
    axe(c, axe_js, &class_5b).await;
    input_of_label(c, "Fichiers à envoyer")
        .await
        .send_keys(&worksheet.display().to_string())
        .await
        .unwrap();
    button(c, "Envoyer").await.click().await.unwrap();
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::LinkText("Fiche d’exercices – géométrie.txt"))
        .await
        .unwrap_or_else(|e| panic!("the uploaded worksheet is not listed: {e}"));
    assert_clean_console(c, &class_5b).await;
    screenshot(c, "documents-classe").await;
    sign_out(c, app).await;

    // The index follows the store: wait until it has seen the upload.
    let head = app.state.store.head().seq;
    tokio::time::timeout(WAIT, app.state.search.wait_for(head))
        .await
        .expect("the search index caught up");

    let search = |login: &'static str| async move {
        sign_in(c, app, login).await;
        input_of_label(c, "Rechercher dans Cartable")
            .await
            .send_keys("isocele")
            .await
            .unwrap();
        button(c, "Rechercher").await.click().await.unwrap();
        wait_for_path(c, app, "/recherche?q=isocele").await;
    };
    search("eleve.b1").await;
    assert_clean_console(c, "/recherche").await;
    axe(c, axe_js, "/recherche?q=isocele").await;
    screenshot(c, "recherche").await;
    let marked = text_of(c, "main mark").await;
    assert_eq!(marked.to_lowercase(), "isocèle");
    c.find(Locator::LinkText("Fiche d’exercices – géométrie.txt"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::LinkText("Télécharger"))
        .await
        .unwrap();
    axe(c, axe_js, "/documents/fichier").await;
    let href = c
        .find(Locator::LinkText("Télécharger"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    // The download, fetched by the page with the pupil's session.
    let body = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.text().then(t => done(r.status + ' ' + t)));",
            vec![json!(href)],
        )
        .await
        .unwrap();
    let body = body.as_str().unwrap_or_default().to_owned();
    assert!(body.starts_with("200 Exercice 1."), "{body}");
    sign_out(c, app).await;

    search("eleve.a1").await;
    let main = text_of(c, "main").await;
    assert!(main.contains("Aucun résultat"), "{main}");
    assert!(!main.contains("géométrie"), "{main}");
    sign_out(c, app).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_site_in_a_browser_every_role_no_console_errors_no_serious_axe_violations() {
    check_peers();
    let axe_js = Arc::new(std::fs::read_to_string(axe_path()).unwrap());
    std::fs::create_dir_all(output_dir()).unwrap();
    let app = Arc::new(TestApp::start().await);
    // The scenario runs in its own task so that the browser is closed even when it fails.
    let started = tokio::time::Instant::now();
    with_browser(move |c| scenario(c, app, axe_js)).await;
    eprintln!(
        "browser scenario: {:.1} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        output_dir().display()
    );
}
