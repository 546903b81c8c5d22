//! Messaging with the real binary (issue 12): `kill -9` in the middle of a send to a class of
//! 300 pupils leaves the message wholly sent or not at all, and `cartable check` passes; the
//! hourly send limit is still there after a restart.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Stdio};

use cartable::domain::directory::service::{self, NewPerson};
use cartable::model::directory::*;
use cartable::store::Store;
use cartable::store::tables::{MAILBOX_INDEX, MESSAGE_RECIPIENTS, MESSAGES};

use crate::common::app::csrf_of;
use crate::common::school::{self, PASSWORD, School};
use crate::common::{cartable, clock};

/// `cartable serve` on `dir` with `env`; its HTTPS address once it listens.
fn serve(dir: &Path, env: &[(&str, &str)]) -> (Child, SocketAddr) {
    let mut cmd = cartable();
    cmd.args(["serve"])
        .env("CARTABLE_DATA_DIR", dir)
        .env("CARTABLE_LISTEN_HTTPS", "127.0.0.1:0")
        .env("CARTABLE_LISTEN_HTTP", "127.0.0.1:0")
        .env("CARTABLE_SHUTDOWN_GRACE", "5s")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut https = None;
    while let Some(Ok(line)) = lines.next() {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("HTTPS"), Some(addr)) => https = Some(addr.parse().unwrap()),
            (Some("data"), _) => break,
            _ => {}
        }
    }
    std::thread::spawn(move || for _ in lines {});
    (child, https.expect("the server did not start"))
}

/// A signed-in HTTPS client (cookies kept) for `login` on the server at `addr`.
async fn signed_in(dir: &Path, addr: SocketAddr, login: &str) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = std::fs::read(dir.join("tls/self-signed.crt")).unwrap();
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&cert).unwrap())
        .resolve("localhost", addr)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let url = format!("https://localhost:{}/connexion", addr.port());
    let html = client.get(&url).send().await.unwrap().text().await.unwrap();
    let token = csrf_of(&html);
    let r = client
        .post(&url)
        .form(&[
            ("_csrf", token.as_str()),
            ("identifiant", login),
            ("mot_de_passe", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{login} could not sign in");
    client
}

async fn send_json(client: &reqwest::Client, addr: SocketAddr, body: serde_json::Value) -> u16 {
    client
        .post(format!(
            "https://localhost:{}/api/v1/messagerie/messages",
            addr.port()
        ))
        .json(&body)
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

/// The test school with 298 more pupils in 5A (300 with Léa and Zoé).
fn school_with_a_big_class(dir: &Path) -> School {
    let store = Store::open(dir, clock()).unwrap();
    let school = school::build(&store);
    store
        .write(|tx| {
            for i in 0..298 {
                let p = service::create_person(
                    tx,
                    NewPerson {
                        first_name: format!("Élève{i}"),
                        last_name: "Cinqa".into(),
                        ..NewPerson::default()
                    },
                )?;
                service::add_profile(tx, p, school.college, Role::Eleve)?;
                service::enrol_in_class(tx, p, school.class_5a)?;
            }
            Ok::<_, cartable::domain::directory::DirectoryError>(())
        })
        .unwrap();
    school
}

fn check_passes(dir: &Path) {
    let out = cartable()
        .args(["--data-dir"])
        .arg(dir)
        .arg("check")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cartable check: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_a_send_to_300_leaves_it_whole_or_absent_and_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let school = school_with_a_big_class(dir.path());
    let list = format!("eleves-{}", school.class_5a);
    let mut delay_ms = 0u64;
    for round in 0..6 {
        let (mut child, addr) = serve(dir.path(), &[]);
        let client = signed_in(dir.path(), addr, "prof.a").await;
        let body = serde_json::json!({
            "lists": [list],
            "subject": format!("Sortie n°{round}"),
            "body": "Départ 8 h devant le collège.",
        });
        let request = tokio::spawn(async move { send_json(&client, addr, body).await });
        tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
        child.kill().unwrap(); // SIGKILL, somewhere in the request or its transaction
        child.wait().unwrap();
        let _ = request.await;
        delay_ms = (delay_ms * 7 + 3) % 40;
    }
    // After the kills: every message is whole — 300 state rows and 300 inbox rows — or absent.
    let store = Store::open(dir.path(), clock()).unwrap();
    let read = store.read().unwrap();
    for row in read.range(&MESSAGES, ..).unwrap() {
        let (id, m) = row.unwrap();
        assert_eq!(m.recipients.len(), 300, "message {id}");
        let states = read
            .scan_prefix(&MESSAGE_RECIPIENTS, &(id,))
            .unwrap()
            .count();
        assert_eq!(states, 300, "message {id}");
        for p in &m.recipients {
            assert!(
                read.get(&MAILBOX_INDEX, &(*p, id)).unwrap().is_some(),
                "message {id} is missing from {p}'s inbox"
            );
        }
    }
    drop(read);
    drop(store);
    check_passes(dir.path());
    // And the server starts again and sends to the whole class.
    let (mut child, addr) = serve(dir.path(), &[]);
    let client = signed_in(dir.path(), addr, "prof.a").await;
    let status = send_json(
        &client,
        addr,
        serde_json::json!({ "lists": [list], "subject": "Après", "body": "…" }),
    )
    .await;
    assert_eq!(status, 201);
    child.kill().unwrap();
    child.wait().unwrap();
    check_passes(dir.path());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_hourly_limit_is_kept_across_a_restart_of_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let school = {
        let store = Store::open(dir.path(), clock()).unwrap();
        school::build(&store)
    };
    let env = [("CARTABLE_MESSAGING_LIMIT_STAFF", "3")];
    let to = school.id("parent.a1").0;
    let message = |n: u32| serde_json::json!({ "recipients": [to], "subject": format!("n°{n}"), "body": "…" });
    let (mut child, addr) = serve(dir.path(), &env);
    let client = signed_in(dir.path(), addr, "prof.a").await;
    for n in 0..3 {
        assert_eq!(send_json(&client, addr, message(n)).await, 201);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let (mut child, addr) = serve(dir.path(), &env);
    let client = signed_in(dir.path(), addr, "prof.a").await;
    assert_eq!(send_json(&client, addr, message(3)).await, 429);
    child.kill().unwrap();
    child.wait().unwrap();
    let store = Store::open(dir.path(), clock()).unwrap();
    assert_eq!(
        store.read().unwrap().range(&MESSAGES, ..).unwrap().count(),
        3
    );
}
