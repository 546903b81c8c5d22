//! The administration of an establishment's structure (issue 5 §1): classes, groups,
//! subjects, teachings and parent links — what an administrator can do, what every bad input
//! answers (422, nothing written), and who gets "not found".

use cartable::model::directory::{ClassId, EstablishmentId, PersonId, Role, SubjectId};
use cartable::store::tables::{self as tables, CLASS_TEACHINGS, ESTABLISHMENT_SUBJECTS};

use crate::common::app::TestApp;

/// The change log's head and the raw rows of some tables.
type Snapshot = (String, Vec<Vec<(Vec<u8>, Vec<u8>)>>);

/// Every row of the tables an administrator's structure change may touch, and the log head.
fn snapshot(app: &TestApp) -> Snapshot {
    let read = app.state.store.read().unwrap();
    let names = [
        tables::CLASSES.name(),
        tables::ESTABLISHMENT_CLASSES.name(),
        tables::ESTABLISHMENT_CLASS_NAMES.name(),
        tables::CLASS_STUDENTS.name(),
        tables::STUDENT_CLASSES.name(),
        tables::GROUPS.name(),
        tables::ESTABLISHMENT_GROUPS.name(),
        tables::GROUP_STUDENTS.name(),
        tables::STUDENT_GROUPS.name(),
        tables::SUBJECTS.name(),
        tables::ESTABLISHMENT_SUBJECTS.name(),
        tables::ESTABLISHMENT_SUBJECT_CODES.name(),
        tables::TEACHINGS.name(),
        tables::TEACHER_TEACHINGS.name(),
        tables::CLASS_TEACHINGS.name(),
        tables::GROUP_TEACHINGS.name(),
        tables::PARENT_CHILDREN.name(),
        tables::CHILD_PARENTS.name(),
        tables::PERSON_PROFILES.name(),
        tables::ESTABLISHMENT_PEOPLE.name(),
        tables::AUDIT.name(),
    ];
    let rows = names
        .iter()
        .map(|n| read.raw_rows(n).unwrap().map(Result::unwrap).collect())
        .collect();
    (format!("{:?}", app.state.store.head()), rows)
}

/// The subjects of an establishment, by name.
fn subject(app: &TestApp, establishment: EstablishmentId, name: &str) -> SubjectId {
    let read = app.state.store.read().unwrap();
    read.scan_prefix(&ESTABLISHMENT_SUBJECTS, &(establishment,))
        .unwrap()
        .map(|r| r.unwrap().0.1)
        .find(|id| read.get(&tables::SUBJECTS, id).unwrap().unwrap().name == name)
        .unwrap()
}

/// The id at the end of a redirect's path (`/admin/classes/12?fait=cree` → 12).
fn id_in(location: &str) -> u64 {
    location
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn classes_of(app: &TestApp, pupil: PersonId) -> Vec<ClassId> {
    let read = app.state.store.read().unwrap();
    read.scan_prefix(&tables::STUDENT_CLASSES, &(pupil,))
        .unwrap()
        .map(|r| r.unwrap().0.1)
        .collect()
}

fn teachings_of(app: &TestApp, class: ClassId) -> Vec<u64> {
    let read = app.state.store.read().unwrap();
    read.scan_prefix(&CLASS_TEACHINGS, &(class,))
        .unwrap()
        .map(|r| r.unwrap().0.1.0)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_builds_a_class_then_takes_it_apart() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let list = format!("/admin/etablissements/{}/classes", s.college);

    let (status, html) = app.get(&admin, &list).await;
    assert_eq!(status, 200);
    assert!(html.contains("Classes — Collège Test A"));
    assert!(html.contains("2026-2027"));
    assert!(html.contains("2 élèves.") && html.contains("1 élève."));
    assert!(!html.contains("2nde1"), "the lycée's classes stay out");
    let (_, home) = app.get(&admin, "/admin").await;
    assert!(home.contains(&format!("href=\"{list}\"")));

    let (status, location, _) = app
        .post_form(&admin, &list, &[("nom", " 5C "), ("niveau", "5e")])
        .await;
    assert_eq!(status, 303);
    assert!(location.ends_with("?fait=cree"), "{location}");
    let class = ClassId(id_in(&location));
    let page = format!("/admin/classes/{class}");
    let (status, html) = app.get(&admin, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Classe 5C</h1>"));
    assert!(html.contains("La création est enregistrée."));

    let (status, location, _) = app
        .post_form(
            &admin,
            &format!("{page}/modifier"),
            &[("nom", "5 Clémenceau"), ("niveau", "5e")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{page}?fait=modifie"))
    );
    let (_, html) = app.get(&admin, &page).await;
    assert!(html.contains("<h1>Classe 5 Clémenceau</h1>"));

    // eleve.b1 moves from 5B to the new class.
    let b1 = s.id("eleve.b1");
    let (status, location, _) = app
        .post_form(
            &admin,
            &format!("{page}/eleves"),
            &[("identifiant", "Eleve.B1 ")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{page}?fait=eleve-deplace"))
    );
    assert_eq!(classes_of(&app, b1), [class]);
    let (_, html) = app.get(&admin, &location).await;
    assert!(html.contains("retiré de son ancienne classe"));
    assert!(html.contains("Hugo BERNARD") && html.contains("1 élève."));
    let (_, html) = app
        .get(&admin, &format!("/admin/classes/{}", s.class_5b))
        .await;
    assert!(!html.contains("Hugo BERNARD"));

    let prof_b = s.id("prof.b");
    let (status, _, _) = app
        .post_form(
            &admin,
            &format!("{page}/professeur-principal"),
            &[("professeur_principal", &prof_b.to_string())],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.get(&admin, &list).await;
    assert!(html.contains("<td data-label=\"Professeur principal\">Pia PROFB</td>"));

    let maths = subject(&app, s.college, "Mathématiques");
    let (status, location, _) = app
        .post_form(
            &admin,
            &format!("{page}/enseignements"),
            &[
                ("enseignant", &s.id("prof.a").to_string()),
                ("matiere", &maths.to_string()),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{page}?fait=enseignement-ajoute"))
    );
    let (_, html) = app.get(&admin, &page).await;
    assert!(html.contains("<th scope=\"row\">Mathématiques</th>") && html.contains("Paul PROFA"));

    // Not empty: a clear refusal, nothing deleted.
    let (status, _, html) = app
        .post_form(&admin, &format!("{page}/supprimer"), &[])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("La classe a encore des élèves"));
    let (status, _, _) = app
        .post_form(&admin, &format!("{page}/eleves/{b1}/retirer"), &[])
        .await;
    assert_eq!(status, 303);
    assert!(classes_of(&app, b1).is_empty());
    let (status, _, html) = app
        .post_form(&admin, &format!("{page}/supprimer"), &[])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("La classe a encore des enseignements"));
    let teaching = teachings_of(&app, class)[0];
    let (status, _, _) = app
        .post_form(
            &admin,
            &format!("{page}/enseignements/{teaching}/retirer"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    let (status, location, _) = app
        .post_form(&admin, &format!("{page}/supprimer"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{list}?fait=supprime"))
    );
    assert_eq!(app.get(&admin, &page).await.0, 404);
    let (_, html) = app.get(&admin, &location).await;
    assert!(html.contains("La suppression est enregistrée.") && !html.contains("Clémenceau"));

    // The journal has every step; filtered by the pupil, their move.
    let journal = format!("/admin/etablissements/{}/journal", s.college);
    let (_, html) = app
        .get(&admin, &format!("{journal}?action=structure"))
        .await;
    for text in [
        "Structure modifiée (classe 5 Clémenceau supprimée)",
        "Structure modifiée (élève retiré de la classe 5B)",
        "Structure modifiée (enseignement ajouté : Mathématiques — ",
        "Structure modifiée (enseignement retiré : Mathématiques — ",
        "Anne ADMIN (admin.a)",
        "Paul PROFA (prof.a)",
    ] {
        assert!(html.contains(text), "{text}");
    }
    assert!(
        html.contains("9 actions."),
        "created, edited, moved (2), head teacher, teaching, removed pupil, removed teaching, deleted"
    );
    let (_, html) = app
        .get(&admin, &format!("{journal}?personne=eleve.b1"))
        .await;
    assert!(html.contains("élève retiré de la classe 5B"));
    assert!(html.contains("Hugo BERNARD (eleve.b1)"));
    assert_eq!(html.matches("élève ajouté à la classe").count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn groups_and_subjects_have_the_same_life() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let groups = format!("/admin/etablissements/{}/groupes", s.college);
    let (status, html) = app.get(&admin, &groups).await;
    assert_eq!(status, 200);
    assert!(html.contains("Aucun groupe cette année"));
    let (status, location, _) = app.post_form(&admin, &groups, &[("nom", "Latin 5e")]).await;
    assert_eq!(status, 303);
    let page = format!("/admin/groupes/{}", id_in(&location));
    let (status, location, _) = app
        .post_form(
            &admin,
            &format!("{page}/eleves"),
            &[("identifiant", "eleve.a1")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{page}?fait=eleve-ajoute"))
    );
    assert_eq!(
        classes_of(&app, s.id("eleve.a1")),
        [s.class_5a],
        "a group is not a class"
    );
    let (status, _, html) = app
        .post_form(
            &admin,
            &format!("{page}/eleves"),
            &[("identifiant", "eleve.a1")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Cet élève en fait déjà partie."));
    let maths = subject(&app, s.college, "Mathématiques");
    let prof_a = s.id("prof.a").to_string();
    let (status, _, _) = app
        .post_form(
            &admin,
            &format!("{page}/enseignements"),
            &[("enseignant", &prof_a), ("matiere", &maths.to_string())],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, html) = app
        .post_form(&admin, &format!("{page}/supprimer"), &[])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Le groupe a encore des élèves"));
    let (status, _, _) = app
        .post_form(&admin, &format!("{page}/modifier"), &[("nom", "Latin")])
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.get(&admin, &groups).await;
    assert!(html.contains(">Latin</a>") && html.contains("1 élève."));

    // Subjects: created with a code, unique names without accents or case, renamed, deleted
    // only when unused.
    let subjects = format!("/admin/etablissements/{}/matieres", s.college);
    let (status, location, _) = app
        .post_form(
            &admin,
            &subjects,
            &[("nom", "Histoire-géographie"), ("code", "041000")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{subjects}?fait=cree"))
    );
    let history = subject(&app, s.college, "Histoire-géographie");
    let (status, _, html) = app
        .post_form(
            &admin,
            &subjects,
            &[("nom", "HISTOIRE-GEOGRAPHIE"), ("code", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Une matière porte déjà ce nom"));
    let (status, _, html) = app
        .post_form(&admin, &subjects, &[("nom", "Géo"), ("code", "041000")])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Une autre matière de l’établissement a déjà ce code."));
    let (_, html) = app.get(&admin, &subjects).await;
    assert!(html.contains("041000") && html.contains("3 enseignements"));
    assert!(
        html.contains("<td data-label=\"Enseignements\">Aucun</td>"),
        "Histoire-géographie is unused"
    );
    let page_h = format!("/admin/matieres/{history}");
    let (status, _, _) = app
        .post_form(
            &admin,
            &format!("{page_h}/modifier"),
            &[("nom", "Histoire-géo")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.get(&admin, &page_h).await;
    assert!(html.contains("<h1>Histoire-géo</h1>"));
    let page_m = format!("/admin/matieres/{maths}");
    let (_, html) = app.get(&admin, &page_m).await;
    assert!(html.contains("Latin") && html.contains("5A") && html.contains("Paul PROFA"));
    let (status, _, html) = app
        .post_form(&admin, &format!("{page_m}/supprimer"), &[])
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Des enseignements utilisent cette matière"));
    let (status, location, _) = app
        .post_form(&admin, &format!("{page_h}/supprimer"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{subjects}?fait=supprime"))
    );
    let read = app.state.store.read().unwrap();
    assert_eq!(
        read.get(
            &tables::ESTABLISHMENT_SUBJECT_CODES,
            &(s.college, "041000".to_owned())
        )
        .unwrap(),
        None
    );
    drop(read);

    // Emptied, the group goes.
    let a1 = s.id("eleve.a1");
    app.post_form(&admin, &format!("{page}/eleves/{a1}/retirer"), &[])
        .await;
    let (_, html) = app.get(&admin, &page).await;
    let start = html.find("/enseignements/").unwrap() + 15;
    let teaching: String = html[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (status, _, _) = app
        .post_form(
            &admin,
            &format!("{page}/enseignements/{teaching}/retirer"),
            &[],
        )
        .await;
    assert_eq!(status, 303);
    let (status, location, _) = app
        .post_form(&admin, &format!("{page}/supprimer"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{groups}?fait=supprime"))
    );
    let (_, html) = app
        .get(
            &admin,
            &format!(
                "/admin/etablissements/{}/journal?action=structure",
                s.college
            ),
        )
        .await;
    // What no longer exists is named by its id, except in its deletion (which keeps the name).
    for text in [
        "groupe Latin supprimé",
        "élève ajouté au groupe #",
        "élève retiré du groupe #",
        "matière Histoire-géo supprimée",
        "matière #",
    ] {
        assert!(html.contains(text), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn parent_links_are_added_edited_and_removed_with_the_journal_showing_each() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let a1 = s.id("eleve.a1");
    let prof_a = s.id("prof.a");
    let page = format!("/admin/personnes/{a1}/responsables");
    let (_, html) = app.get(&admin, &format!("/admin/personnes/{a1}")).await;
    assert!(html.contains(&format!("href=\"{page}\"")));
    let (_, html) = app.get(&admin, &format!("/admin/personnes/{prof_a}")).await;
    assert!(!html.contains("/responsables"), "not a pupil");

    let (status, html) = app.get(&admin, &page).await;
    assert_eq!(status, 200);
    assert!(html.contains("Responsables de Léa ÉLÈVE"));
    assert!(html.contains("Nathalie ÉLÈVE") && html.contains("<dd>Mère</dd>"));
    assert!(html.contains("<label for=\"identifiant\">"));

    // A teacher of the school is also Léa's guardian.
    let (status, location, _) = app
        .post_form(
            &admin,
            &page,
            &[
                ("identifiant", "prof.a"),
                ("relation", "pere"),
                ("autorite", "oui"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{page}?fait=responsable-ajoute"))
    );
    let (_, html) = app.get(&admin, &location).await;
    assert!(html.contains("Paul PROFA") && html.contains("<dd>Père</dd>"));
    let read = app.state.store.read().unwrap();
    let link = read
        .get(&tables::PARENT_CHILDREN, &(prof_a, a1))
        .unwrap()
        .unwrap();
    assert!(link.parental_authority && !link.receives_mail);
    assert!(
        read.get(
            &tables::PERSON_PROFILES,
            &(prof_a, s.college, Role::Parent.code())
        )
        .unwrap()
        .is_some(),
        "they got a parent profile"
    );
    drop(read);

    let (status, _, _) = app
        .post_form(
            &admin,
            &format!("{page}/{prof_a}/modifier"),
            &[("relation", "tuteur"), ("courriers", "oui")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.get(&admin, &page).await;
    assert!(html.contains("<dd>Tuteur ou tutrice</dd>"));
    let link = app
        .state
        .store
        .read()
        .unwrap()
        .get(&tables::PARENT_CHILDREN, &(prof_a, a1))
        .unwrap()
        .unwrap();
    assert!(!link.parental_authority && link.receives_mail);

    let (status, location, _) = app
        .post_form(&admin, &format!("{page}/{prof_a}/retirer"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, &*format!("{page}?fait=responsable-retire"))
    );
    let (_, html) = app.get(&admin, &page).await;
    assert!(!html.contains("Paul PROFA"));
    assert!(
        app.state
            .store
            .read()
            .unwrap()
            .get(&tables::CHILD_PARENTS, &(a1, prof_a))
            .unwrap()
            .is_none()
    );
    // A removed link that is no longer there: not found.
    let (status, _, _) = app
        .post_form(&admin, &format!("{page}/{prof_a}/retirer"), &[])
        .await;
    assert_eq!(status, 404);

    let journal = format!(
        "/admin/etablissements/{}/journal?personne=eleve.a1&action=structure",
        s.college
    );
    let (_, html) = app.get(&admin, &journal).await;
    for text in [
        "responsable relié : Paul PROFA",
        "lien du responsable modifié : Paul PROFA",
        "responsable retiré : Paul PROFA",
        "Léa ÉLÈVE (eleve.a1)",
    ] {
        assert!(html.contains(text), "{text}");
    }
    assert!(html.contains("3 actions."));
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_input_is_refused_with_422_and_writes_nothing() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    let platform = app.as_user("plateforme").await;
    let maths = subject(&app, s.college, "Mathématiques").to_string();
    let physics = subject(&app, s.lycee, "Physique-chimie").to_string();
    let (classes, subjects, groups) = (
        format!("/admin/etablissements/{}/classes", s.college),
        format!("/admin/etablissements/{}/matieres", s.college),
        format!("/admin/etablissements/{}/groupes", s.college),
    );
    let class_a = format!("/admin/classes/{}", s.class_5a);
    let parents = format!("/admin/personnes/{}/responsables", s.id("eleve.a1"));
    let id = |login: &str| s.id(login).to_string();
    let long31 = "x".repeat(31);
    let long61 = "é".repeat(61);
    let (prof_a, prof_c, a1, parent) =
        (id("prof.a"), id("prof.c"), id("eleve.a1"), id("parent.a1"));
    // (path, form fields, message on the page)
    type Case<'a> = (String, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            classes.clone(),
            vec![("nom", "  "), ("niveau", "5e")],
            "Le nom est obligatoire.",
        ),
        (
            classes.clone(),
            vec![("nom", &long31)],
            "30 caractères au plus",
        ),
        (
            classes.clone(),
            vec![("nom", "5a")],
            "Une classe porte déjà ce nom",
        ),
        (
            classes.clone(),
            vec![("nom", "5D"), ("niveau", &long31)],
            "Le niveau a 20 caractères au plus.",
        ),
        (
            format!("{class_a}/modifier"),
            vec![("nom", "5B")],
            "Une classe porte déjà ce nom",
        ),
        (
            format!("{class_a}/modifier"),
            vec![("nom", "")],
            "Le nom est obligatoire.",
        ),
        (
            format!("{class_a}/eleves"),
            vec![("identifiant", "")],
            "Saisissez l’identifiant.",
        ),
        (
            format!("{class_a}/eleves"),
            vec![("identifiant", "personne.inconnue")],
            "Aucun compte de l’établissement",
        ),
        (
            format!("{class_a}/eleves"),
            vec![("identifiant", "eleve.c1")],
            "Aucun compte de l’établissement",
        ),
        (
            format!("{class_a}/eleves"),
            vec![("identifiant", "prof.a")],
            "n’est pas élève",
        ),
        (
            format!("{class_a}/eleves"),
            vec![("identifiant", "eleve.a2")],
            "déjà partie",
        ),
        (
            format!("{class_a}/professeur-principal"),
            vec![("professeur_principal", &a1)],
            "n’enseigne pas dans l’établissement",
        ),
        (
            format!("{class_a}/enseignements"),
            vec![("enseignant", &a1), ("matiere", &maths)],
            "n’enseigne pas dans l’établissement",
        ),
        (
            format!("{class_a}/enseignements"),
            vec![("enseignant", &prof_a), ("matiere", &maths)],
            "enseigne déjà cette matière",
        ),
        (
            format!("{class_a}/supprimer"),
            vec![],
            "La classe a encore des élèves",
        ),
        (groups.clone(), vec![("nom", "")], "Le nom est obligatoire."),
        (
            groups.clone(),
            vec![("nom", &long61)],
            "60 caractères au plus",
        ),
        (
            subjects.clone(),
            vec![("nom", "")],
            "Le nom est obligatoire.",
        ),
        (
            subjects.clone(),
            vec![("nom", "mathematiques")],
            "Une matière porte déjà ce nom",
        ),
        (
            subjects.clone(),
            vec![("nom", "Latin"), ("code", "06-13")],
            "lettres et des chiffres",
        ),
        (
            subjects.clone(),
            vec![("nom", &long61)],
            "60 caractères au plus",
        ),
        (
            format!("/admin/matieres/{maths}/modifier"),
            vec![("nom", " ")],
            "Le nom est obligatoire.",
        ),
        (
            format!("/admin/matieres/{maths}/supprimer"),
            vec![],
            "Des enseignements utilisent",
        ),
        (
            parents.clone(),
            vec![("identifiant", ""), ("relation", "mere")],
            "Saisissez l’identifiant.",
        ),
        (
            parents.clone(),
            vec![("identifiant", "inconnu.x"), ("relation", "mere")],
            "Aucun compte",
        ),
        (
            parents.clone(),
            vec![("identifiant", "eleve.a1"), ("relation", "mere")],
            "son propre responsable",
        ),
        (
            parents.clone(),
            vec![("identifiant", "eleve.a2"), ("relation", "pere")],
            "est élève dans l’établissement",
        ),
        (
            parents.clone(),
            vec![("identifiant", "parent.a1"), ("relation", "mere")],
            "déjà responsable",
        ),
        (
            parents.clone(),
            vec![("identifiant", "prof.b"), ("relation", "cousin")],
            "Choisissez le lien",
        ),
        (
            format!("{parents}/{parent}/modifier"),
            vec![("relation", "")],
            "Choisissez le lien",
        ),
    ];
    let before = snapshot(&app);
    for who in [&admin, &platform] {
        for (path, fields, message) in &cases {
            let (status, _, html) = app.post_form(who, path, fields).await;
            assert_eq!(status, 422, "POST {path} {fields:?}");
            assert!(html.contains(message), "POST {path} {fields:?}: {message}");
            if !path.ends_with("/supprimer") {
                assert!(
                    html.contains("aria-invalid=\"true\""),
                    "POST {path} {fields:?}"
                );
            }
            assert_eq!(snapshot(&app), before, "POST {path} {fields:?} wrote");
        }
    }
    // Ids that are not numbers (or do not fit) are not found, never a 400 or a panic.
    let huge = "99999999999999999999999";
    for path in [
        "/admin/classes/abc".to_owned(),
        format!("/admin/classes/{huge}"),
        "/admin/groupes/-1".into(),
        "/admin/matieres/1.5".into(),
        "/admin/etablissements/abc/classes".into(),
        "/admin/etablissements/abc/groupes".into(),
        "/admin/etablissements/abc/matieres".into(),
        "/admin/personnes/abc/responsables".into(),
        "/admin/classes/999999".into(),
    ] {
        assert_eq!(app.get(&admin, &path).await.0, 404, "GET {path}");
    }
    // So are ids chosen in a list that belong to another establishment (or to nobody).
    let teaching = format!("{class_a}/enseignements");
    let head = format!("{class_a}/professeur-principal");
    for (path, fields) in [
        (&head, vec![("professeur_principal", "abc")]),
        (&head, vec![("professeur_principal", prof_c.as_str())]),
        (&head, vec![("professeur_principal", "999999")]),
        (
            &teaching,
            vec![("enseignant", prof_c.as_str()), ("matiere", &maths)],
        ),
        (&teaching, vec![("enseignant", "x"), ("matiere", &maths)]),
        (
            &teaching,
            vec![("enseignant", &prof_a), ("matiere", &physics)],
        ),
        (&teaching, vec![("enseignant", &prof_a), ("matiere", "")]),
    ] {
        let (status, _, _) = app.post_form(&admin, path, &fields).await;
        assert_eq!(status, 404, "POST {path} {fields:?}");
    }
    for path in [
        "/admin/classes/abc/modifier".to_owned(),
        format!("{class_a}/eleves/abc/retirer"),
        format!("{class_a}/enseignements/{huge}/retirer"),
        format!("{class_a}/eleves/{}/retirer", s.id("eleve.b1")),
        "/admin/etablissements/abc/classes".into(),
        "/admin/matieres/x/supprimer".into(),
        format!("{parents}/abc/modifier"),
        format!("{parents}/{}/retirer", s.id("prof.b")),
    ] {
        let (status, _, _) = app
            .post_form(&admin, &path, &[("nom", "5Z"), ("relation", "mere")])
            .await;
        assert_eq!(status, 404, "POST {path}");
    }
    assert_eq!(snapshot(&app), before);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_the_establishments_administrators_see_its_structure() {
    let app = TestApp::start().await;
    let s = &app.school;
    let admin = app.as_user("admin.a").await;
    // A group and a link to find.
    let (_, location, _) = app
        .post_form(
            &admin,
            &format!("/admin/etablissements/{}/groupes", s.college),
            &[("nom", "Latin")],
        )
        .await;
    let group = format!("/admin/groupes/{}", id_in(&location));
    let maths = subject(&app, s.college, "Mathématiques");
    let a1 = s.id("eleve.a1");
    let class = format!("/admin/classes/{}", s.class_5a);
    let parents = format!("/admin/personnes/{a1}/responsables");
    let parent = s.id("parent.a1");
    let gets = [
        format!("/admin/etablissements/{}/classes", s.college),
        format!("/admin/etablissements/{}/groupes", s.college),
        format!("/admin/etablissements/{}/matieres", s.college),
        class.clone(),
        group.clone(),
        format!("/admin/matieres/{maths}"),
        parents.clone(),
    ];
    let prof_a = s.id("prof.a").to_string();
    let maths_s = maths.to_string();
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (gets[0].clone(), vec![("nom", "5Z")]),
        (gets[1].clone(), vec![("nom", "Grec")]),
        (gets[2].clone(), vec![("nom", "Grec")]),
        (format!("{class}/modifier"), vec![("nom", "5Z")]),
        (
            format!("{class}/professeur-principal"),
            vec![("professeur_principal", &prof_a)],
        ),
        (format!("{class}/eleves"), vec![("identifiant", "eleve.b1")]),
        (format!("{class}/eleves/{a1}/retirer"), vec![]),
        (
            format!("{class}/enseignements"),
            vec![("enseignant", &prof_a), ("matiere", &maths_s)],
        ),
        (format!("{class}/enseignements/1/retirer"), vec![]),
        (format!("{class}/supprimer"), vec![]),
        (format!("{group}/modifier"), vec![("nom", "Grec")]),
        (format!("{group}/eleves"), vec![("identifiant", "eleve.b1")]),
        (format!("{group}/supprimer"), vec![]),
        (
            format!("/admin/matieres/{maths}/modifier"),
            vec![("nom", "Maths")],
        ),
        (format!("/admin/matieres/{maths}/supprimer"), vec![]),
        (
            parents.clone(),
            vec![("identifiant", "prof.b"), ("relation", "pere")],
        ),
        (
            format!("{parents}/{parent}/modifier"),
            vec![("relation", "autre")],
        ),
        (format!("{parents}/{parent}/retirer"), vec![]),
    ];
    for login in ["admin.b", "prof.a", "parent.a1", "eleve.a1", "cpe.a"] {
        let client = app.as_user(login).await;
        let before = snapshot(&app);
        for path in &gets {
            let (status, html) = app.get(&client, path).await;
            assert_eq!(status, 404, "{login} GET {path}");
            let html = crate::common::app::main_part(&html);
            assert!(!html.contains("5A") && !html.contains("Latin") && !html.contains("ÉLÈVE"));
        }
        for (path, fields) in &posts {
            let (status, _, _) = app.post_form(&client, path, fields).await;
            assert_eq!(status, 404, "{login} POST {path}");
        }
        assert_eq!(snapshot(&app), before, "{login} changed something");
    }
    // admin.a: nothing of the lycée either, nor a parent page for someone who is no pupil.
    for path in [
        format!("/admin/etablissements/{}/classes", s.lycee),
        format!("/admin/classes/{}", s.class_2nde),
        format!(
            "/admin/matieres/{}",
            subject(&app, s.lycee, "Physique-chimie")
        ),
        format!("/admin/personnes/{}/responsables", s.id("eleve.d1")),
        format!("/admin/personnes/{}/responsables", s.id("prof.a")),
    ] {
        assert_eq!(app.get(&admin, &path).await.0, 404, "admin.a GET {path}");
    }
    let (status, _, _) = app
        .post_form(
            &admin,
            &format!("/admin/classes/{}/eleves", s.class_2nde),
            &[("identifiant", "eleve.c1")],
        )
        .await;
    assert_eq!(status, 404);

    // The platform administrator reaches both establishments and acts in them.
    let platform = app.as_user("plateforme").await;
    for path in gets.iter().chain([
        &format!("/admin/classes/{}", s.class_2nde),
        &format!("/admin/personnes/{}/responsables", s.id("eleve.d1")),
    ]) {
        assert_eq!(
            app.get(&platform, path).await.0,
            200,
            "plateforme GET {path}"
        );
    }
    let (status, location, _) = app
        .post_form(
            &platform,
            &format!("/admin/etablissements/{}/classes", s.lycee),
            &[("nom", "2nde2"), ("niveau", "2nde")],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, _) = app
        .post_form(
            &platform,
            &format!("{}/eleves", location.split('?').next().unwrap()),
            &[("identifiant", "eleve.c1")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        classes_of(&app, s.id("eleve.c1")).len(),
        1,
        "moved out of 2nde1"
    );
    // Their change shows in the lycée's journal, not the collège's.
    let admin_b = app.as_user("admin.b").await;
    let (_, html) = app
        .get(
            &admin_b,
            &format!("/admin/etablissements/{}/journal?action=structure", s.lycee),
        )
        .await;
    assert!(html.contains("classe 2nde2 créée") && html.contains("Pierre PLATEFORME"));
    let (_, html) = app
        .get(
            &admin,
            &format!(
                "/admin/etablissements/{}/journal?action=structure",
                s.college
            ),
        )
        .await;
    assert!(html.contains("groupe Latin créé") && !html.contains("2nde2"));
}
