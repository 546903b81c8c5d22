//! Shared helpers: temp stores, the real binary, HTTPS clients, the in-process app.

pub mod app;
pub mod browser;
pub mod school;
pub mod wait;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use cartable::clock::{FakeClock, SharedClock};
use cartable::store::Store;

/// A fake clock at a fixed instant.
pub fn clock() -> SharedClock {
    FakeClock::new("2026-09-01T06:00:00Z".parse().unwrap())
}

/// A new store in a temp dir (kept alive by the returned guard).
pub fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), clock()).unwrap();
    (dir, store)
}

/// A `multipart/form-data` body: text fields (name, value), then files (field, file name,
/// content type, bytes), in that order.
pub fn multipart(
    fields: &[(&str, String)],
    files: &[(&str, &str, &str, Vec<u8>)],
) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.clone());
    }
    for (field, file_name, content_type, bytes) in files {
        let part = reqwest::multipart::Part::bytes(bytes.clone())
            .file_name(file_name.to_string())
            .mime_str(content_type)
            .unwrap();
        form = form.part(field.to_string(), part);
    }
    form
}

/// The `cartable` binary built for these tests.
pub fn cartable() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cartable"));
    // Never pick up a system-wide config or a developer's environment.
    for (key, _) in std::env::vars() {
        if key.starts_with("CARTABLE_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("CARTABLE_CONFIG", "/dev/null");
    cmd
}

/// A running `cartable serve` on ports chosen by the system.
pub struct Server {
    pub child: Child,
    pub https: SocketAddr,
    pub http: Option<SocketAddr>,
    pub data_dir: PathBuf,
}

impl Server {
    /// Starts `cartable serve` on `data_dir` and waits for its "serving" lines (no sleeping:
    /// the lines are printed once the listeners are bound).
    pub fn start(data_dir: &Path) -> Server {
        let mut child = cartable()
            .args(["serve"])
            .env("CARTABLE_DATA_DIR", data_dir)
            .env("CARTABLE_LISTEN_HTTPS", "127.0.0.1:0")
            .env("CARTABLE_LISTEN_HTTP", "127.0.0.1:0")
            .env("CARTABLE_SHUTDOWN_GRACE", "5s")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let (mut https, mut http) = (None, None);
        while let Some(Ok(line)) = lines.next() {
            let mut words = line.split_whitespace();
            match (words.next(), words.next()) {
                (Some("HTTPS"), Some(addr)) => https = Some(addr.parse().unwrap()),
                (Some("HTTP"), Some(addr)) => http = Some(addr.parse().unwrap()),
                (Some("data"), _) => break,
                _ => {}
            }
        }
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let Some(https) = https else {
            let out = child.wait_with_output().unwrap();
            panic!(
                "server did not start: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        };
        Server {
            https,
            http,
            child,
            data_dir: data_dir.to_owned(),
        }
    }

    /// The self-signed certificate the server generated.
    pub fn certificate_pem(&self) -> Vec<u8> {
        std::fs::read(self.data_dir.join("tls/self-signed.crt")).unwrap()
    }

    /// An HTTPS client that trusts exactly this server's certificate, for `localhost`.
    pub fn client(&self) -> reqwest::Client {
        https_client(&self.certificate_pem(), self.https)
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTPS client trusting `cert_pem`, resolving `localhost` to `addr`.
pub fn https_client(cert_pem: &[u8], addr: SocketAddr) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = reqwest::Certificate::from_pem(cert_pem).unwrap();
    reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(cert)
        .resolve("localhost", addr)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `GET /healthz` over HTTPS from a synchronous test; returns the status code.
pub fn healthz_status(cert_pem: &[u8], addr: SocketAddr) -> u16 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        https_client(cert_pem, addr)
            .get(format!("https://localhost:{}/healthz", addr.port()))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    })
}
