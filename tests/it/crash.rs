//! Crash safety: the real binary is killed with SIGKILL in the middle of a burst of writes,
//! twenty times over the same data directory; every write it reported as committed must be
//! there, the change log gapless, and `cartable check` happy.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use cartable::store::Store;
use cartable::store::tables::DEBUG_NOTES;

use crate::common::{cartable, clock};

/// A tiny deterministic generator: how many commits to wait for before each kill.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// `cartable debug write-burst` on `dir`, its stdout piped.
fn spawn_write_burst(dir: &std::path::Path) -> std::process::Child {
    cartable()
        .args(["--data-dir"])
        .arg(dir)
        .args(["debug", "write-burst", "--count", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn kill_9_during_a_write_burst_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut acknowledged: BTreeSet<u64> = BTreeSet::new();
    let mut last_seq = 0;
    let mut rng = 0x5eed_cafe_u64;
    for round in 0..20 {
        let mut child = spawn_write_burst(dir.path());
        // Round 0 kills as early as possible (possibly while the store is being created).
        let wait_for = if round == 0 {
            0
        } else {
            1 + xorshift(&mut rng) % 40
        };
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = 0;
        let mut record = |line: &str| {
            let mut words = line.split_whitespace();
            assert_eq!(words.next(), Some("committed"));
            let seq: u64 = words.next().unwrap().parse().unwrap();
            let key: u64 = words.next().unwrap().parse().unwrap();
            assert!(seq > last_seq, "sequence numbers only grow");
            last_seq = seq;
            acknowledged.insert(key);
        };
        while seen < wait_for {
            match lines.next() {
                Some(line) => {
                    record(&line.unwrap());
                    seen += 1;
                }
                None => break,
            }
        }
        child.kill().unwrap(); // SIGKILL
        // Lines already written before the kill were acknowledged too.
        for line in lines {
            match line {
                Ok(line)
                    if line.starts_with("committed ") && line.split_whitespace().count() == 3 =>
                {
                    record(&line)
                }
                _ => break,
            }
        }
        child.wait().unwrap();

        let store = Store::open(dir.path(), clock()).unwrap();
        let read = store.read().unwrap();
        for key in &acknowledged {
            assert!(
                read.get(&DEBUG_NOTES, key).unwrap().is_some(),
                "round {round}: acknowledged note {key} is missing"
            );
        }
        let report = store.check().unwrap();
        assert!(report.is_ok(), "round {round}: {:?}", report.problems);
        assert!(report.head_seq >= last_seq);
        assert_eq!(report.entries, report.head_seq, "gapless from entry 1");
        drop(read);
        drop(store);
    }
    assert!(acknowledged.len() >= 20, "the bursts committed something");

    let out = cartable()
        .args(["--data-dir"])
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("All checks passed."), "{stdout}");
}

#[test]
fn kill_9_while_the_store_is_being_created_leaves_it_openable() {
    for round in 0..10u64 {
        let dir = tempfile::tempdir().unwrap();
        let mut child = spawn_write_burst(dir.path());
        if round % 2 == 1 {
            // Let it get a little further: until the first commit is acknowledged.
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            let _ = lines.next();
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let store = Store::open(dir.path(), clock()).unwrap();
        let report = store.check().unwrap();
        assert!(report.is_ok(), "round {round}: {:?}", report.problems);
        assert!(
            report.head_seq >= 1,
            "a usable store starts with its first entry"
        );
    }
}

/// Signs `login` in on the real server through the JSON API; the client keeps the cookie.
async fn signed_in(server: &crate::common::Server, login: &str) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(&server.certificate_pem()).unwrap())
        .resolve("localhost", server.https)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .post(format!(
            "https://localhost:{}/api/v1/auth/login",
            server.https.port()
        ))
        .json(&serde_json::json!({ "login": login, "password": crate::common::school::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{login} signs in");
    client
}

/// Four files of 16 MiB named `cours {round}-{i}.bin`, each different (and different in each
/// round: a blob left by an earlier round would not be written again), as one multipart form.
fn four_files(round: u8) -> reqwest::multipart::Form {
    let names: Vec<String> = (0..4u8).map(|i| format!("cours {round}-{i}.bin")).collect();
    let files: Vec<_> = (0..4u8)
        .map(|i| {
            let mut state = 0x9e37_79b9_7f4a_7c15_u64 ^ (u64::from(round) << 8 | u64::from(i));
            let mut bytes = Vec::with_capacity(16 * 1024 * 1024);
            for _ in 0..(16 * 1024 * 1024 / 8) {
                bytes.extend_from_slice(&xorshift(&mut state).to_le_bytes());
            }
            (
                "fichiers",
                names[usize::from(i)].as_str(),
                "application/octet-stream",
                bytes,
            )
        })
        .collect();
    crate::common::multipart(&[], &files)
}

/// Blob files under their final names (not `tmp/`), each checked against its name (after the
/// kill: hashing is slow, the kill must not wait for it).
fn final_blobs_checked(dir: &std::path::Path) -> usize {
    blob_files(dir, true)
}

/// Blob files under their final names, counted only (while watching the upload).
fn final_blobs(dir: &std::path::Path) -> usize {
    blob_files(dir, false)
}

fn blob_files(dir: &std::path::Path, check: bool) -> usize {
    let mut count = 0;
    let root = dir.join("blobs");
    let Ok(level1) = std::fs::read_dir(&root) else {
        return 0;
    };
    for a in level1 {
        let a = a.unwrap().path();
        if a.file_name().unwrap() == "tmp" || !a.is_dir() {
            continue;
        }
        for b in std::fs::read_dir(&a).unwrap() {
            for file in std::fs::read_dir(b.unwrap().path()).unwrap() {
                let file = file.unwrap().path();
                count += 1;
                if !check {
                    continue;
                }
                let bytes = std::fs::read(&file).unwrap();
                let name = file.file_name().unwrap().to_str().unwrap().to_owned();
                assert_eq!(
                    cartable::blobs::BlobId::of(&bytes).to_hex(),
                    name,
                    "a blob file holds what its name says"
                );
            }
        }
    }
    count
}

/// The names of the temp files of blobs being written.
fn parts_in_tmp(dir: &std::path::Path) -> std::collections::BTreeSet<std::ffi::OsString> {
    std::fs::read_dir(dir.join("blobs").join("tmp"))
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default()
}

/// `kill -9` of the real server while a four-file upload streams in (after its first file is in
/// the blob store, while another is being written): no file of that upload is listed (the
/// upload stores all its files or none), no half-written blob is under a final name, `cartable
/// check` passes, and after a restart the same upload goes through.
#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_a_multi_file_upload_leaves_no_half_written_file() {
    use cartable::store::tables::DOCUMENT_NODES;
    let dir = tempfile::tempdir().unwrap();
    let school = {
        let store = Store::open(dir.path(), clock()).unwrap();
        crate::common::school::build(&store)
    };
    let me = school.id("prof.a");
    let mut caught = 0;
    for round in 0..3u8 {
        let form = four_files(round);
        let mut server = crate::common::Server::start(dir.path());
        let client = signed_in(&server, "prof.a").await;
        let base = format!("https://localhost:{}", server.https.port());
        let home: serde_json::Value = client
            .get(format!("{base}/api/v1/documents"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = home["upload_token"].as_str().unwrap().to_owned();
        let before = final_blobs(dir.path());
        let old_parts = parts_in_tmp(dir.path());
        let upload = tokio::spawn({
            let client = client.clone();
            let url = format!(
                "{base}/api/v1/documents/perso-{}/fichiers?_csrf={token}",
                me.0
            );
            async move { client.post(url).multipart(form).send().await }
        });
        // Kill once a first file is in place and another is being written.
        let started = tokio::time::Instant::now();
        let mut mid_upload = false;
        loop {
            if final_blobs(dir.path()) > before
                && parts_in_tmp(dir.path())
                    .difference(&old_parts)
                    .next()
                    .is_some()
            {
                mid_upload = true;
                caught += 1;
                break;
            }
            if upload.is_finished() || started.elapsed() > std::time::Duration::from_secs(120) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
        server.child.kill().unwrap(); // SIGKILL
        server.child.wait().unwrap();
        let _ = upload.await;

        let out = cartable()
            .args(["--data-dir"])
            .arg(dir.path())
            .arg("check")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "round {round}: {stdout}");
        assert!(
            stdout.contains("All checks passed."),
            "round {round}: {stdout}"
        );
        final_blobs_checked(dir.path());
        let store = Store::open(dir.path(), clock()).unwrap();
        let prefix = format!("cours {round}-");
        let nodes = store
            .read()
            .unwrap()
            .range(&DOCUMENT_NODES, ..)
            .unwrap()
            .filter(|r| r.as_ref().unwrap().1.name.starts_with(&prefix))
            .count();
        // All the files of the upload or none; none when it was cut in the middle.
        assert!(
            nodes == 0 || nodes == 4,
            "round {round}: {nodes} files of 4"
        );
        if mid_upload {
            assert_eq!(nodes, 0, "round {round}: no file of a cut upload is listed");
        }
        drop(store);
        drop(server);
    }
    assert!(
        caught >= 1,
        "the kill never came in the middle of the upload"
    );

    // After a restart, an upload goes through whole.
    let form = four_files(9);
    let server = crate::common::Server::start(dir.path());
    let client = signed_in(&server, "prof.a").await;
    let base = format!("https://localhost:{}", server.https.port());
    let home: serde_json::Value = client
        .get(format!("{base}/api/v1/documents"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = home["upload_token"].as_str().unwrap();
    let r = client
        .post(format!(
            "{base}/api/v1/documents/perso-{}/fichiers?_csrf={token}",
            me.0
        ))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let listing: serde_json::Value = client
        .get(format!("{base}/api/v1/documents/perso-{}", me.0))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = listing["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["name"].as_str())
        .filter(|n| n.starts_with("cours 9-"))
        .collect();
    assert_eq!(names.len(), 4, "{listing}");
    assert_eq!(server.terminate().code(), Some(0));
    let out = cartable()
        .args(["--data-dir"])
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
