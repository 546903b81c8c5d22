//! The real binary serving HTTPS: health, headers, redirect, certificate reuse, clean stop,
//! and clear start errors.

use std::process::Stdio;

use crate::common::{Server, cartable};

#[tokio::test]
async fn healthz_over_https_headers_redirect_restart_and_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let client = server.client();
    let url = format!("https://localhost:{}/healthz", server.https.port());
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    for (name, expected) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
    ] {
        assert_eq!(headers.get(name).unwrap(), expected, "{name}");
    }
    let csp = headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert!(!csp.contains("unsafe-inline"));
    assert!(
        headers
            .get("strict-transport-security")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    assert!(headers.contains_key("x-request-id"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        body["schema_version"],
        cartable::store::migrations::SCHEMA_VERSION
    );
    assert_eq!(body["store"]["status"], "ok");
    assert_eq!(body["store"]["head_seq"], 1);

    // Unknown pages get a 404 with the headers too.
    let missing = client
        .get(format!(
            "https://localhost:{}/nulle-part",
            server.https.port()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.headers().get("x-content-type-options").unwrap(),
        "nosniff"
    );

    // Plain HTTP redirects to the same path over HTTPS.
    let http = server.http.unwrap();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let redirect = plain
        .get(format!(
            "http://localhost:{}/messagerie?dossier=1",
            http.port()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 308);
    assert_eq!(
        redirect.headers().get("location").unwrap(),
        &format!(
            "https://localhost:{}/messagerie?dossier=1",
            server.https.port()
        )
    );
    assert!(!redirect.headers().contains_key("strict-transport-security"));
    // A forged Host never sends the visitor elsewhere: only this instance's names are used.
    for host in [
        "evil.example",
        "evil.example:8080",
        "localhost.evil.example",
        "[2001:db8::1]",
        "localhost@evil.example",
        "",
    ] {
        let redirect = plain
            .get(format!("http://127.0.0.1:{}/messagerie", http.port()))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(redirect.status(), 308, "{host}");
        assert_eq!(
            redirect.headers().get("location").unwrap(),
            &format!("https://localhost:{}/messagerie", server.https.port()),
            "Host: {host}"
        );
    }
    let redirect = plain
        .get(format!("http://127.0.0.1:{}/", http.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        redirect.headers().get("location").unwrap(),
        &format!("https://127.0.0.1:{}/", server.https.port()),
        "a loopback address of the certificate is kept"
    );

    // SIGTERM stops it cleanly with exit code 0.
    let first_cert = server.certificate_pem();
    let status = server.terminate();
    assert_eq!(status.code(), Some(0), "{status:?}");

    // Restarted, it reuses the same certificate: a client trusting the first one connects.
    let server = Server::start(dir.path());
    assert_eq!(server.certificate_pem(), first_cert);
    let again = crate::common::https_client(&first_cert, server.https)
        .get(format!("https://localhost:{}/healthz", server.https.port()))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    assert_eq!(server.terminate().code(), Some(0));
}

#[test]
fn a_second_instance_on_the_same_data_dir_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Server::start(dir.path());
    let out = cartable()
        .arg("serve")
        .env("CARTABLE_DATA_DIR", dir.path())
        .env("CARTABLE_LISTEN_HTTPS", "127.0.0.1:0")
        .env("CARTABLE_LISTEN_HTTP", "")
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already in use by another running Cartable"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_bad_certificate_file_is_a_clear_start_error() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, "not a certificate").unwrap();
    std::fs::write(&key, "not a key").unwrap();
    let out = cartable()
        .arg("serve")
        .env("CARTABLE_DATA_DIR", dir.path().join("data"))
        .env("CARTABLE_LISTEN_HTTPS", "127.0.0.1:0")
        .env("CARTABLE_LISTEN_HTTP", "")
        .env("CARTABLE_TLS_CERT", &cert)
        .env("CARTABLE_TLS_KEY", &key)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("TLS certificate"), "{stderr}");
    assert!(stderr.contains("cert.pem"), "{stderr}");
    assert!(stderr.contains("BEGIN CERTIFICATE"), "{stderr}");
}

#[test]
fn configured_pem_files_are_used_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let cert = dir.path().join("ent.crt");
    let key = dir.path().join("ent.key");
    std::fs::write(&cert, generated.cert.pem()).unwrap();
    std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
    let data = dir.path().join("data");
    let mut child = cartable()
        .arg("serve")
        .env("CARTABLE_DATA_DIR", &data)
        .env("CARTABLE_LISTEN_HTTPS", "127.0.0.1:0")
        .env("CARTABLE_LISTEN_HTTP", "")
        .env("CARTABLE_TLS_CERT", &cert)
        .env("CARTABLE_TLS_KEY", &key)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::BufRead;
    let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let addr: std::net::SocketAddr = stdout
        .lines()
        .map(Result::unwrap)
        .find_map(|l| {
            l.trim()
                .strip_prefix("HTTPS")
                .map(|a| a.trim().parse().unwrap())
        })
        .unwrap();
    assert!(!data.join("tls/self-signed.crt").exists());
    assert_eq!(
        crate::common::healthz_status(generated.cert.pem().as_bytes(), addr),
        200
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
