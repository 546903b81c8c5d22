//! Search (issue 7 §3): the French analyzer, the principals and the re-check (a property test
//! with random people, classes, files, shares and messages), text inside PDF, DOCX and ODT
//! files, messages for their parties only, trashed and unshared files leaving the results, the
//! page and the JSON API, the real binary killed with SIGKILL mid-indexing, and `reindex`
//! through the running server's socket and on a stopped one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Write as _};
use std::path::Path;

use cartable::blobs::BlobStore;
use cartable::clock::FakeClock;
use cartable::domain::directory::policy::may_see_person;
use cartable::domain::directory::queries::load_actor;
use cartable::domain::directory::service::{self as directory, NewPerson};
use cartable::domain::documents::policy::node_access;
use cartable::domain::documents::service::{self, Limits, Uploaded};
use cartable::domain::documents::{shares, trash};
use cartable::domain::messaging::compose::{self, Compose, SendContext};
use cartable::domain::messaging::limits::{SendLimiter, SendLimits};
use cartable::domain::messaging::mailbox;
use cartable::domain::messaging::rules::may_communicate;
use cartable::model::Actor;
use cartable::model::directory::*;
use cartable::model::documents::{Grantee, NodeId, ShareRight, Space};
use cartable::model::messaging::{Folder, MessageId};
use cartable::search::query::{self, Request};
use cartable::search::{Key, Kind, Search, SearchConfig};
use cartable::store::Store;
use cartable::store::tables::{MAILBOX_INDEX, MESSAGE_RECIPIENTS, MESSAGES};
use proptest::prelude::*;

use crate::common::app::TestApp;
use crate::common::school::{self, LOGINS, PASSWORD, School};
use crate::common::{Server, cartable};

fn now() -> jiff::Timestamp {
    "2026-09-14T08:00:00Z".parse().unwrap()
}

fn limits() -> Limits {
    Limits {
        max_file: 10 * 1024 * 1024,
        quota_pupil: 100 * 1024 * 1024,
        quota_parent: 100 * 1024 * 1024,
        quota_staff: 100 * 1024 * 1024,
    }
}

fn search_config() -> SearchConfig {
    SearchConfig {
        extract_program: env!("CARGO_BIN_EXE_cartable").into(),
        ..SearchConfig::default()
    }
}

/// A store with the test school, its blobs and its search, all in this process.
struct World {
    dir: tempfile::TempDir,
    store: Store,
    blobs: BlobStore,
    search: Search,
    school: School,
    limiter: SendLimiter,
}

impl World {
    fn new() -> World {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::new(now());
        let store = Store::open(dir.path(), clock.clone()).unwrap();
        let school = school::build(&store);
        let blobs = BlobStore::new(dir.path(), clock);
        let search = Search::new(dir.path(), blobs.clone(), search_config());
        World {
            dir,
            store,
            blobs,
            search,
            school,
            limiter: SendLimiter::default(),
        }
    }

    fn actor_of(&self, person: PersonId) -> Actor {
        load_actor(&self.store.read().unwrap(), person)
            .unwrap()
            .unwrap()
    }

    fn actor(&self, login: &str) -> Actor {
        self.actor_of(self.school.id(login))
    }

    fn put_as(
        &self,
        actor: &Actor,
        space: Space,
        parent: Option<NodeId>,
        name: &str,
        bytes: &[u8],
    ) -> Option<NodeId> {
        let (blob, size) = self.blobs.put_bytes(bytes).unwrap();
        service::store_files(
            &self.store,
            actor,
            space,
            parent,
            &[Uploaded {
                name: name.to_owned(),
                blob,
                size,
            }],
            &limits(),
            now(),
        )
        .ok()
        .map(|v| v[0].node())
    }

    fn put(&self, login: &str, space: Space, name: &str, bytes: &[u8]) -> NodeId {
        self.put_as(&self.actor(login), space, None, name, bytes)
            .unwrap()
    }

    fn mine(&self, login: &str) -> Space {
        Space::Personal(self.school.id(login))
    }

    fn send(&self, from: &Actor, to: &[PersonId], subject: &str, body: &str) -> Option<MessageId> {
        compose::send(
            &self.store,
            from,
            None,
            Compose {
                recipients: to.to_vec(),
                subject: subject.into(),
                body: body.into(),
                ..Compose::default()
            },
            &SendContext {
                limiter: &self.limiter,
                limits: SendLimits::default(),
                now: now(),
            },
        )
        .ok()
    }

    /// Brings the index up to the store's head.
    fn index(&self) {
        self.search.catch_up_all(&self.store).unwrap();
    }

    /// Every hit of a search, all pages.
    fn find_with(&self, actor: &Actor, request: Request) -> Vec<Key> {
        let mut out = Vec::new();
        for page in 1.. {
            let results = query::search(
                &self.store,
                &self.search,
                actor,
                &Request {
                    page,
                    ..request.clone()
                },
            )
            .unwrap();
            out.extend(results.hits.iter().map(|h| h.key));
            if !results.has_next {
                break;
            }
        }
        out
    }

    fn find(&self, login: &str, text: &str) -> Vec<Key> {
        self.find_with(
            &self.actor(login),
            Request {
                text: text.into(),
                ..Request::default()
            },
        )
    }

    fn docs(&self, login: &str, text: &str) -> BTreeSet<NodeId> {
        self.find(login, text)
            .into_iter()
            .filter_map(|k| match k {
                Key::Document(n) => Some(n),
                _ => None,
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The analyzer, files of each format.
// ---------------------------------------------------------------------------------------------

#[test]
fn words_typed_without_accents_find_accented_and_inflected_words() {
    let w = World::new();
    let file = w.put(
        "prof.a",
        w.mine("prof.a"),
        "Mathématiques 5e.txt",
        "Les élèves étudient les fractions et la géométrie.".as_bytes(),
    );
    let other = w.put(
        "prof.a",
        w.mine("prof.a"),
        "notes.md",
        "# Devoir\n\nUne **élève** a rendu sa fraction.".as_bytes(),
    );
    w.index();
    let doc = Key::Document(file);
    let both = BTreeSet::from([file, other]);
    assert_eq!(w.docs("prof.a", "eleve"), both, "élèves and élève");
    assert_eq!(w.docs("prof.a", "ÉLÈVES"), both);
    assert_eq!(w.docs("prof.a", "fraction"), both, "singular finds plural");
    assert_eq!(w.docs("prof.a", "fractions"), both, "plural finds singular");
    // A word of the file's name (title) alone.
    assert_eq!(w.find("prof.a", "mathematiques"), vec![doc]);
    assert_eq!(
        w.find("prof.a", "geometrie etudient"),
        vec![doc],
        "all words"
    );
    assert!(
        w.find("prof.a", "geometrie volcan").is_empty(),
        "every word must be there"
    );
    // People by name, accents ignored: the parent sees her daughter and her son.
    let parent = w.find_with(
        &w.actor("parent.a1"),
        Request {
            text: "eleve".into(),
            kind: Some(Kind::Person),
            ..Request::default()
        },
    );
    let expected: BTreeSet<Key> = ["eleve.a1", "eleve.d1", "parent.a1"]
        .iter()
        .map(|l| Key::Person(w.school.id(l)))
        .collect();
    assert_eq!(parent.into_iter().collect::<BTreeSet<_>>(), expected);
    // Nobody else reads prof.a's personal files.
    assert!(w.docs("prof.b", "eleve").is_empty());
    assert!(w.docs("admin.a", "eleve").is_empty());
    // Bad syntax is no error.
    for text in ["\"élève", "(fraction", "AND", "title:", "*", "élève)"] {
        w.find("prof.a", text);
    }
}

/// French filler of `bytes` bytes that holds none of the words searched below.
fn filler(bytes: usize) -> String {
    let sentence = "Les élèves de quatrième préparent leur exposé sur la géographie des côtes et \
                    relisent la leçon du chapitre avant la séance de jeudi matin. ";
    let mut out = String::with_capacity(bytes + sentence.len());
    while out.len() < bytes {
        out.push_str(sentence);
    }
    out
}

/// Long documents (issue 14 §15): the snippet is taken where the word is, however deep in a
/// 100 KB text; a hit by its title alone, or by a word past the stored start of the text, shows
/// the start of the text.
#[test]
fn the_snippet_of_a_long_document_shows_where_the_word_is() {
    let w = World::new();
    let deep = format!(
        "{}Vercingétorix se rend à César après le siège de la ville. {}",
        filler(80_000),
        filler(20_000)
    );
    let deep_file = w.put(
        "prof.a",
        w.mine("prof.a"),
        "Chapitre 4.txt",
        deep.as_bytes(),
    );
    let phrase = format!(
        "{}La bataille d’Alésia met fin à la guerre des Gaules. {}",
        filler(40_000),
        filler(40_000)
    );
    let phrase_file = w.put(
        "prof.a",
        w.mine("prof.a"),
        "Chapitre 5.txt",
        phrase.as_bytes(),
    );
    let beyond = format!("{}Gergovie est une victoire gauloise.", filler(110_000));
    let beyond_file = w.put(
        "prof.a",
        w.mine("prof.a"),
        "Chapitre 6.txt",
        beyond.as_bytes(),
    );
    let titled = w.put(
        "prof.a",
        w.mine("prof.a"),
        "Règlement intérieur.txt",
        filler(60_000).as_bytes(),
    );
    w.index();
    let hit = |text: &str| {
        let results = query::search(
            &w.store,
            &w.search,
            &w.actor("prof.a"),
            &Request {
                text: text.into(),
                ..Request::default()
            },
        )
        .unwrap();
        assert_eq!(results.hits.len(), 1, "{text}");
        results.hits.into_iter().next().unwrap()
    };
    let marked = |hit: &query::Hit| -> Vec<String> {
        hit.snippet
            .iter()
            .filter(|s| s.mark)
            .map(|s| s.text.clone())
            .collect()
    };
    let plain =
        |hit: &query::Hit| -> String { hit.snippet.iter().map(|s| s.text.as_str()).collect() };

    let found = hit("vercingetorix");
    assert_eq!(found.key, Key::Document(deep_file));
    assert_eq!(marked(&found), vec!["Vercingétorix"]);
    assert!(
        plain(&found).contains("se rend à César"),
        "{}",
        plain(&found)
    );

    let found = hit("\"bataille d'alesia\"");
    assert_eq!(found.key, Key::Document(phrase_file));
    assert!(
        marked(&found).contains(&"Alésia".to_owned()),
        "{:?}",
        found.snippet
    );
    assert!(plain(&found).contains("guerre des Gaules"));

    // Found (the whole text is indexed) but past the stored start: the start is shown.
    let found = hit("gergovie");
    assert_eq!(found.key, Key::Document(beyond_file));
    assert!(marked(&found).is_empty());
    assert!(plain(&found).starts_with("Les élèves de quatrième"));
    assert!(plain(&found).ends_with('…'));

    // By its title alone: the start of the text, nothing marked.
    let found = hit("reglement");
    assert_eq!(found.key, Key::Document(titled));
    assert!(marked(&found).is_empty());
    assert!(plain(&found).starts_with("Les élèves de quatrième"));
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use zip::CompressionMethod;
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        let method = if *name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn docx(text: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    );
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", xml.as_bytes()),
    ])
}

fn odt(text: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:body><office:text><text:p>{text}</text:p></office:text></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", xml.as_bytes()),
    ])
}

/// A one-page PDF in Helvetica (WinAnsiEncoding), its content stream compressed.
fn pdf(text: &str) -> Vec<u8> {
    use pdf_writer::{Content, Filter, Finish as _, Name, Pdf, Rect, Ref, Str};
    let mut pdf = Pdf::new();
    let (catalog, tree, page, font, content_ref) = (
        Ref::new(1),
        Ref::new(2),
        Ref::new(3),
        Ref::new(4),
        Ref::new(5),
    );
    let mut content = Content::new();
    content.begin_text();
    content.set_font(Name(b"F1"), 14.0);
    content.next_line(72.0, 770.0);
    content.show(Str(&encoding_rs::WINDOWS_1252.encode(text).0));
    content.end_text();
    let content = content.finish();
    pdf.stream(content_ref, &cartable::pdf::deflate(&content))
        .filter(Filter::FlateDecode);
    let mut p = pdf.page(page);
    p.media_box(Rect::new(0.0, 0.0, 595.0, 842.0))
        .parent(tree)
        .contents(content_ref);
    p.resources().fonts().pair(Name(b"F1"), font);
    p.finish();
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.pages(tree).kids([page]).count(1);
    pdf.catalog(catalog).pages(tree);
    pdf.finish()
}

#[test]
fn text_inside_pdf_docx_and_odt_files_is_found() {
    let w = World::new();
    let space = Space::Class(w.school.class_5a);
    let in_pdf = w.put(
        "prof.a",
        space,
        "cours.pdf",
        &pdf("Le cycle de l'eau et les nuages"),
    );
    let in_docx = w.put(
        "prof.a",
        space,
        "devoir.docx",
        &docx("Exercice sur les volcans d’Auvergne"),
    );
    let in_odt = w.put(
        "prof.a",
        space,
        "fiche.odt",
        &odt("Révisions : la Révolution française"),
    );
    // Same content as the PDF under another name: extracted once, found twice.
    let copy = w.put(
        "prof.a",
        w.mine("prof.a"),
        "copie.pdf",
        &pdf("Le cycle de l'eau et les nuages"),
    );
    w.index();
    assert_eq!(w.docs("eleve.a1", "nuage"), BTreeSet::from([in_pdf]));
    assert_eq!(w.docs("prof.a", "nuages"), BTreeSet::from([in_pdf, copy]));
    assert_eq!(
        w.docs("eleve.a1", "volcan auvergne"),
        BTreeSet::from([in_docx])
    );
    assert_eq!(w.docs("eleve.a1", "revolution"), BTreeSet::from([in_odt]));
    // Pupils of another class, and the other school, find nothing.
    for login in ["eleve.b1", "eleve.c1", "prof.c", "admin.b"] {
        assert!(
            w.docs(login, "nuages volcans revolution").is_empty(),
            "{login}"
        );
        assert!(w.docs(login, "nuages").is_empty(), "{login}");
    }
    // The snippet marks the word found, from the extracted text.
    let results = query::search(
        &w.store,
        &w.search,
        &w.actor("eleve.a1"),
        &Request {
            text: "volcans".into(),
            ..Request::default()
        },
    )
    .unwrap();
    assert_eq!(results.hits.len(), 1);
    assert!(
        results.hits[0]
            .snippet_html()
            .contains("<mark>volcans</mark>"),
        "{:?}",
        results.hits[0].snippet
    );
    assert_eq!(results.hits[0].title, "devoir.docx");
    assert_eq!(
        results.hits[0].link,
        format!("/documents/fichier/{}", in_docx.0)
    );
}

// ---------------------------------------------------------------------------------------------
// Messages, shares, trash.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_message_is_found_by_its_sender_and_recipients_only() {
    let w = World::new();
    let s = &w.school;
    let prof = w.actor("prof.a");
    let sent = w
        .send(
            &prof,
            &[s.id("eleve.a1"), s.id("eleve.a2")],
            "Sortie au musée",
            "Rendez-vous devant le Muséum à 8 h, avec un pique-nique.",
        )
        .unwrap();
    let recalled = w
        .send(
            &prof,
            &[s.id("eleve.a1")],
            "Contrôle de géographie",
            "Le contrôle est reporté.",
        )
        .unwrap();
    w.index();
    let msg = Key::Message(sent);
    for login in ["prof.a", "eleve.a1", "eleve.a2"] {
        assert_eq!(w.find(login, "musee pique-nique"), vec![msg], "{login}");
    }
    for login in [
        "eleve.b1",
        "parent.a1",
        "admin.a",
        "cpe.a",
        "prof.b",
        "plateforme",
    ] {
        assert!(w.find(login, "musee").is_empty(), "{login}");
    }
    // Deleted for good by one recipient: gone for them only.
    let a2 = w.actor("eleve.a2");
    mailbox::move_to(&w.store, &a2, sent, Folder::Trash).unwrap();
    w.index();
    assert_eq!(
        w.find("eleve.a2", "musee"),
        vec![msg],
        "still in their trash"
    );
    mailbox::delete_forever(&w.store, &a2, sent, now()).unwrap();
    // Recalled by its sender: gone for the recipient, still in the sender's sent folder.
    mailbox::recall(
        &w.store,
        &prof,
        recalled,
        std::time::Duration::from_secs(3600),
        now(),
    )
    .unwrap();
    // The re-check hides both before the index catches up...
    assert!(w.find("eleve.a2", "musee").is_empty());
    assert!(w.find("eleve.a1", "geographie").is_empty());
    w.index();
    // ...and after.
    assert!(w.find("eleve.a2", "musee").is_empty());
    assert_eq!(w.find("eleve.a1", "musee"), vec![msg]);
    assert!(w.find("eleve.a1", "geographie").is_empty());
    assert_eq!(w.find("prof.a", "geographie"), vec![Key::Message(recalled)]);
    // The index itself dropped the recipient who deleted it (not only the re-check).
    let counts = cartable::search::index::count_by_id(w.dir.path()).unwrap();
    assert_eq!(counts.get(&format!("msg:{}", sent.0)), Some(&1));
}

#[test]
fn trashed_and_unshared_documents_leave_the_results() {
    let w = World::new();
    let s = &w.school;
    let prof = w.actor("prof.a");
    let folder =
        service::create_folder(&w.store, &prof, w.mine("prof.a"), None, "Cours", now()).unwrap();
    let file = w
        .put_as(
            &prof,
            w.mine("prof.a"),
            Some(folder),
            "volcans.txt",
            "Le puy de Dôme est un volcan.".as_bytes(),
        )
        .unwrap();
    let other = w.put(
        "prof.a",
        w.mine("prof.a"),
        "séisme.txt",
        "Un volcan et un séisme.".as_bytes(),
    );
    w.index();
    assert!(w.docs("eleve.a1", "volcan").is_empty(), "not shared yet");
    // Sharing the folder with 5A shares the file inside.
    let class = Grantee::Class(s.class_5a);
    shares::share(&w.store, &prof, folder, class, ShareRight::Read, now()).unwrap();
    shares::share(
        &w.store,
        &prof,
        other,
        Grantee::Person(s.id("eleve.a2")),
        ShareRight::Read,
        now(),
    )
    .unwrap();
    w.index();
    assert_eq!(w.docs("eleve.a1", "volcan"), BTreeSet::from([file]));
    assert_eq!(w.docs("eleve.a2", "volcan"), BTreeSet::from([file, other]));
    assert!(w.docs("eleve.b1", "volcan").is_empty(), "another class");
    // Unshared: gone.
    shares::unshare(&w.store, &prof, other, Grantee::Person(s.id("eleve.a2"))).unwrap();
    w.index();
    assert_eq!(w.docs("eleve.a2", "volcan"), BTreeSet::from([file]));
    // The folder in the trash: its file leaves everyone's results, its owner's too.
    trash::trash(&w.store, &prof, folder, now()).unwrap();
    assert!(
        w.docs("eleve.a1", "volcan").is_empty(),
        "re-checked at once"
    );
    w.index();
    assert!(w.docs("eleve.a1", "volcan").is_empty());
    assert_eq!(w.docs("prof.a", "volcan"), BTreeSet::from([other]));
    let counts = cartable::search::index::count_by_id(w.dir.path()).unwrap();
    assert_eq!(
        counts.get(&format!("doc:{}", file.0)),
        None,
        "out of the index"
    );
    // Restored: back.
    trash::restore(&w.store, &prof, folder, now()).unwrap();
    w.index();
    assert_eq!(w.docs("eleve.a1", "volcan"), BTreeSet::from([file]));
    // Renamed: found by its new name.
    service::rename(&w.store, &prof, file, "Auvergne.txt", now()).unwrap();
    w.index();
    assert_eq!(w.docs("eleve.a1", "auvergne"), BTreeSet::from([file]));
}

// ---------------------------------------------------------------------------------------------
// The property: no result is unreadable; every readable match is found.
// ---------------------------------------------------------------------------------------------

/// The words files and messages are made of, and how they are typed in queries.
const VOCABULARY: [(&str, &str); 6] = [
    ("cerisier", "cerisiers"),
    ("mathématiques", "mathematique"),
    ("élève", "eleves"),
    ("fraction", "fractions"),
    ("géographie", "geographie"),
    ("volcan", "VOLCANS"),
];

#[derive(Debug, Clone)]
struct FileSpec {
    creator: usize,
    /// 0: personal, 1: a class, 2: a group-less establishment space, 3: in a folder.
    place: u8,
    class: usize,
    words: Vec<usize>,
}

#[derive(Debug, Clone)]
struct ShareSpec {
    file: usize,
    /// A person (index into the actors) or a class.
    to_person: Option<usize>,
    class: usize,
}

#[derive(Debug, Clone)]
struct MessageSpec {
    from: usize,
    to: Vec<usize>,
    words: Vec<usize>,
}

fn words_of(indexes: &[usize]) -> String {
    let mut text: Vec<&str> = indexes.iter().map(|i| VOCABULARY[*i].0).collect();
    text.push("texte de remplissage");
    text.join(" ")
}

fn file_spec() -> impl Strategy<Value = FileSpec> {
    (
        0usize..32,
        0u8..4,
        0usize..3,
        proptest::collection::vec(0usize..VOCABULARY.len(), 0..3),
    )
        .prop_map(|(creator, place, class, words)| FileSpec {
            creator,
            place,
            class,
            words,
        })
}

fn share_spec() -> impl Strategy<Value = ShareSpec> {
    (0usize..64, proptest::option::of(0usize..32), 0usize..3).prop_map(
        |(file, to_person, class)| ShareSpec {
            file,
            to_person,
            class,
        },
    )
}

fn message_spec() -> impl Strategy<Value = MessageSpec> {
    (
        0usize..32,
        proptest::collection::vec(0usize..32, 1..4),
        proptest::collection::vec(0usize..VOCABULARY.len(), 1..3),
    )
        .prop_map(|(from, to, words)| MessageSpec { from, to, words })
}

/// Whether the store lets `actor` read `key` (what the results must respect).
fn readable(w: &World, actor: &Actor, key: Key) -> bool {
    let read = w.store.read().unwrap();
    match key {
        Key::Document(n) => matches!(
            node_access(&read, actor, n).unwrap(),
            Some((node, _, false)) if !node.is_folder()
        ),
        Key::Message(m) => {
            let Some(me) = actor.person else {
                return false;
            };
            let Some(message) = read.get(&MESSAGES, &m).unwrap() else {
                return false;
            };
            let party =
                message.sender == me || read.get(&MESSAGE_RECIPIENTS, &(m, me)).unwrap().is_some();
            party && read.get(&MAILBOX_INDEX, &(me, m)).unwrap().is_some()
        }
        Key::Person(p) => may_see_person(&read, actor, p).unwrap(),
    }
}

fn run_world(
    pupils: Vec<usize>,
    files: Vec<FileSpec>,
    shares_: Vec<ShareSpec>,
    trashed: Vec<usize>,
    messages: Vec<MessageSpec>,
) {
    let w = World::new();
    let s = w.school.clone();
    let classes = [s.class_5a, s.class_5b, s.class_2nde];
    // Random pupils, all named "Élève", in random classes.
    let mut people: Vec<PersonId> = LOGINS.iter().map(|l| s.id(l)).collect();
    for (i, class) in pupils.iter().enumerate() {
        let class = classes[*class % classes.len()];
        let establishment = if class == s.class_2nde {
            s.lycee
        } else {
            s.college
        };
        let id = w
            .store
            .write(|tx| {
                let id = directory::create_person(
                    tx,
                    NewPerson {
                        first_name: format!("Prénom{i}"),
                        last_name: "Élève".into(),
                        ..NewPerson::default()
                    },
                )?;
                directory::add_profile(tx, id, establishment, Role::Eleve)?;
                directory::enrol_in_class(tx, id, class)?;
                Ok::<_, cartable::domain::directory::DirectoryError>(id)
            })
            .unwrap();
        people.push(id);
    }
    let actors: Vec<Actor> = people.iter().map(|p| w.actor_of(*p)).collect();
    // Files, each where its creator may write (else skipped), with its words.
    let mut made: Vec<(NodeId, BTreeSet<usize>)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let actor = &actors[f.creator % actors.len()];
        let me = actor.person.unwrap();
        let establishment = actor.profiles.first().map(|p| p.establishment);
        let space = match f.place {
            1 => Space::Class(classes[f.class]),
            2 => match establishment {
                Some(e) => Space::Establishment(e),
                None => continue,
            },
            _ => Space::Personal(me),
        };
        let parent = if f.place == 3 {
            service::create_folder(&w.store, actor, space, None, &format!("Dossier {i}"), now())
                .ok()
        } else {
            None
        };
        let text = format!("{} {i}", words_of(&f.words));
        if let Some(id) = w.put_as(
            actor,
            space,
            parent,
            &format!("fichier {i}.txt"),
            text.as_bytes(),
        ) {
            made.push((id, f.words.iter().copied().collect()));
            // Sharing a folder shares what is in it.
            if let Some(folder) = parent {
                made.push((folder, BTreeSet::new()));
            }
        }
    }
    if !made.is_empty() {
        for sh in &shares_ {
            let (node, _) = made[sh.file % made.len()];
            let grantee = match sh.to_person {
                Some(p) => Grantee::Person(people[p % people.len()]),
                None => Grantee::Class(classes[sh.class]),
            };
            // The owner shares (the rules may refuse: skipped).
            for actor in &actors {
                if shares::share(&w.store, actor, node, grantee, ShareRight::Read, now()).is_ok() {
                    break;
                }
            }
        }
        for t in &trashed {
            let (node, _) = made[t % made.len()];
            for actor in &actors {
                if trash::trash(&w.store, actor, node, now()).is_ok() {
                    break;
                }
            }
        }
    }
    let mut sent: Vec<(MessageId, BTreeSet<usize>)> = Vec::new();
    for m in &messages {
        let from = &actors[m.from % actors.len()];
        // Only recipients the rules allow (one refused recipient refuses the whole message).
        let read = w.store.read().unwrap();
        let to: Vec<PersonId> =
            m.to.iter()
                .map(|t| people[t % people.len()])
                .filter(|p| Some(*p) != from.person && may_communicate(&read, from, *p).unwrap())
                .collect();
        drop(read);
        if to.is_empty() {
            continue;
        }
        if let Some(id) = w.send(from, &to, "Message", &words_of(&m.words)) {
            sent.push((id, m.words.iter().copied().collect()));
        }
    }
    w.index();

    for actor in &actors {
        for (word, (_, typed)) in VOCABULARY.iter().enumerate() {
            let found = w.find_with(
                actor,
                Request {
                    text: (*typed).into(),
                    ..Request::default()
                },
            );
            let found_set: BTreeSet<Key> = found.iter().copied().collect();
            assert_eq!(found.len(), found_set.len(), "a result repeated");
            for key in &found {
                assert!(
                    readable(&w, actor, *key),
                    "{key:?} shown to {:?}",
                    actor.person
                );
            }
            for (id, words) in &made {
                let key = Key::Document(*id);
                if words.contains(&word) && readable(&w, actor, key) {
                    assert!(
                        found_set.contains(&key),
                        "{key:?} ({typed}) not found by {:?}",
                        actor.person
                    );
                }
            }
            for (id, words) in &sent {
                let key = Key::Message(*id);
                if words.contains(&word) && readable(&w, actor, key) {
                    assert!(
                        found_set.contains(&key),
                        "{key:?} ({typed}) not found by {:?}",
                        actor.person
                    );
                }
            }
        }
        // People named "Élève": exactly those the actor may see.
        let found: BTreeSet<Key> = w
            .find_with(
                actor,
                Request {
                    text: "eleve".into(),
                    kind: Some(Kind::Person),
                    ..Request::default()
                },
            )
            .into_iter()
            .collect();
        let read = w.store.read().unwrap();
        let expected: BTreeSet<Key> = people
            .iter()
            .filter(|p| {
                let person = read
                    .get(&cartable::store::tables::PEOPLE, p)
                    .unwrap()
                    .unwrap();
                person.last_name == "Élève" && may_see_person(&read, actor, **p).unwrap()
            })
            .map(|p| Key::Person(*p))
            .collect();
        assert_eq!(found, expected, "people seen by {:?}", actor.person);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn no_result_is_unreadable_and_every_readable_match_is_found(
        pupils in proptest::collection::vec(0usize..3, 0..4),
        files in proptest::collection::vec(file_spec(), 1..14),
        shares_ in proptest::collection::vec(share_spec(), 0..12),
        trashed in proptest::collection::vec(0usize..64, 0..3),
        messages in proptest::collection::vec(message_spec(), 0..6),
    ) {
        run_world(pupils, files, shares_, trashed, messages);
    }
}

// ---------------------------------------------------------------------------------------------
// The page and the API.
// ---------------------------------------------------------------------------------------------

/// Stores a file as `login` in `space` through the documents service, in the app's store.
fn app_put(app: &TestApp, login: &str, space: Space, name: &str, bytes: &[u8]) -> NodeId {
    let actor = load_actor(&app.state.store.read().unwrap(), app.school.id(login))
        .unwrap()
        .unwrap();
    let (blob, size) = app.state.blobs.put_bytes(bytes).unwrap();
    service::store_files(
        &app.state.store,
        &actor,
        space,
        None,
        &[Uploaded {
            name: name.into(),
            blob,
            size,
        }],
        &limits(),
        now(),
    )
    .unwrap()[0]
        .node()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_search_page_and_api() {
    let app = TestApp::start().await;
    let class = Space::Class(app.school.class_5a);
    let file = tokio::task::block_in_place(|| {
        for i in 0..25 {
            app_put(
                &app,
                "prof.a",
                class,
                &format!("fiche {i}.txt"),
                format!("Exercice de géographie numéro {i}").as_bytes(),
            );
        }
        app_put(
            &app,
            "prof.a",
            class,
            "piège <b>gras<b> & co.txt",
            "Attention <script>alert('x')</script> au volcan & aux laves.".as_bytes(),
        )
    });
    crate::common::wait::search_caught_up(&app).await;
    let pupil = app.as_user("eleve.a1").await;

    // The box in the user bar, on every page.
    let (_, portal) = app.get(&pupil, "/").await;
    assert!(
        portal.contains(r#"action="/recherche" role="search""#),
        "{portal}"
    );
    assert!(portal.contains(r#"for="recherche-rapide""#));

    // Empty: the form only.
    let (status, html) = app.get(&pupil, "/recherche").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<label for="recherche-mots">"#));
    assert!(!html.contains("resultats-recherche"));

    // A hostile file name and text: escaped, the word marked.
    let (status, html) = app.get(&pupil, "/recherche?q=volcan").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!(r#"href="/documents/fichier/{}""#, file.0)),
        "{html}"
    );
    // (askama escapes `<` as `&#60;`.)
    assert!(
        html.contains("piège &#60;b&#62;gras&#60;b&#62; &#38; co.txt"),
        "{html}"
    );
    assert!(html.contains("&#60;script&#62;"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(html.contains("<mark>volcan</mark>"), "{html}");
    assert!(html.contains("Résultats 1 à 1"), "{html}");

    // Paging: 25 files, 20 a page.
    let (_, html) = app
        .get(&pupil, "/recherche?q=geographie&type=document")
        .await;
    assert!(html.contains("Résultats 1 à 20"), "{html}");
    assert!(html.contains("page=2"), "{html}");
    let (_, html) = app
        .get(&pupil, "/recherche?q=geographie&type=document&page=2")
        .await;
    assert!(html.contains("Résultats 21 à 25"), "{html}");
    assert!(!html.contains("page=3"));

    // Filters: type, owner, dates.
    let (_, html) = app
        .get(&pupil, "/recherche?q=geographie&type=message")
        .await;
    assert!(html.contains("Aucun résultat"), "{html}");
    let (_, html) = app
        .get(&pupil, "/recherche?q=geographie&proprietaire=moi")
        .await;
    assert!(html.contains("Aucun résultat"), "{html}");
    let prof = app.school.id("prof.a");
    let (_, html) = app
        .get(&pupil, &format!("/recherche?q=volcan&proprietaire={prof}"))
        .await;
    assert!(html.contains("Résultats 1 à 1"), "{html}");
    assert!(
        html.contains("Paul PROFA"),
        "the owner is named in the filter: {html}"
    );
    let (_, html) = app
        .get(
            &pupil,
            "/recherche?q=volcan&depuis=2026-09-14&jusqua=14/09/2026",
        )
        .await;
    assert!(html.contains("Résultats 1 à 1"), "{html}");
    let (_, html) = app
        .get(&pupil, "/recherche?q=volcan&depuis=2026-09-15")
        .await;
    assert!(html.contains("Aucun résultat"), "{html}");

    // A date that does not read: the field says so, 422.
    let (status, html) = app
        .get(&pupil, "/recherche?q=volcan&depuis=31/02/2026")
        .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(html.contains("recherche-depuis-erreur"), "{html}");
    assert!(
        html.contains(r#"<details class="filtres" open>"#),
        "the filters are shown: {html}"
    );
    // Odd parameters are no error.
    let (status, _) = app
        .get(
            &pupil,
            "/recherche?q=%22volcan&q=x&page=-3&type=zzz&proprietaire=abc",
        )
        .await;
    assert_eq!(status, 200);

    // The API: the same search.
    let r = pupil
        .get(app.url("/api/v1/search?q=VOLCANS"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let json: serde_json::Value = r.json().await.unwrap();
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{json}");
    assert_eq!(results[0]["type"], "document");
    assert_eq!(results[0]["id"], file.0);
    let snippet = results[0]["snippet_html"].as_str().unwrap();
    assert!(snippet.contains("<mark>volcan</mark>"), "{snippet}");
    assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
    let r = pupil
        .get(app.url("/api/v1/search?q=x&jusqua=demain"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    // Signed out: 401.
    let r = app
        .client()
        .get(app.url("/api/v1/search?q=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let doc: serde_json::Value = pupil
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/search"]["get"].is_object());

    // Another class: nothing.
    let other = app.as_user("eleve.b1").await;
    let (_, html) = app.get(&other, "/recherche?q=volcan").await;
    assert!(html.contains("Aucun résultat"), "{html}");
}

// ---------------------------------------------------------------------------------------------
// The real binary: kill -9 while indexing, and reindex.
// ---------------------------------------------------------------------------------------------

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// `(indexed_seq, head_seq)` from the server's `/healthz`.
async fn positions(server: &Server) -> (Option<u64>, u64) {
    let json: serde_json::Value = server
        .client()
        .get(format!("https://localhost:{}/healthz", server.https.port()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        json["search"]["indexed_seq"].as_u64(),
        json["store"]["head_seq"].as_u64().unwrap(),
    )
}

/// Waits until the index reaches the store's head. The indexer runs in the child process:
/// nothing of it can wake this test (no `watch` channel crosses the process boundary), and its
/// position is seen only through `/healthz`, so this asks again every 20 ms, within a deadline.
async fn until_caught_up(server: &Server) {
    crate::common::wait::polling(
        "the index never caught up",
        std::time::Duration::from_secs(120),
        std::time::Duration::from_millis(20),
        async || {
            let (indexed, head) = positions(server).await;
            (indexed == Some(head)).then_some(())
        },
    )
    .await;
}

/// Opens the store of `dir` (no server running) and runs `f` on it with the school's ids.
fn with_store<T>(dir: &Path, f: impl FnOnce(&Store, &BlobStore) -> T) -> T {
    let clock = FakeClock::new(now());
    let store = Store::open(dir, clock.clone()).unwrap();
    let blobs = BlobStore::new(dir, clock);
    f(&store, &blobs)
}

fn put_files(
    store: &Store,
    blobs: &BlobStore,
    owner: PersonId,
    range: std::ops::Range<u32>,
) -> Vec<NodeId> {
    let actor = load_actor(&store.read().unwrap(), owner).unwrap().unwrap();
    range
        .map(|i| {
            let (blob, size) = blobs
                .put_bytes(format!("Le cerisier numéro {i} est en fleurs.").as_bytes())
                .unwrap();
            service::store_files(
                store,
                &actor,
                Space::Personal(owner),
                None,
                // Markdown: each file's text comes from the extraction child (a process
                // start each), so a backlog of a few hundred lasts long enough to be killed in
                // the middle (plain text is decoded in place, too fast for that).
                &[Uploaded {
                    name: format!("arbre {i}.md"),
                    blob,
                    size,
                }],
                &limits(),
                now(),
            )
            .unwrap()[0]
                .node()
        })
        .collect()
}

/// Searches the index of `dir` in this process (no server running) as `login`.
fn search_offline(dir: &Path, school: &School, login: &str, text: &str) -> Vec<Key> {
    with_store(dir, |store, blobs| {
        let search = Search::new(dir, blobs.clone(), search_config());
        search.open(store).unwrap();
        let actor = load_actor(&store.read().unwrap(), school.id(login))
            .unwrap()
            .unwrap();
        let mut out = Vec::new();
        for page in 1.. {
            let r = query::search(
                store,
                &search,
                &actor,
                &Request {
                    text: text.into(),
                    page,
                    ..Request::default()
                },
            )
            .unwrap();
            out.extend(r.hits.iter().map(|h| h.key));
            if !r.has_next {
                break;
            }
        }
        out
    })
}

#[test]
fn an_indexer_killed_mid_update_resumes_without_loss_or_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let school = with_store(dir.path(), |store, _| school::build(store));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // A first start builds the index (the school's people), then stops cleanly.
    let server = Server::start(dir.path());
    runtime.block_on(until_caught_up(&server));
    assert!(server.terminate().success());
    // Many files written while it was stopped: the next start tails them, a batch at a time.
    let owner = school.id("prof.a");
    let files = with_store(dir.path(), |store, blobs| {
        put_files(store, blobs, owner, 0..400)
    });
    let mut rng = 0x5ea7_c4a5_u64;
    let mut kills = 0;
    // The position committed before each kill, and the first one each restart reports.
    let mut best = 0;
    let mut resumed = Vec::new();
    for round in 0..12 {
        let mut server = Server::start(dir.path());
        let extra = xorshift(&mut rng) % 12;
        let done = runtime.block_on(async {
            let mut first = None;
            // Wait for one more commit than before (progress), then a random moment later:
            // `extra` polls of `/healthz` 15 ms apart. The pause is what is tested (the kill
            // must land at varied points of a batch), not a wait for an event; the index is in
            // the child process, seen only through `/healthz`. Bounded by a deadline.
            let mut polls_after = None;
            let started = tokio::time::Instant::now();
            loop {
                assert!(
                    started.elapsed() < std::time::Duration::from_secs(120),
                    "round {round}: the index made no progress: {resumed:?}"
                );
                let (indexed, head) = positions(&server).await;
                // `None` until the index is open again.
                if let Some(indexed) = indexed {
                    if first.is_none() {
                        first = Some(indexed);
                        resumed.push((best, indexed, head));
                    }
                    if indexed == head {
                        return true;
                    }
                    if indexed > best && polls_after.is_none() {
                        best = indexed;
                        polls_after = Some(0);
                    }
                }
                if let Some(n) = polls_after.as_mut() {
                    if *n >= extra {
                        return false;
                    }
                    *n += 1;
                }
                tokio::time::sleep(std::time::Duration::from_millis(15)).await;
            }
        });
        server.child.kill().unwrap(); // SIGKILL, in the middle of a batch, a commit, an extraction
        server.child.wait().unwrap();
        if done {
            break;
        }
        kills += 1;
        assert!(round < 11, "the index never caught up: {resumed:?}");
    }
    assert!(kills >= 2, "killed while indexing: {resumed:?}");
    // Each restart resumed from what was committed before the kill (nothing lost), by
    // tailing the log (not by a rebuild, which would start at the head).
    for (before, first, _) in &resumed {
        assert!(first >= before, "{resumed:?}");
    }
    assert!(
        resumed.iter().skip(1).any(|(_, first, head)| first < head),
        "{resumed:?}"
    );
    // Restarted: it resumes, and ends with each file exactly once.
    let server = Server::start(dir.path());
    runtime.block_on(until_caught_up(&server));
    assert!(server.terminate().success());
    let counts = cartable::search::index::count_by_id(dir.path()).unwrap();
    for (id, n) in &counts {
        assert_eq!(*n, 1, "{id} is in the index {n} times");
    }
    for f in &files {
        assert_eq!(
            counts.get(&format!("doc:{}", f.0)),
            Some(&1),
            "file {f:?} lost"
        );
    }
    let found: BTreeSet<Key> = search_offline(dir.path(), &school, "prof.a", "cerisiers")
        .into_iter()
        .collect();
    let expected: BTreeSet<Key> = files.iter().map(|f| Key::Document(*f)).collect();
    assert_eq!(found, expected);
}

/// Signs in through the API and returns a client with its session cookie.
async fn api_client(server: &Server, login: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&server.certificate_pem()).unwrap())
        .resolve("localhost", server.https)
        .cookie_store(true)
        .build()
        .unwrap();
    let r = client
        .post(format!(
            "https://localhost:{}/api/v1/auth/login",
            server.https.port()
        ))
        .json(&serde_json::json!({ "login": login, "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{login} signs in");
    client
}

/// Every result of an API search, as `type:id`.
async fn api_results(server: &Server, client: &reqwest::Client, text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for page in 1.. {
        let json: serde_json::Value = client
            .get(format!(
                "https://localhost:{}/api/v1/search",
                server.https.port()
            ))
            .query(&[("q", text), ("page", &page.to_string())])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for hit in json["results"].as_array().unwrap() {
            out.insert(format!("{}:{}", hit["type"].as_str().unwrap(), hit["id"]));
        }
        if json["has_next"] != serde_json::Value::Bool(true) {
            break;
        }
    }
    out
}

const QUERIES: [&str; 4] = ["cerisiers", "volcan", "eleve", "sortie"];
const READERS: [&str; 5] = ["prof.a", "eleve.a1", "eleve.b1", "parent.a1", "admin.a"];

async fn all_results(server: &Server) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for login in READERS {
        let client = api_client(server, login).await;
        for q in QUERIES {
            out.insert(
                (login.to_owned(), q.to_owned()),
                api_results(server, &client, q).await,
            );
        }
    }
    out
}

#[test]
fn reindex_gives_the_results_of_the_live_index_through_the_socket_and_offline() {
    let dir = tempfile::tempdir().unwrap();
    let school = with_store(dir.path(), |store, _| school::build(store));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let server = Server::start(dir.path());
    runtime.block_on(until_caught_up(&server));
    assert!(server.terminate().success());
    // Files, shares, a trashed file and messages, applied by the live indexer at next start.
    with_store(dir.path(), |store, blobs| {
        let prof = load_actor(&store.read().unwrap(), school.id("prof.a"))
            .unwrap()
            .unwrap();
        let files = put_files(store, blobs, school.id("prof.a"), 0..30);
        shares::share(
            store,
            &prof,
            files[0],
            Grantee::Class(school.class_5a),
            ShareRight::Read,
            now(),
        )
        .unwrap();
        shares::share(
            store,
            &prof,
            files[1],
            Grantee::Person(school.id("eleve.b1")),
            ShareRight::Read,
            now(),
        )
        .unwrap();
        trash::trash(store, &prof, files[2], now()).unwrap();
        let (blob, size) = blobs
            .put_bytes("Le volcan de Lemptégy.".as_bytes())
            .unwrap();
        service::store_files(
            store,
            &prof,
            Space::Class(school.class_5a),
            None,
            &[Uploaded {
                name: "volcan.txt".into(),
                blob,
                size,
            }],
            &limits(),
            now(),
        )
        .unwrap();
        compose::send(
            store,
            &prof,
            None,
            Compose {
                recipients: vec![school.id("eleve.a1"), school.id("parent.a1")],
                subject: "Sortie au volcan".into(),
                body: "Départ à 8 h.".into(),
                ..Compose::default()
            },
            &SendContext {
                limiter: &SendLimiter::default(),
                limits: SendLimits::default(),
                now: now(),
            },
        )
        .unwrap();
    });
    let server = Server::start(dir.path());
    runtime.block_on(until_caught_up(&server));
    let live = runtime.block_on(all_results(&server));
    assert_eq!(
        live[&("prof.a".to_owned(), "cerisiers".to_owned())].len(),
        29
    );
    assert_eq!(
        live[&("eleve.a1".to_owned(), "cerisiers".to_owned())].len(),
        1
    );
    assert_eq!(live[&("eleve.a1".to_owned(), "volcan".to_owned())].len(), 2);
    assert_eq!(live[&("eleve.b1".to_owned(), "volcan".to_owned())].len(), 0);
    assert_eq!(
        live[&("parent.a1".to_owned(), "sortie".to_owned())].len(),
        1
    );

    // Through the socket: the running server rebuilds, and keeps answering meanwhile.
    let out = cartable()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("reindex")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("rebuilt by the server"), "{stdout}");
    let (indexed, head) = runtime.block_on(positions(&server));
    assert_eq!(indexed, Some(head));
    assert_eq!(
        runtime.block_on(all_results(&server)),
        live,
        "after reindex through the socket"
    );
    assert!(server.terminate().success());
    assert!(
        !dir.path().join("control.sock").exists(),
        "the socket goes with the server"
    );

    // Offline: the command rebuilds the index itself.
    let out = cartable()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("reindex")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Search index rebuilt:"), "{stdout}");
    let out = cartable()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let head = with_store(dir.path(), |store, _| store.head().seq);
    assert!(
        stdout.contains(&format!("at change log entry {head} of {head}")),
        "{stdout}"
    );
    let server = Server::start(dir.path());
    runtime.block_on(until_caught_up(&server));
    assert_eq!(
        runtime.block_on(all_results(&server)),
        live,
        "after reindex offline"
    );
    assert!(server.terminate().success());
}

// ---------------------------------------------------------------------------------------------
// The words typed are words: the index's own query syntax is not reachable (issue 12 §6).
// ---------------------------------------------------------------------------------------------

/// The ids of the API's results for `text`, and whether it has a next page; or the status.
async fn api_search(
    app: &TestApp,
    client: &reqwest::Client,
    text: &str,
) -> Result<(BTreeSet<String>, bool), String> {
    let r = client
        .get(app.url("/api/v1/search"))
        .query(&[("q", text)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status().as_u16();
    if status != 200 {
        return Err(format!("/api/v1/search?q={text:?}: {status}"));
    }
    let json: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
    let ids = json["results"]
        .as_array()
        .ok_or("no results")?
        .iter()
        .map(|r| format!("{}:{}", r["type"], r["id"]))
        .collect();
    Ok((ids, json["has_next"] == true))
}

/// The same words to be found with nothing else: the parts not left out (`-word`), every
/// character that is not a letter or a digit turned into a blank (what the analyzer splits on
/// anyway). Leaving a word out can only narrow the results, a phrase finds no more than its
/// words: the text finds at most what these words find.
fn plain_words(text: &str) -> String {
    query::parse(text)
        .into_iter()
        .filter(|p| !p.excluded)
        .map(|p| {
            p.text
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { ' ' })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One string: no 5xx on the page or the API, and the API finds nothing the plain words would
/// not find.
async fn check_typed(app: &TestApp, client: &reqwest::Client, text: &str) -> Result<(), String> {
    let r = client
        .get(app.url("/recherche"))
        .query(&[("q", text)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != 200 {
        return Err(format!("/recherche?q={text:?}: {}", r.status()));
    }
    let (found, _) = api_search(app, client, text).await?;
    let (plain, more) = api_search(app, client, &plain_words(text)).await?;
    if more {
        return Err(format!(
            "{text:?}: the plain words fill a page; the corpus is too big"
        ));
    }
    if !found.is_subset(&plain) {
        return Err(format!(
            "{text:?} found {found:?}, more than its plain words {plain:?}"
        ));
    }
    Ok(())
}

fn typed_text() -> impl Strategy<Value = String> {
    let field = prop::sample::select(vec![
        "title", "body", "acl", "kind", "id", "excerpt", "owner", "date", "TITLE",
    ]);
    let value = prop::sample::select(vec![
        "*",
        "u:1",
        "\"u:2\"",
        "document",
        "personne",
        "volcan",
        "[0 TO 99999]",
        "{* TO *}",
        "doc:1",
        "est:1",
        "geo*",
        "(lave OR volcan)",
        "\"",
        "",
    ]);
    let word = prop::sample::select(vec![
        "volcan",
        "laves",
        "géographie",
        "ÉLÈVE",
        "-volcan",
        "\"la lave\"",
        "AND",
        "OR",
        "NOT",
        "+",
        "-",
        "^2",
        "~",
        "l'élève",
        "*",
        "IN",
        "[",
        "]",
    ]);
    prop_oneof![
        any::<String>().prop_map(|s| s.chars().take(80).collect()),
        "[a-zA-Z0-9:*\"()\\[\\]{}+\\-^~!&| éÉ']{0,40}",
        (field, value).prop_map(|(f, v)| format!("{f}:{v}")),
        proptest::collection::vec(
            (
                proptest::option::of((
                    prop::sample::select(vec![
                        "title", "acl", "owner", "body", "kind", "id", "excerpt"
                    ]),
                    prop::sample::select(vec!["*", "u:1", ""])
                )),
                word
            ),
            1..5
        )
        .prop_map(|parts| parts
            .into_iter()
            .map(|(f, w)| match f {
                Some((f, v)) => format!("{f}:{v} {w}"),
                None => w.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_query_syntax_of_the_index_is_not_reachable() {
    let app = TestApp::start().await;
    let class = Space::Class(app.school.class_5a);
    tokio::task::block_in_place(|| {
        app_put(
            &app,
            "prof.a",
            class,
            "volcans.txt",
            "Les volcans et la lave, en géographie.".as_bytes(),
        );
        app_put(
            &app,
            "prof.a",
            class,
            "séisme.txt",
            "Une élève de 5A étudie les séismes.".as_bytes(),
        );
        // Not readable by a pupil: prof.a's own file, with the same words.
        app_put(
            &app,
            "prof.a",
            Space::Personal(app.school.id("prof.a")),
            "secret volcan.txt",
            "La lave du volcan, notes du professeur.".as_bytes(),
        );
    });
    crate::common::wait::search_caught_up(&app).await;
    let pupil = app.as_user("eleve.a1").await;

    // The field syntax of the index answered 500 (or listed everything for `owner:*`): now
    // these are words the files do not hold, so nothing is found, on the page and the API.
    for text in [
        "title:*",
        "body:*",
        "acl:*",
        "kind:*",
        "id:*",
        "excerpt:*",
        "owner:*",
        "date:*",
        "acl:u:1",
        "owner:1",
        "*",
        "title:volcan*",
    ] {
        let (status, html) = app
            .get(&pupil, &format!("/recherche?q={}", url_encode(text)))
            .await;
        assert_eq!(status, 200, "{text}");
        assert!(html.contains("Aucun résultat"), "{text}: {html}");
        let (found, _) = api_search(&app, &pupil, text).await.unwrap();
        assert!(found.is_empty(), "{text}: {found:?}");
    }
    // What remains of the syntax: all the words, a phrase, a word left out.
    let volcans = api_search(&app, &pupil, "volcan").await.unwrap().0;
    assert_eq!(volcans.len(), 1, "{volcans:?}");
    assert_eq!(
        api_search(&app, &pupil, "\"la lave\"").await.unwrap().0,
        volcans
    );
    assert!(
        api_search(&app, &pupil, "\"lave la\"")
            .await
            .unwrap()
            .0
            .is_empty()
    );
    assert!(
        api_search(&app, &pupil, "volcan -lave")
            .await
            .unwrap()
            .0
            .is_empty()
    );
    assert!(
        api_search(&app, &pupil, "-volcan")
            .await
            .unwrap()
            .0
            .is_empty()
    );
    assert_eq!(
        api_search(&app, &pupil, "volcan -seisme").await.unwrap().0,
        volcans
    );
    assert_eq!(
        api_search(&app, &pupil, "title:volcan").await.unwrap().0,
        BTreeSet::new()
    );
    assert_eq!(
        api_search(&app, &pupil, "geographie volcans")
            .await
            .unwrap()
            .0,
        volcans
    );

    // Any string at all.
    let handle = tokio::runtime::Handle::current();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    tokio::task::block_in_place(|| {
        runner
            .run(&typed_text(), |text| {
                handle
                    .block_on(check_typed(&app, &pupil, &text))
                    .map_err(proptest::test_runner::TestCaseError::fail)
            })
            .unwrap();
    });
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
