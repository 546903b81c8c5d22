//! Messaging, issue 12: attachments of drafts and sent messages count in the sender's quota
//! (each content once), with a cap per message and a limit of drafts per hour; deleted for good
//! is gone (the attachment, a reply to it); the hourly send limit survives a restart.

use cartable::domain::directory::queries::load_actor;
use cartable::domain::documents::service::Limits;
use cartable::domain::messaging::MessagingError;
use cartable::domain::messaging::compose::{self, Compose, SendContext};
use cartable::domain::messaging::limits::{AttachmentLimits, SendLimiter, SendLimits};
use cartable::domain::messaging::mailbox;
use cartable::model::Actor;
use cartable::model::directory::PersonId;
use cartable::model::messaging::{Attachment, Folder, MessageId};
use cartable::store::Store;
use cartable::store::tables::{DOCUMENT_USAGE, MESSAGES};

use crate::common::app::TestApp;
use crate::common::school::{self, School};
use crate::common::{clock, temp_store};
use crate::messaging_pages::compose as post_compose;

const MIB: u64 = 1024 * 1024;

fn now() -> jiff::Timestamp {
    "2026-09-14T08:00:00Z".parse().unwrap()
}

fn actor(store: &Store, school: &School, login: &str) -> Actor {
    load_actor(&store.read().unwrap(), school.id(login))
        .unwrap()
        .unwrap()
}

fn att(n: u8, size: u64) -> Attachment {
    Attachment {
        blob: [n; 32],
        name: format!("fichier{n}.bin"),
        size,
        content_type: "application/octet-stream".into(),
    }
}

fn usage(store: &Store, person: PersonId) -> u64 {
    store
        .read()
        .unwrap()
        .get(&DOCUMENT_USAGE, &person)
        .unwrap()
        .unwrap_or(0)
}

fn message_count(store: &Store) -> usize {
    store.read().unwrap().range(&MESSAGES, ..).unwrap().count()
}

fn small_limits(drafts_per_hour: u32) -> AttachmentLimits {
    AttachmentLimits {
        quota: Limits {
            max_file: 100 * MIB,
            quota_pupil: 3 * MIB,
            quota_parent: 3 * MIB,
            quota_staff: 3 * MIB,
        },
        message_max_bytes: 2 * MIB,
        drafts_per_hour,
    }
}

fn ctx(limiter: &SendLimiter) -> SendContext<'_> {
    SendContext {
        limiter,
        limits: SendLimits::default(),
        now: now(),
    }
}

#[test]
fn attachments_of_drafts_and_sent_messages_count_once_in_the_senders_quota() {
    let (_dir, store) = temp_store();
    let school = school::build(&store);
    let pupil = actor(&store, &school, "eleve.a1");
    let me = school.id("eleve.a1");
    let limits = small_limits(100);
    let limiter = SendLimiter::default();
    let to = |attachments: Vec<Attachment>| Compose {
        recipients: vec![school.id("eleve.a2")],
        subject: "Exposé".into(),
        body: "Voici mes fichiers.".into(),
        attachments,
        ..Compose::default()
    };
    // A draft's attachments count.
    let d1 = compose::save_draft(
        &store,
        &pupil,
        None,
        to(vec![att(1, MIB), att(2, MIB / 2)]),
        &limits,
        now(),
    )
    .unwrap();
    assert_eq!(usage(&store, me), MIB + MIB / 2);
    // The same content again, in another draft or twice in one: counted once.
    let d2 = compose::save_draft(
        &store,
        &pupil,
        None,
        to(vec![att(1, MIB), att(1, MIB)]),
        &limits,
        now(),
    )
    .unwrap();
    assert_eq!(usage(&store, me), MIB + MIB / 2);
    // Past the cap of one message: refused with the figures, nothing written.
    let count = message_count(&store);
    let err = compose::save_draft(
        &store,
        &pupil,
        None,
        to(vec![att(3, MIB), att(4, MIB), att(5, MIB / 2)]),
        &limits,
        now(),
    )
    .unwrap_err();
    assert!(
        matches!(err, MessagingError::AttachmentsTooLarge { total, max }
            if total == 2 * MIB + MIB / 2 && max == 2 * MIB),
        "{err:?}"
    );
    // Past the quota: refused with the figures, nothing written (no row, no usage, no blob
    // reference).
    let err = compose::save_draft(
        &store,
        &pupil,
        None,
        to(vec![att(3, MIB), att(4, MIB)]),
        &limits,
        now(),
    )
    .unwrap_err();
    assert!(
        matches!(err, MessagingError::QuotaExceeded { used, quota, needed }
            if used == MIB + MIB / 2 && quota == 3 * MIB && needed == 2 * MIB),
        "{err:?}"
    );
    assert_eq!(message_count(&store), count);
    assert_eq!(usage(&store, me), MIB + MIB / 2);
    let read = store.read().unwrap();
    assert!(
        cartable::blobs::meta(&read, cartable::blobs::BlobId([3; 32]))
            .unwrap()
            .is_none()
    );
    drop(read);
    // Sent at once: counted too, and refused past the quota.
    compose::send_within(
        &store,
        &pupil,
        None,
        to(vec![att(6, MIB)]),
        &ctx(&limiter),
        &limits,
    )
    .unwrap();
    assert_eq!(usage(&store, me), 2 * MIB + MIB / 2);
    let count = message_count(&store);
    let err = compose::send_within(
        &store,
        &pupil,
        None,
        to(vec![att(7, MIB)]),
        &ctx(&limiter),
        &limits,
    )
    .unwrap_err();
    assert!(
        matches!(err, MessagingError::QuotaExceeded { .. }),
        "{err:?}"
    );
    assert_eq!(message_count(&store), count);
    // A draft sent keeps its count (its references go with the message).
    compose::send_within(
        &store,
        &pupil,
        Some(d1),
        to(vec![att(1, MIB), att(2, MIB / 2)]),
        &ctx(&limiter),
        &limits,
    )
    .unwrap();
    assert_eq!(usage(&store, me), 2 * MIB + MIB / 2);
    // The documents see the same figure.
    let (used, quota) =
        cartable::domain::documents::views::usage(&store, &pupil, &limits.quota).unwrap();
    assert_eq!((used, quota), (2 * MIB + MIB / 2, 3 * MIB));
    // Deleting a draft gives back only what nothing else of theirs holds: blob 1 is still in
    // the sent message.
    mailbox::move_to(&store, &pupil, d2, Folder::Trash).unwrap();
    mailbox::delete_forever(&store, &pupil, d2, now()).unwrap();
    assert_eq!(usage(&store, me), 2 * MIB + MIB / 2);
    // A draft of its own content, deleted: given back.
    let d3 = compose::save_draft(
        &store,
        &pupil,
        None,
        to(vec![att(8, MIB / 4)]),
        &limits,
        now(),
    )
    .unwrap();
    assert_eq!(usage(&store, me), 2 * MIB + 3 * MIB / 4);
    mailbox::move_to(&store, &pupil, d3, Folder::Trash).unwrap();
    mailbox::delete_forever(&store, &pupil, d3, now()).unwrap();
    assert_eq!(usage(&store, me), 2 * MIB + MIB / 2);
    // The recipient's usage never moved.
    assert_eq!(usage(&store, school.id("eleve.a2")), 0);
}

#[test]
fn drafts_per_hour_are_limited_but_saving_the_same_draft_again_is_not_counted() {
    let (_dir, store) = temp_store();
    let school = school::build(&store);
    let pupil = actor(&store, &school, "eleve.a1");
    let limits = small_limits(3);
    let draft = |attachments: Vec<Attachment>| Compose {
        subject: "Brouillon".into(),
        attachments,
        ..Compose::default()
    };
    let first = compose::save_draft(&store, &pupil, None, draft(vec![]), &limits, now()).unwrap();
    for _ in 0..2 {
        compose::save_draft(&store, &pupil, None, draft(vec![]), &limits, now()).unwrap();
    }
    let count = message_count(&store);
    let err = compose::save_draft(&store, &pupil, None, draft(vec![]), &limits, now()).unwrap_err();
    assert!(
        matches!(err, MessagingError::DraftRateLimited(s) if s > 0 && s <= 3600),
        "{err:?}"
    );
    assert_eq!(message_count(&store), count);
    // The autosave of the same draft is not counted…
    for _ in 0..10 {
        compose::save_draft(&store, &pupil, Some(first), draft(vec![]), &limits, now()).unwrap();
    }
    // … but bringing new files is.
    let err = compose::save_draft(
        &store,
        &pupil,
        Some(first),
        draft(vec![att(1, 10)]),
        &limits,
        now(),
    )
    .unwrap_err();
    assert!(
        matches!(err, MessagingError::DraftRateLimited(_)),
        "{err:?}"
    );
    assert_eq!(usage(&store, school.id("eleve.a1")), 0);
    // An hour later, again.
    let later = now()
        .checked_add(jiff::SignedDuration::from_hours(1))
        .unwrap();
    compose::save_draft(&store, &pupil, None, draft(vec![]), &limits, later).unwrap();
}

#[test]
fn the_hourly_send_limit_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let limits = SendLimits {
        pupil: 3,
        parent: 3,
        staff: 3,
    };
    let send = |store: &Store, school: &School, limiter: &SendLimiter, n: usize| {
        compose::send(
            store,
            &actor(store, school, "eleve.a1"),
            None,
            Compose {
                recipients: vec![school.id("eleve.a2")],
                subject: format!("n°{n}"),
                body: "…".into(),
                ..Compose::default()
            },
            &SendContext {
                limiter,
                limits,
                now: now(),
            },
        )
    };
    let school = {
        let store = Store::open(dir.path(), clock()).unwrap();
        let school = school::build(&store);
        let limiter = SendLimiter::default();
        for n in 0..3 {
            send(&store, &school, &limiter, n).unwrap();
        }
        school
    };
    // The application restarts on the same data directory: a new limiter, the same counts.
    let store = Store::open(dir.path(), clock()).unwrap();
    let limiter = SendLimiter::default();
    let count = message_count(&store);
    let err = send(&store, &school, &limiter, 3).unwrap_err();
    assert!(matches!(err, MessagingError::RateLimited(_)), "{err:?}");
    assert_eq!(message_count(&store), count);
}

/// A message from prof.a to parent.a1 with an attachment, through the form; its id.
async fn message_with_attachment(app: &TestApp) -> MessageId {
    let prof = app.as_user("prof.a").await;
    let r = post_compose(
        app,
        &prof,
        &[
            ("destinataires", app.school.id("parent.a1").0.to_string()),
            ("objet", "Bulletin".into()),
            ("corps", "Ci-joint.".into()),
            ("action", "envoyer".into()),
        ],
        &[(
            "pieces_jointes",
            "bulletin.pdf",
            "application/pdf",
            b"%PDF-1.4 bulletin".to_vec(),
        )],
        false,
    )
    .await;
    assert_eq!(r.status(), 303);
    let read = app.state.store.read().unwrap();
    read.range(&MESSAGES, ..)
        .unwrap()
        .map(|r| r.unwrap().0)
        .max()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn deleted_for_good_is_gone_attachment_reply_and_forward_included() {
    let app = TestApp::start().await;
    let id = message_with_attachment(&app).await;
    let parent = app.as_user("parent.a1").await;
    let attachment = format!("/messagerie/messages/{id}/pieces-jointes/0");
    assert_eq!(app.get(&parent, &attachment).await.0, 200);
    let page = format!("/messagerie/messages/{id}");
    let (status, location, _) = app
        .post_form(
            &parent,
            &format!("{page}/supprimer"),
            &[("dossier", "reception")],
        )
        .await;
    assert_eq!(status, 303, "{location}");
    let (status, _, _) = app
        .post_form(&parent, &format!("{page}/supprimer-definitivement"), &[])
        .await;
    assert_eq!(status, 303);
    // Gone for the parent: the page, the attachment, a reply, a forward of its attachment.
    assert_eq!(app.get(&parent, &page).await.0, 404);
    assert_eq!(app.get(&parent, &attachment).await.0, 404);
    let r = parent
        .post(app.url("/api/v1/messagerie/messages"))
        .json(&serde_json::json!({
            "recipients": [app.school.id("prof.a").0],
            "subject": "Re: Bulletin",
            "body": "Merci",
            "reply_to": id.0,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let (status, _) = app
        .get(&parent, &format!("/messagerie/nouveau?repondre={id}"))
        .await;
    assert_eq!(status, 404);
    let count = message_count(&app.state.store);
    let r = post_compose(
        &app,
        &parent,
        &[
            ("destinataires", app.school.id("prof.a").0.to_string()),
            ("objet", "Tr: Bulletin".into()),
            ("corps", "…".into()),
            ("garder", format!("{id}-0")),
            ("action", "envoyer".into()),
        ],
        &[],
        false,
    )
    .await;
    assert_eq!(r.status(), 303);
    let read = app.state.store.read().unwrap();
    let (_, sent) = read.range(&MESSAGES, ..).unwrap().last().unwrap().unwrap();
    assert!(
        sent.attachments.is_empty(),
        "the kept attachment names nothing"
    );
    drop(read);
    assert_eq!(message_count(&app.state.store), count + 1);
    // The sender still has it all.
    let prof = app.as_user("prof.a").await;
    assert_eq!(app.get(&prof, &attachment).await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn drafts_through_the_form_are_capped_counted_and_limited() {
    let app = TestApp::start_with_config(|c| {
        c.document_quota_pupil_mib = 3;
        c.message_draft_max_mib = 2;
        c.message_attachment_max_mib = 2;
        c.messaging_draft_limit = 4;
    })
    .await;
    let pupil = app.as_user("eleve.a1").await;
    let me = app.school.id("eleve.a1");
    let part = 900 * 1024;
    let file = |n: u8| vec![n; part as usize];
    let draft_fields = |subject: &str| -> Vec<(&'static str, String)> {
        vec![
            ("objet", subject.to_owned()),
            ("corps", "…".into()),
            ("action", "brouillon".into()),
        ]
    };
    // Three files of 900 Kio: past the 2 Mo of one message. 422, nothing kept.
    let r = post_compose(
        &app,
        &pupil,
        &draft_fields("Trop"),
        &[
            (
                "pieces_jointes",
                "a.bin",
                "application/octet-stream",
                file(1),
            ),
            (
                "pieces_jointes",
                "b.bin",
                "application/octet-stream",
                file(2),
            ),
            (
                "pieces_jointes",
                "c.bin",
                "application/octet-stream",
                file(3),
            ),
        ],
        false,
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("ne peuvent pas dépasser 2 Mo au total"),
        "{html}"
    );
    assert_eq!(message_count(&app.state.store), 0);
    assert_eq!(usage(&app.state.store, me), 0);
    // Two files: kept, and counted.
    let two = [
        (
            "pieces_jointes",
            "a.bin",
            "application/octet-stream",
            file(1),
        ),
        (
            "pieces_jointes",
            "b.bin",
            "application/octet-stream",
            file(2),
        ),
    ];
    let r = post_compose(&app, &pupil, &draft_fields("Un"), &two, false).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    assert_eq!(usage(&app.state.store, me), 2 * part);
    // The same files in another draft: counted once.
    let r = post_compose(&app, &pupil, &draft_fields("Deux"), &two, false).await;
    assert_eq!(r.status(), 303);
    assert_eq!(usage(&app.state.store, me), 2 * part);
    // Two new files do not fit in what is left of the 3 Mo: 422 with the figures, nothing kept.
    let r = post_compose(
        &app,
        &pupil,
        &draft_fields("Trois"),
        &[
            (
                "pieces_jointes",
                "c.bin",
                "application/octet-stream",
                file(3),
            ),
            (
                "pieces_jointes",
                "d.bin",
                "application/octet-stream",
                file(4),
            ),
        ],
        false,
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Espace insuffisant") && html.contains("il vous reste 1,3 Mo"),
        "{html}"
    );
    assert_eq!(message_count(&app.state.store), 2);
    assert_eq!(usage(&app.state.store, me), 2 * part);
    // Drafts per hour: two more, then 429 with the wait, nothing saved.
    for subject in ["Quatre", "Cinq"] {
        let r = post_compose(&app, &pupil, &draft_fields(subject), &[], false).await;
        assert_eq!(r.status(), 303);
    }
    let r = post_compose(&app, &pupil, &draft_fields("Six"), &[], true).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "rate_limited");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Vous avez enregistré trop de brouillons : réessayez dans"),
        "{body}"
    );
    assert_eq!(message_count(&app.state.store), 4);
    // The autosave of an existing draft still works.
    let read = app.state.store.read().unwrap();
    let (draft, _) = read.range(&MESSAGES, ..).unwrap().last().unwrap().unwrap();
    drop(read);
    let mut fields = draft_fields("Cinq, suite");
    fields.push(("brouillon", draft.0.to_string()));
    let r = post_compose(&app, &pupil, &fields, &[], true).await;
    assert_eq!(r.status(), 200);
}
