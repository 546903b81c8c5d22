//! The outgoing mail relay against a real SMTP server on loopback (`smtp_sink.py`, aiosmtpd):
//! headers and UTF-8 text as received, retries with growing delays on the injected clock,
//! permanent refusals, the 5-day limit, the administrators' page and actions, `cartable mail
//! test` (plain, STARTTLS with authentication, implicit TLS, DKIM), and `kill -9` of the real
//! binary with mails queued.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use cartable::clock::Clock;
use cartable::mail::queue::{self, backoff};
use cartable::mail::transport::Smarthost;
use cartable::mail::{MailId, MailKind, MailState, NewMail, OutgoingMail};
use cartable::model::directory::PersonId;
use cartable::store::Store;
use cartable::store::tables::{MAIL_DUE, MAIL_QUEUE, PEOPLE};
use jiff::Timestamp;

use crate::common::app::{TestApp, csrf_of};
use crate::common::{cartable, clock};

// ---------------------------------------------------------------------------------------------
// The loopback SMTP server.
// ---------------------------------------------------------------------------------------------

/// A running `smtp_sink.py`; killed on drop (also used by `mail_dkim`).
pub(crate) struct Sink {
    child: Child,
    port: u16,
    dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl Sink {
    /// Starts the sink on a port it chooses.
    pub(crate) fn start(args: &[&str]) -> Sink {
        Sink::start_on(0, args)
    }

    /// Starts the sink on `port` and waits for its `ready PORT` line (it prints it once it
    /// listens: no sleeping, no polling).
    fn start_on(port: u16, args: &[&str]) -> Sink {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("mails");
        let mut s = Sink::spawn(port, &dir, args);
        s._tmp = Some(tmp);
        s
    }

    fn spawn(port: u16, dir: &Path, args: &[&str]) -> Sink {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs (scripts/test installs aiosmtpd)");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = lines
            .next()
            .expect("the sink printed nothing: is aiosmtpd installed? (pip install aiosmtpd)")
            .unwrap();
        let port: u16 = line.strip_prefix("ready ").unwrap().trim().parse().unwrap();
        Sink {
            child,
            port,
            dir: dir.to_owned(),
            _tmp: None,
        }
    }

    /// The received mails (the sink's JSON records), in the order received.
    fn mails(&self) -> Vec<serde_json::Value> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }

    /// The raw messages (`.eml`, byte for byte as received), in the order received.
    pub(crate) fn raw_mails(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

// ---------------------------------------------------------------------------------------------
// Helpers on the in-process app.
// ---------------------------------------------------------------------------------------------

async fn app_with_smarthost(url: &str) -> TestApp {
    let smarthost = Smarthost::parse(url).unwrap();
    TestApp::start_with_config(move |c| {
        c.mail_smarthost = Some(smarthost);
        c.mail_from = Some("Cartable Collège <ne-pas-repondre@college-test.fr>".into());
    })
    .await
}

fn queue_mail(
    app: &TestApp,
    to: &str,
    person: Option<PersonId>,
    sender: Option<PersonId>,
) -> MailId {
    let now = app.clock.now();
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                cartable::mail::enqueue(
                    tx,
                    now,
                    NewMail {
                        kind: MailKind::Test,
                        person,
                        sender,
                        to: to.into(),
                        subject: "Réunion des délégués".into(),
                        body: "Texte secret du courriel\n".into(),
                    },
                )
            })
            .unwrap()
    })
}

fn mail(app: &TestApp, id: MailId) -> OutgoingMail {
    app.state
        .store
        .read()
        .unwrap()
        .get(&MAIL_QUEUE, &id)
        .unwrap()
        .unwrap()
}

/// One relay pass at the fake clock's "now" (the background task may have done it first: the
/// passes never overlap, so the outcome is the same).
async fn pass(app: &TestApp) {
    app.state
        .mail
        .deliver_due(&app.state.store, app.clock.now())
        .await
        .unwrap();
}

fn due_rows(store: &Store) -> usize {
    store.read().unwrap().range(&MAIL_DUE, ..).unwrap().count()
}

// ---------------------------------------------------------------------------------------------
// The relay in process.
// ---------------------------------------------------------------------------------------------

/// Gives parent.a1 an address and asks for a password recovery through the real form.
pub(crate) async fn ask_recovery(app: &TestApp) {
    let parent = app.school.id("parent.a1");
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                let mut p = tx.get(&PEOPLE, &parent)?.unwrap();
                p.email = Some("nathalie.eleve@parents.example".into());
                cartable::domain::directory::service::update_person(tx, parent, &p)
            })
            .unwrap()
    });
    let client = app.client();
    let (_, html) = app.get(&client, "/mot-de-passe-oublie").await;
    let csrf = csrf_of(&html);
    let r = app
        .post_raw(
            &client,
            "/mot-de-passe-oublie",
            &[("_csrf", &csrf), ("identifiant", "parent.a1")],
        )
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recovery_mail_arrives_with_its_headers_and_utf8_text() {
    let sink = Sink::start(&[]);
    let app = app_with_smarthost(&sink.url()).await;
    ask_recovery(&app).await;
    pass(&app).await;

    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let m = &mails[0];
    assert_eq!(m["rcpt_tos"][0], "nathalie.eleve@parents.example");
    assert_eq!(m["mail_from"], "ne-pas-repondre@college-test.fr");
    assert_eq!(
        m["from"],
        "Cartable Collège <ne-pas-repondre@college-test.fr>"
    );
    assert_eq!(m["to"], "nathalie.eleve@parents.example");
    assert_eq!(m["subject"], "Récupération de votre mot de passe Cartable");
    let message_id = m["message_id"].as_str().unwrap();
    assert!(
        message_id.starts_with('<') && message_id.ends_with("@college-test.fr>"),
        "{message_id}"
    );
    assert_eq!(m["date"], "Tue, 01 Sep 2026 06:00:00 +0000");
    let content_type = m["content_type"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .replace('"', "");
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert!(content_type.contains("charset=utf-8"), "{content_type}");
    assert_eq!(m["auto_submitted"], "auto-generated");
    let body = m["body"].as_str().unwrap().replace("\r\n", "\n");
    assert!(body.starts_with("Bonjour Nathalie,\n"), "{body}");
    assert!(body.contains("Quelqu’un (sans doute vous)"), "{body}");
    assert!(body.contains("« parent.a1 »"), "{body}");
    assert!(body.contains("/mot-de-passe-oublie/"), "{body}");

    // Sent: the body (a live link) is gone from the store, nothing is due any more.
    let read = app.state.store.read().unwrap();
    let (_, stored) = read
        .range(&MAIL_QUEUE, ..)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert!(matches!(stored.state, MailState::Sent { attempts: 1, .. }));
    assert!(stored.body.is_empty());
    drop(read);
    assert_eq!(due_rows(&app.state.store), 0);
    // A second pass sends nothing again.
    pass(&app).await;
    assert_eq!(sink.mails().len(), 1);

    let admin = app.as_user("admin.a").await;
    let (status, page) = app.get(&admin, "/admin/courriels").await;
    assert_eq!(status, 200);
    assert!(page.contains("nathalie.eleve@parents.example"));
    assert!(page.contains("Envoyé"), "{page}");
    assert!(page.contains("smtp://127.0.0.1:"), "the relay line");
    assert!(!page.contains("/mot-de-passe-oublie/"), "never the link");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_is_down_is_retried_later_and_later_then_delivered() {
    let port = closed_port();
    let app = app_with_smarthost(&format!("smtp://127.0.0.1:{port}")).await;
    let id = queue_mail(&app, "zoe@parents.example", None, None);
    pass(&app).await;
    let mut delays = Vec::new();
    let mut sink = None;
    for attempt in 1..=5u32 {
        let m = mail(&app, id);
        let MailState::Retrying {
            attempts,
            next_at,
            last_error,
        } = m.state
        else {
            panic!("attempt {attempt}: {:?}", m.state);
        };
        assert_eq!(attempts, attempt);
        assert!(
            last_error.to_lowercase().contains("connection refused"),
            "{last_error}"
        );
        let delay = next_at.duration_since(app.clock.now());
        assert_eq!(delay, backoff(attempt));
        delays.push(delay.as_secs());
        if attempt == 5 {
            // The server comes back on the same port (before the clock moves, so that no
            // attempt can happen in between); the due retry delivers the mail.
            sink = Some(Sink::start_on(port, &[]));
        }
        app.clock.advance(Duration::try_from(delay).unwrap());
        pass(&app).await;
    }
    assert_eq!(delays, [60, 120, 240, 480, 960], "growing delays");
    let sink = sink.unwrap();
    assert!(matches!(
        mail(&app, id).state,
        MailState::Sent { attempts: 6, .. }
    ));
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["subject"], "Réunion des délégués");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mail_held_until_a_time_leaves_then() {
    let sink = Sink::start(&[]);
    let app = app_with_smarthost(&sink.url()).await;
    let now = app.clock.now();
    let morning = now
        .checked_add(jiff::SignedDuration::from_hours(9))
        .unwrap();
    let id = tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                cartable::mail::enqueue_at(
                    tx,
                    now,
                    morning,
                    NewMail {
                        kind: MailKind::Test,
                        person: None,
                        sender: None,
                        to: "lea@eleves.example".into(),
                        subject: "Devoir pour demain".into(),
                        body: "Exercice 3 page 12.\n".into(),
                    },
                )
            })
            .unwrap()
    });
    pass(&app).await;
    assert_eq!(mail(&app, id).state, MailState::Queued);
    assert!(sink.mails().is_empty(), "held");
    app.clock.advance(Duration::from_secs(9 * 3600));
    pass(&app).await;
    assert!(matches!(mail(&app, id).state, MailState::Sent { .. }));
    assert_eq!(sink.mails().len(), 1);
    // Retried for 5 days from the time it was held until, not from when it was queued.
    assert_eq!(
        mail(&app, id).expires_at,
        morning.checked_add(queue::RETRY_FOR).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_550_fails_at_once_a_451_is_retried_and_admins_see_why() {
    let sink = Sink::start(&["--reject", "^inconnu@", "--defer", "^plus-tard@"]);
    let app = app_with_smarthost(&sink.url()).await;
    let cpe = app.school.id("cpe.a");
    let prof = app.school.id("prof.a");
    let refused = queue_mail(&app, "inconnu@ailleurs.example", Some(cpe), Some(prof));
    let deferred = queue_mail(&app, "plus-tard@ailleurs.example", Some(cpe), None);
    let accepted = queue_mail(&app, "ok@ailleurs.example", Some(cpe), None);
    pass(&app).await;

    let MailState::Failed {
        reason,
        attempts,
        expired,
        ..
    } = mail(&app, refused).state
    else {
        panic!("{:?}", mail(&app, refused).state);
    };
    assert_eq!((attempts, expired), (1, false));
    assert!(reason.contains("550"), "{reason}");
    assert!(reason.contains("utilisateur inconnu"), "{reason}");
    let MailState::Retrying { last_error, .. } = mail(&app, deferred).state else {
        panic!("{:?}", mail(&app, deferred).state);
    };
    assert!(last_error.contains("451"), "{last_error}");
    assert!(matches!(mail(&app, accepted).state, MailState::Sent { .. }));
    assert_eq!(sink.mails().len(), 1);

    // The failure is in its sender's list (for their timeline), not in anyone else's.
    let read = app.state.store.read().unwrap();
    let failures = cartable::mail::failures_for(&read, prof, 10).unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].0, refused);
    assert!(
        cartable::mail::failures_for(&read, cpe, 10)
            .unwrap()
            .is_empty()
    );
    drop(read);

    let admin = app.as_user("admin.a").await;
    let (status, page) = app.get(&admin, "/admin/courriels?etat=echec").await;
    assert_eq!(status, 200);
    assert!(page.contains("inconnu@ailleurs.example"), "{page}");
    assert!(page.contains("utilisateur inconnu"), "{page}");
    assert!(!page.contains("ok@ailleurs.example"), "filtered: {page}");
    assert!(!page.contains("Texte secret"), "never a body");
    assert!(page.contains(&format!("/admin/courriels/{refused}/reessayer")));
    let (_, all) = app.get(&admin, "/admin/courriels").await;
    for to in ["inconnu@", "plus-tard@", "ok@"] {
        assert!(all.contains(to), "{to}");
    }
    assert!(all.contains("451"), "the last error of the retrying mail");
    // The lycée's administrator administers nobody here.
    let other = app.as_user("admin.b").await;
    let (status, theirs) = app.get(&other, "/admin/courriels").await;
    assert_eq!(status, 200);
    assert!(!theirs.contains("ailleurs.example"));
    let platform = app.as_user("plateforme").await;
    let (_, everything) = app
        .get(&platform, "/admin/courriels?etat=nouvel-essai")
        .await;
    assert!(everything.contains("plus-tard@ailleurs.example"));
}

#[tokio::test(flavor = "multi_thread")]
async fn five_days_of_temporary_failures_end_in_failed() {
    let port = closed_port();
    let app = app_with_smarthost(&format!("smtp://127.0.0.1:{port}")).await;
    let id = queue_mail(&app, "loin@ailleurs.example", None, None);
    let queued_at = app.clock.now();
    let mut attempts_seen = 0;
    for _ in 0..500 {
        pass(&app).await;
        match mail(&app, id).state {
            MailState::Retrying {
                attempts, next_at, ..
            } => {
                attempts_seen = attempts;
                let wait = next_at.duration_since(app.clock.now());
                assert!(wait.as_secs() <= 3600, "at most an hour between attempts");
                assert!(wait.as_secs() > 0);
                app.clock.advance(Duration::try_from(wait).unwrap());
            }
            MailState::Failed {
                at,
                attempts,
                expired,
                reason,
            } => {
                assert!(expired);
                assert_eq!(attempts, attempts_seen + 1);
                assert!(
                    reason.to_lowercase().contains("connection refused"),
                    "{reason}"
                );
                let waited = at.duration_since(queued_at);
                assert_eq!(waited.as_hours(), 5 * 24, "given up after 5 days");
                let (_, page) = app
                    .get(
                        &app.as_user("plateforme").await,
                        "/admin/courriels?etat=echec",
                    )
                    .await;
                assert!(page.contains("Abandonné après 5 jours"), "{page}");
                assert_eq!(due_rows(&app.state.store), 0);
                return;
            }
            other => panic!("{other:?}"),
        }
    }
    panic!("still retrying after 500 attempts");
}

#[tokio::test(flavor = "multi_thread")]
async fn administrators_retry_and_cancel_through_csrf_forms_and_others_get_404() {
    let port = closed_port();
    let app = app_with_smarthost(&format!("smtp://127.0.0.1:{port}")).await;
    let cpe = app.school.id("cpe.a");
    let a = queue_mail(&app, "a@ailleurs.example", Some(cpe), None);
    let b = queue_mail(&app, "b@ailleurs.example", Some(cpe), None);
    pass(&app).await;
    assert!(matches!(mail(&app, a).state, MailState::Retrying { .. }));

    let admin = app.as_user("admin.a").await;
    let (_, page) = app.get(&admin, "/admin/courriels").await;
    let csrf = csrf_of(&page);
    // Without the form token: refused, nothing changes.
    let before = mail(&app, a);
    let r = app
        .post_raw(&admin, &format!("/admin/courriels/{a}/reessayer"), &[])
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(mail(&app, a), before);

    let r = app
        .post_raw(
            &admin,
            &format!("/admin/courriels/{a}/reessayer"),
            &[("_csrf", &csrf), ("etat", "nouvel-essai")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/admin/courriels?etat=nouvel-essai&fait=reessaye"
    );
    // Due now: the relay (woken by the action, or this pass) tries it once more at once.
    pass(&app).await;
    let MailState::Retrying { attempts, .. } = mail(&app, a).state else {
        panic!("{:?}", mail(&app, a).state);
    };
    assert_eq!(attempts, 2, "one more attempt, right away");

    let r = app
        .post_raw(
            &admin,
            &format!("/admin/courriels/{b}/annuler"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let cancelled = mail(&app, b);
    assert!(matches!(
        cancelled.state,
        MailState::Cancelled { by: Some(by), .. } if by == app.school.id("admin.a")
    ));
    assert!(cancelled.body.is_empty());
    assert_eq!(
        due_rows(&app.state.store),
        1,
        "only the retried mail is due"
    );
    // Cancelling it again: the page says why (422), nothing changes.
    let r = app
        .post_raw(
            &admin,
            &format!("/admin/courriels/{b}/annuler"),
            &[("_csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("changé d’état"), "{html}");
    assert_eq!(mail(&app, b), cancelled);

    // Audited, and in the establishment's journal.
    let journal = format!("/admin/etablissements/{}/journal", app.school.college);
    let (_, journal) = app.get(&admin, &journal).await;
    assert!(journal.contains("Courriel remis en envoi"), "{journal}");
    assert!(journal.contains("Courriel annulé"), "{journal}");

    // Everyone else: "not found", for the page and for the actions; so are unknown ids.
    for login in ["prof.a", "cpe.a", "parent.a1", "eleve.a1", "admin.b"] {
        let client = app.as_user(login).await;
        let (_, profile) = app.get(&client, "/profil").await;
        let token = csrf_of(&profile);
        if login != "admin.b" {
            assert_eq!(app.get(&client, "/admin/courriels").await.0, 404, "{login}");
        }
        for action in ["reessayer", "annuler"] {
            let r = app
                .post_raw(
                    &client,
                    &format!("/admin/courriels/{a}/{action}"),
                    &[("_csrf", &token)],
                )
                .await;
            assert_eq!(r.status(), 404, "{login} {action}");
        }
    }
    for bad in ["999999", "abc"] {
        let r = app
            .post_raw(
                &admin,
                &format!("/admin/courriels/{bad}/annuler"),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(r.status(), 404, "{bad}");
    }
    assert!(matches!(mail(&app, a).state, MailState::Retrying { .. }));
}

// ---------------------------------------------------------------------------------------------
// `cartable mail test`.
// ---------------------------------------------------------------------------------------------

fn mail_test(address: &str, env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = cartable();
    cmd.args(["mail", "test", address]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn mail_test_sends_one_mail_and_says_what_the_server_answered() {
    let sink = Sink::start(&["--reject", "^refuse@"]);
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("dkim.key");
    std::fs::write(&key, "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\n").unwrap();
    let url = sink.url();
    let env = [
        ("CARTABLE_MAIL_SMARTHOST", url.as_str()),
        ("CARTABLE_MAIL_FROM", "ENT <ent@college-test.fr>"),
        ("CARTABLE_MAIL_DKIM_KEY", key.to_str().unwrap()),
        ("CARTABLE_MAIL_DKIM_SELECTOR", "essai"),
    ];
    let (code, stdout, stderr) = mail_test("direction@college-test.fr", &env);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Accepted by the server: 250"), "{stdout}");
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["subject"], "Cartable : courriel de test");
    assert_eq!(mails[0]["rcpt_tos"][0], "direction@college-test.fr");
    let dkim = mails[0]["dkim_signature"].as_str().unwrap();
    assert!(
        dkim.contains("d=college-test.fr") && dkim.contains("s=essai"),
        "{dkim}"
    );

    // Refused for good: exit code 1, the server's words and what to check.
    let (code, stdout, _) = mail_test("refuse@college-test.fr", &env);
    assert_eq!(code, 1);
    assert!(stdout.contains("NOT SENT (refused for good)"), "{stdout}");
    assert!(stdout.contains("550"), "{stdout}");
    assert!(
        stdout.contains("Check: the server refused this mail"),
        "{stdout}"
    );

    // Nobody listening.
    let closed = format!("smtp://127.0.0.1:{}", closed_port());
    let (code, stdout, _) = mail_test("a@b.example", &[("CARTABLE_MAIL_SMARTHOST", &closed)]);
    assert_eq!(code, 1);
    assert!(stdout.contains("NOT SENT (temporary failure"), "{stdout}");
    assert!(stdout.contains("Check: nothing listens there"), "{stdout}");

    // No smarthost at all.
    let (code, _, stderr) = mail_test("a@b.example", &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("no mail_smarthost configured"), "{stderr}");
    assert_eq!(sink.mails().len(), 1);
}

#[test]
fn mail_test_over_starttls_with_authentication_and_over_implicit_tls() {
    let dir = tempfile::tempdir().unwrap();
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = dir.path().join("smtp.crt");
    let key = dir.path().join("smtp.key");
    std::fs::write(&cert, generated.cert.pem()).unwrap();
    std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
    let tls = [
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ];

    let mut args = tls.to_vec();
    args.extend(["--auth", "relais@ent:mot de passe"]);
    let sink = Sink::start(&args);
    let good = format!(
        "smtp+starttls://relais%40ent:mot%20de%20passe@localhost:{}",
        sink.port
    );
    let ca = cert.to_str().unwrap();
    let (code, stdout, stderr) = mail_test(
        "a@b.example",
        &[
            ("CARTABLE_MAIL_SMARTHOST", &good),
            ("CARTABLE_MAIL_TLS_CA", ca),
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        !stdout.contains("mot de passe"),
        "the password is never printed: {stdout}"
    );
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0]["tls"], true);
    assert_eq!(mails[0]["authenticated"], true);

    // A wrong password: the authentication hint.
    let bad = format!("smtp+starttls://relais%40ent:faux@localhost:{}", sink.port);
    let (code, stdout, _) = mail_test(
        "a@b.example",
        &[
            ("CARTABLE_MAIL_SMARTHOST", &bad),
            ("CARTABLE_MAIL_TLS_CA", ca),
        ],
    );
    assert_eq!(code, 1);
    assert!(stdout.contains("authentication"), "{stdout}");
    // An untrusted certificate: the TLS hint.
    let (code, stdout, _) = mail_test("a@b.example", &[("CARTABLE_MAIL_SMARTHOST", &good)]);
    assert_eq!(code, 1);
    assert!(stdout.contains("TLS"), "{stdout}");
    assert_eq!(sink.mails().len(), 1);

    let mut args = tls.to_vec();
    args.push("--implicit-tls");
    let implicit = Sink::start(&args);
    let url = format!("smtps://localhost:{}", implicit.port);
    let (code, stdout, stderr) = mail_test(
        "a@b.example",
        &[
            ("CARTABLE_MAIL_SMARTHOST", &url),
            ("CARTABLE_MAIL_TLS_CA", ca),
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(implicit.mails().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// kill -9 with mails queued.
// ---------------------------------------------------------------------------------------------

/// A `cartable serve` child whose log lines about relay batches are counted.
struct Relay {
    child: Child,
    passes: mpsc::Receiver<(usize, usize)>,
}

impl Relay {
    fn start(data: &Path, smarthost: &str) -> Relay {
        let mut child = cartable()
            .arg("serve")
            .env("CARTABLE_DATA_DIR", data)
            .env("CARTABLE_LISTEN_HTTPS", "127.0.0.1:0")
            .env("CARTABLE_LISTEN_HTTP", "")
            .env("CARTABLE_MAIL_SMARTHOST", smarthost)
            .env("CARTABLE_LOG_LEVEL", "cartable=info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, passes) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if !line.contains("mail relay batch") {
                    continue;
                }
                let field = |name: &str| -> usize {
                    line.split_whitespace()
                        .find_map(|w| w.strip_prefix(name))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0)
                };
                let _ = tx.send((field("sent="), field("deferred=")));
            }
        });
        Relay { child, passes }
    }

    /// Waits (on the log, bounded) until `sent` mails were sent, or `deferred` deferred.
    fn wait_for(&self, sent: usize, deferred: usize) -> (usize, usize) {
        let (mut s, mut d) = (0, 0);
        while s < sent || d < deferred {
            let (ps, pd) = self
                .passes
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("relay stalled at sent={s} deferred={d}"));
            s += ps;
            d += pd;
            if sent > 0 && s >= sent || deferred > 0 && d >= deferred {
                break;
            }
        }
        (s, d)
    }

    fn kill_9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn states(data: &Path) -> Vec<(MailId, OutgoingMail)> {
    let store = Store::open(data, clock()).unwrap();
    let read = store.read().unwrap();
    read.range(&MAIL_QUEUE, ..)
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn kill_9_with_mails_queued_loses_none() {
    const N: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = cartable()
        .arg("--data-dir")
        .arg(&data)
        .args([
            "debug",
            "queue-mails",
            "--count",
            &N.to_string(),
            "--domain",
            "crash.test",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // 1. The smarthost is down: every mail is tried once and deferred; then kill -9.
    let port = closed_port();
    let smarthost = format!("smtp://127.0.0.1:{port}");
    let relay = Relay::start(&data, &smarthost);
    relay.wait_for(0, N);
    relay.kill_9();
    let mails = states(&data);
    assert_eq!(mails.len(), N, "every queued mail is still there");
    assert!(
        mails
            .iter()
            .all(|(_, m)| matches!(m.state, MailState::Retrying { attempts: 1, .. })),
        "all deferred once"
    );
    // Skip the one-minute back-off of the real clock: make them all due.
    {
        let store = Store::open(&data, clock()).unwrap();
        store
            .write(|tx| {
                for (id, _) in &mails {
                    queue::retry_now(tx, *id, Timestamp::UNIX_EPOCH).unwrap();
                }
                Ok::<_, cartable::store::StoreError>(())
            })
            .unwrap();
    }

    // 2. The smarthost is back; kill -9 again in the middle of the deliveries.
    let sink = Sink::start_on(port, &[]);
    let relay = Relay::start(&data, &smarthost);
    relay.wait_for(N / 3, 0);
    relay.kill_9();
    let marked = states(&data)
        .iter()
        .filter(|(_, m)| matches!(m.state, MailState::Sent { .. }))
        .count();
    // Usually some mails were accepted but not yet marked when the process died; the
    // assertions below hold either way.
    assert!(marked >= N / 3, "{marked} marked sent before the kill");

    // 3. Restart: the rest goes, and nothing is lost.
    let relay = Relay::start(&data, &smarthost);
    relay.wait_for(N - marked, 0);
    relay.kill_9();
    let mails = states(&data);
    assert!(
        mails
            .iter()
            .all(|(_, m)| matches!(m.state, MailState::Sent { .. })),
        "every mail sent"
    );
    let received = sink.mails();
    let ids: std::collections::BTreeSet<&str> = received
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    let rcpts: std::collections::BTreeSet<&str> = received
        .iter()
        .map(|m| m["rcpt_tos"][0].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        N,
        "every mail arrived, each with its own Message-ID"
    );
    assert_eq!(rcpts.len(), N);
    // At least once: a mail accepted but not yet marked when killed is sent again (same
    // Message-ID), at most one batch of them.
    assert!(received.len() >= N);
    assert!(
        received.len() - N <= 64,
        "{} duplicates",
        received.len() - N
    );
}
