//! Hostile HTTP (issue 12): thousands of slow clients, silent and half-sent connections, the
//! caps on connections, open redirects after sign-in and on the language switch, `Retry-After`
//! on throttled public forms, `Cache-Control` on private answers, huge headers and bodies,
//! malformed JSON over HTTP/1.1 and HTTP/2, odd `Range` headers. The server must refuse or
//! close, answer 4xx (never 5xx), and keep answering everyone else.

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use rustls::ClientConnection;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::time::{Instant, timeout};

use crate::common::app::{TestApp, csrf_of, location};
use crate::common::cartable;

// ---------------------------------------------------------------------------------------------
// Raw clients: TCP from a chosen loopback address, a hand-driven TLS handshake.
// ---------------------------------------------------------------------------------------------

/// A TCP connection to `server` from `source` (any 127.x.y.z works on loopback).
async fn connect_from(source: IpAddr, server: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source, 0))?;
    socket.connect(server).await
}

/// A TLS client configuration trusting `cert_pem`, offering `alpn`.
fn tls_config(cert_pem: &[u8], alpn: &[&[u8]]) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(cert_pem) {
        roots.add(cert.unwrap()).unwrap();
    }
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(config)
}

/// A TLS session driven by hand over a tokio stream (so thousands fit in one test).
struct Tls {
    stream: TcpStream,
    conn: ClientConnection,
}

impl Tls {
    async fn connect(stream: TcpStream, config: Arc<rustls::ClientConfig>) -> std::io::Result<Tls> {
        let conn = ClientConnection::new(config, ServerName::try_from("localhost").unwrap())
            .map_err(std::io::Error::other)?;
        let mut tls = Tls { stream, conn };
        while tls.conn.is_handshaking() {
            tls.flush().await?;
            if tls.conn.is_handshaking() && tls.conn.wants_read() {
                tls.read_some().await?;
            }
        }
        tls.flush().await?;
        Ok(tls)
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        let mut out = Vec::new();
        while self.conn.wants_write() {
            self.conn.write_tls(&mut out)?;
        }
        self.stream.write_all(&out).await
    }

    /// Reads what the server sent; returns the plaintext, or an error at end of stream.
    async fn read_some(&mut self) -> std::io::Result<Vec<u8>> {
        let mut buf = vec![0u8; 16 * 1024];
        let n = self.stream.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.conn.read_tls(&mut &buf[..n])?;
        let state = self
            .conn
            .process_new_packets()
            .map_err(std::io::Error::other)?;
        let mut plain = vec![0u8; state.plaintext_bytes_to_read()];
        if !plain.is_empty() {
            self.conn.reader().read_exact(&mut plain)?;
        }
        if state.peer_has_closed() && plain.is_empty() {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        Ok(plain)
    }

    async fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.conn.writer().write_all(bytes)?;
        self.flush().await
    }

    /// Reads until the plaintext holds `needle`.
    async fn read_until(&mut self, needle: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut all = Vec::new();
        while !all.windows(needle.len()).any(|w| w == needle) {
            all.extend(self.read_some().await?);
        }
        Ok(all)
    }

    /// Whether the server closes the connection within `limit`.
    async fn closed_within(mut self, limit: Duration) -> bool {
        timeout(limit, async { while self.read_some().await.is_ok() {} })
            .await
            .is_ok()
    }
}

/// Whether the server closes a raw TCP connection within `limit`.
async fn tcp_closed_within(mut stream: TcpStream, limit: Duration) -> bool {
    timeout(limit, async {
        let mut buf = [0u8; 1024];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

/// The HTTP/2 connection preface and an empty SETTINGS frame.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";

fn cert_of(app: &TestApp) -> Vec<u8> {
    std::fs::read(app.state.config.data_dir.join("tls/self-signed.crt")).unwrap()
}

/// `GET /healthz` on a new connection; its duration, or `None` if it failed or took > 5 s.
async fn healthz_time(cert: &[u8], addr: SocketAddr) -> Option<Duration> {
    let client = crate::common::https_client(cert, addr);
    let start = Instant::now();
    let response = timeout(
        Duration::from_secs(5),
        client
            .get(format!("https://localhost:{}/healthz", addr.port()))
            .send(),
    )
    .await
    .ok()?
    .ok()?;
    (response.status() == 200).then(|| start.elapsed())
}

/// The median of five `/healthz` times (a failed try counts as 5 s).
async fn healthz_median(cert: &[u8], addr: SocketAddr) -> Duration {
    let mut times = Vec::new();
    for _ in 0..5 {
        times.push(
            healthz_time(cert, addr)
                .await
                .unwrap_or(Duration::from_secs(5)),
        );
    }
    times.sort();
    times[2]
}

// ---------------------------------------------------------------------------------------------
// Slow clients, timeouts and caps.
// ---------------------------------------------------------------------------------------------

/// The resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap()
}

/// What a slow client does once connected.
#[derive(Clone, Copy)]
enum Slow {
    /// Connects and sends nothing (not even a TLS hello).
    Silent,
    /// Finishes the handshake and sends half a request head.
    HalfHeader,
    /// Sends one whole request, reads the answer, and keeps the connection open.
    KeptAlive,
}

/// A slow client holding its connection; `None` if the server refused or closed it.
async fn slow_client(
    source: IpAddr,
    server: SocketAddr,
    config: Arc<rustls::ClientConfig>,
    kind: Slow,
) -> (Slow, Option<Box<dyn std::any::Any + Send>>) {
    let Ok(stream) = connect_from(source, server).await else {
        return (kind, None);
    };
    let work = async move {
        match kind {
            Slow::Silent => Some(Box::new(stream) as Box<dyn std::any::Any + Send>),
            Slow::HalfHeader => {
                let mut tls = Tls::connect(stream, config).await.ok()?;
                tls.send(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Lent: ")
                    .await
                    .ok()?;
                Some(Box::new(tls) as Box<dyn std::any::Any + Send>)
            }
            Slow::KeptAlive => {
                let mut tls = Tls::connect(stream, config).await.ok()?;
                tls.send(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .await
                    .ok()?;
                tls.read_until(b"\"status\"").await.ok()?;
                Some(Box::new(tls) as Box<dyn std::any::Any + Send>)
            }
        }
    };
    (
        kind,
        timeout(Duration::from_secs(10), work).await.ok().flatten(),
    )
}

/// 2,400 slow clients from ten loopback addresses against the real binary, run with only 1,024
/// open files (so it cannot hold them all): `/healthz` from another address keeps answering
/// within 100 ms, each address holds at most its cap, and memory comes back once they leave.
#[tokio::test(flavor = "multi_thread")]
async fn thousands_of_slow_clients_do_not_stop_healthz_and_memory_comes_back() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let dir = tempfile::tempdir().unwrap();
    let mut child = cartable()
        .env("CARTABLE_DATA_DIR", dir.path())
        .env("CARTABLE_LISTEN_HTTPS", "127.0.0.1:0")
        .env("CARTABLE_LISTEN_HTTP", "")
        .env("CARTABLE_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "64")
        .env("CARTABLE_LOG_LEVEL", "error")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn_with_open_files(1024);
    let addr = https_line(&mut child);
    let cert = std::fs::read(dir.path().join("tls/self-signed.crt")).unwrap();
    let pid = child.id();
    // Warm up (first TLS, first page, worker threads), then the level to come back to.
    for _ in 0..20 {
        healthz_time(&cert, addr).await.unwrap();
    }
    let before = rss_kib(pid);

    let config = tls_config(&cert, &[b"http/1.1"]);
    let mut clients = tokio::task::JoinSet::new();
    for i in 0..2400u32 {
        let source = IpAddr::from([127, 0, 0, 2 + (i % 10) as u8]);
        let kind = [Slow::Silent, Slow::HalfHeader, Slow::KeptAlive][(i / 10 % 3) as usize];
        clients.spawn(slow_client(source, addr, config.clone(), kind));
    }
    let mut held = Vec::new();
    let mut past_tls = 0;
    while let Some(client) = clients.join_next().await {
        if let (kind, Some(client)) = client.unwrap() {
            past_tls += usize::from(!matches!(kind, Slow::Silent));
            held.push(client);
        }
    }
    // Silent connections are closed at once past the caps (the client cannot tell yet); the
    // others needed a handshake, so they were let in.
    assert!(
        past_tls <= 10 * 64,
        "{past_tls} connections past their TLS handshake, over the caps"
    );
    let median = healthz_median(&cert, addr).await;
    assert!(
        median < Duration::from_millis(100),
        "/healthz took {median:?} with slow clients"
    );
    let during = rss_kib(pid);
    eprintln!(
        "slow clients: {} held, /healthz median {median:?}, memory {before} KiB before, {during} KiB during",
        held.len()
    );

    drop(held);
    // The server sees the connections close; memory comes back near its level.
    let bound = before + 64 * 1024;
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut after = rss_kib(pid);
    while after > bound && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
        after = rss_kib(pid);
    }
    assert!(
        after <= bound,
        "memory {after} KiB after the slow clients left (before {before} KiB, during {during} KiB)"
    );
    assert!(healthz_time(&cert, addr).await.is_some());
    let _ = child.kill();
    let _ = child.wait();
}

/// Starting the binary under `sh` with a lower open-file limit (no `unsafe` pre-exec hook).
trait SpawnWithOpenFiles {
    fn spawn_with_open_files(&mut self, limit: u32) -> std::process::Child;
}

impl SpawnWithOpenFiles for std::process::Command {
    fn spawn_with_open_files(&mut self, limit: u32) -> std::process::Child {
        let program = self.get_program().to_owned();
        let mut sh = std::process::Command::new("sh");
        sh.arg("-c")
            .arg(format!("ulimit -n {limit} && exec \"$0\" serve"))
            .arg(program);
        for (key, value) in self.get_envs() {
            match value {
                Some(v) => sh.env(key, v),
                None => sh.env_remove(key),
            };
        }
        sh.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    }
}

/// The HTTPS address from the server's start lines.
fn https_line(child: &mut std::process::Child) -> SocketAddr {
    use std::io::BufRead;
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("HTTPS"), Some(a)) => addr = Some(a.parse().unwrap()),
            (Some("data"), _) => break,
            _ => {}
        }
    }
    std::thread::spawn(move || for _ in lines {});
    addr.expect("the server printed its HTTPS address")
}

/// A connection that finishes no handshake, one that sends half a request head, an idle
/// kept-alive HTTP/1.1 connection and an idle HTTP/2 connection are all closed within their
/// timeouts (1 s handshake, 1 s header read, 2 s idle here).
#[tokio::test(flavor = "multi_thread")]
async fn silent_half_sent_and_idle_connections_are_closed() {
    let app = TestApp::start_with_config(|c| {
        c.http_tls_handshake_timeout = Duration::from_secs(1);
        c.http_header_read_timeout = Duration::from_secs(1);
        c.http_idle_timeout = Duration::from_secs(2);
    })
    .await;
    let cert = cert_of(&app);
    let local: IpAddr = [127, 0, 0, 1].into();
    let limit = Duration::from_secs(6);

    let silent = connect_from(local, app.addr).await.unwrap();
    assert!(tcp_closed_within(silent, limit).await, "silent connection");

    let h1 = tls_config(&cert, &[b"http/1.1"]);
    let mut half = Tls::connect(connect_from(local, app.addr).await.unwrap(), h1.clone())
        .await
        .unwrap();
    half.send(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Lent: ")
        .await
        .unwrap();
    assert!(half.closed_within(limit).await, "half a request head");

    let mut kept = Tls::connect(connect_from(local, app.addr).await.unwrap(), h1)
        .await
        .unwrap();
    kept.send(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    kept.read_until(b"\"status\"").await.unwrap();
    assert!(kept.closed_within(limit).await, "idle HTTP/1.1 connection");

    let h2 = tls_config(&cert, &[b"h2"]);
    let mut idle_h2 = Tls::connect(connect_from(local, app.addr).await.unwrap(), h2)
        .await
        .unwrap();
    assert_eq!(idle_h2.conn.alpn_protocol(), Some(&b"h2"[..]));
    idle_h2.send(H2_PREFACE).await.unwrap();
    assert!(idle_h2.closed_within(limit).await, "idle HTTP/2 connection");

    assert!(healthz_time(&cert, app.addr).await.is_some());
}

/// Past the cap per address, a new connection is closed at once (no TLS handshake), while
/// another address is served.
#[tokio::test(flavor = "multi_thread")]
async fn connections_past_the_cap_per_address_are_refused_at_once() {
    let app = TestApp::start_with_config(|c| {
        c.http_max_connections_per_address = 4;
        c.http_tls_handshake_timeout = Duration::from_secs(60);
        c.http_idle_timeout = Duration::from_secs(60);
    })
    .await;
    let cert = cert_of(&app);
    let crowd: IpAddr = [127, 0, 0, 7].into();
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect_from(crowd, app.addr).await.unwrap());
    }
    // The server takes each connection in its own task: let it take the four first.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let fifth = connect_from(crowd, app.addr).await.unwrap();
    assert!(
        tcp_closed_within(fifth, Duration::from_secs(2)).await,
        "a fifth connection from one address is closed at once"
    );
    assert!(healthz_time(&cert, app.addr).await.is_some());
    // Once one leaves, the address may connect again.
    drop(held.pop());
    let mut again = None;
    let deadline = Instant::now() + Duration::from_secs(5);
    while again.is_none() && Instant::now() < deadline {
        let stream = connect_from(crowd, app.addr).await.unwrap();
        match Tls::connect(stream, tls_config(&cert, &[b"http/1.1"])).await {
            Ok(tls) => again = Some(tls),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    assert!(
        again.is_some(),
        "a slot is given back when a connection ends"
    );
}

// ---------------------------------------------------------------------------------------------
// Open redirects.
// ---------------------------------------------------------------------------------------------

/// Known open-redirect payloads: none may leave the site, none may fail.
const REDIRECT_PAYLOADS: &[&str] = &[
    "//evil.example",
    "//evil.example/",
    "///evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "\\\\evil.example",
    "\\/\\/evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%0a",
    "/%0d%0aSet-Cookie:%20x=1",
    "/\r\nSet-Cookie: x=1",
    "/%5cevil.example",
    "/%5c%5cevil.example",
    "/%2f%2fevil.example",
    "/%2F/evil.example",
    "https://evil.example",
    "http://evil.example",
    "https:evil.example",
    "//evil.example@localhost",
    "/@evil.example",
    "@evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "/javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "／／evil.example",
    "/\u{3002}evil.example",
    "/\u{2215}\u{2215}evil.example",
    "/\u{ff0f}evil.example",
    "/ /evil.example",
    " //evil.example",
    "/.evil.example",
    "/..//evil.example",
    "/messagerie/../..//evil.example",
    "/messagerie#@evil.example",
    "/messagerie?x=\u{0}",
    "/messagerie?x=%00",
    "/messagerie?x=%0d%0a",
    "/messagerie?\\evil",
    "/%",
    "/%zz",
    "/nulle-part",
    "",
    "evil.example",
];

#[tokio::test(flavor = "multi_thread")]
async fn open_redirect_payloads_stay_on_the_site() {
    let app = TestApp::start().await;
    let signed_in = app.as_user("eleve.a1").await;
    let anonymous = app.client();
    let allowed = [
        "/",
        "/messagerie",
        "/messagerie?dossier=1",
        "/messagerie/messages/12",
        "/documents/perso-3/dossier/9",
        "/recherche?q=%C3%A9l%C3%A8ve&page=2",
    ];
    for back in allowed {
        let url = format!("{}?{}", app.url("/connexion"), query("retour", back));
        let r = signed_in.get(&url).send().await.unwrap();
        assert!(r.status().is_redirection(), "{back}: {}", r.status());
        assert_eq!(location(&r), back, "{back} is a page of the site");
    }
    for payload in REDIRECT_PAYLOADS {
        let url = format!("{}?{}", app.url("/connexion"), query("retour", payload));
        // Signed in: /connexion sends straight back.
        let r = signed_in.get(&url).send().await.unwrap();
        assert!(r.status().is_redirection(), "{payload:?}: {}", r.status());
        assert_eq!(location(&r), "/", "{payload:?}");
        // Anonymous: the form carries the target to the POST, which redirects after sign-in.
        let r = anonymous.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 200, "{payload:?}");
        let html = r.text().await.unwrap();
        assert!(!html.contains("evil.example"), "{payload:?}");
        // The language switch goes back to the Referer only if it is a page of the site.
        let referer = format!("https://localhost:{}{payload}", app.addr.port());
        if let Ok(value) = reqwest::header::HeaderValue::from_str(&referer) {
            let r = anonymous
                .get(app.url("/langue/en"))
                .header("referer", value)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_redirection(), "{payload:?}: {}", r.status());
            assert_eq!(location(&r), "/", "referer {payload:?}");
        }
    }
    // A referer on another site never leads there; one of the site does.
    for referer in [
        "https://evil.example/messagerie",
        &format!(
            "https://localhost:{}.evil.example/messagerie",
            app.addr.port()
        ),
        &format!(
            "https://localhost:{}@evil.example/messagerie",
            app.addr.port()
        ),
    ] {
        let r = anonymous
            .get(app.url("/langue/en"))
            .header("referer", referer)
            .send()
            .await
            .unwrap();
        assert_eq!(location(&r), "/", "{referer}");
    }
    let r = anonymous
        .get(app.url("/langue/en"))
        .header(
            "referer",
            format!("https://localhost:{}/messagerie?dossier=2", app.addr.port()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/messagerie?dossier=2");

    // Signing in with a hostile target lands on the portal.
    let client = app.client();
    let html = client
        .get(app.url("/connexion"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = client
        .post(app.url("/connexion"))
        .form(&[
            ("_csrf", csrf_of(&html).as_str()),
            ("identifiant", "eleve.a2"),
            ("mot_de_passe", crate::common::school::PASSWORD),
            ("retour", "/\t/evil.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/");
}

/// `key=value`, form-encoded.
fn query(key: &str, value: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair(key, value)
        .finish()
}

// ---------------------------------------------------------------------------------------------
// Retry-After and Cache-Control.
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread")]
async fn throttled_activation_and_recovery_say_when_to_retry() {
    let app = TestApp::start().await;
    let (_, parent) = crate::activation::add_pending_family(&app);
    let login = crate::activation::login_of(&app, parent);
    crate::activation::issue_code(&app, parent);
    let client = app.client();
    let html = client
        .get(app.url("/activation"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&html);
    let mut last = None;
    for _ in 0..6 {
        let r = client
            .post(app.url("/activation"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("identifiant", login.as_str()),
                ("code", "ABCD-EFGH-JKMN"),
            ])
            .send()
            .await
            .unwrap();
        last = Some(r);
    }
    let r = last.unwrap();
    assert_eq!(r.status(), 429);
    let secs: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(secs >= 1, "{secs}");

    let html = client
        .get(app.url("/mot-de-passe-oublie"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&html);
    let mut statuses = Vec::new();
    for _ in 0..7 {
        let r = client
            .post(app.url("/mot-de-passe-oublie"))
            .form(&[("_csrf", csrf.as_str()), ("identifiant", "parent.a1")])
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            let secs: u64 = r.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(secs >= 1, "{secs}");
        }
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn private_answers_are_not_cached_and_static_files_are() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    for path in [
        "/",
        "/profil",
        "/messagerie",
        "/documents",
        "/api/v1/me",
        "/nulle-part",
    ] {
        let r = lea.get(app.url(path)).send().await.unwrap();
        assert_eq!(
            r.headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{path} ({})",
            r.status()
        );
    }
    let anonymous = app.client();
    for path in ["/api/v1/me", "/api/v1/messagerie/dossiers"] {
        let r = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 401, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
    }
    // Signing in through the API: the answer sets the session cookie.
    let r = anonymous
        .post(app.url("/api/v1/auth/login"))
        .json(
            &serde_json::json!({"login": "eleve.a2", "password": crate::common::school::PASSWORD}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    // Static files keep their own cache, even for a signed-in visitor.
    let (_, html) = app.get(&lea, "/").await;
    let start = html.find("/static/").unwrap();
    let asset = html[start..].split('"').next().unwrap().to_owned();
    let r = lea.get(app.url(&asset)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{asset}");
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .starts_with("public"),
        "{asset}"
    );
}

// ---------------------------------------------------------------------------------------------
// Huge headers and bodies, malformed JSON, odd ranges.
// ---------------------------------------------------------------------------------------------

/// An answer: status, headers, body.
type Answer = (u16, axum::http::HeaderMap, Vec<u8>);

/// One request over HTTP/2 (TLS with ALPN h2, a new connection); `Err` if the server closed
/// or reset it.
async fn h2_request(
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Result<Answer, String> {
    let stream = TcpStream::connect(app.addr)
        .await
        .map_err(|e| e.to_string())?;
    let connector = tokio_rustls::TlsConnector::from(tls_config(&cert_of(app), &[b"h2"]));
    let tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), stream)
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    let (send, connection) = h2::client::handshake(tls)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let mut send = send.ready().await.map_err(|e| e.to_string())?;
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(format!("https://localhost:{}{path}", app.addr.port()));
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let (answer, mut out) = send
        .send_request(request.body(()).unwrap(), body.is_empty())
        .map_err(|e| e.to_string())?;
    if !body.is_empty() {
        out.send_data(body.into(), true)
            .map_err(|e| e.to_string())?;
    }
    let answer = answer.await.map_err(|e| e.to_string())?;
    let (parts, mut stream) = answer.into_parts();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.data().await {
        let chunk = chunk.map_err(|e| e.to_string())?;
        let _ = stream.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    Ok((parts.status.as_u16(), parts.headers, bytes))
}

/// The same request over HTTP/1.1 (reqwest).
async fn h1_request(
    app: &TestApp,
    client: &reqwest::Client,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Result<Answer, String> {
    let mut request = client.request(method.parse().unwrap(), app.url(path));
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let answer = request.body(body).send().await.map_err(|e| e.to_string())?;
    assert_eq!(answer.version(), reqwest::Version::HTTP_11);
    let status = answer.status().as_u16();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.map_err(|e| e.to_string())?;
    Ok((status, headers, bytes.to_vec()))
}

/// Both protocols.
#[derive(Clone, Copy, Debug)]
enum Proto {
    Http1,
    Http2,
}

async fn request(
    proto: Proto,
    app: &TestApp,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Result<Answer, String> {
    match proto {
        Proto::Http1 => h1_request(app, &app.client(), method, path, headers, body).await,
        Proto::Http2 => h2_request(app, method, path, headers, body).await,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn huge_headers_are_refused_and_the_server_stays_fine() {
    let app = TestApp::start().await;
    let cert = cert_of(&app);
    let huge = vec![("x-huge".to_owned(), "a".repeat(200 * 1024))];
    // 2,000 headers of 40 bytes: too many for HTTP/1.1, too long a list for HTTP/2.
    let many: Vec<(String, String)> = (0..2000)
        .map(|i| (format!("x-h{i:04}"), "v".repeat(32)))
        .collect();
    for proto in [Proto::Http1, Proto::Http2] {
        // 431, or the connection closed; never an answer from the application.
        for headers in [&huge, &many] {
            if let Ok((status, _, _)) =
                request(proto, &app, "GET", "/healthz", headers, vec![]).await
            {
                assert_eq!(status, 431, "{proto:?} {} headers", headers.len());
            }
        }
        let (status, _, _) = request(proto, &app, "GET", "/healthz", &[], vec![])
            .await
            .unwrap();
        assert_eq!(status, 200, "{proto:?}");
    }
    assert!(healthz_time(&cert, app.addr).await.is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn huge_bodies_and_malformed_json_get_4xx_over_http1_and_http2() {
    let app = TestApp::start().await;
    // A session (the messaging API needs one); the cookie works over both protocols.
    let login = serde_json::json!({"login": "prof.a", "password": crate::common::school::PASSWORD});
    let r = app
        .client()
        .post(app.url("/api/v1/auth/login"))
        .json(&login)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let session = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let json = |extra: bool| {
        let mut headers = vec![("content-type".to_owned(), "application/json".to_owned())];
        if extra {
            headers.push(("cookie".to_owned(), session.clone()));
        }
        headers
    };
    for proto in [Proto::Http1, Proto::Http2] {
        for (path, signed_in) in [
            ("/api/v1/auth/login", false),
            ("/api/v1/messagerie/messages", true),
        ] {
            for body in [
                &b"{"[..],
                b"{\"login\": ",
                b"[1, 2",
                b"null",
                b"\"texte\"",
                b"{\"login\": 1, \"password\": []}",
                b"\xff\xfe\x00",
                b"{\"a\": 1e999999}",
                &[b'['; 10_000][..],
            ] {
                let (status, headers, _) =
                    request(proto, &app, "POST", path, &json(signed_in), body.to_vec())
                        .await
                        .unwrap();
                assert!(
                    (400..500).contains(&status),
                    "{proto:?} {path} {body:?}: {status}"
                );
                let kind = headers["content-type"].to_str().unwrap();
                assert!(kind.contains("json"), "{proto:?} {path}: {kind}");
            }
            // A body far over the limits: 413, or the connection closed; never 5xx.
            let big = vec![b' '; 12 * 1024 * 1024];
            if let Ok((status, _, _)) =
                request(proto, &app, "POST", path, &json(signed_in), big).await
            {
                assert_eq!(status, 413, "{proto:?} {path}");
            }
        }
        let (status, _, _) = request(proto, &app, "GET", "/healthz", &[], vec![])
            .await
            .unwrap();
        assert_eq!(status, 200, "{proto:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn odd_ranges_on_a_download_get_206_416_or_200_never_5xx() {
    let app = TestApp::start().await;
    let lea = app.as_user("eleve.a1").await;
    let space = format!("perso-{}", app.school.id("eleve.a1").0);
    let csrf = app.csrf(&lea).await;
    let content: Vec<u8> = (0..100u8).collect();
    let form = crate::common::multipart(
        &[],
        &[(
            "fichiers",
            "suite.bin",
            "application/octet-stream",
            content.clone(),
        )],
    );
    let r = lea
        .post(app.url(&format!(
            "/documents/{space}/fichiers?dossier=&_csrf={csrf}"
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_redirection() || r.status().is_success(),
        "{}",
        r.status()
    );
    let listing: serde_json::Value = lea
        .get(app.url(&format!("/api/v1/documents/{space}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = listing["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "suite.bin")
        .unwrap()["id"]
        .as_u64()
        .unwrap();
    let url = app.url(&format!("/documents/fichier/{id}/telecharger"));
    for (range, wanted) in [
        ("bytes=0-1,5-6", &[200, 206][..]),
        ("bytes=0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0,0-0", &[200, 206]),
        ("bytes=20-10", &[200, 416]),
        ("bytes=0-99999999999999999999999999", &[200, 206]),
        ("bytes=99999999999999999999999999-", &[200, 416]),
        ("bytes=-99999999999999999999999999", &[200, 206]),
        (
            "bytes=18446744073709551615-18446744073709551615",
            &[416, 200],
        ),
        ("bytes=-0", &[416, 200]),
        ("bytes=100-", &[416]),
        ("bytes=", &[200, 416]),
        ("bytes=-", &[200, 416]),
        ("bytes=--1", &[200, 416]),
        ("bytes=1-2-3", &[200, 416]),
        ("bytes=a-b", &[200, 416]),
        ("bytes=0x10-0x20", &[200, 416]),
        ("bytes = 0-1", &[200, 206]),
        ("items=0-1", &[200]),
        ("garbage", &[200]),
        ("bytes=\u{0661}-\u{0662}", &[200, 416]),
    ] {
        let r = lea.get(&url).header("range", range).send().await.unwrap();
        let status = r.status().as_u16();
        assert!(wanted.contains(&status), "{range:?}: {status}");
        let content_range = r
            .headers()
            .get("content-range")
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = r.bytes().await.unwrap();
        match status {
            200 => assert_eq!(bytes.as_ref(), content.as_slice(), "{range:?}"),
            206 => {
                let content_range = content_range.unwrap();
                let (span, total) = content_range
                    .strip_prefix("bytes ")
                    .unwrap()
                    .split_once('/')
                    .unwrap();
                assert_eq!(total, "100");
                let (first, last) = span.split_once('-').unwrap();
                let (first, last): (usize, usize) = (first.parse().unwrap(), last.parse().unwrap());
                assert_eq!(bytes.as_ref(), &content[first..=last], "{range:?}");
            }
            _ => assert_eq!(content_range.as_deref(), Some("bytes */100"), "{range:?}"),
        }
    }
}
