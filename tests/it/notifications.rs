//! Notifications (issue 6 §4): the notifier tailer writes timelines and mails exactly once,
//! quiet hours hold a pupil's mail until morning, the digest gathers a day into one mail.

use cartable::domain::directory::queries::load_actor;
use cartable::domain::messaging::abuse;
use cartable::domain::messaging::compose::{self, Compose, SendContext};
use cartable::domain::messaging::limits::{SendLimiter, SendLimits};
use cartable::domain::notifications::{self, Prefs, TimelineKind};
use cartable::mail::{self, MailState};
use cartable::model::Actor;
use cartable::model::Origin;
use cartable::store::tables::{MAIL_QUEUE, PEOPLE, TIMELINE};
use cartable::store::{Store, Tailer};
use jiff::Timestamp;

use crate::common::school::{self, School};
use crate::common::temp_store;

fn paris(s: &str) -> Timestamp {
    jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", s)
        .unwrap()
        .to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap())
        .unwrap()
        .timestamp()
}

struct World {
    _dir: tempfile::TempDir,
    store: Store,
    school: School,
    limiter: SendLimiter,
    tailer: Tailer,
}

impl World {
    fn new() -> World {
        let (dir, store) = temp_store();
        let school = school::build(&store);
        // Addresses for a pupil, a parent and the collège's administrator.
        for (login, email) in [
            ("eleve.a1", "lea@eleves.example"),
            ("parent.a1", "nathalie@parents.example"),
            ("admin.a", "admin@college.example"),
            ("prof.a", "paul@college.example"),
        ] {
            let id = school.id(login);
            store
                .write(|tx| {
                    let mut p = tx.get(&PEOPLE, &id)?.unwrap();
                    p.email = Some(email.into());
                    tx.insert(&PEOPLE, &id, &p)?;
                    Ok::<_, cartable::store::StoreError>(())
                })
                .unwrap();
        }
        let tailer = Tailer::open(&store, notifications::TAILER).unwrap();
        World {
            _dir: dir,
            store,
            school,
            limiter: SendLimiter::default(),
            tailer,
        }
    }

    fn actor(&self, login: &str) -> Actor {
        load_actor(&self.store.read().unwrap(), self.school.id(login))
            .unwrap()
            .unwrap()
    }

    fn send(&self, from: &str, to: &[&str], subject: &str, now: Timestamp) {
        compose::send(
            &self.store,
            &self.actor(from),
            None,
            Compose {
                recipients: to.iter().map(|l| self.school.id(l)).collect(),
                subject: subject.into(),
                body: "Le corps du message.".into(),
                ..Compose::default()
            },
            &SendContext {
                limiter: &self.limiter,
                limits: SendLimits::default(),
                now,
            },
        )
        .unwrap();
    }

    fn notify(&mut self, now: Timestamp) -> usize {
        notifications::catch_up(
            &self.store,
            &mut self.tailer,
            "https://ent.example",
            now,
            1000,
        )
        .unwrap()
    }

    fn mails_to(&self, to: &str) -> Vec<mail::OutgoingMail> {
        self.store
            .read()
            .unwrap()
            .range(&MAIL_QUEUE, ..)
            .unwrap()
            .map(|r| r.unwrap().1)
            .filter(|m| m.to == to)
            .collect()
    }

    fn due_to(&self, to: &str, now: Timestamp) -> usize {
        mail::queue::due(&self.store.read().unwrap(), now, 1000)
            .unwrap()
            .into_iter()
            .filter(|(_, m)| m.to == to)
            .count()
    }
}

#[test]
fn a_message_lands_on_the_timeline_and_mails_each_recipient_once() {
    let mut w = World::new();
    let now = paris("2026-09-16 10:00");
    w.send("prof.a", &["eleve.a1", "parent.a1"], "Sortie au musée", now);
    assert!(w.notify(now) >= 1);
    // A second pass, and a restarted notifier, add nothing.
    w.notify(now);
    w.tailer = Tailer::open(&w.store, notifications::TAILER).unwrap();
    w.notify(now); // re-reads only entries that need no work
    // Entries without events for the notifier cost it no commit.
    let actor = w.actor("eleve.a2");
    notifications::set_prefs(
        &w.store,
        &actor,
        Prefs {
            mail_reports: false,
            ..Prefs::defaults_for(true)
        },
    )
    .unwrap();
    let head = w.store.head().seq;
    assert!(w.notify(now) >= 1);
    assert_eq!(
        w.store.head().seq,
        head,
        "no commit for an entry that needs no work"
    );
    for (login, address) in [
        ("eleve.a1", "lea@eleves.example"),
        ("parent.a1", "nathalie@parents.example"),
    ] {
        let mails = w.mails_to(address);
        assert_eq!(mails.len(), 1, "{login}");
        assert!(mails[0].subject.contains("Sortie au musée"));
        assert!(
            mails[0]
                .body
                .contains("https://ent.example/messagerie/messages/")
        );
        assert_eq!(w.due_to(address, now), 1, "sent at once in the day");
        let timeline = notifications::timeline(&w.store, &w.actor(login), 10).unwrap();
        assert_eq!(timeline.len(), 1);
        assert!(matches!(
            &timeline[0].entry.kind,
            TimelineKind::MessageReceived { subject, .. } if subject == "Sortie au musée"
        ));
        assert_eq!(timeline[0].from.as_deref(), Some("Paul PROFA"));
    }
    // The sender is not notified of their own message.
    assert!(w.mails_to("paul@college.example").is_empty());
    let rows = w
        .store
        .read()
        .unwrap()
        .range(&TIMELINE, ..)
        .unwrap()
        .count();
    assert_eq!(rows, 2);
}

#[test]
fn quiet_hours_hold_a_pupils_mail_until_the_morning() {
    let mut w = World::new();
    let evening = paris("2026-09-16 21:30");
    w.send(
        "prof.a",
        &["eleve.a1", "parent.a1"],
        "Devoir pour demain",
        evening,
    );
    w.notify(evening);
    let pupil = w.mails_to("lea@eleves.example");
    assert_eq!(pupil.len(), 1);
    assert!(matches!(pupil[0].state, MailState::Queued));
    assert_eq!(
        w.due_to("lea@eleves.example", evening),
        0,
        "held for the night"
    );
    assert_eq!(w.due_to("lea@eleves.example", paris("2026-09-17 06:59")), 0);
    assert_eq!(w.due_to("lea@eleves.example", paris("2026-09-17 07:00")), 1);
    // The parent has no quiet hours by default.
    assert_eq!(w.due_to("nathalie@parents.example", evening), 1);
    // On Friday evening, the pupil's mail waits until Monday morning.
    let friday = paris("2026-09-18 22:00");
    w.send("prof.a", &["eleve.a1"], "Bon week-end", friday);
    w.notify(friday);
    assert_eq!(w.due_to("lea@eleves.example", paris("2026-09-20 12:00")), 1);
    assert_eq!(w.due_to("lea@eleves.example", paris("2026-09-21 07:00")), 2);
    // A pupil who turns quiet hours off gets mail at once.
    let actor = w.actor("eleve.a1");
    notifications::set_prefs(
        &w.store,
        &actor,
        Prefs {
            quiet: None,
            quiet_weekends: false,
            ..notifications::my_prefs(&w.store, &actor).unwrap()
        },
    )
    .unwrap();
    let late = paris("2026-09-22 23:00");
    w.send("prof.a", &["eleve.a1"], "Tard", late);
    w.notify(late);
    assert_eq!(w.due_to("lea@eleves.example", late), 3);
    // Nonsense quiet hours are refused.
    assert!(
        notifications::set_prefs(
            &w.store,
            &actor,
            Prefs {
                quiet: Some((600, 600)),
                ..Prefs::defaults_for(true)
            }
        )
        .is_err()
    );
}

#[test]
fn the_digest_gathers_a_days_events_into_one_mail() {
    let mut w = World::new();
    let parent = w.actor("parent.a1");
    notifications::set_prefs(
        &w.store,
        &parent,
        Prefs {
            digest: true,
            mail_reports: false,
            ..Prefs::defaults_for(false)
        },
    )
    .unwrap();
    for (i, time) in ["2026-09-16 08:00", "2026-09-16 11:00", "2026-09-16 15:30"]
        .into_iter()
        .enumerate()
    {
        let now = paris(time);
        w.send("prof.a", &["parent.a1"], &format!("Nouvelle n°{i}"), now);
        w.notify(now);
    }
    assert!(
        w.mails_to("nathalie@parents.example").is_empty(),
        "no mail during the day"
    );
    assert_eq!(
        notifications::send_due_digests(&w.store, paris("2026-09-16 16:59")).unwrap(),
        0
    );
    assert_eq!(
        notifications::send_due_digests(&w.store, paris("2026-09-16 17:00")).unwrap(),
        1
    );
    let mails = w.mails_to("nathalie@parents.example");
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].subject.contains("3 nouveautés"),
        "{}",
        mails[0].subject
    );
    for i in 0..3 {
        assert!(mails[0].body.contains(&format!("Nouvelle n°{i}")));
    }
    // Nothing is sent twice.
    assert_eq!(
        notifications::send_due_digests(&w.store, paris("2026-09-17 17:00")).unwrap(),
        0
    );
    // The timeline still shows each event.
    assert_eq!(
        notifications::timeline(&w.store, &parent, 10)
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn a_report_notifies_the_establishments_administrators() {
    let mut w = World::new();
    let now = paris("2026-09-16 10:00");
    w.send("prof.a", &["parent.a1"], "Remarque", now);
    w.notify(now);
    let id = cartable::domain::messaging::mailbox::folder(
        &w.store,
        &w.actor("parent.a1"),
        cartable::model::messaging::Folder::Inbox,
        None,
        &Default::default(),
    )
    .unwrap()
    .rows[0]
        .id;
    abuse::report(
        &w.store,
        &w.actor("parent.a1"),
        id,
        "",
        &Origin {
            ip: "127.0.0.1".into(),
            user_agent: "test".into(),
        },
        now,
    )
    .unwrap();
    w.notify(now);
    let timeline = notifications::timeline(&w.store, &w.actor("admin.a"), 10).unwrap();
    assert!(matches!(
        timeline[0].entry.kind,
        TimelineKind::MessageReported { .. }
    ));
    let mails = w.mails_to("admin@college.example");
    assert_eq!(mails.len(), 1);
    assert!(mails[0].body.contains("/admin/signalements/"));
    assert!(
        notifications::timeline(&w.store, &w.actor("admin.b"), 10)
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_portal_shows_the_news_and_the_preferences_page_saves_choices() {
    use crate::common::app::{TestApp, csrf_of};
    let app = TestApp::start().await;
    let prof = load_actor(&app.state.store.read().unwrap(), app.school.id("prof.a"))
        .unwrap()
        .unwrap();
    let now = {
        use cartable::clock::Clock;
        app.clock.now()
    };
    tokio::task::block_in_place(|| {
        compose::send(
            &app.state.store,
            &prof,
            None,
            Compose {
                recipients: vec![app.school.id("eleve.a1")],
                subject: "Rendez-vous au CDI".into(),
                body: "À 14 h.".into(),
                ..Compose::default()
            },
            &SendContext {
                limiter: &app.state.send_limiter,
                limits: SendLimits::default(),
                now,
            },
        )
        .unwrap()
    });
    // The notifier runs in the background of the server: its row commits (a logged table), so
    // wait on the store's commits for it.
    let pupil = app.school.id("eleve.a1");
    crate::common::wait::until_committed(
        &app.state.store,
        "the notifier wrote the timeline",
        || {
            app.state
                .store
                .read()
                .unwrap()
                .range(&TIMELINE, ..)
                .unwrap()
                .any(|r| r.as_ref().unwrap().0.0 == pupil)
        },
    )
    .await;
    let client = app.as_user("eleve.a1").await;
    let (status, portal) = app.get(&client, "/").await;
    assert_eq!(status, 200);
    assert!(
        portal.contains("Message de Paul PROFA : Rendez-vous au CDI"),
        "{portal}"
    );
    let (status, news) = app.get(&client, "/actualites").await;
    assert_eq!(status, 200);
    assert!(news.contains("Rendez-vous au CDI"));

    // Preferences: a pupil's defaults, a refused entry, a saved choice.
    let (status, html) = app.get(&client, "/profil/notifications").await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"20:00\"") && html.contains("value=\"07:00\""));
    let csrf = csrf_of(&html);
    let path = "/profil/notifications";
    let r = app
        .post_with_csrf(
            &client,
            path,
            &csrf,
            &[
                ("messages", "1"),
                ("calme", "1"),
                ("calme_debut", "25:00"),
                ("calme_fin", "07:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post_with_csrf(
            &client,
            path,
            &csrf,
            &[
                ("messages", "1"),
                ("calme", "1"),
                ("calme_debut", "21:30"),
                ("calme_fin", "06:45"),
                ("resume", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let actor = load_actor(&app.state.store.read().unwrap(), pupil)
        .unwrap()
        .unwrap();
    let prefs = notifications::my_prefs(&app.state.store, &actor).unwrap();
    assert_eq!(prefs.quiet, Some((21 * 60 + 30, 6 * 60 + 45)));
    assert!(prefs.digest && prefs.mail_messages && !prefs.quiet_weekends);
}
