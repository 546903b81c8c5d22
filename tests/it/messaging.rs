//! Messaging's domain layer (issue 6 §1–§3) on a real store: the communication rules
//! (table-driven, defaults and an edited matrix), one body for 300 recipients, reply-all within
//! the rules, recall, acknowledgements, limits, reports and suspensions, and who may read what.

use cartable::domain::directory::queries::load_actor;
use cartable::domain::directory::service::{self, NewPerson};
use cartable::domain::messaging::compose::{self, Compose, ListRef, SendContext};
use cartable::domain::messaging::limits::{AttachmentLimits, SendLimiter, SendLimits};
use cartable::domain::messaging::mailbox::{self, Filter};
use cartable::domain::messaging::rules::{self, Reach, may_communicate};
use cartable::domain::messaging::{MessagingError, abuse};
use cartable::model::Actor;
use cartable::model::Origin;
use cartable::model::directory::*;
use cartable::model::messaging::{Folder, MessageId};
use cartable::store::Store;
use cartable::store::tables::{MESSAGE_RECIPIENTS, MESSAGES};
use test_case::test_case;

use crate::common::school::{self, LOGINS, School};
use crate::common::temp_store;

fn now() -> jiff::Timestamp {
    "2026-09-14T08:00:00Z".parse().unwrap()
}

fn client() -> Origin {
    Origin {
        ip: "127.0.0.1".into(),
        user_agent: "test".into(),
    }
}

struct World {
    _dir: Option<tempfile::TempDir>,
    store: Store,
    school: School,
    limiter: SendLimiter,
}

impl World {
    fn new() -> World {
        let (dir, store) = temp_store();
        let school = school::build(&store);
        World {
            _dir: Some(dir),
            store,
            school,
            limiter: SendLimiter::default(),
        }
    }

    fn actor(&self, login: &str) -> Actor {
        load_actor(&self.store.read().unwrap(), self.school.id(login))
            .unwrap()
            .unwrap()
    }

    fn may(&self, from: &str, to: &str) -> bool {
        may_communicate(
            &self.store.read().unwrap(),
            &self.actor(from),
            self.school.id(to),
        )
        .unwrap()
    }

    fn send(&self, from: &str, compose: Compose) -> Result<MessageId, MessagingError> {
        self.send_with(from, compose, SendLimits::default())
    }

    fn send_with(
        &self,
        from: &str,
        compose: Compose,
        limits: SendLimits,
    ) -> Result<MessageId, MessagingError> {
        compose::send(
            &self.store,
            &self.actor(from),
            None,
            compose,
            &SendContext {
                limiter: &self.limiter,
                limits,
                now: now(),
            },
        )
    }

    fn to(&self, logins: &[&str], subject: &str) -> Compose {
        Compose {
            recipients: logins.iter().map(|l| self.school.id(l)).collect(),
            subject: subject.into(),
            body: "Bonjour,\n\n**Important** : sortie jeudi.".into(),
            ..Compose::default()
        }
    }

    fn message_count(&self) -> usize {
        self.store
            .read()
            .unwrap()
            .range(&MESSAGES, ..)
            .unwrap()
            .count()
    }

    fn inbox(&self, login: &str) -> Vec<MessageId> {
        mailbox::folder(
            &self.store,
            &self.actor(login),
            Folder::Inbox,
            None,
            &Filter::default(),
        )
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect()
    }
}

/// One test school shared by the cases of the read-only tables below (a school per case would
/// hash a password and commit the whole school again for each). Its directory is removed once
/// the store is open: the store works on its open file, and a static is never dropped, so
/// nothing is left behind.
fn shared() -> &'static World {
    static WORLD: std::sync::LazyLock<World> = std::sync::LazyLock::new(|| {
        let mut w = World::new();
        drop(w._dir.take());
        w
    });
    &WORLD
}

/// (from, to) → allowed with the default rules.
// A pupil: classmates, own parents, own teachers, the vie scolaire.
#[test_case("eleve.a1", "eleve.a2" => true)]
#[test_case("eleve.a1", "eleve.b1" => false)]
#[test_case("eleve.a1", "parent.a1" => true)]
#[test_case("eleve.a2", "parent.a1" => false)]
#[test_case("eleve.a1", "prof.a" => true)]
#[test_case("eleve.a1", "prof.b" => false)]
#[test_case("eleve.a1", "cpe.a" => true)]
#[test_case("eleve.a1", "admin.a" => false)]
#[test_case("eleve.a1", "eleve.c1" => false)]
#[test_case("eleve.a1", "plateforme" => false)]
// A parent: own children, their teachers (in both schools), the staff.
#[test_case("parent.a1", "eleve.a1" => true)]
#[test_case("parent.a1", "eleve.d1" => true)]
#[test_case("parent.a1", "eleve.a2" => false)]
#[test_case("parent.a1", "prof.a" => true)]
#[test_case("parent.a1", "prof.b" => false)]
#[test_case("parent.a1", "prof.c" => true)]
#[test_case("parent.a1", "cpe.a" => true)]
#[test_case("parent.a1", "admin.a" => true)]
#[test_case("parent.a1", "eleve.c1" => false)]
// Teachers and staff: everyone of their establishment, nobody elsewhere.
#[test_case("prof.a", "eleve.b1" => true)]
#[test_case("prof.a", "parent.a1" => true)]
#[test_case("prof.a", "prof.b" => true)]
#[test_case("prof.a", "eleve.c1" => false)]
#[test_case("prof.a", "prof.c" => false)]
#[test_case("cpe.a", "eleve.b1" => true)]
#[test_case("cpe.a", "parent.a1" => true)]
#[test_case("cpe.a", "eleve.c1" => false)]
#[test_case("admin.a", "eleve.a1" => true)]
#[test_case("admin.b", "eleve.a1" => false)]
#[test_case("prof.c", "parent.a1" => true)]
#[test_case("prof.c", "eleve.a1" => false)]
// The platform administrator writes to anyone; nobody writes to themselves.
#[test_case("plateforme", "eleve.a1" => true)]
#[test_case("eleve.a1", "eleve.a1" => false)]
#[test_case("prof.a", "prof.a" => false)]
fn the_default_rules_allow_exactly_the_table(from: &str, to: &str) -> bool {
    shared().may(from, to)
}

#[test]
fn every_pair_of_the_test_school_is_decided_without_error_and_never_to_oneself() {
    let w = World::new();
    for from in LOGINS {
        for to in LOGINS {
            let allowed = w.may(from, to);
            if from == to {
                assert!(!allowed, "{from} → themselves");
            }
        }
    }
}

#[test]
fn an_edited_matrix_changes_the_answers_of_its_establishment_only() {
    let w = World::new();
    let admin = w.actor("admin.a");
    let mut matrix = rules::CommRules::defaults().matrix;
    // Pupils no longer write to pupils; parents write to every teacher; teachers only to the
    // parents of pupils they teach.
    matrix[0][0] = Reach::Nobody;
    matrix[1][2] = Reach::Everyone;
    matrix[2][1] = Reach::Related;
    rules::edit(&w.store, &admin, w.school.college, matrix, &client(), now()).unwrap();
    for (from, to, expected) in [
        ("eleve.a1", "eleve.a2", false),
        ("parent.a1", "prof.b", true),
        ("prof.b", "parent.a1", false),
        ("prof.a", "parent.a1", true),
        // The lycée keeps the defaults.
        ("parent.a1", "prof.c", true),
        ("prof.c", "parent.a1", true),
    ] {
        assert_eq!(w.may(from, to), expected, "{from} → {to}");
    }
    // Only its administrators edit it.
    let other = w.actor("admin.b");
    assert!(matches!(
        rules::edit(&w.store, &other, w.school.college, matrix, &client(), now()),
        Err(cartable::domain::admin::AdminError::NotFound)
    ));
}

#[test_case("eleve.a1", "e")]
#[test_case("eleve.a1", "p")]
#[test_case("parent.a1", "p")]
#[test_case("parent.a1", "eleve")]
#[test_case("prof.a", "e")]
fn suggestions_never_offer_a_forbidden_recipient(login: &str, query: &str) {
    let w = shared();
    let actor = w.actor(login);
    let suggestions = compose::suggest(&w.store, &actor, query).unwrap();
    for s in &suggestions {
        assert!(
            may_communicate(&w.store.read().unwrap(), &actor, s.person.id).unwrap(),
            "{login} was offered {:?}",
            s.person
        );
    }
}

#[test]
fn suggestions_ignore_accents_and_case_and_stay_within_reach() {
    let w = World::new();
    // Accents and case do not matter.
    let a1 = w.actor("eleve.a1");
    let names: Vec<String> = compose::suggest(&w.store, &a1, "DURA")
        .unwrap()
        .into_iter()
        .map(|s| s.person.last_name)
        .collect();
    assert_eq!(names, ["Durand"]);
    assert!(
        compose::suggest(&w.store, &a1, "bern").unwrap().is_empty(),
        "Hugo Bernard is in another class"
    );
}

#[test]
fn a_forbidden_recipient_refuses_the_whole_message_and_stores_nothing() {
    let w = World::new();
    let before = w.message_count();
    let err = w
        .send("eleve.a1", w.to(&["eleve.a2", "eleve.b1"], "Salut"))
        .unwrap_err();
    assert!(
        matches!(err, MessagingError::NotAllowed(ref names) if names.len() == 1),
        "{err:?}"
    );
    assert_eq!(w.message_count(), before);
    assert!(w.inbox("eleve.a2").is_empty());
    // A forged id of someone the actor cannot even see is refused without naming them.
    let err = w
        .send("eleve.a1", w.to(&["eleve.c1"], "Salut"))
        .unwrap_err();
    assert!(matches!(err, MessagingError::NotAllowed(ref names) if names == &["?"]));
    // Bad fields.
    for compose in [
        w.to(&["eleve.a2"], "  "),
        w.to(&["eleve.a2"], &"x".repeat(201)),
        w.to(&[], "Rien"),
        Compose {
            ack_requested: true,
            ..w.to(&["eleve.a2"], "Accusé")
        },
    ] {
        assert!(
            matches!(
                w.send("eleve.a1", compose),
                Err(MessagingError::Invalid { .. })
            ),
            "invalid"
        );
    }
    assert_eq!(w.message_count(), before);
}

/// A class of `n` pupils, each with a parent, taught by prof.a; returns the class.
fn big_class(w: &World, n: usize) -> ClassId {
    let college = w.school.college;
    let prof = w.school.id("prof.a");
    w.store
        .write(|tx| {
            let class = service::create_class(
                tx,
                Class {
                    establishment: college,
                    year: SchoolYear(2026),
                    name: "6Z".into(),
                    level: "6e".into(),
                    head_teacher: None,
                },
            )?;
            let subject = service::create_subject(
                tx,
                Subject {
                    establishment: college,
                    code: None,
                    name: "Histoire".into(),
                },
            )?;
            service::create_teaching(
                tx,
                Teaching {
                    establishment: college,
                    teacher: prof,
                    audience: Audience::Class(class),
                    subject,
                },
            )?;
            for i in 0..n {
                let pupil = service::create_person(
                    tx,
                    NewPerson {
                        first_name: format!("Élève{i}"),
                        last_name: "Nombreux".into(),
                        ..NewPerson::default()
                    },
                )?;
                service::add_profile(tx, pupil, college, Role::Eleve)?;
                service::enrol_in_class(tx, pupil, class)?;
                let parent = service::create_person(
                    tx,
                    NewPerson {
                        first_name: format!("Parent{i}"),
                        last_name: "Nombreux".into(),
                        ..NewPerson::default()
                    },
                )?;
                service::add_profile(tx, parent, college, Role::Parent)?;
                service::link_parent(
                    tx,
                    parent,
                    pupil,
                    ParentLink {
                        relation: Relation::Mere,
                        parental_authority: true,
                        receives_mail: true,
                    },
                )?;
            }
            Ok::<_, cartable::domain::directory::DirectoryError>(class)
        })
        .unwrap()
}

#[test]
fn a_message_to_300_parents_is_stored_once_and_each_sees_it_once() {
    let w = World::new();
    let class = big_class(&w, 300);
    let before = w.message_count();
    let id = w
        .send(
            "prof.a",
            Compose {
                lists: vec![ListRef::ParentsOf(class)],
                ack_requested: true,
                ..w.to(&[], "Réunion parents-professeurs")
            },
        )
        .unwrap();
    assert_eq!(w.message_count(), before + 1, "one body");
    let read = w.store.read().unwrap();
    let recipients: Vec<PersonId> = read
        .scan_prefix(&MESSAGE_RECIPIENTS, &(id,))
        .unwrap()
        .map(|r| r.unwrap().0.1)
        .collect();
    assert_eq!(recipients.len(), 300);
    drop(read);
    for parent in recipients.iter().take(20) {
        let actor = load_actor(&w.store.read().unwrap(), *parent)
            .unwrap()
            .unwrap();
        let page =
            mailbox::folder(&w.store, &actor, Folder::Inbox, None, &Filter::default()).unwrap();
        assert_eq!(page.rows.iter().filter(|r| r.id == id).count(), 1);
        assert!(page.rows[0].unread && page.rows[0].ack_requested);
        assert_eq!(
            mailbox::unread_counts(&w.store, &actor).unwrap(),
            vec![(Folder::Inbox, 1)]
        );
    }
    // Lists are for staff and teachers only, and only their classes for a teacher.
    let err = w
        .send(
            "parent.a1",
            Compose {
                lists: vec![ListRef::ParentsOf(class)],
                ..w.to(&[], "Tous")
            },
        )
        .unwrap_err();
    assert!(matches!(err, MessagingError::NotAllowed(_)));
    let err = w
        .send(
            "prof.b",
            Compose {
                lists: vec![ListRef::ParentsOf(class)],
                ..w.to(&[], "Tous")
            },
        )
        .unwrap_err();
    assert!(matches!(err, MessagingError::NotAllowed(_)));
    assert!(
        compose::lists(&w.store, &w.actor("parent.a1"))
            .unwrap()
            .is_empty()
    );
    let prof_lists = compose::lists(&w.store, &w.actor("prof.a")).unwrap();
    assert!(
        prof_lists
            .iter()
            .any(|l| l.list == ListRef::ParentsOf(class))
    );
    assert!(
        !prof_lists
            .iter()
            .any(|l| l.list == ListRef::ParentsOf(w.school.class_5b))
    );
}

#[test]
fn opening_marks_read_and_strangers_get_not_found() {
    let w = World::new();
    let id = w.send("prof.a", w.to(&["eleve.a1"], "Devoir")).unwrap();
    let a1 = w.actor("eleve.a1");
    assert_eq!(w.inbox("eleve.a1"), vec![id]);
    let view = mailbox::open(&w.store, &a1, id, now()).unwrap();
    assert!(view.message.body.contains("**Important**"));
    assert_eq!(mailbox::unread_counts(&w.store, &a1).unwrap(), vec![]);
    for stranger in ["eleve.a2", "parent.a1", "prof.b", "admin.b", "eleve.c1"] {
        let actor = w.actor(stranger);
        assert!(matches!(
            mailbox::open(&w.store, &actor, id, now()),
            Err(MessagingError::NotFound)
        ));
        assert!(matches!(
            mailbox::attachment(&w.store, &actor, id, 0),
            Err(MessagingError::NotFound)
        ));
        assert!(matches!(
            mailbox::move_to(&w.store, &actor, id, Folder::Trash),
            Err(MessagingError::NotFound)
        ));
        assert!(matches!(
            mailbox::acknowledge(&w.store, &actor, id, now()),
            Err(MessagingError::NotFound)
        ));
        assert!(matches!(
            abuse::report(&w.store, &actor, id, "", &client(), now()),
            Err(MessagingError::NotFound)
        ));
        assert!(matches!(
            compose::reply_recipients(&w.store, &actor, id, true),
            Err(MessagingError::NotFound)
        ));
        assert!(matches!(
            mailbox::receipts(&w.store, &actor, id),
            Err(MessagingError::NotFound)
        ));
    }
    assert!(matches!(
        mailbox::open(&w.store, &a1, MessageId(999_999), now()),
        Err(MessagingError::NotFound)
    ));
}

#[test]
fn reply_all_keeps_only_the_recipients_the_reader_may_see_and_write_to() {
    let w = World::new();
    let id = w
        .send(
            "prof.a",
            w.to(&["eleve.a1", "eleve.a2", "eleve.b1", "cpe.a"], "Sortie"),
        )
        .unwrap();
    let a1 = w.actor("eleve.a1");
    let (recipients, dropped) = compose::reply_recipients(&w.store, &a1, id, true).unwrap();
    let expected = vec![w.school.id("eleve.a2"), w.school.id("prof.a")];
    let mut got = recipients.clone();
    got.sort();
    let mut expected = expected;
    expected.sort();
    assert_eq!(got, expected);
    // Hugo (another class) and the CPE are not people Léa may see: neither shown nor addressed.
    assert_eq!(dropped, 0);
    let view = mailbox::open(&w.store, &a1, id, now()).unwrap();
    let shown: Vec<PersonId> = view.recipients.iter().map(|p| p.id).collect();
    assert_eq!(
        shown,
        vec![w.school.id("eleve.a1"), w.school.id("eleve.a2")]
    );
    assert_eq!(view.message.recipients, shown);
    assert!(view.reply_all);
    // The sender sees them all.
    let view = mailbox::open(&w.store, &w.actor("prof.a"), id, now()).unwrap();
    assert_eq!(view.recipients.len(), 4);
    let (only_sender, _) = compose::reply_recipients(&w.store, &a1, id, false).unwrap();
    assert_eq!(only_sender, vec![w.school.id("prof.a")]);
    let reply = w
        .send(
            "eleve.a1",
            Compose {
                recipients,
                reply_to: Some(id),
                ..w.to(&[], "RE: Sortie")
            },
        )
        .unwrap();
    assert!(w.inbox("prof.a").contains(&reply));
    assert!(!w.inbox("eleve.b1").contains(&reply));
    // The thread shows both messages to the teacher.
    let view = mailbox::open(&w.store, &w.actor("prof.a"), reply, now()).unwrap();
    assert_eq!(view.thread.len(), 1);
    assert_eq!(view.thread[0].0, id);
}

#[test]
fn recall_works_only_before_anyone_reads_and_within_the_window() {
    let w = World::new();
    let prof = w.actor("prof.a");
    let window = std::time::Duration::from_secs(1800);
    let id = w
        .send("prof.a", w.to(&["eleve.a1", "eleve.a2"], "Oups"))
        .unwrap();
    mailbox::recall(&w.store, &prof, id, window, now()).unwrap();
    assert!(w.inbox("eleve.a1").is_empty());
    assert!(matches!(
        mailbox::open(&w.store, &w.actor("eleve.a1"), id, now()),
        Err(MessagingError::NotFound)
    ));
    assert!(
        mailbox::open(&w.store, &prof, id, now())
            .unwrap()
            .message
            .recalled_at
            .is_some()
    );

    let read_one = w
        .send("prof.a", w.to(&["eleve.a1", "eleve.a2"], "Lu"))
        .unwrap();
    mailbox::open(&w.store, &w.actor("eleve.a2"), read_one, now()).unwrap();
    assert!(matches!(
        mailbox::recall(&w.store, &prof, read_one, window, now()),
        Err(MessagingError::Conflict(_))
    ));
    assert_eq!(w.inbox("eleve.a1"), vec![read_one]);

    let late = w.send("prof.a", w.to(&["eleve.a1"], "Tard")).unwrap();
    let later = now()
        .checked_add(jiff::SignedDuration::from_mins(31))
        .unwrap();
    assert!(matches!(
        mailbox::recall(&w.store, &prof, late, window, later),
        Err(MessagingError::Conflict(_))
    ));
    // Only the sender recalls.
    assert!(matches!(
        mailbox::recall(&w.store, &w.actor("eleve.a1"), late, window, now()),
        Err(MessagingError::NotFound)
    ));
}

#[test]
fn acknowledgements_are_asked_by_staff_and_seen_by_the_sender() {
    let w = World::new();
    let id = w
        .send(
            "prof.a",
            Compose {
                ack_requested: true,
                ..w.to(&["parent.a1"], "Autorisation de sortie")
            },
        )
        .unwrap();
    let parent = w.actor("parent.a1");
    let receipts = mailbox::receipts(&w.store, &w.actor("prof.a"), id).unwrap();
    assert_eq!(receipts.len(), 1);
    assert_eq!(receipts[0].acknowledged_at, None);
    mailbox::acknowledge(&w.store, &parent, id, now()).unwrap();
    let receipts = mailbox::receipts(&w.store, &w.actor("prof.a"), id).unwrap();
    assert_eq!(receipts[0].acknowledged_at, Some(now()));
    assert_eq!(receipts[0].read_at, Some(now()), "acknowledging reads");
    // No acknowledgement on a message that does not ask for one.
    let plain = w.send("prof.a", w.to(&["parent.a1"], "Info")).unwrap();
    assert!(matches!(
        mailbox::acknowledge(&w.store, &parent, plain, now()),
        Err(MessagingError::Conflict(_))
    ));
}

#[test]
fn a_pupil_over_the_hourly_limit_sends_nothing() {
    let w = World::new();
    let limits = SendLimits {
        pupil: 3,
        parent: 3,
        staff: 100,
    };
    for i in 0..3 {
        w.send_with("eleve.a1", w.to(&["eleve.a2"], &format!("n°{i}")), limits)
            .unwrap();
    }
    let before = w.message_count();
    let err = w
        .send_with("eleve.a1", w.to(&["eleve.a2"], "encore"), limits)
        .unwrap_err();
    assert!(matches!(err, MessagingError::RateLimited(secs) if secs > 0 && secs <= 3600));
    assert_eq!(w.message_count(), before);
    assert_eq!(w.inbox("eleve.a2").len(), 3);
    // A refused message does not count.
    let w = World::new();
    for _ in 0..5 {
        let _ = w.send_with("eleve.a1", w.to(&["eleve.b1"], "non"), limits);
    }
    w.send_with("eleve.a1", w.to(&["eleve.a2"], "oui"), limits)
        .unwrap();
    // Pupils and parents address at most 10 people at once.
    let w = World::new();
    let college = w.school.college;
    let class_5a = w.school.class_5a;
    let classmates: Vec<PersonId> = w
        .store
        .write(|tx| {
            let mut out = Vec::new();
            for i in 0..11 {
                let p = service::create_person(
                    tx,
                    NewPerson {
                        first_name: format!("Camarade{i}"),
                        last_name: "Cinqa".into(),
                        ..NewPerson::default()
                    },
                )?;
                service::add_profile(tx, p, college, Role::Eleve)?;
                service::enrol_in_class(tx, p, class_5a)?;
                out.push(p);
            }
            Ok::<_, cartable::domain::directory::DirectoryError>(out)
        })
        .unwrap();
    let err = w
        .send(
            "eleve.a1",
            Compose {
                recipients: classmates.clone(),
                ..w.to(&[], "À toute la classe")
            },
        )
        .unwrap_err();
    assert!(matches!(err, MessagingError::Invalid { .. }), "{err:?}");
    w.send(
        "eleve.a1",
        Compose {
            recipients: classmates[..10].to_vec(),
            ..w.to(&[], "À dix")
        },
    )
    .unwrap();
}

#[test]
fn a_report_freezes_the_thread_until_an_admin_reviews_it_and_suspension_stops_sending() {
    let w = World::new();
    let id = w
        .send("prof.a", w.to(&["parent.a1"], "Message déplacé"))
        .unwrap();
    let parent = w.actor("parent.a1");
    let report = abuse::report(
        &w.store,
        &parent,
        id,
        "Propos inacceptables",
        &client(),
        now(),
    )
    .unwrap();
    // Nobody replies in a frozen thread.
    let err = w
        .send(
            "parent.a1",
            Compose {
                reply_to: Some(id),
                ..w.to(&["prof.a"], "RE")
            },
        )
        .unwrap_err();
    assert!(matches!(err, MessagingError::Frozen));
    assert!(mailbox::open(&w.store, &parent, id, now()).unwrap().frozen);
    // The collège's administrator sees it; the lycée's does not.
    let admin = w.actor("admin.a");
    let open = abuse::reports(&w.store, &admin, w.school.college).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].id, report);
    assert!(matches!(
        abuse::reports(&w.store, &w.actor("admin.b"), w.school.college),
        Err(MessagingError::NotFound)
    ));
    assert!(matches!(
        abuse::report_for_admin(&w.store, &w.actor("admin.b"), report),
        Err(MessagingError::NotFound)
    ));
    assert!(matches!(
        abuse::review(&w.store, &w.actor("prof.b"), report, true, &client(), now()),
        Err(MessagingError::NotFound)
    ));
    abuse::review(&w.store, &admin, report, true, &client(), now()).unwrap();
    assert!(!mailbox::open(&w.store, &parent, id, now()).unwrap().frozen);
    assert!(matches!(
        abuse::review(&w.store, &admin, report, false, &client(), now()),
        Err(MessagingError::Conflict(_))
    ));
    // The sender is suspended: nothing leaves until an administrator restores it.
    assert!(abuse::is_suspended(&w.store, w.school.id("prof.a")).unwrap());
    assert!(matches!(
        w.send("prof.a", w.to(&["eleve.a1"], "Encore")),
        Err(MessagingError::Suspended)
    ));
    abuse::set_suspended(
        &w.store,
        &admin,
        w.school.id("prof.a"),
        false,
        &client(),
        now(),
    )
    .unwrap();
    w.send("prof.a", w.to(&["eleve.a1"], "Encore")).unwrap();
    // Only an administrator of one of the person's establishments suspends them.
    assert!(matches!(
        abuse::set_suspended(
            &w.store,
            &w.actor("admin.b"),
            w.school.id("prof.a"),
            true,
            &client(),
            now()
        ),
        Err(MessagingError::NotFound)
    ));
}

#[test]
fn folders_trash_restore_and_search_within_ones_mail() {
    let w = World::new();
    let a1 = w.actor("eleve.a1");
    let first = w
        .send("prof.a", w.to(&["eleve.a1"], "Évaluation de mathématiques"))
        .unwrap();
    let second = w.send("cpe.a", w.to(&["eleve.a1"], "Retard")).unwrap();
    let folder = mailbox::create_folder(&w.store, &a1, "Maths").unwrap();
    assert!(matches!(
        mailbox::create_folder(&w.store, &a1, "   "),
        Err(MessagingError::Invalid { .. })
    ));
    mailbox::move_to(&w.store, &a1, first, Folder::Personal(folder)).unwrap();
    assert_eq!(w.inbox("eleve.a1"), vec![second]);
    let page = mailbox::folder(
        &w.store,
        &a1,
        Folder::Personal(folder),
        None,
        &Filter::default(),
    )
    .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(
        mailbox::unread_counts(&w.store, &a1).unwrap(),
        vec![(Folder::Inbox, 1), (Folder::Personal(folder), 1)]
    );
    // Someone else's folder is not found.
    assert!(matches!(
        mailbox::folder(
            &w.store,
            &w.actor("eleve.a2"),
            Folder::Personal(folder),
            None,
            &Filter::default()
        ),
        Err(MessagingError::NotFound)
    ));
    // Trash and restore.
    mailbox::move_to(&w.store, &a1, second, Folder::Trash).unwrap();
    assert!(w.inbox("eleve.a1").is_empty());
    mailbox::restore(&w.store, &a1, second).unwrap();
    assert_eq!(w.inbox("eleve.a1"), vec![second]);
    mailbox::move_to(&w.store, &a1, second, Folder::Trash).unwrap();
    mailbox::delete_forever(&w.store, &a1, second, now()).unwrap();
    assert!(matches!(
        mailbox::restore(&w.store, &a1, second),
        Err(MessagingError::NotFound)
    ));
    // Deleted for good: no longer readable by its id either.
    assert!(matches!(
        mailbox::open(&w.store, &a1, second, now()),
        Err(MessagingError::NotFound)
    ));
    // Deleting the folder brings its messages back to the inbox.
    mailbox::delete_folder(&w.store, &a1, folder).unwrap();
    assert_eq!(w.inbox("eleve.a1"), vec![first]);
    // Search without accents, by sender.
    let found = |filter: Filter| {
        mailbox::folder(&w.store, &a1, Folder::Inbox, None, &filter)
            .unwrap()
            .rows
            .len()
    };
    assert_eq!(
        found(Filter {
            subject: Some("evaluation MATH".into()),
            ..Filter::default()
        }),
        1
    );
    assert_eq!(
        found(Filter {
            sender: Some("profa".into()),
            ..Filter::default()
        }),
        1
    );
    assert_eq!(
        found(Filter {
            subject: Some("absence".into()),
            ..Filter::default()
        }),
        0
    );
}

#[test]
fn drafts_are_saved_resumed_and_sent() {
    let w = World::new();
    let prof = w.actor("prof.a");
    let draft = compose::save_draft(
        &w.store,
        &prof,
        None,
        w.to(&["eleve.a1"], "Brouillon"),
        &AttachmentLimits::default(),
        now(),
    )
    .unwrap();
    let page = mailbox::folder(&w.store, &prof, Folder::Drafts, None, &Filter::default()).unwrap();
    assert_eq!(page.rows.len(), 1);
    // Nobody else sees a draft.
    assert!(matches!(
        mailbox::open(&w.store, &w.actor("eleve.a1"), draft, now()),
        Err(MessagingError::NotFound)
    ));
    assert!(matches!(
        compose::save_draft(
            &w.store,
            &w.actor("prof.b"),
            Some(draft),
            w.to(&["eleve.a1"], "Volé"),
            &AttachmentLimits::default(),
            now()
        ),
        Err(MessagingError::NotFound)
    ));
    let sent = compose::send(
        &w.store,
        &prof,
        Some(draft),
        w.to(&["eleve.a1"], "Brouillon fini"),
        &SendContext {
            limiter: &w.limiter,
            limits: SendLimits::default(),
            now: now(),
        },
    )
    .unwrap();
    assert_eq!(sent, draft);
    let drafts =
        mailbox::folder(&w.store, &prof, Folder::Drafts, None, &Filter::default()).unwrap();
    assert!(drafts.rows.is_empty());
    assert_eq!(w.inbox("eleve.a1"), vec![sent]);
}

#[test]
fn paging_never_shows_a_message_twice_even_when_many_share_a_time() {
    let w = World::new();
    let later = now()
        .checked_add(jiff::SignedDuration::from_secs(1))
        .unwrap();
    let mut sent = Vec::new();
    let staff = SendLimits {
        staff: 1000,
        ..SendLimits::default()
    };
    for (i, at) in (0..49)
        .map(|i| (i, now()))
        .chain((49..52).map(|i| (i, later)))
    {
        sent.push(
            compose::send(
                &w.store,
                &w.actor("prof.a"),
                None,
                w.to(&["eleve.a1"], &format!("n°{i}")),
                &SendContext {
                    limiter: &w.limiter,
                    limits: staff,
                    now: at,
                },
            )
            .unwrap(),
        );
    }
    let a1 = w.actor("eleve.a1");
    let mut seen = Vec::new();
    let mut cursor = None;
    for _ in 0..10 {
        let page =
            mailbox::folder(&w.store, &a1, Folder::Inbox, cursor, &Filter::default()).unwrap();
        seen.extend(page.rows.iter().map(|r| r.id));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no message twice");
    assert_eq!(unique.len(), 52, "every message once");
}
