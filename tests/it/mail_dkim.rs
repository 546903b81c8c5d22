//! DKIM signatures as a receiver checks them (issue 14 §13): every kind of mail the relay sends
//! — recovery (through the real form), notification, digest, test mail, with accents in the
//! subjects and a long list of recipients — and `cartable mail test`, signed with an RSA 2048
//! key and with an Ed25519 key, captured byte for byte by the loopback SMTP server
//! (`smtp_sink.py`) and verified by dkimpy, the reference verifier (`dkim_verify.py`), the
//! public key given by the test's own DNS answer function. Tampered copies must fail.

use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use cartable::clock::Clock;
use cartable::i18n::Lang;
use cartable::mail::dkim::DkimKey;
use cartable::mail::templates::{self, Template};
use cartable::mail::transport::Smarthost;
use cartable::mail::{MailKind, NewMail};
use ring::signature::KeyPair as _;

use crate::common::app::TestApp;
use crate::common::cartable;
use crate::mail_relay::{Sink, ask_recovery};

/// A test-only RSA 2048 key (PKCS#1) and its record, made with `openssl rsa -pubout` (the
/// SubjectPublicKeyInfo), independently of Cartable's code.
const RSA_KEY: &str = include_str!("dkim_test_rsa.pem");
const RSA_RECORD: &str = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtHeWM4cfErxw5HKmRWfDa1x2BMNqH0VvSPXNKLeiVn50kn/E+fsm8rOPH/UnPC3jfedqipWwfamrYyZq36qVstAO1YvDYEddVOynVG2gsVv9+KZ05JpZrcNckx2LRJZ+TYTfcwsB7pS5vY0Ja+MxfbnnoF0AK3ceUWTDyIp9j7s+bv7VRdb6PR0UhISfbyfMtrnqAcyeDuRK/ZTour/ANuptt654SDYTIQVz+e4EHyC1Gqnd/a615qz5UTOIFCJMKz+XEnM4vOnNMwPGuRvY4usucBc7aI8ws2YQSokKbKB8M9PR33W/oKIw8tLgvNwCKJ1oY7NnsgduxFEtamFRQwIDAQAB";

const SELECTOR: &str = "cartable2026";
const DNS_NAME: &str = "cartable2026._domainkey.college-test.fr";

/// A key file and the TXT record that publishes it.
struct Key {
    algorithm: &'static str,
    file: PathBuf,
    record: String,
}

/// The RSA key, and a new Ed25519 key in PKCS#8 PEM (as `openssl genpkey -algorithm ed25519`
/// writes it) whose record holds its 32 raw public bytes (RFC 8463).
fn keys(dir: &Path) -> Vec<Key> {
    let rsa = dir.join("dkim-rsa.pem");
    std::fs::write(&rsa, RSA_KEY).unwrap();
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
    let pair = ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let ed = dir.join("dkim-ed25519.pem");
    std::fs::write(
        &ed,
        format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            BASE64.encode(pkcs8.as_ref())
        ),
    )
    .unwrap();
    let keys = vec![
        Key {
            algorithm: "rsa-sha256",
            file: rsa,
            record: RSA_RECORD.to_owned(),
        },
        Key {
            algorithm: "ed25519-sha256",
            file: ed,
            record: format!(
                "v=DKIM1; k=ed25519; p={}",
                BASE64.encode(pair.public_key().as_ref())
            ),
        },
    ];
    // What Cartable would tell an administrator to publish is the same record.
    for k in &keys {
        assert_eq!(DkimKey::load(&k.file).unwrap().dns_record(), k.record);
    }
    keys
}

/// dkimpy's verdict on each of `messages` with `record` published at [`DNS_NAME`] (one run of
/// the verifier for all: starting Python is the slow part).
fn verify(messages: &[PathBuf], record: &str) -> Vec<Result<(), String>> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/dkim_verify.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(record)
        .args(messages)
        .args(["--name", DNS_NAME])
        .output()
        .expect("python3 runs");
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    if !matches!(out.status.code(), Some(0 | 1)) {
        panic!(
            "dkim_verify.py could not run (scripts/test installs dkimpy): {said} {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let verdicts: Vec<Result<(), String>> = said
        .lines()
        .map(|l| {
            if l == "pass" {
                Ok(())
            } else {
                Err(l.to_owned())
            }
        })
        .collect();
    assert_eq!(
        verdicts.len(),
        messages.len(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    verdicts
}

/// Every captured message verifies; each tampering of the first one fails.
fn check_all(sink: &Sink, key: &Key, expected: usize) {
    let mails = sink.raw_mails();
    assert_eq!(mails.len(), expected, "{mails:?}");
    for (m, verdict) in mails.iter().zip(verify(&mails, &key.record)) {
        let raw = std::fs::read_to_string(m).unwrap();
        assert!(raw.starts_with("DKIM-Signature: v=1; "), "{raw}");
        assert!(raw.contains(&format!("a={};", key.algorithm)), "{raw}");
        assert!(raw.contains("c=relaxed/relaxed;"), "{raw}");
        assert!(raw.contains("d=college-test.fr;"), "{raw}");
        if let Err(why) = verdict {
            panic!(
                "{} ({}) does not verify: {why}\n{raw}",
                m.display(),
                key.algorithm
            );
        }
    }
    let raw = std::fs::read_to_string(&mails[0]).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let date = head
        .lines()
        .find(|l| l.starts_with("Date: "))
        .unwrap()
        .to_owned();
    let tampered = [
        (
            "a changed body",
            format!("{head}\r\n\r\n{body}Et une ligne de plus.\r\n"),
        ),
        (
            "a changed date",
            raw.replacen(&date, "Date: Wed, 02 Sep 2026 06:00:00 +0000", 1),
        ),
        (
            "a second From",
            raw.replacen(
                "\r\nFrom: ",
                "\r\nFrom: Intrus <x@ailleurs.example>\r\nFrom: ",
                1,
            ),
        ),
        (
            "a changed recipient",
            raw.replacen("\r\nTo: ", "\r\nTo: autre@parents.example, ", 1),
        ),
    ];
    let mut paths = Vec::new();
    for (i, (what, text)) in tampered.iter().enumerate() {
        assert_ne!(text, &raw, "{what}: the tampering changed nothing");
        let path = tmp.path().join(format!("tampered-{i}.eml"));
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    // Another key under the same name: the signature is not by it.
    let other = if key.record == RSA_RECORD {
        "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
    } else {
        RSA_RECORD
    };
    let verdicts = verify(&paths, &key.record);
    for ((what, _), verdict) in tampered.iter().zip(verdicts) {
        assert!(verdict.is_err(), "{what} still verifies");
    }
    assert!(
        verify(&mails[..1], other)[0].is_err(),
        "verifies with another key"
    );
}

fn enqueue(app: &TestApp, kind: MailKind, to: &str, text: templates::Rendered) {
    let now = app.clock.now();
    tokio::task::block_in_place(|| {
        app.state
            .store
            .write(|tx| {
                cartable::mail::enqueue(
                    tx,
                    now,
                    NewMail {
                        kind,
                        person: None,
                        sender: None,
                        to: to.into(),
                        subject: text.subject,
                        body: text.body,
                    },
                )
            })
            .unwrap()
    });
}

/// Recipients of one message to a whole class's parents, with long and accented names.
const RECIPIENTS: usize = 30;

#[tokio::test(flavor = "multi_thread")]
async fn every_kind_of_mail_verifies_with_dkimpy_for_rsa_and_ed25519_keys() {
    let dir = tempfile::tempdir().unwrap();
    for key in keys(dir.path()) {
        let sink = Sink::start(&[]);
        let smarthost = Smarthost::parse(&sink.url()).unwrap();
        let file = key.file.clone();
        let app = TestApp::start_with_config(move |c| {
            c.mail_smarthost = Some(smarthost);
            c.mail_from =
                Some("Cartable — Collège Jules-Ferry <ne-pas-repondre@college-test.fr>".into());
            c.mail_dkim_key = Some(file);
            c.mail_dkim_selector = Some(SELECTOR.into());
        })
        .await;
        ask_recovery(&app).await;

        // A notification of one message to many recipients: a long subject with accents,
        // guillemets and an apostrophe, folded over several lines once encoded.
        for i in 0..RECIPIENTS {
            let to = if i % 3 == 0 {
                format!(
                    "Marie-Thérèse de La Fontaine-Saint-Exupéry n°{i} <parents.{i}.de-la-fontaine-saint-exupery@famille-tres-longue.example>"
                )
            } else {
                format!("parent.{i}@parents.example")
            };
            let text = templates::render(
                Template::MessageReceived,
                Lang::Fr,
                &[
                    ("de", "Éléonore GUÉRIN-D’ARMAGNAC".into()),
                    (
                        "objet",
                        "Sortie à l’Opéra Garnier : autorisation « signée » avant jeudi — élèves de 4e A, 4e B et 4e C (réunion à 18 h)".into(),
                    ),
                    (
                        "extrait",
                        "Madame, Monsieur,\n\nVoici le programme   de la sortie.\t Prévoir un goûter.  ".into(),
                    ),
                    ("accuse", "oui".into()),
                    ("lien", "https://ent.college-test.fr/messagerie/messages/42".into()),
                ],
            );
            enqueue(&app, MailKind::Notification, &to, text);
        }

        // The daily digest: many lines, accents.
        let lines: Vec<String> = (0..12)
            .map(|i| {
                templates::digest_line(
                    Lang::Fr,
                    &format!("16/09 {:02}:15", 8 + i % 10),
                    &format!("Nouveau message de Zoé Lefèvre : Réunion n°{i} — « CDI » à 17 h"),
                )
            })
            .collect();
        let digest = templates::render(
            Template::Digest,
            Lang::Fr,
            &[
                ("nombre", 12_usize.into()),
                ("lignes", lines.join("\n").into()),
            ],
        );
        enqueue(
            &app,
            MailKind::Digest,
            "zoe.lefevre@parents.example",
            digest,
        );

        // The test mail.
        let test = templates::render(
            Template::Test,
            Lang::Fr,
            &[("instance", "https://ent.college-test.fr".into())],
        );
        enqueue(
            &app,
            MailKind::Test,
            "Zoé Étienne <direction@college-test.fr>",
            test,
        );

        let expected = 1 + RECIPIENTS + 2;
        let report = app
            .state
            .mail
            .deliver_due(&app.state.store, app.clock.now())
            .await
            .unwrap();
        assert_eq!(report.failed, 0, "{report:?}");
        check_all(&sink, &key, expected);
    }
}

#[test]
fn cartable_mail_test_verifies_with_dkimpy_for_rsa_and_ed25519_keys() {
    let dir = tempfile::tempdir().unwrap();
    for key in keys(dir.path()) {
        let sink = Sink::start(&[]);
        let out = cartable()
            .args(["mail", "test", "direction@college-test.fr"])
            .env("CARTABLE_MAIL_SMARTHOST", sink.url())
            .env("CARTABLE_MAIL_FROM", "ENT Collège <ent@college-test.fr>")
            .env("CARTABLE_MAIL_DKIM_KEY", &key.file)
            .env("CARTABLE_MAIL_DKIM_SELECTOR", SELECTOR)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        check_all(&sink, &key, 1);
    }
}
