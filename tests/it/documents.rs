//! Documents' domain layer (issue 7 §2) on a real store and a real blob store: the permission
//! matrix of files, folders and shares (own / shared with me / shared with my class / other
//! class / other school), shares within the communication rules, quotas and size limits (a
//! refused upload writes nothing), versions, the trash with an injected clock, move and copy.

use std::time::Duration;

use cartable::blobs::{BlobStore, meta};
use cartable::clock::FakeClock;
use cartable::domain::directory::queries::load_actor;
use cartable::domain::documents::DocumentError;
use cartable::domain::documents::policy::{Access, acl_of, actor_principals, node_access};
use cartable::domain::documents::service::{self, Limits, Stored, Uploaded};
use cartable::domain::documents::{shares, trash};
use cartable::model::Actor;
use cartable::model::documents::{Grantee, NodeId, ShareRight, Space};
use cartable::store::Store;

use crate::common::school::{self, School};
use crate::common::temp_store;

fn start() -> jiff::Timestamp {
    "2026-09-14T08:00:00Z".parse().unwrap()
}

const MIB: u64 = 1024 * 1024;

fn limits() -> Limits {
    Limits {
        max_file: 2 * MIB,
        quota_pupil: 3 * MIB,
        quota_parent: MIB,
        quota_staff: 50 * MIB,
    }
}

struct World {
    dir: tempfile::TempDir,
    store: Store,
    blobs: BlobStore,
    school: School,
}

impl World {
    fn new() -> World {
        let (dir, store) = temp_store();
        let school = school::build(&store);
        let blobs = BlobStore::new(dir.path(), FakeClock::new(start()));
        World {
            dir,
            store,
            blobs,
            school,
        }
    }

    fn actor(&self, login: &str) -> Actor {
        load_actor(&self.store.read().unwrap(), self.school.id(login))
            .unwrap()
            .unwrap()
    }

    fn me(&self, login: &str) -> Space {
        Space::Personal(self.school.id(login))
    }

    fn upload(&self, name: &str, bytes: &[u8]) -> Uploaded {
        let (blob, size) = self.blobs.put_bytes(bytes).unwrap();
        Uploaded {
            name: name.to_owned(),
            blob,
            size,
        }
    }

    fn put(
        &self,
        login: &str,
        space: Space,
        parent: Option<NodeId>,
        name: &str,
        bytes: &[u8],
    ) -> Result<Stored, DocumentError> {
        let file = self.upload(name, bytes);
        service::store_files(
            &self.store,
            &self.actor(login),
            space,
            parent,
            &[file],
            &limits(),
            start(),
        )
        .map(|mut v| v.remove(0))
    }

    /// What the service lets `login` do with `id`: what the one policy function,
    /// `documents::policy::node_access`, answers (checked here).
    fn access(&self, login: &str, id: NodeId) -> Access {
        let read = self.store.read().unwrap();
        let actor = self.actor(login);
        let served = match service::get(&read, &actor, id) {
            Ok((_, access)) => access,
            Err(DocumentError::NotFound) => Access::None,
            Err(e) => panic!("{e}"),
        };
        let policy = node_access(&read, &actor, id)
            .unwrap()
            .map_or(Access::None, |(_, access, _)| access);
        assert_eq!(
            served, policy,
            "{login} on {id:?}: the service is not the policy"
        );
        served
    }

    fn usage(&self, login: &str) -> u64 {
        service::usage(&self.store.read().unwrap(), &self.actor(login), &limits())
            .unwrap()
            .0
    }
}

#[test]
fn permission_matrix_of_files_folders_and_shares() {
    let w = World::new();
    let s = &w.school;
    // eleve.a1's own file, and one shared read-write with eleve.a2 (a classmate: the rules
    // allow it).
    let own = w
        .put("eleve.a1", w.me("eleve.a1"), None, "brouillon.txt", b"a")
        .unwrap()
        .node();
    let shared = w
        .put("eleve.a1", w.me("eleve.a1"), None, "expose.txt", b"b")
        .unwrap()
        .node();
    shares::share(
        &w.store,
        &w.actor("eleve.a1"),
        shared,
        Grantee::Person(s.id("eleve.a2")),
        ShareRight::Write,
        start(),
    )
    .unwrap();
    // prof.a shares a folder with their class 5A: the file inside inherits the share.
    let folder = service::create_folder(
        &w.store,
        &w.actor("prof.a"),
        w.me("prof.a"),
        None,
        "Cours",
        start(),
    )
    .unwrap();
    let in_folder = w
        .put(
            "prof.a",
            w.me("prof.a"),
            Some(folder),
            "cours1.pdf",
            b"%PDF",
        )
        .unwrap()
        .node();
    shares::share(
        &w.store,
        &w.actor("prof.a"),
        folder,
        Grantee::Class(s.class_5a),
        ShareRight::Read,
        start(),
    )
    .unwrap();
    // prof.b writes in 5B's space; admin.a in the collège's; admin.b in the lycée's.
    let class_file = w
        .put("prof.b", Space::Class(s.class_5b), None, "fiche.txt", b"c")
        .unwrap()
        .node();
    let college_file = w
        .put(
            "admin.a",
            Space::Establishment(s.college),
            None,
            "reglement.pdf",
            b"d",
        )
        .unwrap()
        .node();
    let lycee_file = w
        .put(
            "admin.b",
            Space::Establishment(s.lycee),
            None,
            "lycee.pdf",
            b"e",
        )
        .unwrap()
        .node();

    use Access::{Manage as M, None as N, Read as R, Write as W};
    // Rows: actor; columns: own, shared, in_folder, class_file, college_file, lycee_file.
    let matrix: &[(&str, [Access; 6])] = &[
        ("eleve.a1", [M, M, R, N, R, N]),
        ("eleve.a2", [N, W, R, N, R, N]),
        ("eleve.b1", [N, N, N, R, R, N]),
        ("prof.a", [N, N, M, N, M, N]),
        ("prof.b", [N, N, N, M, M, N]),
        ("cpe.a", [N, N, N, M, M, N]),
        ("admin.a", [N, N, N, M, M, N]),
        ("parent.a1", [N, N, N, N, R, R]),
        ("admin.b", [N, N, N, N, N, M]),
        ("eleve.c1", [N, N, N, N, N, R]),
        ("plateforme", [N, N, N, N, N, N]),
    ];
    let objects = [own, shared, in_folder, class_file, college_file, lycee_file];
    for (login, row) in matrix {
        for (object, expected) in objects.iter().zip(row) {
            assert_eq!(w.access(login, *object), *expected, "{login} on {object:?}");
            // The search index's principals agree with the decision.
            let read = w.store.read().unwrap();
            let acl = acl_of(&read, *object).unwrap().unwrap();
            let mine = actor_principals(&w.actor(login));
            assert_eq!(
                acl.iter().any(|p| mine.contains(p)),
                *expected > Access::None,
                "{login} principals {mine:?} vs acl {acl:?}"
            );
        }
    }
    // A download by someone who may not read is the same "not found" as a missing id.
    let read = w.store.read().unwrap();
    assert!(matches!(
        service::download(&read, &w.actor("eleve.b1"), own, None),
        Err(DocumentError::NotFound)
    ));
    assert!(matches!(
        service::download(&read, &w.actor("eleve.b1"), NodeId(999_999), None),
        Err(DocumentError::NotFound)
    ));
    // Listing someone else's space, or another class's: not found.
    assert!(matches!(
        service::list(&read, &w.actor("eleve.b1"), w.me("eleve.a1"), None),
        Err(DocumentError::NotFound)
    ));
    assert!(matches!(
        service::list(&read, &w.actor("eleve.a1"), Space::Class(s.class_5b), None),
        Err(DocumentError::NotFound)
    ));
    let listing =
        service::list(&read, &w.actor("eleve.b1"), Space::Class(s.class_5b), None).unwrap();
    assert_eq!(listing.entries.len(), 1);
    // Shared with me: eleve.a2 sees the exposé and the course (through 5A).
    let mine = shares::shared_with_me(&read, &w.actor("eleve.a2")).unwrap();
    let ids: Vec<NodeId> = mine.iter().map(|(id, _, _)| *id).collect();
    assert!(ids.contains(&shared) && ids.contains(&folder), "{ids:?}");
}

#[test]
fn shares_follow_the_communication_rules() {
    let w = World::new();
    let s = &w.school;
    let file = w
        .put("eleve.a1", w.me("eleve.a1"), None, "a.txt", b"x")
        .unwrap()
        .node();
    let share = |login: &str, grantee| {
        shares::share(
            &w.store,
            &w.actor(login),
            file,
            grantee,
            ShareRight::Read,
            start(),
        )
    };
    // Another school's pupil, one's whole class (a pupil), oneself: refused, nothing written.
    for grantee in [
        Grantee::Person(s.id("eleve.c1")),
        Grantee::Class(s.class_5a),
        Grantee::Person(s.id("eleve.a1")),
    ] {
        assert!(
            matches!(share("eleve.a1", grantee), Err(DocumentError::Invalid(_))),
            "{grantee:?}"
        );
    }
    // Someone who may read but not manage: forbidden; someone who may not read: not found.
    share("eleve.a1", Grantee::Person(s.id("eleve.a2"))).unwrap();
    assert!(matches!(
        share("eleve.a2", Grantee::Person(s.id("eleve.b1"))),
        Err(DocumentError::Forbidden)
    ));
    assert!(matches!(
        share("eleve.b1", Grantee::Person(s.id("eleve.b1"))),
        Err(DocumentError::NotFound)
    ));
    // A teacher may share with the class they teach, not with another.
    let course = w
        .put("prof.a", w.me("prof.a"), None, "c.txt", b"y")
        .unwrap()
        .node();
    let teacher_share = |class| {
        shares::share(
            &w.store,
            &w.actor("prof.a"),
            course,
            Grantee::Class(class),
            ShareRight::Write,
            start(),
        )
    };
    assert!(matches!(
        teacher_share(s.class_5b),
        Err(DocumentError::Invalid(_))
    ));
    teacher_share(s.class_5a).unwrap();
    // Read-write share: eleve.a1 may edit the course (a version), not rename the shared
    // file itself (issue 12 §3: it keeps its owner's name) nor share it.
    assert_eq!(w.access("eleve.a1", course), Access::Write);
    assert!(matches!(
        service::rename(&w.store, &w.actor("eleve.a1"), course, "c2.txt", start()),
        Err(DocumentError::Forbidden)
    ));
    service::restore_version(
        &w.store,
        &w.actor("eleve.a1"),
        course,
        1,
        &limits(),
        start(),
    )
    .unwrap();
    // Unsharing takes the access away.
    shares::unshare(
        &w.store,
        &w.actor("prof.a"),
        course,
        Grantee::Class(s.class_5a),
    )
    .unwrap();
    assert_eq!(w.access("eleve.a1", course), Access::None);
}

#[test]
fn size_limit_and_quota_refuse_and_write_nothing() {
    let w = World::new();
    let head = w.store.head();
    let big = vec![7u8; (2 * MIB + 1) as usize];
    assert!(matches!(
        w.put("eleve.a1", w.me("eleve.a1"), None, "gros.bin", &big),
        Err(DocumentError::TooLarge { .. })
    ));
    // Two files of 1.5 MiB fit the 3 MiB quota; a third does not, and nothing of its
    // transaction is kept.
    let chunk = |n: u8| vec![n; (3 * MIB / 2) as usize];
    w.put("eleve.a1", w.me("eleve.a1"), None, "1.bin", &chunk(1))
        .unwrap();
    w.put("eleve.a1", w.me("eleve.a1"), None, "2.bin", &chunk(2))
        .unwrap();
    assert_eq!(w.usage("eleve.a1"), 3 * MIB);
    let before = w.store.head();
    let third = w.upload("3.bin", &chunk(3));
    let refused = service::store_files(
        &w.store,
        &w.actor("eleve.a1"),
        w.me("eleve.a1"),
        None,
        std::slice::from_ref(&third),
        &limits(),
        start(),
    );
    assert!(matches!(
        refused,
        Err(DocumentError::QuotaExceeded { used, quota }) if used == 3 * MIB && quota == 3 * MIB
    ));
    assert_eq!(w.store.head(), before, "a refused upload commits nothing");
    assert!(
        meta(&w.store.read().unwrap(), third.blob)
            .unwrap()
            .is_none()
    );
    assert!(head.seq < before.seq);
    // A teacher's quota is larger; uploading into a class space charges the uploader.
    w.put(
        "prof.b",
        Space::Class(w.school.class_5b),
        None,
        "3.bin",
        &chunk(3),
    )
    .unwrap();
    assert_eq!(w.usage("prof.b"), 3 * MIB / 2);
    // A pupil may not write in their class's space (read only).
    assert!(matches!(
        w.put("eleve.b1", Space::Class(w.school.class_5b), None, "x", b"x"),
        Err(DocumentError::Forbidden)
    ));
}

#[test]
fn hostile_names_are_cleaned_and_same_content_is_stored_once() {
    let w = World::new();
    let long = "é".repeat(1000);
    for (raw, stored) in [
        ("../../etc/passwd", "passwd".to_owned()),
        ("a\u{1}b\u{1b}[31mc.txt", "ab[31mc.txt".to_owned()),
        (long.as_str(), "é".repeat(200)),
        ("Élève – fiche n°1.pdf", "Élève – fiche n°1.pdf".to_owned()),
    ] {
        let id = w
            .put("eleve.a1", w.me("eleve.a1"), None, raw, b"same bytes")
            .unwrap()
            .node();
        let read = w.store.read().unwrap();
        assert_eq!(
            service::get(&read, &w.actor("eleve.a1"), id)
                .unwrap()
                .0
                .name,
            stored
        );
    }
    assert!(matches!(
        w.put("eleve.a1", w.me("eleve.a1"), None, "../", b"x"),
        Err(DocumentError::Invalid(_))
    ));
    let blob = cartable::blobs::BlobId::of(b"same bytes");
    assert_eq!(
        meta(&w.store.read().unwrap(), blob).unwrap().unwrap().refs,
        4
    );
    let _ = &w.dir;
}

#[test]
fn versions_are_kept_restored_and_capped() {
    let w = World::new();
    let me = w.me("prof.a");
    assert!(matches!(
        w.put("prof.a", me, None, "cours.txt", b"v1"),
        Ok(Stored::New(_))
    ));
    let Ok(Stored::NewVersion(id, 2)) = w.put("prof.a", me, None, "COURS.txt", b"v2") else {
        panic!("a second upload of the same name is a new version");
    };
    let read = w.store.read().unwrap();
    let (_, _, versions) = service::versions(&read, &w.actor("prof.a"), id).unwrap();
    assert_eq!(versions.iter().map(|v| v.0).collect::<Vec<_>>(), [2, 1]);
    drop(read);
    let n =
        service::restore_version(&w.store, &w.actor("prof.a"), id, 1, &limits(), start()).unwrap();
    assert_eq!(n, 3);
    let read = w.store.read().unwrap();
    let d = service::download(&read, &w.actor("prof.a"), id, None).unwrap();
    assert_eq!(
        w.blobs
            .read_all(cartable::blobs::BlobId(d.version.blob))
            .unwrap(),
        b"v1"
    );
    drop(read);
    // Past ten versions the oldest go, and their blobs lose their reference.
    for i in 4..=14u32 {
        w.put("prof.a", me, None, "cours.txt", format!("v{i}").as_bytes())
            .unwrap();
    }
    let read = w.store.read().unwrap();
    let (_, _, versions) = service::versions(&read, &w.actor("prof.a"), id).unwrap();
    assert_eq!(versions.len(), 10);
    assert_eq!(versions[0].0, 14);
    let v2 = cartable::blobs::BlobId::of(b"v2");
    assert_eq!(meta(&read, v2).unwrap().unwrap().refs, 0);
    // Someone who may read only may not restore.
    assert!(matches!(
        service::restore_version(&w.store, &w.actor("eleve.a1"), id, 5, &limits(), start()),
        Err(DocumentError::NotFound)
    ));
}

#[test]
fn trash_restores_then_purges_after_the_retention_period() {
    let w = World::new();
    let me = w.me("eleve.a1");
    let actor = w.actor("eleve.a1");
    let folder = service::create_folder(&w.store, &actor, me, None, "Histoire", start()).unwrap();
    let file = w
        .put("eleve.a1", me, Some(folder), "frise.txt", &[1u8; 1000])
        .unwrap()
        .node();
    // Trashing the folder hides what it holds, from listings, downloads and the index.
    trash::trash(&w.store, &actor, folder, start()).unwrap();
    let read = w.store.read().unwrap();
    assert!(
        service::list(&read, &actor, me, None)
            .unwrap()
            .entries
            .is_empty()
    );
    assert!(matches!(
        service::download(&read, &actor, file, None),
        Err(DocumentError::NotFound)
    ));
    assert!(acl_of(&read, file).unwrap().is_none());
    assert_eq!(trash::list(&read, &actor, me).unwrap().len(), 1);
    // Another pupil may not restore it.
    assert!(matches!(
        trash::restore(&w.store, &w.actor("eleve.a2"), folder, start()),
        Err(DocumentError::NotFound)
    ));
    drop(read);
    trash::restore(&w.store, &actor, folder, start()).unwrap();
    assert!(service::download(&w.store.read().unwrap(), &actor, file, None).is_ok());
    // Trashed again; 29 days later it is still there, 31 days later it is gone for good and
    // the quota and the blob reference are given back.
    trash::trash(&w.store, &actor, folder, start()).unwrap();
    let retention = Duration::from_secs(30 * 86_400);
    let day = jiff::SignedDuration::from_hours(24);
    assert_eq!(
        trash::purge_due(&w.store, start() + day * 29, retention).unwrap(),
        0
    );
    assert_eq!(w.usage("eleve.a1"), 1000);
    assert_eq!(
        trash::purge_due(&w.store, start() + day * 31, retention).unwrap(),
        1
    );
    let read = w.store.read().unwrap();
    assert!(trash::list(&read, &actor, me).unwrap().is_empty());
    assert!(matches!(
        service::get(&read, &actor, file),
        Err(DocumentError::NotFound)
    ));
    assert_eq!(w.usage("eleve.a1"), 0);
    let blob = cartable::blobs::BlobId::of(&[1u8; 1000]);
    assert_eq!(meta(&read, blob).unwrap().unwrap().refs, 0);
}

#[test]
fn move_and_copy_between_spaces() {
    let w = World::new();
    let s = &w.school;
    let prof = w.actor("prof.b");
    let folder =
        service::create_folder(&w.store, &prof, w.me("prof.b"), None, "Séquence", start()).unwrap();
    let sub = service::create_folder(&w.store, &prof, w.me("prof.b"), Some(folder), "TD", start())
        .unwrap();
    let file = w
        .put("prof.b", w.me("prof.b"), Some(sub), "td1.txt", b"td")
        .unwrap()
        .node();
    assert_eq!(w.access("eleve.b1", file), Access::None);
    // A folder into itself (or below itself): refused.
    assert!(matches!(
        service::move_node(&w.store, &prof, folder, w.me("prof.b"), Some(sub), start()),
        Err(DocumentError::Invalid(_))
    ));
    // Moved into 5B's space, the folder and what it holds become readable by 5B.
    service::move_node(
        &w.store,
        &prof,
        folder,
        Space::Class(s.class_5b),
        None,
        start(),
    )
    .unwrap();
    assert_eq!(w.access("eleve.b1", file), Access::Read);
    assert_eq!(w.access("eleve.a1", file), Access::None);
    // Not into a space one may not write in.
    assert!(matches!(
        service::move_node(
            &w.store,
            &prof,
            folder,
            Space::Class(s.class_5a),
            None,
            start()
        ),
        Err(DocumentError::NotFound)
    ));
    // A pupil copies the file into their own space: a new node charged to them, same blob.
    let pupil = w.actor("eleve.b1");
    let copy = service::copy_node(
        &w.store,
        &pupil,
        file,
        w.me("eleve.b1"),
        None,
        &limits(),
        start(),
    )
    .unwrap();
    assert_eq!(w.access("eleve.b1", copy), Access::Manage);
    assert_eq!(w.usage("eleve.b1"), 2);
    let again = service::copy_node(
        &w.store,
        &pupil,
        file,
        w.me("eleve.b1"),
        None,
        &limits(),
        start(),
    )
    .unwrap();
    let read = w.store.read().unwrap();
    assert_eq!(
        service::get(&read, &pupil, again).unwrap().0.name,
        "td1 (copie).txt"
    );
    assert_eq!(
        meta(&read, cartable::blobs::BlobId::of(b"td"))
            .unwrap()
            .unwrap()
            .refs,
        3
    );
}

#[test]
fn spaces_listed_follow_the_roles() {
    let w = World::new();
    let s = &w.school;
    let spaces = |login: &str| -> Vec<Space> {
        service::spaces_of(&w.store.read().unwrap(), &w.actor(login))
            .unwrap()
            .into_iter()
            .map(|x| x.space)
            .collect()
    };
    // Staff see every class of their establishment; a teacher the classes they teach; a
    // pupil their own; a parent only their own space and their establishments'.
    let cpe = spaces("cpe.a");
    assert!(cpe.contains(&Space::Class(s.class_5a)) && cpe.contains(&Space::Class(s.class_5b)));
    assert!(!cpe.contains(&Space::Class(s.class_2nde)));
    let prof = spaces("prof.a");
    assert!(prof.contains(&Space::Class(s.class_5a)) && !prof.contains(&Space::Class(s.class_5b)));
    let pupil = spaces("eleve.b1");
    assert!(
        pupil.contains(&Space::Class(s.class_5b)) && !pupil.contains(&Space::Class(s.class_5a))
    );
    assert_eq!(
        spaces("parent.a1"),
        [
            Space::Personal(s.id("parent.a1")),
            Space::Establishment(s.college),
            Space::Establishment(s.lycee)
        ]
    );
}

/// What an operation answered, for the share-level matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Out {
    Done,
    Refused,
    Missing,
    Other,
}

fn out<T>(r: Result<T, DocumentError>) -> Out {
    match r {
        Ok(_) => Out::Done,
        Err(DocumentError::Forbidden) => Out::Refused,
        Err(DocumentError::NotFound) => Out::Missing,
        Err(_) => Out::Other,
    }
}

/// What is granted on the shared folder in a row of the matrix.
#[derive(Debug, Clone, Copy)]
enum Grant {
    Nothing,
    Person(ShareRight),
    Class5a(ShareRight),
    Group(ShareRight),
}

/// Issue 12 §3: what each share level allows on another person's file — a read-write share lets
/// its grantee work inside what was shared (rename, move within, new files, trash what they put
/// there themselves), never take the owner's file away (move out of the space, trash it,
/// restore or delete from the owner's trash); copying is what a share gives.
#[test]
fn share_levels_decide_move_copy_rename_trash_and_restore() {
    use Out::{Done as D, Missing as M, Refused as F};
    use ShareRight::{Read as Rd, Write as Wr};
    // (owner of the folder, in their own space or 5A's, the grant on the folder, actor,
    //  [read, copy out, rename inside, move inside, move out, trash owner's file, rename the
    //   shared folder, restore from the trash, delete for good, upload and trash one's own,
    //   trash the shared folder])
    type Row = (&'static str, bool, Grant, &'static str, [Out; 11]);
    let rows: &[Row] = &[
        // No share.
        (
            "prof.a",
            false,
            Grant::Nothing,
            "eleve.a1",
            [M, M, M, M, M, M, M, M, M, M, M],
        ),
        // Read only, to the person, to their class, to their group.
        (
            "prof.a",
            false,
            Grant::Person(Rd),
            "eleve.a1",
            [D, D, F, F, F, F, F, M, M, F, F],
        ),
        (
            "prof.a",
            false,
            Grant::Class5a(Rd),
            "eleve.a2",
            [D, D, F, F, F, F, F, M, M, F, F],
        ),
        (
            "prof.a",
            false,
            Grant::Group(Rd),
            "eleve.a1",
            [D, D, F, F, F, F, F, M, M, F, F],
        ),
        // Read and write, to the person, to their class, to their group.
        (
            "prof.a",
            false,
            Grant::Person(Wr),
            "eleve.a1",
            [D, D, D, D, F, F, F, M, M, D, F],
        ),
        (
            "prof.a",
            false,
            Grant::Class5a(Wr),
            "eleve.a2",
            [D, D, D, D, F, F, F, M, M, D, F],
        ),
        (
            "prof.a",
            false,
            Grant::Group(Wr),
            "eleve.a1",
            [D, D, D, D, F, F, F, M, M, D, F],
        ),
        // The owner.
        (
            "prof.a",
            false,
            Grant::Nothing,
            "prof.a",
            [D, D, D, D, D, D, D, D, D, D, D],
        ),
        // A class's space: its teacher and the establishment's staff manage it, its pupils
        // read it; a read-write share of a folder there does not make a pupil its manager.
        (
            "prof.a",
            true,
            Grant::Nothing,
            "prof.a",
            [D, D, D, D, D, D, D, D, D, D, D],
        ),
        (
            "prof.a",
            true,
            Grant::Nothing,
            "cpe.a",
            [D, D, D, D, D, D, D, D, D, D, D],
        ),
        (
            "prof.a",
            true,
            Grant::Nothing,
            "eleve.a1",
            [D, D, F, F, F, F, F, F, F, F, F],
        ),
        (
            "prof.a",
            true,
            Grant::Person(Wr),
            "eleve.a1",
            [D, D, D, D, F, F, F, F, F, D, F],
        ),
        (
            "prof.a",
            true,
            Grant::Nothing,
            "eleve.b1",
            [M, M, M, M, M, M, M, M, M, M, M],
        ),
    ];
    let mut failures = Vec::new();
    for (n, (owner, in_class, grant, login, expected)) in rows.iter().enumerate() {
        let w = World::new();
        let s = &w.school;
        // A group of 5A's pupils that prof.a teaches.
        let group = w
            .store
            .write(|tx| {
                use cartable::domain::directory::service as dir;
                use cartable::model::directory::{Audience, Group, SchoolYear, Subject, Teaching};
                let g = dir::create_group(
                    tx,
                    Group {
                        establishment: s.college,
                        year: SchoolYear(2026),
                        name: "Latin".into(),
                    },
                )?;
                dir::enrol_in_group(tx, s.id("eleve.a1"), g)?;
                let latin = dir::create_subject(
                    tx,
                    Subject {
                        establishment: s.college,
                        code: None,
                        name: "Latin".into(),
                    },
                )?;
                dir::create_teaching(
                    tx,
                    Teaching {
                        establishment: s.college,
                        teacher: s.id("prof.a"),
                        audience: Audience::Group(g),
                        subject: latin,
                    },
                )?;
                Ok::<_, cartable::domain::directory::DirectoryError>(g)
            })
            .unwrap();
        let space = if *in_class {
            Space::Class(s.class_5a)
        } else {
            w.me(owner)
        };
        let o = w.actor(owner);
        let folder = service::create_folder(&w.store, &o, space, None, "Partage", start()).unwrap();
        let inside =
            service::create_folder(&w.store, &o, space, Some(folder), "Rendus", start()).unwrap();
        let file = |name: &str| {
            w.put(owner, space, Some(folder), name, name.as_bytes())
                .unwrap()
                .node()
        };
        let (a, b, c, d, e) = (
            file("a.txt"),
            file("b.txt"),
            file("c.txt"),
            file("d.txt"),
            file("e.txt"),
        );
        trash::trash(&w.store, &o, d, start()).unwrap();
        trash::trash(&w.store, &o, e, start()).unwrap();
        let grantee = match grant {
            Grant::Nothing => None,
            Grant::Person(r) => Some((Grantee::Person(s.id(login)), *r)),
            Grant::Class5a(r) => Some((Grantee::Class(s.class_5a), *r)),
            Grant::Group(r) => Some((Grantee::Group(group), *r)),
        };
        if let Some((grantee, right)) = grantee {
            shares::share(&w.store, &o, folder, grantee, right, start()).unwrap();
        }
        let actor = w.actor(login);
        let mine = w.me(login);
        let got = [
            out(service::get(&w.store.read().unwrap(), &actor, a)),
            out(service::copy_node(
                &w.store,
                &actor,
                a,
                mine,
                None,
                &limits(),
                start(),
            )),
            out(service::rename(&w.store, &actor, a, "a2.txt", start())),
            out(service::move_node(
                &w.store,
                &actor,
                a,
                space,
                Some(inside),
                start(),
            )),
            out(service::move_node(&w.store, &actor, b, mine, None, start())),
            out(trash::trash(&w.store, &actor, c, start())),
            out(service::rename(&w.store, &actor, folder, "Autre", start())),
            out(trash::restore(&w.store, &actor, d, start())),
            out(trash::delete_forever(&w.store, &actor, e, start())),
            match w.put(login, space, Some(folder), "rendu.txt", b"rendu") {
                Ok(stored) => out(trash::trash(&w.store, &actor, stored.node(), start())),
                Err(e) => out(Err::<(), _>(e)),
            },
            out(trash::trash(&w.store, &actor, folder, start())),
        ];
        if got != *expected {
            failures.push(format!(
                "row {n}: {login} on {owner}'s {grant:?} (class space: {in_class}): got {got:?}, expected {expected:?}"
            ));
        }
        // Whatever the actor did, the owner still has every file that was not theirs to take.
        if *login != *owner && !matches!(*login, "cpe.a") {
            for f in [a, b, c] {
                let read = w.store.read().unwrap();
                let (node, access) = service::get(&read, &o, f).unwrap();
                assert_eq!(node.space, space, "row {n}: {login} took {f:?} away");
                assert_eq!(access, Access::Manage, "row {n}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
